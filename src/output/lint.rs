//! lint's report: the findings, the biggest families and the summary
//! line as a table, or the whole report as JSON/YAML.

use serde::Serialize;

use super::table::{Tone, cell, fit, new_table, status_cell, wrap};
use crate::expfmt::lint::{LintReport, Severity};
use crate::expfmt::{Format, ParseError};
use crate::version::PromVersion;

/// Whether a report fails: errors always, warnings with --strict.
pub fn fails(report: &LintReport, strict: bool) -> bool {
    report.errors() > 0 || (strict && report.warnings() > 0)
}

#[derive(Serialize)]
pub(crate) struct LintOutput<'a> {
    pub ok: bool,
    pub source: String,
    pub format: Format,
    pub families: usize,
    pub samples: usize,
    pub series: usize,
    pub bytes: u64,
    pub seconds: f64,
    pub parse_error: Option<&'a ParseError>,
    #[serde(flatten)]
    pub report: &'a LintReport,
}

pub(crate) fn print_table(out: &LintOutput<'_>, version: PromVersion, color: bool) {
    let report = out.report;
    if !report.findings.is_empty() {
        let mut table = new_table(&["SEVERITY", "METRIC", "CHECK", "LINE", "FINDING"], color);
        for f in &report.findings {
            let (sev, tone) = match f.severity {
                Severity::Error => ("error", Tone::Bad),
                Severity::Warning => ("warning", Tone::Warn),
                Severity::Info => ("info", Tone::Plain),
            };
            table.add_row(vec![
                status_cell(sev, tone, color),
                cell(&f.metric),
                cell(f.check.as_ref()),
                cell(f.line.map_or_else(String::new, |l| l.to_string())),
                cell(&f.message),
            ]);
        }
        crate::outln!("{}", fit(table, &[3]));
    }
    let mut biggest: Vec<_> = report.families.iter().collect();
    biggest.sort_by_key(|f| std::cmp::Reverse(f.series));
    if biggest.first().is_some_and(|f| f.series > 1) {
        let mut table = new_table(
            &["FAMILY", "TYPE", "SERIES", "LABELS BY DISTINCT VALUES"],
            color,
        );
        for f in biggest.iter().take(5) {
            let labels: Vec<String> = f
                .top_labels
                .iter()
                .map(|l| format!("{}={}", l.label, l.distinct_values))
                .collect();
            table.add_row(vec![
                cell(&f.name),
                cell(f.kind.name()),
                cell(f.series),
                cell(labels.join(" ")),
            ]);
        }
        crate::outln!("{}", fit(table, &[1]));
    }
    if let Some(e) = out.parse_error {
        let line = format!(
            "parse error: {} ({})",
            crate::text::terminal_safe(&e.to_string()),
            e.consequence(version)
        );
        crate::outln!("{}", wrap(&line, 2));
    }
    if report.suppressed > 0 {
        crate::outln!("({} more findings not shown)", report.suppressed);
    }
    let summary = format!(
        "{}: {} families, {} samples, {} series, {} ({}) in {:.0} ms: {} errors, {} warnings",
        out.source,
        out.families,
        out.samples,
        out.series,
        crate::text::human::bytes(out.bytes),
        out.format.name(),
        out.seconds * 1000.0,
        report.errors() + usize::from(out.parse_error.is_some()),
        report.warnings()
    );
    crate::outln!("{}", wrap(&summary, 2));
}
