//! doctor names the real cause for the seed's troubleshooting list: a
//! service that is down (refused), packets dropped by a firewall (timed
//! out), a payload Prometheus would drop (parse error and line), a job
//! missing from the running config (reload), and a healthy target.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::support::demo::serve_demo;
use crate::support::http::closed_port;
use crate::support::prometheus::Prometheus;
use crate::support::{json_outcome, mon, outcome};

fn doctor(dir: &std::path::Path, args: &[&str]) -> (i32, serde_json::Value, String) {
    json_outcome(mon(dir).arg("doctor").args(args).args([
        "--output-format",
        "json",
        "--timeout",
        "2s",
    ]))
}

/// `check[field]` contains `needle`.
fn says(check: &serde_json::Value, field: &str, needle: &str) {
    let text = check[field].as_str().unwrap_or_default();
    assert!(text.contains(needle), "{field} lacks {needle:?}: {check}");
}

fn step<'a>(v: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    v["targets"][0]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no {name} check: {v}"))
}

#[test]
fn refused_is_named_with_the_expected_port() {
    let dir = tempfile::tempdir().unwrap();
    let port = closed_port();
    std::fs::write(
        dir.path().join("inv.yaml"),
        format!("services:\n  logger:\n    port: {port}\n    instances: [\"127.0.0.1:{port}\"]\n"),
    )
    .unwrap();
    let (code, out, err) = outcome(mon(dir.path()).args([
        "-c",
        "inv.yaml",
        "doctor",
        "logger",
        "--output-format",
        "json",
    ]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {err}"));
    // Nothing answered and no Prometheus was asked: nothing to diagnose.
    assert_eq!(code, 3, "{out}");
    let tcp = step(&v, "tcp");
    assert_eq!(tcp["status"], "fail");
    says(tcp, "evidence", "connection refused");
    says(tcp, "fix", "METRICS_PORT");
    assert!(
        v["targets"][0]["root_cause"]
            .as_str()
            .unwrap()
            .contains("refused")
    );
}

#[test]
fn a_payload_prometheus_would_drop_is_named_with_its_line() {
    let demo = serve_demo(&["--malformed"]);
    let dir = tempfile::tempdir().unwrap();
    let (code, v, err) = doctor(dir.path(), &[&format!("127.0.0.1:{}", demo.logger)]);
    assert_eq!(code, 1, "{v}{err}");
    let metrics = step(&v, "metrics");
    assert_eq!(metrics["status"], "fail");
    let evidence = metrics["evidence"].as_str().unwrap();
    assert!(
        evidence.contains("line ") && evidence.contains("would fail the whole scrape"),
        "{evidence}"
    );
}

/// A healthy target Prometheus scrapes; then a job missing from the running
/// config, which only a reload fixes.
#[test]
fn prometheus_side_healthy_then_job_missing() {
    let demo = serve_demo(&[]);
    let config = format!(
        "global: {{scrape_interval: 1s, scrape_timeout: 1s}}\nscrape_configs:\n  - job_name: gpu-charts-logger\n    static_configs: [{{targets: [\"127.0.0.1:{}\"]}}]\n",
        demo.logger
    );
    let Some(prom) = Prometheus::start(&config, "doctor::prometheus_side") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("inv.yaml"),
        format!(
            "services:\n  logger:\n    port: {p}\n    instances: [\"127.0.0.1:{p}\"]\n  server:\n    job: api\n    port: {s}\n    instances: [\"127.0.0.1:{s}\"]\n",
            p = demo.logger,
            s = demo.server
        ),
    )
    .unwrap();
    let run = |target: &str| {
        let (code, out, err) = outcome(mon(dir.path()).args([
            "-c",
            "inv.yaml",
            "doctor",
            target,
            "--prometheus",
            &prom.url,
            "--output-format",
            "json",
        ]));
        let v: serde_json::Value =
            serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"));
        (code, v)
    };
    // Wait for the first scrape, then the logger is healthy end to end.
    let start = Instant::now();
    let v = loop {
        let (code, v) = run("logger");
        if step(&v, "prometheus")["status"] == "pass" {
            assert_eq!(step(&v, "metrics")["status"], "pass", "{v}");
            assert_ne!(code, 3);
            break v;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "never scraped: {v}"
        );
        std::thread::sleep(Duration::from_millis(300));
    };
    assert!(
        step(&v, "prometheus")["evidence"]
            .as_str()
            .unwrap()
            .contains("up")
    );
    let start = Instant::now();
    let (_, _) = run("logger");
    assert!(
        start.elapsed() < Duration::from_secs(1),
        "doctor took {:?}",
        start.elapsed()
    );
    // The server's job `api` is not in the running config.
    let (code, v) = run("server");
    assert_eq!(code, 1, "{v}");
    let p = step(&v, "prometheus");
    assert_eq!(p["status"], "fail");
    says(p, "evidence", "not in the running config");
    says(p, "fix", "gpucharts-mon reload");
}

/// Packets dropped by a firewall in a namespace: "timed out", with the
/// firewall command as the fix. Needs root and `ip netns`.
#[test]
fn dropped_packets_are_named_as_a_firewall() {
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0");
    let have = |t: &str| {
        Command::new("sh")
            .arg("-c")
            .arg(format!("command -v {t}"))
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !root || !have("ip") || !have("iptables") {
        crate::support::skip("doctor::dropped_packets: needs root, ip and iptables");
        return;
    }
    let ns = format!("gcmdoc{}", std::process::id());
    let ok = Command::new("ip")
        .args(["netns", "add", &ns])
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        crate::support::skip("doctor::dropped_packets: cannot create a namespace");
        return;
    }
    let run = |args: &[&str]| {
        Command::new("ip")
            .args(["netns", "exec", &ns])
            .args(args)
            .output()
            .unwrap()
    };
    run(&["ip", "link", "set", "lo", "up"]);
    run(&[
        "iptables", "-A", "INPUT", "-p", "tcp", "--dport", "9090", "-j", "DROP",
    ]);
    let bin = assert_cmd::cargo::cargo_bin("gpucharts-mon");
    let out = run(&[
        bin.to_str().unwrap(),
        "doctor",
        "127.0.0.1:9090",
        "--timeout",
        "1s",
        "--output-format",
        "json",
    ]);
    let _ = Command::new("ip").args(["netns", "del", &ns]).status();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let tcp = step(&v, "tcp");
    says(tcp, "evidence", "timed out: packets");
    says(tcp, "fix", "gpucharts-mon firewall");
    says(tcp, "fix", "DOCKER-USER");
}

/// A slow scrape is a warning naming the slowest phase; a target that
/// relabelling drops is named as dropped, with its discovered labels.
#[test]
fn slow_scrapes_and_dropped_targets_are_named() {
    let slow = serve_demo(&["--slow", "1200"]);
    let dir = tempfile::tempdir().unwrap();
    let (code, v, err) = doctor(dir.path(), &[&format!("127.0.0.1:{}", slow.logger)]);
    assert_eq!(
        code, 0,
        "a slow scrape is a warning, not a failure: {v}{err}"
    );
    let metrics = step(&v, "metrics");
    assert_eq!(metrics["status"], "warn", "{metrics}");
    says(metrics, "evidence", "slowest phase: first byte");
    // A small body answered late: the advice is about the service's
    // handler, not about label combinations.
    says(metrics, "fix", "a slow collector in the service");
    assert!(
        !metrics["fix"]
            .as_str()
            .unwrap()
            .contains("label combinations"),
        "{metrics}"
    );

    let demo = serve_demo(&[]);
    let config = format!(
        "global: {{scrape_interval: 1s, scrape_timeout: 1s}}\nscrape_configs:\n  - job_name: gpu-charts-logger\n    static_configs: [{{targets: [\"127.0.0.1:{}\"]}}]\n    relabel_configs: [{{action: drop, source_labels: [__address__], regex: \".*\"}}]\n",
        demo.logger
    );
    let Some(prom) = Prometheus::start(&config, "doctor::dropped") else {
        return;
    };
    let start = Instant::now();
    loop {
        let (code, v, err) = doctor(
            dir.path(),
            &[
                &format!("127.0.0.1:{}", demo.logger),
                "--prometheus",
                &prom.url,
            ],
        );
        let p = step(&v, "prometheus");
        if p["evidence"]
            .as_str()
            .unwrap()
            .contains("dropped by relabelling")
        {
            assert_eq!(code, 1, "{v}{err}");
            says(p, "fix", "relabel_configs");
            says(p, "evidence", "by rule 0 (drop [__address__] =~ .*)");
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "never dropped: {v}"
        );
        std::thread::sleep(Duration::from_millis(300));
    }
}

/// A job that is running but whose discovery yields nothing (an empty
/// file_sd file) is named as such.
#[test]
fn a_job_whose_discovery_finds_nothing_is_named() {
    let demo = serve_demo(&[]);
    let dir = tempfile::tempdir().unwrap();
    let sd = dir.path().join("empty.json");
    std::fs::write(&sd, "[]\n").unwrap();
    let config = format!(
        "global: {{scrape_interval: 1s, scrape_timeout: 1s}}\nscrape_configs:\n  - job_name: gpu-charts-logger\n    file_sd_configs: [{{files: [\"{}\"]}}]\n",
        sd.display()
    );
    let Some(prom) = Prometheus::start(&config, "doctor::empty_discovery") else {
        return;
    };
    std::fs::write(
        dir.path().join("inv.yaml"),
        format!(
            "services:\n  logger:\n    port: {p}\n    instances: [\"127.0.0.1:{p}\"]\n",
            p = demo.logger
        ),
    )
    .unwrap();
    let (code, v, err) = doctor(
        dir.path(),
        &["-c", "inv.yaml", "logger", "--prometheus", &prom.url],
    );
    assert_eq!(code, 1, "{v}{err}");
    let p = step(&v, "prometheus");
    says(p, "evidence", "produces no target at all");
}

/// "My metrics do not appear": an endpoint that serves fine but that
/// Prometheus does not scrape is a failure with the fix, not "healthy".
#[test]
fn an_endpoint_prometheus_does_not_scrape_fails() {
    let dir = tempfile::tempdir().unwrap();
    // The logger's job runs, with another target: the endpoint is
    // recognised as the logger and found missing from the job.
    let config = "global: {scrape_interval: 1h}\nscrape_configs:\n  - job_name: gpu-charts-logger\n    static_configs: [{targets: ['127.0.0.1:1']}]\n";
    let Some(prom) = Prometheus::start(config, "doctor::not_scraped") else {
        return;
    };
    let start = Instant::now();
    while !crate::support::http::get(&format!("{}/api/v1/targets", prom.url))
        .is_ok_and(|(_, b)| String::from_utf8_lossy(&b).contains("127.0.0.1:1"))
    {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "no target discovered"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let demo = serve_demo(&[]);
    let (code, v, err) = doctor(
        dir.path(),
        &[&demo.logger_addr(), "--prometheus", &prom.url],
    );
    assert_eq!(code, 1, "{v}{err}");
    let p = step(&v, "prometheus");
    assert_eq!(p["status"], "fail", "{p}");
    says(
        p,
        "evidence",
        &format!("running with 1 target(s), but not {}", demo.logger_addr()),
    );
    says(p, "fix", "gpucharts-mon reload");
    assert_eq!(step(&v, "metrics")["status"], "pass", "{v}");
}

/// `--prometheus-version`: 3 (the default) fails a scrape answered as
/// application/json, as Prometheus 3 does; 2 reads it as text and passes.
#[test]
fn the_prometheus_version_decides_the_content_type_verdict() {
    use crate::support::http::{Response, TestServer};
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(|_, _| Response::new(200, "application/json", "up 1\n"));
    let url = format!("{}/metrics", server.url());
    let (_, v, _) = doctor(dir.path(), &[&url]);
    let m = step(&v, "metrics");
    assert_eq!(m["status"], "fail", "{m}");
    says(m, "evidence", "unsupported Content-Type");
    let (_, v, _) = doctor(dir.path(), &[&url, "--prometheus-version", "2"]);
    assert_eq!(step(&v, "metrics")["status"], "pass", "{v}");
}

/// An address the inventory does not name, on another port, is recognised
/// by the catalogue families it serves: its /health is checked (a failing
/// one fails), not skipped as "not a GPU Charts service".
#[test]
fn a_service_is_recognised_by_its_families() {
    let dir = tempfile::tempdir().unwrap();
    let healthy = serve_demo(&[]);
    for (addr, role) in [
        (healthy.logger_addr(), "logger"),
        (healthy.server_addr(), "server"),
    ] {
        let (_, v, err) = doctor(dir.path(), &[&addr]);
        let health = step(&v, "health");
        assert_eq!(health["status"], "pass", "{role}: {v}{err}");
    }
    let sick = serve_demo(&["--fail-health"]);
    let (code, v, err) = doctor(dir.path(), &[&sick.logger_addr()]);
    assert_eq!(step(&v, "health")["status"], "fail", "{v}{err}");
    assert_eq!(code, 1, "{v}");
}

/// The config file's mode is judged for the user the running Prometheus
/// has: a root Prometheus reads a 0600 root file (no false alarm); the
/// Prometheus of Debian's `prometheus` user does not, and doctor names it.
#[test]
fn config_file_readability_follows_the_running_prometheus() {
    use std::os::unix::fs::PermissionsExt;
    let demo = serve_demo(&[]);
    for as_user in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let config = dir.path().join("prometheus.yml");
        std::fs::write(
            &config,
            format!(
                "global: {{scrape_interval: 1s}}\nscrape_configs:\n- job_name: gpu-charts-logger\n  static_configs: [{{targets: ['{}']}}]\n",
                demo.logger_addr()
            ),
        )
        .unwrap();
        std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o644)).unwrap();
        let test = "doctor::config_file_readability";
        let prom = if as_user {
            Prometheus::start_as_prometheus_user(&config, test)
        } else {
            Prometheus::start(&std::fs::read_to_string(&config).unwrap(), test)
        };
        let Some(prom) = prom else { return };
        // What Prometheus loaded stays loaded; the file on disk becomes 0600.
        std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o600)).unwrap();
        std::fs::write(
            dir.path().join("inv.yaml"),
            format!(
                "prometheus:\n  config_file: {}\nservices:\n  logger:\n    instances: ['{}']\n",
                config.display(),
                demo.logger_addr()
            ),
        )
        .unwrap();
        let (_, v, _) = doctor(
            dir.path(),
            &["-c", "inv.yaml", "logger", "--prometheus", &prom.url],
        );
        let file = step(&v, "config-file");
        let evidence = file["evidence"].as_str().unwrap_or_default();
        if as_user {
            assert_eq!(file["status"], "fail", "{v}");
            assert!(
                evidence.contains("cannot be read by uid")
                    && evidence.contains(&format!("PID {}", prom.pid())),
                "{v}"
            );
        } else {
            assert!(!evidence.contains("cannot be read"), "root reads it: {v}");
        }
    }
}

/// Every flag of doctor reaches a check or the report: against exporters
/// and a stand-in Prometheus API on loopback, each flag given a value other
/// than its default changes the report or the exit code, and none is a
/// usage error. (The API auth and scrape TLS flags: tests/secured.rs.)
#[test]
fn each_doctor_flag_is_read() {
    use crate::support::http::{Response, TestServer};
    const BODY: &str = "# HELP x_total X\n# TYPE x_total counter\nx_total 1\n";
    let good = TestServer::start(|_, _| Response::new(200, "text/plain; version=0.0.4", BODY));
    let bare = TestServer::start(|_, _| Response::new(200, "", BODY));
    let slow = TestServer::start(|_, _| {
        std::thread::sleep(Duration::from_millis(1200));
        Response::new(200, "text/plain; version=0.0.4", BODY)
    });
    let prom = crate::support::fakeprom::start(0);
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str], format: &str| {
        let (code, out, err) = outcome(
            mon(dir.path())
                .arg("doctor")
                .args(args)
                .args(["--output-format", format]),
        );
        assert_ne!(code, 2, "{args:?}: {err}");
        (
            code,
            crate::support::untimed_text(&out),
            crate::support::untimed_text(&err),
        )
    };
    let json = |args: &[&str]| run(args, "json");
    let host = good.addr.to_string();
    let (good, bare, slow) = (good.url(), bare.url(), slow.url());
    let base = json(&[&good]);
    assert_eq!(base.0, 0, "{base:?}");
    for (what, changed, against) in [
        ("TARGET", &json(&[&bare]), &base),
        (
            "--prometheus",
            &json(&[&good, "--prometheus", &prom.url()]),
            &base,
        ),
        (
            "--timeout",
            &json(&[&slow, "--timeout", "300ms"]),
            &json(&[&slow]),
        ),
        (
            "--prometheus-version",
            &json(&[&bare, "--prometheus-version", "2"]),
            &json(&[&bare]),
        ),
        ("--output-format", &run(&[&good], "yaml"), &base),
        // A URL names its own scheme (and a warning says so); a
        // HOST:PORT is fetched with the flag's.
        ("--scheme", &json(&[&good, "--scheme", "https"]), &base),
        (
            "--scheme",
            &json(&[&host, "--scheme", "https"]),
            &json(&[&host]),
        ),
    ] {
        assert_ne!(changed, against, "{what} changed nothing");
    }
}
