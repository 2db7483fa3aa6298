//! A stand-in for Prometheus' HTTP API on loopback, for tests that show a
//! flag reaches the request or the report. What Prometheus itself answers
//! is for the tests that start a real one (`support::prometheus`).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::http::{Response, TestServer};

/// Two active targets, the logger up and the server not yet scraped for
/// the first `server_up_after` asks of `/api/v1/targets` (up after them),
/// and one dropped target.
pub fn start(server_up_after: usize) -> TestServer {
    let asked = Arc::new(AtomicUsize::new(0));
    TestServer::start(move |_, path| {
        let json = |data: serde_json::Value| {
            Response::new(
                200,
                "application/json",
                serde_json::json!({"status": "success", "data": data}).to_string(),
            )
        };
        if path.starts_with("/api/v1/targets") {
            let n = asked.fetch_add(1, Ordering::SeqCst);
            json(targets(n >= server_up_after))
        } else if path.starts_with("/api/v1/status/buildinfo") {
            json(serde_json::json!({"version": "3.5.0", "revision": "fake",
                "branch": "HEAD", "buildUser": "test", "buildDate": "20250101",
                "goVersion": "go1.24"}))
        } else if path.starts_with("/api/v1/status/runtimeinfo") {
            json(serde_json::json!({"startTime": "2020-01-01T00:00:00Z",
                "reloadConfigSuccess": true, "lastConfigTime": "2020-01-01T00:00:00Z"}))
        } else if path.starts_with("/api/v1/status/config") {
            json(serde_json::json!({"yaml": CONFIG}))
        } else {
            Response::new(404, "text/plain", "not found")
        }
    })
}

/// The configuration it says it runs: the two jobs of its targets.
const CONFIG: &str = "global:\n  scrape_interval: 1s\nscrape_configs:\n- job_name: gpu-charts-logger\n  static_configs:\n  - targets: [127.0.0.1:9090]\n- job_name: gpu-charts-server\n  static_configs:\n  - targets: [127.0.0.1:9091]\n";

fn target(job: &str, instance: &str, up: bool) -> serde_json::Value {
    let address = format!(
        "127.0.0.1:{}",
        if job.ends_with("logger") { 9090 } else { 9091 }
    );
    serde_json::json!({
        "discoveredLabels": {"__address__": address, "job": job},
        "labels": {"job": job, "instance": instance},
        "scrapePool": job, "scrapeUrl": format!("http://{address}/metrics"),
        "health": if up { "up" } else { "unknown" }, "lastError": "",
        "lastScrape": if up { "2026-12-01T00:00:00Z" } else { "0001-01-01T00:00:00Z" },
        "lastScrapeDuration": 0.01, "scrapeInterval": "1s", "scrapeTimeout": "1s"
    })
}

fn targets(server_up: bool) -> serde_json::Value {
    serde_json::json!({
        "activeTargets": [
            target("gpu-charts-logger", "logger-1", true),
            target("gpu-charts-server", "server-1", server_up),
        ],
        "droppedTargets": [{"discoveredLabels": {
            "__address__": "127.0.0.1:9999", "job": "gpu-charts-canary"}}]
    })
}
