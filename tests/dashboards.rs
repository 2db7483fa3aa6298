//! gen-dashboards: the fields Grafana needs, queries over known series only,
//! the writing rules, and every panel returning data from a real Prometheus
//! scraping serve-demo with the generated recording rules.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use gpucharts_mon::catalogue::Catalogue;

use crate::gen_rules::selected_metrics;
use crate::support::demo::{fast_config, serve_demo};
use crate::support::http::get;
use crate::support::prometheus::Prometheus;
use crate::support::{have, mon, outcome, stdout_of};

const BOARDS: [&str; 3] = [
    "gpu-charts-overview.json",
    "gpu-charts-logger.json",
    "gpu-charts-server.json",
];

fn load(dir: &std::path::Path, name: &str) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join(name)).unwrap()).unwrap()
}

/// Every target expression of a dashboard.
fn exprs(board: &serde_json::Value) -> Vec<String> {
    board["panels"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["targets"].as_array().unwrap())
        .map(|t| t["expr"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn dashboards_have_what_grafana_requires() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (code, _, err) = outcome(mon(d).args(["gen-dashboards", "-o", "dash"]));
    assert_eq!(code, 0, "{err}");
    let rules = stdout_of(mon(d).arg("gen-rules"));
    let mut known: BTreeSet<String> = Catalogue::embedded()
        .unwrap()
        .families()
        .map(|f| f.name.clone())
        .collect();
    known.extend(
        regex::Regex::new(r#"record: "([^"]+)""#)
            .unwrap()
            .captures_iter(&rules)
            .map(|c| c[1].to_string()),
    );
    known.extend(
        [
            "up",
            "scrape_duration_seconds",
            "scrape_samples_scraped",
            "scrape_series_added",
        ]
        .map(String::from),
    );
    let mut uids = BTreeSet::new();
    for name in BOARDS {
        let b = load(&d.join("dash"), name);
        assert!(uids.insert(b["uid"].as_str().unwrap().to_string()));
        assert!(b["title"].as_str().unwrap().starts_with("GPU Charts / "));
        assert!(b["schemaVersion"].as_u64().unwrap() >= 36);
        let vars: Vec<&str> = b["templating"]["list"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["name"].as_str().unwrap())
            .collect();
        assert_eq!(vars, ["datasource", "job", "instance"], "{name}");
        assert_eq!(b["templating"]["list"][0]["type"], "datasource");
        assert_eq!(b["templating"]["list"][0]["query"], "prometheus");
        let mut ids = BTreeSet::new();
        let mut cells = BTreeSet::new();
        for p in b["panels"].as_array().unwrap() {
            let title = p["title"].as_str().unwrap();
            assert!(
                ids.insert(p["id"].as_u64().unwrap()),
                "{name}: duplicate id"
            );
            let g = &p["gridPos"];
            let (x, y, w, h) = (
                g["x"].as_u64().unwrap(),
                g["y"].as_u64().unwrap(),
                g["w"].as_u64().unwrap(),
                g["h"].as_u64().unwrap(),
            );
            assert!(w > 0 && h > 0 && x + w <= 24, "{name}/{title}: {g}");
            // No two panels cover the same grid cell.
            for cx in x..x + w {
                for cy in y..y + h {
                    assert!(cells.insert((cx, cy)), "{name}/{title} overlaps");
                }
            }
            assert_eq!(p["datasource"]["uid"], "${datasource}", "{name}/{title}");
            assert_eq!(p["datasource"]["type"], "prometheus");
            let targets = p["targets"].as_array().unwrap();
            assert!(!targets.is_empty(), "{name}/{title}");
            let refs: BTreeSet<&str> = targets
                .iter()
                .map(|t| t["refId"].as_str().unwrap())
                .collect();
            assert_eq!(refs.len(), targets.len());
            for t in targets {
                let expr = t["expr"].as_str().unwrap();
                assert!(
                    expr.contains(r#"job=~"$job""#) && expr.contains(r#"instance=~"$instance""#),
                    "{name}/{title}: {expr} ignores the variables"
                );
                for m in selected_metrics(expr) {
                    assert!(
                        known.contains(&m),
                        "{name}/{title}: {m} is not a known series"
                    );
                }
            }
        }
        assert!(ids.len() >= 5, "{name}");
    }
    let provisioning: gpucharts_mon::yaml::Value = gpucharts_mon::yaml::from_str(
        &std::fs::read_to_string(d.join("dash/dashboards.yml")).unwrap(),
    )
    .unwrap();
    assert_eq!(provisioning["apiVersion"].as_u64(), Some(1));
    assert_eq!(provisioning["providers"][0]["type"].as_str(), Some("file"));
    assert_eq!(
        provisioning["providers"][0]["options"]["path"].as_str(),
        Some(gpucharts_mon::dashboards::CONTAINER_DIR)
    );
}

#[test]
fn writing_rules_and_usage() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    mon(d)
        .args(["gen-dashboards", "-o", "dash"])
        .assert()
        .success();
    let before = std::fs::read_to_string(d.join("dash/gpu-charts-logger.json")).unwrap();
    // Existing files: refused, untouched.
    mon(d)
        .args(["gen-dashboards", "-o", "dash", "--grafana-path", "/srv/d"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("exists"));
    // --diff shows the change and writes nothing.
    let (code, diff, _) = outcome(mon(d).args([
        "gen-dashboards",
        "-o",
        "dash",
        "--grafana-path",
        "/srv/d",
        "--diff",
    ]));
    assert_eq!(code, 0);
    assert!(diff.contains("+      path: \"/srv/d\""), "{diff}");
    assert!(
        !std::fs::read_to_string(d.join("dash/dashboards.yml"))
            .unwrap()
            .contains("/srv/d")
    );
    // --force replaces, keeping .bak.
    mon(d)
        .args([
            "gen-dashboards",
            "-o",
            "dash",
            "--grafana-path",
            "/srv/d",
            "--force",
        ])
        .assert()
        .success();
    assert!(
        std::fs::read_to_string(d.join("dash/dashboards.yml"))
            .unwrap()
            .contains("/srv/d")
    );
    assert!(d.join("dash/dashboards.yml.bak").exists());
    assert_eq!(
        before,
        std::fs::read_to_string(d.join("dash/gpu-charts-logger.json")).unwrap()
    );
    // One dashboard to stdout; all of them need a directory.
    let one = stdout_of(mon(d).args(["gen-dashboards", "--dashboard", "server"]));
    let v: serde_json::Value = serde_json::from_str(&one).unwrap();
    assert_eq!(v["uid"], "gpu-charts-server");
    mon(d)
        .arg("gen-dashboards")
        .assert()
        .code(2)
        .stderr(predicates::str::contains("-o DIR"));
    // A directory under a missing parent is not created.
    mon(d)
        .args(["gen-dashboards", "-o", "no/such/dir"])
        .assert()
        .code(2);
    assert!(!d.join("no").exists());
}

/// Every panel query, with the variables as Grafana fills them for "All",
/// returns data from a real Prometheus scraping serve-demo every second with
/// the generated rules; and `--preview` draws them all.
#[test]
fn every_panel_returns_data_from_a_real_prometheus() {
    let test = "dashboards::every_panel_returns_data";
    if !have("prometheus", test) {
        return;
    }
    let demo = serve_demo(&[]);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    mon(d)
        .args(["gen-rules", "-o", "rules.yml"])
        .assert()
        .success();
    mon(d)
        .args(["gen-dashboards", "-o", "dash"])
        .assert()
        .success();
    let config = fast_config(
        d,
        &[demo.logger_addr()],
        &[demo.server_addr()],
        &d.join("rules.yml"),
        &[],
    );
    let Some(prom) = Prometheus::start(&config, test) else {
        return;
    };
    let query = |expr: &str| -> usize {
        let url = format!("{}/api/v1/query?query={}", prom.url, urlencode(expr));
        let (status, body) = get(&url).unwrap();
        assert_eq!(status, 200, "{expr}: {}", String::from_utf8_lossy(&body));
        let doc: serde_json::Value = serde_json::from_slice(&body).unwrap();
        doc["data"]["result"].as_array().map_or(0, Vec::len)
    };
    let mut pending: Vec<String> = BOARDS
        .iter()
        .flat_map(|b| exprs(&load(&d.join("dash"), b)))
        .map(|e| {
            e.replace("$__rate_interval", "1m")
                .replace("\"$job\"", "\".+\"")
                .replace("\"$instance\"", "\".+\"")
        })
        .collect();
    assert!(pending.len() >= 20);
    let start = Instant::now();
    while !pending.is_empty() {
        pending.retain(|e| query(e) == 0);
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no data after 60 s for: {pending:#?}"
        );
        std::thread::sleep(Duration::from_millis(500));
    }
    // A range query's last step is a little behind "now".
    std::thread::sleep(Duration::from_secs(2));
    let (code, out, err) = outcome(mon(d).env("COLUMNS", "100").args([
        "gen-dashboards",
        "--preview",
        "--range",
        "2m",
        "--prometheus",
        &prom.url,
    ]));
    assert_eq!(code, 0, "{err}\n{out}");
    for title in [
        "Targets up",
        "5xx ratio",
        "WebSocket latency",
        "Cache hit ratio",
    ] {
        assert!(out.contains(&format!("▌ {title}")), "{title}\n{out}");
    }
    assert!(out.contains('█') || out.contains('▁'), "{out}");
    assert!(out.lines().all(|l| l.chars().count() <= 100), "{out}");

    // query --range: a chart per series, as wide as the terminal; JSON keeps
    // every point.
    let (code, out, err) = outcome(mon(d).env("COLUMNS", "72").args([
        "query",
        "--prometheus",
        &prom.url,
        "--range",
        "30s",
        "--step",
        "1s",
        "up",
    ]));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("every series: up{environment=\"production\"}"),
        "{out}"
    );
    assert!(
        out.contains("{instance=\"logger-1\"") && out.contains("min 1.00"),
        "{out}"
    );
    assert!(out.contains("2 series, a point every 1s"), "{out}");
    assert!(out.lines().all(|l| l.chars().count() <= 72), "{out}");
    let (code, out, _) = outcome(mon(d).args([
        "query",
        "--prometheus",
        &prom.url,
        "--range",
        "30s",
        "--step",
        "1s",
        "--output",
        "json",
        "up",
    ]));
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["result_type"], "matrix");
    assert!(
        v["series"][0]["samples"].as_array().unwrap().len() >= 3,
        "{v}"
    );
    mon(d)
        .args([
            "query",
            "--prometheus",
            &prom.url,
            "--range",
            "1d",
            "--step",
            "1s",
            "up",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("at most 11000"));
    mon(d)
        .args(["query", "--prometheus", &prom.url, "--step", "1s", "up"])
        .assert()
        .code(2);
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// gen-dashboards' writing flags that shape the files reach them: each
/// one, given a value other than its default, changes what is written.
/// (--preview and --range draw from a Prometheus: tested above.)
#[test]
fn each_dashboards_flag_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let mut runs = 0;
    let mut run = |args: &[&str]| {
        runs += 1;
        let out = dir.path().join(format!("out{runs}"));
        crate::support::written_by(dir.path(), "gen-dashboards", &out, args).0
    };
    let baseline = run(&[]);
    for args in [
        &["--dashboard", "logger"][..],
        &["--grafana-path", "/srv/grafana/boards"],
    ] {
        assert_ne!(run(args), baseline, "{args:?} changed nothing");
    }
}
