//! Query results in one shape, whatever the result type; range queries.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use super::types::QueryData;

#[derive(Debug, Clone, Serialize)]
pub struct Series {
    pub labels: BTreeMap<String, String>,
    /// (unix seconds, value as Prometheus wrote it: "1", "NaN", "+Inf", ...)
    pub samples: Vec<(f64, String)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct QueryResult {
    pub result_type: String,
    pub series: Vec<Series>,
}

fn sample(v: &Value) -> Option<(f64, String)> {
    let pair = v.as_array()?;
    let ts = pair.first()?.as_f64()?;
    let val = pair.get(1)?;
    Some((
        ts,
        val.as_str().map_or_else(|| val.to_string(), str::to_string),
    ))
}

fn labels(v: &Value) -> BTreeMap<String, String> {
    v.get("metric")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                .collect()
        })
        .unwrap_or_default()
}

/// Normalise vector, matrix, scalar and string results. Native histogram
/// samples (`histogram`/`histograms`) are shown as their count.
pub fn normalise(data: &QueryData) -> QueryResult {
    let r = &data.result;
    let series = match data.result_type.as_str() {
        "scalar" | "string" => sample(r)
            .map(|s| Series {
                labels: BTreeMap::new(),
                samples: vec![s],
            })
            .into_iter()
            .collect(),
        _ => r
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .map(|item| {
                        let mut samples: Vec<(f64, String)> = Vec::new();
                        if let Some(s) = item.get("value").and_then(sample) {
                            samples.push(s);
                        }
                        if let Some(vals) = item.get("values").and_then(Value::as_array) {
                            samples.extend(vals.iter().filter_map(sample));
                        }
                        if let Some(h) = item.get("histogram") {
                            samples.extend(histogram_sample(h));
                        }
                        if let Some(hs) = item.get("histograms").and_then(Value::as_array) {
                            samples.extend(hs.iter().filter_map(histogram_sample));
                        }
                        Series {
                            labels: labels(item),
                            samples,
                        }
                    })
                    .collect()
            })
            .unwrap_or_default(),
    };
    QueryResult {
        result_type: data.result_type.clone(),
        series,
    }
}

fn histogram_sample(h: &Value) -> Option<(f64, String)> {
    let pair = h.as_array()?;
    let ts = pair.first()?.as_f64()?;
    let count = pair.get(1)?.get("count")?.as_str()?;
    Some((ts, format!("histogram(count={count})")))
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
    Ok((body, normalise(&data)))
}
