//! `gen-config --into FILE`: the jobs gpucharts-mon manages, spliced into
//! an existing prometheus.yml by their lines; every other line of the file
//! (other jobs, other sections, comments, formatting) stays as it was.
//!
//! A job gpucharts-mon wrote carries `MARK` on its `job_name` line. The
//! managed jobs are the generated ones plus any marked job in the file: a
//! marked job is replaced by the generated one of its name, or removed when
//! the inventory no longer has it; generated jobs the file lacks are added
//! after its last job. A job with a generated job's name but no mark is the
//! user's: a conflict, unless adopted. `rule_files` and `alerting` get the
//! entries the generated config needs that the file lacks, once.
//!
//! The file is read as block-style YAML (what people and Prometheus' docs
//! write): the lines of each top-level key and of each `scrape_configs`
//! item are found by indentation, and checked against what the YAML parser
//! finds, so a layout this reader cannot split (flow style, anchors) is
//! refused rather than guessed at.

use super::model::PrometheusConfig;
use crate::yaml::Value;

/// The comment on the `job_name` line of every job gpucharts-mon writes.
pub(crate) const MARK: &str = "# managed by gpucharts-mon";

/// What splicing changed, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Replaced(String),
    Adopted(String),
    Added(String),
    Removed(String),
    RuleFile(String),
    Alertmanager(String),
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Change::Replaced(j) => write!(f, "job {j}: replaced"),
            Change::Adopted(j) => write!(f, "job {j}: adopted (now managed)"),
            Change::Added(j) => write!(f, "job {j}: added"),
            Change::Removed(j) => write!(f, "job {j}: removed (no longer in the inventory)"),
            Change::RuleFile(r) => write!(f, "rule_files: added {r}"),
            Change::Alertmanager(a) => write!(f, "alerting: added Alertmanager {a}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spliced {
    pub text: String,
    pub changes: Vec<Change>,
    /// What the generated config sets at the top level that the file does
    /// not (external labels, remote_write): left to the file's owner, and
    /// said.
    pub left: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpliceError {
    #[error(
        "job {name:?} (line {line}) has the name of a job gpucharts-mon manages but not its mark ({MARK}); rename or remove it, or pass --adopt to let gpucharts-mon replace it"
    )]
    Conflict { name: String, line: usize },
    #[error("{0}")]
    Layout(String),
    #[error("{0}")]
    Invalid(String),
}

message_into_string!(SpliceError);

impl crate::error::Classify for SpliceError {
    fn kind(&self) -> crate::error::Kind {
        crate::error::Kind::Usage
    }
}

/// Mark the top-level jobs of a rendered config (`- job_name: …` lines).
pub(crate) fn mark_jobs(rendered: &str) -> String {
    let mut out = String::with_capacity(rendered.len() + 64);
    for line in rendered.split_inclusive('\n') {
        let body = line.trim_end_matches('\n');
        if body.starts_with("- job_name: ") && !body.contains(MARK) {
            out.push_str(body);
            out.push_str("  ");
            out.push_str(MARK);
            out.push('\n');
        } else {
            out.push_str(line);
        }
    }
    out
}

/// A line: its text (without the newline) and indentation.
struct Line<'a> {
    text: &'a str,
    indent: usize,
}

impl Line<'_> {
    fn blank_or_comment(&self) -> bool {
        let t = self.text.trim_start();
        t.is_empty() || t.starts_with('#')
    }
}

/// The existing file as the section splicers read it: its YAML, its
/// lines and top-level blocks, and where a missing section goes.
#[derive(Clone, Copy)]
struct Existing<'a> {
    parsed: &'a Value,
    lines: &'a [Line<'a>],
    blocks: &'a [Block],
    before_jobs: usize,
}

/// A top-level key's lines: `[start, end)`, trailing blank lines and
/// column-0 comments left to what follows.
struct Block {
    key: String,
    start: usize,
    end: usize,
}

fn top_level_key(line: &str) -> Option<&str> {
    let first = line.chars().next()?;
    if first.is_whitespace() || matches!(first, '#' | '-' | '"' | '\'' | '{' | '[') {
        return None;
    }
    let (key, rest) = line.split_once(':')?;
    (rest.is_empty() || rest.starts_with([' ', '\t'])).then_some(key.trim())
}

fn blocks(lines: &[Line]) -> Vec<Block> {
    let starts: Vec<(usize, &str)> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| top_level_key(l.text).map(|k| (i, k)))
        .collect();
    starts
        .iter()
        .enumerate()
        .map(|(n, (start, key))| {
            let mut end = starts.get(n + 1).map_or(lines.len(), |(s, _)| *s);
            while end > start + 1 && {
                let l = &lines[end - 1];
                l.text.trim().is_empty() || l.text.starts_with('#')
            } {
                end -= 1;
            }
            Block {
                key: key.to_string(),
                start: *start,
                end,
            }
        })
        .collect()
}

/// An item's lines, `[start, end)`; the comments and blank lines above it
/// are not its own.
type Span = (usize, usize);

/// The indentation and items of a block-style sequence under the key at
/// `block.start`.
fn items(lines: &[Line], block: &Block) -> Result<(usize, Vec<Span>), String> {
    let content: Vec<usize> = (block.start + 1..block.end)
        .filter(|&i| !lines[i].blank_or_comment())
        .collect();
    let Some(&first) = content.first() else {
        return Ok((0, Vec::new()));
    };
    let indent = lines[first].indent;
    let is_item = |i: usize| {
        let l = &lines[i];
        l.indent == indent && {
            let t = &l.text[indent..];
            t == "-" || t.starts_with("- ")
        }
    };
    if !is_item(first) {
        return Err(format!(
            "line {}: {} is not a block sequence of `- ` items",
            first + 1,
            block.key
        ));
    }
    let starts: Vec<usize> = content.iter().copied().filter(|&i| is_item(i)).collect();
    let mut out = Vec::new();
    for (n, &start) in starts.iter().enumerate() {
        let next = starts.get(n + 1).copied().unwrap_or(block.end);
        // This item's lines end at its last content line; the comments and
        // blank lines after it belong to the next item.
        let mut end = next;
        while end > start + 1 && lines[end - 1].blank_or_comment() {
            end -= 1;
        }
        out.push((start, end));
    }
    Ok((indent, out))
}

/// A blank line before a section inserted at `at`, unless one is there.
fn separator(lines: &[Line], at: usize) -> &'static str {
    if at > 0 && !lines[at - 1].text.trim().is_empty() {
        "\n"
    } else {
        ""
    }
}

fn indent_text(text: &str, indent: usize) -> String {
    let pad = " ".repeat(indent);
    text.lines()
        .map(|l| {
            if l.is_empty() {
                "\n".to_string()
            } else {
                format!("{pad}{l}\n")
            }
        })
        .collect()
}

/// `- item\n` lines of a YAML sequence, quoted as YAML needs.
fn sequence_text<T: serde::Serialize>(items: &[T]) -> Result<String, SpliceError> {
    crate::yaml::to_string(&items).map_err(|e| SpliceError::Invalid(e.to_string()))
}

/// Splice `generated`'s jobs, rule files and Alertmanagers into `existing`.
/// With `adopt`, a job of a generated job's name without the mark is
/// replaced (and marked) instead of refused.
pub fn splice(
    existing: &str,
    generated: &PrometheusConfig,
    adopt: bool,
) -> Result<Spliced, SpliceError> {
    let parsed: Value = if existing.trim().is_empty() {
        Value::Mapping(Default::default())
    } else {
        crate::yaml::from_str(existing).map_err(|e| SpliceError::Invalid(e.to_string()))?
    };
    if !parsed.is_mapping() {
        return Err(SpliceError::Invalid(
            "the file is not a YAML mapping of prometheus.yml sections".into(),
        ));
    }
    let lines: Vec<Line> = existing
        .lines()
        .map(|text| Line {
            text,
            indent: text.len() - text.trim_start_matches(' ').len(),
        })
        .collect();
    let blocks = blocks(&lines);
    let block = |key: &str| blocks.iter().find(|b| b.key == key);
    // Edits: (line range replaced, new text), applied back to front.
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    let mut changes = Vec::new();

    let generated_jobs = &generated.scrape_configs;
    let job_text = |i: usize, indent: usize| -> Result<String, SpliceError> {
        let one = sequence_text(&generated_jobs[i..=i])?;
        Ok(indent_text(&mark_jobs(&one), indent))
    };
    let existing_names: Vec<String> = parsed
        .get("scrape_configs")
        .and_then(Value::as_sequence)
        .map(|s| {
            s.iter()
                .map(|j| {
                    j.get("job_name")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_string()
                })
                .collect()
        })
        .unwrap_or_default();
    let mut placed = vec![false; generated_jobs.len()];
    match block("scrape_configs") {
        Some(b) if !existing_names.is_empty() => {
            let (indent, found) = items(&lines, b).map_err(SpliceError::Layout)?;
            if found.len() != existing_names.len() {
                return Err(SpliceError::Layout(format!(
                    "line {}: found {} scrape jobs by their lines but the YAML has {} (flow style or anchors?); write scrape_configs as a block sequence",
                    b.start + 1,
                    found.len(),
                    existing_names.len()
                )));
            }
            for ((start, end), name) in found.iter().zip(&existing_names) {
                let marked = lines[*start..*end]
                    .iter()
                    .any(|l| l.text.contains("job_name") && l.text.contains(MARK));
                let generated_index = generated_jobs.iter().position(|j| &j.job_name == name);
                match (generated_index, marked) {
                    (Some(i), _) if marked || adopt => {
                        placed[i] = true;
                        let text = job_text(i, indent)?;
                        let old: String = lines[*start..*end]
                            .iter()
                            .map(|l| format!("{}\n", l.text))
                            .collect();
                        if old == text {
                            continue;
                        }
                        edits.push((*start, *end, text));
                        changes.push(if marked {
                            Change::Replaced(name.clone())
                        } else {
                            Change::Adopted(name.clone())
                        });
                    }
                    (Some(_), _) => {
                        return Err(SpliceError::Conflict {
                            name: name.clone(),
                            line: start + 1,
                        });
                    }
                    (None, true) => {
                        edits.push((*start, *end, String::new()));
                        changes.push(Change::Removed(name.clone()));
                    }
                    (None, false) => {}
                }
            }
            let after = found.last().map_or(b.start + 1, |&(_, end)| end);
            let mut added = String::new();
            for (i, job) in generated_jobs.iter().enumerate() {
                if !placed[i] {
                    added.push_str(&job_text(i, indent)?);
                    changes.push(Change::Added(job.job_name.clone()));
                }
            }
            if !added.is_empty() {
                edits.push((after, after, added));
            }
        }
        found => {
            // No jobs yet: a fresh block (replacing `scrape_configs: []`).
            let mut text = String::from("scrape_configs:\n");
            for (i, job) in generated_jobs.iter().enumerate() {
                text.push_str(&job_text(i, 0)?);
                changes.push(Change::Added(job.job_name.clone()));
            }
            match found {
                Some(b) => edits.push((b.start, b.end, text)),
                None => edits.push((lines.len(), lines.len(), text)),
            }
        }
    }

    // Sections that go before the jobs (and the comments above them) when
    // the file lacks them.
    let before_jobs = block("scrape_configs").map_or(lines.len(), |b| {
        let mut at = b.start;
        while at > 0
            && (lines[at - 1].text.starts_with('#') || lines[at - 1].text.trim().is_empty())
        {
            at -= 1;
        }
        at
    });
    let file = Existing {
        parsed: &parsed,
        lines: &lines,
        blocks: &blocks,
        before_jobs,
    };
    rule_files(&file, generated, &mut edits, &mut changes)?;
    alerting(&file, generated, &mut edits, &mut changes)?;

    edits.sort_by_key(|(start, end, _)| (*start, *end));
    let mut out = String::with_capacity(existing.len() + 4096);
    let mut at = 0;
    for (start, end, text) in &edits {
        for l in &lines[at..*start] {
            out.push_str(l.text);
            out.push('\n');
        }
        out.push_str(text);
        at = (*end).max(at);
    }
    for l in &lines[at.min(lines.len())..] {
        out.push_str(l.text);
        out.push('\n');
    }
    // What came out must parse, with each generated job once.
    let check: Value = crate::yaml::from_str(&out).map_err(|e| {
        SpliceError::Layout(format!(
            "the spliced file does not parse ({e}); write the file in block style"
        ))
    })?;
    let names = field_of_each(&check, "scrape_configs", "job_name");
    for job in generated_jobs {
        if names.iter().filter(|n| **n == job.job_name).count() != 1 {
            return Err(SpliceError::Layout(format!(
                "job {} is not in the spliced file exactly once; write scrape_configs as a block sequence",
                job.job_name
            )));
        }
    }
    let left = left_alone(&parsed, generated);
    Ok(Spliced {
        text: out,
        changes,
        left,
    })
}

/// The string `field` of each item of the top-level sequence `list`.
fn field_of_each<'a>(parsed: &'a Value, list: &str, field: &str) -> Vec<&'a str> {
    parsed
        .get(list)
        .and_then(Value::as_sequence)
        .map(|s| {
            s.iter()
                .filter_map(|item| item.get(field).and_then(Value::as_str))
                .collect()
        })
        .unwrap_or_default()
}

/// The top-level settings of `generated` that `parsed` does not have the
/// same: the splicer owns jobs, rule files and Alertmanagers only.
fn left_alone(parsed: &Value, generated: &PrometheusConfig) -> Vec<String> {
    let mut left = Vec::new();
    let labels = parsed.get("global").and_then(|g| g.get("external_labels"));
    for (name, want) in &generated.global.external_labels {
        let has = labels
            .and_then(|l| l.get(name.as_str()))
            .and_then(Value::as_str);
        if has != Some(want.as_str()) {
            left.push(format!(
                "global.external_labels.{name} is {} in the file, {want:?} in the inventory: top-level settings stay as the file has them",
                has.map_or_else(|| "missing".to_string(), |h| format!("{h:?}"))
            ));
        }
    }
    let urls = field_of_each(parsed, "remote_write", "url");
    for rw in &generated.remote_write {
        if !urls.contains(&rw.url.as_str()) {
            left.push(format!(
                "remote_write {} is in the inventory, not in the file: top-level settings stay as the file has them",
                crate::redact::url_text(&rw.url)
            ));
        }
    }
    left
}

/// Append `entries` (YAML sequence items) to the block sequence of `key`,
/// or write the key with them before the jobs when the file lacks it.
fn append_items(
    key: &str,
    entries: &str,
    file: &Existing,
    edits: &mut Vec<(usize, usize, String)>,
) -> Result<(), SpliceError> {
    let Existing {
        lines,
        blocks,
        before_jobs,
        ..
    } = *file;
    match blocks.iter().find(|b| b.key == key) {
        None => edits.push((
            before_jobs,
            before_jobs,
            format!("{}{key}:\n{entries}", separator(lines, before_jobs)),
        )),
        Some(b) => {
            let inline = lines[b.start].text[key.len() + 1..].trim();
            if inline == "[]" {
                edits.push((b.start, b.end, format!("{key}:\n{entries}")));
                return Ok(());
            }
            if !inline.is_empty() && !inline.starts_with('#') {
                return Err(SpliceError::Layout(format!(
                    "line {}: {key} is written inline ({inline}); write it as a block sequence so entries can be added",
                    b.start + 1
                )));
            }
            let (indent, found) = items(lines, b).map_err(SpliceError::Layout)?;
            let after = found.last().map_or(b.start + 1, |&(_, end)| end);
            edits.push((after, after, indent_text(entries, indent)));
        }
    }
    Ok(())
}

fn rule_files(
    file: &Existing,
    generated: &PrometheusConfig,
    edits: &mut Vec<(usize, usize, String)>,
    changes: &mut Vec<Change>,
) -> Result<(), SpliceError> {
    let have: Vec<&str> = file
        .parsed
        .get("rule_files")
        .and_then(Value::as_sequence)
        .map(|s| s.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let missing: Vec<&String> = generated
        .rule_files
        .iter()
        .filter(|r| !have.contains(&r.as_str()))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    append_items("rule_files", &sequence_text(&missing)?, file, edits)?;
    changes.extend(missing.into_iter().map(|r| Change::RuleFile(r.clone())));
    Ok(())
}

fn alerting(
    file: &Existing,
    generated: &PrometheusConfig,
    edits: &mut Vec<(usize, usize, String)>,
    changes: &mut Vec<Change>,
) -> Result<(), SpliceError> {
    let Existing {
        parsed,
        lines,
        blocks,
        before_jobs,
    } = *file;
    let Some(ours) = &generated.alerting else {
        return Ok(());
    };
    let wanted: Vec<&String> = ours
        .alertmanagers
        .iter()
        .flat_map(|a| &a.static_configs)
        .flat_map(|s| &s.targets)
        .collect();
    let have: Vec<&str> = parsed
        .get("alerting")
        .and_then(|a| a.get("alertmanagers"))
        .and_then(Value::as_sequence)
        .into_iter()
        .flatten()
        .filter_map(|am| am.get("static_configs").and_then(Value::as_sequence))
        .flatten()
        .filter_map(|sc| sc.get("targets").and_then(Value::as_sequence))
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let missing: Vec<String> = wanted
        .into_iter()
        .filter(|t| !have.contains(&t.as_str()))
        .cloned()
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let entry = super::model::AlertmanagerConfig {
        static_configs: vec![super::model::StaticConfig {
            targets: missing.clone(),
            labels: Default::default(),
        }],
    };
    match blocks.iter().find(|b| b.key == "alerting") {
        None => {
            let text = crate::yaml::to_string(&super::model::AlertingConfig {
                alertmanagers: vec![entry],
            })
            .map_err(|e| SpliceError::Invalid(e.to_string()))?;
            edits.push((
                before_jobs,
                before_jobs,
                format!(
                    "{}alerting:\n{}",
                    separator(lines, before_jobs),
                    indent_text(&text, 2)
                ),
            ));
        }
        Some(b) => {
            // The `alertmanagers:` key inside the block, and its items.
            let Some(key_line) = (b.start + 1..b.end)
                .find(|&i| lines[i].text.trim_start().starts_with("alertmanagers:"))
            else {
                return Err(SpliceError::Layout(format!(
                    "line {}: alerting has no alertmanagers list to add {} to",
                    b.start + 1,
                    missing.join(", ")
                )));
            };
            let inner = Block {
                key: "alertmanagers".into(),
                start: key_line,
                end: (key_line + 1..b.end)
                    .find(|&i| {
                        !lines[i].blank_or_comment()
                            && lines[i].indent <= lines[key_line].indent
                            && !lines[i].text[lines[i].indent..].starts_with('-')
                    })
                    .unwrap_or(b.end),
            };
            let (indent, found) = items(lines, &inner).map_err(SpliceError::Layout)?;
            let after = found.last().map_or(key_line + 1, |&(_, end)| end);
            let indent = if found.is_empty() {
                lines[key_line].indent + 2
            } else {
                indent
            };
            edits.push((after, after, indent_text(&sequence_text(&[entry])?, indent)));
        }
    }
    changes.extend(missing.into_iter().map(Change::Alertmanager));
    Ok(())
}
