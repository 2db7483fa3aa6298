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
pub mod stream;

use std::fmt;

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
    pub fn from_content_type(ct: &str) -> Self {
        if ct.trim_start().starts_with("application/openmetrics-text") {
            Format::OpenMetrics
        } else {
            Format::Text
        }
    }

    /// Guess from the content: OpenMetrics ends with `# EOF`.
    pub fn sniff(head: &[u8], tail: &[u8]) -> Self {
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

/// Which reference rejects an input our parser refuses. Measured against
/// promtool check metrics and Prometheus 2.42's scraper (README lists each
/// case of the classic format).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RejectedBy {
    /// Prometheus fails the whole scrape (and promtool usually rejects too).
    Prometheus,
    /// promtool rejects it; Prometheus' scraper accepts it.
    Promtool,
    /// Both accept it; we cannot parse past it.
    Neither,
}

impl RejectedBy {
    /// What this means for the operator, in one phrase.
    pub fn consequence(self) -> &'static str {
        match self {
            RejectedBy::Prometheus => "Prometheus would fail the whole scrape",
            RejectedBy::Promtool => "promtool rejects this; Prometheus accepts it",
            RejectedBy::Neither => {
                "promtool and Prometheus accept this, but it cannot be linted past this line"
            }
        }
    }
}

/// A parse error with its 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize)]
pub struct ParseError {
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub rejected_by: RejectedBy,
}

impl ParseError {
    pub fn new(line: usize, column: usize, message: impl Into<String>) -> Self {
        Self {
            line,
            column,
            message: message.into(),
            rejected_by: RejectedBy::Prometheus,
        }
    }

    /// The same error, rejected by someone else than Prometheus.
    pub fn rejected_by(mut self, by: RejectedBy) -> Self {
        self.rejected_by = by;
        self
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
