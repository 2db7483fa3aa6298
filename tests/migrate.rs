//! `migrate --pushgateway URL` against a real Pushgateway (Debian's
//! prometheus-pushgateway, from the testing cache `.ci/run` fills), a real
//! Prometheus and serve-demo standing in for the services.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::demo::{Running, serve_demo};
use crate::support::http::{closed_port, get};
use crate::support::prometheus::{Prometheus, Version};
use crate::support::{json_outcome, mon, outcome};

struct Pushgateway {
    _running: Running,
    url: String,
}

impl Pushgateway {
    fn start(dir: &Path) -> Option<Self> {
        let bin = Version::Three.tool("prometheus-pushgateway", "migrate")?;
        let port = closed_port();
        let child = Command::new(bin)
            .arg(format!("--web.listen-address=127.0.0.1:{port}"))
            .arg(format!(
                "--persistence.file={}",
                dir.join("pg.db").display()
            ))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let running = Running(child);
        let url = format!("http://127.0.0.1:{port}");
        let start = Instant::now();
        while get(&format!("{url}/-/ready")).map(|(s, _)| s).ok() != Some(200) {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "pushgateway did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(Self {
            _running: running,
            url,
        })
    }

    /// Push `body` (text format) to the group at `path` (`job/x/instance/y`).
    fn push(&self, path: &str, body: &str) {
        let rest = self.url.strip_prefix("http://").unwrap();
        let mut s = std::net::TcpStream::connect(rest).unwrap();
        use std::io::{Read, Write};
        write!(
            s,
            "PUT /metrics/{path} HTTP/1.1\r\nHost: {rest}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut answer = String::new();
        s.read_to_string(&mut answer).unwrap();
        assert!(answer.starts_with("HTTP/1.1 200"), "push {path}: {answer}");
    }

    fn groups(&self) -> Vec<Value> {
        let (_, body) = get(&format!("{}/api/v1/metrics", self.url)).unwrap();
        let v: Value = serde_json::from_slice(&body).unwrap();
        v["data"].as_array().unwrap().clone()
    }

    fn jobs(&self) -> Vec<String> {
        let mut jobs: Vec<String> = self
            .groups()
            .iter()
            .map(|g| g["labels"]["job"].as_str().unwrap().to_string())
            .collect();
        jobs.sort();
        jobs
    }
}

fn migrate(dir: &Path, pg: &str, prom: &str, extra: &[&str]) -> (i32, Value, String) {
    json_outcome(
        mon(dir)
            .args(["migrate", "--pushgateway", pg, "--prometheus", prom])
            .args(["--output-format", "json"])
            .args(extra),
    )
}

fn step<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["step"] == name)
        .unwrap_or_else(|| panic!("no step {name}: {report}"))
}

fn group<'a>(report: &'a Value, job: &str) -> &'a Value {
    report["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["labels"]["job"] == job)
        .unwrap_or_else(|| panic!("no group {job}: {report}"))
}

/// Wait until every target of `prom` is up.
fn all_up(prom: &Prometheus, jobs: usize) {
    let start = Instant::now();
    loop {
        let (_, body) = get(&format!("{}/api/v1/targets?state=active", prom.url)).unwrap();
        let v: Value = serde_json::from_slice(&body).unwrap();
        let t = v["data"]["activeTargets"].as_array().unwrap();
        if t.len() == jobs && t.iter().all(|t| t["health"] == "up") {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "targets not up: {v}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn query_count(prom: &Prometheus, expr: &str) -> usize {
    let url = format!(
        "{}/api/v1/query?query={}",
        prom.url,
        expr.replace('{', "%7B")
            .replace('}', "%7D")
            .replace('"', "%22")
            .replace(' ', "%20")
    );
    let (_, body) = get(&url).unwrap();
    let v: Value = serde_json::from_slice(&body).unwrap();
    v["data"]["result"].as_array().map_or(0, Vec::len)
}

/// In `d`: an inventory of `demo`'s services, and what a push setup leaves
/// behind: a rule on the pushed `exported_job` of `job`, and a dashboard
/// on the `exported_instance` of `instance`.
fn leftovers(d: &Path, demo: &crate::support::demo::Demo, job: &str, instance: &str) {
    std::fs::write(
        d.join("gpucharts-mon.yaml"),
        format!(
            "services:\n  logger:\n    instances: ['{}']\n  server:\n    instances: ['{}']\n",
            demo.logger_addr(),
            demo.server_addr()
        ),
    )
    .unwrap();
    std::fs::write(
        d.join("old-rules.yml"),
        format!("groups:\n- name: push\n  rules:\n  - alert: PushStale\n    expr: time() - push_time_seconds{{exported_job=\"{job}\"}} > 300\n"),
    )
    .unwrap();
    std::fs::create_dir(d.join("dash")).unwrap();
    std::fs::write(
        d.join("dash/old.json"),
        format!("{{\"expr\": \"up{{exported_instance=\\\"{instance}\\\"}}\"}}\n"),
    )
    .unwrap();
}

#[test]
fn migrate_walks_the_five_steps_against_a_real_pushgateway() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let Some(pg) = Pushgateway::start(d) else {
        return;
    };
    let demo = serve_demo(&[]);
    // The logger's leftover group: a value the service no longer has, and a
    // family it never serves; the server's group, all served by pull; a
    // group of another job.
    pg.push(
        "job/gpu-charts-logger/instance/logger-1",
        "# TYPE gpu_charts_exchange_connection_status gauge\ngpu_charts_exchange_connection_status{exchange=\"binance\"} 0\n# TYPE gpu_charts_logger_backfill_total counter\ngpu_charts_logger_backfill_total 5\n",
    );
    pg.push(
        "job/gpu-charts-server/instance/server-1",
        "# TYPE gpu_charts_server_http_requests_total counter\ngpu_charts_server_http_requests_total{method=\"GET\",endpoint=\"/api/data\",status=\"200\"} 3\n",
    );
    pg.push("job/nightly-backup", "# TYPE backup_last_success_timestamp_seconds gauge\nbackup_last_success_timestamp_seconds 1.7e9\n");

    // The transition: pull jobs for the services, and the Pushgateway job
    // with honor_labels still in place.
    // The transition alert, quick: a group pushed more than 1s ago.
    let pg_addr = pg.url.strip_prefix("http://").unwrap().to_string();
    let (code, _, err) = outcome(mon(d).args([
        "gen-rules",
        "--pushgateway-alert",
        "--threshold",
        "PushedGroupStale=1",
        "--for",
        "PushedGroupStale=0s",
        "-o",
        "transition.yml",
    ]));
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = outcome(mon(d).args(["gen-rules", "-o", "alerts.yml"]));
    assert_eq!(code, 0, "{err}");
    let config = |rules: &str, extra: &[&str]| {
        crate::support::demo::fast_config(
            d,
            &[demo.logger_addr()],
            &[demo.server_addr()],
            &d.join(rules),
            extra,
        )
    };
    let pull = config("alerts.yml", &[]);
    let config = config("transition.yml", &["--pushgateway", &pg_addr]);
    assert!(config.contains("honor_labels: true"), "{config}");
    let Some(prom) = Prometheus::start(&config, "migrate") else {
        return;
    };
    all_up(&prom, 3);
    // Both GPU Charts groups are stale at once; another job's never is
    // (the alert reads the GPU Charts jobs only).
    let start = Instant::now();
    while query_count(
        &prom,
        "ALERTS{alertname=\"PushedGroupStale\",alertstate=\"firing\"}",
    ) != 2
    {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "PushedGroupStale does not fire for the two groups"
        );
        std::thread::sleep(Duration::from_millis(250));
    }
    assert_eq!(
        query_count(
            &prom,
            "ALERTS{alertname=\"PushedGroupStale\",job=\"gpu-charts-logger\",instance=\"logger-1\"}"
        ),
        1
    );
    leftovers(d, &demo, "gpu-charts-logger", "logger-1");
    let (code, report, err) = migrate(
        d,
        &pg.url,
        &prom.url,
        &[
            "--rule-file",
            "old-rules.yml",
            "--dashboards",
            "dash",
            "--quiet-for",
            "1h",
        ],
    );
    assert_eq!(code, 1, "{err}\n{report}");
    assert_eq!(report["ready"], false);
    assert_eq!(step(&report, "deployed")["status"], "done", "{report}");
    assert_eq!(step(&report, "configured")["status"], "done", "{report}");
    let collected = step(&report, "collected");
    assert_eq!(collected["status"], "not-yet", "{report}");
    let logger = group(&report, "gpu-charts-logger");
    assert_eq!(logger["verdict"], "not-collected");
    assert_eq!(
        logger["not_pulled"],
        serde_json::json!(["gpu_charts_logger_backfill_total"])
    );
    assert!(
        logger["collisions"][0].as_str().unwrap().starts_with(
            "gpu_charts_exchange_connection_status{job=\"gpu-charts-logger\",instance=\"logger-1\"}"
        ),
        "{logger}"
    );
    assert!(
        logger["stale"][0].as_str().unwrap().starts_with(
            "gpu_charts_exchange_connection_status{exchange=\"binance\"}: pushed 0, served now 1"
        ),
        "{logger}"
    );
    assert_eq!(group(&report, "gpu-charts-server")["verdict"], "collected");
    assert_eq!(group(&report, "nightly-backup")["verdict"], "other-job");
    let removed = step(&report, "push configuration removed");
    assert_eq!(removed["status"], "not-yet");
    let evidence = removed["evidence"].to_string();
    assert!(
        evidence.contains("job pushgateway (honor_labels: true) still scrapes the Pushgateway"),
        "{evidence}"
    );
    assert!(
        evidence.contains("old-rules.yml:5: uses exported_job"),
        "{evidence}"
    );
    assert!(
        evidence.contains(
            "the running Prometheus evaluates PushedGroupStale (group gpu-charts-transition"
        ),
        "{evidence}"
    );
    let decommission = step(&report, "decommission");
    assert_eq!(decommission["status"], "blocked", "{report}");
    assert!(
        decommission["evidence"]
            .to_string()
            .contains("nightly-backup"),
        "{report}"
    );

    // doctor sees the shadow too: the logger's families pushed and scraped
    // from the Pushgateway.
    let (_, v, _) = json_outcome(mon(d).args([
        "doctor",
        "logger",
        "--prometheus",
        &prom.url,
        "--output-format",
        "json",
    ]));
    let shadow = v["targets"][0]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "pushgateway")
        .unwrap_or_else(|| panic!("no pushgateway check: {v}"));
    assert_eq!(shadow["status"], "warn", "{shadow}");
    let evidence = shadow["evidence"].as_str().unwrap();
    assert!(
        evidence.contains("gpu_charts_exchange_connection_status"),
        "{evidence}"
    );
    assert!(
        !evidence.contains("gpu_charts_server_http_requests"),
        "{evidence}"
    );

    // The table says the same, a step per paragraph.
    let (_, table, _) = outcome(mon(d).args([
        "migrate",
        "--pushgateway",
        &pg.url,
        "--prometheus",
        &prom.url,
    ]));
    assert!(table.contains("3. collected: not yet"), "{table}");
    assert!(table.contains("5. decommission: blocked"), "{table}");

    // --dry-run lists the DELETE of the migrated group only.
    let (_, report, err) = migrate(
        d,
        &pg.url,
        &prom.url,
        &["--delete-migrated", "--dry-run", "--quiet-for", "0s"],
    );
    assert!(
        step(&report, "decommission")["evidence"]
            .to_string()
            .contains("is left (quiet"),
        "{report}"
    );
    let deletes = report["deletes"].as_array().unwrap();
    assert_eq!(deletes.len(), 1, "{report}\n{err}");
    assert!(
        deletes[0]
            .as_str()
            .unwrap()
            .contains("/metrics/job@base64/Z3B1LWNoYXJ0cy1zZXJ2ZXI=/instance@base64/c2VydmVyLTE="),
        "{report}"
    );
    assert_eq!(
        pg.jobs(),
        ["gpu-charts-logger", "gpu-charts-server", "nightly-backup"]
    );

    // --delete-migrated deletes exactly it; Prometheus stops receiving it.
    assert_eq!(
        query_count(&prom, "push_time_seconds{job=\"gpu-charts-server\"}"),
        1
    );
    let (code, report, err) = migrate(d, &pg.url, &prom.url, &["--delete-migrated"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(report["deletes"].as_array().unwrap().len(), 1, "{report}");
    assert_eq!(pg.jobs(), ["gpu-charts-logger", "nightly-backup"]);
    let start = Instant::now();
    while query_count(&prom, "push_time_seconds{job=\"gpu-charts-server\"}") != 0 {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "Prometheus still has the deleted group"
        );
        std::thread::sleep(Duration::from_millis(250));
    }

    // Finished: the other groups gone and a config without the Pushgateway
    // job: ready to decommission, exit 0.
    for path in [
        "job/gpu-charts-logger/instance/logger-1",
        "job/nightly-backup",
    ] {
        let rest = pg.url.strip_prefix("http://").unwrap();
        let mut s = std::net::TcpStream::connect(rest).unwrap();
        use std::io::{Read, Write};
        write!(
            s,
            "DELETE /metrics/{path} HTTP/1.1\r\nHost: {rest}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut answer = String::new();
        s.read_to_string(&mut answer).unwrap();
        assert!(answer.starts_with("HTTP/1.1 202"), "{answer}");
    }
    drop(prom);
    let Some(prom) = Prometheus::start(&pull, "migrate: pull only") else {
        return;
    };
    all_up(&prom, 2);
    let (code, report, err) = migrate(d, &pg.url, &prom.url, &[]);
    assert_eq!(code, 0, "{err}\n{report}");
    assert_eq!(report["ready"], true);
}

/// A Pushgateway that is not there: exit 3, one line naming it.
#[test]
fn an_unreachable_pushgateway_exits_3() {
    let dir = tempfile::tempdir().unwrap();
    let port = closed_port();
    let (code, _, err) = outcome(mon(dir.path()).args([
        "migrate",
        "--pushgateway",
        &format!("http://127.0.0.1:{port}"),
        "--prometheus",
        &format!("http://127.0.0.1:{}", closed_port()),
    ]));
    assert_eq!(code, 3, "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(
        err.contains("Pushgateway: cannot reach the Pushgateway at"),
        "{err}"
    );
}

/// A Pushgateway that answers nonsense, a wrong shape, an endless body or
/// labels with control characters: exit 3 (or a report) with nothing raw on
/// the terminal, never a panic or a hang. The endless body ends at
/// `--max-body`, long before `--timeout`.
#[test]
fn hostile_pushgateway_answers() {
    use crate::support::http::{Response, TestServer};
    let evil = "\u{1b}[2J\u{1b}]0;owned\u{7}";
    let targets = r#"{"status":"success","data":{"activeTargets":[],"droppedTargets":[]}}"#;
    let config = r#"{"status":"success","data":{"yaml":"scrape_configs: []\n"}}"#;
    // Rules the running Prometheus reports, named to take over a terminal:
    // step 4 names them (they use push_time_seconds), escaped.
    let rules = serde_json::json!({"status": "success", "data": {"groups": [{
        "name": format!("g{evil}"), "file": format!("/etc/{evil}.yml"),
        "rules": [{"name": format!("Stale{evil}"), "query": "time() - push_time_seconds > 1"}],
    }]}})
    .to_string();
    let prom = TestServer::start(move |_, path| {
        if path.starts_with("/api/v1/status/config") {
            Response::new(200, "application/json", config)
        } else if path.starts_with("/api/v1/rules") {
            Response::new(200, "application/json", rules.clone())
        } else {
            Response::new(200, "application/json", targets)
        }
    });
    let groups = serde_json::json!({"status": "success", "data": [{
        "labels": {"job": format!("gpu-charts-logger{evil}"), "instance": evil},
        "push_time_seconds": {"metrics": [{"labels": {}, "value": "1.0"}]},
        format!("gpu_charts_x{evil}"): {"metrics": [{"labels": {"a": evil}, "value": "NaN"}]},
    }]})
    .to_string();
    let answers: Vec<Response> = vec![
        Response::new(200, "application/json", "not json at all"),
        Response::new(
            200,
            "application/json",
            r#"{"status":"success","data":{"a":1}}"#,
        ),
        Response::new(200, "application/json", b"\xff\xfe\x00".to_vec()),
        Response::new(200, "application/json", "x").endless(),
        Response::new(200, "application/json", groups),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (i, answer) in answers.into_iter().enumerate() {
        let pg = TestServer::start(move |_, _| answer.clone());
        let (code, out, err) = outcome(
            mon(dir.path())
                .args([
                    "migrate",
                    "--pushgateway",
                    &pg.url(),
                    "--prometheus",
                    &prom.url(),
                ])
                .args(["--max-body", "1MiB", "--timeout", "20s"])
                .timeout(Duration::from_secs(30)),
        );
        assert!(matches!(code, 1 | 3), "answer {i}: {code} {out}{err}");
        for text in [&out, &err] {
            assert!(
                !text.contains('\u{1b}') && !text.contains('\u{7}'),
                "answer {i}: {text:?}"
            );
        }
        if code == 3 {
            assert_eq!(err.trim().lines().count(), 1, "answer {i}: {err}");
        } else {
            assert!(out.contains("evaluates Stale"), "answer {i}: {out}");
        }
    }
}

/// Every flag of migrate reaches the assessment or a request: against a
/// real Pushgateway and a real Prometheus in transition, each flag given a
/// value other than its default changes the report or the exit code, and
/// none is a clap usage error. (Auth and TLS flags of the API client:
/// tests/secured.rs covers the same `PrometheusArgs` on check-targets and
/// query.)
#[test]
fn each_migrate_flag_is_read() {
    use crate::support::http::{Response, TestServer};
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let Some(pg) = Pushgateway::start(d) else {
        return;
    };
    let demo = serve_demo(&[]);
    pg.push(
        "job/gpu-charts-server/instance/server-1",
        "# TYPE gpu_charts_server_http_requests_total counter\ngpu_charts_server_http_requests_total{method=\"GET\",endpoint=\"/api/data\",status=\"200\"} 3\n",
    );
    let pg_addr = pg.url.strip_prefix("http://").unwrap().to_string();
    std::fs::write(d.join("none.yml"), "groups: []\n").unwrap();
    let config = crate::support::demo::fast_config(
        d,
        &[demo.logger_addr()],
        &[demo.server_addr()],
        &d.join("none.yml"),
        &["--pushgateway", &pg_addr],
    );
    let Some(prom) = Prometheus::start(&config, "migrate::each_migrate_flag_is_read") else {
        return;
    };
    all_up(&prom, 3);
    leftovers(d, &demo, "gpu-charts-server", "server-1");
    let elsewhere = crate::support::fakeprom::start(0);
    let slow = TestServer::start(|_, _| {
        std::thread::sleep(Duration::from_millis(1200));
        Response::new(200, "application/json", "{}")
    });
    let to = prom.url.clone();
    let moved = TestServer::start(move |_, path| {
        Response::new(302, "text/plain", "").header("Location", &format!("{to}{path}"))
    });
    let at = |pg: &str, prom: &str, extra: &[&str]| {
        let (code, out, err) = outcome(
            mon(d)
                .args(["migrate", "--pushgateway", pg, "--prometheus", prom])
                // Quiet for an hour unless the case says: the verdict does
                // not change as the push ages during the test.
                .args(if extra.contains(&"--quiet-for") {
                    &[][..]
                } else {
                    &["--quiet-for", "1h"]
                })
                .args(extra),
        );
        assert!(!err.contains("try '--help'"), "{extra:?}: {err}");
        let mut json: Value = serde_json::from_str(&out).unwrap_or(Value::String(out));
        crate::support::untimed(&mut json);
        (code, json, crate::support::untimed_text(&err))
    };
    let run = |extra: &[&str]| {
        let mut args = vec!["--output-format", "json"];
        args.extend_from_slice(extra);
        at(&pg.url, &prom.url, &args)
    };
    let base = run(&[]);
    assert_eq!(base.0, 1, "groups are still pushed: {base:?}");
    let dry = run(&["--delete-migrated", "--dry-run"]);
    assert_eq!(
        pg.jobs(),
        ["gpu-charts-server"],
        "a dry run deletes nothing"
    );
    for (what, changed, against) in [
        ("--output-format", &at(&pg.url, &prom.url, &[]), &base),
        (
            "--pushgateway",
            &at(&elsewhere.url(), &prom.url, &["--output-format", "json"]),
            &base,
        ),
        (
            "--prometheus",
            &at(&pg.url, &elsewhere.url(), &["--output-format", "json"]),
            &base,
        ),
        (
            "--timeout",
            &at(
                &pg.url,
                &slow.url(),
                &["--output-format", "json", "--timeout", "300ms"],
            ),
            &at(&pg.url, &slow.url(), &["--output-format", "json"]),
        ),
        ("--max-body", &run(&["--max-body", "16"]), &base),
        (
            "--follow-redirects",
            &at(
                &pg.url,
                &moved.url(),
                &["--output-format", "json", "--follow-redirects"],
            ),
            &at(&pg.url, &moved.url(), &["--output-format", "json"]),
        ),
        ("--quiet-for", &run(&["--quiet-for", "0s"]), &base),
        (
            "--rule-file",
            &run(&["--rule-file", "old-rules.yml"]),
            &base,
        ),
        ("--dashboards", &run(&["--dashboards", "dash"]), &base),
        ("--delete-migrated", &dry, &base),
        // Last: it deletes the migrated group for real.
        ("--dry-run", &run(&["--delete-migrated"]), &dry),
    ] {
        assert_ne!(changed, against, "{what} changed nothing");
    }
    assert!(pg.jobs().is_empty(), "--delete-migrated deleted the group");
}
