//! The alert set for GPU Charts: names, default thresholds and `for`
//! durations, and how overrides apply. The rule text lives in the template.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::catalogue::ServiceRole;
use crate::inventory::{Inventory, RuleOverride};
use crate::templates;
use crate::values::{PromDuration, promql_string};

/// Which service an alert is about, for its `service` label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertService {
    /// No `service` label (MetricsEndpointDown covers both jobs in one rule).
    Unlabelled,
    /// One rule per service, each labelled with it.
    EachService,
    Only(ServiceRole),
}

/// One alert of the generated set and its defaults.
#[derive(Debug, Clone, Copy)]
pub struct AlertSpec {
    pub name: &'static str,
    /// The default threshold, for alerts that have one.
    pub threshold: Option<f64>,
    /// The default `for`, in seconds.
    pub for_secs: u64,
    /// `critical` pages, `warning` does not (the Alertmanager routes use it).
    pub severity: &'static str,
    pub service: AlertService,
}

pub const ALERTS: [AlertSpec; 12] = [
    AlertSpec {
        name: "MetricsEndpointDown",
        threshold: None,
        for_secs: 300,
        severity: "critical",
        service: AlertService::Unlabelled,
    },
    AlertSpec {
        name: "MetricsJobAbsent",
        threshold: None,
        for_secs: 300,
        severity: "critical",
        service: AlertService::EachService,
    },
    AlertSpec {
        name: "ExchangeDisconnected",
        threshold: None,
        for_secs: 120,
        severity: "critical",
        service: AlertService::Only(ServiceRole::Logger),
    },
    AlertSpec {
        name: "ExchangeNoMessages",
        threshold: None,
        for_secs: 300,
        severity: "warning",
        service: AlertService::Only(ServiceRole::Logger),
    },
    AlertSpec {
        name: "ExchangeErrorRate",
        threshold: Some(1.0),
        for_secs: 300,
        severity: "warning",
        service: AlertService::Only(ServiceRole::Logger),
    },
    AlertSpec {
        name: "ExchangeReconnectionLoop",
        threshold: Some(5.0),
        for_secs: 0,
        severity: "warning",
        service: AlertService::Only(ServiceRole::Logger),
    },
    AlertSpec {
        name: "WebsocketLatencyHigh",
        threshold: Some(0.5),
        for_secs: 600,
        severity: "warning",
        service: AlertService::Only(ServiceRole::Logger),
    },
    AlertSpec {
        name: "ServerErrorRatioHigh",
        threshold: Some(0.05),
        for_secs: 300,
        severity: "critical",
        service: AlertService::Only(ServiceRole::Server),
    },
    AlertSpec {
        name: "ServerRequestLatencyHigh",
        threshold: Some(1.0),
        for_secs: 600,
        severity: "warning",
        service: AlertService::Only(ServiceRole::Server),
    },
    AlertSpec {
        name: "CacheHitRatioLow",
        threshold: Some(0.8),
        for_secs: 900,
        severity: "warning",
        service: AlertService::Only(ServiceRole::Server),
    },
    AlertSpec {
        name: "SlowDataQueries",
        threshold: Some(0.1),
        for_secs: 600,
        severity: "warning",
        service: AlertService::Only(ServiceRole::Server),
    },
    AlertSpec {
        name: "StaleData",
        threshold: Some(300.0),
        for_secs: 300,
        severity: "warning",
        service: AlertService::Only(ServiceRole::Logger),
    },
];

/// Alerts for the push→pull transition, generated only on request
/// (`gen-rules --pushgateway-alert`, or an inventory that names
/// `prometheus.pushgateway`): they read `push_time_seconds`, which only a
/// Pushgateway exposes, and go with it (migrate's step 4 names them).
pub(crate) const TRANSITION_ALERTS: [AlertSpec; 1] = [AlertSpec {
    // A GPU Charts group nothing has pushed for the threshold (seconds):
    // the pusher moved to pull or died, and the gateway keeps serving its
    // last values forever.
    name: "PushedGroupStale",
    threshold: Some(600.0),
    for_secs: 300,
    severity: "warning",
    service: AlertService::Unlabelled,
}];

/// Every alert gen-rules can write: the standard set, then the
/// transition's when `transition` is set.
pub fn alert_set(transition: bool) -> impl Iterator<Item = &'static AlertSpec> {
    ALERTS
        .iter()
        .chain(TRANSITION_ALERTS.iter().filter(move |_| transition))
}

#[derive(Debug, Clone, Serialize)]
pub struct AlertParams {
    pub threshold: Option<f64>,
    /// `critical` pages, `warning` does not (the Alertmanager routes use it).
    pub severity: &'static str,
    /// The `service` label, for alerts about one service.
    pub service: Option<&'static str>,
    #[serde(rename = "for")]
    pub for_: String,
}

/// The latency alerts and the histogram whose quantile each compares.
const LATENCY_ALERTS: [(&str, &str); 3] = [
    (
        "WebsocketLatencyHigh",
        "gpu_charts_websocket_latency_seconds",
    ),
    (
        "ServerRequestLatencyHigh",
        "gpu_charts_server_http_request_duration_seconds",
    ),
    (
        "SlowDataQueries",
        "gpu_charts_server_data_query_duration_seconds",
    ),
];

/// A latency threshold against its histogram's buckets: histogram_quantile
/// never exceeds the largest finite bucket (a quantile in the `+Inf`
/// bucket is reported as that bound), so a threshold at or above it gives
/// an alert that can never fire.
fn latency_threshold(name: &str, t: f64, origin: &str) -> Result<(), String> {
    let Some((_, family)) = LATENCY_ALERTS.iter().find(|(a, _)| *a == name) else {
        return Ok(());
    };
    let catalogue = crate::catalogue::Catalogue::embedded().map_err(|e| e.to_string())?;
    let Some(top) = catalogue
        .families()
        .find(|f| f.name == *family)
        .and_then(|f| {
            f.buckets
                .iter()
                .copied()
                .filter(|b| b.is_finite())
                .reduce(f64::max)
        })
    else {
        return Ok(());
    };
    if t >= top {
        return Err(format!(
            "threshold of '{name}' is {t}s ({origin}), but {family}'s largest bucket is {top}s: histogram_quantile never exceeds it, so the alert could never fire; pick a threshold below {top}s (or add larger buckets to the service)"
        ));
    }
    Ok(())
}

/// Overrides named by alert, each with where it came from (for errors).
pub(crate) type Overrides = BTreeMap<String, (RuleOverride, String)>;

/// The inventory's `rules:` overrides.
pub(crate) fn inventory_overrides(inv: &Inventory) -> Overrides {
    let file = inv.source_name();
    inv.rules
        .iter()
        .map(|(k, v)| (k.clone(), (v.clone(), format!("{file}: rules.{k}"))))
        .collect()
}

/// Rules that cannot be generated as asked.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RulesError {
    /// An override of the alert parameters that cannot be applied.
    #[error("{0}")]
    Override(String),
    #[error("--runbook-url {url:?}: {reason}")]
    RunbookUrl { url: String, reason: &'static str },
    #[error(transparent)]
    Template(#[from] crate::templates::TemplateError),
    #[error("the rules template did not produce YAML: {0}")]
    NotYaml(String),
}

impl crate::error::Classify for RulesError {
    fn kind(&self) -> crate::error::Kind {
        crate::error::Kind::Usage
    }
}

message_into_string!(RulesError);

/// Default parameters with overrides applied; an unknown alert name or a
/// threshold on an alert that has none is an error naming the valid choices.
pub(crate) fn resolve(overrides: &Overrides) -> Result<BTreeMap<String, AlertParams>, RulesError> {
    resolve_text(overrides).map_err(RulesError::Override)
}

fn resolve_text(overrides: &Overrides) -> Result<BTreeMap<String, AlertParams>, String> {
    let mut out: BTreeMap<String, AlertParams> = alert_set(true)
        .map(|a| {
            (
                a.name.to_string(),
                AlertParams {
                    threshold: a.threshold,
                    severity: a.severity,
                    service: match a.service {
                        AlertService::Only(role) => Some(role.name()),
                        AlertService::Unlabelled | AlertService::EachService => None,
                    },
                    for_: PromDuration::from_secs(a.for_secs).to_string(),
                },
            )
        })
        .collect();
    for (name, (ov, origin)) in overrides {
        let Some(params) = out.get_mut(name) else {
            let names: Vec<&str> = alert_set(true).map(|a| a.name).collect();
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
            let ratio = matches!(name.as_str(), "ServerErrorRatioHigh" | "CacheHitRatioLow");
            if ratio && !(0.0..=1.0).contains(&t) {
                return Err(format!(
                    "threshold of '{name}' is a ratio from 0 to 1 (0.05 is 5 %), not {t} ({origin})"
                ));
            }
            if t < 0.0 {
                return Err(format!(
                    "threshold of '{name}' must not be negative, not {t} ({origin}): the series it compares with never are"
                ));
            }
            latency_threshold(name, t, origin)?;
            params.threshold = Some(t);
        }
        if let Some(f) = ov.for_ {
            params.for_ = f.to_string();
        }
    }
    Ok(out)
}

/// Recorded series (`level:metric:operations`): the rates, ratios and
/// histogram quantiles that the alerts and the dashboards read, computed once
/// per evaluation instead of on every panel refresh. Every aggregation keeps
/// `job` and `instance`, so dashboards filter recorded series as raw ones.
pub mod record {
    pub(crate) const MESSAGES_RATE: &str =
        "job_instance_exchange:gpu_charts_exchange_messages:rate5m";
    pub(crate) const ERRORS_RATE: &str = "job_instance_exchange:gpu_charts_exchange_errors:rate5m";
    pub(crate) const RECONNECTIONS_INCREASE: &str =
        "job_instance_exchange:gpu_charts_exchange_reconnections:increase15m";
    pub(crate) const WS_LATENCY_BUCKET_RATE: &str =
        "job_instance_exchange_le:gpu_charts_websocket_latency_seconds_bucket:rate5m";
    pub(crate) const WS_LATENCY_QUANTILE: &str =
        "job_instance_exchange_quantile:gpu_charts_websocket_latency_seconds:histogram_quantile5m";
    pub(crate) const REQUESTS_RATE: &str =
        "job_instance_status:gpu_charts_server_http_requests:rate5m";
    pub(crate) const ERROR_RATIO: &str =
        "job_instance:gpu_charts_server_http_requests_5xx_per_request:ratio_rate5m";
    pub(crate) const REQUEST_LATENCY_BUCKET_RATE: &str =
        "job_instance_endpoint_le:gpu_charts_server_http_request_duration_seconds_bucket:rate5m";
    pub(crate) const REQUEST_LATENCY_QUANTILE: &str = "job_instance_endpoint_quantile:gpu_charts_server_http_request_duration_seconds:histogram_quantile5m";
    pub(crate) const CACHE_HIT_RATIO: &str =
        "job_instance_cache_type:gpu_charts_server_cache_hits_per_lookup:ratio_rate10m";
    pub(crate) const QUERY_LATENCY_BUCKET_RATE: &str =
        "job_instance_le:gpu_charts_server_data_query_duration_seconds_bucket:rate5m";
    pub(crate) const QUERY_LATENCY_QUANTILE: &str =
        "job_instance_quantile:gpu_charts_server_data_query_duration_seconds:histogram_quantile5m";
}

/// The quantiles recorded for each latency histogram (a `quantile` label).
pub(crate) const QUANTILES: [&str; 3] = ["0.5", "0.95", "0.99"];

/// One recording rule of the generated set.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Recording {
    pub record: &'static str,
    pub expr: String,
    /// The `quantile` label of a recorded histogram quantile.
    pub quantile: Option<&'static str>,
}

/// The recording rules, in evaluation order (bucket rates before the
/// quantiles read from them).
pub(crate) fn recordings() -> Vec<Recording> {
    use record::*;
    let plain = |record, expr: &str| Recording {
        record,
        expr: expr.to_string(),
        quantile: None,
    };
    let mut out = vec![
        plain(
            MESSAGES_RATE,
            "sum by (job, instance, exchange) (rate(gpu_charts_exchange_messages_total[5m]))",
        ),
        plain(
            ERRORS_RATE,
            "sum by (job, instance, exchange) (rate(gpu_charts_exchange_errors_total[5m]))",
        ),
        plain(
            RECONNECTIONS_INCREASE,
            "sum by (job, instance, exchange) (increase(gpu_charts_exchange_reconnections_total[15m]))",
        ),
        plain(
            WS_LATENCY_BUCKET_RATE,
            "sum by (job, instance, exchange, le) (rate(gpu_charts_websocket_latency_seconds_bucket[5m]))",
        ),
        plain(
            REQUESTS_RATE,
            "sum by (job, instance, status) (rate(gpu_charts_server_http_requests_total[5m]))",
        ),
        plain(
            ERROR_RATIO,
            &format!(
                "(sum by (job, instance) ({REQUESTS_RATE}{{status=~\"5..\"}}) or sum by (job, instance) ({REQUESTS_RATE}) * 0) / sum by (job, instance) ({REQUESTS_RATE})"
            ),
        ),
        plain(
            REQUEST_LATENCY_BUCKET_RATE,
            "sum by (job, instance, endpoint, le) (rate(gpu_charts_server_http_request_duration_seconds_bucket[5m]))",
        ),
        plain(
            CACHE_HIT_RATIO,
            "sum by (job, instance, cache_type) (rate(gpu_charts_server_cache_hits_total[10m])) / (sum by (job, instance, cache_type) (rate(gpu_charts_server_cache_hits_total[10m])) + sum by (job, instance, cache_type) (rate(gpu_charts_server_cache_misses_total[10m])))",
        ),
        plain(
            QUERY_LATENCY_BUCKET_RATE,
            "sum by (job, instance, le) (rate(gpu_charts_server_data_query_duration_seconds_bucket[5m]))",
        ),
    ];
    for (quantile_record, bucket_record) in [
        (WS_LATENCY_QUANTILE, WS_LATENCY_BUCKET_RATE),
        (REQUEST_LATENCY_QUANTILE, REQUEST_LATENCY_BUCKET_RATE),
        (QUERY_LATENCY_QUANTILE, QUERY_LATENCY_BUCKET_RATE),
    ] {
        for q in QUANTILES {
            out.push(Recording {
                record: quantile_record,
                expr: format!("histogram_quantile({q}, {bucket_record})"),
                quantile: Some(q),
            });
        }
    }
    out
}

/// The names the rules template refers to recorded series by.
pub(crate) fn record_names() -> BTreeMap<&'static str, &'static str> {
    use record::*;
    BTreeMap::from([
        ("messages_rate", MESSAGES_RATE),
        ("errors_rate", ERRORS_RATE),
        ("reconnections_increase", RECONNECTIONS_INCREASE),
        ("ws_latency_quantile", WS_LATENCY_QUANTILE),
        ("error_ratio", ERROR_RATIO),
        ("request_latency_quantile", REQUEST_LATENCY_QUANTILE),
        ("cache_hit_ratio", CACHE_HIT_RATIO),
        ("query_latency_quantile", QUERY_LATENCY_QUANTILE),
    ])
}

#[derive(Serialize)]
struct RulesContext<'a> {
    jobs: Vec<&'a str>,
    endpoint_down_expr: String,
    /// One `absent(up{job="…"})` alert per job.
    absent: Vec<AbsentJob>,
    alerts: &'a BTreeMap<String, AlertParams>,
    /// Base of each alert's `runbook_url` annotation (`BASE#alertname`).
    runbook_url: Option<&'a str>,
    recordings: Vec<Recording>,
    /// Recorded series names by the template's short names.
    rec: BTreeMap<&'static str, &'static str>,
    /// PushedGroupStale's expression, when the transition alerts are on.
    pushed_group_stale_expr: Option<String>,
}

#[derive(Serialize)]
struct AbsentJob {
    expr: String,
    /// The `service` label (the role, not the job name).
    service: &'static str,
}

/// The rendered rules file and the alert parameters it was rendered with.
pub struct GeneratedRules {
    pub text: String,
    pub params: BTreeMap<String, AlertParams>,
}

/// How the rules are written, beside the inventory and its overrides.
#[derive(Debug, Clone, Copy, Default)]
pub struct RuleOptions<'a> {
    /// Base of each alert's `runbook_url` annotation (`BASE#alertname`).
    pub runbook_url: Option<&'a str>,
    /// A folder whose templates replace the embedded ones.
    pub templates: Option<&'a std::path::Path>,
    /// Add the push→pull transition's alerts (`TRANSITION_ALERTS`).
    pub transition: bool,
}

impl RuleOptions<'_> {
    /// Whether the transition alerts are written: asked for, or the
    /// inventory still names a Pushgateway.
    fn transition(&self, inv: &Inventory) -> bool {
        self.transition || inv.prometheus.pushgateway.is_some()
    }
}

/// Render the rules for the inventory's jobs with `overrides`; bad
/// overrides and a bad runbook URL are usage errors.
pub fn generate(
    inv: &Inventory,
    overrides: &Overrides,
    options: &RuleOptions<'_>,
) -> Result<GeneratedRules, RulesError> {
    let RuleOptions {
        runbook_url,
        templates: templates_dir,
        ..
    } = *options;
    let params = resolve(overrides)?;
    if let Some(url) = runbook_url {
        let refuse = |reason| RulesError::RunbookUrl {
            url: crate::text::terminal_safe(url).into_owned(),
            reason,
        };
        let ok = reqwest::Url::parse(url)
            .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.fragment().is_none());
        if !ok {
            return Err(refuse(
                "expected an http:// or https:// URL without a #fragment (each alert adds #its-name)",
            ));
        }
        // Annotations are Go templates to Prometheus: `{{ query … }}` in a
        // URL would run a query at every evaluation.
        if url.contains("{{")
            || url.contains("}}")
            || url.chars().any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(refuse(
                "no template braces, spaces or control characters in a URL (annotations are Go templates)",
            ));
        }
    }
    // Job names reach PromQL only as an escaped string literal.
    let text = templates::render(
        templates::RULES,
        RulesContext {
            jobs: inv
                .services()
                .iter()
                .map(|s| s.job.value.as_str())
                .collect(),
            endpoint_down_expr: format!("up{{job=~{}}} == 0", promql_string(&inv.job_regex())),
            absent: inv
                .services()
                .iter()
                .map(|s| AbsentJob {
                    expr: format!("absent(up{{job={}}})", promql_string(&s.job.value)),
                    service: s.role.name(),
                })
                .collect(),
            alerts: &params,
            runbook_url,
            recordings: recordings(),
            rec: record_names(),
            // A group's own `job` (honor_labels keeps the pushed one).
            pushed_group_stale_expr: options.transition(inv).then(|| {
                format!(
                    "time() - push_time_seconds{{job=~{}}}",
                    promql_string(&inv.job_regex())
                )
            }),
        },
        templates_dir,
    )?;
    crate::yaml::from_str::<crate::yaml::Value>(&text)
        .map_err(|e| RulesError::NotYaml(e.to_string()))?;
    Ok(GeneratedRules { text, params })
}
