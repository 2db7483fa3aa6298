//! `gpucharts-mon query`: an instant PromQL query, as a table, JSON or jq.

use std::collections::BTreeSet;
use std::process::ExitCode;

use serde::Serialize;

use crate::Ctx;
use crate::cli::{QueryArgs, ReportFormat};
use crate::context::{compile_jq, prometheus_client};
use crate::error;
use crate::output::chart;
use crate::output::print_jq;
use crate::output::table::{cell, new_table, print_machine};
use crate::promapi::client::decode_data;
use crate::promapi::query::{QueryResult, Window, normalise, range};
use crate::promapi::types::QueryData;
use crate::promapi::{REQUEST_TIMEOUT, classify};
use crate::values::PromDuration;

#[derive(Serialize)]
struct QueryReport<'a> {
    ok: bool,
    query: &'a str,
    #[serde(flatten)]
    result: QueryResult,
}

pub async fn run(args: &QueryArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let jq = compile_jq(&args.jq)?;
    let prom = prometheus_client(&args.prometheus, &ctx.inventory, REQUEST_TIMEOUT)?;
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
        None => {
            let query = [("query", promql.as_str())];
            let body = prom
                .get_raw("api/v1/query", &query)
                .await
                .map_err(classify)?;
            let data: QueryData = decode_data("api/v1/query", &body).map_err(classify)?;
            let result = normalise(data);
            (body, result)
        }
        Some(w) => range(&prom, &promql, w).await.map_err(classify)?,
    };
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
            (ReportFormat::Table, Some(w)) => print_charts(&report.result, w, width),
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

/// The most series a table shows; the rest are counted, and the JSON and
/// YAML output hold them all.
const MAX_TABLE_SERIES: usize = 10_000;

fn print_table(result: &QueryResult, color: bool) {
    if result.series.is_empty() {
        crate::outln!(
            "empty result ({})",
            crate::text::terminal_safe(&result.result_type)
        );
        return;
    }
    // __name__ first, then the other labels in order.
    let names: BTreeSet<&str> = result
        .series
        .iter()
        .flat_map(|s| s.labels.keys().map(String::as_str))
        .collect();
    let mut columns: Vec<&str> = names.iter().copied().filter(|n| *n != "__name__").collect();
    if names.contains("__name__") {
        columns.insert(0, "__name__");
    }
    let mut headers: Vec<String> = columns.iter().map(|c| (*c).to_string()).collect();
    headers.push("value".into());
    let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
    let mut table = new_table(&headers, color);
    for s in result.series.iter().take(MAX_TABLE_SERIES) {
        let mut row: Vec<_> = columns
            .iter()
            .map(|c| cell(s.labels.get(c).map_or("", String::as_str)))
            .collect();
        let values: Vec<&str> = s.samples.iter().map(|(_, v)| v.as_str()).collect();
        row.push(cell(values.join(", ")));
        table.add_row(row);
    }
    crate::outln!("{table}");
    crate::outln!(
        "{} series ({})",
        result.series.len(),
        crate::text::terminal_safe(&result.result_type)
    );
    if result.series.len() > MAX_TABLE_SERIES {
        crate::outln!("showing the first {MAX_TABLE_SERIES}; --output-format json lists them all");
    }
}

fn print_charts(result: &QueryResult, window: Window, width: usize) {
    if result.series.is_empty() {
        crate::outln!("empty result");
        return;
    }
    let (common, titles) = chart::split_common(&result.series);
    if !common.is_empty() {
        crate::outln!("every series: {}", crate::text::terminal_safe(&common));
    }
    for (s, title) in result.series.iter().zip(&titles) {
        crate::out!("{}", chart::draw(title, s, window, width));
    }
    crate::outln!(
        "{} series, a point every {}",
        result.series.len(),
        PromDuration::from_millis((window.step * 1000.0) as u64)
    );
}
