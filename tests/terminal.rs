//! Peer text never reaches the terminal raw: labels, lastError, build
//! versions, error bodies, health answers and parse errors are escaped in
//! tables and on stderr; the JUnit report is always well-formed XML.

use crate::support::http::{Response, TestServer};
use crate::support::{mon, outcome};

const EVIL: &str = "\u{1b}[2J\u{1b}[31mowned\r\u{7}\u{202e}";

fn assert_clean(what: &str, text: &str) {
    for c in ['\u{1b}', '\r', '\u{7}', '\u{202e}'] {
        assert!(!text.contains(c), "{what} carries {c:?}: {text:?}");
    }
}

#[test]
fn check_targets_escapes_labels_errors_and_versions() {
    let targets = serde_json::json!({
        "status": "success",
        "data": {"activeTargets": [{
            "labels": {"job": format!("gpu-charts-logger{EVIL}"), "instance": EVIL},
            "scrapePool": "gpu-charts-logger",
            "scrapeUrl": "http://127.0.0.1:9/metrics",
            "lastError": EVIL,
            "lastScrape": format!("2026-01-01T00:00:00Z{EVIL}"),
            "lastScrapeDuration": 0.1,
            "health": "down",
        }], "droppedTargets": []}
    })
    .to_string();
    let build = serde_json::json!({"status": "success", "data": {"version": EVIL}}).to_string();
    let server = TestServer::start(move |_, path| {
        if path.starts_with("/api/v1/status/buildinfo") {
            Response::new(200, "application/json", build.clone())
        } else {
            Response::new(200, "application/json", targets.clone())
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = outcome(mon(dir.path()).args([
        "check-targets",
        "--prometheus",
        &server.url(),
        "--job",
        ".*",
    ]));
    assert_ne!(code, 0);
    assert!(out.contains("\\u{1b}"), "{out}");
    assert_clean("stdout", &out);
    assert_clean("stderr", &err);
}

#[test]
fn test_pull_escapes_bodies_health_and_junit_parses() {
    let server = TestServer::start(|_, path| match path {
        "/metrics" => Response::new(
            200,
            "text/plain; version=0.0.4",
            format!("# TYPE a gauge\na{{x=\"{EVIL}\"}} 1\nbroken{EVIL} line\n"),
        ),
        "/health" => Response::new(
            200,
            "application/json",
            serde_json::json!({"status": EVIL, "service": EVIL}).to_string(),
        ),
        _ => Response::new(500, "text/plain", EVIL),
    });
    let dir = tempfile::tempdir().unwrap();
    let logger = server.addr.to_string();
    for format in ["table", "junit"] {
        let (code, out, err) =
            outcome(mon(dir.path()).args(["test-pull", "--logger", &logger, "--output", format]));
        assert_eq!(code, 1, "{out}{err}");
        assert_clean(format, &out);
        assert_clean("stderr", &err);
        if format == "junit" {
            let parsed = std::process::Command::new("python3")
                .args([
                    "-c",
                    "import sys, xml.etree.ElementTree as E; E.fromstring(sys.stdin.read())",
                ])
                .stdin(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .and_then(|mut c| {
                    use std::io::Write;
                    c.stdin.take().unwrap().write_all(out.as_bytes())?;
                    c.wait_with_output()
                });
            if let Ok(p) = parsed {
                assert!(
                    p.status.success(),
                    "{}\n{out}",
                    String::from_utf8_lossy(&p.stderr)
                );
            }
        }
    }
}

/// The widest line of `text` in characters on screen.
fn widest(text: &str) -> usize {
    text.lines()
        .map(gpucharts_mon::output::table::screen_width)
        .max()
        .unwrap_or(0)
}

/// Every table the toolkit draws fits 80 and 120 columns (`COLUMNS`, and
/// a real pseudo-terminal of that size), long values cut with `…`;
/// without a width (a pipe) the values stay whole.
#[test]
fn every_table_fits_80_and_120_columns() {
    let long = "x".repeat(150);
    let targets = serde_json::json!({"status": "success", "data": {"activeTargets": [{
        "labels": {"job": "gpu-charts-logger", "instance": format!("logger-{long}")},
        "discoveredLabels": {"__address__": "10.0.0.1:9090"},
        "scrapePool": "gpu-charts-logger",
        "scrapeUrl": format!("http://10.0.0.1:9090/metrics?{long}"),
        "lastError": format!("Get \"http://10.0.0.1:9090/metrics\": dial tcp 10.0.0.1:9090: connect: connection refused {long}"),
        "lastScrape": "2026-01-01T00:00:00Z", "lastScrapeDuration": 0.1, "health": "down",
        "scrapeInterval": "15s", "scrapeTimeout": "10s"}], "droppedTargets": []}})
    .to_string();
    let query = serde_json::json!({"status": "success", "data": {"resultType": "vector", "result": [
        {"metric": {"__name__": "up", "job": "gpu-charts-logger", "instance": format!("a-{long}"), "environment": "production"}, "value": [1.7e9, "1"]}]}})
    .to_string();
    let build = serde_json::json!({"status": "success", "data": {"version": "3.5.3"}}).to_string();
    let prom = TestServer::start(move |_, path| {
        if path.starts_with("/api/v1/query") {
            Response::new(200, "application/json", query.clone())
        } else if path.starts_with("/api/v1/status/buildinfo") {
            Response::new(200, "application/json", build.clone())
        } else {
            Response::new(200, "application/json", targets.clone())
        }
    });
    let demo = crate::support::demo::serve_demo(&[]);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut exposition =
        String::from("# HELP wide_total A family with long labels.\n# TYPE wide_total counter\n");
    for i in 0..20 {
        exposition.push_str(&format!(
            "wide_total{{path=\"/{long}/{i}\",code=\"{i}\"}} 1\n"
        ));
    }
    exposition.push_str(&format!("BadName{long} 1\n"));
    std::fs::write(d.join("wide.prom"), &exposition).unwrap();
    std::fs::write(
        d.join("p.yml"),
        "scrape_configs:\n- job_name: j\n  static_configs: [{targets: ['x:1']}]\n",
    )
    .unwrap();
    std::fs::write(
        d.join("t.json"),
        format!(r#"[{{"__address__": "h-{long}:9090", "job": "j"}}]"#),
    )
    .unwrap();
    let url = prom.url();
    let closed = format!("127.0.0.1:{}", crate::support::http::closed_port());
    let commands: Vec<Vec<String>> = [
        vec![
            "test-pull",
            "--logger",
            &demo.logger_addr(),
            "--server",
            &demo.server_addr(),
        ],
        vec!["doctor", &closed],
        vec!["lint", "wide.prom"],
        vec![
            "relabel",
            "--config-file",
            "p.yml",
            "--job",
            "j",
            "--targets",
            "t.json",
        ],
        vec![
            "shard-plan",
            "--shards",
            "2",
            "--targets",
            "t.json",
            "--config-file",
            "p.yml",
        ],
        vec!["check-targets", "--prometheus", &url, "--job", ".*"],
        vec!["query", "--prometheus", &url, "up"],
    ]
    .iter()
    .map(|c| c.iter().map(|s| s.to_string()).collect())
    .collect();
    for args in &commands {
        // Unbounded in a pipe: the long values are there whole.
        let (_, whole, _) = outcome(mon(d).args(args));
        assert!(widest(&whole) > 120, "{args:?} without a width: {whole}");
        assert!(
            !whole.contains('…') || args[0] == "lint",
            "{args:?}: {whole}"
        );
        for width in [80, 120] {
            let (_, out, err) = outcome(mon(d).env("COLUMNS", width.to_string()).args(args));
            assert!(
                widest(&out) <= width,
                "{args:?} at COLUMNS={width}: {} wide\n{out}{err}",
                widest(&out)
            );
            // The tables with long values cut them (the others drop columns).
            let long_values = args[0] != "test-pull";
            if long_values {
                assert!(
                    out.contains('…'),
                    "{args:?} at {width}: nothing cut?\n{out}"
                );
            }
        }
    }
    // Under a real terminal of 80 columns (util-linux `script` gives the
    // pseudo-terminal), COLUMNS unset.
    if crate::support::have("script", "terminal::every_table_fits") {
        let bin = assert_cmd::cargo::cargo_bin("gpucharts-mon");
        let line = format!(
            "stty cols 80 rows 50; {} check-targets --prometheus {url} --job '.*'",
            bin.display()
        );
        let out = std::process::Command::new("script")
            .args(["-qec", &line, "/dev/null"])
            .current_dir(d)
            .env_remove("COLUMNS")
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        // The pty carries stderr too, where a long error is prose the
        // terminal wraps; the table's lines must fit.
        let text = String::from_utf8_lossy(&out.stdout);
        let table: String = text
            .lines()
            .filter(|l| l.starts_with(['│', '┌', '└', '╞']))
            .map(|l| format!("{l}\n"))
            .collect();
        assert!(table.contains("gpu-charts-log"), "{text}");
        assert!(
            widest(&table) <= 80,
            "{} wide under a pty:\n{text}",
            widest(&table)
        );
    }
}
