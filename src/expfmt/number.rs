//! Number syntax of the two exposition formats.
//!
//! OpenMetrics 1.0 ABNF: `realnumber` is a decimal with optional sign,
//! fraction and exponent (no hex, no `_`, no octal/binary prefixes); sample
//! values also accept `[+-]inf`, `[+-]infinity` and `nan`, case-insensitively.
//! Timestamps are realnumbers only. The classic text format (Go's
//! strconv.ParseFloat) accepts the same decimal forms and the same words.

/// Is `s` an OpenMetrics realnumber? (`1`, `-1.5`, `.5`, `1.`, `1e-3`)
pub fn is_realnumber(s: &[u8]) -> bool {
    let mut i = 0;
    if matches!(s.first(), Some(b'+' | b'-')) {
        i = 1;
    }
    let int_digits = s[i..].iter().take_while(|b| b.is_ascii_digit()).count();
    i += int_digits;
    let mut frac_digits = 0;
    if s.get(i) == Some(&b'.') {
        i += 1;
        frac_digits = s[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        i += frac_digits;
    }
    if int_digits + frac_digits == 0 {
        return false;
    }
    if matches!(s.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(s.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let exp = s[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        if exp == 0 {
            return false;
        }
        i += exp;
    }
    i == s.len()
}

/// Parse a sample value; `None` when it is not a number.
pub fn parse_value(s: &[u8]) -> Option<f64> {
    // Fast path: plain non-negative integers of up to 15 digits are exact in f64.
    if !s.is_empty() && s.len() <= 15 && s.iter().all(u8::is_ascii_digit) {
        let mut v: u64 = 0;
        for b in s {
            v = v * 10 + u64::from(b - b'0');
        }
        return Some(v as f64);
    }
    if is_realnumber(s) {
        // A realnumber is valid UTF-8 and Rust's float grammar accepts it.
        return std::str::from_utf8(s).ok()?.parse().ok();
    }
    let (sign, word) = match s.first() {
        Some(b'+') => (1.0, &s[1..]),
        Some(b'-') => (-1.0, &s[1..]),
        _ => (1.0, s),
    };
    if word.eq_ignore_ascii_case(b"inf") || word.eq_ignore_ascii_case(b"infinity") {
        Some(sign * f64::INFINITY)
    } else if s.eq_ignore_ascii_case(b"nan") {
        Some(f64::NAN)
    } else {
        None
    }
}

/// Parse a timestamp: a realnumber (OpenMetrics seconds) or, in the classic
/// format, an integer of milliseconds (Go's strconv.ParseInt).
pub fn parse_timestamp(s: &[u8], openmetrics: bool) -> Option<f64> {
    if openmetrics {
        return is_realnumber(s).then(|| std::str::from_utf8(s).ok()?.parse().ok())?;
    }
    std::str::from_utf8(s)
        .ok()?
        .parse::<i64>()
        .ok()
        .map(|ms| ms as f64 / 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values() {
        for (s, v) in [
            ("1", 1.0),
            ("-1.5", -1.5),
            (".5", 0.5),
            ("1e3", 1000.0),
            ("+Inf", f64::INFINITY),
            ("-inf", f64::NEG_INFINITY),
            ("000001.2e-1", 0.12),
        ] {
            assert_eq!(parse_value(s.as_bytes()), Some(v), "{s}");
        }
        assert!(parse_value(b"NaN").unwrap().is_nan());
        for bad in [
            "", "a", "1_2", "0x1", "0x1p-3", "0b1", "1.1.1", "1e", "-", "Infx", "-nan",
        ] {
            assert_eq!(parse_value(bad.as_bytes()), None, "{bad}");
        }
        assert_eq!(parse_timestamp(b"1.5", true), Some(1.5));
        assert_eq!(parse_timestamp(b"NaN", true), None);
        assert_eq!(parse_timestamp(b"1500", false), Some(1.5));
        assert_eq!(parse_timestamp(b"1.5", false), None);
    }
}
