//! Shared vocabulary below every module that uses it (the inventory,
//! prometheus.yml, rules, firewall): value types Prometheus is strict about
//! — durations, `host:port` addresses, label names, anchored regexes, PromQL
//! string literals. Parsing mirrors Prometheus' own rules so that what we
//! accept, Prometheus accepts.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A Prometheus duration such as `15s`, `1m30s` or `500ms`.
///
/// Prometheus (common/model.ParseDuration) accepts units y, w, d, h, m, s, ms
/// in that order, each at most once, integer amounts only, or a bare `0`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PromDuration {
    millis: u64,
}

const UNITS: [(&str, u64); 7] = [
    ("y", 365 * 24 * 3600 * 1000),
    ("w", 7 * 24 * 3600 * 1000),
    ("d", 24 * 3600 * 1000),
    ("h", 3600 * 1000),
    ("m", 60 * 1000),
    ("s", 1000),
    ("ms", 1),
];

impl PromDuration {
    pub const fn from_millis(millis: u64) -> Self {
        Self { millis }
    }

    pub const fn from_secs(secs: u64) -> Self {
        Self {
            millis: secs * 1000,
        }
    }

    pub(crate) fn as_millis(self) -> u64 {
        self.millis
    }

    pub(crate) fn as_std(self) -> std::time::Duration {
        std::time::Duration::from_millis(self.millis)
    }
}

/// Prometheus keeps durations as Go `time.Duration` (int64 nanoseconds);
/// model.ParseDuration refuses anything longer ("duration out of range").
const MAX_MILLIS: u64 = (i64::MAX as u64) / 1_000_000;

impl FromStr for PromDuration {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let shown = excerpt(s);
        let bad = || {
            format!(
                "'{shown}' is not a Prometheus duration (use e.g. 15s, 1m30s, 500ms, 2h; units y w d h m s ms)"
            )
        };
        if s == "0" {
            return Ok(Self { millis: 0 });
        }
        if s.is_empty() {
            return Err(bad());
        }
        let mut rest = s;
        let mut next_unit = 0;
        let mut total: u64 = 0;
        while !rest.is_empty() {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return Err(bad());
            }
            let amount: u64 = rest[..digits].parse().map_err(|_| bad())?;
            rest = &rest[digits..];
            let unit_len = rest.bytes().take_while(|b| b.is_ascii_alphabetic()).count();
            let unit = &rest[..unit_len];
            rest = &rest[unit_len..];
            let pos = UNITS[next_unit..]
                .iter()
                .position(|(u, _)| *u == unit)
                .ok_or_else(bad)?;
            let factor = UNITS[next_unit + pos].1;
            next_unit += pos + 1;
            total = amount
                .checked_mul(factor)
                .and_then(|v| total.checked_add(v))
                .filter(|t| *t <= MAX_MILLIS)
                .ok_or_else(|| {
                    format!("'{shown}' is out of range: Prometheus durations end at about 292y")
                })?;
        }
        Ok(Self { millis: total })
    }
}

impl fmt::Display for PromDuration {
    /// Canonical form, as Prometheus prints it: `1m30s`, `500ms`, `0s`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.millis == 0 {
            return f.write_str("0s");
        }
        let mut left = self.millis;
        for (unit, factor) in UNITS {
            if left >= factor {
                write!(f, "{}{unit}", left / factor)?;
                left %= factor;
            }
        }
        Ok(())
    }
}

impl Serialize for PromDuration {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PromDuration {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A scrape address `host:port`, as Prometheus wants it in `targets`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HostPort {
    pub host: String,
    pub port: u16,
}

impl FromStr for HostPort {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let shown = excerpt(s);
        let (host, port) = if let Some(rest) = s.strip_prefix('[') {
            let (h, after) = rest
                .split_once(']')
                .ok_or_else(|| format!("'{shown}': IPv6 address has no closing ']'"))?;
            h.parse::<std::net::Ipv6Addr>()
                .map_err(|_| format!("'{shown}': '{h}' is not an IPv6 address"))?;
            let port = after
                .strip_prefix(':')
                .ok_or_else(|| format!("'{shown}': expected HOST:PORT, e.g. [::1]:9090"))?;
            (format!("[{h}]"), port)
        } else {
            let (h, p) = s
                .rsplit_once(':')
                .ok_or_else(|| format!("'{shown}': expected HOST:PORT, e.g. localhost:9090"))?;
            if h.contains(':') {
                return Err(format!(
                    "'{shown}': put IPv6 addresses in brackets, e.g. [::1]:9090"
                ));
            }
            if h.contains("://") || s.contains('/') {
                return Err(format!(
                    "'{shown}': expected HOST:PORT without scheme or path"
                ));
            }
            if !valid_hostname(h) {
                return Err(format!(
                    "'{shown}': '{}' is not a valid host name or IPv4 address",
                    excerpt(h)
                ));
            }
            (h.to_string(), p)
        };
        let port: u32 = port
            .parse()
            .map_err(|_| format!("'{shown}': port '{}' is not a number", excerpt(port)))?;
        if !(1..=65535).contains(&port) {
            return Err(format!("'{shown}': port {port} is out of range 1-65535"));
        }
        Ok(Self {
            host,
            port: port as u16,
        })
    }
}

fn valid_hostname(h: &str) -> bool {
    !h.is_empty()
        && h.len() <= 253
        && h.split('.').all(|part| {
            !part.is_empty()
                && part.len() <= 63
                && !part.starts_with('-')
                && !part.ends_with('-')
                && part
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

impl fmt::Display for HostPort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.host, self.port)
    }
}

impl Serialize for HostPort {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for HostPort {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// At most 40 characters of a bad value, escaped for the terminal: an
/// error never prints a whole 1 MB value back.
pub(crate) fn excerpt(s: &str) -> String {
    const MAX: usize = 40;
    let mut shown: String = s.chars().take(MAX).collect();
    if s.chars().nth(MAX).is_some() {
        shown.push('…');
    }
    crate::text::terminal_safe(&shown).into_owned()
}

/// Why a value from a flag or a file is not valid. The text quotes at most
/// an excerpt of the value, made safe for a terminal.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ValueError {
    /// Not a label name Prometheus accepts.
    #[error("{0}")]
    LabelName(String),
    /// A regular expression that does not compile.
    #[error("{0}")]
    Regex(String),
    /// A number or threshold that does not parse.
    #[error("{0}")]
    Number(String),
}

message_into_string!(ValueError);

/// Prometheus label names: `[a-zA-Z_][a-zA-Z0-9_]*`; names starting with `__`
/// are reserved for Prometheus itself.
pub(crate) fn check_label_name(name: &str) -> Result<(), ValueError> {
    let mut bytes = name.bytes();
    let first_ok = bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_');
    if !first_ok || !bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return Err(ValueError::LabelName(format!(
            "'{}' is not a valid label name (letters, digits and _, not starting with a digit)",
            excerpt(name)
        )));
    }
    if name.starts_with("__") {
        return Err(ValueError::LabelName(format!(
            "'{}': label names starting with __ are reserved for Prometheus",
            excerpt(name)
        )));
    }
    Ok(())
}

/// A label name as Prometheus 3.x validates it (any non-empty UTF-8, `__`
/// reserved), or, with `legacy`, as 2.x does ([`check_label_name`]).
pub(crate) fn check_label_name_for(name: &str, legacy: bool) -> Result<(), ValueError> {
    if legacy {
        return check_label_name(name).map_err(|e| {
            ValueError::LabelName(format!(
                "{e}; Prometheus 2.x accepts no other (3.x does: set prometheus.version: 3)"
            ))
        });
    }
    if name.is_empty() {
        return Err(ValueError::LabelName(
            "an empty label name is not valid".into(),
        ));
    }
    if name.starts_with("__") {
        return Err(ValueError::LabelName(format!(
            "'{}': label names starting with __ are reserved for Prometheus",
            excerpt(name)
        )));
    }
    Ok(())
}

/// Compile a regex the way Prometheus' relabelling does: fully anchored.
pub fn anchored_regex(re: &str) -> Result<regex::Regex, ValueError> {
    regex::Regex::new(&format!("^(?:{re})$")).map_err(|e| {
        ValueError::Regex(format!(
            "regex '{re}' does not compile: {}",
            regex_error_reason(&e)
        ))
    })
}

/// Escape RE2 metacharacters so a literal (a job name) matches only itself.
/// Unlike `regex::escape`, `-` is left alone: it is only special inside `[]`.
pub(crate) fn escape_regex(literal: &str) -> String {
    let mut out = String::with_capacity(literal.len());
    for c in literal.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `s` as a PromQL double-quoted string literal (Go escapes), quotes
/// included: a job name can never end the string or add to the query.
pub(crate) fn promql_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The reason of a regex error: the regex crate shows the pattern with a
/// caret over several lines and ends with the one-line reason.
pub(crate) fn regex_error_reason(e: &regex::Error) -> String {
    let text = e.to_string();
    text.lines()
        .rfind(|l| !l.trim().is_empty())
        .unwrap_or(&text)
        .trim()
        .to_string()
}

/// Exposition protocols a Prometheus 3 scrape can negotiate
/// (`scrape_protocols`, `fallback_scrape_protocol`), spelled as it spells them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ScrapeProtocol {
    #[serde(rename = "PrometheusProto")]
    PrometheusProto,
    #[serde(rename = "OpenMetricsText0.0.1")]
    OpenMetricsText001,
    #[serde(rename = "OpenMetricsText1.0.0")]
    OpenMetricsText100,
    #[serde(rename = "PrometheusText0.0.4")]
    PrometheusText004,
    #[serde(rename = "PrometheusText1.0.0")]
    PrometheusText100,
}

impl ScrapeProtocol {
    pub const ALL: [ScrapeProtocol; 5] = [
        ScrapeProtocol::OpenMetricsText001,
        ScrapeProtocol::OpenMetricsText100,
        ScrapeProtocol::PrometheusProto,
        ScrapeProtocol::PrometheusText004,
        ScrapeProtocol::PrometheusText100,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ScrapeProtocol::PrometheusProto => "PrometheusProto",
            ScrapeProtocol::OpenMetricsText001 => "OpenMetricsText0.0.1",
            ScrapeProtocol::OpenMetricsText100 => "OpenMetricsText1.0.0",
            ScrapeProtocol::PrometheusText004 => "PrometheusText0.0.4",
            ScrapeProtocol::PrometheusText100 => "PrometheusText1.0.0",
        }
    }
}

impl std::str::FromStr for ScrapeProtocol {
    type Err = String;

    /// Prometheus' names, case-sensitive as Prometheus compares them.
    fn from_str(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|p| p.name() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = Self::ALL.iter().map(|p| p.name()).collect();
                format!(
                    "unknown scrape protocol {s}, supported: [{}]",
                    names.join(" ")
                )
            })
    }
}

/// An alert threshold as written: a number, or a percentage (`5%` is
/// 0.05, for the ratio alerts).
pub(crate) fn parse_threshold(text: &str) -> Result<f64, ValueError> {
    let t = text.trim();
    let (number, divisor) = match t.strip_suffix('%') {
        Some(n) => (n.trim_end(), 100.0),
        None => (t, 1.0),
    };
    number
        .parse::<f64>()
        .ok()
        .filter(|n| n.is_finite())
        .map(|n| n / divisor)
        .ok_or_else(|| {
            ValueError::Number(format!(
                "'{}' is not a number or a percentage such as 5%",
                excerpt(text)
            ))
        })
}

/// serde: a threshold as a YAML number or a `"5%"` string.
pub(crate) fn deserialize_threshold<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<f64>, D::Error> {
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Number(f64),
        Text(String),
    }
    match Option::<Raw>::deserialize(d)? {
        None => Ok(None),
        Some(Raw::Number(n)) => Ok(Some(n)),
        Some(Raw::Text(t)) => parse_threshold(&t)
            .map(Some)
            .map_err(serde::de::Error::custom),
    }
}

/// Is `name` a plain file name: no directory part, not `.` or `..`, not
/// hidden behind a NUL? Side files must be, so they land beside the output.
pub(crate) fn is_plain_file_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && !name.contains(['/', '\0'])
        && name.len() <= 255
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_take_percentages() {
        assert_eq!(parse_threshold("5%"), Ok(0.05));
        assert_eq!(parse_threshold("57 %"), Ok(0.57));
        assert_eq!(parse_threshold("0.8"), Ok(0.8));
        for bad in ["", "%", "x%", "inf", "NaN%", "5%%"] {
            assert!(parse_threshold(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn durations_parse_like_prometheus() {
        for (s, ms) in [
            ("15s", 15_000),
            ("1m30s", 90_000),
            ("500ms", 500),
            ("0", 0),
            ("1h", 3_600_000),
            ("1d2h", 93_600_000),
        ] {
            assert_eq!(s.parse::<PromDuration>().unwrap().as_millis(), ms, "{s}");
        }
        for bad in [
            "", "15", "1.5s", "30s1m", "1s1s", "-1s", "15 s", "1sec", "s",
        ] {
            assert!(bad.parse::<PromDuration>().is_err(), "{bad}");
        }
        assert_eq!(PromDuration::from_millis(90_500).to_string(), "1m30s500ms");
    }

    #[test]
    fn host_ports() {
        assert_eq!("localhost:9090".parse::<HostPort>().unwrap().port, 9090);
        assert_eq!(
            "[::1]:9091".parse::<HostPort>().unwrap().to_string(),
            "[::1]:9091"
        );
        for bad in [
            "localhost",
            "localhost:0",
            "localhost:65536",
            "::1:9090",
            "http://x:1",
            "a b:1",
            ":9090",
            "host:port",
            "[::1:9090",
        ] {
            assert!(bad.parse::<HostPort>().is_err(), "{bad}");
        }
    }

    #[test]
    fn label_names() {
        assert!(check_label_name("environment").is_ok());
        assert!(check_label_name("1abc").is_err());
        assert!(check_label_name("a-b").is_err());
        assert!(check_label_name("__x").is_err());
    }

    #[test]
    fn regex_is_anchored() {
        let re = anchored_regex("gpu-charts.*").unwrap();
        assert!(re.is_match("gpu-charts-logger"));
        assert!(!re.is_match("x-gpu-charts"));
        assert!(anchored_regex("(").is_err());
    }
}
