//! Exposition text: the Prometheus text format 0.0.4 and OpenMetrics 1.0,
//! parsed line by line without copying sample data, then linted.
//!
//! Written by hand on purpose: it is the product's core, must be exact
//! (OpenMetrics conformance suite) and fast (hundreds of MB/s with small,
//! bounded memory on large payloads).

pub mod line;
pub mod lint;
pub mod number;
pub mod parser;
pub mod source;
pub(crate) mod split;
pub mod stream;

use std::fmt;

use crate::version::PromVersion;

/// Which grammar to parse with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Prometheus text format 0.0.4.
    Text,
    /// OpenMetrics 1.0 text.
    OpenMetrics,
}

impl Format {
    /// From an HTTP Content-Type: `application/openmetrics-text` is
    /// OpenMetrics, anything else the classic text format (as Prometheus does).
    pub(crate) fn from_content_type(ct: &str) -> Self {
        if ct.trim_start().starts_with("application/openmetrics-text") {
            Format::OpenMetrics
        } else {
            Format::Text
        }
    }

    /// Guess from the content: OpenMetrics ends with `# EOF`.
    pub(crate) fn sniff(head: &[u8], tail: &[u8]) -> Self {
        let tail = tail.strip_suffix(b"\n").unwrap_or(tail);
        if tail.ends_with(b"# EOF") || head.starts_with(b"# EOF") {
            Format::OpenMetrics
        } else {
            Format::Text
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::OpenMetrics => "openmetrics",
        }
    }
}

/// The media type of a Content-Type, lower-cased, without parameters.
fn media_type(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// How Prometheus 3.x reads a response: by its Content-Type when it is one
/// it knows, else by the job's `fallback_scrape_protocol` (`fallback`
/// here: that protocol's text format), else it refuses the scrape
/// ([`content_type_refusal`]). 2.x reads anything unknown as text.
pub(crate) fn scrape_format(content_type: &str, fallback: Option<Format>) -> Format {
    let media = media_type(content_type);
    match (media.as_str(), fallback) {
        ("text/plain" | "application/openmetrics-text", _) | (_, None) => {
            Format::from_content_type(content_type)
        }
        (_, Some(f)) => f,
    }
}

/// Why Prometheus 3.x fails a scrape for its Content-Type (without a
/// `fallback_scrape_protocol`), in its own words; `None` when 3.x takes
/// it. 2.x reads anything as text.
pub(crate) fn content_type_refusal(version: PromVersion, content_type: &str) -> Option<String> {
    if version == PromVersion::V2 {
        return None;
    }
    let media = media_type(content_type);
    match media.as_str() {
        "text/plain" | "application/openmetrics-text" | "application/vnd.google.protobuf" => None,
        "" => Some(
            "Prometheus 3.x fails this scrape: non-compliant scrape target sending blank Content-Type and no fallback_scrape_protocol specified for target".into(),
        ),
        _ => Some(format!(
            "Prometheus 3.x fails this scrape: received unsupported Content-Type {:?} and no fallback_scrape_protocol specified for target",
            crate::text::terminal_safe(content_type)
        )),
    }
}

/// The references that reject an input: Prometheus' scraper and `promtool
/// check metrics`, each of 2.x and 3.x. A set, because they disagree (the
/// agreement table in docs/lint.md, produced by `tests/agreement.rs` from the real
/// binaries, lists each case). promtool reads only the classic text format,
/// so problems of OpenMetrics input name the scrapers alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Refs(u8);

impl Refs {
    pub(crate) const NONE: Refs = Refs(0);
    pub(crate) const PROMETHEUS_2: Refs = Refs(1);
    pub(crate) const PROMETHEUS_3: Refs = Refs(2);
    pub(crate) const PROMTOOL_2: Refs = Refs(4);
    pub(crate) const PROMTOOL_3: Refs = Refs(8);
    /// Both scrapers.
    pub(crate) const PROMETHEUS: Refs = Refs(1 | 2);
    /// Both promtools.
    pub(crate) const PROMTOOL: Refs = Refs(4 | 8);
    pub const ALL: Refs = Refs(15);

    const NAMES: [&'static str; 4] = [
        "prometheus 2.x",
        "prometheus 3.x",
        "promtool 2.x",
        "promtool 3.x",
    ];

    pub const fn or(self, other: Refs) -> Refs {
        Refs(self.0 | other.0)
    }

    pub const fn and(self, other: Refs) -> Refs {
        Refs(self.0 & other.0)
    }

    pub const fn contains(self, other: Refs) -> bool {
        self.0 & other.0 == other.0
    }

    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The scraper of `version`.
    pub const fn prometheus(version: PromVersion) -> Refs {
        match version {
            PromVersion::V2 => Refs::PROMETHEUS_2,
            PromVersion::V3 => Refs::PROMETHEUS_3,
        }
    }

    /// Each reference by name and version, e.g. `["prometheus 2.x", "promtool 3.x"]`.
    pub fn names(self) -> Vec<&'static str> {
        (0..4)
            .filter(|i| self.0 & (1 << i) != 0)
            .map(|i| Self::NAMES[i])
            .collect()
    }

    /// What a rejection means for the operator of a Prometheus `version`.
    pub(crate) fn consequence(self, version: PromVersion) -> String {
        let v = version.major();
        if self.contains(Refs::prometheus(version)) {
            return format!("Prometheus {v}.x would fail the whole scrape");
        }
        if self.is_empty() {
            return "lint only: Prometheus and promtool accept this".into();
        }
        let who = match self {
            Refs::PROMTOOL => "promtool".to_string(),
            _ => self.names().join(", "),
        };
        format!("{who} rejects this; Prometheus {v}.x accepts it")
    }
}

impl serde::Serialize for Refs {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.names())
    }
}

/// A parse error with its 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize)]
pub struct ParseError {
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// Who else rejects it; `[]`: both references accept the input, but
    /// it cannot be linted past this line.
    pub rejected_by: Refs,
}

impl ParseError {
    pub fn new(line: usize, column: usize, message: impl Into<String>) -> Self {
        Self {
            line,
            column,
            message: message.into(),
            rejected_by: Refs::ALL,
        }
    }

    /// The same error, rejected by other references than all four.
    pub fn rejected_by(mut self, by: Refs) -> Self {
        self.rejected_by = by;
        self
    }

    /// What it means for the operator of a Prometheus `version`.
    pub(crate) fn consequence(&self, version: PromVersion) -> String {
        if self.rejected_by.is_empty() {
            "promtool and Prometheus accept this, but it cannot be linted past this line".into()
        } else {
            self.rejected_by.consequence(version)
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.message
        )
    }
}

/// Metric types of both formats (`untyped` is the classic name of `unknown`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MetricType {
    Counter,
    Gauge,
    Histogram,
    GaugeHistogram,
    Summary,
    StateSet,
    Info,
    Unknown,
}

impl MetricType {
    pub fn parse(s: &str, format: Format) -> Option<Self> {
        Some(match (s, format) {
            ("counter", _) => Self::Counter,
            ("gauge", _) => Self::Gauge,
            ("histogram", _) => Self::Histogram,
            ("summary", _) => Self::Summary,
            ("untyped", Format::Text) | ("unknown", Format::OpenMetrics) => Self::Unknown,
            ("gaugehistogram", Format::OpenMetrics) => Self::GaugeHistogram,
            ("stateset", Format::OpenMetrics) => Self::StateSet,
            ("info", Format::OpenMetrics) => Self::Info,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Counter => "counter",
            Self::Gauge => "gauge",
            Self::Histogram => "histogram",
            Self::GaugeHistogram => "gaugehistogram",
            Self::Summary => "summary",
            Self::StateSet => "stateset",
            Self::Info => "info",
            Self::Unknown => "unknown",
        }
    }
}
