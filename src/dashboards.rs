//! Grafana dashboards for the GPU Charts services: an overview, the logger
//! and the server. Every query reads catalogue families, `up`, Prometheus'
//! own scrape series, or the recorded series of the generated rules, and
//! filters by the dashboard's `job` and `instance` variables.

use serde_json::{Value, json};

use crate::catalogue::ServiceRole;
use crate::inventory::Inventory;
use crate::rules::record;
use crate::values::{escape_regex, promql_string};

/// Where the compose file mounts the dashboards folder in the Grafana
/// container, and so where the provisioning file points.
pub const CONTAINER_DIR: &str = "/var/lib/grafana/dashboards/gpu-charts";

/// The provisioning file that loads the dashboards from a folder.
pub(crate) const PROVISIONING_FILE: &str = "dashboards.yml";

/// Which dashboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    Overview,
    Logger,
    Server,
}

impl Which {
    pub const ALL: [Which; 3] = [Which::Overview, Which::Logger, Which::Server];

    pub fn name(self) -> &'static str {
        match self {
            Which::Overview => "overview",
            Which::Logger => "logger",
            Which::Server => "server",
        }
    }

    /// The dashboard's uid, and its file name without `.json`.
    pub fn uid(self) -> String {
        format!("gpu-charts-{}", self.name())
    }

    pub fn title(self) -> &'static str {
        match self {
            Which::Overview => "GPU Charts / Overview",
            Which::Logger => "GPU Charts / Logger",
            Which::Server => "GPU Charts / Server",
        }
    }

    pub fn file_name(self) -> String {
        format!("{}.json", self.uid())
    }
}

/// How a panel's values read.
#[derive(Debug, Clone, Copy)]
enum Unit {
    Count,
    PerSecond,
    Seconds,
    Ratio,
    BytesPerSecond,
    UpDown,
}

impl Unit {
    fn grafana(self) -> &'static str {
        match self {
            Unit::Count | Unit::UpDown => "short",
            Unit::PerSecond => "reqps",
            Unit::Seconds => "s",
            Unit::Ratio => "percentunit",
            Unit::BytesPerSecond => "Bps",
        }
    }
}

/// One panel: a title, how its values read, and its queries (PromQL with
/// the `$job`, `$instance` and `$__rate_interval` variables, and a legend).
#[derive(Debug, Clone)]
pub struct Panel {
    pub title: &'static str,
    pub description: &'static str,
    unit: Unit,
    pub queries: Vec<(String, &'static str)>,
}

/// A dashboard before it becomes Grafana JSON.
#[derive(Debug, Clone)]
pub struct Dashboard {
    pub which: Which,
    /// The jobs its `job` variable offers, as an anchored regex.
    pub job_regex: String,
    pub panels: Vec<Panel>,
}

/// The selector every query carries.
const SEL: &str = r#"job=~"$job", instance=~"$instance""#;

fn panel(
    title: &'static str,
    description: &'static str,
    unit: Unit,
    queries: &[(&str, &'static str)],
) -> Panel {
    Panel {
        title,
        description,
        unit,
        queries: queries
            .iter()
            .map(|(q, legend)| (q.replace("SEL", SEL), *legend))
            .collect(),
    }
}

/// The three dashboards for the inventory's jobs.
pub fn all(inv: &Inventory) -> Vec<Dashboard> {
    Which::ALL.iter().map(|w| build(*w, inv)).collect()
}

pub fn build(which: Which, inv: &Inventory) -> Dashboard {
    let job = |role| escape_regex(&inv.service(role).job.value);
    match which {
        Which::Overview => Dashboard {
            which,
            job_regex: inv.job_regex(),
            panels: vec![
                panel(
                    "Targets up",
                    "Scrape targets per job that answered the last scrape (1) or did not (0).",
                    Unit::UpDown,
                    &[("sum by (job) (up{SEL})", "{{job}}")],
                ),
                panel(
                    "Up per instance",
                    "1 while Prometheus scrapes the instance successfully.",
                    Unit::UpDown,
                    &[("up{SEL}", "{{job}} {{instance}}")],
                ),
                panel(
                    "Scrape duration",
                    "How long each scrape took; near the scrape timeout means trouble.",
                    Unit::Seconds,
                    &[("scrape_duration_seconds{SEL}", "{{instance}}")],
                ),
                panel(
                    "Samples scraped",
                    "Samples per scrape, after metric relabelling.",
                    Unit::Count,
                    &[("scrape_samples_scraped{SEL}", "{{instance}}")],
                ),
                panel(
                    "Series added per scrape",
                    "New series per scrape: a steady climb is a cardinality leak.",
                    Unit::Count,
                    &[("scrape_series_added{SEL}", "{{instance}}")],
                ),
            ],
        },
        Which::Logger => Dashboard {
            which,
            job_regex: job(ServiceRole::Logger),
            panels: vec![
                panel(
                    "Exchange connection status",
                    "1 connected, 0 disconnected, per exchange.",
                    Unit::UpDown,
                    &[(
                        "gpu_charts_exchange_connection_status{SEL}",
                        "{{instance}} {{exchange}}",
                    )],
                ),
                panel(
                    "Messages per second by exchange",
                    "From the recorded 5m rate.",
                    Unit::PerSecond,
                    &[(
                        &format!("sum by (exchange) ({}{{SEL}})", record::MESSAGES_RATE),
                        "{{exchange}}",
                    )],
                ),
                panel(
                    "Messages per second by type",
                    "Trades, quotes, book updates, heartbeats.",
                    Unit::PerSecond,
                    &[(
                        "sum by (message_type) (rate(gpu_charts_exchange_messages_total{SEL}[$__rate_interval]))",
                        "{{message_type}}",
                    )],
                ),
                panel(
                    "Errors per second",
                    "From the recorded 5m rate; ExchangeErrorRate fires above its threshold.",
                    Unit::PerSecond,
                    &[(
                        &format!("sum by (exchange) ({}{{SEL}})", record::ERRORS_RATE),
                        "{{exchange}}",
                    )],
                ),
                panel(
                    "Reconnections in 15 minutes",
                    "ExchangeReconnectionLoop fires above its threshold.",
                    Unit::Count,
                    &[(
                        &format!(
                            "sum by (exchange) ({}{{SEL}})",
                            record::RECONNECTIONS_INCREASE
                        ),
                        "{{exchange}}",
                    )],
                ),
                panel(
                    "WebSocket latency",
                    "Recorded p50, p95 and p99 over 5m per exchange.",
                    Unit::Seconds,
                    &[(
                        &format!(
                            "max by (exchange, quantile) ({}{{SEL}})",
                            record::WS_LATENCY_QUANTILE
                        ),
                        "{{exchange}} p{{quantile}}",
                    )],
                ),
                panel(
                    "Data gaps in the last hour",
                    "Gaps the logger detected per exchange and symbol.",
                    Unit::Count,
                    &[(
                        "sum by (exchange, symbol) (increase(gpu_charts_data_gaps_total{SEL}[1h]))",
                        "{{exchange}} {{symbol}}",
                    )],
                ),
                panel(
                    "Seconds since last update",
                    "Staleness per exchange and symbol; StaleData fires above its threshold.",
                    Unit::Seconds,
                    &[(
                        "time() - max by (exchange, symbol) (gpu_charts_last_update_timestamp{SEL})",
                        "{{exchange}} {{symbol}}",
                    )],
                ),
                panel(
                    "Symbols monitored",
                    "Per exchange.",
                    Unit::Count,
                    &[(
                        "sum by (exchange) (gpu_charts_symbols_monitored{SEL})",
                        "{{exchange}}",
                    )],
                ),
            ],
        },
        Which::Server => Dashboard {
            which,
            job_regex: job(ServiceRole::Server),
            panels: vec![
                panel(
                    "Requests per second by status",
                    "From the recorded 5m rate.",
                    Unit::PerSecond,
                    &[(
                        &format!("sum by (status) ({}{{SEL}})", record::REQUESTS_RATE),
                        "{{status}}",
                    )],
                ),
                panel(
                    "5xx ratio",
                    "Share of requests answered 5xx; ServerErrorRatioHigh fires above its threshold.",
                    Unit::Ratio,
                    &[(&format!("{}{{SEL}}", record::ERROR_RATIO), "{{instance}}")],
                ),
                panel(
                    "Request latency",
                    "Recorded p50, p95 and p99 over 5m per endpoint.",
                    Unit::Seconds,
                    &[(
                        &format!(
                            "max by (endpoint, quantile) ({}{{SEL}})",
                            record::REQUEST_LATENCY_QUANTILE
                        ),
                        "{{endpoint}} p{{quantile}}",
                    )],
                ),
                panel(
                    "Cache hit ratio",
                    "Hits per lookup over 10m; CacheHitRatioLow fires below its threshold.",
                    Unit::Ratio,
                    &[(
                        &format!("{}{{SEL}}", record::CACHE_HIT_RATIO),
                        "{{instance}} {{cache_type}}",
                    )],
                ),
                panel(
                    "Data query latency",
                    "Recorded p50, p95 and p99 over 5m.",
                    Unit::Seconds,
                    &[(
                        &format!(
                            "max by (quantile) ({}{{SEL}})",
                            record::QUERY_LATENCY_QUANTILE
                        ),
                        "p{{quantile}}",
                    )],
                ),
                panel(
                    "Bytes served per second",
                    "Per data type.",
                    Unit::BytesPerSecond,
                    &[(
                        "sum by (type) (rate(gpu_charts_server_data_bytes_served_total{SEL}[$__rate_interval]))",
                        "{{type}}",
                    )],
                ),
                panel(
                    "Concurrent connections",
                    "Per protocol.",
                    Unit::Count,
                    &[(
                        "sum by (protocol) (gpu_charts_server_concurrent_connections{SEL})",
                        "{{protocol}}",
                    )],
                ),
                panel(
                    "Memory-mapped files",
                    "Per data type.",
                    Unit::Count,
                    &[(
                        "sum by (data_type) (gpu_charts_server_memory_mapped_files{SEL})",
                        "{{data_type}}",
                    )],
                ),
            ],
        },
    }
}

/// A query with the dashboard variables filled in as Grafana would for
/// "All": `job` and `instance` as regexes, `$__rate_interval` a duration.
pub(crate) fn substitute(expr: &str, job_regex: &str, rate_interval: &str) -> String {
    expr.replace("$__rate_interval", rate_interval)
        .replace("\"$job\"", &promql_string(job_regex))
        .replace("\"$instance\"", "\".+\"")
}

const DATASOURCE: &str = "${datasource}";

/// The dashboard as Grafana JSON (schema version 39).
pub(crate) fn to_json(d: &Dashboard) -> Value {
    let ds = json!({"type": "prometheus", "uid": DATASOURCE});
    let panels: Vec<Value> = d
        .panels
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let targets: Vec<Value> = p
                .queries
                .iter()
                .enumerate()
                .map(|(qi, (expr, legend))| {
                    json!({
                        "refId": ref_id(qi),
                        "datasource": ds,
                        "expr": expr,
                        "legendFormat": legend,
                        "range": true,
                    })
                })
                .collect();
            let step = matches!(p.unit, Unit::UpDown);
            json!({
                "id": i + 1,
                "type": "timeseries",
                "title": p.title,
                "description": p.description,
                "datasource": ds,
                "gridPos": {"h": 8, "w": 12, "x": (i % 2) * 12, "y": (i / 2) * 8},
                "fieldConfig": {
                    "defaults": {
                        "unit": p.unit.grafana(),
                        "min": if matches!(p.unit, Unit::Ratio | Unit::UpDown) { json!(0) } else { Value::Null },
                        "max": if matches!(p.unit, Unit::Ratio) { json!(1) } else { Value::Null },
                        "custom": {
                            "drawStyle": "line",
                            "lineInterpolation": if step { "stepAfter" } else { "linear" },
                            "fillOpacity": 10,
                            "showPoints": "never",
                        },
                    },
                    "overrides": [],
                },
                "options": {
                    "legend": {"displayMode": "list", "placement": "bottom", "showLegend": true},
                    "tooltip": {"mode": "multi", "sort": "desc"},
                },
                "targets": targets,
            })
        })
        .collect();
    let variable = |name: &str, label: &str, query: String| {
        json!({
            "name": name,
            "label": label,
            "type": "query",
            "datasource": ds,
            "definition": query,
            "query": {"query": query, "refId": "PrometheusVariableQueryEditor-VariableQuery"},
            "refresh": 2,
            "includeAll": true,
            "multi": true,
            "allValue": ".+",
            "current": {"selected": true, "text": ["All"], "value": ["$__all"]},
            "sort": 1,
            "hide": 0,
            "regex": "",
        })
    };
    let links: Vec<Value> = Which::ALL
        .iter()
        .filter(|w| **w != d.which)
        .map(|w| {
            json!({
                "title": w.title(),
                "type": "link",
                "url": format!("/d/{}", w.uid()),
                "keepTime": true,
                "includeVars": false,
            })
        })
        .collect();
    json!({
        "uid": d.which.uid(),
        "title": d.which.title(),
        "description": "Generated by gpucharts-mon gen-dashboards.",
        "tags": ["gpu-charts", "gpucharts-mon"],
        "timezone": "browser",
        "schemaVersion": 39,
        "version": 1,
        "editable": true,
        "graphTooltip": 1,
        "refresh": "30s",
        "time": {"from": "now-1h", "to": "now"},
        "links": links,
        "annotations": {"list": [{
            "builtIn": 1,
            "datasource": {"type": "grafana", "uid": "-- Grafana --"},
            "enable": true,
            "hide": true,
            "iconColor": "rgba(0, 211, 255, 1)",
            "name": "Annotations & Alerts",
            "type": "dashboard",
        }]},
        "templating": {"list": [
            {
                "name": "datasource",
                "label": "Data source",
                "type": "datasource",
                "query": "prometheus",
                "current": {},
                "hide": 0,
                "refresh": 1,
                "regex": "",
            },
            variable(
                "job",
                "Job",
                format!("label_values(up{{job=~{}}}, job)", promql_string(&d.job_regex)),
            ),
            variable(
                "instance",
                "Instance",
                "label_values(up{job=~\"$job\"}, instance)".to_string(),
            ),
        ]},
        "panels": panels,
    })
}

fn ref_id(i: usize) -> String {
    char::from(b'A' + (i % 26) as u8).to_string()
}

/// The dashboard as the JSON file Grafana loads.
pub(crate) fn to_text(d: &Dashboard) -> serde_json::Result<String> {
    let mut text = serde_json::to_string_pretty(&to_json(d))?;
    text.push('\n');
    Ok(text)
}

/// `dashboards.yml`: a Grafana file provider loading every dashboard in
/// `dir` (the container path) into the "GPU Charts" folder.
pub fn provisioning(dir: &str) -> String {
    format!(
        "# Grafana dashboard provisioning, generated by gpucharts-mon gen-dashboards.\n\
         # Mount at /etc/grafana/provisioning/dashboards/, with the dashboards at {dir}.\n\
         apiVersion: 1\n\
         providers:\n\
         \x20 - name: gpu-charts\n\
         \x20   orgId: 1\n\
         \x20   folder: GPU Charts\n\
         \x20   type: file\n\
         \x20   disableDeletion: false\n\
         \x20   allowUiUpdates: false\n\
         \x20   updateIntervalSeconds: 30\n\
         \x20   options:\n\
         \x20     path: \"{}\"\n\
         \x20     foldersFromFilesStructure: false\n",
        crate::templates::yaml_quoted_content(dir)
    )
}

/// One query of a panel, as Grafana sends it with "All" selected, and
/// Prometheus' answer over the preview's window.
pub(crate) struct PreviewQuery {
    pub query: String,
    pub legend: &'static str,
    pub result: crate::promapi::query::QueryResult,
}

/// A panel of a previewed dashboard.
pub(crate) struct PreviewPanel {
    pub title: &'static str,
    pub queries: Vec<PreviewQuery>,
}

/// A dashboard's panels, each query asked of a running Prometheus.
pub(crate) struct Preview {
    pub title: &'static str,
    pub panels: Vec<PreviewPanel>,
}

impl Preview {
    /// "dashboard / panel" of every panel with a query that returned nothing.
    pub(crate) fn empty_panels(previews: &[Preview]) -> Vec<String> {
        previews
            .iter()
            .flat_map(|d| {
                d.panels
                    .iter()
                    .filter(|p| p.queries.iter().any(|q| q.result.series.is_empty()))
                    .map(move |p| format!("{} / {}", d.title, p.title))
            })
            .collect()
    }
}

/// Every panel's queries of `boards` over `window`, with Grafana's
/// `$__rate_interval` (at least four steps, at least a minute).
pub(crate) async fn preview(
    prom: &crate::promapi::PromClient,
    boards: &[Dashboard],
    window: crate::promapi::query::Window,
) -> Result<Vec<Preview>, crate::promapi::ApiError> {
    let rate_interval = format!("{}s", (window.step * 4.0).max(60.0) as u64);
    let mut out = Vec::with_capacity(boards.len());
    for d in boards {
        let mut panels = Vec::with_capacity(d.panels.len());
        for panel in &d.panels {
            let mut queries = Vec::with_capacity(panel.queries.len());
            for (expr, legend) in &panel.queries {
                let query = substitute(expr, &d.job_regex, &rate_interval);
                let (_, result) = crate::promapi::query::range(prom, &query, window).await?;
                queries.push(PreviewQuery {
                    query,
                    legend,
                    result,
                });
            }
            panels.push(PreviewPanel {
                title: panel.title,
                queries,
            });
        }
        out.push(Preview {
            title: d.which.title(),
            panels,
        });
    }
    Ok(out)
}
