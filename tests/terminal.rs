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
