//! test-pull's report as a table (with its notes) or JUnit XML: pure
//! functions returning text, built from the typed check outcomes.

use std::fmt::Write;

use super::PullFormat;
use super::junit::{Case, CaseStatus, JunitSuite};
use super::table::{Tone, cell, fit, new_table, status_cell};
use crate::expfmt::lint::Severity;
use crate::probe::pull::PullReport;
use crate::probe::{CheckStatus, EndpointReport};
use crate::text::{human, terminal_safe};

/// The report in the chosen format, onto stdout.
pub fn print(
    report: &PullReport,
    format: PullFormat,
    color: bool,
) -> Result<(), super::OutputError> {
    match format {
        PullFormat::Json => super::table::print_machine(report, super::ReportFormat::Json)?,
        PullFormat::Junit => {
            super::junit::print_streamed("gpucharts-mon test-pull", || cases(report));
        }
        PullFormat::Table => {
            for text in table(report, color) {
                crate::out!("{text}");
            }
        }
    }
    Ok(())
}

/// Rows per printed table: thousands of endpoints become several tables,
/// each printed as soon as it is built, never one table in memory.
const ROWS_PER_TABLE: usize = 500;

/// The table (in pieces of at most `ROWS_PER_TABLE` rows, each text made
/// when it is asked for), then one line per error, warning, lint finding (at
/// most 10) and Prometheus' view of each endpoint, then the summary line.
fn table(report: &PullReport, color: bool) -> impl Iterator<Item = String> + '_ {
    let mut endpoints = report.endpoints().peekable();
    let mut first = true;
    let mut notes_done = false;
    std::iter::from_fn(move || {
        if first || endpoints.peek().is_some() {
            first = false;
            let chunk: Vec<EndpointReport> = endpoints.by_ref().take(ROWS_PER_TABLE).collect();
            // Least useful first: the prefix count, format, samples, size,
            // HTTP status, lint counts, families, timing.
            let table = fit(rows(&chunk, color), &[9, 6, 8, 5, 2, 10, 7, 4]);
            return Some(format!("{table}\n"));
        }
        if notes_done {
            return None;
        }
        notes_done = true;
        let mut out = String::new();
        notes(report, &mut out);
        Some(out)
    })
}

/// One row per endpoint.
fn rows(endpoints: &[EndpointReport], color: bool) -> comfy_table::Table {
    let mut table = new_table(
        &[
            "ENDPOINT",
            "URL",
            "HTTP",
            "HEALTH",
            "TIME (median/p95)",
            "SIZE",
            "FORMAT",
            "FAMILIES",
            "SAMPLES",
            "PREFIX",
            "LINT",
            "RESULT",
        ],
        color,
    );
    for r in endpoints {
        let (health, tone) = match (r.health_ok, &r.health_service) {
            (Some(true), Some(s)) => (format!("ok ({s})"), Tone::Good),
            (Some(true), None) => ("ok".into(), Tone::Good),
            (Some(false), _) => ("fail".into(), Tone::Bad),
            (None, _) => ("-".into(), Tone::Plain),
        };
        let time = r.timing_ms.map_or_else(
            || "-".to_string(),
            |t| format!("{:.1}/{:.1} ms", t.median, t.p95),
        );
        let errors = r
            .lint
            .iter()
            .filter(|l| l.severity == Severity::Error)
            .count();
        let warnings = r.lint.len() - errors;
        table.add_row(vec![
            cell(&r.name),
            cell(match &r.final_url {
                Some(f) => format!("{} -> {f}", r.url),
                None => r.url.clone(),
            }),
            cell(
                r.http_status
                    .map_or_else(|| "-".to_string(), |s| s.to_string()),
            ),
            status_cell(&health, tone, color),
            cell(time),
            cell(human::bytes(r.bytes)),
            cell(r.format.map_or("-", |f| f.name())),
            cell(format!(
                "{}{}",
                r.families,
                if r.missing_families.is_empty() {
                    String::new()
                } else {
                    format!(" ({} absent)", r.missing_families.len())
                }
            )),
            cell(r.samples),
            cell(r.prefix_samples),
            cell(format!("{errors}E {warnings}W")),
            if r.ok {
                status_cell("pass", Tone::Good, color)
            } else {
                status_cell("fail", Tone::Bad, color)
            },
        ]);
    }
    table
}

/// After the table: each endpoint's errors, warnings, lint findings (at most
/// 10) and Prometheus' view; then the summary line.
fn notes(report: &PullReport, out: &mut String) {
    for r in report.endpoints() {
        for e in &r.errors {
            let _ = writeln!(
                *out,
                "{}: error: {}",
                terminal_safe(&r.name),
                terminal_safe(e)
            );
        }
        for w in &r.warnings {
            let _ = writeln!(
                *out,
                "{}: warning: {}",
                terminal_safe(&r.name),
                terminal_safe(w)
            );
        }
        for l in r
            .lint
            .iter()
            .filter(|l| l.severity != Severity::Info)
            .take(10)
        {
            let _ = writeln!(
                *out,
                "{}: lint {:?}: {} {}",
                terminal_safe(&r.name),
                l.severity,
                terminal_safe(&l.metric),
                terminal_safe(&l.message)
            );
        }
        if let Some(p) = &r.prometheus {
            match (&p.job, &p.health) {
                (Some(job), Some(h)) => {
                    let _ = writeln!(
                        *out,
                        "{}: Prometheus scrapes it as job {}, health {}",
                        terminal_safe(&r.name),
                        terminal_safe(job),
                        terminal_safe(h)
                    );
                }
                _ => {
                    let _ = writeln!(
                        *out,
                        "{}: Prometheus does not scrape this endpoint",
                        terminal_safe(&r.name)
                    );
                }
            }
        }
    }
    if let Some(n) = report.prometheus_active_targets {
        let _ = writeln!(out, "Prometheus active targets: {n}");
    }
    let passed = report.endpoints().filter(|r| r.ok).count();
    let _ = writeln!(
        *out,
        "{} endpoints: {passed} passed, {} failed",
        report.len(),
        report.len() - passed
    );
}

/// test-pull's checks as one JUnit suite (smoke uses it as a stage).
pub fn suite(name: &str, report: &PullReport) -> JunitSuite {
    JunitSuite {
        name: name.to_string(),
        cases: cases(report).collect(),
    }
}

/// One case per endpoint check, in endpoint order.
fn cases(report: &PullReport) -> impl Iterator<Item = Case> + '_ {
    report.endpoints().flat_map(|r| {
        let seconds = r.timing_ms.map_or(0.0, |t| t.median / 1000.0);
        r.checks
            .into_iter()
            .map(move |c| Case {
                class: r.role.clone(),
                name: format!("{} {}", r.name, c.check.name()),
                seconds,
                status: match c.status {
                    CheckStatus::Pass => CaseStatus::Pass,
                    CheckStatus::Fail => CaseStatus::Fail(c.failures),
                    CheckStatus::Skip => {
                        CaseStatus::Skip("not run: an earlier check failed".into())
                    }
                },
            })
            .collect::<Vec<_>>()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probe::{CheckKind, CheckOutcome, EndpointReport};

    fn report() -> PullReport {
        let e = crate::probe::Endpoint {
            name: "logger-1".into(),
            role: Some(crate::catalogue::ServiceRole::Logger),
            metrics_url: "http://127.0.0.1:9090/metrics".parse().unwrap(),
            health_url: None,
            follow_redirects: true,
            security: crate::probe::security::ScrapeSecurity::none(),
            fallback: None,
        };
        let mut r = EndpointReport::aborted(&e, "boom \u{1b}[31m <&>");
        r.checks.push(CheckOutcome {
            check: CheckKind::Parse,
            status: CheckStatus::Skip,
            failures: vec![],
        });
        PullReport::from_reports(vec![r], None)
    }

    #[test]
    fn junit_comes_from_typed_outcomes() {
        let x = crate::output::junit::render(&[suite("gpucharts-mon test-pull", &report())]);
        assert!(
            x.contains("tests=\"2\" failures=\"1\" skipped=\"1\""),
            "{x}"
        );
        assert!(
            x.contains("name=\"logger-1 reachable\" time=\"0.000\"><failure"),
            "{x}"
        );
        assert!(
            x.contains("name=\"logger-1 parse\" time=\"0.000\"><skipped message="),
            "{x}"
        );
        assert!(x.contains("&lt;&amp;&gt;") && !x.contains('\u{1b}'), "{x}");
    }

    #[test]
    fn packed_reports_unpack_unchanged() {
        let report = report();
        let again: Vec<EndpointReport> = report.endpoints().collect();
        assert_eq!(again.len(), 1);
        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(
            json["endpoints"][0],
            serde_json::to_value(&again[0]).unwrap()
        );
        assert_eq!(json["endpoints"][0]["checks"][1]["status"], "skip");
        assert_eq!(json["ok"], false);
    }

    #[test]
    fn table_escapes_and_summarises() {
        let t: String = table(&report(), false).collect();
        assert!(t.contains("1 endpoints: 0 passed, 1 failed"), "{t}");
        assert!(!t.contains('\u{1b}'), "{t}");
    }
}
