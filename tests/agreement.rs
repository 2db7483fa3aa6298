//! Where lint's decision on the classic text format differs from promtool
//! and from Prometheus' scraper, it says which reference rejects the input.
//! Each case is run through all three here (README lists them).

use std::collections::BTreeMap;

use crate::support::http::{Response, TestServer, get};
use crate::support::prometheus::Prometheus;
use crate::support::{have, mon};

/// (case, exposition, Prometheus fails the scrape, promtool rejects it)
const CASES: &[(&str, &[u8], bool, bool)] = &[
    ("no_final_newline", b"# TYPE a gauge\na 1", false, true),
    ("help_after_samples", b"# TYPE a gauge\na 1\n# HELP a late\n", false, false),
    ("type_without_type", b"# TYPE a\na 1\n", true, false),
    ("le_not_a_number", b"# TYPE h histogram\nh_bucket{le=\"abc\"} 1\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n", false, true),
    ("quantile_not_a_number", b"# TYPE s summary\ns{quantile=\"x\"} 1\ns_sum 1\ns_count 1\n", false, true),
    ("invalid_utf8_comment", b"# a comment \xff\xfe\n# TYPE a gauge\na 1\n", false, false),
    ("duplicate_type", b"# TYPE a gauge\n# TYPE a gauge\na 1\n", false, true),
    ("unknown_escape", b"# TYPE a gauge\na{x=\"\\q\"} 1\n", false, true),
    ("duplicate_label_names", b"# TYPE a gauge\na{x=\"1\",x=\"2\"} 1\n", true, true),
];

/// lint's verdict: (ok, who it says rejects: "prometheus", "promtool", "neither" or "").
fn lint(body: &[u8]) -> (bool, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = mon(dir.path())
        .args(["lint", "--format", "text", "--output", "json", "-"])
        .write_stdin(body)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let by = v["parse_error"]["rejected_by"]
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| {
            let errors = v["findings"].to_string();
            if errors.contains("promtool rejects this; Prometheus accepts it") {
                "promtool".into()
            } else {
                String::new()
            }
        });
    (v["ok"].as_bool().unwrap(), by)
}

#[test]
fn lint_says_which_reference_rejects() {
    for (case, body, prometheus_fails, promtool_rejects) in CASES {
        let (ok, by) = lint(body);
        let expected = match (prometheus_fails, promtool_rejects) {
            (true, _) => "prometheus",
            (false, true) => "promtool",
            (false, false) => "",
        };
        if expected.is_empty() {
            assert!(
                ok || by == "neither",
                "{case}: lint fails it ({by}) though both references accept it"
            );
        } else {
            assert!(!ok, "{case}: lint accepts it");
            assert_eq!(by, expected, "{case}");
        }
    }
}

/// The table above is what promtool and a real Prometheus do.
#[test]
fn the_references_behave_as_documented() {
    if !have("promtool", "agreement::promtool") {
        return;
    }
    for (case, body, _, promtool_rejects) in CASES {
        let mut child = std::process::Command::new("promtool")
            .args(["check", "metrics"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        std::io::Write::write_all(&mut child.stdin.take().unwrap(), body).unwrap();
        let out = child.wait_with_output().unwrap();
        // Exit 1: a parse error; 3: lint problems only (the input parsed).
        let rejected = out.status.code() == Some(1);
        assert_eq!(rejected, *promtool_rejects, "promtool on {case}: {out:?}");
    }
    let bodies: BTreeMap<String, Vec<u8>> = CASES
        .iter()
        .map(|(c, b, _, _)| (format!("/{c}"), b.to_vec()))
        .collect();
    let server = TestServer::start(move |_, path| {
        bodies.get(path).map_or_else(
            || Response::new(404, "text/plain", "no"),
            |b| Response::new(200, "text/plain; version=0.0.4", b.clone()),
        )
    });
    let mut config =
        String::from("global: {scrape_interval: 1s, scrape_timeout: 1s}\nscrape_configs:\n");
    for (case, ..) in CASES {
        config.push_str(&format!(
            "  - job_name: {case}\n    metrics_path: /{case}\n    static_configs: [{{targets: [\"{}\"]}}]\n",
            server.addr
        ));
    }
    let Some(prom) = Prometheus::start(&config, "agreement::prometheus") else {
        return;
    };
    let start = std::time::Instant::now();
    loop {
        let (_, body) = get(&format!("{}/api/v1/targets", prom.url)).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        let targets = v["data"]["activeTargets"].as_array().unwrap().clone();
        let scraped = targets.iter().all(|t| t["health"] != "unknown");
        if scraped {
            for t in &targets {
                let job = t["labels"]["job"].as_str().unwrap();
                let (_, _, fails, _) = CASES.iter().find(|c| c.0 == job).unwrap();
                assert_eq!(t["health"] == "down", *fails, "Prometheus on {job}: {t}");
            }
            break;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(20),
            "not scraped: {v}"
        );
        std::thread::sleep(std::time::Duration::from_millis(300));
    }
}
