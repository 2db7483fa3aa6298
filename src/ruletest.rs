//! A `promtool test rules` suite for the generated rules: for every alert,
//! synthetic series that must fire it and healthy series that must not.
//!
//! The expected labels and annotations are not copied from the template: they
//! are read from the rendered rules, and each annotation's Go template is
//! expanded here for the synthetic alert (`$labels.NAME`, `$value`, and the
//! `humanize*`/`printf` functions the rules use), so the suite proves the
//! text an operator will read.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::catalogue::{Catalogue, ServiceRole};
use crate::rules::AlertParams;
use crate::values::{PromDuration, promql_string};

/// One alerting rule as rendered: what the suite needs to predict its alert.
#[derive(Debug, Clone)]
pub struct AlertRule {
    pub name: String,
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
}

/// Why rule tests cannot be built: rules that do not parse, a template that does not expand.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RuleTestError {
    #[error("{0}")]
    Rules(String),
    #[error("{0}")]
    Template(String),
    #[error("{0}")]
    Scenario(String),
}

message_into_string!(RuleTestError);

/// The alerting rules of a rendered rules file, in file order.
pub fn alert_rules(rules_yaml: &str) -> Result<Vec<AlertRule>, RuleTestError> {
    alert_rules_text(rules_yaml).map_err(RuleTestError::Rules)
}

fn alert_rules_text(rules_yaml: &str) -> Result<Vec<AlertRule>, String> {
    #[derive(serde::Deserialize)]
    struct File {
        groups: Vec<Group>,
    }
    #[derive(serde::Deserialize)]
    struct Group {
        rules: Vec<Rule>,
    }
    #[derive(serde::Deserialize)]
    struct Rule {
        alert: Option<String>,
        #[serde(default)]
        labels: BTreeMap<String, String>,
        #[serde(default)]
        annotations: BTreeMap<String, String>,
    }
    let file: File = crate::yaml::from_str(rules_yaml)?;
    Ok(file
        .groups
        .into_iter()
        .flat_map(|g| g.rules)
        .filter_map(|r| {
            Some(AlertRule {
                name: r.alert?,
                labels: r.labels,
                annotations: r.annotations,
            })
        })
        .collect())
}

/// The test file, as `promtool test rules` reads it.
#[derive(Debug, Serialize)]
pub struct Suite {
    rule_files: Vec<String>,
    evaluation_interval: String,
    tests: Vec<TestGroup>,
}

#[derive(Debug, Serialize)]
struct TestGroup {
    name: String,
    interval: String,
    input_series: Vec<InputSeries>,
    alert_rule_test: Vec<AlertTest>,
}

#[derive(Debug, Serialize)]
struct InputSeries {
    series: String,
    values: String,
}

#[derive(Debug, Serialize)]
struct AlertTest {
    eval_time: String,
    alertname: String,
    exp_alerts: Vec<ExpAlert>,
}

#[derive(Debug, Serialize)]
struct ExpAlert {
    exp_labels: BTreeMap<String, String>,
    exp_annotations: BTreeMap<String, String>,
}

/// What the suite knows of the deployment: job names and the catalogue's
/// histogram buckets.
struct Deployment<'a> {
    logger_job: &'a str,
    server_job: &'a str,
    catalogue: &'a Catalogue,
}

const LOGGER_INSTANCE: &str = "logger-1:9090";
const SERVER_INSTANCE: &str = "server-1:9091";

/// One synthetic input series: its labels (with `__name__`) and its values
/// in promtool's expanding notation, one sample per minute.
struct Series {
    name: &'static str,
    labels: Vec<(&'static str, String)>,
    values: String,
}

/// Input that fires (or must not fire) one alert.
struct Scenario {
    series: Vec<Series>,
    /// Labels of each expected alert, from the expression (the rule's own
    /// labels are added from the rendered rule).
    alerts: Vec<BTreeMap<String, String>>,
    /// The expression's value for the expected alerts.
    value: f64,
}

/// A counter whose rate is `per_sec` for `minutes` minutes.
fn counter(per_sec: f64, minutes: u64) -> String {
    format!("0+{}x{minutes}", per_sec * 60.0)
}

fn constant(v: f64, minutes: u64) -> String {
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
fn scenarios(
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

fn series_text(s: &Series) -> String {
    let labels: Vec<String> = s
        .labels
        .iter()
        .map(|(k, v)| format!("{k}={}", promql_string(v)))
        .collect();
    format!("{}{{{}}}", s.name, labels.join(", "))
}

/// The suite for `rules_yaml` (written to `rules_file`, the name the suite
/// refers to it by), with the parameters it was rendered with.
fn build(
    rules_file: &str,
    rules_yaml: &str,
    params: &BTreeMap<String, AlertParams>,
    dep: &Deployment,
) -> Result<Suite, String> {
    let rules = alert_rules(rules_yaml)?;
    let job_of: BTreeMap<String, String> = [
        (
            ServiceRole::Logger.name().to_string(),
            dep.logger_job.to_string(),
        ),
        (
            ServiceRole::Server.name().to_string(),
            dep.server_job.to_string(),
        ),
    ]
    .into();
    let mut tests = Vec::new();
    // Alerts with several rules (one per job) are tested once, expecting
    // every rule's alert.
    let mut names: Vec<&str> = rules.iter().map(|r| r.name.as_str()).collect();
    names.dedup();
    for name in names {
        let same: Vec<&AlertRule> = rules.iter().filter(|r| r.name == name).collect();
        let p = params
            .get(name)
            .ok_or_else(|| format!("no parameters for alert {name}"))?;
        let mut fire_series = Vec::new();
        let mut healthy_series = Vec::new();
        let mut expected = Vec::new();
        let mut minutes = 0;
        for rule in &same {
            let (fire, healthy, m) = scenarios(rule, p, dep, &job_of)?;
            minutes = m;
            for alert_labels in &fire.alerts {
                let mut exp_labels = rule.labels.clone();
                exp_labels.extend(alert_labels.clone());
                let exp_annotations = rule
                    .annotations
                    .iter()
                    .map(|(k, text)| {
                        expand(text, alert_labels, fire.value)
                            .map(|v| (k.clone(), v))
                            .map_err(|e| format!("{name}: annotation {k}: {e}"))
                    })
                    .collect::<Result<_, _>>()?;
                expected.push(ExpAlert {
                    exp_labels,
                    exp_annotations,
                });
            }
            fire_series.extend(fire.series);
            if same.len() == 1 || healthy_series.is_empty() {
                healthy_series = healthy.series;
            }
        }
        // MetricsJobAbsent: healthy means every job has a target.
        if same.len() > 1 {
            healthy_series = job_of
                .values()
                .map(|job| Series {
                    name: "up",
                    labels: vec![("job", job.clone()), ("instance", "x:1".into())],
                    values: constant(1.0, minutes),
                })
                .collect();
            fire_series.truncate(1);
        }
        let eval_time = PromDuration::from_secs(minutes * 60).to_string();
        for (kind, series, exp_alerts) in [
            ("fires", fire_series, expected),
            ("stays quiet on healthy input", healthy_series, vec![]),
        ] {
            tests.push(TestGroup {
                name: format!("{name} {kind}"),
                interval: "1m".into(),
                input_series: series
                    .iter()
                    .map(|s| InputSeries {
                        series: series_text(s),
                        values: s.values.clone(),
                    })
                    .collect(),
                alert_rule_test: vec![AlertTest {
                    eval_time: eval_time.clone(),
                    alertname: name.to_string(),
                    exp_alerts,
                }],
            });
        }
    }
    Ok(Suite {
        rule_files: vec![rules_file.to_string()],
        evaluation_interval: "1m".into(),
        tests,
    })
}

/// The suite as the file `tests_name` beside `rules_name`, for the
/// inventory's jobs and the embedded catalogue.
pub fn suite_text(
    rules_name: &str,
    tests_name: &str,
    rules_yaml: &str,
    params: &BTreeMap<String, AlertParams>,
    inv: &crate::inventory::Inventory,
) -> Result<String, RuleTestError> {
    suite_text_text(rules_name, tests_name, rules_yaml, params, inv)
        .map_err(RuleTestError::Scenario)
}

fn suite_text_text(
    rules_name: &str,
    tests_name: &str,
    rules_yaml: &str,
    params: &BTreeMap<String, AlertParams>,
    inv: &crate::inventory::Inventory,
) -> Result<String, String> {
    let catalogue = Catalogue::embedded()?;
    let deployment = Deployment {
        logger_job: &inv.service(ServiceRole::Logger).job.value,
        server_job: &inv.service(ServiceRole::Server).job.value,
        catalogue: &catalogue,
    };
    let suite = build(rules_name, rules_yaml, params, &deployment)?;
    Ok(format!(
        "# promtool test rules {tests_name}: every alert of {rules_name} fires on synthetic input and\n# stays quiet on healthy input. Generated by gpucharts-mon gen-rules --tests.\n{}",
        crate::yaml::to_string(&suite)?
    ))
}

/// Expand the Go template forms the rules' annotations use, as Prometheus
/// would for an alert with expression labels `labels` and value `value`.
pub fn expand(
    text: &str,
    labels: &BTreeMap<String, String>,
    value: f64,
) -> Result<String, RuleTestError> {
    expand_text(text, labels, value).map_err(RuleTestError::Template)
}

fn expand_text(
    text: &str,
    labels: &BTreeMap<String, String>,
    value: f64,
) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after
            .find("}}")
            .ok_or_else(|| "an unclosed {{".to_string())?;
        out.push_str(&pipeline(after[..end].trim(), labels, value)?);
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

enum Piped {
    Text(String),
    Number(f64),
}

fn pipeline(expr: &str, labels: &BTreeMap<String, String>, value: f64) -> Result<String, String> {
    let mut stages = expr.split('|').map(str::trim);
    let head = stages.next().unwrap_or_default();
    let mut current = if head == "$value" {
        Piped::Number(value)
    } else if let Some(name) = head.strip_prefix("$labels.") {
        Piped::Text(
            labels
                .get(name)
                .cloned()
                .ok_or_else(|| format!("the alert has no label {name}"))?,
        )
    } else {
        return Err(format!("cannot predict {{{{ {expr} }}}}"));
    };
    for stage in stages {
        let Piped::Number(v) = current else {
            return Err(format!("cannot predict {{{{ {expr} }}}} on a label"));
        };
        current = Piped::Text(match stage {
            "humanizeDuration" => humanize_duration(v),
            "humanizePercentage" => format!("{}%", go_g4(v * 100.0)),
            s => match s
                .strip_prefix("printf \"%.")
                .and_then(|p| p.strip_suffix("f\""))
                .and_then(|p| p.parse::<usize>().ok())
            {
                Some(precision) => format!("{v:.precision$}"),
                None => return Err(format!("cannot predict the function {s:?}")),
            },
        });
    }
    Ok(match current {
        Piped::Text(s) => s,
        Piped::Number(v) => go_g(v),
    })
}

/// Go's `%.4g`.
fn go_g4(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return go_g(v);
    }
    let sci = format!("{v:.3e}");
    let exp: i32 = sci
        .rsplit_once('e')
        .and_then(|(_, e)| e.parse().ok())
        .unwrap_or(0);
    if (-4..4).contains(&exp) {
        let decimals = usize::try_from(3 - exp).unwrap_or(0);
        trim_zeros(format!("{v:.decimals$}"))
    } else {
        let (mantissa, _) = sci.split_once('e').unwrap_or((&sci, ""));
        let sign = if exp < 0 { '-' } else { '+' };
        format!(
            "{}e{sign}{:02}",
            trim_zeros(mantissa.to_string()),
            exp.abs()
        )
    }
}

fn trim_zeros(s: String) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// Go's `%v` of a float64 for the values these tests produce.
fn go_g(v: f64) -> String {
    if v.is_nan() {
        "NaN".into()
    } else if v.is_infinite() {
        if v > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        }
    } else {
        v.to_string()
    }
}

/// Prometheus' `humanizeDuration` template function.
fn humanize_duration(v: f64) -> String {
    if !v.is_finite() {
        return go_g4(v);
    }
    if v == 0.0 {
        return "0s".into();
    }
    if v.abs() >= 1.0 {
        let sign = if v < 0.0 { "-" } else { "" };
        let v = v.abs();
        let total = v as i64;
        let (days, hours, minutes, seconds) = (
            total / 86_400,
            (total / 3600) % 24,
            (total / 60) % 60,
            total % 60,
        );
        return if days != 0 {
            format!("{sign}{days}d {hours}h {minutes}m {seconds}s")
        } else if hours != 0 {
            format!("{sign}{hours}h {minutes}m {seconds}s")
        } else if minutes != 0 {
            format!("{sign}{minutes}m {seconds}s")
        } else {
            format!("{sign}{}s", go_g4(v))
        };
    }
    let mut v = v;
    let mut prefix = "";
    for p in ["m", "u", "n", "p", "f", "a", "z", "y"] {
        if v.abs() >= 1.0 {
            break;
        }
        prefix = p;
        v *= 1000.0;
    }
    format!("{}{prefix}s", go_g4(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_formats() {
        assert_eq!(go_g4(975.0), "975");
        assert_eq!(go_g4(2.5), "2.5");
        assert_eq!(go_g4(50.000_000_001), "50");
        assert_eq!(go_g4(123_456.0), "1.235e+05");
        assert_eq!(go_g4(0.000_012_34), "1.234e-05");
        assert_eq!(humanize_duration(5.0), "5s");
        assert_eq!(humanize_duration(0.5), "500ms");
        assert_eq!(humanize_duration(1500.0), "25m 0s");
        assert_eq!(humanize_duration(90_061.0), "1d 1h 1m 1s");
        assert_eq!(humanize_duration(0.000_095), "95us");
    }

    #[test]
    fn expands_the_rules_forms() {
        let l = labels(&[("exchange", "binance")]);
        assert_eq!(
            expand(
                "{{ $labels.exchange }} at {{ $value | printf \"%.2f\" }}/s, {{ $value | humanizePercentage }}",
                &l,
                0.5
            )
            .unwrap(),
            "binance at 0.50/s, 50%"
        );
        assert!(expand("{{ $labels.nope }}", &l, 1.0).is_err());
        assert!(expand("{{ $value | title }}", &l, 1.0).is_err());
        assert!(expand("{{ $value", &l, 1.0).is_err());
    }
}
