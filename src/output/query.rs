//! query's output: a table of the instant result, a chart per series of a
//! range, or the answer as JSON/YAML.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::output::chart;
use crate::output::table::{cell, fit, new_table};
use crate::promapi::query::{QueryResult, Window};
use crate::values::PromDuration;

#[derive(Serialize)]
pub(crate) struct QueryReport<'a> {
    pub ok: bool,
    pub query: &'a str,
    #[serde(flatten)]
    pub result: QueryResult,
}

/// The most series a table shows; the rest are counted, and the JSON and
/// YAML output hold them all.
const MAX_TABLE_SERIES: usize = 10_000;

pub(crate) fn print_table(result: &QueryResult, color: bool) {
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
    crate::outln!("{}", fit(table, &[]));
    crate::outln!(
        "{} series ({})",
        result.series.len(),
        crate::text::terminal_safe(&result.result_type)
    );
    if result.series.len() > MAX_TABLE_SERIES {
        crate::outln!("showing the first {MAX_TABLE_SERIES}; --output-format json lists them all");
    }
}

/// One chart per series on a shared axis in `unit` (see
/// [`chart::Unit::of_query`]).
pub(crate) fn print_charts(result: &QueryResult, window: Window, width: usize, unit: chart::Unit) {
    if result.series.is_empty() {
        crate::outln!("empty result");
        return;
    }
    let (common, titles) = chart::split_common(&result.series);
    if !common.is_empty() {
        crate::outln!("every series: {}", crate::text::terminal_safe(&common));
    }
    let axis = chart::Axis::shared(&result.series, unit);
    for (s, title) in result.series.iter().zip(&titles) {
        crate::out!("{}", chart::draw(title, s, window, width, axis));
    }
    crate::outln!(
        "{} series, a point every {}",
        result.series.len(),
        PromDuration::from_millis((window.step * 1000.0) as u64)
    );
}
