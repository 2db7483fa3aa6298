//! `gpucharts-mon query`: an instant PromQL query, as a table, JSON or jq;
//! with `--range`, a chart per series.

use std::process::ExitCode;

use crate::Ctx;
use crate::cli::{QueryArgs, ReportFormat};
use crate::context::{compile_jq, prometheus_client};
use crate::error;
use crate::output::chart;
use crate::output::chart::Unit;
use crate::output::print_jq;
use crate::output::query::{QueryReport, print_charts, print_table};
use crate::output::table::print_machine;
use crate::promapi::REQUEST_TIMEOUT;
use crate::promapi::query::{Window, instant, range};
use crate::values::PromDuration;

pub async fn run(args: &QueryArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let jq = compile_jq(&args.jq)?;
    let prom = prometheus_client(&args.prometheus, ctx, REQUEST_TIMEOUT)?;
    let promql = args
        .promql
        .clone()
        .unwrap_or_else(|| ctx.inventory.up_query());
    let width = chart::terminal_width();
    let window = match args.range {
        None => None,
        Some(range) => {
            let w = Window::last(
                range.as_millis() as f64 / 1000.0,
                args.step.map(|s| s.as_millis() as f64 / 1000.0),
                width.saturating_sub(11),
            );
            if w.step <= 0.0 || w.points() > 11_000.0 {
                return Err(error::usage(format!(
                    "--range {range} --step {}: {:.0} points per series; Prometheus answers at most 11000 (use a larger --step)",
                    PromDuration::from_millis((w.step * 1000.0) as u64),
                    w.points()
                )));
            }
            Some(w)
        }
    };
    let (body, result) = match window {
        None => instant(&prom, &promql).await,
        Some(w) => range(&prom, &promql, w).await,
    }
    .map_err(error::domain)?;
    let empty = result.series.is_empty();
    if let Some((jq, opts)) = jq {
        print_jq(&jq, opts, &body)?;
    } else {
        // The answer is decoded: its bytes are not needed while rendering.
        drop(body);
        let report = QueryReport {
            ok: !(empty && args.fail_empty),
            query: &promql,
            result,
        };
        match (args.output, window) {
            (ReportFormat::Table, Some(w)) => {
                print_charts(&report.result, w, width, Unit::of_query(&promql));
            }
            (ReportFormat::Table, None) => print_table(&report.result, ctx.color),
            (format, _) => print_machine(&report, format)?,
        }
    }
    if empty && args.fail_empty {
        error::check_failed(format!("the query returned no data: {promql}"));
        return Ok(ExitCode::from(error::Kind::Failed.code()));
    }
    Ok(ExitCode::SUCCESS)
}
