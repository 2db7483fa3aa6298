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

/// Every flag of smoke reaches a stage or the report: against exporters
/// and a stand-in Prometheus API on loopback (and promtool for the config
/// and rules stages), each flag given a value other than its default
/// changes the summary, the JUnit report or the exit code, and none is a
/// usage error. (The API auth and scrape TLS flags: tests/secured.rs.)
#[test]
fn each_smoke_flag_is_read() {
    use crate::support::http::{Response, TestServer};
    if !have("promtool", "stack::each_smoke_flag_is_read") {
        return;
    }
    const BODY: &str = "# HELP x_total X\n# TYPE x_total counter\nx_total 1\n";
    let good = TestServer::start(|_, path| match path {
        "/health" => Response::new(200, "application/json", r#"{"status":"ok"}"#),
        _ => Response::new(200, "text/plain; version=0.0.4", BODY),
    });
    let slow = TestServer::start(|_, _| {
        std::thread::sleep(std::time::Duration::from_millis(1200));
        Response::new(200, "text/plain; version=0.0.4", BODY)
    });
    let prom = crate::support::fakeprom::start(0);
    let late = crate::support::fakeprom::start(2);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let inventory = |name: &str, addr: &std::net::SocketAddr| {
        std::fs::write(
            d.join(name),
            format!("services:\n  logger:\n    instances: [\"{addr}\"]\n  server:\n    instances: [\"{addr}\"]\n"),
        )
        .unwrap();
    };
    inventory("inv.yaml", &good.addr);
    inventory("slow.yaml", &slow.addr);
    std::fs::write(d.join("good.yml"), "global:\n  scrape_interval: 15s\n").unwrap();
    std::fs::write(d.join("bad.yml"), "global:\n  scrape_interval: soon\n").unwrap();
    std::fs::write(
        d.join("good.rules.yml"),
        "groups:\n- name: x\n  rules:\n  - alert: A\n    expr: up == 0\n",
    )
    .unwrap();
    std::fs::write(
        d.join("bad.rules.yml"),
        "groups:\n- name: x\n  rules:\n  - alert: A\n    expr: up ==\n",
    )
    .unwrap();
    let junit = d.join("smoke.xml");
    let times = regex::Regex::new(r#"time="[^"]*""#).unwrap();
    let raw = |inv: &str, args: &[&str]| {
        let _ = std::fs::remove_file(&junit);
        let (code, out, err) = outcome(mon(d).args(["-c", inv, "smoke"]).args(args));
        assert_ne!(code, 2, "{args:?}: {out}{err}");
        let report = std::fs::read_to_string(&junit).unwrap_or_default();
        let flat = |t: &str| crate::support::untimed_text(&times.replace_all(t, "time=\"N\""));
        (code, flat(&out), flat(&err), flat(&report))
    };
    let smoke = |inv: &str, extra: &[&str]| {
        let mut args = vec!["--config-file", "good.yml", "--rule-file", "good.rules.yml"];
        args.extend_from_slice(extra);
        raw(inv, &args)
    };
    let skip_prom = ["--skip", "targets"];
    let base = smoke("inv.yaml", &skip_prom);
    assert_eq!(base.0, 0, "{base:?}");
    let with = |extra: &[&str]| {
        let mut args = skip_prom.to_vec();
        args.extend_from_slice(extra);
        smoke("inv.yaml", &args)
    };
    let checked = smoke("inv.yaml", &["--prometheus", &prom.url()]);
    assert_eq!(checked.0, 0, "{checked:?}");
    for (what, changed, against) in [
        (
            "--config-file",
            &raw(
                "inv.yaml",
                &[
                    "--config-file",
                    "bad.yml",
                    "--rule-file",
                    "good.rules.yml",
                    "--skip",
                    "targets",
                ],
            ),
            &base,
        ),
        (
            "--rule-file",
            &with(&["--rule-file", "bad.rules.yml"]),
            &base,
        ),
        ("--prometheus", &checked, &base),
        ("--skip", &smoke("inv.yaml", &[]), &base),
        (
            "--wait",
            &smoke(
                "inv.yaml",
                &["--prometheus", &late.url(), "--wait", "100ms"],
            ),
            &smoke(
                "inv.yaml",
                &["--prometheus", &crate::support::fakeprom::start(2).url()],
            ),
        ),
        (
            "--timeout",
            &smoke("slow.yaml", &["--skip", "targets", "--timeout", "300ms"]),
            &smoke("slow.yaml", &skip_prom),
        ),
        ("--junit", &with(&["--junit", "smoke.xml"]), &base),
        ("--scheme", &with(&["--scheme", "https"]), &base),
    ] {
        assert_ne!(changed, against, "{what} changed nothing");
    }
}
