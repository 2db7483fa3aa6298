//! What the multi-server and chart commands read from outside — peers'
//! API answers, target files — when it is hostile: truncated, not UTF-8,
//! endless, slow, full of control characters. Each is a clear one-line
//! error (or escaped output) with the documented exit code, in bounded time,
//! never a panic.

use std::time::{Duration, Instant};

use crate::support::http::{Response, TestServer};
use crate::support::{mon, outcome};

const CONFIG: &str = r#"{"status":"success","data":{"yaml":"global:\n  scrape_interval: 15s\n"}}"#;
const ESC: char = '\u{1b}';

/// A Prometheus whose /api/v1/targets answer is `targets`; its config is fine.
fn peer(targets: Response) -> TestServer {
    TestServer::start(move |_, path| {
        if path.starts_with("/api/v1/status/config") {
            Response::new(200, "application/json", CONFIG)
        } else {
            targets.clone()
        }
    })
}

fn targets_answer(address: &str) -> String {
    serde_json::json!({"status": "success", "data": {"activeTargets": [{
        "discoveredLabels": {"__address__": address, "job": "gpu-charts-logger"},
        "labels": {"job": "gpu-charts-logger", "instance": address},
        "scrapePool": "gpu-charts-logger", "scrapeUrl": format!("http://{address}/metrics"),
        "health": "up", "lastError": "", "lastScrape": "2026-11-26T00:00:00Z",
        "lastScrapeDuration": 0.01, "scrapeInterval": "15s", "scrapeTimeout": "10s"
    }], "droppedTargets": []}})
    .to_string()
}

fn assert_clean_failure(code: i32, err: &str, took: Duration, what: &str) {
    assert!(code != 0 && code != 101, "{what}: exit {code}\n{err}");
    assert!(!err.contains("panicked"), "{what}: {err}");
    assert!(!err.contains(ESC), "{what}: raw escape on stderr: {err:?}");
    // One error line, and at most a hint after it.
    let lines: Vec<&str> = err.trim_end().lines().collect();
    assert!(
        lines.len() == 1 || lines.len() == 2 && lines[1].starts_with("hint: "),
        "{what}: {err}"
    );
    assert!(took < Duration::from_secs(8), "{what}: took {took:?}");
}

#[test]
fn hostile_peers_in_a_cluster_check() {
    let dir = tempfile::tempdir().unwrap();
    let good = peer(Response::new(
        200,
        "application/json",
        targets_answer("127.0.0.1:9090"),
    ));
    let good_url = good.url();
    for (what, answer) in [
        (
            "truncated",
            Response::new(
                200,
                "application/json",
                r#"{"status":"success","data":{"activeTargets":[{"discoveredLabels":"#,
            ),
        ),
        (
            "not UTF-8",
            Response::new(
                200,
                "application/json",
                b"{\"status\":\"success\",\"data\":\xff\xfe}".to_vec(),
            ),
        ),
        (
            "endless",
            Response::new(
                200,
                "application/json",
                r#"{"status":"success","data":{"activeTargets":["#,
            )
            .endless(),
        ),
        (
            "HTML",
            Response::new(200, "text/html", "<html>proxy login</html>"),
        ),
    ] {
        let bad = peer(answer);
        let start = Instant::now();
        let (code, _, err) = outcome(mon(dir.path()).args([
            "check-targets",
            "--cluster",
            "shards",
            "--prometheus",
            &good_url,
            "--prometheus",
            &bad.url(),
            "--timeout",
            "2s",
            "--max-body",
            "1MiB",
        ]));
        assert_clean_failure(code, &err, start.elapsed(), what);
        assert!(
            err.contains(&bad.addr.to_string()),
            "{what}: names the server: {err}"
        );
    }

    // Control characters in a peer's target addresses reach the report only
    // escaped; the gap they make is still found.
    let evil = peer(Response::new(
        200,
        "application/json",
        targets_answer("127.0.0.1:1\u{1b}[2J\u{202e}").replace(
            "\"droppedTargets\":[]",
            "\"droppedTargets\":[{\"discoveredLabels\":{\"__address__\":\"x\\u001b]0;pwn\\u0007\",\"job\":\"j\"}}]",
        ),
    ));
    let (code, out, err) = outcome(mon(dir.path()).args([
        "check-targets",
        "--cluster",
        "shards",
        "--prometheus",
        &good_url,
        "--prometheus",
        &evil.url(),
    ]));
    assert_eq!(code, 1, "{out}\n{err}");
    assert!(err.contains("gap: x"), "{err}");
    assert!(
        !out.contains(ESC) && !err.contains(ESC) && !err.contains('\u{202e}'),
        "{err:?}"
    );
}

#[test]
fn hostile_target_files_for_shard_plan() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for (name, bytes) in [
        (
            "truncated.json",
            b"[{\"__address__\": \"10.0.0.1:9090\"".to_vec(),
        ),
        ("binary.json", vec![0xff, 0xfe, 0x00, 0x5b, 0x5d]),
        ("deep.json", "[".repeat(100_000).into_bytes()),
        ("scalar.json", b"42".to_vec()),
    ] {
        std::fs::write(d.join(name), bytes).unwrap();
        let start = Instant::now();
        let (code, _, err) =
            outcome(mon(d).args(["shard-plan", "--shards", "3", "--targets", name]));
        assert_eq!(code, 2, "{name}: {err}");
        assert_clean_failure(code, &err, start.elapsed(), name);
    }
    // Labels with control characters are planned, and shown escaped.
    std::fs::write(
        d.join("odd.json"),
        r#"[{"__address__": "10.0.0.1:9090\u001b[31m", "job": "j\u0007"}]"#,
    )
    .unwrap();
    let (code, out, err) =
        outcome(mon(d).args(["shard-plan", "--shards", "2", "--targets", "odd.json"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("1 targets over 2 shards") && !out.contains(ESC),
        "{out:?}"
    );
}

/// query --range on an answer with hostile labels and odd values: escaped,
/// bounded to the terminal width, no panic.
#[test]
fn hostile_range_answers_are_drawn_safely() {
    let answer = serde_json::json!({"status": "success", "data": {"resultType": "matrix", "result": [
        {"metric": {"__name__": "up", "job": "a\u{1b}[2J\u{202e}"}, "values": [
            [1.0, "NaN"], [2.0, "+Inf"], [3.0, "1e308"], [1e12, "-1e308"], [-5.0, "x"], [4.0, "7"]
        ]},
        {"metric": {}, "values": []},
    ]}})
    .to_string();
    let server =
        TestServer::start(move |_, _| Response::new(200, "application/json", answer.clone()));
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = outcome(mon(dir.path()).env("COLUMNS", "60").args([
        "query",
        "--prometheus",
        &server.url(),
        "--range",
        "1h",
        "up",
    ]));
    assert_eq!(code, 0, "{err}");
    assert!(!out.contains(ESC) && !out.contains('\u{202e}'), "{out:?}");
    assert!(out.lines().all(|l| l.chars().count() <= 60), "{out}");
    assert!(out.contains("no samples in range"), "{out}");
}
