//! `gpucharts-mon query`: an instant PromQL query, as a table, JSON or jq;
//! with `--range`, a chart per series.

use std::process::ExitCode;

use crate::Ctx;
use crate::cli::{QueryArgs, ReportFormat};
use crate::context::{compile_jq, prometheus_client, range_window};
use crate::error;
use crate::output::chart;
use crate::output::chart::Unit;
use crate::output::print_jq;
use crate::output::query::{QueryReport, print_charts, print_table};
use crate::output::table::print_machine;
use crate::promapi::query::{instant, range};

pub async fn run(args: &QueryArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let jq = compile_jq(&args.jq)?;
    let prom = prometheus_client(&args.prometheus, ctx)?;
    let promql = args
        .promql
        .clone()
        .unwrap_or_else(|| ctx.inventory.up_query());
    let width = chart::terminal_width();
    let window = args
        .range
        .map(|r| range_window(r, args.step, width))
        .transpose()?;
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
        match (args.output.format, window) {
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
