//! The version matrix: what the suite proves against Debian stable's
//! Prometheus 2.42 it also proves against Debian testing's Prometheus 3.x
//! (the 3.5 LTS line), promtool 3.x and Alertmanager 0.3x, fetched by
//! `.ci/debian-testing.sh`. Every test names the versions it ran.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use crate::support::prometheus::{Prometheus, Version};
use crate::support::{mon, outcome, stdout_of};

/// The exact versions in this run, printed so the test output records them;
/// a 3.x other than 3.5 is said plainly (the engine's 3.x rules were
/// written against 3.5).
#[test]
fn versions_in_the_matrix() {
    for v in Version::ALL {
        let Some(line) = v.describe("matrix::versions") else {
            continue;
        };
        eprintln!("matrix: {v:?}: {line}");
        if v == Version::Three && !line.contains("version 3.5.") {
            eprintln!(
                "matrix: NOTE: {line} is not the 3.5 line the relabel and scrape rules were proven on"
            );
        }
    }
}

fn checker_accepts(version: Version, tool: &str, args: &[&str], file: &Path, test: &str) {
    let Some(bin) = version.tool(tool, test) else {
        return;
    };
    let out = Command::new(&bin).args(args).arg(file).output().unwrap();
    assert!(
        out.status.success(),
        "{version:?} {} {args:?} rejected {}:\n{}{}",
        bin.display(),
        file.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Every discovery mode's prometheus.yml, the rules with their tests, and
/// alertmanager.yml pass promtool and amtool of both versions.
#[test]
fn generated_files_pass_both_checkers() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // (file, gen-config flags, versions whose promtool knows the config):
    // Debian's 2.42 is built without Kubernetes discovery, so its promtool
    // refuses `kubernetes_sd_configs`; 3.x checks that config.
    let configs: Vec<(&str, Vec<&str>, &[Version])> = vec![
        ("static.yml", vec![], &Version::ALL),
        (
            "multi.yml",
            vec!["--logger", "10.0.0.1:9090", "--logger", "10.0.0.2:9090"],
            &Version::ALL,
        ),
        (
            "k8s.yml",
            vec!["--mode", "kubernetes", "--k8s-namespace", "trading"],
            &[Version::Three],
        ),
        ("docker.yml", vec!["--mode", "docker"], &Version::ALL),
    ];
    for (name, extra, _) in &configs {
        let text = stdout_of(mon(d).arg("gen-config").args(extra));
        std::fs::write(d.join(name), text).unwrap();
    }
    let (code, _, err) =
        outcome(mon(d).args(["gen-rules", "-o", "rules.yml", "--tests", "rules.test.yml"]));
    assert_eq!(code, 0, "{err}");
    std::fs::write(
        d.join("inv.yaml"),
        "alertmanager:\n  receivers:\n    - {name: team, webhook_url: 'http://127.0.0.1:5001/hook'}\n  routes: {critical: team}\n",
    )
    .unwrap();
    let (code, _, err) =
        outcome(mon(d).args(["-c", "inv.yaml", "gen-alertmanager", "-o", "am.yml"]));
    assert_eq!(code, 0, "{err}");
    for v in Version::ALL {
        for (name, _, versions) in &configs {
            if versions.contains(&v) {
                let file = d.join(name);
                checker_accepts(
                    v,
                    "promtool",
                    &["check", "config"],
                    &file,
                    "matrix::configs",
                );
            }
        }
        checker_accepts(
            v,
            "promtool",
            &["check", "rules"],
            &d.join("rules.yml"),
            "matrix::rules",
        );
        checker_accepts(
            v,
            "promtool",
            &["test", "rules"],
            &d.join("rules.test.yml"),
            "matrix::rule_tests",
        );
        checker_accepts(
            v,
            "amtool",
            &["check-config"],
            &d.join("am.yml"),
            "matrix::alertmanager",
        );
        eprintln!("matrix: {v:?}: promtool and amtool accept every generated file");
    }
}

/// A real Prometheus of each version scrapes serve-demo through the
/// generated config; check-targets says both targets are up and names the
/// version it talked to; a reload is confirmed.
#[test]
fn a_real_prometheus_of_each_version_scrapes_the_demo() {
    let dir = tempfile::tempdir().unwrap();
    let demo = crate::support::demo::serve_demo(&[]);
    let rules = dir.path().join("rules.yml");
    let (code, _, err) = outcome(mon(dir.path()).args(["gen-rules", "-o"]).arg(&rules));
    assert_eq!(code, 0, "{err}");
    let config = crate::support::demo::fast_config(
        dir.path(),
        &[demo.logger_addr()],
        &[demo.server_addr()],
        &rules,
        &[],
    );
    for v in Version::ALL {
        let Some(prom) = Prometheus::start_version(v, &config, true, &[], "matrix::scrape") else {
            continue;
        };
        let start = Instant::now();
        let (code, out, err) = outcome(mon(dir.path()).args([
            "check-targets",
            "--prometheus",
            &prom.url,
            "--wait",
            "30s",
        ]));
        assert_eq!(code, 0, "{v:?}: {out}{err}\n{}", prom.log());
        assert!(out.contains("2 targets: 2 up"), "{v:?}: {out}");
        let want = match v {
            Version::Stable => "Prometheus 2.",
            Version::Three => "Prometheus 3.",
        };
        assert!(out.contains(want), "{v:?}: {out}");
        let (code, out, err) = outcome(mon(dir.path()).args([
            "reload",
            "--prometheus",
            &prom.url,
            "--method",
            "http",
            "--no-check",
        ]));
        assert_eq!(code, 0, "{v:?}: {out}{err}");
        assert!(out.contains("reload confirmed"), "{v:?}: {out}");
        eprintln!(
            "matrix: {v:?}: scraped, checked and reloaded in {:?}",
            start.elapsed()
        );
        drop(prom);
    }
}

/// A loopback exporter whose path picks the Content-Type it answers with,
/// recording the Accept header of every request by the User-Agent's kind.
/// (User-Agent, Accept) of each request seen.
type Seen = std::sync::Arc<std::sync::Mutex<Vec<(String, String)>>>;

fn content_type_server() -> (u16, Seen) {
    use std::io::{BufRead, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = seen.clone();
    listener.set_nonblocking(true).unwrap();
    std::thread::spawn(move || {
        let end = Instant::now() + std::time::Duration::from_secs(60);
        while Instant::now() < end {
            let Ok((mut s, _)) = listener.accept() else {
                std::thread::sleep(std::time::Duration::from_millis(10));
                continue;
            };
            let _ = s.set_nonblocking(false);
            let mut r = std::io::BufReader::new(s.try_clone().unwrap());
            let (mut path, mut accept, mut agent) = (String::new(), String::new(), String::new());
            let mut line = String::new();
            while r.read_line(&mut line).is_ok_and(|n| n > 2) {
                let l = line.trim_end();
                if let Some(p) = l.strip_prefix("GET ") {
                    path = p.split(' ').next().unwrap_or("").to_string();
                } else if let Some((k, v)) = l.split_once(": ") {
                    match k.to_ascii_lowercase().as_str() {
                        "accept" => accept = v.to_string(),
                        "user-agent" => agent = v.to_string(),
                        _ => {}
                    }
                }
                line.clear();
            }
            log.lock().unwrap().push((agent, accept));
            let ct = match path.split('?').next().unwrap_or("") {
                "/none" => None,
                "/json" => Some("application/json"),
                "/html" => Some("text/html"),
                "/text" => Some("text/plain"),
                "/om" => Some("application/openmetrics-text; version=1.0.0"),
                _ => Some("text/plain; version=0.0.4"),
            };
            let mut body = String::from("# TYPE up_test gauge\nup_test 1\n");
            if path.starts_with("/om") {
                body.push_str("# EOF\n");
            }
            let header = ct.map_or(String::new(), |c| format!("Content-Type: {c}\r\n"));
            let _ = write!(
                s,
                "HTTP/1.1 200 OK\r\n{header}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    (port, seen)
}

/// The scrape verdicts of test-pull (and so doctor) per version equal what
/// a real Prometheus of that version makes of the same exporter answer, and
/// test-pull sends that version's Accept header.
#[test]
fn scrape_verdicts_and_accept_headers_match_each_version() {
    const PATHS: [&str; 6] = ["none", "json", "html", "text", "om", "ok"];
    let dir = tempfile::tempdir().unwrap();
    let (port, seen) = content_type_server();
    let mut config =
        String::from("global: {scrape_interval: 1s, scrape_timeout: 1s}\nscrape_configs:\n");
    for p in PATHS {
        config.push_str(&format!(
            "  - {{job_name: {p}, metrics_path: /{p}, static_configs: [{{targets: ['127.0.0.1:{port}']}}]}}\n"
        ));
    }
    for (v, flag) in [(Version::Stable, "2"), (Version::Three, "3")] {
        let Some(prom) =
            Prometheus::start_version(v, &config, false, &[], "matrix::scrape_verdicts")
        else {
            continue;
        };
        // Prometheus' verdict per path, once every target has been scraped.
        let start = Instant::now();
        let theirs: std::collections::BTreeMap<String, bool> = loop {
            let (_, body) =
                crate::support::http::get(&format!("{}/api/v1/targets", prom.url)).unwrap();
            let answer: serde_json::Value = serde_json::from_slice(&body).unwrap();
            let verdicts: std::collections::BTreeMap<String, bool> =
                answer["data"]["activeTargets"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|t| t["health"] != "unknown")
                    .map(|t| {
                        (
                            t["scrapePool"].as_str().unwrap().to_string(),
                            t["health"] == "up",
                        )
                    })
                    .collect();
            if verdicts.len() == PATHS.len() {
                break verdicts;
            }
            assert!(
                start.elapsed() < std::time::Duration::from_secs(30),
                "{answer}"
            );
            std::thread::sleep(std::time::Duration::from_millis(300));
        };
        let mut args = vec![
            "test-pull".to_string(),
            "--prometheus-version".into(),
            flag.into(),
        ];
        for p in PATHS {
            args.push("--target".into());
            args.push(format!("{p}=http://127.0.0.1:{port}/{p}"));
        }
        args.extend(["--output-format".into(), "json".into()]);
        let (_, out, err) = outcome(mon(dir.path()).args(&args));
        let report: serde_json::Value =
            serde_json::from_str(&out).unwrap_or_else(|_| panic!("{out}{err}"));
        let ours: std::collections::BTreeMap<String, bool> = report["endpoints"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e["name"].as_str().unwrap().to_string(), e["ok"] == true))
            .collect();
        assert_eq!(
            ours,
            theirs,
            "{v:?}: test-pull --prometheus-version {flag} against {}",
            v.describe("matrix").unwrap_or_default()
        );
        // The Accept header: test-pull's last request against the server's.
        let log = seen.lock().unwrap().clone();
        let accept_of = |agent: &str| {
            log.iter()
                .rev()
                .find(|(a, _)| a.starts_with(agent))
                .map(|(_, h)| h.clone())
                .unwrap_or_default()
        };
        assert_eq!(
            accept_of("gpucharts-mon/"),
            accept_of("Prometheus/"),
            "{v:?}"
        );
        eprintln!(
            "matrix: {v:?}: scrape verdicts {theirs:?} agree; Accept {}",
            accept_of("Prometheus/")
        );
        seen.lock().unwrap().clear();
        drop(prom);
    }
}

/// Whose scrape rules apply: `--prometheus-version`, else the inventory's
/// `prometheus.version`, else 3.
#[test]
fn the_inventory_version_decides_the_default() {
    use crate::support::http::{Response, TestServer};
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(|_, _| Response::new(200, "application/json", "up 1\n"));
    let target = format!("x={}/metrics", server.url());
    let run = |extra: &[&str]| {
        let mut args = vec!["test-pull", "--target", &target];
        args.extend_from_slice(extra);
        outcome(mon(dir.path()).args(&args)).0
    };
    assert_eq!(run(&[]), 1, "3 refuses application/json");
    std::fs::write(
        dir.path().join("gpucharts-mon.yaml"),
        "prometheus:\n  version: 2\n",
    )
    .unwrap();
    assert_eq!(run(&[]), 0, "the inventory says 2");
    assert_eq!(run(&["--prometheus-version", "3"]), 1, "the flag wins");
    std::fs::write(
        dir.path().join("gpucharts-mon.yaml"),
        "prometheus:\n  version: 4\n",
    )
    .unwrap();
    assert_eq!(run(&[]), 2, "only 2 or 3");
}

/// Label names per version: a UTF-8 name such as `k8s.cluster` is written
/// for 3.x (and its promtool takes it, 2.42's does not), and refused with
/// the reason when the inventory says the servers run 2.x.
#[test]
fn utf8_label_names_follow_the_inventory_version() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("inv.yaml"),
        "prometheus:\n  external_labels: {k8s.cluster: prod}\n",
    )
    .unwrap();
    let text = stdout_of(mon(d).args(["-c", "inv.yaml", "gen-config"]));
    assert!(text.contains("k8s.cluster: prod"), "{text}");
    std::fs::write(d.join("p.yml"), &text).unwrap();
    checker_accepts(
        Version::Three,
        "promtool",
        &["check", "config"],
        &d.join("p.yml"),
        "matrix::utf8_names",
    );
    if let Some(stable) = Version::Stable.tool("promtool", "matrix::utf8_names") {
        let out = Command::new(stable)
            .args(["check", "config"])
            .arg(d.join("p.yml"))
            .output()
            .unwrap();
        assert!(
            !out.status.success(),
            "2.42's promtool took a UTF-8 label name"
        );
    }
    std::fs::write(
        d.join("inv.yaml"),
        "prometheus:\n  version: 2\n  external_labels: {k8s.cluster: prod}\n",
    )
    .unwrap();
    let (code, _, err) = outcome(mon(d).args(["-c", "inv.yaml", "gen-config"]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("Prometheus 2.x accepts no other"), "{err}");
}

/// `scrape_protocols` (global and per job) and `fallback_scrape_protocol`
/// reach the config, promtool 3.x takes it, and a real Prometheus 3.x
/// scrapes an exporter that sends no Content-Type (which fails without
/// the fallback) while asking in the configured order. A 2.x inventory
/// refuses them: 2.42 has neither key.
#[test]
fn scrape_protocols_and_fallback_reach_a_real_prometheus_3() {
    let (port, seen) = content_type_server();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let inv = format!(
        "services:\n  logger:\n    instances: [127.0.0.1:{port}]\n    metrics_path: /none\n  server:\n    instances: [127.0.0.1:{port}]\n    metrics_path: /none\n    scrape_protocols: [PrometheusText1.0.0, PrometheusText0.0.4]\nprometheus:\n  scrape_interval: 1s\n"
    );
    std::fs::write(d.join("inv.yaml"), &inv).unwrap();
    let text = stdout_of(mon(d).args([
        "-c",
        "inv.yaml",
        "gen-config",
        "--scrape-protocols",
        "OpenMetricsText1.0.0,PrometheusText0.0.4",
        "--fallback-scrape-protocol",
        "PrometheusText0.0.4",
    ]));
    assert!(
        text.contains("scrape_protocols:\n  - OpenMetricsText1.0.0\n  - PrometheusText0.0.4"),
        "{text}"
    );
    assert_eq!(
        text.matches("fallback_scrape_protocol: PrometheusText0.0.4")
            .count(),
        2,
        "{text}"
    );
    std::fs::write(d.join("p.yml"), &text).unwrap();
    checker_accepts(
        Version::Three,
        "promtool",
        &["check", "config"],
        &d.join("p.yml"),
        "matrix::protocols",
    );
    let Some(prom) =
        Prometheus::start_version(Version::Three, &text, false, &[], "matrix::protocols")
    else {
        return;
    };
    let start = Instant::now();
    loop {
        let (_, body) = crate::support::http::get(&format!("{}/api/v1/targets", prom.url)).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        let targets = v["data"]["activeTargets"].as_array().unwrap().clone();
        if targets.len() == 2 && targets.iter().all(|t| t["health"] == "up") {
            break;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(20),
            "3.x did not scrape with the fallback: {v}"
        );
        std::thread::sleep(std::time::Duration::from_millis(300));
    }
    let accepts: Vec<String> = seen
        .lock()
        .unwrap()
        .iter()
        .filter(|(agent, _)| agent.starts_with("Prometheus/3"))
        .map(|(_, a)| a.clone())
        .collect();
    assert!(
        accepts
            .iter()
            .any(|a| a.starts_with("application/openmetrics-text;version=1.0.0")),
        "the global list first: {accepts:?}"
    );
    assert!(
        accepts
            .iter()
            .any(|a| a.starts_with("text/plain;version=1.0.0")),
        "the server job's own list first: {accepts:?}"
    );
    std::fs::write(d.join("inv.yaml"), format!("{inv}  version: 2\n")).unwrap();
    let (code, _, err) = outcome(mon(d).args([
        "-c",
        "inv.yaml",
        "gen-config",
        "--fallback-scrape-protocol",
        "PrometheusText0.0.4",
    ]));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("Prometheus 2.42 has no scrape_protocols"),
        "{err}"
    );
}

/// The inventory's Kubernetes app regex is checked as Prometheus compiles
/// it (Go's RE2): `\Q.\E` is taken and the config passes promtool 3.x;
/// `(?x)`, which Go refuses, is refused before anything is written.
#[test]
fn app_regexes_are_judged_as_go_compiles_them() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let inv = |re: &str| {
        format!(
            "services:\n  logger:\n    discovery: kubernetes\n    kubernetes:\n      app: '{re}'\n"
        )
    };
    std::fs::write(d.join("inv.yaml"), inv(r"gpu\Q-charts\E.*")).unwrap();
    let text = stdout_of(mon(d).args(["-c", "inv.yaml", "gen-config"]));
    std::fs::write(d.join("p.yml"), &text).unwrap();
    checker_accepts(
        Version::Three,
        "promtool",
        &["check", "config"],
        &d.join("p.yml"),
        "matrix::app_regex",
    );
    std::fs::write(d.join("inv.yaml"), inv("(?x)gpu")).unwrap();
    let (code, _, err) = outcome(mon(d).args(["-c", "inv.yaml", "gen-config"]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("invalid or unsupported Perl syntax"), "{err}");
}
