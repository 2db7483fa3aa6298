//! The relabelling engine, written by hand because exactness is the point:
//! Prometheus' `relabel_configs` (model/relabel) and target assembly
//! (scrape.PopulateLabels), for the 2.x and 3.x semantics. Used to validate
//! generated configs and to show what discovery turns into targets (Debian's
//! Prometheus has no Kubernetes discovery to try it on). A differential test
//! runs it against a real Prometheus on seeded random rules and labels.

use std::collections::BTreeMap;

use md5::{Digest, Md5};
use regex::Regex;

use super::model::{RelabelAction, RelabelConfig, ScrapeConfig};
use crate::version::PromVersion;

pub type LabelSet = BTreeMap<String, String>;

/// A discovered target and the job (scrape pool) it was discovered for,
/// when the input says.
#[derive(Debug, Clone, PartialEq)]
pub struct Discovered {
    pub pool: Option<String>,
    pub labels: LabelSet,
}

/// Why relabelling could not be run: a rule that does not compile, or
/// discovered targets that cannot be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RelabelError {
    /// A relabel rule (or its regex) that Prometheus would refuse.
    #[error("{0}")]
    Rule(String),
    /// A targets file or answer that cannot be read or decoded.
    #[error("{0}")]
    Targets(String),
    /// A target the rules leave invalid (no address, a label set too big).
    #[error("{0}")]
    Target(String),
}

message_into_string!(RelabelError);

/// Read FILE (`-`: stdin), a regular file of at most 64 MiB.
pub(crate) fn read_targets_text(file: &std::path::Path) -> Result<String, RelabelError> {
    let read = if file.as_os_str() == "-" {
        crate::input::read_stdin(crate::input::Purpose::Config)
    } else {
        crate::input::read_text(crate::input::Purpose::Config, file)
    };
    read.map_err(|e| RelabelError::Targets(format!("cannot read {}: {e}", file.display())))
}

/// Discovered label sets from a JSON/YAML list of label maps or of file_sd
/// target groups (no pool: they are for whichever job is asked about), or
/// from Prometheus' /api/v1/targets answer (`discoveredLabels` of active and
/// dropped targets, with their `scrapePool`).
pub(crate) fn discovered_targets(text: &str) -> Result<Vec<Discovered>, RelabelError> {
    discovered_targets_text(text).map_err(RelabelError::Targets)
}

fn discovered_targets_text(text: &str) -> Result<Vec<Discovered>, String> {
    // An API answer is JSON: decoded by type, skipping every field but the
    // labels and the pool, never built as a YAML tree (a 70 MB answer would
    // cost gigabytes that way).
    if text
        .trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n'])
        .starts_with('{')
        && let Ok(TargetsAnswer { data: d }) = serde_json::from_str::<TargetsAnswer>(text)
        && (d.active_targets.is_some() || d.dropped_targets.is_some())
    {
        return Ok(d
            .active_targets
            .into_iter()
            .flatten()
            .chain(d.dropped_targets.into_iter().flatten())
            .map(|t| Discovered {
                pool: t
                    .scrape_pool
                    .or_else(|| t.discovered_labels.get("job").cloned()),
                labels: t.discovered_labels,
            })
            .collect());
    }
    let value: crate::yaml::Value = crate::yaml::from_str(text)?;
    let to_set = |v: &crate::yaml::Value| -> Option<LabelSet> {
        v.as_mapping().map(|m| {
            m.iter()
                .filter_map(|(k, v)| Some((k.as_str()?.to_string(), v.as_str()?.to_string())))
                .collect()
        })
    };
    if let Some(list) = value.as_sequence() {
        let mut out = Vec::new();
        for v in list {
            // A file_sd target group: one label set per target, the
            // group's labels on each, as discovery hands them over.
            if let Some(targets) = v.get("targets").and_then(|t| t.as_sequence()) {
                let group = v.get("labels").and_then(to_set).unwrap_or_default();
                for t in targets {
                    let address = t
                        .as_str()
                        .ok_or("a target group's targets must be strings")?;
                    let mut labels = group.clone();
                    labels.insert("__address__".into(), address.to_string());
                    labels.retain(|_, v| !v.is_empty());
                    out.push(Discovered { pool: None, labels });
                }
                continue;
            }
            let mut labels = to_set(v)
                .ok_or_else(|| "every entry must be a map of label names to values".to_string())?;
            // Discovery never hands over an empty label: an empty value is
            // an absent label. A map's own `job` is one of its labels, not
            // the job it is for (that is `--job`, or the answer's pool).
            labels.retain(|_, v| !v.is_empty());
            out.push(Discovered { pool: None, labels });
        }
        return Ok(out);
    }
    let data = value
        .get("data")
        .filter(|d| {
            ["activeTargets", "droppedTargets"]
                .iter()
                .any(|k| d.get(k).is_some_and(|v| v.is_sequence()))
        })
        .ok_or_else(|| "neither a list of label sets nor an /api/v1/targets answer".to_string())?;
    let mut out = Vec::new();
    for key in ["activeTargets", "droppedTargets"] {
        for t in data
            .get(key)
            .and_then(|v| v.as_sequence())
            .into_iter()
            .flatten()
        {
            let Some(labels) = t.get("discoveredLabels").and_then(to_set) else {
                continue;
            };
            let pool = t
                .get("scrapePool")
                .and_then(|p| p.as_str())
                .map(str::to_string)
                .or_else(|| labels.get("job").cloned());
            out.push(Discovered { pool, labels });
        }
    }
    Ok(out)
}

#[derive(serde::Deserialize)]
struct TargetsAnswer {
    data: TargetsAnswerData,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct TargetsAnswerData {
    active_targets: Option<Vec<AnswerTarget>>,
    dropped_targets: Option<Vec<AnswerTarget>>,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct AnswerTarget {
    #[serde(default)]
    discovered_labels: LabelSet,
    scrape_pool: Option<String>,
}

/// One relabel rule, compiled.
pub struct Rule {
    source_labels: Vec<String>,
    separator: String,
    regex: Regex,
    target_label: Option<String>,
    replacement: String,
    modulus: u64,
    action: RelabelAction,
    version: PromVersion,
}

/// Compile a relabel regex anchored as the given Prometheus does.
pub(crate) fn relabel_regex(re: &str, version: PromVersion) -> Result<Regex, RelabelError> {
    relabel_regex_text(re, version).map_err(RelabelError::Rule)
}

fn relabel_regex_text(re: &str, version: PromVersion) -> Result<Regex, String> {
    // Go's RE2 syntax and meaning, rewritten for the regex crate.
    let go = super::goregexp::translate(re, version == PromVersion::V3)
        .map_err(|e| format!("regex '{re}' does not compile: {e}"))?;
    let anchored = match version {
        PromVersion::V2 => format!("^(?:{go})$"),
        PromVersion::V3 => format!("^(?s:{go})$"),
    };
    Regex::new(&anchored).map_err(|e| {
        format!(
            "regex '{re}' does not compile: {}",
            crate::values::regex_error_reason(&e)
        )
    })
}

/// Prometheus' `relabel.Config.Validate`, per version: what each action
/// needs and what it must not be given, and which names it accepts.
fn validate_rule(
    cfg: &RelabelConfig,
    action: RelabelAction,
    version: PromVersion,
) -> Result<(), String> {
    use RelabelAction as A;
    let name = action.name();
    let target = cfg.target_label.as_deref().unwrap_or("");
    let replacement = cfg.replacement.as_deref().unwrap_or("$1");
    let separator = cfg.separator.as_deref().unwrap_or(";");
    let modulus = cfg.modulus.unwrap_or(0);
    // A label name, as the version validates one.
    let label_name = |n: &str| match version {
        PromVersion::V2 => legacy_label_name(n),
        PromVersion::V3 => !n.is_empty(),
    };
    // A name that may hold `$1`-style references (2.x: relabelTarget).
    let templated_name = |n: &str| match version {
        PromVersion::V2 => relabel_target(n),
        PromVersion::V3 => !n.is_empty(),
    };
    if action == A::Hashmod && modulus == 0 {
        return Err("relabel configuration for hashmod requires non-zero modulus".into());
    }
    let needs_target = matches!(
        action,
        A::Replace | A::Hashmod | A::Lowercase | A::Uppercase | A::Keepequal | A::Dropequal
    );
    if needs_target && target.is_empty() {
        return Err(format!(
            "relabel configuration for {name} action requires 'target_label' value"
        ));
    }
    let bad_target = match action {
        A::Replace if target.contains('$') => !templated_name(target),
        A::Replace | A::Hashmod => !label_name(target),
        A::Lowercase | A::Uppercase | A::Keepequal | A::Dropequal => !templated_name(target),
        _ => false,
    };
    if bad_target {
        return Err(format!(
            "{target:?} is invalid 'target_label' for {name} action"
        ));
    }
    if matches!(
        action,
        A::Lowercase | A::Uppercase | A::Keepequal | A::Dropequal
    ) && replacement != "$1"
    {
        return Err(format!("'replacement' can not be set for {name} action"));
    }
    if action == A::Labelmap && !templated_name(replacement) {
        return Err(format!(
            "{replacement:?} is invalid 'replacement' for {name} action"
        ));
    }
    if matches!(action, A::Keepequal | A::Dropequal)
        && (cfg.regex.is_some() || modulus != 0 || separator != ";" || replacement != "$1")
    {
        return Err(format!(
            "{name} action requires only 'source_labels' and `target_label`, and no other fields"
        ));
    }
    if matches!(action, A::Labeldrop | A::Labelkeep)
        && (!cfg.source_labels.is_empty()
            || !target.is_empty()
            || modulus != 0
            || separator != ";"
            || replacement != "$1")
    {
        return Err(format!(
            "{name} action requires only 'regex', and no other fields"
        ));
    }
    Ok(())
}

/// Prometheus 2.x's `relabelTarget`: `^(?:(?:[a-zA-Z_]|\$(?:\{\w+\}|\w+))+\w*)+$`
/// (Go's `\w` is ASCII).
fn relabel_target(n: &str) -> bool {
    static RE: std::sync::OnceLock<Option<Regex>> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^(?:(?:[a-zA-Z_]|\$(?:\{[0-9A-Za-z_]+\}|[0-9A-Za-z_]+))+[0-9A-Za-z_]*)+$").ok()
    })
    .as_ref()
    .is_some_and(|re| re.is_match(n))
}

/// Prometheus 2.x label names: `[a-zA-Z_][a-zA-Z0-9_]*`.
fn legacy_label_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Go's strings.ToLower/ToUpper map rune by rune (simple case mapping).
fn map_case(s: &str, upper: bool) -> String {
    s.chars()
        .map(|c| super::goregexp::simple_case(c, upper))
        .collect()
}

/// Prometheus' labels.Builder.Set: an empty value deletes the label. A
/// label that was absent takes the next place in the insertion order.
fn set(labels: &mut LabelSet, order: &mut Order, name: &str, value: String) {
    if value.is_empty() {
        labels.remove(name);
    } else {
        if !labels.contains_key(name) {
            order.place(name);
        }
        labels.insert(name.to_string(), value);
    }
}

/// The order Prometheus 3 walks a target's labels in, which decides a
/// `labelmap` collision (the last label mapped wins). 3.x builds the target
/// in one labels.Builder, so labels come in insertion order: the discovered
/// ones first — among themselves in Go's random map order — then the
/// defaults (job, interval, timeout, path, scheme, params), then what rules
/// add. 2.x walks a sorted copy, so 2.x ignores this.
#[derive(Debug, Clone, Default)]
pub struct Order {
    /// Place per label name; 0: discovered (no order among them).
    place: BTreeMap<String, u64>,
    next: u64,
}

impl Order {
    fn place(&mut self, name: &str) {
        self.next += 1;
        self.place.insert(name.to_string(), self.next);
    }

    /// The place of a label that is present (discovered ones have none).
    fn of(&self, name: &str) -> u64 {
        self.place.get(name).copied().unwrap_or(0)
    }
}

/// The most bytes of label names and values one target may carry through
/// relabelling. Real ones have a few kilobytes; without a cap, rules that
/// double a value (`replacement: $1$1`) reach gigabytes in thirty steps.
pub(crate) const MAX_LABEL_SET_BYTES: usize = 1 << 20;

fn label_set_size(labels: &LabelSet) -> usize {
    labels.iter().map(|(k, v)| k.len() + v.len()).sum()
}

/// How long a labelmap replacement can make a name of `len` bytes.
fn expands_name(template: &str, len: usize) -> usize {
    template.len() + template.matches('$').count() * len
}

/// hashmod: the MD5 of the value, its last 8 bytes as a big-endian u64.
fn sum64(value: &str) -> u64 {
    let digest = Md5::digest(value.as_bytes());
    let mut last = [0u8; 8];
    last.copy_from_slice(&digest[8..16]);
    u64::from_be_bytes(last)
}

impl Rule {
    pub fn compile(cfg: &RelabelConfig, version: PromVersion) -> Result<Self, RelabelError> {
        Self::compile_text(cfg, version).map_err(RelabelError::Rule)
    }

    fn compile_text(cfg: &RelabelConfig, version: PromVersion) -> Result<Self, String> {
        let action = cfg.action.unwrap_or(RelabelAction::Replace);
        validate_rule(cfg, action, version)?;
        let modulus = cfg.modulus.unwrap_or(0);
        Ok(Self {
            source_labels: cfg.source_labels.clone(),
            separator: cfg.separator.clone().unwrap_or_else(|| ";".into()),
            // Prometheus' default regex is (.*) and it anchors every regex.
            regex: relabel_regex(cfg.regex.as_deref().unwrap_or("(.*)"), version)?,
            target_label: cfg.target_label.clone(),
            replacement: cfg.replacement.clone().unwrap_or_else(|| "$1".into()),
            modulus,
            action,
            version,
        })
    }

    fn valid_target(&self, name: &str) -> bool {
        match self.version {
            PromVersion::V2 => legacy_label_name(name),
            PromVersion::V3 => !name.is_empty(),
        }
    }

    /// An upper bound of the label set's size in bytes after this rule:
    /// what a `$1$1` replacement or a labelmap can make of it.
    fn size_after(&self, labels: &LabelSet) -> usize {
        let now = label_set_size(labels);
        let value: usize = self
            .source_labels
            .iter()
            .map(|l| labels.get(l).map_or(0, String::len) + self.separator.len())
            .sum();
        let expands = |template: &str| template.len() + template.matches('$').count() * value;
        match self.action {
            RelabelAction::Replace => {
                now + expands(&self.replacement)
                    + expands(self.target_label.as_deref().unwrap_or_default())
            }
            // Unicode case mapping can triple a UTF-8 length.
            RelabelAction::Lowercase | RelabelAction::Uppercase => now + 3 * value + 64,
            RelabelAction::Labelmap => {
                now + labels
                    .iter()
                    .map(|(k, v)| expands_name(&self.replacement, k.len()) + v.len())
                    .sum::<usize>()
            }
            _ => now + 64,
        }
    }

    /// Apply to `labels` (placed in `order`); `false` means the target is dropped.
    pub fn apply(&self, labels: &mut LabelSet, order: &mut Order) -> bool {
        let value = self
            .source_labels
            .iter()
            .map(|l| labels.get(l).map_or("", String::as_str))
            .collect::<Vec<_>>()
            .join(&self.separator);
        let target = self.target_label.as_deref().unwrap_or_default();
        match self.action {
            RelabelAction::Keep => return self.regex.is_match(&value),
            RelabelAction::Drop => return !self.regex.is_match(&value),
            RelabelAction::Keepequal => {
                return labels.get(target).map_or("", String::as_str) == value;
            }
            RelabelAction::Dropequal => {
                return labels.get(target).map_or("", String::as_str) != value;
            }
            RelabelAction::Replace => {
                // Go's Regexp.Expand, not the regex crate's (they differ on
                // `$1é`, `$01`, `${1-}`).
                if let Some(caps) = self.regex.captures(&value) {
                    let names: Vec<Option<&str>> = self.regex.capture_names().collect();
                    let name = super::goregexp::expand(target, &caps, &names);
                    if self.valid_target(&name) {
                        let out = super::goregexp::expand(&self.replacement, &caps, &names);
                        set(labels, order, &name, out);
                    }
                }
            }
            RelabelAction::Lowercase => set(labels, order, target, map_case(&value, false)),
            RelabelAction::Uppercase => set(labels, order, target, map_case(&value, true)),
            RelabelAction::Hashmod => {
                let m = sum64(&value) % self.modulus;
                set(labels, order, target, m.to_string());
            }
            RelabelAction::Labelmap => {
                // Over a snapshot of the labels; the originals stay. 2.x
                // walks them sorted, 3.x in insertion order ([`Order`]).
                let mut mapped: Vec<(u64, String, String)> = labels
                    .iter()
                    .filter_map(|(k, v)| {
                        self.regex.captures(k).map(|caps| {
                            let names: Vec<Option<&str>> = self.regex.capture_names().collect();
                            let name = super::goregexp::expand(&self.replacement, &caps, &names);
                            (order.of(k), name, v.clone())
                        })
                    })
                    .collect();
                if self.version == PromVersion::V3 {
                    mapped.sort_by_key(|(place, ..)| *place);
                }
                for (_, name, value) in mapped {
                    set(labels, order, &name, value);
                }
            }
            RelabelAction::Labeldrop => labels.retain(|k, _| !self.regex.is_match(k)),
            RelabelAction::Labelkeep => labels.retain(|k, _| self.regex.is_match(k)),
        }
        true
    }
}

/// Compile every relabel rule of a scrape config; the error names the rule.
pub fn compile_all(scrape: &ScrapeConfig, version: PromVersion) -> Result<Vec<Rule>, RelabelError> {
    scrape
        .relabel_configs
        .iter()
        .enumerate()
        .map(|(i, cfg)| {
            Rule::compile(cfg, version).map_err(|e| {
                RelabelError::Rule(format!(
                    "job '{}': relabel_configs[{i}]: {e}",
                    scrape.job_name
                ))
            })
        })
        .collect()
}

/// The target-level labels Prometheus adds before relabelling (each only
/// when absent or empty): job, scrape interval and timeout, metrics path,
/// scheme, and `__param_<name>` from `params`.
fn populate(
    scrape: &ScrapeConfig,
    interval: &str,
    timeout: &str,
    labels: &mut LabelSet,
    order: &mut Order,
) {
    let defaults = [
        ("job", scrape.job_name.clone()),
        ("__scrape_interval__", interval.to_string()),
        ("__scrape_timeout__", timeout.to_string()),
        (
            "__metrics_path__",
            scrape
                .metrics_path
                .clone()
                .unwrap_or_else(|| "/metrics".into()),
        ),
        (
            "__scheme__",
            scrape.scheme.clone().unwrap_or_else(|| "http".into()),
        ),
    ];
    for (name, value) in defaults {
        if labels.get(name).is_none_or(String::is_empty) {
            set(labels, order, name, value);
        }
    }
    for (k, v) in &scrape.params {
        let name = format!("__param_{k}");
        if let Some(first) = v.first()
            && labels.get(&name).is_none_or(String::is_empty)
        {
            set(labels, order, &name, first.clone());
        }
    }
}

/// Does `addr` already carry a port (Go's net.SplitHostPort succeeds)?
/// `None` when adding one would not make it valid either.
fn needs_port(addr: &str) -> Option<bool> {
    let split = |s: &str| -> bool {
        match s.rsplit_once(':') {
            Some((host, _)) if host.starts_with('[') => host.ends_with(']'),
            Some((host, _)) => !host.contains(':') && !host.contains('[') && !host.contains(']'),
            None => false,
        }
    };
    if split(addr) {
        Some(false)
    } else if split(&format!("{addr}:1234")) {
        Some(true)
    } else {
        None
    }
}

/// What Prometheus would scrape for one discovered target, with the given
/// scrape interval and timeout (as Prometheus prints them): `Ok(None)` when
/// relabelling drops it, `Err` when the result is not a valid target (no
/// address, a `/` in it); else the final target labels (no `__` labels,
/// `instance` defaulted) plus `__address__`.
pub fn target_labels(
    scrape: &ScrapeConfig,
    discovered: &LabelSet,
    interval: &str,
    timeout: &str,
    version: PromVersion,
) -> Result<Option<LabelSet>, RelabelError> {
    let rules = compile_all(scrape, version)?;
    trace(
        scrape, &rules, discovered, interval, timeout, version, false,
    )
    .outcome
}

/// One discovered target through a job's rules.
#[derive(Debug, Clone)]
pub struct Trace {
    /// The labels after each rule (only when asked for), starting with the
    /// labels Prometheus adds before relabelling.
    pub steps: Vec<LabelSet>,
    /// The index of the rule that dropped the target.
    pub dropped_by: Option<usize>,
    /// As [`target_labels`] answers.
    pub outcome: Result<Option<LabelSet>, RelabelError>,
    /// The URL Prometheus would scrape, for a kept target.
    pub scrape_url: Option<String>,
}

/// Run compiled `rules` over `discovered`, optionally keeping each step.
pub fn trace(
    scrape: &ScrapeConfig,
    rules: &[Rule],
    discovered: &LabelSet,
    interval: &str,
    timeout: &str,
    version: PromVersion,
    keep_steps: bool,
) -> Trace {
    let mut labels = discovered.clone();
    let mut order = Order::default();
    populate(scrape, interval, timeout, &mut labels, &mut order);
    let mut steps = Vec::new();
    if keep_steps {
        steps.push(labels.clone());
    }
    for (i, rule) in rules.iter().enumerate() {
        if rule.size_after(&labels) > MAX_LABEL_SET_BYTES {
            return Trace {
                steps,
                dropped_by: None,
                outcome: Err(RelabelError::Target(format!(
                    "job {}: relabel rule {} ({}) would make a label set larger than {} MiB; refusing to build it",
                    scrape.job_name,
                    i + 1,
                    describe(&scrape.relabel_configs[i]),
                    MAX_LABEL_SET_BYTES >> 20
                ))),
                scrape_url: None,
            };
        }
        let kept = rule.apply(&mut labels, &mut order);
        if keep_steps {
            steps.push(labels.clone());
        }
        if !kept {
            return Trace {
                steps,
                dropped_by: Some(i),
                outcome: Ok(None),
                scrape_url: None,
            };
        }
    }
    let outcome = assemble(&labels, version).map_err(RelabelError::Target);
    let scrape_url = match &outcome {
        Ok(Some(out)) => Some(super::gourl::scrape_url(
            &labels,
            &out["__address__"],
            &scrape.params,
        )),
        _ => None,
    };
    Trace {
        steps,
        dropped_by: None,
        outcome,
        scrape_url,
    }
}

/// Target assembly after relabelling (scrape.PopulateLabels): an address is
/// required and must not contain `/`; 2.x appends the scheme's default port;
/// `__` labels leave the target, `instance` defaults to the address.
fn assemble(labels: &LabelSet, version: PromVersion) -> Result<Option<LabelSet>, String> {
    let mut address = labels
        .get("__address__")
        .filter(|a| !a.is_empty())
        .cloned()
        .ok_or("no address")?;
    if version == PromVersion::V2 && needs_port(&address) == Some(true) {
        match labels.get("__scheme__").map(String::as_str) {
            Some("http") | Some("") | None => address.push_str(":80"),
            Some("https") => address.push_str(":443"),
            Some(other) => return Err(format!("invalid scheme: {other:?}")),
        }
    }
    if address.contains('/') {
        return Err(format!("{address:?} is not a valid hostname"));
    }
    // Relabelling may rewrite the interval and timeout: they must still be
    // durations, not zero, and the timeout no longer than the interval.
    let duration = |name: &str, what: &str| -> Result<crate::values::PromDuration, String> {
        let text = labels.get(name).map_or("", String::as_str);
        let d: crate::values::PromDuration = text
            .parse()
            .map_err(|_| format!("error parsing scrape {what}: {text:?} is not a duration"))?;
        if d.as_millis() == 0 {
            return Err(format!("scrape {what} cannot be 0"));
        }
        Ok(d)
    };
    let interval = duration("__scrape_interval__", "interval")?;
    let timeout = duration("__scrape_timeout__", "timeout")?;
    if timeout > interval {
        return Err(format!(
            "scrape timeout cannot be greater than scrape interval ({timeout} > {interval})"
        ));
    }
    let mut out: LabelSet = labels
        .iter()
        .filter(|(k, _)| !k.starts_with("__"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if out.get("instance").is_none_or(String::is_empty) {
        out.insert("instance".into(), address.clone());
    }
    out.insert("__address__".into(), address);
    Ok(Some(out))
}

/// A rule in one line, for reports: `keep [app] =~ gpu-charts-logger`.
pub fn describe(cfg: &RelabelConfig) -> String {
    let action = cfg.action.unwrap_or(RelabelAction::Replace);
    let sources = if cfg.source_labels.is_empty() {
        String::new()
    } else {
        format!("[{}] ", cfg.source_labels.join(","))
    };
    let regex = cfg.regex.as_deref().unwrap_or("(.*)");
    let target = cfg.target_label.as_deref().unwrap_or("");
    let replacement = cfg.replacement.as_deref().unwrap_or("$1");
    match action {
        RelabelAction::Keep => format!("keep {sources}=~ {regex}"),
        RelabelAction::Drop => format!("drop {sources}=~ {regex}"),
        RelabelAction::Replace if cfg.source_labels.is_empty() => {
            format!("{target} = {replacement}")
        }
        RelabelAction::Replace => format!("{target} = {replacement} when {sources}=~ {regex}"),
        RelabelAction::Keepequal => format!("keep when {sources}== {target}"),
        RelabelAction::Dropequal => format!("drop when {sources}== {target}"),
        RelabelAction::Hashmod => format!(
            "{target} = hash({sources}) mod {}",
            cfg.modulus.unwrap_or_default()
        ),
        RelabelAction::Labelmap => format!("copy labels =~ {regex} to {replacement}"),
        RelabelAction::Labeldrop => format!("remove labels =~ {regex}"),
        RelabelAction::Labelkeep => format!("keep only labels =~ {regex}"),
        RelabelAction::Lowercase => format!("{target} = lower({sources})"),
        RelabelAction::Uppercase => format!("{target} = upper({sources})"),
    }
}

/// [`target_labels`] with Prometheus' default interval and timeout (3.x
/// semantics), for checking generated configs.
pub fn simulate_target(
    scrape: &ScrapeConfig,
    discovered: &LabelSet,
) -> Result<Option<LabelSet>, RelabelError> {
    match target_labels(scrape, discovered, "1m", "10s", PromVersion::V3) {
        Err(RelabelError::Target(e)) if e == "no address" => Ok(None),
        other => other,
    }
}

/// Built-in discovered label sets for the generated discovery modes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DiscoveryExample {
    KubernetesPod,
    DockerContainer,
}

fn labels(pairs: &[(&str, &str)]) -> LabelSet {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Realistic discovered label sets, as Kubernetes (role: pod) and Docker
/// discovery produce them, for the generated modes.
pub(crate) fn examples(kind: DiscoveryExample) -> Vec<LabelSet> {
    match kind {
        DiscoveryExample::KubernetesPod => {
            // As pod discovery yields them: one target per container port
            // (init containers too), one per container without ports.
            struct Pod<'a> {
                name: &'a str,
                ip: &'a str,
                phase: &'a str,
                app: (&'a str, &'a str),
                annotation: Option<(&'a str, &'a str)>,
            }
            let target = |p: &Pod, container: &str, port: Option<(&str, &str)>, init: bool| {
                let address = match port {
                    Some((number, _)) if p.ip.contains(':') => format!("[{}]:{number}", p.ip),
                    Some((number, _)) => format!("{}:{number}", p.ip),
                    None => p.ip.to_string(),
                };
                let app_key = format!("__meta_kubernetes_pod_label_{}", p.app.0);
                let mut set = vec![
                    ("__address__".to_string(), address),
                    ("__meta_kubernetes_namespace".into(), "trading".into()),
                    ("__meta_kubernetes_pod_name".into(), p.name.into()),
                    ("__meta_kubernetes_pod_ip".into(), p.ip.into()),
                    ("__meta_kubernetes_pod_phase".into(), p.phase.into()),
                    ("__meta_kubernetes_pod_ready".into(), "true".into()),
                    (app_key, p.app.1.into()),
                    (
                        "__meta_kubernetes_pod_container_name".into(),
                        container.into(),
                    ),
                    (
                        "__meta_kubernetes_pod_container_init".into(),
                        init.to_string(),
                    ),
                ];
                if let Some((number, name)) = port {
                    set.push((
                        "__meta_kubernetes_pod_container_port_number".into(),
                        number.into(),
                    ));
                    set.push((
                        "__meta_kubernetes_pod_container_port_name".into(),
                        name.into(),
                    ));
                    set.push((
                        "__meta_kubernetes_pod_container_port_protocol".into(),
                        "TCP".into(),
                    ));
                }
                if let Some((k, v)) = p.annotation {
                    set.push((format!("__meta_kubernetes_pod_annotation_{k}"), v.into()));
                }
                set.into_iter().collect::<LabelSet>()
            };
            let pod = |name, ip, app| Pod {
                name,
                ip,
                phase: "Running",
                app: ("app", app),
                annotation: None,
            };
            let logger = pod(
                "gpu-charts-logger-7d9f4-abcde",
                "10.1.2.3",
                "gpu-charts-logger",
            );
            let recommended = Pod {
                app: ("app_kubernetes_io_name", "gpu-charts-logger"),
                ..pod("gpu-charts-logger-7d9f4-fghij", "10.1.2.5", "")
            };
            let finished = Pod {
                phase: "Succeeded",
                ..pod(
                    "gpu-charts-logger-backfill-x7k2p",
                    "10.1.2.6",
                    "gpu-charts-logger",
                )
            };
            let server = pod(
                "gpu-charts-server-5c8b7-klmno",
                "10.1.2.4",
                "gpu-charts-server",
            );
            let v6 = pod(
                "gpu-charts-server-5c8b7-pqrst",
                "fd00::5",
                "gpu-charts-server",
            );
            let opted_out = Pod {
                annotation: Some(("prometheus_io_scrape", "false")),
                ..pod(
                    "gpu-charts-server-canary-0",
                    "10.1.2.7",
                    "gpu-charts-server",
                )
            };
            let redis = pod("redis-0", "10.1.2.9", "redis");
            vec![
                target(&logger, "logger", Some(("9090", "metrics")), false),
                target(&logger, "envoy", Some(("15090", "http-envoy-prom")), false),
                target(&logger, "migrate", Some(("9999", "debug")), true),
                target(&recommended, "logger", None, false),
                target(&finished, "logger", Some(("9090", "metrics")), false),
                target(&server, "server", Some(("8080", "http")), false),
                target(&server, "server", Some(("9091", "metrics")), false),
                target(&v6, "server", Some(("9091", "metrics")), false),
                target(&opted_out, "server", Some(("9091", "metrics")), false),
                target(&redis, "redis", Some(("6379", "redis")), false),
            ]
        }
        DiscoveryExample::DockerContainer => {
            let container = |service: &str, ip: &str, port: &str, name: &str| {
                labels(&[
                    ("__address__", &format!("{ip}:{port}")),
                    ("__meta_docker_container_name", name),
                    (
                        "__meta_docker_container_label_com_docker_compose_service",
                        service,
                    ),
                    ("__meta_docker_network_ip", ip),
                    ("__meta_docker_port_private", port),
                ])
            };
            vec![
                container("logger", "172.18.0.2", "9090", "/stack-logger-1"),
                container("server", "172.18.0.3", "9091", "/stack-server-1"),
                container("server", "172.18.0.3", "8080", "/stack-server-1"),
                container("postgres", "172.18.0.4", "5432", "/stack-postgres-1"),
            ]
        }
    }
}

#[cfg(test)]
mod size_tests {
    use super::*;

    #[test]
    fn doubling_rules_stop_at_the_cap_naming_the_rule() {
        let rule = "{source_labels: [a], regex: '(.*)', target_label: a, replacement: '$1$1'}";
        let rules = vec![rule; 34].join(", ");
        let yaml = format!("job_name: j\nrelabel_configs: [{rules}]\n");
        let scrape: ScrapeConfig = crate::yaml::from_str(&yaml).unwrap();
        let mut discovered = LabelSet::new();
        discovered.insert("__address__".into(), "h:1".into());
        discovered.insert("a".into(), "xy".into());
        let start = std::time::Instant::now();
        let err = target_labels(&scrape, &discovered, "15s", "10s", PromVersion::V3)
            .unwrap_err()
            .to_string();
        assert!(err.contains("job j: relabel rule 19"), "{err}");
        assert!(start.elapsed() < std::time::Duration::from_secs(2));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> LabelSet {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn rule(cfg: RelabelConfig, version: PromVersion) -> Rule {
        Rule::compile(&cfg, version).unwrap()
    }

    #[test]
    fn keep_replace_and_drop() {
        let scrape = ScrapeConfig {
            job_name: "j".into(),
            relabel_configs: vec![
                RelabelConfig {
                    source_labels: vec!["app".into()],
                    regex: Some("j".into()),
                    action: Some(RelabelAction::Keep),
                    ..Default::default()
                },
                RelabelConfig {
                    source_labels: vec!["ip".into()],
                    regex: Some("(.+)".into()),
                    target_label: Some("__address__".into()),
                    replacement: Some("${1}:9090".into()),
                    ..Default::default()
                },
            ],
            ..Default::default()
        };
        let kept = simulate_target(&scrape, &labels(&[("app", "j"), ("ip", "10.0.0.1")]))
            .unwrap()
            .unwrap();
        assert_eq!(kept["__address__"], "10.0.0.1:9090");
        assert_eq!(kept["instance"], "10.0.0.1:9090");
        assert_eq!(kept["job"], "j");
        // anchored: "jj" must not match "j"
        assert!(
            simulate_target(&scrape, &labels(&[("app", "jj"), ("ip", "1")]))
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn expansion_follows_go_rules() {
        let mut l = labels(&[("a", "x")]);
        let r = rule(
            RelabelConfig {
                source_labels: vec!["a".into()],
                regex: Some("(x)".into()),
                target_label: Some("t".into()),
                replacement: Some("$1y|${1}y|$$".into()),
                ..Default::default()
            },
            PromVersion::V2,
        );
        r.apply(&mut l, &mut Order::default());
        assert_eq!(l["t"], "|xy|$");
        // An expanded target that is not a legacy label name skips the rule in 2.x.
        let mut l = labels(&[("a", "x-y")]);
        let r = |v| {
            rule(
                RelabelConfig {
                    source_labels: vec!["a".into()],
                    target_label: Some("$1".into()),
                    replacement: Some("v".into()),
                    ..Default::default()
                },
                v,
            )
        };
        r(PromVersion::V2).apply(&mut l, &mut Order::default());
        assert!(!l.contains_key("x-y"));
        r(PromVersion::V3).apply(&mut l, &mut Order::default());
        assert_eq!(l["x-y"], "v");
    }

    #[test]
    fn dot_matches_newline_only_in_v3() {
        let re2 = relabel_regex("a.b", PromVersion::V2).unwrap();
        let re3 = relabel_regex("a.b", PromVersion::V3).unwrap();
        assert!(!re2.is_match("a\nb"));
        assert!(re3.is_match("a\nb"));
    }

    #[test]
    fn hashmod_is_md5_low_64_bits() {
        // md5("") = d41d8cd98f00b204e9800998ecf8427e; its last 8 bytes.
        assert_eq!(sum64(""), 0xe980_0998_ecf8_427e);
        let mut l = labels(&[("a", "")]);
        rule(
            RelabelConfig {
                source_labels: vec!["a".into()],
                target_label: Some("shard".into()),
                modulus: Some(1000),
                action: Some(RelabelAction::Hashmod),
                ..Default::default()
            },
            PromVersion::V2,
        )
        .apply(&mut l, &mut Order::default());
        assert_eq!(l["shard"], (0xe980_0998_ecf8_427eu64 % 1000).to_string());
    }

    #[test]
    fn default_port_only_in_v2_and_bad_addresses_are_errors() {
        let scrape = ScrapeConfig {
            job_name: "j".into(),
            ..Default::default()
        };
        let d = labels(&[("__address__", "host")]);
        let v2 = target_labels(&scrape, &d, "1m", "10s", PromVersion::V2)
            .unwrap()
            .unwrap();
        assert_eq!(v2["instance"], "host:80");
        let v3 = target_labels(&scrape, &d, "1m", "10s", PromVersion::V3)
            .unwrap()
            .unwrap();
        assert_eq!(v3["instance"], "host");
        let bad = labels(&[("__address__", "host/x")]);
        assert!(target_labels(&scrape, &bad, "1m", "10s", PromVersion::V2).is_err());
        assert!(needs_port("[::1]:9090") == Some(false) && needs_port("[::1]") == Some(true));
    }

    #[test]
    fn labelmap_keeps_originals_and_case_maps_rune_by_rune() {
        let mut l = labels(&[("__meta_x_app", "a")]);
        rule(
            RelabelConfig {
                regex: Some("__meta_x_(.+)".into()),
                action: Some(RelabelAction::Labelmap),
                ..Default::default()
            },
            PromVersion::V2,
        )
        .apply(&mut l, &mut Order::default());
        assert_eq!(l["app"], "a");
        assert_eq!(l["__meta_x_app"], "a");
        assert_eq!(map_case("Straße ÉA", true), "STRAßE ÉA");
    }
}
