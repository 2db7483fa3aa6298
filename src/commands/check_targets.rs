//! `gpucharts-mon check-targets`: is every GPU Charts target scraped and
//! healthy, and if not, why.

use std::process::ExitCode;

use crate::Ctx;
use crate::cli::{CheckTargetsArgs, ReportFormat, TargetsFormat};
use crate::context::{compile_jq, prometheus_client};
use crate::error;
use crate::output::human;
use crate::output::print_jq;
use crate::output::spinner;
use crate::output::table::{cell, new_table, print_machine, status_cell};
use crate::promapi::health::{Criteria, Expectation, TargetReport, wait_for_targets};
use crate::promapi::{REQUEST_TIMEOUT, classify};
use crate::values::anchored_regex;

pub async fn run(args: &CheckTargetsArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let job_text = args
        .job
        .clone()
        .unwrap_or_else(|| ctx.inventory.job_regex());
    let job = anchored_regex(&job_text).map_err(|e| error::usage(format!("--job: {e}")))?;
    let expects = args
        .expect
        .iter()
        .map(|e| e.parse::<Expectation>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(error::usage)?;
    let jq = compile_jq(&args.jq)?;
    let prom = prometheus_client(&args.prometheus, &ctx.inventory, REQUEST_TIMEOUT)?;

    if let Some((jq, opts)) = jq {
        // The raw answer, exactly what `curl .../api/v1/targets` returns.
        let body = prom
            .get_raw("api/v1/targets", &[])
            .await
            .map_err(classify)?;
        print_jq(&jq, opts, &body)?;
        return Ok(ExitCode::SUCCESS);
    }

    let criteria = Criteria {
        job: &job,
        expects: &expects,
        dropped: args.dropped,
    };
    let wait = args.wait.map(|w| w.as_std());
    let bar = wait.and_then(|_| spinner("waiting for targets to be scraped"));
    let report = wait_for_targets(&prom, &criteria, wait)
        .await
        .map_err(classify);
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let report = report?;
    match args.output {
        TargetsFormat::Table => {
            // Which Prometheus answered, for the operator reading the table.
            if let Ok(build) = prom.build_info().await {
                crate::outln!(
                    "Prometheus {} at {}",
                    crate::output::terminal_safe(&build.version),
                    prom.shown_url()
                );
            }
            print_table(&report, ctx.color);
        }
        TargetsFormat::Json => print_machine(&report, ReportFormat::Json)?,
        TargetsFormat::Yaml => print_machine(&report, ReportFormat::Yaml)?,
        TargetsFormat::Junit => crate::out!(
            "{}",
            crate::output::junit::render(&[crate::output::junit::targets_suite(
                "gpucharts-mon check-targets",
                &report
            )])
        ),
    }
    Ok(if report.ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(error::Kind::Failed.code())
    })
}

fn print_table(report: &TargetReport, color: bool) {
    if !report.targets.is_empty() {
        let mut table = new_table(
            &[
                "JOB",
                "INSTANCE",
                "HEALTH",
                "LAST SCRAPE",
                "DURATION",
                "URL",
                "ERROR",
            ],
            color,
        );
        for t in &report.targets {
            let age = t.last_scrape_age_seconds.map_or_else(
                || "never".to_string(),
                |a| format!("{} ago", human::seconds(a)),
            );
            let duration = match (t.timeout_share, &t.scrape_timeout) {
                (Some(share), Some(to)) => format!(
                    "{} ({} of {to})",
                    human::seconds(t.last_scrape_duration_seconds),
                    human::percent(share)
                ),
                _ => human::seconds(t.last_scrape_duration_seconds),
            };
            table.add_row(vec![
                cell(&t.job),
                cell(&t.instance),
                status_cell(&t.health, color),
                cell(age),
                cell(duration),
                cell(&t.scrape_url),
                cell(&t.last_error),
            ]);
        }
        crate::outln!("{table}");
    }
    if let Some(dropped) = &report.dropped {
        if dropped.is_empty() {
            crate::outln!("no dropped targets match");
        } else {
            let mut table = new_table(&["DROPPED JOB", "ADDRESS", "DISCOVERED LABELS"], color);
            for d in dropped {
                let labels: Vec<String> = d
                    .discovered_labels
                    .iter()
                    .filter(|(k, _)| k.as_str() != "job" && k.as_str() != "__address__")
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect();
                table.add_row(vec![
                    cell(&d.job),
                    cell(&d.address),
                    cell(labels.join("\n")),
                ]);
            }
            crate::outln!("{table}");
        }
    }
    for e in &report.expectations {
        crate::outln!(
            "expect {} >= {}: found {} {}",
            e.job,
            e.min,
            e.found,
            if e.ok { "ok" } else { "FAILED" }
        );
    }
    let s = &report.summary;
    crate::outln!(
        "{} targets: {} up, {} down, {} unknown",
        s.targets,
        s.up,
        s.down,
        s.unknown
    );
    for p in &report.problems {
        error::check_failed(p);
    }
}
