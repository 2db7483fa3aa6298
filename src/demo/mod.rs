//! Demo exposition for the GPU Charts services: every catalogue family with
//! realistic labels and values that move over time, as the services' Rust
//! `prometheus` crate writes them (text format 0.0.4).

pub mod selftest;
pub mod server;

use std::fmt::Write;

use crate::catalogue::{Catalogue, CatalogueFamily, ServiceFamilies};

/// A failure to rehearse: each makes one generated alert fire (on the
/// first exchange, `coinbase`, or the whole server) while the rest of the
/// data stays healthy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    EndpointDown,
    ExchangeDown,
    NoMessages,
    Errors,
    ReconnectLoop,
    WsLatency,
    StaleData,
    Http5xx,
    SlowRequests,
    CacheMiss,
    SlowQueries,
}

impl Fault {
    pub const ALL: [Fault; 11] = [
        Fault::EndpointDown,
        Fault::ExchangeDown,
        Fault::NoMessages,
        Fault::Errors,
        Fault::ReconnectLoop,
        Fault::WsLatency,
        Fault::StaleData,
        Fault::Http5xx,
        Fault::SlowRequests,
        Fault::CacheMiss,
        Fault::SlowQueries,
    ];

    /// As `--fault` spells it.
    pub fn name(self) -> &'static str {
        match self {
            Fault::EndpointDown => "endpoint-down",
            Fault::ExchangeDown => "exchange-down",
            Fault::NoMessages => "no-messages",
            Fault::Errors => "errors",
            Fault::ReconnectLoop => "reconnect-loop",
            Fault::WsLatency => "ws-latency",
            Fault::StaleData => "stale-data",
            Fault::Http5xx => "5xx",
            Fault::SlowRequests => "slow-requests",
            Fault::CacheMiss => "cache-miss",
            Fault::SlowQueries => "slow-queries",
        }
    }

    /// What the fault does to the data.
    pub fn what(self) -> &'static str {
        match self {
            Fault::EndpointDown => "/metrics answers 503",
            Fault::ExchangeDown => "coinbase reports connection status 0",
            Fault::NoMessages => "coinbase delivers no messages",
            Fault::Errors => "coinbase logs 6 errors per second",
            Fault::ReconnectLoop => "coinbase reconnects every second",
            Fault::WsLatency => "coinbase WebSocket latency in the seconds",
            Fault::StaleData => "coinbase BTC-USD last updated 15 minutes ago",
            Fault::Http5xx => "a third of the server's requests answer 500",
            Fault::SlowRequests => "server requests take seconds",
            Fault::CacheMiss => "half the cache lookups miss",
            Fault::SlowQueries => "data queries take hundreds of milliseconds",
        }
    }

    /// The generated alert this fault fires.
    pub fn alert(self) -> &'static str {
        match self {
            Fault::EndpointDown => "MetricsEndpointDown",
            Fault::ExchangeDown => "ExchangeDisconnected",
            Fault::NoMessages => "ExchangeNoMessages",
            Fault::Errors => "ExchangeErrorRate",
            Fault::ReconnectLoop => "ExchangeReconnectionLoop",
            Fault::WsLatency => "WebsocketLatencyHigh",
            Fault::StaleData => "StaleData",
            Fault::Http5xx => "ServerErrorRatioHigh",
            Fault::SlowRequests => "ServerRequestLatencyHigh",
            Fault::CacheMiss => "CacheHitRatioLow",
            Fault::SlowQueries => "SlowDataQueries",
        }
    }

    fn bit(self) -> u32 {
        1 << (self as u32)
    }
}

/// Fault switches to rehearse failures.
#[derive(Debug, Clone, Copy, Default)]
pub struct Faults {
    pub slow_ms: u64,
    pub fail_health: bool,
    pub malformed: bool,
    /// The `--fault` switches, as a bit set.
    on: u32,
}

impl Faults {
    pub fn with(mut self, faults: &[Fault]) -> Self {
        for f in faults {
            self.on |= f.bit();
        }
        self
    }

    pub fn has(self, fault: Fault) -> bool {
        self.on & fault.bit() != 0
    }
}

/// The exchange and symbol the logger faults hit.
const FAULTED_EXCHANGE: &str = "coinbase";
const FAULTED_SYMBOL: &str = "BTC-USD";

pub(crate) const TEXT_CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

fn values_for(label: &str, catalogue: &Catalogue) -> Vec<String> {
    let fixed: &[&str] = match label {
        "error_type" => &["timeout", "parse", "disconnect"],
        "method" => &["GET", "POST"],
        "endpoint" => &["/api/data", "/api/symbols"],
        "status" => &["200", "404", "500"],
        "protocol" => &["http", "websocket"],
        "cache_type" => &["memory", "disk"],
        "data_type" | "type" => &["price", "volume"],
        _ => &[],
    };
    if !fixed.is_empty() {
        return fixed.iter().map(|s| (*s).to_string()).collect();
    }
    let key = if label == "symbol" {
        "symbol_examples"
    } else {
        label
    };
    catalogue
        .label_values
        .get(key)
        .cloned()
        .unwrap_or_else(|| vec!["default".to_string()])
}

/// Every combination of the family's label values.
fn combinations(f: &CatalogueFamily, catalogue: &Catalogue) -> Vec<Vec<(String, String)>> {
    let mut out: Vec<Vec<(String, String)>> = vec![Vec::new()];
    for label in &f.labels {
        let values = values_for(label, catalogue);
        out = out
            .into_iter()
            .flat_map(|combo| {
                values.iter().map(move |v| {
                    let mut c = combo.clone();
                    c.push((label.clone(), v.clone()));
                    c
                })
            })
            .collect();
    }
    out
}

fn label_text(labels: &[(String, String)], extra: Option<(&str, &str)>) -> String {
    let mut parts: Vec<String> = labels.iter().map(|(k, v)| format!("{k}=\"{v}\"")).collect();
    if let Some((k, v)) = extra {
        parts.push(format!("{k}=\"{v}\""));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("{{{}}}", parts.join(","))
    }
}

/// A small deterministic per-series number in [0, 1).
fn jitter(seed: usize) -> f64 {
    let x = (seed as u64)
        .wrapping_mul(0x9e37_79b9_7f4a_7c15)
        .rotate_left(17);
    (x % 10_000) as f64 / 10_000.0
}

fn label<'a>(labels: &'a [(String, String)], name: &str) -> Option<&'a str> {
    labels
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Does a logger fault apply to this series (the faulted exchange, and the
/// faulted symbol where the family has one)?
fn hits_faulted_feed(labels: &[(String, String)]) -> bool {
    label(labels, "exchange") == Some(FAULTED_EXCHANGE)
        && label(labels, "symbol").is_none_or(|s| s == FAULTED_SYMBOL)
}

/// Per-second rate of a counter series (healthy unless a fault says so).
fn counter_rate(name: &str, labels: &[(String, String)], j: f64, faults: Faults) -> f64 {
    let feed = hits_faulted_feed(labels);
    match name {
        "gpu_charts_exchange_messages_total" if feed && faults.has(Fault::NoMessages) => 0.0,
        "gpu_charts_exchange_errors_total" if feed && faults.has(Fault::Errors) => 2.0,
        "gpu_charts_exchange_errors_total" => 0.01 * (1.0 + j),
        "gpu_charts_exchange_reconnections_total" if feed && faults.has(Fault::ReconnectLoop) => {
            1.0
        }
        "gpu_charts_exchange_reconnections_total" => 0.0,
        "gpu_charts_data_gaps_total" => 0.001 * (1.0 + j),
        "gpu_charts_server_http_requests_total" => {
            let base = 5.0 + 20.0 * j;
            match label(labels, "status") {
                Some("500") if faults.has(Fault::Http5xx) => base * 1.5,
                Some(s) if s.starts_with('5') => base * 0.001,
                Some(s) if s.starts_with('4') => base * 0.02,
                _ => base,
            }
        }
        "gpu_charts_server_cache_hits_total" if faults.has(Fault::CacheMiss) => 10.0,
        "gpu_charts_server_cache_hits_total" => 19.0 * (1.0 + j),
        "gpu_charts_server_cache_misses_total" if faults.has(Fault::CacheMiss) => 10.0,
        "gpu_charts_server_cache_misses_total" => 1.0 + j,
        _ => 1.0 + 50.0 * j,
    }
}

/// Cumulative share of observations at or below bucket `i` of `n`. Healthy
/// latencies fill the low buckets and none lies above the third largest
/// bound, so no quantile reaches the top buckets even while rounding to whole
/// counts skews the first scrapes; a slow fault puts every observation above
/// the second largest bound.
fn bucket_share(i: usize, n: usize, slow: bool) -> f64 {
    if slow {
        return if i + 1 >= n { 1.0 } else { 0.0 };
    }
    if i + 3 >= n {
        1.0
    } else {
        1.0 - 0.5_f64.powi(i as i32 + 2)
    }
}

/// Is this histogram series slowed by a fault?
fn slowed(name: &str, labels: &[(String, String)], faults: Faults) -> bool {
    match name {
        "gpu_charts_websocket_latency_seconds" => {
            hits_faulted_feed(labels) && faults.has(Fault::WsLatency)
        }
        "gpu_charts_server_http_request_duration_seconds" => faults.has(Fault::SlowRequests),
        "gpu_charts_server_data_query_duration_seconds" => faults.has(Fault::SlowQueries),
        _ => false,
    }
}

fn gauge(name: &str, labels: &[(String, String)], j: f64, t: f64, now: f64, faults: Faults) -> f64 {
    let feed = hits_faulted_feed(labels);
    match name {
        "gpu_charts_exchange_connection_status" => {
            f64::from(u8::from(!(feed && faults.has(Fault::ExchangeDown))))
        }
        "gpu_charts_last_update_timestamp" if feed && faults.has(Fault::StaleData) => {
            (now - 900.0).floor()
        }
        "gpu_charts_last_update_timestamp" => (now - 5.0 * j).floor(),
        _ => ((t / 10.0 + 6.0 * j).sin() + 1.5) * 10.0 * (1.0 + j),
    }
}

/// The exposition at `t` seconds after start (`now` is the Unix time).
pub(crate) fn render(
    service: &ServiceFamilies,
    catalogue: &Catalogue,
    t: f64,
    now: f64,
    faults: Faults,
) -> String {
    let mut out = String::with_capacity(16 << 10);
    for (fi, f) in service.families.iter().enumerate() {
        let _ = writeln!(out, "# HELP {} {}", f.name, f.help);
        let _ = writeln!(out, "# TYPE {} {}", f.name, f.kind);
        for (si, labels) in combinations(f, catalogue).iter().enumerate() {
            let j = jitter(fi * 1000 + si);
            let l = label_text(labels, None);
            match f.kind.as_str() {
                "counter" => {
                    // A start value, then the series' rate.
                    // Fractional, so that short-window rates are not steps.
                    let value = 100.0 * j + counter_rate(&f.name, labels, j, faults) * t;
                    let _ = writeln!(out, "{}{l} {value:.3}", f.name);
                }
                "histogram" => {
                    let count = ((5.0 + 20.0 * j) * (t + 1.0)).floor();
                    let slow = slowed(&f.name, labels, faults);
                    let n = f.buckets.len();
                    let (mut below, mut lower, mut sum) = (0.0, 0.0, 0.0);
                    for (bi, b) in f.buckets.iter().enumerate() {
                        let share = bucket_share(bi, n, slow);
                        // Observations in this bucket count at its midpoint.
                        sum += (share - below) * count * (lower + b) / 2.0;
                        (below, lower) = (share, *b);
                        let le = label_text(labels, Some(("le", &b.to_string())));
                        let _ = writeln!(out, "{}_bucket{le} {}", f.name, (count * share).floor());
                    }
                    sum += (1.0 - below) * count * lower * 2.0;
                    let inf = label_text(labels, Some(("le", "+Inf")));
                    let _ = writeln!(out, "{}_bucket{inf} {count}", f.name);
                    let _ = writeln!(out, "{}_sum{l} {sum:.6}", f.name);
                    let _ = writeln!(out, "{}_count{l} {count}", f.name);
                }
                _ => {
                    let value = gauge(&f.name, labels, j, t, now, faults);
                    let _ = writeln!(out, "{}{l} {}", f.name, (value * 1000.0).round() / 1000.0);
                }
            }
        }
    }
    if faults.malformed {
        out.push_str("gpu_charts_demo_broken{exchange=\"coinbase\" 1\n");
    }
    out
}

/// The /health body the real services send.
pub fn health(service: &ServiceFamilies, faults: Faults) -> (u16, String) {
    if faults.fail_health {
        (
            503,
            format!("{{\"status\":\"error\",\"service\":\"{}\"}}", service.job),
        )
    } else {
        (
            200,
            format!("{{\"status\":\"ok\",\"service\":\"{}\"}}", service.job),
        )
    }
}
