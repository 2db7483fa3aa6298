//! The whole stack end to end: serve-demo → gen-config and gen-rules →
//! a real Prometheus → smoke passes (with its JUnit report) → the config
//! regenerated with an extra target → reload confirmed → check-targets sees
//! it → the extra endpoint stopped → doctor names "connection refused".

use crate::support::demo::serve_demo;
use crate::support::http::closed_port;
use crate::support::prometheus::Prometheus;
use crate::support::{have, mon, outcome};

#[test]
fn generate_scrape_smoke_reload_and_doctor() {
    if !have("promtool", "stack::e2e") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let demo = serve_demo(&[]);
    let rules = d.join("alerts.yml");
    let (code, _, err) = outcome(mon(d).args(["gen-rules", "-o", "alerts.yml"]));
    assert_eq!(code, 0, "{err}");
    let logger = demo.logger_addr();
    let server = demo.server_addr();
    let config = |loggers: &[&str]| {
        let mut cmd = mon(d);
        cmd.args(["gen-config", "--scrape-interval", "1s", "--server", &server]);
        for a in loggers {
            cmd.args(["--logger", a]);
        }
        cmd.args(["--rule-file", rules.to_str().unwrap()]);
        let (code, out, err) = outcome(&mut cmd);
        assert_eq!(code, 0, "{err}");
        out
    };
    let Some(prom) = Prometheus::start(&config(&[&logger]), "stack::e2e") else {
        return;
    };
    std::fs::write(
        d.join("inv.yaml"),
        format!(
            "services:\n  logger:\n    instances: [\"{logger}\"]\n  server:\n    instances: [\"{server}\"]\nprometheus:\n  url: {}\n  config_file: {}\n",
            prom.url,
            prom.config_path().display()
        ),
    )
    .unwrap();
    let (code, out, err) = outcome(mon(d).args([
        "-c",
        "inv.yaml",
        "smoke",
        "--wait",
        "30s",
        "--junit",
        "smoke.xml",
    ]));
    assert_eq!(code, 0, "{out}{err}\n{}", prom.log());
    let junit = std::fs::read_to_string(d.join("smoke.xml")).unwrap();
    for stage in ["config", "rules", "test-pull", "targets"] {
        assert!(
            junit.contains(&format!("<testsuite name=\"{stage}\"")),
            "{junit}"
        );
    }
    assert!(!junit.contains("<failure"), "{junit}");

    // An extra logger: regenerate, reload, and Prometheus scrapes it.
    let extra = serve_demo(&[]);
    let extra_addr = extra.logger_addr();
    std::fs::write(prom.config_path(), config(&[&logger, &extra_addr])).unwrap();
    let (code, out, err) = outcome(mon(d).args([
        "-c",
        "inv.yaml",
        "reload",
        "--method",
        "http",
        "--timeout",
        "15s",
    ]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("reload confirmed"), "{out}");
    let (code, out, err) = outcome(mon(d).args([
        "-c",
        "inv.yaml",
        "check-targets",
        "--expect",
        "gpu-charts-logger=2",
        "--wait",
        "30s",
    ]));
    assert_eq!(code, 0, "{out}{err}");

    // The extra endpoint goes away: doctor names the cause.
    drop(extra);
    let (code, out, err) = outcome(mon(d).args([
        "-c",
        "inv.yaml",
        "doctor",
        &extra_addr,
        "--output-format",
        "json",
        "--timeout",
        "2s",
    ]));
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("connection refused"), "{out}");
}

/// A stage that cannot run fails with its reason (a silent hole in a CI
/// step is a failure), unless it is skipped on purpose with `--skip`; an
/// endpoint that is down fails the run either way.
#[test]
fn smoke_fails_what_it_cannot_run_unless_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let port = closed_port();
    std::fs::write(
        d.join("inv.yaml"),
        format!("services:\n  logger:\n    instances: [\"127.0.0.1:{port}\"]\n  server:\n    instances: [\"127.0.0.1:{port}\"]\n"),
    )
    .unwrap();
    let smoke = |extra: &[&str]| {
        let (code, out, err) = outcome(
            mon(d)
                .env_remove("PROMETHEUS_URL")
                .args([
                    "-c",
                    "inv.yaml",
                    "smoke",
                    "--junit",
                    "smoke.xml",
                    "--timeout",
                    "2s",
                ])
                .args(extra),
        );
        let junit = std::fs::read_to_string(d.join("smoke.xml")).unwrap();
        (code, format!("{out}{err}"), junit)
    };
    let (code, out, junit) = smoke(&[]);
    assert_eq!(code, 1, "{out}");
    assert!(
        junit.contains("<failure message=\"cannot run: no config file"),
        "{junit}"
    );
    assert!(junit.contains("pass --skip config"), "{junit}");
    assert!(
        !junit.contains("<skipped"),
        "nothing is skipped unasked: {junit}"
    );
    let (code, out, junit) = smoke(&["--skip", "config", "--skip", "rules", "--skip", "targets"]);
    assert_eq!(code, 1, "the endpoint is still down: {out}");
    for stage in ["config", "rules", "targets"] {
        assert!(
            junit.contains(&format!("<skipped message=\"--skip {stage}\"")),
            "{junit}"
        );
    }
    assert!(junit.contains("<failure"), "test-pull fails: {junit}");
    let (code, out, _) = outcome(mon(d).args(["smoke", "--skip", "everything"]));
    assert_eq!(code, 2, "{out}");
}

/// The README's first steps for real: `init` names the config file (beside
/// the inventory), so after gen-rules and gen-config smoke checks the
/// config and its rules — also when run from another folder.
#[test]
fn init_names_the_config_file_smoke_checks() {
    if !have("promtool", "stack::init_smoke") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for args in [
        vec!["init"],
        vec!["gen-rules", "-o", "alerts.yml"],
        vec![
            "gen-config",
            "--rule-file",
            "alerts.yml",
            "-o",
            "prometheus.yml",
        ],
    ] {
        let (code, out, err) = outcome(mon(d).args(&args));
        assert_eq!(code, 0, "{args:?}: {out}{err}");
    }
    let elsewhere = tempfile::tempdir().unwrap();
    let inv = d.join("gpucharts-mon.yaml");
    let (code, out, err) = outcome(mon(elsewhere.path()).arg("-c").arg(&inv).args([
        "smoke",
        "--skip",
        "test-pull",
        "--skip",
        "targets",
        "--junit",
        "smoke.xml",
    ]));
    assert_eq!(code, 0, "{out}{err}");
    let junit = std::fs::read_to_string(elsewhere.path().join("smoke.xml")).unwrap();
    assert!(junit.contains("prometheus.yml promtool"), "{junit}");
    assert!(junit.contains("alerts.yml"), "{junit}");
    assert!(!junit.contains("<failure"), "{junit}");
}
