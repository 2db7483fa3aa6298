//! The synthetic input of each alert's two tests: series that fire it, and
//! healthy series that must not.

use std::collections::BTreeMap;

use crate::catalogue::Catalogue;
use crate::rules::AlertParams;
use crate::values::PromDuration;

use super::AlertRule;

pub(super) struct Deployment<'a> {
    pub(super) logger_job: &'a str,
    pub(super) server_job: &'a str,
    pub(super) catalogue: &'a Catalogue,
}

const LOGGER_INSTANCE: &str = "logger-1:9090";
const SERVER_INSTANCE: &str = "server-1:9091";

/// One synthetic input series: its labels (with `__name__`) and its values
/// in promtool's expanding notation, one sample per minute.
pub(super) struct Series {
    pub(super) name: &'static str,
    pub(super) labels: Vec<(&'static str, String)>,
    pub(super) values: String,
}

/// Input that fires (or must not fire) one alert.
pub(super) struct Scenario {
    pub(super) series: Vec<Series>,
    /// Labels of each expected alert, from the expression (the rule's own
    /// labels are added from the rendered rule).
    pub(super) alerts: Vec<BTreeMap<String, String>>,
    /// The expression's value for the expected alerts.
    pub(super) value: f64,
}

/// A counter whose rate is `per_sec` for `minutes` minutes.
fn counter(per_sec: f64, minutes: u64) -> String {
    format!("0+{}x{minutes}", per_sec * 60.0)
}

pub(super) fn constant(v: f64, minutes: u64) -> String {
    format!("{v}x{minutes}")
}

fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
        .collect()
}

/// Buckets of a catalogue histogram.
fn buckets(catalogue: &Catalogue, family: &str) -> Result<Vec<f64>, String> {
    catalogue
        .families()
        .find(|f| f.name == family)
        .map(|f| f.buckets.clone())
        .filter(|b| !b.is_empty())
        .ok_or_else(|| format!("the catalogue has no histogram {family}"))
}

/// Bucket series of `family` with every observation above the largest finite
/// bucket (`slow`), or in the lowest (`!slow`): one observation per second.
fn histogram(
    family: &'static str,
    bounds: &[f64],
    base: &[(&'static str, String)],
    slow: bool,
    minutes: u64,
) -> Vec<Series> {
    let mut les: Vec<String> = bounds.iter().map(f64::to_string).collect();
    les.push("+Inf".into());
    les.into_iter()
        .map(|le| {
            let filled = !slow || le == "+Inf";
            let mut labels = base.to_vec();
            labels.push(("le", le));
            Series {
                name: family,
                labels,
                values: if filled {
                    counter(1.0, minutes)
                } else {
                    constant(0.0, minutes)
                },
            }
        })
        .collect()
}

/// Fire and healthy input for a histogram quantile alert over `family`:
/// every observation above the largest bucket makes the quantile that bucket
/// (the most `histogram_quantile` can return), every one in the lowest bucket
/// makes it a fraction of the lowest bound.
fn quantile_case(
    alert: &str,
    threshold: f64,
    quantile: f64,
    (family, bounds): (&'static str, &[f64]),
    base: Vec<(&'static str, String)>,
    alert_labels: BTreeMap<String, String>,
    minutes: u64,
) -> Result<(Scenario, Scenario), String> {
    let (Some(&lowest), Some(&largest)) = (bounds.first(), bounds.last()) else {
        return Err(format!("{family} has no buckets"));
    };
    if threshold >= largest {
        return Err(format!(
            "{alert} can never fire: its threshold {threshold} is not below the largest bucket ({largest}) of {family}, the most histogram_quantile returns"
        ));
    }
    if threshold < lowest * quantile {
        return Err(format!(
            "{alert} always fires: its threshold {threshold} is below what the lowest bucket ({lowest}) of {family} gives"
        ));
    }
    Ok((
        Scenario {
            series: histogram(family, bounds, &base, true, minutes),
            alerts: vec![alert_labels],
            value: largest,
        },
        Scenario {
            series: histogram(family, bounds, &base, false, minutes),
            alerts: vec![],
            value: 0.0,
        },
    ))
}

/// Minutes from the first sample to the evaluation: the expression's window
/// filled, the `for` elapsed, and one evaluation for the recording rules.
fn eval_minutes(window_secs: u64, for_secs: u64) -> u64 {
    (window_secs + for_secs).div_ceil(60) + 3
}

/// Fire and healthy scenarios for one alert, and the evaluation time.
pub(super) fn scenarios(
    rule: &AlertRule,
    params: &AlertParams,
    dep: &Deployment,
    job_of: &BTreeMap<String, String>,
) -> Result<(Scenario, Scenario, u64), String> {
    let for_secs = params
        .for_
        .parse::<PromDuration>()
        .map_err(|e| format!("{}: for: {e}", rule.name))?
        .as_millis()
        .div_ceil(1000);
    let t = params.threshold.unwrap_or(0.0);
    let (lj, sj) = (dep.logger_job.to_string(), dep.server_job.to_string());
    let logger = || {
        vec![
            ("job", lj.clone()),
            ("instance", LOGGER_INSTANCE.to_string()),
        ]
    };
    let server = || {
        vec![
            ("job", sj.clone()),
            ("instance", SERVER_INSTANCE.to_string()),
        ]
    };
    let with = |mut base: Vec<(&'static str, String)>, more: &[(&'static str, &str)]| {
        base.extend(more.iter().map(|(k, v)| (*k, (*v).to_string())));
        base
    };
    let logger_alert = |more: &[(&str, &str)]| {
        let mut l = labels(&[("job", &lj), ("instance", LOGGER_INSTANCE)]);
        l.extend(labels(more));
        l
    };
    let server_alert = |more: &[(&str, &str)]| {
        let mut l = labels(&[("job", &sj), ("instance", SERVER_INSTANCE)]);
        l.extend(labels(more));
        l
    };
    let single = |name, labels, fire: String, healthy: String, alert, value| {
        (
            Scenario {
                series: vec![Series {
                    name,
                    labels: Vec::clone(&labels),
                    values: fire,
                }],
                alerts: vec![alert],
                value,
            },
            Scenario {
                series: vec![Series {
                    name,
                    labels,
                    values: healthy,
                }],
                alerts: vec![],
                value: 0.0,
            },
        )
    };
    // A rate above the threshold, and one at most half of it (never
    // negative: a negative threshold cannot stay quiet).
    let rates = |what: &str| -> Result<(f64, f64), String> {
        if t < 0.0 {
            return Err(format!(
                "{} always fires: its threshold {t} is negative and {what} is not",
                rule.name
            ));
        }
        Ok((2.0 * t + 1.0, t / 2.0))
    };
    let bounds = |family| buckets(dep.catalogue, family);
    let name = rule.name.as_str();
    let (window, (fire, healthy)) = match name {
        "MetricsEndpointDown" => {
            let m = eval_minutes(0, for_secs);
            (
                0,
                single(
                    "up",
                    logger(),
                    constant(0.0, m),
                    constant(1.0, m),
                    logger_alert(&[]),
                    0.0,
                ),
            )
        }
        "MetricsJobAbsent" => {
            let m = eval_minutes(0, for_secs);
            let job = job_of
                .get(rule.labels.get("service").map_or("", String::as_str))
                .ok_or_else(|| format!("{name}: a rule without a known service label"))?;
            // Fires with no `up` of the job at all (another job is there),
            // stays quiet while the job has a target.
            (
                0,
                single(
                    "up",
                    vec![("job", "some-other-job".into()), ("instance", "x:1".into())],
                    constant(1.0, m),
                    constant(1.0, m),
                    labels(&[("job", job)]),
                    1.0,
                ),
            )
        }
        "ExchangeDisconnected" => {
            let m = eval_minutes(0, for_secs);
            (
                0,
                single(
                    "gpu_charts_exchange_connection_status",
                    with(logger(), &[("exchange", "binance")]),
                    constant(0.0, m),
                    constant(1.0, m),
                    logger_alert(&[("exchange", "binance")]),
                    0.0,
                ),
            )
        }
        "ExchangeNoMessages" => {
            let m = eval_minutes(300, for_secs);
            (
                300,
                single(
                    "gpu_charts_exchange_messages_total",
                    with(
                        logger(),
                        &[("exchange", "binance"), ("message_type", "trade")],
                    ),
                    constant(100.0, m),
                    counter(1.0, m),
                    logger_alert(&[("exchange", "binance")]),
                    0.0,
                ),
            )
        }
        "ExchangeErrorRate" => {
            let m = eval_minutes(300, for_secs);
            let (hot, calm) = rates("an error rate")?;
            (
                300,
                single(
                    "gpu_charts_exchange_errors_total",
                    with(
                        logger(),
                        &[("exchange", "binance"), ("error_type", "timeout")],
                    ),
                    counter(hot, m),
                    counter(calm, m),
                    logger_alert(&[("exchange", "binance")]),
                    hot,
                ),
            )
        }
        "ExchangeReconnectionLoop" => {
            let m = eval_minutes(900, for_secs);
            let (hot, calm) = rates("a reconnection count")?;
            (
                900,
                single(
                    "gpu_charts_exchange_reconnections_total",
                    with(logger(), &[("exchange", "binance")]),
                    counter(hot / 900.0, m),
                    counter(calm / 900.0, m),
                    logger_alert(&[("exchange", "binance")]),
                    hot,
                ),
            )
        }
        "StaleData" => {
            if t < 0.0 {
                return Err(format!(
                    "{name} always fires: its threshold {t} is negative"
                ));
            }
            // A timestamp stuck at 0 is `time()` seconds old at evaluation;
            // one that follows the clock is never old.
            let m = eval_minutes(t.ceil() as u64, for_secs);
            let base = with(logger(), &[("exchange", "binance"), ("symbol", "BTC-USD")]);
            (
                t.ceil() as u64,
                single(
                    "gpu_charts_last_update_timestamp",
                    base,
                    constant(0.0, m),
                    counter(1.0, m),
                    logger_alert(&[("exchange", "binance"), ("symbol", "BTC-USD")]),
                    (m * 60) as f64,
                ),
            )
        }
        "PushedGroupStale" => {
            if t < 0.0 {
                return Err(format!(
                    "{name} always fires: its threshold {t} is negative"
                ));
            }
            // A group last pushed at time 0, and one pushed all along.
            let m = eval_minutes(t.ceil() as u64, for_secs);
            (
                t.ceil() as u64,
                single(
                    "push_time_seconds",
                    logger(),
                    constant(0.0, m),
                    counter(1.0, m),
                    logger_alert(&[]),
                    (m * 60) as f64,
                ),
            )
        }
        "WebsocketLatencyHigh" => {
            let m = eval_minutes(300, for_secs);
            let family = "gpu_charts_websocket_latency_seconds";
            (
                300,
                quantile_case(
                    name,
                    t,
                    0.95,
                    (
                        "gpu_charts_websocket_latency_seconds_bucket",
                        &bounds(family)?,
                    ),
                    with(logger(), &[("exchange", "binance")]),
                    logger_alert(&[("exchange", "binance"), ("quantile", "0.95")]),
                    m,
                )?,
            )
        }
        "ServerRequestLatencyHigh" => {
            let m = eval_minutes(300, for_secs);
            let family = "gpu_charts_server_http_request_duration_seconds";
            (
                300,
                quantile_case(
                    name,
                    t,
                    0.99,
                    (
                        "gpu_charts_server_http_request_duration_seconds_bucket",
                        &bounds(family)?,
                    ),
                    with(server(), &[("method", "GET"), ("endpoint", "/api/data")]),
                    server_alert(&[("endpoint", "/api/data"), ("quantile", "0.99")]),
                    m,
                )?,
            )
        }
        "SlowDataQueries" => {
            let m = eval_minutes(300, for_secs);
            let family = "gpu_charts_server_data_query_duration_seconds";
            (
                300,
                quantile_case(
                    name,
                    t,
                    0.95,
                    (
                        "gpu_charts_server_data_query_duration_seconds_bucket",
                        &bounds(family)?,
                    ),
                    with(server(), &[("symbol", "BTC-USD")]),
                    server_alert(&[("quantile", "0.95")]),
                    m,
                )?,
            )
        }
        "ServerErrorRatioHigh" => {
            let m = eval_minutes(300, for_secs);
            if !(0.0..1.0).contains(&t) {
                return Err(format!(
                    "{name} cannot be tested: its threshold {t} is not a ratio in [0, 1)"
                ));
            }
            // Half the requests failing, or all of them when half is not
            // above the threshold; none failing when healthy.
            let (errors, ok) = if t < 0.5 { (1.0, 1.0) } else { (1.0, 0.0) };
            let request = |status| {
                with(
                    server(),
                    &[
                        ("method", "GET"),
                        ("endpoint", "/api/data"),
                        ("status", status),
                    ],
                )
            };
            let name = "gpu_charts_server_http_requests_total";
            (
                300,
                (
                    Scenario {
                        series: vec![
                            Series {
                                name,
                                labels: request("500"),
                                values: counter(errors, m),
                            },
                            Series {
                                name,
                                labels: request("200"),
                                values: counter(ok, m),
                            },
                        ],
                        alerts: vec![server_alert(&[])],
                        value: errors / (errors + ok),
                    },
                    Scenario {
                        series: vec![
                            Series {
                                name,
                                labels: request("500"),
                                values: constant(0.0, m),
                            },
                            Series {
                                name,
                                labels: request("200"),
                                values: counter(1.0, m),
                            },
                        ],
                        alerts: vec![],
                        value: 0.0,
                    },
                ),
            )
        }
        "CacheHitRatioLow" => {
            let m = eval_minutes(600, for_secs);
            if !(t > 0.0 && t <= 1.0) {
                return Err(format!(
                    "{name} cannot be tested: its threshold {t} is not a ratio in (0, 1]"
                ));
            }
            let base = with(server(), &[("cache_type", "memory")]);
            let series = |hits: String, misses: String| {
                vec![
                    Series {
                        name: "gpu_charts_server_cache_hits_total",
                        labels: base.clone(),
                        values: hits,
                    },
                    Series {
                        name: "gpu_charts_server_cache_misses_total",
                        labels: base.clone(),
                        values: misses,
                    },
                ]
            };
            (
                600,
                (
                    Scenario {
                        series: series(constant(0.0, m), counter(1.0, m)),
                        alerts: vec![server_alert(&[("cache_type", "memory")])],
                        value: 0.0,
                    },
                    Scenario {
                        series: series(counter(1.0, m), constant(0.0, m)),
                        alerts: vec![],
                        value: 0.0,
                    },
                ),
            )
        }
        other => return Err(format!("no rule test is known for alert {other}")),
    };
    Ok((fire, healthy, eval_minutes(window, for_secs)))
}
