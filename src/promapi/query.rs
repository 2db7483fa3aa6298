//! Query results in one shape, whatever the result type; range queries.

use serde::Serialize;

use super::types::{HistogramCount, Labels, QueryData};

#[derive(Debug, Clone, Serialize)]
pub struct Series {
    pub labels: Labels,
    /// (unix seconds, value as Prometheus wrote it: "1", "NaN", "+Inf", ...)
    pub samples: Vec<(f64, String)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct QueryResult {
    pub result_type: String,
    pub series: Vec<Series>,
}

/// Normalise vector, matrix, scalar and string results. Native histogram
/// samples (`histogram`/`histograms`) are shown as their count.
pub(crate) fn normalise(data: QueryData) -> QueryResult {
    let series = match data.result_type.as_str() {
        "scalar" | "string" => data
            .result
            .pair
            .map(|s| Series {
                labels: Labels::default(),
                samples: vec![s],
            })
            .into_iter()
            .collect(),
        _ => data
            .result
            .series
            .into_iter()
            .map(|item| {
                let count =
                    |(t, h): (f64, HistogramCount)| (t, format!("histogram(count={})", h.count));
                let mut samples: Vec<(f64, String)> = Vec::new();
                samples.extend(item.value.map(|(t, v)| (t, v.0)));
                samples.extend(item.values.into_iter().flatten().map(|(t, v)| (t, v.0)));
                samples.extend(item.histogram.map(count));
                samples.extend(item.histograms.into_iter().flatten().map(count));
                Series {
                    labels: item.metric,
                    samples,
                }
            })
            .collect(),
    };
    QueryResult {
        result_type: data.result_type,
        series,
    }
}

/// A range over which to query: the last `range` seconds up to `end`, a
/// sample every `step` seconds.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    pub start: f64,
    pub end: f64,
    pub step: f64,
}

impl Window {
    /// The last `range` ending now, with `step`, or by default a step that
    /// gives about `points` samples (at least 1 s, as whole seconds).
    pub fn last(range: f64, step: Option<f64>, points: usize) -> Self {
        let end = (super::time::now_unix() * 1000.0).ceil() / 1000.0;
        let step = step.unwrap_or_else(|| (range / points.max(1) as f64).ceil().max(1.0));
        Self {
            start: end - range,
            end,
            step,
        }
    }

    /// Prometheus refuses more than 11,000 points per series.
    pub fn points(&self) -> f64 {
        (self.end - self.start) / self.step
    }
}

/// `/api/v1/query` for `expr`: the raw answer (for jq) and its series.
pub(crate) async fn instant(
    client: &super::client::PromClient,
    expr: &str,
) -> Result<(bytes::Bytes, QueryResult), super::client::ApiError> {
    let body = client.get_raw("api/v1/query", &[("query", expr)]).await?;
    let data: super::types::QueryData = super::client::decode_data("api/v1/query", &body)?;
    Ok((body, normalise(data)))
}

/// `/api/v1/query_range` for `expr` over `window`: the raw answer (for jq)
/// and its series.
pub async fn range(
    client: &super::client::PromClient,
    expr: &str,
    window: Window,
) -> Result<(bytes::Bytes, QueryResult), super::client::ApiError> {
    let (start, end, step) = (
        window.start.to_string(),
        window.end.to_string(),
        window.step.to_string(),
    );
    let params = [
        ("query", expr),
        ("start", start.as_str()),
        ("end", end.as_str()),
        ("step", step.as_str()),
    ];
    let body = client.get_raw("api/v1/query_range", &params).await?;
    let data: QueryData = super::client::decode_data("api/v1/query_range", &body)?;
    Ok((body, normalise(data)))
}
