//! The alert set for GPU Charts: names, default thresholds and `for`
//! durations, and how overrides apply. The rule text lives in the template.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::inventory::RuleOverride;
use crate::values::PromDuration;

/// (alert, default threshold if it has one, default `for`, what the threshold means)
/// (name, default threshold, default `for` in seconds, threshold unit, severity)
pub const ALERTS: [(&str, Option<f64>, u64, &str, &str); 12] = [
    ("MetricsEndpointDown", None, 300, "", "critical"),
    ("MetricsJobAbsent", None, 300, "", "critical"),
    ("ExchangeDisconnected", None, 120, "", "critical"),
    ("ExchangeNoMessages", None, 300, "", "warning"),
    (
        "ExchangeErrorRate",
        Some(1.0),
        300,
        "errors per second per exchange",
        "warning",
    ),
    (
        "ExchangeReconnectionLoop",
        Some(5.0),
        0,
        "reconnections in 15 minutes",
        "warning",
    ),
    (
        "WebsocketLatencyHigh",
        Some(0.5),
        600,
        "p95 latency, seconds",
        "warning",
    ),
    (
        "ServerErrorRatioHigh",
        Some(0.05),
        300,
        "share of 5xx responses",
        "critical",
    ),
    (
        "ServerRequestLatencyHigh",
        Some(1.0),
        600,
        "p99 latency, seconds",
        "warning",
    ),
    (
        "CacheHitRatioLow",
        Some(0.8),
        900,
        "hit ratio below which to alert",
        "warning",
    ),
    (
        "SlowDataQueries",
        Some(0.1),
        600,
        "p95 query duration, seconds",
        "warning",
    ),
    (
        "StaleData",
        Some(300.0),
        300,
        "seconds since last update",
        "warning",
    ),
];

#[derive(Debug, Clone, Serialize)]
pub struct AlertParams {
    pub threshold: Option<f64>,
    /// `critical` pages, `warning` does not (the Alertmanager routes use it).
    pub severity: &'static str,
    #[serde(rename = "for")]
    pub for_: String,
}

/// Default parameters with overrides applied; an unknown alert name or a
/// threshold on an alert that has none is an error naming the valid choices.
pub fn resolve(
    overrides: &BTreeMap<String, (RuleOverride, String)>,
) -> Result<BTreeMap<String, AlertParams>, String> {
    let mut out: BTreeMap<String, AlertParams> = ALERTS
        .iter()
        .map(|(name, threshold, secs, _, severity)| {
            (
                (*name).to_string(),
                AlertParams {
                    threshold: *threshold,
                    severity,
                    for_: PromDuration::from_secs(*secs).to_string(),
                },
            )
        })
        .collect();
    for (name, (ov, origin)) in overrides {
        let Some(params) = out.get_mut(name) else {
            let names: Vec<&str> = ALERTS.iter().map(|a| a.0).collect();
            return Err(format!(
                "unknown alert '{name}' ({origin}); alerts are: {}",
                names.join(", ")
            ));
        };
        if let Some(t) = ov.threshold {
            if params.threshold.is_none() {
                return Err(format!("alert '{name}' has no threshold to set ({origin})"));
            }
            if !t.is_finite() {
                return Err(format!(
                    "threshold of '{name}' must be a finite number ({origin})"
                ));
            }
            params.threshold = Some(t);
        }
        if let Some(f) = ov.for_ {
            params.for_ = f.to_string();
        }
    }
    Ok(out)
}
