//! The family state machine over parsed lines: metadata placement, which
//! family a sample belongs to, grouping, ordering and per-type rules.
//!
//! OpenMetrics violations are parse errors (what the OpenMetrics reference
//! parser rejects). The classic format is lenient like Prometheus' scraper;
//! its histogram/summary inconsistencies are reported to the sink as
//! violations so the linter can flag them without failing the parse.

use std::collections::HashSet;
use std::hash::BuildHasher;

use super::line::{Label, SampleLine, parse_sample, unescape};
use super::{Format, MetricType, ParseError};

/// What a sample is within its family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SampleRole {
    Plain,
    Total,
    Created,
    Bucket,
    Count,
    Sum,
    GCount,
    GSum,
    Info,
}

/// A metric family as declared and seen so far.
#[derive(Debug, Clone)]
pub struct Family {
    pub name: String,
    pub kind: MetricType,
    pub help: Option<String>,
    pub unit: Option<String>,
    /// Whether a TYPE line declared it.
    pub typed: bool,
    pub line: usize,
    pub samples: usize,
    group: Option<Group>,
    finished_groups: HashSet<u64, Hasher>,
    last_series: Option<(u64, Option<f64>)>,
    name_hash: u64,
}

/// One label set's samples of a histogram or summary, checked as a unit.
#[derive(Debug, Clone)]
struct Group {
    key: u64,
    line: usize,
    buckets: usize,
    last_le: f64,
    last_bucket: f64,
    inf: Option<f64>,
    negative_bucket: bool,
    count: Option<f64>,
    sum: Option<f64>,
}

impl Group {
    fn new(key: u64, line: usize) -> Self {
        Self {
            key,
            line,
            buckets: 0,
            last_le: f64::NEG_INFINITY,
            last_bucket: 0.0,
            inf: None,
            negative_bucket: false,
            count: None,
            sum: None,
        }
    }
}

/// A line, lexed without any parser state.
#[derive(Debug)]
pub enum Lexed<'a> {
    Blank,
    /// A `#` line, leading blanks removed (classic format).
    Comment(&'a str),
    Sample(SampleLine<'a>),
}

/// A line this long or longer is refused (as it is read, so that it is
/// never buffered whole, and as it is lexed, so that every reader refuses
/// the same lines wherever its chunks end).
pub(crate) const MAX_LINE: usize = 16 << 20;

pub(crate) fn too_long(line: usize) -> ParseError {
    ParseError::new(
        line,
        1,
        format!("a line longer than {} MiB", MAX_LINE >> 20),
    )
}

/// Classify and lex one line. `hint` is the name the line most likely
/// starts with (the current family's), a speed-up only.
pub(crate) fn lex<'a>(
    text: &'a str,
    line_no: usize,
    format: Format,
    hint: &str,
    labels: &mut Vec<Label<'a>>,
    exemplar: &mut Vec<Label<'a>>,
) -> Result<Lexed<'a>, ParseError> {
    if text.len() >= MAX_LINE {
        return Err(too_long(line_no));
    }
    let om = format == Format::OpenMetrics;
    if text.is_empty() || (!om && text.bytes().all(|b| b == b' ' || b == b'\t')) {
        return Ok(Lexed::Blank);
    }
    let trimmed = if om {
        text
    } else {
        text.trim_start_matches([' ', '\t'])
    };
    if trimmed.starts_with('#') {
        return Ok(Lexed::Comment(trimmed));
    }
    if om && text.starts_with([' ', '\t']) {
        return Err(ParseError::new(
            line_no,
            1,
            "lines must not start with whitespace",
        ));
    }
    parse_sample(trimmed, line_no, om, hint, labels, exemplar).map(Lexed::Sample)
}

/// A sample, with the context a linter needs.
pub struct Sample<'s, 'a> {
    pub line: &'s SampleLine<'a>,
    pub labels: &'s [Label<'a>],
    /// Identifies the series (name and label set, order-independent).
    pub series_hash: u64,
    /// One hash per label pair, in `labels` order.
    pub label_hashes: &'s [u64],
    pub line_no: usize,
}

/// Receives what the parser finds.
pub trait Sink {
    fn sample(&mut self, family: &Family, sample: &Sample<'_, '_>);
    fn family_end(&mut self, family: &Family);
    /// A structural problem the classic format tolerates (e.g. buckets not
    /// cumulative), under the name of the check that found it.
    fn violation(
        &mut self,
        check: &'static str,
        family: &str,
        line: usize,
        message: String,
        refs: super::Refs,
    );
    /// Something both promtool and Prometheus accept but that is worth a
    /// warning (e.g. HELP after the samples).
    fn tolerated(&mut self, family: &str, line: usize, message: String);
}

type Hasher = foldhash::fast::FixedState;

fn hasher() -> Hasher {
    foldhash::fast::FixedState::with_seed(0x9e37_79b9_7f4a_7c15)
}

/// The hash of one label pair, as series identity and cardinality use it.
pub(crate) fn label_hash(l: &Label<'_>) -> u64 {
    hasher().hash_one((l.name, l.raw_value))
}

pub struct Parser {
    format: Format,
    label_hashes: Vec<u64>,
    current: Option<Family>,
    /// Names (families and their sample names) of finished families.
    taken: HashSet<String>,
    eof: bool,
    hash: Hasher,
    /// When parsing a later part of an input on its own
    /// ([`super::split`]): the names it counted as new families, one per
    /// line (no name holds a newline), which [`Parser::absorb`] checks
    /// against the earlier parts' names.
    counted: Option<String>,
    /// The names taken in the parts absorbed after this one's, kept
    /// apart (merging the sets would rehash them at the peak).
    absorbed: Vec<HashSet<String>>,
    pub families: usize,
    pub samples: usize,
}

/// Sample name suffixes a family of `kind` may use, in `format`.
fn suffixes(kind: MetricType, format: Format) -> &'static [(&'static str, SampleRole)] {
    use SampleRole::*;
    match (kind, format) {
        (MetricType::Counter, Format::OpenMetrics) => &[("_total", Total), ("_created", Created)],
        (MetricType::Histogram, Format::OpenMetrics) => &[
            ("_bucket", Bucket),
            ("_count", Count),
            ("_sum", Sum),
            ("_created", Created),
        ],
        (MetricType::Histogram, Format::Text) => {
            &[("_bucket", Bucket), ("_count", Count), ("_sum", Sum)]
        }
        (MetricType::GaugeHistogram, _) => {
            &[("_bucket", Bucket), ("_gcount", GCount), ("_gsum", GSum)]
        }
        (MetricType::Summary, Format::OpenMetrics) => &[
            ("", Plain),
            ("_count", Count),
            ("_sum", Sum),
            ("_created", Created),
        ],
        (MetricType::Summary, Format::Text) => &[("", Plain), ("_count", Count), ("_sum", Sum)],
        (MetricType::Info, _) => &[("_info", Info)],
        _ => &[("", Plain)],
    }
}

fn role_of(family: &Family, name: &str, format: Format) -> Option<SampleRole> {
    let rest = name.strip_prefix(family.name.as_str())?;
    suffixes(family.kind, format)
        .iter()
        .find(|(s, _)| super::line::same_name(s, rest))
        .map(|(_, r)| *r)
}

/// The label that distinguishes samples inside one group.
fn group_label(kind: MetricType, family: &str) -> Option<&str> {
    match kind {
        MetricType::Histogram | MetricType::GaugeHistogram => Some("le"),
        MetricType::Summary => Some("quantile"),
        MetricType::StateSet => Some(family),
        _ => None,
    }
}

/// Go's strconv.ParseFloat for `le`/`quantile` values, as the classic
/// parsers read them.
fn parse_bound(s: &str, format: Format) -> Option<f64> {
    if format == Format::OpenMetrics && s.eq_ignore_ascii_case("+inf") && s != "+Inf" {
        return None;
    }
    super::number::parse_value(s.as_bytes())
}

impl Parser {
    pub fn new(format: Format) -> Self {
        Self {
            format,
            label_hashes: Vec::with_capacity(16),
            current: None,
            taken: HashSet::new(),
            eof: false,
            hash: hasher(),
            counted: None,
            absorbed: Vec::new(),
            families: 0,
            samples: 0,
        }
    }

    /// A parser for one part of an input parsed in parts.
    pub(crate) fn for_part(format: Format) -> Self {
        Self {
            counted: Some(String::new()),
            ..Self::new(format)
        }
    }

    /// Whether any line so far declared or began a family.
    pub(crate) fn started_a_family(&self) -> bool {
        self.current.is_some() || !self.taken.is_empty()
    }

    /// Add the counts of the part parsed after this one's: a family it
    /// counted as new is not new when an earlier part already had it.
    pub(crate) fn absorb(&mut self, later: Parser) {
        let counted = later.counted.unwrap_or_default();
        let taken_before = |name: &str| {
            self.taken.contains(name) || self.absorbed.iter().any(|t| t.contains(name))
        };
        self.families += counted
            .split_terminator('\n')
            .filter(|n| !taken_before(n))
            .count();
        self.samples += later.samples;
        self.absorbed.push(later.taken);
        self.absorbed.extend(later.absorbed);
    }

    pub fn format(&self) -> Format {
        self.format
    }

    fn om(&self) -> bool {
        self.format == Format::OpenMetrics
    }

    /// Feed one line (without its newline). `labels` and `exemplar` are
    /// scratch buffers the caller keeps, so no line allocates.
    pub fn line<'a>(
        &mut self,
        text: &'a str,
        line_no: usize,
        labels: &mut Vec<Label<'a>>,
        exemplar: &mut Vec<Label<'a>>,
        sink: &mut impl Sink,
    ) -> Result<(), ParseError> {
        let hint = self.current.as_ref().map_or("", |f| f.name.as_str());
        let lexed = lex(text, line_no, self.format, hint, labels, exemplar);
        self.apply(lexed, labels, None, line_no, sink)
    }

    /// Apply a line lexed by `lex` (possibly on another thread, which may
    /// also have computed the `label_hash`es).
    pub fn apply(
        &mut self,
        lexed: Result<Lexed<'_>, ParseError>,
        labels: &[Label<'_>],
        hashes: Option<&[u64]>,
        line_no: usize,
        sink: &mut impl Sink,
    ) -> Result<(), ParseError> {
        let om = self.om();
        self.apply_line(lexed, labels, hashes, line_no, sink)
            .map_err(|e| openmetrics_scope(om, e))
    }

    fn apply_line(
        &mut self,
        lexed: Result<Lexed<'_>, ParseError>,
        labels: &[Label<'_>],
        hashes: Option<&[u64]>,
        line_no: usize,
        sink: &mut impl Sink,
    ) -> Result<(), ParseError> {
        if self.eof {
            return Err(ParseError::new(line_no, 1, "text after '# EOF'"));
        }
        match lexed? {
            Lexed::Blank if self.om() => Err(ParseError::new(
                line_no,
                1,
                "blank lines are not allowed in OpenMetrics",
            )),
            Lexed::Blank => Ok(()),
            Lexed::Comment(text) => self.comment(text, line_no, sink),
            Lexed::Sample(sample) => self.sample(&sample, labels, hashes, line_no, sink),
        }
    }

    /// Call after the last line.
    pub fn finish(&mut self, last_line: usize, sink: &mut impl Sink) -> Result<(), ParseError> {
        let om = self.om();
        self.close_family(sink)
            .map_err(|e| openmetrics_scope(om, e))?;
        if om && !self.eof {
            return Err(
                ParseError::new(last_line.max(1), 1, "missing '# EOF' at the end")
                    .rejected_by(super::Refs::PROMETHEUS),
            );
        }
        Ok(())
    }

    fn comment(
        &mut self,
        text: &str,
        line_no: usize,
        sink: &mut impl Sink,
    ) -> Result<(), ParseError> {
        let err = |col: usize, msg: String| ParseError::new(line_no, col, msg);
        if self.om() {
            if text == "# EOF" {
                self.eof = true;
                return Ok(());
            }
            let Some(rest) = text.strip_prefix("# ") else {
                return Err(err(
                    1,
                    "comments are not allowed in OpenMetrics (only HELP, TYPE, UNIT, EOF)".into(),
                ));
            };
            let (keyword, rest) = rest
                .split_once(' ')
                .ok_or_else(|| err(3, format!("incomplete metadata line '{text}'")))?;
            if !matches!(keyword, "HELP" | "TYPE" | "UNIT") {
                return Err(err(
                    3,
                    format!(
                        "unknown metadata '{keyword}'; OpenMetrics allows HELP, TYPE, UNIT and EOF"
                    ),
                ));
            }
            let Some((name, name_len)) = metadata_name(rest, line_no, sink) else {
                return Err(err(3 + keyword.len() + 1, "expected a metric name".into()));
            };
            let value = rest[name_len..].strip_prefix(' ').ok_or_else(|| {
                err(
                    3 + keyword.len() + 1 + name_len,
                    format!("expected a space and the {keyword} value after '{name}'"),
                )
            })?;
            return self.metadata(keyword, name, value, line_no, sink);
        }
        // Classic format: `# HELP name text`, `# TYPE name type`; any other
        // comment is ignored, as Prometheus does.
        let body = text[1..].trim_start_matches([' ', '\t']);
        let (keyword, rest) = match body.split_once([' ', '\t']) {
            Some((k, r)) => (k, r),
            None => (body, ""),
        };
        if keyword != "HELP" && keyword != "TYPE" {
            return Ok(());
        }
        let rest = rest.trim_start_matches([' ', '\t']);
        let Some((name, name_len)) = metadata_name(rest, line_no, sink) else {
            return Err(err(
                1,
                format!("{keyword} line without a valid metric name"),
            ));
        };
        let after = &rest[name_len..];
        if !after.is_empty() && !after.starts_with([' ', '\t']) {
            return Err(err(1, format!("invalid metric name in {keyword} line")));
        }
        let value = after.strip_prefix([' ', '\t']).unwrap_or(after);
        let value = if keyword == "TYPE" {
            value.trim_matches([' ', '\t'])
        } else {
            value
        };
        self.metadata(keyword, name, value, line_no, sink)
    }

    fn metadata(
        &mut self,
        keyword: &str,
        name: &str,
        value: &str,
        line_no: usize,
        sink: &mut impl Sink,
    ) -> Result<(), ParseError> {
        let om = self.om();
        let err = |msg: String| ParseError::new(line_no, 1, msg);
        if self.current.as_ref().is_none_or(|f| f.name != name) {
            self.open_family(name, line_no, sink)?;
        }
        let format = self.format;
        let fam = self.current.as_mut().expect("open_family sets current");
        // Classic format: Prometheus' scraper accepts repeated or late
        // metadata and unknown escapes in HELP; Go's expfmt (promtool) does not.
        let promtool_only = |msg: String| {
            let e = err(msg);
            if om {
                e
            } else {
                e.rejected_by(super::Refs::PROMTOOL)
            }
        };
        if fam.samples > 0 {
            if !om && keyword == "HELP" && fam.help.is_none() {
                // Both references accept a first HELP after the samples.
                sink.tolerated(
                    name,
                    line_no,
                    format!("HELP for '{name}' after its samples"),
                );
                fam.help = Some(unescape(value).into_owned());
                return Ok(());
            }
            return Err(promtool_only(format!(
                "{keyword} for '{name}' after its samples"
            )));
        }
        match keyword {
            "HELP" => {
                if fam.help.is_some() {
                    return Err(promtool_only(format!("second HELP line for '{name}'")));
                }
                if !om {
                    // Go's expfmt knows only \\ and \n in HELP text.
                    let mut chars = value.chars();
                    while let Some(c) = chars.next() {
                        if c == '\\' && !matches!(chars.next(), Some('\\' | 'n')) {
                            return Err(promtool_only(format!(
                                "invalid escape sequence in HELP for '{name}'"
                            )));
                        }
                    }
                }
                fam.help = Some(unescape(value).into_owned());
            }
            "TYPE" => {
                if fam.typed {
                    return Err(promtool_only(format!("second TYPE line for '{name}'")));
                }
                let kind = MetricType::parse(value, format).ok_or_else(|| {
                    // promtool reads an unknown type as untyped.
                    err(format!("unknown metric type '{value}' for '{name}'"))
                        .rejected_by(super::Refs::PROMETHEUS)
                })?;
                fam.kind = kind;
                fam.typed = true;
                if om {
                    if fam.unit.as_deref().is_some_and(|u| !u.is_empty())
                        && matches!(kind, MetricType::Info | MetricType::StateSet)
                    {
                        return Err(err(format!("{} metrics cannot have a unit", kind.name())));
                    }
                    self.check_clash(line_no)?;
                }
            }
            "UNIT" => {
                if fam.unit.is_some() {
                    return Err(err(format!("second UNIT line for '{name}'")));
                }
                if !value.is_empty() {
                    if !name.ends_with(&format!("_{value}")) {
                        return Err(err(format!(
                            "metric name '{name}' must end with its unit '_{value}'"
                        )));
                    }
                    if matches!(fam.kind, MetricType::Info | MetricType::StateSet) {
                        return Err(err(format!(
                            "{} metrics cannot have a unit",
                            fam.kind.name()
                        )));
                    }
                }
                fam.unit = Some(value.to_string());
            }
            _ => unreachable!("keywords are checked by the caller"),
        }
        Ok(())
    }

    /// OpenMetrics: a family's name and sample names must not clash with
    /// earlier families'.
    fn check_clash(&self, line_no: usize) -> Result<(), ParseError> {
        let Some(fam) = &self.current else {
            return Ok(());
        };
        let mut names = vec![fam.name.clone()];
        names.extend(
            suffixes(fam.kind, self.format)
                .iter()
                .map(|(s, _)| format!("{}{s}", fam.name)),
        );
        match names.iter().find(|n| self.taken.contains(*n)) {
            Some(n) => Err(ParseError::new(
                line_no,
                1,
                format!(
                    "metric family '{}' clashes with an earlier family over the name '{n}' (families must not repeat)",
                    fam.name
                ),
            )),
            None => Ok(()),
        }
    }

    fn open_family(
        &mut self,
        name: &str,
        line_no: usize,
        sink: &mut impl Sink,
    ) -> Result<(), ParseError> {
        self.close_family(sink)?;
        self.current = Some(Family {
            name: name.to_string(),
            kind: MetricType::Unknown,
            help: None,
            unit: None,
            typed: false,
            line: line_no,
            samples: 0,
            group: None,
            finished_groups: HashSet::with_hasher(self.hash),
            last_series: None,
            name_hash: self.hash.hash_one(name),
        });
        if self.om() {
            self.check_clash(line_no)?;
        }
        if !self.taken.contains(name) {
            self.families += 1;
            if let Some(counted) = &mut self.counted {
                counted.push_str(name);
                counted.push('\n');
            }
        }
        Ok(())
    }

    fn close_family(&mut self, sink: &mut impl Sink) -> Result<(), ParseError> {
        let Some(mut fam) = self.current.take() else {
            return Ok(());
        };
        if let Some(group) = fam.group.take() {
            end_group(self.format, &fam, &group, sink)?;
        }
        self.taken.insert(fam.name.clone());
        self.taken.extend(
            suffixes(fam.kind, self.format)
                .iter()
                .map(|(s, _)| format!("{}{s}", fam.name)),
        );
        sink.family_end(&fam);
        Ok(())
    }
}

/// The metric name a HELP/TYPE/UNIT line starts with, plain or quoted
/// (Prometheus 3; reported to the sink as such), and its length as written.
fn metadata_name<'a>(
    rest: &'a str,
    line_no: usize,
    sink: &mut impl Sink,
) -> Option<(&'a str, usize)> {
    if let Some((raw, len)) = super::line::quoted_name(rest) {
        if raw.is_empty() {
            return None;
        }
        let mut quoted = super::line::Quoted::default();
        quoted.note_metric(raw);
        quoted_names(sink, raw, line_no, quoted);
        return Some((raw, len));
    }
    let len = super::line::metric_name_len(rest.as_bytes());
    (len > 0).then(|| (&rest[..len], len))
}

/// Quoted names are Prometheus 3's; 2.x and promtool refuse them.
fn quoted_names(sink: &mut impl Sink, family: &str, line_no: usize, quoted: super::line::Quoted) {
    sink.violation(
        "names",
        family,
        line_no,
        "quoted metric or label names (the UTF-8 syntax of Prometheus 3)".into(),
        quoted.refs(),
    );
}

/// promtool reads every input as the classic format, so what the
/// OpenMetrics grammar refuses is a matter for the scrapers alone.
fn openmetrics_scope(om: bool, e: ParseError) -> ParseError {
    if om {
        let refs = e.rejected_by.and(super::Refs::PROMETHEUS);
        e.rejected_by(refs)
    } else {
        e
    }
}

/// OpenMetrics: an error. Classic format: a violation for the linter.
fn problem(
    format: Format,
    family: &str,
    line: usize,
    message: String,
    refs: super::Refs,
    sink: &mut impl Sink,
) -> Result<(), ParseError> {
    if format == Format::OpenMetrics {
        Err(ParseError::new(line, 1, message))
    } else {
        sink.violation("histogram", family, line, message, refs);
        Ok(())
    }
}

fn end_group(
    format: Format,
    fam: &Family,
    g: &Group,
    sink: &mut impl Sink,
) -> Result<(), ParseError> {
    let om = format == Format::OpenMetrics;
    let name = fam.name.as_str();
    match fam.kind {
        MetricType::Histogram | MetricType::GaugeHistogram => {
            let gauge = fam.kind == MetricType::GaugeHistogram;
            let (count, sum) = if gauge {
                ("_gcount", "_gsum")
            } else {
                ("_count", "_sum")
            };
            if g.buckets == 0 {
                return problem(
                    format,
                    name,
                    g.line,
                    format!("histogram '{name}' has no buckets"),
                    super::Refs::NONE,
                    sink,
                );
            }
            let Some(inf) = g.inf else {
                return problem(
                    format,
                    name,
                    g.line,
                    format!("histogram '{name}' has no le=\"+Inf\" bucket"),
                    super::Refs::NONE,
                    sink,
                );
            };
            if let Some(c) = g.count
                && c != inf
            {
                return problem(
                    format,
                    name,
                    g.line,
                    format!("{name}{count} {c} differs from the +Inf bucket {inf}"),
                    super::Refs::NONE,
                    sink,
                );
            }
            if om {
                if g.count.is_some() != g.sum.is_some() {
                    return problem(
                        format,
                        name,
                        g.line,
                        format!("'{name}' has one of {count} and {sum} without the other"),
                        super::Refs::NONE,
                        sink,
                    );
                }
                if !gauge && g.negative_bucket && g.sum.is_some() {
                    return problem(
                        format,
                        name,
                        g.line,
                        format!(
                            "histogram '{name}' has negative buckets, so it must not have {sum}"
                        ),
                        super::Refs::NONE,
                        sink,
                    );
                }
                if gauge && !g.negative_bucket && g.sum.is_some_and(|s| s < 0.0) {
                    return problem(
                        format,
                        name,
                        g.line,
                        format!("{name}{sum} is negative without negative buckets"),
                        super::Refs::NONE,
                        sink,
                    );
                }
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

impl Parser {
    fn sample(
        &mut self,
        s: &SampleLine<'_>,
        labels: &[Label<'_>],
        hashes: Option<&[u64]>,
        line_no: usize,
        sink: &mut impl Sink,
    ) -> Result<(), ParseError> {
        if s.quoted.used {
            quoted_names(sink, s.name, line_no, s.quoted);
        }
        let format = self.format;
        let role = match self
            .current
            .as_ref()
            .and_then(|f| role_of(f, s.name, format))
        {
            Some(r) => r,
            // `# TYPE a_total counter` with samples `a_total`: OpenMetrics
            // names the family without the suffix, but Prometheus (2.x and
            // 3.x) scrapes this as the counter it means.
            None if self.om()
                && self.current.as_ref().is_some_and(|f| {
                    f.kind == MetricType::Counter && f.name == s.name && f.name.ends_with("_total")
                }) =>
            {
                sink.tolerated(
                    s.name,
                    line_no,
                    format!(
                        "counter family '{}' is named with its _total suffix; OpenMetrics names it '{}' (Prometheus accepts both)",
                        s.name,
                        s.name.trim_end_matches("_total")
                    ),
                );
                SampleRole::Total
            }
            None => {
                if self.om() && self.taken.contains(s.name) {
                    return Err(ParseError::new(
                        line_no,
                        1,
                        format!(
                            "samples of '{}' are not together: its family appeared earlier",
                            s.name
                        ),
                    ));
                }
                self.open_family(s.name, line_no, sink)?;
                SampleRole::Plain
            }
        };
        self.samples += 1;
        self.check_sample(s, labels, hashes, role, line_no, sink)
    }

    fn check_sample(
        &mut self,
        s: &SampleLine<'_>,
        labels: &[Label<'_>],
        hashes: Option<&[u64]>,
        role: SampleRole,
        line_no: usize,
        sink: &mut impl Sink,
    ) -> Result<(), ParseError> {
        let om = self.om();
        let format = self.format;
        let mut label_hashes = std::mem::take(&mut self.label_hashes);
        let Some(fam) = self.current.as_mut() else {
            return Ok(());
        };
        fam.samples += 1;
        let err = |msg: String| ParseError::new(line_no, 1, msg);
        let special = group_label(fam.kind, &fam.name);
        let mut group_key: u64 = 0;
        // Series identity: family, sample role, and the label set in any order.
        let mut series_hash = fam
            .name_hash
            .wrapping_add((role as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let mut special_value = None;
        label_hashes.clear();
        match hashes {
            Some(h) => label_hashes.extend_from_slice(h),
            None => label_hashes.extend(labels.iter().map(label_hash)),
        }
        for (l, &h) in labels.iter().zip(&label_hashes) {
            series_hash = series_hash.wrapping_add(h);
            if special.is_some_and(|name| super::line::same_name(name, l.name)) {
                special_value = Some(l);
            } else {
                group_key = group_key.wrapping_add(h);
            }
        }
        if om {
            if s.exemplar.is_some() && !matches!(role, SampleRole::Total | SampleRole::Bucket) {
                return Err(err(format!(
                    "exemplars are only allowed on counter _total and histogram _bucket samples, not on '{}'",
                    s.name
                )));
            }
            check_sequence(fam, s, series_hash).map_err(err)?;
            check_om_values(fam, s, role, special_value, labels).map_err(err)?;
        }
        let grouped = om || matches!(fam.kind, MetricType::Histogram | MetricType::GaugeHistogram);
        if grouped && fam.group.as_ref().is_none_or(|g| g.key != group_key) {
            if let Some(old) = fam.group.take() {
                end_group(format, fam, &old, sink)?;
                if om {
                    fam.finished_groups.insert(old.key);
                }
            }
            if om && fam.finished_groups.contains(&group_key) {
                return Err(err(format!(
                    "samples of '{}' with the same labels are not together",
                    s.name
                )));
            }
            fam.group = Some(Group::new(group_key, line_no));
        }
        let name = fam.name.as_str();
        if let Some(g) = fam.group.as_mut() {
            let step = GroupStep {
                role,
                special: special_value,
                sample: s,
                family: name,
                format,
                line_no,
            };
            if track(g, &step, sink)? == Tracked::Skip {
                return Ok(());
            }
        }
        if !om
            && fam.kind == MetricType::Summary
            && role == SampleRole::Plain
            && let Some(q) = special_value
        {
            let text = q.value();
            if parse_bound(&text, self.format).is_none() {
                sink.violation(
                    "summary",
                    name,
                    line_no,
                    format!("quantile=\"{text}\" is not a number"),
                    super::Refs::PROMTOOL,
                );
            }
        }
        sink.sample(
            fam,
            &Sample {
                line: s,
                labels,
                series_hash,
                label_hashes: &label_hashes,
                line_no,
            },
        );
        self.label_hashes = label_hashes;
        Ok(())
    }
}

/// OpenMetrics: consecutive samples of one series carry timestamps, and
/// they do not go back.
fn check_sequence(fam: &mut Family, s: &SampleLine<'_>, series_hash: u64) -> Result<(), String> {
    if let Some((last, last_ts)) = fam.last_series
        && last == series_hash
    {
        match (last_ts, s.timestamp) {
            (Some(a), Some(b)) if b < a => {
                return Err(format!("timestamps of '{}' go backwards", s.name));
            }
            (Some(_), Some(_)) => {}
            _ => {
                return Err(format!("series '{}' repeats without timestamps", s.name));
            }
        }
    }
    fam.last_series = Some((series_hash, s.timestamp));
    Ok(())
}

/// One sample of a histogram group (or any OpenMetrics group), as the
/// group tracker sees it.
struct GroupStep<'s, 'a> {
    role: SampleRole,
    /// The `le` label, for buckets.
    special: Option<&'s Label<'a>>,
    sample: &'s SampleLine<'a>,
    family: &'s str,
    format: Format,
    line_no: usize,
}

/// Whether a sample goes on to the sink after group tracking.
#[derive(Debug, PartialEq, Eq)]
enum Tracked {
    Sample,
    /// A tolerated problem was reported; the sample is not counted further.
    Skip,
}

/// Buckets in increasing `le` order and cumulative, `_count` and `_sum`
/// recorded for the group's end checks. Classic format: problems go to the
/// linter; OpenMetrics: they are errors.
fn track(
    g: &mut Group,
    step: &GroupStep<'_, '_>,
    sink: &mut impl Sink,
) -> Result<Tracked, ParseError> {
    let (s, name, line_no, format) = (step.sample, step.family, step.line_no, step.format);
    let om = format == Format::OpenMetrics;
    // Classic-format problems no reference rejects, but for `le` values
    // (Go's expfmt, promtool, insists on numbers).
    let mut tolerate =
        |msg: String, refs| problem(format, name, line_no, msg, refs, sink).map(|()| Tracked::Skip);
    match step.role {
        SampleRole::Bucket => {
            let Some(le) = step.special else {
                return tolerate(
                    format!("bucket '{}' has no le label", s.name),
                    super::Refs::NONE,
                );
            };
            let le_text = le.value();
            let Some(bound) = parse_bound(&le_text, format) else {
                return tolerate(
                    format!("le=\"{le_text}\" is not a number"),
                    super::Refs::PROMTOOL,
                );
            };
            if om && (g.count.is_some() || g.sum.is_some()) {
                return Err(ParseError::new(
                    line_no,
                    1,
                    format!("bucket of '{name}' after its count or sum"),
                ));
            }
            if bound <= g.last_le && g.buckets > 0 {
                g.last_le = bound;
                return tolerate(
                    format!(
                        "buckets of '{name}' are not in increasing le order (le=\"{le_text}\")"
                    ),
                    super::Refs::NONE,
                );
            }
            if s.value < g.last_bucket && g.buckets > 0 {
                let msg = format!(
                    "buckets of '{name}' are not cumulative: le=\"{le_text}\" is {} after {}",
                    s.value, g.last_bucket
                );
                g.last_bucket = s.value;
                return tolerate(msg, super::Refs::NONE);
            }
            g.buckets += 1;
            g.last_le = bound;
            g.last_bucket = s.value;
            g.negative_bucket |= bound < 0.0;
            if bound == f64::INFINITY {
                g.inf = Some(s.value);
            }
        }
        SampleRole::Count | SampleRole::GCount => g.count = Some(s.value),
        SampleRole::Sum | SampleRole::GSum => g.sum = Some(s.value),
        _ => {}
    }
    Ok(Tracked::Sample)
}

/// OpenMetrics value rules per metric type.
fn check_om_values(
    fam: &Family,
    s: &SampleLine<'_>,
    role: SampleRole,
    special: Option<&Label<'_>>,
    labels: &[Label<'_>],
) -> Result<(), String> {
    let v = s.value;
    let non_negative = || {
        if v.is_nan() || v < 0.0 {
            Err(format!(
                "'{}' must be a non-negative number, not {v}",
                s.name
            ))
        } else {
            Ok(())
        }
    };
    match (fam.kind, role) {
        (MetricType::Counter, SampleRole::Total) => non_negative(),
        (
            MetricType::Histogram | MetricType::GaugeHistogram,
            SampleRole::Bucket | SampleRole::Count | SampleRole::GCount,
        ) => non_negative(),
        (MetricType::Histogram, SampleRole::Sum) if v.is_nan() => {
            Err(format!("'{}' must not be NaN", s.name))
        }
        (MetricType::Histogram, SampleRole::Sum) if v < 0.0 => Err(format!(
            "'{}' must not be negative (it would need negative buckets, which forbid _sum)",
            s.name
        )),
        (MetricType::GaugeHistogram, SampleRole::GSum) if v.is_nan() => {
            Err(format!("'{}' must not be NaN", s.name))
        }
        (MetricType::Summary, SampleRole::Count | SampleRole::Sum) => non_negative(),
        (MetricType::Summary, SampleRole::Plain) => {
            let q = special
                .ok_or_else(|| format!("summary sample '{}' needs a quantile label", s.name))?;
            let qv = q.value();
            match super::number::parse_value(qv.as_bytes()) {
                Some(x) if (0.0..=1.0).contains(&x) => {}
                _ => return Err(format!("quantile=\"{qv}\" must be a number from 0 to 1")),
            }
            if v < 0.0 {
                return Err(format!(
                    "quantile values of '{}' must not be negative",
                    s.name
                ));
            }
            Ok(())
        }
        (MetricType::StateSet, _) => {
            if !labels.iter().any(|l| l.name == fam.name) {
                return Err(format!(
                    "stateset sample '{}' needs a label named '{}'",
                    s.name, fam.name
                ));
            }
            if v != 0.0 && v != 1.0 {
                return Err(format!("stateset values must be 0 or 1, not {v}"));
            }
            Ok(())
        }
        (MetricType::Info, _) if v != 1.0 => Err(format!("info values must be 1, not {v}")),
        _ => Ok(()),
    }
}
