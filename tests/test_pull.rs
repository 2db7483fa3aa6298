//! test-pull, serve-demo and demo against in-process and real endpoints:
//! the demo services, failures of every kind, Prometheus' own /metrics and
//! Debian's node exporter (compared with promtool and prometheus_client).

use std::io::Write;
use std::process::{Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use crate::support::demo::{Demo, Running, serve_demo as support_serve_demo};
use crate::support::http::{Response, TestServer, closed_port, get};
use crate::support::prometheus::Prometheus;
use crate::support::{have, mon};

fn pull(args: &[&str]) -> (i32, serde_json::Value, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = mon(dir.path())
        .arg("test-pull")
        .args(args)
        .args(["--output", "json"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let json = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (
        out.status.code().unwrap_or(-1),
        json,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn wait_for(url: &str) {
    let start = Instant::now();
    while get(url).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "{url} never answered"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn serve_demo(extra: &[&str]) -> (Demo, String, String) {
    let demo = support_serve_demo(extra);
    let (l, s) = (demo.logger_addr(), demo.server_addr());
    (demo, l, s)
}

#[test]
fn demo_passes_with_every_catalogue_family() {
    let dir = tempfile::tempdir().unwrap();
    let out = mon(dir.path())
        .args(["demo", "--output", "json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["ok"], true);
    let catalogue = gpucharts_mon::catalogue::Catalogue::embedded().unwrap();
    for (i, role) in ["logger", "server"].iter().enumerate() {
        let e = &v["endpoints"][i];
        assert_eq!(e["role"], *role);
        assert_eq!(e["health_ok"], true);
        assert_eq!(e["health_service"], catalogue.services[*role].job);
        assert_eq!(e["missing_families"].as_array().unwrap().len(), 0, "{e}");
        assert_eq!(e["families"], catalogue.services[*role].families.len());
        assert!(e["prefix_samples"].as_u64().unwrap() > 0);
        assert_eq!(e["format"], "text");
    }
    let table = mon(dir.path()).arg("demo").output().unwrap();
    assert!(String::from_utf8_lossy(&table.stdout).contains("2 endpoints: 2 passed, 0 failed"));
}

#[test]
fn serve_demo_repeated_timing_junit_and_faults() {
    let (_demo, l, s) = serve_demo(&[]);
    let (code, v, err) = pull(&["--logger", &l, "--server", &s, "--count", "5"]);
    assert_eq!(code, 0, "{v}{err}");
    let t = &v["endpoints"][0]["timing_ms"];
    assert!(t["min"].as_f64().unwrap() <= t["median"].as_f64().unwrap());
    assert!(t["median"].as_f64().unwrap() <= t["p95"].as_f64().unwrap());
    assert!(t["p95"].as_f64().unwrap() <= t["max"].as_f64().unwrap());
    for k in ["dns", "connect", "tls", "ttfb", "total"] {
        assert!(v["endpoints"][0]["phases_ms"][k].is_number(), "{k}");
    }
    let dir = tempfile::tempdir().unwrap();
    let junit = mon(dir.path())
        .args([
            "test-pull",
            "--logger",
            &l,
            "--server",
            &s,
            "--output",
            "junit",
        ])
        .output()
        .unwrap();
    let xml = String::from_utf8_lossy(&junit.stdout);
    assert!(
        xml.contains("<testsuite name=\"gpucharts-mon test-pull\"")
            && xml.contains("failures=\"0\""),
        "{xml}"
    );
    assert!(xml.contains("name=\"logger-1 health\""), "{xml}");

    // Rehearsed failures: broken health, a line that does not parse, slowness.
    let (_bad, l, s) = serve_demo(&["--fail-health", "--malformed", "--slow", "150"]);
    let (code, v, _) = pull(&["--logger", &l, "--server", &s, "--slow", "100ms"]);
    assert_eq!(code, 1);
    let e = &v["endpoints"][0];
    assert_eq!(e["health_ok"], false);
    let errors = e["errors"].to_string();
    assert!(errors.contains("/health answered HTTP 503"), "{errors}");
    assert!(errors.contains("does not parse"), "{errors}");
    assert!(e["warnings"].to_string().contains("slow"), "{e}");
    let dir = tempfile::tempdir().unwrap();
    let junit = mon(dir.path())
        .args(["test-pull", "--logger", &l, "--output", "junit"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&junit.stdout).contains("<failure"),
        "junit shows failures"
    );
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

const GOOD: &str = "# HELP up_total x\n# TYPE up_total counter\nup_total 1\n";

/// Every way an endpoint can fail is a clear per-endpoint failure, within the timeouts.
#[test]
fn failures_are_per_endpoint_and_bounded() {
    let server = TestServer::start(|_, path| match path {
        "/ok/metrics" => Response::new(200, "text/plain; version=0.0.4", GOOD),
        "/gzip/metrics" => Response::new(200, "text/plain; version=0.0.4", gzip(GOOD.as_bytes()))
            .header("Content-Encoding", "gzip"),
        "/badgzip/metrics" => Response::new(200, "text/plain", b"\x1f\x8bnot really".to_vec())
            .header("Content-Encoding", "gzip"),
        "/garbage/metrics" => Response::new(200, "text/plain", vec![0xff, 0xfe, 0x00, 0x13, 0x37]),
        "/error/metrics" => Response::new(500, "text/plain", "boom"),
        "/endless/metrics" => Response::new(200, "text/plain", "x 1\n".repeat(1000)).endless(),
        "/slow/metrics" => {
            std::thread::sleep(Duration::from_secs(5));
            Response::new(200, "text/plain", GOOD)
        }
        _ => Response::new(404, "text/plain", "no"),
    });
    let base = server.url();
    let target = |name: &str| format!("{name}={base}/{name}/metrics");
    let refused = format!("refused=http://127.0.0.1:{}/metrics", closed_port());
    let start = Instant::now();
    let (code, v, err) = pull(&[
        "--target",
        &target("ok"),
        "--target",
        &target("gzip"),
        "--target",
        &target("badgzip"),
        "--target",
        &target("garbage"),
        "--target",
        &target("error"),
        "--target",
        &target("endless"),
        "--target",
        &target("slow"),
        "--target",
        &refused,
        "--timeout",
        "1s",
        "--max-body",
        "256KiB",
    ]);
    assert!(
        start.elapsed() < Duration::from_secs(4),
        "took {:?}",
        start.elapsed()
    );
    assert_eq!(code, 1, "{err}");
    let by_name = |n: &str| {
        v["endpoints"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["name"] == n)
            .unwrap()
            .clone()
    };
    assert_eq!(by_name("ok")["ok"], true);
    assert_eq!(by_name("gzip")["ok"], true, "{}", by_name("gzip"));
    assert_eq!(by_name("gzip")["samples"], 1);
    for (name, needle) in [
        ("badgzip", "gzip"),
        ("garbage", "does not parse"),
        ("error", "HTTP 500"),
        ("endless", "larger than"),
        ("slow", "timed out"),
        ("refused", "refused"),
    ] {
        let e = by_name(name);
        assert_eq!(e["ok"], false, "{name}");
        assert!(
            e["errors"].to_string().contains(needle),
            "{name}: {}",
            e["errors"]
        );
    }
}

#[test]
fn bad_input_is_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    for (args, needle) in [
        (vec!["--logger", "not a host"], "not a host"),
        (vec!["--target", "x=ftp://a/b"], "ftp"),
        (vec!["--max-body", "lots"], "lots"),
        (vec!["--concurrency", "0"], "concurrency"),
        (vec!["--from-config", "missing.yml"], "missing.yml"),
    ] {
        mon(dir.path())
            .arg("test-pull")
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicates::str::contains(needle));
    }
}

/// prometheus_client's parser (PyPI), as the independent count; None when missing.
fn python_counts(body: &[u8]) -> Option<(u64, u64)> {
    let mut child = StdCommand::new("python3")
        .args(["-c", "import sys\nfrom prometheus_client.parser import text_string_to_metric_families as p\nfs=list(p(sys.stdin.read()))\nprint(len(fs), sum(len(f.samples) for f in fs))"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    child.stdin.take()?.write_all(body).ok()?;
    let out = child.wait_with_output().ok()?;
    if !out.status.success() {
        crate::support::skip(
            "prometheus_client comparison: python3 -m pip install prometheus-client",
        );
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut it = text.split_whitespace().map(|n| n.parse().unwrap());
    Some((it.next()?, it.next()?))
}

fn promtool_findings(body: &[u8]) -> Vec<String> {
    let mut child = StdCommand::new("promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(body).unwrap();
    let out = child.wait_with_output().unwrap();
    let mut lines: Vec<String> = String::from_utf8_lossy(&out.stderr)
        .lines()
        .chain(String::from_utf8_lossy(&out.stdout).lines())
        .map(str::to_string)
        .filter(|l| !l.trim().is_empty())
        .collect();
    lines.sort();
    lines
}

/// Same families, samples and lint findings as the reference tools. A live
/// exporter changes between fetches, so one snapshot of its body is served
/// from a local server and every tool reads exactly that.
fn compare_with_reference_tools(name: &str, url: &str) {
    // The live endpoint, as Prometheus would ask for it (OpenMetrics if offered).
    let (code, live, err) = pull(&["--target", &format!("{name}={url}")]);
    let e = &live["endpoints"][0];
    assert_eq!(e["http_status"], 200, "{err}");
    assert!(
        e["errors"].as_array().unwrap().is_empty(),
        "{name}: {}",
        e["errors"]
    );
    assert!(code == 0 || code == 1);

    let (_, body) = get(url).unwrap();
    let snapshot = body.clone();
    let server = TestServer::start(move |_, _| {
        Response::new(200, "text/plain; version=0.0.4", snapshot.clone())
    });
    // promtool on PATH is the suite's version; lint follows the same one.
    let version = crate::support::prometheus::Version::suite().major();
    let (_, v, _) = pull(&[
        "--target",
        &format!("{name}={}/metrics", server.url()),
        "--prometheus-version",
        version,
    ]);
    let e = &v["endpoints"][0];
    if let Some((families, samples)) = python_counts(&body) {
        assert_eq!(
            e["families"], families,
            "{name}: family count differs from prometheus_client"
        );
        assert_eq!(
            e["samples"], samples,
            "{name}: sample count differs from prometheus_client"
        );
    }
    let mut ours: Vec<String> = e["lint"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["check"] != "prefix" && l["check"] != "histogram")
        .map(|l| {
            format!(
                "{} {}",
                l["metric"].as_str().unwrap(),
                l["message"].as_str().unwrap()
            )
        })
        .collect();
    ours.sort();
    assert_eq!(
        ours,
        promtool_findings(&body),
        "{name}: lint findings differ from promtool check metrics"
    );
}

#[test]
fn real_exporters_match_promtool_and_prometheus_client() {
    if !have("promtool", "real_exporters") {
        return;
    }
    if let Some(prom) = Prometheus::start(
        "global: {scrape_interval: 1m}\n",
        "real_exporters: prometheus",
    ) {
        let url = format!("{}/metrics", prom.url);
        compare_with_reference_tools("prometheus", &url);
        // --prometheus: active targets counted, and whether it scrapes the endpoint.
        let (_, v, _) = pull(&[
            "--target",
            &format!("self={url}"),
            "--prometheus",
            &prom.url,
        ]);
        assert_eq!(v["prometheus_active_targets"], 0);
        assert_eq!(v["endpoints"][0]["prometheus"]["scraped"], false);
        // PROMETHEUS_URL names it as well as the flag does.
        let dir = tempfile::tempdir().unwrap();
        let (code, out, err) = crate::support::outcome(
            mon(dir.path())
                .env("PROMETHEUS_URL", &prom.url)
                .args(["test-pull", "--target", &format!("self={url}")])
                .args(["--output-format", "json"]),
        );
        assert!(code <= 1, "{err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["endpoints"][0]["prometheus"]["scraped"], false, "{v}");
    }
    if have("prometheus-node-exporter", "real_exporters: node exporter") {
        let port = closed_port();
        let _ne = Running(
            StdCommand::new("prometheus-node-exporter")
                .arg(format!("--web.listen-address=127.0.0.1:{port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap(),
        );
        let url = format!("http://127.0.0.1:{port}/metrics");
        wait_for(&url);
        compare_with_reference_tools("node", &url);
    }
}

/// A redirect to another host or port is followed (as Prometheus does) but
/// shown: the final URL, the chain and a warning. --no-follow-redirects and
/// a job's `follow_redirects: false` make the 3xx the answer, as in Prometheus.
#[test]
fn redirects_are_visible() {
    use crate::support::http::{Response, TestServer};
    let target =
        TestServer::start(|_, _| Response::new(200, "text/plain", "# TYPE up gauge\nup 1\n"));
    let to = format!("{}/metrics", target.url());
    let redirector =
        TestServer::start(move |_, _| Response::new(302, "text/plain", "").header("Location", &to));
    let dir = tempfile::tempdir().unwrap();
    let named = format!("app={}/metrics", redirector.url());
    let (code, out, err) = crate::support::outcome(mon(dir.path()).args([
        "test-pull",
        "--target",
        &named,
        "--output",
        "json",
    ]));
    assert_eq!(code, 0, "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let r = &v["endpoints"][0];
    assert_eq!(r["final_url"], format!("{}/metrics", target.url()));
    assert_eq!(r["redirects"][0], format!("{}/metrics", redirector.url()));
    assert!(
        r["warnings"].to_string().contains("another host or port"),
        "{r}"
    );
    let (code, out, _) = crate::support::outcome(mon(dir.path()).args([
        "test-pull",
        "--target",
        &named,
        "--no-follow-redirects",
        "--output",
        "json",
    ]));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("HTTP 302"), "{out}");
    std::fs::write(
        dir.path().join("p.yml"),
        format!(
            "scrape_configs:\n  - job_name: app\n    follow_redirects: false\n    static_configs: [{{targets: [\"{}\"]}}]\n",
            redirector.addr
        ),
    )
    .unwrap();
    let (code, out, _) = crate::support::outcome(mon(dir.path()).args([
        "test-pull",
        "--from-config",
        "p.yml",
        "--output",
        "json",
    ]));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("HTTP 302"), "{out}");
}

/// `--from-config` follows each job's `fallback_scrape_protocol` as
/// Prometheus 3 does: an exporter without a Content-Type passes for the job
/// that sets one and fails for the job that does not.
#[test]
fn from_config_honours_the_jobs_fallback_protocol() {
    let server = TestServer::start(|_, _| Response::new(200, "", "# TYPE a gauge\na 1\n"));
    let dir = tempfile::tempdir().unwrap();
    let config = format!(
        "scrape_configs:\n  - job_name: with\n    fallback_scrape_protocol: PrometheusText0.0.4\n    static_configs: [{{targets: ['{0}']}}]\n  - job_name: without\n    static_configs: [{{targets: ['{0}']}}]\n",
        server.addr
    );
    std::fs::write(dir.path().join("p.yml"), config).unwrap();
    let out = mon(dir.path())
        .args([
            "test-pull",
            "--from-config",
            "p.yml",
            "--prometheus-version",
            "3",
            "--output",
            "json",
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let errors = |name: &str| -> String {
        let e = v["endpoints"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["name"].as_str().unwrap().starts_with(name))
            .unwrap_or_else(|| panic!("no {name}: {v}"));
        e["errors"].to_string()
    };
    assert_eq!(errors("with/"), "[]", "{v}");
    assert!(errors("without/").contains("blank Content-Type"), "{v}");
}

/// Statuses are coloured by verdict, not by word: a health of
/// `ok (gpu-charts-logger)` is as green as `pass`. (`mon` sets NO_COLOR:
/// `--color always` wins over it, with real colours, not empty styles.)
#[test]
fn statuses_are_coloured_by_verdict() {
    let demo = support_serve_demo(&[]);
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = crate::support::outcome(
        mon(dir.path())
            .args(["--color", "always", "test-pull"])
            .args([
                "--logger",
                &demo.logger_addr(),
                "--server",
                &demo.server_addr(),
            ]),
    );
    assert_eq!(code, 0, "{err}");
    let green = "\u{1b}[38;5;10m";
    assert!(
        out.contains(&format!("{green} ok (gpu-charts-logger) ")),
        "{out:?}"
    );
    assert!(out.contains(&format!("{green} pass ")), "{out:?}");
}

/// A run's exit code, its JSON report without the timings (they differ
/// from run to run), and what it said on stderr.
fn report_of(dir: &std::path::Path, args: &[&str]) -> (i32, serde_json::Value, String) {
    let (code, out, err) = crate::support::outcome(
        mon(dir)
            .arg("test-pull")
            .args(args)
            .args(["--output-format", "json"]),
    );
    // A usage error would change the result for the wrong reason.
    assert_ne!(code, 2, "{args:?}: {err}");
    let mut json =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: {e}: {out}{err}"));
    crate::support::untimed(&mut json);
    (code, json, crate::support::untimed_text(&err))
}

/// Every flag of test-pull reaches the fetch or the report: against
/// exporters on loopback, each flag given a value other than its default
/// changes the report, what it says or the exit code, or (--count,
/// --concurrency) what the exporter saw. None is a usage error. (Scrape
/// TLS and auth flags: tests/secured.rs.)
#[test]
fn each_test_pull_flag_is_read() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    const BODY: &str = "# HELP gpu_charts_exchange_messages_total Messages\n# TYPE gpu_charts_exchange_messages_total counter\ngpu_charts_exchange_messages_total{exchange=\"a\"} 1\ngpu_charts_exchange_messages_total{exchange=\"b\"} 2\n# TYPE other_requests counter\nother_requests 1\n";
    // Fetches of /metrics, and the most at once.
    let (fetches, now, most) = (
        Arc::new(AtomicUsize::new(0)),
        Arc::new(AtomicUsize::new(0)),
        Arc::new(AtomicUsize::new(0)),
    );
    let (f, n, m) = (fetches.clone(), now.clone(), most.clone());
    let good = TestServer::start(move |_, path| match path {
        "/metrics" => {
            f.fetch_add(1, Ordering::SeqCst);
            m.fetch_max(n.fetch_add(1, Ordering::SeqCst) + 1, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(150));
            n.fetch_sub(1, Ordering::SeqCst);
            Response::new(200, "text/plain; version=0.0.4", BODY)
        }
        "/health" => Response::new(200, "text/plain", "ok"),
        _ => Response::new(404, "text/plain", "not found"),
    });
    let bare = TestServer::start(|_, _| Response::new(200, "", BODY));
    let slow = TestServer::start(|_, _| {
        std::thread::sleep(Duration::from_millis(1200));
        Response::new(200, "text/plain; version=0.0.4", BODY)
    });
    let to = good.url();
    let moved = TestServer::start(move |_, path| {
        Response::new(302, "text/plain", "").header("Location", &format!("{to}{path}"))
    });
    let prom = crate::support::fakeprom::start(0);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let config = d.join("prometheus.yml");
    std::fs::write(
        &config,
        format!(
            "scrape_configs:\n- job_name: other\n  static_configs:\n  - targets: ['{}']\n",
            good.addr
        ),
    )
    .unwrap();
    let metrics = format!("{}/metrics", good.url());
    let target = format!("a={metrics}");
    let base = report_of(d, &["--target", &target]);
    assert_eq!(base.0, 0, "{base:?}");
    let logger = report_of(d, &["--logger", &good.addr.to_string()]);
    let with = |extra: &[&str]| {
        let mut args = vec!["--target", target.as_str()];
        args.extend_from_slice(extra);
        report_of(d, &args)
    };
    let bare_target = format!("a={}/metrics", bare.url());
    let slow_target = format!("a={}/metrics", slow.url());
    let moved_target = format!("a={}/metrics", moved.url());
    for (what, changed, against) in [
        ("--logger", &logger, &base),
        (
            "--server",
            &report_of(d, &["--server", &good.addr.to_string()]),
            &logger,
        ),
        (
            "--target",
            &report_of(d, &["--target", &format!("b={metrics}")]),
            &base,
        ),
        (
            "--from-config",
            &report_of(d, &["--from-config", config.to_str().unwrap()]),
            &base,
        ),
        ("--slow", &with(&["--slow", "1ms"]), &base),
        (
            "--timeout",
            &report_of(d, &["--target", &slow_target, "--timeout", "300ms"]),
            &report_of(d, &["--target", &slow_target]),
        ),
        ("--max-body", &with(&["--max-body", "16"]), &base),
        (
            "--prometheus-version",
            &report_of(d, &["--target", &bare_target, "--prometheus-version", "2"]),
            &report_of(d, &["--target", &bare_target]),
        ),
        (
            "--no-follow-redirects",
            &report_of(d, &["--target", &moved_target, "--no-follow-redirects"]),
            &report_of(d, &["--target", &moved_target]),
        ),
        (
            "--require-families",
            &report_of(
                d,
                &["--logger", &good.addr.to_string(), "--require-families"],
            ),
            &logger,
        ),
        ("--prometheus", &with(&["--prometheus", &prom.url()]), &base),
        ("--strict", &with(&["--strict"]), &base),
        ("--max-series", &with(&["--max-series", "1"]), &base),
        (
            "--max-family-series",
            &with(&["--max-family-series", "1"]),
            &base,
        ),
        ("--prefix", &with(&["--prefix", "other_"]), &base),
    ] {
        assert_ne!(changed, against, "{what} changed nothing");
    }
    // --output-format: the table is not the JSON.
    let table = crate::support::outcome(mon(d).args(["test-pull", "--target", &target]));
    assert!(
        serde_json::from_str::<serde_json::Value>(&table.1).is_err(),
        "{table:?}"
    );
    // --count: the exporter is asked that many times.
    fetches.store(0, Ordering::SeqCst);
    with(&["--count", "3"]);
    assert_eq!(fetches.load(Ordering::SeqCst), 3, "--count 3");
    // --concurrency: three endpoints at once by default, one at a time with 1.
    let three = [
        "--target",
        &target,
        "--target",
        &format!("b={metrics}"),
        "--target",
        &format!("c={metrics}"),
    ];
    most.store(0, Ordering::SeqCst);
    report_of(d, &three);
    assert!(
        most.load(Ordering::SeqCst) >= 2,
        "the default fetches at once"
    );
    most.store(0, Ordering::SeqCst);
    let mut one = three.to_vec();
    one.extend(["--concurrency", "1"]);
    report_of(d, &one);
    assert_eq!(most.load(Ordering::SeqCst), 1, "--concurrency 1");
}

/// Every flag of serve-demo is read: each one given changes what its
/// endpoints answer, how fast, or where they listen. (TLS and basic auth:
/// tests/secured.rs.)
#[test]
fn each_serve_demo_flag_is_read() {
    use crate::support::demo::spawn;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // (status, body) of /metrics and /health of the logger at `port`.
    let answers = |port: u16| {
        let at = |path: &str| get(&format!("http://127.0.0.1:{port}{path}")).ok();
        (at("/metrics").map(|(s, _)| s), at("/health"))
    };
    let lint_ok = |port: u16| {
        let body = get(&format!("http://127.0.0.1:{port}/metrics")).unwrap().1;
        let mut child = StdCommand::new(assert_cmd::cargo::cargo_bin("gpucharts-mon"))
            .args(["lint", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(&body).unwrap();
        child.wait().unwrap().success()
    };
    let (l, s) = (closed_port(), closed_port());
    let (ls, ss) = (l.to_string(), s.to_string());
    let ports = ["--logger-port", ls.as_str(), "--server-port", ss.as_str()];
    let with = |extra: &[&str]| spawn(d, &[&ports[..], extra].concat(), &[], &[l, s]);
    {
        // --logger-port and --server-port: both listen where told.
        let _base = with(&[]);
        let base = answers(l);
        assert_eq!(base.0, Some(200), "{base:?}");
        assert!(get(&format!("http://127.0.0.1:{s}/metrics")).is_ok_and(|(c, _)| c == 200));
        assert!(lint_ok(l));
        let start = Instant::now();
        get(&format!("http://127.0.0.1:{l}/metrics")).unwrap();
        assert!(start.elapsed() < Duration::from_millis(250));
    }
    {
        let _slow = with(&["--slow", "400"]);
        let start = Instant::now();
        get(&format!("http://127.0.0.1:{l}/metrics")).unwrap();
        assert!(start.elapsed() >= Duration::from_millis(400), "--slow");
    }
    {
        let _sick = with(&["--fail-health"]);
        let (_, health) = answers(l);
        assert_ne!(health.map(|(c, _)| c), Some(200), "--fail-health");
    }
    {
        let _bad = with(&["--malformed"]);
        assert!(!lint_ok(l), "--malformed");
    }
    {
        let _down = with(&["--fault", "endpoint-down"]);
        assert_eq!(answers(l).0, Some(503), "--fault endpoint-down");
    }
    {
        // --only and --metrics-port: the one service, on the port given.
        let p = closed_port();
        let port = p.to_string();
        let only = |role: &str| {
            let _one = spawn(d, &["--only", role, "--metrics-port", &port], &[], &[p]);
            answers(p)
        };
        let (logger, server) = (only("logger"), only("server"));
        assert_eq!(logger.0, Some(200), "--metrics-port");
        assert_ne!(logger, server, "--only");
    }
    {
        // --bind: another loopback address, not 127.0.0.1.
        let mut child = StdCommand::new(assert_cmd::cargo::cargo_bin("gpucharts-mon"))
            .args(["serve-demo", "--bind", "127.0.0.2"])
            .args(ports)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let start = Instant::now();
        while get(&format!("http://127.0.0.2:{l}/metrics")).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "--bind 127.0.0.2"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let elsewhere = get(&format!("http://127.0.0.1:{l}/metrics")).is_err();
        let _ = child.kill();
        let _ = child.wait();
        assert!(elsewhere, "--bind 127.0.0.2 listened on 127.0.0.1 too");
    }
}
