//! The linter: promtool's checks (with promtool's own wording), histogram
//! consistency, expected name prefixes, duplicate series and cardinality.
//! It is a [`Sink`], so it runs in the same single pass as the parser.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::BuildHasher;

use serde::{Deserialize, Serialize};

use super::parser::{Family, Sample, Sink};
use super::{Format, MetricType, Refs};
use crate::version::PromVersion;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub severity: Severity,
    /// Short name of the check, e.g. `help`, `units`, `duplicate`.
    pub check: std::borrow::Cow<'static, str>,
    pub metric: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// For problems of the input itself: the references that reject it
    /// (`[]`: lint only). Absent for advice and for budgets set by flags.
    #[serde(default, skip_serializing_if = "Option::is_none", skip_deserializing)]
    pub rejected_by: Option<Refs>,
}

#[derive(Debug, Clone, Default)]
pub struct LintOptions {
    /// Families should start with one of these (or be in `known`).
    pub prefixes: Vec<String>,
    /// Families that are fine whatever their prefix (the catalogue).
    pub known: HashSet<String>,
    pub max_series: Option<usize>,
    pub max_family_series: Option<usize>,
    /// How many labels per family to report by distinct values.
    pub top_labels: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LabelCardinality {
    pub label: String,
    pub distinct_values: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FamilyStats {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: MetricType,
    pub samples: usize,
    pub series: usize,
    pub top_labels: Vec<LabelCardinality>,
    #[serde(skip, default)]
    pub first_line: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct LintReport {
    pub findings: Vec<Finding>,
    /// Findings not kept because one check produced too many.
    pub suppressed: usize,
    pub series: usize,
    /// Per family: samples, series and the labels with most distinct values.
    #[serde(rename = "cardinality")]
    pub families: Families,
}

/// The families of an input, in line order, kept as the parts that found
/// them: joining the parts' lists into one would copy them all while both
/// are held (2,000,000 families: about 200 MiB more at the peak).
#[derive(Debug, Clone, Default)]
pub struct Families(Vec<Vec<FamilyStats>>);

impl Families {
    pub fn iter(&self) -> impl Iterator<Item = &FamilyStats> {
        self.0.iter().flatten()
    }

    fn iter_mut(&mut self) -> impl Iterator<Item = &mut FamilyStats> {
        self.0.iter_mut().flatten()
    }

    pub fn len(&self) -> usize {
        self.0.iter().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.0.iter().all(Vec::is_empty)
    }

    fn push(&mut self, f: FamilyStats) {
        match self.0.last_mut() {
            Some(last) => last.push(f),
            None => self.0.push(vec![f]),
        }
    }

    /// The later part's families after these, their lines moved past
    /// `lines`; nothing is copied.
    fn append(&mut self, later: Families, lines: usize) {
        let mut later = later;
        for f in later.iter_mut() {
            f.first_line += lines;
        }
        self.0.extend(later.0.into_iter().filter(|c| !c.is_empty()));
    }

    /// The family whose lines hold `line`: the last one starting at or
    /// before it.
    fn at_line(&mut self, line: usize) -> Option<&mut FamilyStats> {
        let chunk = self
            .0
            .iter_mut()
            .filter(|c| c.first().is_some_and(|f| f.first_line <= line))
            .last()?;
        let i = chunk.partition_point(|f| f.first_line <= line);
        chunk.get_mut(i.saturating_sub(1))
    }

    pub fn into_vec(self) -> Vec<FamilyStats> {
        self.0.into_iter().flatten().collect()
    }
}

impl Serialize for Families {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl LintReport {
    pub fn errors(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count()
    }

    pub fn warnings(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Warning)
            .count()
    }
}

/// Every series key with its line, kept in 256 buckets by the key's top
/// byte. Appending is sequential and cheap; duplicates are found at the end
/// one cache-sized bucket at a time. A single table of all keys would cost a
/// cache miss per sample (measured: 40% of lint time on 640,000 series).
struct SeriesLog {
    /// Per bucket: keys, and the line of each (parallel vectors: 12 bytes a series).
    keys: Buckets,
    /// The logs of the parts of the input parsed after this one's, each
    /// with the lines before it, kept as they are (not copied into `keys`).
    later: Vec<(u32, Buckets)>,
    len: usize,
}

type Buckets = Vec<(Vec<u64>, Vec<u32>)>;

/// Above this many series, the buckets are searched on two threads.
const PARALLEL_SERIES: usize = 50_000;

impl SeriesLog {
    /// Empty: it grows with what is read, never with what a file's size
    /// claims (a sparse 1 PiB file must not reserve memory).
    fn new() -> Self {
        Self {
            keys: (0..256).map(|_| (Vec::new(), Vec::new())).collect(),
            later: Vec::new(),
            len: 0,
        }
    }

    fn push(&mut self, key: u64, line: usize) {
        let (keys, lines) = &mut self.keys[(key >> 56) as usize];
        keys.push(key);
        lines.push(line as u32);
        self.len += 1;
    }

    /// Add a later part's log, its lines moved past `lines` lines.
    fn append(&mut self, later: SeriesLog, lines: usize) {
        let shift = lines as u32;
        self.later.push((shift, later.keys));
        self.later
            .extend(later.later.into_iter().map(|(s, b)| (s + shift, b)));
        self.len += later.len;
    }

    /// Lines of samples whose series appeared earlier, in line order.
    fn duplicates(&self) -> Vec<usize> {
        let mut out = if self.len > PARALLEL_SERIES {
            std::thread::scope(|scope| {
                let upper = scope.spawn(|| self.duplicates_in(128..256));
                let mut out = self.duplicates_in(0..128);
                // A panic there is a bug: it goes on here, as in one thread.
                out.extend(
                    upper
                        .join()
                        .unwrap_or_else(|e| std::panic::resume_unwind(e)),
                );
                out
            })
        } else {
            self.duplicates_in(0..256)
        };
        out.sort_unstable();
        out
    }

    fn duplicates_in(&self, buckets: std::ops::Range<usize>) -> Vec<usize> {
        let mut seen = KeySet::new();
        let mut out = Vec::new();
        let parts =
            || std::iter::once((0, &self.keys)).chain(self.later.iter().map(|(s, b)| (*s, b)));
        for b in buckets {
            seen.reset(parts().map(|(_, p)| p[b].0.len()).sum());
            for (shift, part) in parts() {
                let (keys, lines) = &part[b];
                out.extend(
                    keys.iter()
                        .zip(lines)
                        .filter(|(k, _)| !seen.insert(**k))
                        .map(|(_, l)| (l + shift) as usize),
                );
            }
        }
        out
    }
}

/// A set of series keys (already hashes), open addressing at most half
/// full: no second hashing and no per-entry metadata. The slot comes from
/// the key times a random odd number, so keys made to collide in some
/// bits cannot be prepared in advance.
struct KeySet {
    slots: Vec<u64>,
    /// The key 0 marks an empty slot, so it is kept apart.
    zero: bool,
    shift: u32,
    multiplier: u64,
}

impl KeySet {
    fn new() -> Self {
        use std::hash::{BuildHasher, RandomState};
        Self {
            slots: Vec::new(),
            zero: false,
            shift: 63,
            multiplier: RandomState::new().hash_one(0u64) | 1,
        }
    }

    /// Empty, with room for `n` keys.
    fn reset(&mut self, n: usize) {
        let capacity = (n.max(8) * 2).next_power_of_two();
        self.slots.clear();
        self.slots.resize(capacity, 0);
        self.shift = 64 - capacity.trailing_zeros();
        self.zero = false;
    }

    /// Add `key`; false when it was there already.
    fn insert(&mut self, key: u64) -> bool {
        if key == 0 {
            return !std::mem::replace(&mut self.zero, true);
        }
        let mask = self.slots.len() - 1;
        let mut i = (key.wrapping_mul(self.multiplier) >> self.shift) as usize;
        loop {
            match self.slots[i] {
                0 => {
                    self.slots[i] = key;
                    return true;
                }
                k if k == key => return false,
                _ => i = (i + 1) & mask,
            }
        }
    }
}

/// At most this many findings per check are kept.
const PER_CHECK: usize = 1000;

struct LabelTrack {
    name: String,
    values: HashSet<u64, foldhash::fast::FixedState>,
    last: u64,
    /// Values already in `values`, by their hash's low bits: a label with
    /// few values (le, quantile, side) skips the set on almost every line.
    seen: [u64; 64],
    seen_valid: u64,
}

impl LabelTrack {
    fn note(&mut self, h: u64) {
        // Runs of equal values are common (exchange="binance" ...).
        if self.last == h {
            return;
        }
        self.last = h;
        let slot = (h & 63) as usize;
        if self.seen_valid & (1 << slot) != 0 && self.seen[slot] == h {
            return;
        }
        self.values.insert(h);
        self.seen[slot] = h;
        self.seen_valid |= 1 << slot;
    }
}

pub struct Linter {
    opts: LintOptions,
    format: Format,
    version: PromVersion,
    findings: Vec<Finding>,
    per_check: BTreeMap<&'static str, usize>,
    suppressed: usize,
    series: SeriesLog,
    families: Families,
    labels: Vec<LabelTrack>,
    /// Label name -> index in `labels`, so a family with many distinct
    /// label names costs one lookup per label, not a scan.
    label_index: HashMap<String, usize, foldhash::fast::FixedState>,
    family_series: usize,
    /// The last line of the last family that ended, and the family still
    /// open (a parse error stops the input inside it): its duplicates are
    /// reported under its name, with no stats to take them from.
    ended_through: usize,
    open: Option<(String, usize)>,
    hash: foldhash::fast::FixedState,
    /// Exemplars are noted once per input.
    exemplar_noted: bool,
}

/// Is `part` a `_`-separated part of `name` after its first (promlint's
/// `_part_` or trailing `_part`), without allocating per check.
fn has_name_part(name: &str, part: &str) -> bool {
    name.match_indices(part).any(|(i, _)| {
        let before = name.as_bytes().get(i.wrapping_sub(1)) == Some(&b'_') && i > 0;
        let after = name.as_bytes().get(i + part.len());
        before && matches!(after, None | Some(b'_'))
    })
}

/// promlint's units: (unit, base unit).
const UNITS: [(&str, &str); 20] = [
    ("amperes", "amperes"),
    ("bytes", "bytes"),
    ("celsius", "celsius"),
    ("grams", "grams"),
    ("joules", "joules"),
    ("kelvin", "kelvin"),
    ("meters", "meters"),
    ("metres", "metres"),
    ("seconds", "seconds"),
    ("volts", "volts"),
    ("minutes", "seconds"),
    ("hours", "seconds"),
    ("days", "seconds"),
    ("weeks", "seconds"),
    ("kelvins", "kelvin"),
    ("fahrenheit", "celsius"),
    ("rankine", "celsius"),
    ("inches", "meters"),
    ("yards", "meters"),
    ("miles", "meters"),
];
const MORE_UNITS: [(&str, &str); 4] = [
    ("bits", "bytes"),
    ("calories", "joules"),
    ("pounds", "grams"),
    ("ounces", "grams"),
];
const UNIT_PREFIXES: [&str; 18] = [
    "pico", "nano", "micro", "milli", "centi", "deci", "deca", "hecto", "kilo", "kibi", "mega",
    "mibi", "giga", "gibi", "tera", "tebi", "peta", "pebi",
];
const UNIT_ABBREVIATIONS: [&str; 14] = [
    "s", "ms", "us", "ns", "sec", "b", "kb", "mb", "gb", "tb", "pb", "m", "h", "d",
];
const TYPE_NAMES: [&str; 5] = [
    "counter",
    "gauge",
    "summary",
    "histogram",
    "gauge_histogram",
];

fn unit_of(part: &str) -> Option<&'static str> {
    UNITS
        .iter()
        .chain(MORE_UNITS.iter())
        .find(|(u, _)| *u == part)
        .map(|(_, b)| *b)
}

/// promlint's metricUnits: the first name part that is a unit (possibly
/// SI-prefixed), with its base unit.
fn metric_units(name: &str) -> Option<(&str, &'static str)> {
    for part in name.split('_') {
        if let Some(base) = unit_of(part) {
            return Some((part, base));
        }
        for p in UNIT_PREFIXES {
            if let Some(base) = part.strip_prefix(p).and_then(unit_of) {
                return Some((part, base));
            }
        }
    }
    None
}

fn camel_case(s: &str) -> bool {
    s.as_bytes()
        .windows(2)
        .any(|w| w[0].is_ascii_lowercase() && w[1].is_ascii_uppercase())
}

impl Linter {
    /// A linter of `format` input for a Prometheus `version`, whose
    /// scraper decides what is an error (see [`Linter::violation`]).
    pub fn new(opts: LintOptions, format: Format, version: PromVersion) -> Self {
        let hash = foldhash::fast::FixedState::with_seed(7);
        Self {
            opts,
            format,
            version,
            findings: Vec::new(),
            per_check: BTreeMap::new(),
            suppressed: 0,
            series: SeriesLog::new(),
            families: Families::default(),
            labels: Vec::new(),
            label_index: HashMap::default(),
            family_series: 0,
            ended_through: 0,
            open: None,
            hash,
            exemplar_noted: false,
        }
    }

    fn add(
        &mut self,
        severity: Severity,
        check: &'static str,
        metric: &str,
        message: String,
        line: Option<usize>,
    ) {
        self.add_rejected(severity, check, metric, message, line, None);
    }

    fn add_rejected(
        &mut self,
        severity: Severity,
        check: &'static str,
        metric: &str,
        message: String,
        line: Option<usize>,
        rejected_by: Option<Refs>,
    ) {
        let n = self.per_check.entry(check).or_default();
        *n += 1;
        if *n > PER_CHECK {
            self.suppressed += 1;
            return;
        }
        self.findings.push(Finding {
            severity,
            check: std::borrow::Cow::Borrowed(check),
            metric: metric.to_string(),
            message,
            line,
            rejected_by,
        });
    }

    /// The promtool checks on one family, in promtool's words.
    fn name_checks(&mut self, fam: &Family, label_names: &[String]) {
        self.metadata_checks(fam);
        self.suffix_checks(fam, label_names);
        self.spelling_checks(fam, label_names);
        self.prefix_check(fam);
    }

    /// promtool: HELP present, base units.
    fn metadata_checks(&mut self, fam: &Family) {
        let n = fam.name.as_str();
        if fam.help.is_none() {
            self.add(
                Severity::Warning,
                "help",
                n,
                "no help text".into(),
                Some(fam.line),
            );
        }
        if let Some((unit, base)) = metric_units(n)
            && unit != base
        {
            self.add(
                Severity::Warning,
                "units",
                n,
                format!("use base unit \"{base}\" instead of \"{unit}\""),
                Some(fam.line),
            );
        }
    }

    /// promtool: `_total` only on counters; `_count`/`_sum`/`_bucket` and
    /// `le`/`quantile` only on the types that own them.
    fn suffix_checks(&mut self, fam: &Family, label_names: &[String]) {
        let n = fam.name.as_str();
        let (w, t) = (Severity::Warning, fam.kind);
        let mut found: Vec<(&'static str, String)> = Vec::new();
        let has_total = n.ends_with("_total");
        // OpenMetrics counters are named without _total; their samples carry it.
        if self.format == Format::Text && t == MetricType::Counter && !has_total {
            found.push((
                "counter",
                "counter metrics should have \"_total\" suffix".into(),
            ));
        }
        if t != MetricType::Unknown && t != MetricType::Counter && has_total {
            found.push((
                "counter",
                "non-counter metrics should not have \"_total\" suffix".into(),
            ));
        }
        if t != MetricType::Unknown {
            let hist = matches!(t, MetricType::Histogram | MetricType::GaugeHistogram);
            if t != MetricType::Summary && !hist {
                for suffix in ["_count", "_sum"] {
                    if n.ends_with(suffix) {
                        found.push(("reserved", format!("non-histogram and non-summary metrics should not have \"{suffix}\" suffix")));
                    }
                }
            }
            if !hist && n.ends_with("_bucket") {
                found.push((
                    "reserved",
                    "non-histogram metrics should not have \"_bucket\" suffix".into(),
                ));
            }
            if !hist && label_names.iter().any(|l| l == "le") {
                found.push((
                    "reserved",
                    "non-histogram metrics should not have \"le\" label".into(),
                ));
            }
            if t != MetricType::Summary && label_names.iter().any(|l| l == "quantile") {
                found.push((
                    "reserved",
                    "non-summary metrics should not have \"quantile\" label".into(),
                ));
            }
        }
        for (check, msg) in found {
            self.add(w, check, n, msg, Some(fam.line));
        }
    }

    /// promtool: no type or abbreviated unit as a name part, no `:`, no
    /// camelCase metric or label names.
    fn spelling_checks(&mut self, fam: &Family, label_names: &[String]) {
        let n = fam.name.as_str();
        let w = Severity::Warning;
        let lower = n.to_lowercase();
        // promtool 2.x names any type; 3.x (a newer promlint) only the
        // family's own, and nothing for untyped families.
        let (own, every) = (fam.kind.name(), self.version == PromVersion::V2);
        let types = TYPE_NAMES.iter().filter(|ty| every || **ty == own);
        for ty in types {
            if has_name_part(&lower, ty) {
                self.add(
                    w,
                    "type-in-name",
                    n,
                    format!("metric name should not include type '{ty}'"),
                    Some(fam.line),
                );
            }
        }
        if n.contains(':') {
            self.add(
                w,
                "colon",
                n,
                "metric names should not contain ':'".into(),
                Some(fam.line),
            );
        }
        if camel_case(n) {
            self.add(
                w,
                "camel-case",
                n,
                "metric names should be written in 'snake_case' not 'camelCase'".into(),
                Some(fam.line),
            );
        }
        if label_names.iter().any(|l| camel_case(l)) {
            self.add(
                w,
                "camel-case",
                n,
                "label names should be written in 'snake_case' not 'camelCase'".into(),
                Some(fam.line),
            );
        }
        for abbr in UNIT_ABBREVIATIONS {
            if has_name_part(&lower, abbr) {
                self.add(
                    w,
                    "unit-abbreviation",
                    n,
                    "metric names should not contain abbreviated units".into(),
                    Some(fam.line),
                );
            }
        }
    }

    /// The expected name prefix (`--prefix`, `--service`), unless the name
    /// is a known catalogue family.
    fn prefix_check(&mut self, fam: &Family) {
        let n = fam.name.as_str();
        if !self.opts.prefixes.is_empty()
            && !self.opts.known.contains(n)
            && !self.opts.prefixes.iter().any(|p| n.starts_with(p.as_str()))
        {
            let msg = format!(
                "name does not start with the expected prefix {}",
                self.opts.prefixes.join(" or ")
            );
            self.add(Severity::Info, "prefix", n, msg, Some(fam.line));
        }
    }

    /// A problem outside the exposition text (e.g. its Content-Type),
    /// `message` already saying who rejects it; severity as for a
    /// [`Linter::violation`].
    pub fn refused(&mut self, check: &'static str, message: String, refs: Refs) {
        let severity = self.severity(refs);
        self.add_rejected(severity, check, "", message, None, Some(refs));
    }

    fn severity(&self, refs: Refs) -> Severity {
        let scraper = Refs::prometheus(self.version);
        if refs.contains(scraper) || refs.and(Refs::PROMETHEUS).is_empty() {
            Severity::Error
        } else {
            Severity::Warning
        }
    }

    pub fn finish(mut self) -> LintReport {
        let duplicates = self.series.duplicates();
        for line in &duplicates {
            // Families are in line order: the last one starting at or before the line.
            let ended = *line <= self.ended_through;
            let family = match self.families.at_line(*line) {
                Some(f) if ended => {
                    f.series -= 1;
                    Some(f.name.clone())
                }
                _ => self.open.as_ref().map(|(name, _)| name.clone()),
            };
            if let Some(name) = family {
                // Prometheus keeps one of the two; promtool 3.x reports it
                // as a lint problem (exit 3), 2.x does not notice.
                self.add_rejected(
                    Severity::Error,
                    "duplicate",
                    &name,
                    "metric not unique (lint only: Prometheus keeps one value and counts the rest in prometheus_target_scrapes_sample_duplicate_timestamp_total)".into(),
                    Some(*line),
                    Some(Refs::NONE),
                );
            }
        }
        let total = self.series.len - duplicates.len();
        if let Some(max) = self.opts.max_series
            && total > max
        {
            self.add(
                Severity::Error,
                "cardinality",
                "*",
                format!("{total} series exceed --max-series {max}"),
                None,
            );
        }
        let over: Vec<(String, usize)> = match self.opts.max_family_series {
            Some(max) => self
                .families
                .iter()
                .filter(|f| f.series > max)
                .map(|f| (f.name.clone(), f.series))
                .collect(),
            None => Vec::new(),
        };
        for (name, n) in over {
            let max = self.opts.max_family_series.unwrap_or_default();
            self.add(
                Severity::Error,
                "cardinality",
                &name,
                format!("{n} series exceed --max-family-series {max}"),
                None,
            );
        }
        self.findings
            .sort_by(|a, b| a.severity.cmp(&b.severity).then(a.line.cmp(&b.line)));
        LintReport {
            findings: self.findings,
            suppressed: self.suppressed,
            series: total,
            families: self.families,
        }
    }
}

/// The parts of one input, linted on their own, add up to the one-pass
/// result: findings in input order under the same per-check cap, one
/// exemplar note, one series log (duplicates are found at the end).
impl super::split::Divisible for Linter {
    fn fork(&self) -> Self {
        Linter::new(self.opts.clone(), self.format, self.version)
    }

    fn absorb(&mut self, later: Self, lines: usize) {
        let exemplar_noted = self.exemplar_noted;
        // Per check: how many of the later part's findings were dropped
        // over the cap, once its kept ones are taken off.
        let mut dropped = later.per_check;
        for &check in dropped.keys() {
            self.per_check.entry(check).or_default();
        }
        for mut f in later.findings {
            if let Some(n) = dropped.get_mut(f.check.as_ref()) {
                *n -= 1;
            }
            // One pass notes exemplars once, on their first sample.
            if exemplar_noted && f.check == "exemplars" {
                continue;
            }
            f.line = f.line.map(|l| l + lines);
            match self.per_check.get_mut(f.check.as_ref()) {
                Some(n) if *n >= PER_CHECK => self.suppressed += 1,
                Some(n) => {
                    *n += 1;
                    self.findings.push(f);
                }
                None => self.findings.push(f),
            }
        }
        for (check, n) in dropped {
            *self.per_check.entry(check).or_default() += n;
        }
        self.suppressed += later.suppressed;
        self.series.append(later.series, lines);
        self.families.append(later.families, lines);
        self.exemplar_noted |= later.exemplar_noted;
        if later.ended_through > 0 {
            self.ended_through = later.ended_through + lines;
        }
        // A later part with no sample leaves this part's open family open
        // (its first line failed before declaring one, as in one pass).
        if let Some((name, last)) = later.open {
            self.open = Some((name, last + lines));
        }
    }
}

impl Sink for Linter {
    fn sample(&mut self, family: &Family, s: &Sample<'_, '_>) {
        if s.line.exemplar.is_some() && !self.exemplar_noted {
            self.exemplar_noted = true;
            self.add_rejected(
                Severity::Info,
                "exemplars",
                &family.name,
                "exemplars: Prometheus scrapes them; promtool check metrics (2.x and 3.x) reads the classic text format and rejects them".into(),
                Some(s.line_no),
                Some(Refs::PROMTOOL),
            );
        }
        let key = match s.line.timestamp {
            // The same series with another timestamp is a new sample, not a duplicate.
            Some(ts) => s.series_hash ^ self.hash.hash_one(ts.to_bits()),
            None => s.series_hash,
        };
        self.series.push(key, s.line_no);
        match &mut self.open {
            Some((_, last)) => *last = s.line_no,
            None => self.open = Some((family.name.clone(), s.line_no)),
        }
        self.family_series += 1;
        for (i, (l, &h)) in s.labels.iter().zip(s.label_hashes).enumerate() {
            // Labels usually come in the same order on every line.
            let idx = match self.labels.get(i) {
                Some(t) if super::line::same_name(&t.name, l.name) => i,
                _ => match self.label_index.get(l.name) {
                    Some(&j) => j,
                    None => {
                        self.labels.push(LabelTrack {
                            name: l.name.to_string(),
                            values: HashSet::with_hasher(self.hash),
                            last: !h,
                            seen: [0; 64],
                            seen_valid: 0,
                        });
                        let j = self.labels.len() - 1;
                        self.label_index.insert(l.name.to_string(), j);
                        j
                    }
                },
            };
            self.labels[idx].note(h);
        }
    }

    fn family_end(&mut self, fam: &Family) {
        if let Some((_, last)) = self.open.take() {
            self.ended_through = last;
        }
        let label_names: Vec<String> = self.labels.iter().map(|t| t.name.clone()).collect();
        self.label_index.clear();
        self.name_checks(fam, &label_names);
        let mut top: Vec<LabelCardinality> = self
            .labels
            .drain(..)
            .map(|t| LabelCardinality {
                label: t.name,
                distinct_values: t.values.len(),
            })
            .collect();
        top.sort_by(|a, b| {
            b.distinct_values
                .cmp(&a.distinct_values)
                .then(a.label.cmp(&b.label))
        });
        top.truncate(self.opts.top_labels.max(1));
        self.families.push(FamilyStats {
            name: fam.name.clone(),
            kind: fam.kind,
            samples: fam.samples,
            series: std::mem::take(&mut self.family_series),
            top_labels: top,
            first_line: fam.line,
        });
    }

    /// A problem of the input, rejected by `refs`. An error when the target
    /// version's scraper rejects it, when only promtool does (promtool is
    /// the classic format's reference checker) and when no reference does
    /// (lint's own consistency checks); a warning when only the other
    /// version's scraper does (e.g. UTF-8 names for a 3.x target).
    fn violation(
        &mut self,
        check: &'static str,
        family: &str,
        line: usize,
        message: String,
        refs: Refs,
    ) {
        let severity = self.severity(refs);
        let message = format!("{message} ({})", refs.consequence(self.version));
        self.add_rejected(severity, check, family, message, Some(line), Some(refs));
    }

    fn tolerated(&mut self, family: &str, line: usize, message: String) {
        self.add(Severity::Warning, "metadata", family, message, Some(line));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_set_finds_every_repeat_and_nothing_else() {
        let mut set = KeySet::new();
        // Keys that share their low and top bits, and the empty marker 0.
        let keys: Vec<u64> = (0..600u64).map(|i| (i % 300) << 20).collect();
        set.reset(keys.len());
        let repeats = keys.iter().filter(|&&k| !set.insert(k)).count();
        assert_eq!(repeats, 300);
        set.reset(3);
        assert!(set.insert(0) && !set.insert(0) && set.insert(u64::MAX) && !set.insert(u64::MAX));
    }

    #[test]
    fn name_parts_match_promlints_rule() {
        for (name, part, want) in [
            ("a_gauge_x", "gauge", true),
            ("a_gauge", "gauge", true),
            ("gauge_a", "gauge", false),
            ("a_gauges", "gauge", false),
            ("a_xgauge", "gauge", false),
            ("a_ms", "ms", true),
        ] {
            assert_eq!(has_name_part(name, part), want, "{name} {part}");
        }
    }
}
