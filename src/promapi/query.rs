//! Instant query results in one shape, whatever the result type.

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
