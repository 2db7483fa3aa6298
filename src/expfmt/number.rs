//! Number syntax of the two exposition formats.
//!
//! OpenMetrics 1.0 ABNF: `realnumber` is a decimal with optional sign,
//! fraction and exponent (no hex, no `_`, no octal/binary prefixes); sample
//! values also accept `[+-]inf`, `[+-]infinity` and `nan`, case-insensitively.
//! Timestamps are realnumbers only. The classic text format (Go's
//! strconv.ParseFloat) accepts the same decimal forms and the same words.

/// Is `s` an OpenMetrics realnumber? (`1`, `-1.5`, `.5`, `1.`, `1e-3`)
pub(crate) fn is_realnumber(s: &[u8]) -> bool {
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

const POW10: [f64; 16] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
];

/// Clinger's fast path for the common `123` / `123.456` forms: with at most
/// 15 significant digits both the mantissa and the power of ten are exact
/// in f64, so one division is correctly rounded.
fn fast_decimal(s: &[u8]) -> Option<f64> {
    if s.is_empty() || s.len() > 16 {
        return None;
    }
    let mut mantissa: u64 = 0;
    let mut digits = 0;
    let mut frac: Option<usize> = None;
    for (i, &b) in s.iter().enumerate() {
        match b {
            b'0'..=b'9' => {
                mantissa = mantissa * 10 + u64::from(b - b'0');
                digits += 1;
            }
            b'.' if frac.is_none() && i > 0 => frac = Some(i),
            _ => return None,
        }
    }
    let frac_digits = frac.map_or(0, |i| s.len() - i - 1);
    if digits > 15 || frac_digits == 0 && frac.is_some() {
        return None;
    }
    Some(mantissa as f64 / POW10[frac_digits])
}

/// Parse a sample value; `None` when it is not a number.
pub(crate) fn parse_value(s: &[u8]) -> Option<f64> {
    if let Some(v) = fast_decimal(s) {
        return Some(v);
    }
    if is_realnumber(s) {
        // A realnumber is valid UTF-8 and Rust's float grammar accepts it.
        // Go's ParseFloat refuses what overflows (`1e400`: ErrRange), and
        // so does every Prometheus parser; Rust would give infinity.
        let v: f64 = std::str::from_utf8(s).ok()?.parse().ok()?;
        return v.is_finite().then_some(v);
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
pub(crate) fn parse_timestamp(s: &[u8], openmetrics: bool) -> Option<f64> {
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
            "", "a", "1_2", "0x1", "0x1p-3", "0b1", "1.1.1", "1e", "-", "Infx", "-nan", "1e400",
            "-1e309",
        ] {
            assert_eq!(parse_value(bad.as_bytes()), None, "{bad}");
        }
        assert_eq!(parse_timestamp(b"1.5", true), Some(1.5));
        assert_eq!(parse_timestamp(b"NaN", true), None);
        assert_eq!(parse_timestamp(b"1500", false), Some(1.5));
        assert_eq!(parse_timestamp(b"1.5", false), None);
    }
}
