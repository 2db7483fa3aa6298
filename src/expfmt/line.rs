//! One line of exposition text, parsed without copying: metric name, label
//! pairs (values still escaped), value, timestamp, exemplar.

use super::ParseError;
use super::number::{parse_timestamp, parse_value};

/// A label pair; `raw_value` is as written, escapes included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Label<'a> {
    pub name: &'a str,
    pub raw_value: &'a str,
}

impl Label<'_> {
    /// The value with `\\`, `\"` and `\n` unescaped (unknown escapes kept).
    pub fn value(&self) -> std::borrow::Cow<'_, str> {
        unescape(self.raw_value)
    }
}

pub(crate) fn unescape(raw: &str) -> std::borrow::Cow<'_, str> {
    if !raw.contains('\\') {
        return std::borrow::Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('\\') => out.push('\\'),
            Some('"') => out.push('"'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    std::borrow::Cow::Owned(out)
}

#[derive(Debug, Clone, PartialEq)]
pub struct Exemplar {
    pub value: f64,
    pub timestamp: Option<f64>,
}

/// Whether a line uses Prometheus 3's quoted names (`{"a.b", "k.x"="v"}`,
/// `# TYPE "a.b" gauge`), which 2.x and promtool 2.x cannot parse, and
/// whether one of them is outside the legacy character set (promtool 3.x
/// validates names the legacy way).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Quoted {
    pub used: bool,
    pub non_legacy: bool,
}

impl Quoted {
    fn note(&mut self, raw: &str, legacy: fn(&[u8]) -> usize) {
        self.used = true;
        self.non_legacy |= raw.contains('\\') || legacy(raw.as_bytes()) != raw.len();
    }

    /// A quoted metric name.
    pub(crate) fn note_metric(&mut self, raw: &str) {
        self.note(raw, metric_name_len);
    }

    /// Who rejects the line: 2.x's scraper and promtool always, promtool
    /// 3.x when a name is outside the legacy set.
    pub fn refs(self) -> super::Refs {
        let base = super::Refs::PROMETHEUS_2.or(super::Refs::PROMTOOL_2);
        if self.non_legacy {
            base.or(super::Refs::PROMTOOL_3)
        } else {
            base
        }
    }
}

/// A sample line. Labels live in the caller's buffer (see `parse_sample`).
/// A quoted name is kept as written (escapes included), like label values.
#[derive(Debug, Clone, PartialEq)]
pub struct SampleLine<'a> {
    pub name: &'a str,
    pub value: f64,
    pub timestamp: Option<f64>,
    pub exemplar: Option<Exemplar>,
    pub quoted: Quoted,
}

/// Byte classes: bit 1 = label-name char, bit 2 = metric-name char
/// (also ':'), bit 4 = may start a name (not a digit).
const CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        if c.is_ascii_alphabetic() || c == b'_' {
            t[b] = 1 | 2 | 4;
        } else if c.is_ascii_digit() {
            t[b] = 1 | 2;
        } else if c == b':' {
            t[b] = 2 | 4;
        }
        b += 1;
    }
    t
};

fn name_len(s: &[u8], class: u8) -> usize {
    match s.first() {
        Some(&b) if CLASS[b as usize] & class != 0 && CLASS[b as usize] & 4 != 0 => {
            let mut i = 1;
            while i < s.len() && CLASS[s[i] as usize] & class != 0 {
                i += 1;
            }
            i
        }
        _ => 0,
    }
}

/// Whether two (short) names are equal, compared in place: names are
/// compared on every sample line, and a call to memcmp for a few bytes
/// costs more than the comparison.
#[inline]
pub(crate) fn same_name(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).all(|(x, y)| x == y)
}

/// Length of a metric name at the start of `s` (0 when there is none).
pub(crate) fn metric_name_len(s: &[u8]) -> usize {
    name_len(s, 2)
}

fn label_name_len(s: &[u8]) -> usize {
    name_len(s, 1)
}

/// A quoted name at the start of `s` (`"a.b"`, escapes as in label values):
/// its raw content and the length including both quotes. `None` when `s`
/// does not start with one or it is not closed.
pub(crate) fn quoted_name(s: &str) -> Option<(&str, usize)> {
    let rest = s.strip_prefix('"')?;
    let bytes = rest.as_bytes();
    let mut i = 0;
    loop {
        i += find_quote_or_backslash(&bytes[i..])?;
        if bytes[i] == b'"' {
            return Some((&rest[..i], i + 2));
        }
        i += 1;
        i += rest[i..].chars().next()?.len_utf8();
    }
}

/// Index of the first `"` or `\\`, eight bytes at a time (SWAR): label
/// values are mostly short, where a SIMD search does not pay off.
fn find_quote_or_backslash(s: &[u8]) -> Option<usize> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let has = |w: u64, b: u8| {
        let x = w ^ (LO * u64::from(b));
        x.wrapping_sub(LO) & !x & HI
    };
    let mut i = 0;
    while i + 8 <= s.len() {
        let w = u64::from_le_bytes(s[i..i + 8].try_into().expect("8 bytes"));
        let m = has(w, b'"') | has(w, b'\\');
        if m != 0 {
            return Some(i + (m.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    s[i..]
        .iter()
        .position(|&b| b == b'"' || b == b'\\')
        .map(|p| i + p)
}

/// Duplicate label-name detection that stays linear per line: a scan of the
/// few labels a sample usually has, a hash set once there are many (a hostile
/// line with 100k labels must not take quadratic time).
#[derive(Default)]
struct SeenNames<'a> {
    set: Option<foldhash::HashSet<&'a str>>,
}

impl<'a> SeenNames<'a> {
    const SCAN_LIMIT: usize = 16;

    /// Record `name` after `earlier` (the labels so far); true if repeated.
    fn insert(&mut self, earlier: &[Label<'a>], name: &'a str) -> bool {
        if self.set.is_none() && earlier.len() < Self::SCAN_LIMIT {
            return earlier.iter().any(|l| same_name(l.name, name));
        }
        let set = self
            .set
            .get_or_insert_with(|| earlier.iter().map(|l| l.name).collect());
        !set.insert(name)
    }
}

/// A cursor over one line, producing errors with 1-based columns.
struct Cursor<'a> {
    s: &'a str,
    pos: usize,
    line: usize,
    openmetrics: bool,
    quoted: Quoted,
}

impl<'a> Cursor<'a> {
    fn err(&self, msg: impl Into<String>) -> ParseError {
        // Count characters on bytes (UTF-8 lead bytes), so a position inside
        // a character can never panic.
        let upto = &self.s.as_bytes()[..self.pos.min(self.s.len())];
        let column = upto.iter().filter(|&&b| b & 0xC0 != 0x80).count() + 1;
        ParseError::new(self.line, column, msg)
    }

    fn bytes(&self) -> &'a [u8] {
        &self.s.as_bytes()[self.pos..]
    }

    fn peek(&self) -> Option<u8> {
        self.s.as_bytes().get(self.pos).copied()
    }

    /// Classic format: spaces and tabs between tokens are free.
    fn skip_blanks(&mut self) {
        if !self.openmetrics {
            while matches!(self.peek(), Some(b' ' | b'\t')) {
                self.pos += 1;
            }
        }
    }

    fn expect(&mut self, b: u8, what: &str) -> Result<(), ParseError> {
        if self.peek() == Some(b) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.err(format!("expected {what}")))
        }
    }

    /// Exactly one space (OpenMetrics) or one or more blanks (classic).
    fn separator(&mut self, what: &str) -> Result<(), ParseError> {
        if self.openmetrics {
            self.expect(b' ', what)?;
            if self.peek() == Some(b' ') {
                return Err(self.err("expected a single space"));
            }
            Ok(())
        } else {
            let start = self.pos;
            self.skip_blanks();
            if self.pos == start {
                return Err(self.err(format!("expected {what}")));
            }
            Ok(())
        }
    }

    /// The token up to the next space (or tab, classic) or the line end.
    /// Tokens are short numbers: a plain loop beats a SIMD search here.
    fn token(&mut self) -> &'a str {
        let start = self.pos;
        let bytes = self.s.as_bytes();
        let mut i = start;
        if self.openmetrics {
            while i < bytes.len() && bytes[i] != b' ' {
                i += 1;
            }
        } else {
            while i < bytes.len() && bytes[i] != b' ' && bytes[i] != b'\t' {
                i += 1;
            }
        }
        self.pos = i;
        &self.s[start..i]
    }

    /// `{name="value",...}`: pairs appended to `out`. With `metric`, the
    /// braces may also hold the metric name as a lone quoted string
    /// (Prometheus 3: `{"a.b",x="1"}`, in any position).
    fn labels(
        &mut self,
        out: &mut Vec<Label<'a>>,
        mut metric: Option<&mut Option<&'a str>>,
    ) -> Result<(), ParseError> {
        let first = out.len();
        let mut seen = SeenNames::default();
        self.expect(b'{', "'{'")?;
        loop {
            self.skip_blanks();
            if self.peek() == Some(b'}') {
                // `{}` is fine; a trailing comma only in the classic format.
                if self.openmetrics && out.len() > first {
                    return Err(self.err("expected a label name after ','"));
                }
                self.pos += 1;
                return Ok(());
            }
            let name = if self.peek() == Some(b'"') {
                let Some((raw, n)) = quoted_name(&self.s[self.pos..]) else {
                    return Err(self.err("quoted name has no closing '\"'"));
                };
                self.pos += n;
                self.skip_blanks();
                if self.peek() != Some(b'=') {
                    let Some(slot) = metric.as_deref_mut() else {
                        return Err(self.err("expected '=' after the label name"));
                    };
                    if slot.is_some() {
                        return Err(self.err("metric name already set"));
                    }
                    if raw.is_empty() {
                        return Err(self.err("missing metric name"));
                    }
                    self.quoted.note(raw, metric_name_len);
                    *slot = Some(raw);
                    match self.peek() {
                        Some(b',') => self.pos += 1,
                        Some(b'}') => {
                            self.pos += 1;
                            return Ok(());
                        }
                        _ => return Err(self.err("expected ',' or '}' after the metric name")),
                    }
                    continue;
                }
                self.quoted.note(raw, label_name_len);
                raw
            } else {
                let n = label_name_len(self.bytes());
                if n == 0 {
                    return Err(self.err("expected a label name"));
                }
                let name = &self.s[self.pos..self.pos + n];
                self.pos += n;
                name
            };
            self.skip_blanks();
            self.expect(b'=', "'=' after the label name")?;
            self.skip_blanks();
            self.expect(b'"', "'\"' to open the label value")?;
            let start = self.pos;
            loop {
                let Some(i) = find_quote_or_backslash(self.bytes()) else {
                    return Err(self.err("label value has no closing '\"'"));
                };
                self.pos += i;
                if self.peek() == Some(b'"') {
                    break;
                }
                // A backslash escape. The classic format (Go's expfmt)
                // knows only \\, \" and \n; OpenMetrics keeps others as text.
                let next = self.s.as_bytes().get(self.pos + 1).copied();
                if !self.openmetrics && !matches!(next, Some(b'\\' | b'"' | b'n')) {
                    // Go's expfmt (promtool) refuses; Prometheus keeps the text.
                    return Err(self
                        .err("invalid escape sequence in label value")
                        .rejected_by(super::Refs::PROMTOOL));
                }
                // Step over the backslash and the whole escaped character
                // (which may be multi-byte in OpenMetrics).
                let after = self.pos + 1;
                match self.s[after..].chars().next() {
                    Some(c) => self.pos = after + c.len_utf8(),
                    None => return Err(self.err("label value has no closing '\"'")),
                }
            }
            let raw_value = &self.s[start..self.pos];
            self.pos += 1;
            if seen.insert(&out[first..], name) {
                return Err(self.err(format!("duplicate label name '{name}'")));
            }
            out.push(Label { name, raw_value });
            self.skip_blanks();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(());
                }
                _ => return Err(self.err("expected ',' or '}' after the label value")),
            }
        }
    }
}

/// Parse a sample line; its labels are appended to `labels` (cleared first),
/// an exemplar's labels to `exemplar_labels`.
pub(crate) fn parse_sample<'a>(
    s: &'a str,
    line: usize,
    openmetrics: bool,
    family_hint: &str,
    labels: &mut Vec<Label<'a>>,
    exemplar_labels: &mut Vec<Label<'a>>,
) -> Result<SampleLine<'a>, ParseError> {
    labels.clear();
    exemplar_labels.clear();
    let mut c = Cursor {
        s,
        pos: 0,
        line,
        openmetrics,
        quoted: Quoted::default(),
    };
    if s.starts_with('{') {
        // Prometheus 3: the name inside the braces, quoted.
        let mut name = None;
        c.labels(labels, Some(&mut name))?;
        let Some(name) = name else {
            c.pos = 0;
            return Err(c.err("missing metric name"));
        };
        return finish_sample(c, name, exemplar_labels);
    }
    // Most lines start with the current family's (already checked) name.
    let n = if !family_hint.is_empty() && s.as_bytes().starts_with(family_hint.as_bytes()) {
        let rest = &s.as_bytes()[family_hint.len()..];
        family_hint.len()
            + rest
                .iter()
                .take_while(|&&b| CLASS[b as usize] & 2 != 0)
                .count()
    } else {
        metric_name_len(s.as_bytes())
    };
    if n == 0 {
        return Err(c.err("expected a metric name"));
    }
    let name = &s[..n];
    c.pos = n;
    // The classic format allows blanks between the name and '{'.
    c.skip_blanks();
    if c.peek() == Some(b'{') {
        c.labels(labels, None)?;
    } else {
        c.pos = n;
    }
    finish_sample(c, name, exemplar_labels)
}

/// The rest of a sample line after its name and labels.
fn finish_sample<'a>(
    mut c: Cursor<'a>,
    name: &'a str,
    exemplar_labels: &mut Vec<Label<'a>>,
) -> Result<SampleLine<'a>, ParseError> {
    let (s, openmetrics) = (c.s, c.openmetrics);
    c.separator("a space before the value")?;
    let value_text = c.token();
    let value = parse_value(value_text.as_bytes()).ok_or_else(|| {
        c.pos -= value_text.len();
        c.err(format!("'{value_text}' is not a number"))
    })?;
    let mut timestamp = None;
    let mut exemplar = None;
    if c.pos < s.len() {
        c.separator("a space")?;
        if openmetrics && c.pos == s.len() {
            return Err(c.err("trailing space after the value"));
        }
        if !(openmetrics && c.peek() == Some(b'#')) && c.pos < s.len() {
            let ts_text = c.token();
            timestamp = Some(parse_timestamp(ts_text.as_bytes(), openmetrics).ok_or_else(
                || {
                    c.pos -= ts_text.len();
                    c.err(format!("'{ts_text}' is not a valid timestamp"))
                },
            )?);
            if c.pos < s.len() {
                c.separator("a space")?;
            }
        }
        if openmetrics && c.pos < s.len() {
            exemplar = Some(parse_exemplar(&mut c, exemplar_labels)?);
        }
        c.skip_blanks();
        if c.pos < s.len() {
            return Err(c.err("unexpected text after the sample"));
        }
    }
    Ok(SampleLine {
        name,
        value,
        timestamp,
        exemplar,
        quoted: c.quoted,
    })
}

/// OpenMetrics exemplar: `# {labels} value [timestamp]`, labels at most 128
/// characters (names and values together).
fn parse_exemplar<'a>(
    c: &mut Cursor<'a>,
    out: &mut Vec<Label<'a>>,
) -> Result<Exemplar, ParseError> {
    c.expect(b'#', "'#' to start an exemplar")?;
    c.expect(b' ', "a space after '#'")?;
    c.labels(out, None)?;
    let size: usize = out
        .iter()
        .map(|l| l.name.chars().count() + l.value().chars().count())
        .sum();
    if size > 128 {
        return Err(c.err(format!(
            "exemplar labels are {size} characters long; at most 128 allowed"
        )));
    }
    c.separator("a space before the exemplar value")?;
    let v = c.token();
    if v.is_empty() {
        return Err(c.err("expected the exemplar value"));
    }
    let value = parse_value(v.as_bytes())
        .ok_or_else(|| c.err(format!("exemplar value '{v}' is not a number")))?;
    let mut timestamp = None;
    if c.pos < c.s.len() {
        c.separator("a space before the exemplar timestamp")?;
        let t = c.token();
        timestamp = Some(
            parse_timestamp(t.as_bytes(), true)
                .ok_or_else(|| c.err(format!("exemplar timestamp '{t}' is not a number")))?,
        );
    }
    Ok(Exemplar { value, timestamp })
}

#[cfg(test)]
mod tests {
    use super::*;

    type Parsed = (String, Vec<(String, String)>, f64, Option<f64>);

    fn sample(s: &str, om: bool) -> Result<Parsed, ParseError> {
        let (mut l, mut e) = (Vec::new(), Vec::new());
        let out = parse_sample(s, 1, om, "", &mut l, &mut e)?;
        Ok((
            out.name.to_string(),
            l.iter()
                .map(|l| (l.name.to_string(), l.value().into_owned()))
                .collect(),
            out.value,
            out.timestamp,
        ))
    }

    #[test]
    fn escapes_before_multibyte_characters_never_panic() {
        for line in [
            "a{x=\"\\é",
            "a{x=\"\\é\"} 1",
            "a{x=\"\\",
            "a{é=\"1\"} 1",
            "a{x=\"é\\",
        ] {
            for om in [false, true] {
                let _ = sample(line, om);
            }
        }
        let (_, labels, _, _) = sample("a{x=\"\\é\"} 1", true).unwrap();
        assert_eq!(labels[0].1, "\\é");
    }

    #[test]
    fn many_labels_stay_linear_and_duplicates_are_found() {
        let mut line = String::from("a{");
        for i in 0..100_000 {
            line.push_str(&format!("l{i}=\"v\","));
        }
        line.push_str("} 1");
        let start = std::time::Instant::now();
        assert!(sample(&line, false).is_ok());
        assert!(start.elapsed() < std::time::Duration::from_secs(2));
        line.insert_str(2, "l99999=\"dup\",");
        let err = sample(&line, false).unwrap_err();
        assert!(
            err.to_string().contains("duplicate label name 'l99999'"),
            "{err}"
        );
    }

    #[test]
    fn classic_is_lenient_about_blanks_and_commas() {
        let (name, labels, v, ts) =
            sample("a_total { x = \"1\" , y=\"q\\\"\", }\t 3 1500", false).unwrap();
        assert_eq!(name, "a_total");
        assert_eq!(
            labels,
            [("x".into(), "1".into()), ("y".into(), "q\"".into())]
        );
        assert_eq!((v, ts), (3.0, Some(1.5)));
        assert!(sample("a{x=\"\\z\"} 1", false).is_err());
        assert_eq!(sample("a 0", false).unwrap().2, 0.0);
        assert_eq!(sample("a\t0 15", false).unwrap().3, Some(0.015));
    }

    #[test]
    fn swar_search() {
        for s in [
            "",
            "a",
            "abc\"",
            "0123456789\\x",
            "01234567\"",
            "0123456789abcdef",
        ] {
            let expect = s.bytes().position(|b| b == b'"' || b == b'\\');
            assert_eq!(find_quote_or_backslash(s.as_bytes()), expect, "{s}");
        }
    }

    #[test]
    fn openmetrics_is_strict() {
        assert!(sample("a 1", true).is_ok());
        assert!(sample("a  1", true).is_err());
        assert!(sample("a{a=\"1\",} 1", true).is_err());
        assert!(sample("a 1 ", true).is_err());
        assert!(sample("a{x=\"\\z\"} 1", true).is_ok());
        let err = sample("a{a=\"1\"b} 1", true).unwrap_err();
        assert_eq!(err.column, 8, "{err}");
    }

    #[test]
    fn quoted_names_as_prometheus_3_reads_them() {
        let (mut l, mut e) = (Vec::new(), Vec::new());
        let s = parse_sample("{\"a.b\",\"k.x\"=\"v\"} 1", 1, false, "", &mut l, &mut e).unwrap();
        assert_eq!((s.name, l[0].name, l[0].raw_value), ("a.b", "k.x", "v"));
        assert!(s.quoted.used && s.quoted.non_legacy);
        // The name may come after labels; a legacy name quoted is still quoted syntax.
        let s = parse_sample("{x=\"1\", \"abc\"} 2", 1, false, "", &mut l, &mut e).unwrap();
        assert_eq!((s.name, s.value), ("abc", 2.0));
        assert!(s.quoted.used && !s.quoted.non_legacy);
        assert_eq!(
            s.quoted.refs(),
            super::super::Refs::PROMETHEUS_2.or(super::super::Refs::PROMTOOL_2)
        );
        // An escaped quote inside a name, and multi-byte characters.
        let s = parse_sample("{\"a\\\"é\"} 1", 1, true, "", &mut l, &mut e).unwrap();
        assert_eq!(s.name, "a\\\"é");
        for bad in [
            "{\"\"} 1",
            "{x=\"1\"} 1",
            "{\"a\",\"b\"} 1",
            "\"a\"{x=\"1\"} 1",
            "{\"a} 1",
            "{\"a\" 1",
        ] {
            assert!(sample(bad, false).is_err(), "{bad}");
        }
        assert!(sample("a{\"x\"} 1", false).is_err(), "a second name");
        let plain = parse_sample("a{x=\"1\"} 1", 1, false, "", &mut l, &mut e).unwrap();
        assert!(!plain.quoted.used);
    }
}
