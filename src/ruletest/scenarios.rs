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
    Ok(pair(
        histogram(family, bounds, &base, true, minutes),
        alert_labels,
        largest,
        histogram(family, bounds, &base, false, minutes),
    ))
}

/// Minutes from the first sample to the evaluation: the expression's window
/// filled, the `for` elapsed, and one evaluation for the recording rules.
fn eval_minutes(window_secs: u64, for_secs: u64) -> u64 {
    (window_secs + for_secs).div_ceil(60) + 3
}

/// What each alert's builder reads: the rendered rule, its parameters and
/// the deployment.
struct Case<'a> {
    rule: &'a AlertRule,
    dep: &'a Deployment<'a>,
    job_of: &'a BTreeMap<String, String>,
    /// The rule's `for`, in seconds.
    for_secs: u64,
    /// The rule's threshold (0 for alerts without one).
    t: f64,
}

/// Fire and healthy input.
type Pair = (Scenario, Scenario);

/// A builder's answer: the expression's window in seconds, and the input.
type Built = Result<(u64, Pair), String>;

impl Case<'_> {
    fn name(&self) -> &str {
        &self.rule.name
    }

    /// Minutes of input for an expression over `window` seconds.
    fn minutes(&self, window: u64) -> u64 {
        eval_minutes(window, self.for_secs)
    }

    fn logger(&self) -> Vec<(&'static str, String)> {
        vec![
            ("job", self.dep.logger_job.to_string()),
            ("instance", LOGGER_INSTANCE.to_string()),
        ]
    }

    fn server(&self) -> Vec<(&'static str, String)> {
        vec![
            ("job", self.dep.server_job.to_string()),
            ("instance", SERVER_INSTANCE.to_string()),
        ]
    }

    fn logger_alert(&self, more: &[(&str, &str)]) -> BTreeMap<String, String> {
        let mut l = labels(&[("job", self.dep.logger_job), ("instance", LOGGER_INSTANCE)]);
        l.extend(labels(more));
        l
    }

    fn server_alert(&self, more: &[(&str, &str)]) -> BTreeMap<String, String> {
        let mut l = labels(&[("job", self.dep.server_job), ("instance", SERVER_INSTANCE)]);
        l.extend(labels(more));
        l
    }

    /// A rate above the threshold, and one at most half of it (never
    /// negative: a negative threshold cannot stay quiet).
    fn rates(&self, what: &str) -> Result<(f64, f64), String> {
        let t = self.t;
        if t < 0.0 {
            return Err(format!(
                "{} always fires: its threshold {t} is negative and {what} is not",
                self.name()
            ));
        }
        Ok((2.0 * t + 1.0, t / 2.0))
    }

    /// The threshold as an age in seconds, which is never negative.
    fn age(&self) -> Result<u64, String> {
        if self.t < 0.0 {
            return Err(format!(
                "{} always fires: its threshold {} is negative",
                self.name(),
                self.t
            ));
        }
        Ok(self.t.ceil() as u64)
    }

    /// A histogram quantile alert over the 5m rate of `bucket` (the
    /// `_bucket` series of a catalogue histogram).
    fn quantile(
        &self,
        quantile: f64,
        bucket: &'static str,
        base: Vec<(&'static str, String)>,
        alert: BTreeMap<String, String>,
    ) -> Built {
        let family = bucket.strip_suffix("_bucket").unwrap_or(bucket);
        let bounds = buckets(self.dep.catalogue, family)?;
        let pair = quantile_case(
            self.name(),
            self.t,
            quantile,
            (bucket, &bounds),
            base,
            alert,
            self.minutes(300),
        )?;
        Ok((300, pair))
    }
}

/// `base` with the labels `more`.
fn with(
    mut base: Vec<(&'static str, String)>,
    more: &[(&'static str, &str)],
) -> Vec<(&'static str, String)> {
    base.extend(more.iter().map(|(k, v)| (*k, (*v).to_string())));
    base
}

/// Input whose `fire` series raise `alert` with `value`, and whose
/// `healthy` series raise nothing.
fn pair(
    fire: Vec<Series>,
    alert: BTreeMap<String, String>,
    value: f64,
    healthy: Vec<Series>,
) -> Pair {
    (
        Scenario {
            series: fire,
            alerts: vec![alert],
            value,
        },
        Scenario {
            series: healthy,
            alerts: vec![],
            value: 0.0,
        },
    )
}

/// One series whose values fire the alert (`alert` with `value`) or not.
fn single(
    name: &'static str,
    labels: Vec<(&'static str, String)>,
    fire: String,
    healthy: String,
    alert: BTreeMap<String, String>,
    value: f64,
) -> Pair {
    let series = |values| {
        vec![Series {
            name,
            labels: labels.clone(),
            values,
        }]
    };
    pair(series(fire), alert, value, series(healthy))
}

/// Builds one alert's input.
type Builder = fn(&Case<'_>) -> Built;

/// Each alert's builder, by name: a new alert without one fails the suite.
const SCENARIOS: [(&str, Builder); 13] = [
    ("MetricsEndpointDown", metrics_endpoint_down),
    ("MetricsJobAbsent", metrics_job_absent),
    ("ExchangeDisconnected", exchange_disconnected),
    ("ExchangeNoMessages", exchange_no_messages),
    ("ExchangeErrorRate", exchange_error_rate),
    ("ExchangeReconnectionLoop", exchange_reconnection_loop),
    ("StaleData", stale_data),
    ("PushedGroupStale", pushed_group_stale),
    ("WebsocketLatencyHigh", websocket_latency_high),
    ("ServerRequestLatencyHigh", server_request_latency_high),
    ("SlowDataQueries", slow_data_queries),
    ("ServerErrorRatioHigh", server_error_ratio_high),
    ("CacheHitRatioLow", cache_hit_ratio_low),
];

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
    let case = Case {
        rule,
        dep,
        job_of,
        for_secs,
        t: params.threshold.unwrap_or(0.0),
    };
    let (_, build) = SCENARIOS
        .iter()
        .find(|(name, _)| *name == rule.name)
        .ok_or_else(|| format!("no rule test is known for alert {}", rule.name))?;
    let (window, (fire, healthy)) = build(&case)?;
    Ok((fire, healthy, eval_minutes(window, for_secs)))
}

fn metrics_endpoint_down(c: &Case<'_>) -> Built {
    let m = c.minutes(0);
    Ok((
        0,
        single(
            "up",
            c.logger(),
            constant(0.0, m),
            constant(1.0, m),
            c.logger_alert(&[]),
            0.0,
        ),
    ))
}

/// Fires with no `up` of the job at all (another job is there), stays
/// quiet while the job has a target.
fn metrics_job_absent(c: &Case<'_>) -> Built {
    let m = c.minutes(0);
    let job = c
        .job_of
        .get(c.rule.labels.get("service").map_or("", String::as_str))
        .ok_or_else(|| format!("{}: a rule without a known service label", c.name()))?;
    Ok((
        0,
        single(
            "up",
            vec![("job", "some-other-job".into()), ("instance", "x:1".into())],
            constant(1.0, m),
            constant(1.0, m),
            labels(&[("job", job)]),
            1.0,
        ),
    ))
}

fn exchange_disconnected(c: &Case<'_>) -> Built {
    let m = c.minutes(0);
    Ok((
        0,
        single(
            "gpu_charts_exchange_connection_status",
            with(c.logger(), &[("exchange", "binance")]),
            constant(0.0, m),
            constant(1.0, m),
            c.logger_alert(&[("exchange", "binance")]),
            0.0,
        ),
    ))
}

fn exchange_no_messages(c: &Case<'_>) -> Built {
    let m = c.minutes(300);
    Ok((
        300,
        single(
            "gpu_charts_exchange_messages_total",
            with(
                c.logger(),
                &[("exchange", "binance"), ("message_type", "trade")],
            ),
            constant(100.0, m),
            counter(1.0, m),
            c.logger_alert(&[("exchange", "binance")]),
            0.0,
        ),
    ))
}

fn exchange_error_rate(c: &Case<'_>) -> Built {
    let m = c.minutes(300);
    let (hot, calm) = c.rates("an error rate")?;
    Ok((
        300,
        single(
            "gpu_charts_exchange_errors_total",
            with(
                c.logger(),
                &[("exchange", "binance"), ("error_type", "timeout")],
            ),
            counter(hot, m),
            counter(calm, m),
            c.logger_alert(&[("exchange", "binance")]),
            hot,
        ),
    ))
}

fn exchange_reconnection_loop(c: &Case<'_>) -> Built {
    let m = c.minutes(900);
    let (hot, calm) = c.rates("a reconnection count")?;
    Ok((
        900,
        single(
            "gpu_charts_exchange_reconnections_total",
            with(c.logger(), &[("exchange", "binance")]),
            counter(hot / 900.0, m),
            counter(calm / 900.0, m),
            c.logger_alert(&[("exchange", "binance")]),
            hot,
        ),
    ))
}

/// A timestamp stuck at 0 is `time()` seconds old at evaluation; one that
/// follows the clock is never old.
fn stale_data(c: &Case<'_>) -> Built {
    let age = c.age()?;
    let m = c.minutes(age);
    let base = with(
        c.logger(),
        &[("exchange", "binance"), ("symbol", "BTC-USD")],
    );
    Ok((
        age,
        single(
            "gpu_charts_last_update_timestamp",
            base,
            constant(0.0, m),
            counter(1.0, m),
            c.logger_alert(&[("exchange", "binance"), ("symbol", "BTC-USD")]),
            (m * 60) as f64,
        ),
    ))
}

/// A group last pushed at time 0, and one pushed all along.
fn pushed_group_stale(c: &Case<'_>) -> Built {
    let age = c.age()?;
    let m = c.minutes(age);
    Ok((
        age,
        single(
            "push_time_seconds",
            c.logger(),
            constant(0.0, m),
            counter(1.0, m),
            c.logger_alert(&[]),
            (m * 60) as f64,
        ),
    ))
}

fn websocket_latency_high(c: &Case<'_>) -> Built {
    c.quantile(
        0.95,
        "gpu_charts_websocket_latency_seconds_bucket",
        with(c.logger(), &[("exchange", "binance")]),
        c.logger_alert(&[("exchange", "binance"), ("quantile", "0.95")]),
    )
}

fn server_request_latency_high(c: &Case<'_>) -> Built {
    c.quantile(
        0.99,
        "gpu_charts_server_http_request_duration_seconds_bucket",
        with(c.server(), &[("method", "GET"), ("endpoint", "/api/data")]),
        c.server_alert(&[("endpoint", "/api/data"), ("quantile", "0.99")]),
    )
}

fn slow_data_queries(c: &Case<'_>) -> Built {
    c.quantile(
        0.95,
        "gpu_charts_server_data_query_duration_seconds_bucket",
        with(c.server(), &[("symbol", "BTC-USD")]),
        c.server_alert(&[("quantile", "0.95")]),
    )
}

/// Half the requests failing, or all of them when half is not above the
/// threshold; none failing when healthy.
fn server_error_ratio_high(c: &Case<'_>) -> Built {
    let (m, t) = (c.minutes(300), c.t);
    if !(0.0..1.0).contains(&t) {
        return Err(format!(
            "{} cannot be tested: its threshold {t} is not a ratio in [0, 1)",
            c.name()
        ));
    }
    let (errors, ok) = if t < 0.5 { (1.0, 1.0) } else { (1.0, 0.0) };
    let request = |status| {
        with(
            c.server(),
            &[
                ("method", "GET"),
                ("endpoint", "/api/data"),
                ("status", status),
            ],
        )
    };
    let name = "gpu_charts_server_http_requests_total";
    let series = |failed: String, served: String| {
        vec![
            Series {
                name,
                labels: request("500"),
                values: failed,
            },
            Series {
                name,
                labels: request("200"),
                values: served,
            },
        ]
    };
    let fire = series(counter(errors, m), counter(ok, m));
    let healthy = series(constant(0.0, m), counter(1.0, m));
    let value = errors / (errors + ok);
    Ok((300, pair(fire, c.server_alert(&[]), value, healthy)))
}

fn cache_hit_ratio_low(c: &Case<'_>) -> Built {
    let (m, t) = (c.minutes(600), c.t);
    if !(t > 0.0 && t <= 1.0) {
        return Err(format!(
            "{} cannot be tested: its threshold {t} is not a ratio in (0, 1]",
            c.name()
        ));
    }
    let base = with(c.server(), &[("cache_type", "memory")]);
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
    let fire = series(constant(0.0, m), counter(1.0, m));
    let healthy = series(counter(1.0, m), constant(0.0, m));
    let alert = c.server_alert(&[("cache_type", "memory")]);
    Ok((600, pair(fire, alert, 0.0, healthy)))
}

#[cfg(test)]
mod tests {
    use super::SCENARIOS;

    /// Every alert gen-rules can write has its builder, and no builder is
    /// left without an alert.
    #[test]
    fn one_builder_per_alert() {
        let mut alerts: Vec<&str> = crate::rules::alert_set(true).map(|a| a.name).collect();
        let mut built: Vec<&str> = SCENARIOS.iter().map(|(name, _)| *name).collect();
        alerts.sort_unstable();
        built.sort_unstable();
        assert_eq!(alerts, built);
    }
}
