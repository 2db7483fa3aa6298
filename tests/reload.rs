//! reload against the real Prometheus harness: HTTP, SIGHUP, a broken config
//! refused before sending, a broken config forced, lifecycle API disabled.

use crate::support::http::get;
use crate::support::prometheus::Prometheus;
use crate::support::{mon, outcome};

const ONE_JOB: &str = "global: {scrape_interval: 5s}\nscrape_configs:\n  - job_name: gpu-charts-logger\n    static_configs: [{targets: [\"127.0.0.1:1\"]}]\n";
const TWO_JOBS: &str = "global: {scrape_interval: 5s}\nscrape_configs:\n  - job_name: gpu-charts-logger\n    static_configs: [{targets: [\"127.0.0.1:1\"]}]\n  - job_name: gpu-charts-server\n    static_configs: [{targets: [\"127.0.0.1:2\"]}]\n";
/// Valid YAML, but Prometheus (and our checks) reject it.
const BROKEN: &str = "scrape_configs:\n  - job_name: a\n    scrape_interval: 5s\n    scrape_timeout: 9s\n    static_configs: [{targets: [\"127.0.0.1:1\"]}]\n";

fn running_config(prom: &Prometheus) -> String {
    let (status, body) = get(&format!("{}/api/v1/status/config", prom.url)).unwrap();
    assert_eq!(status, 200);
    String::from_utf8(body).unwrap()
}

fn last_config_time(prom: &Prometheus) -> String {
    let (_, body) = get(&format!("{}/api/v1/status/runtimeinfo", prom.url)).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
    v["data"]["lastConfigTime"].as_str().unwrap().to_string()
}

fn reload(prom: &Prometheus, args: &[&str]) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    outcome(
        mon(dir.path())
            .arg("reload")
            .args(["--prometheus", &prom.url, "--timeout", "15s"])
            .args(args),
    )
}

#[test]
fn http_and_signal_reloads_are_confirmed_and_broken_configs_refused() {
    let Some(mut prom) = Prometheus::start(ONE_JOB, "reload::http_and_signal") else {
        return;
    };
    let config = prom.config_path();
    let config_arg = config.to_str().unwrap().to_string();

    // Over HTTP.
    std::fs::write(&config, TWO_JOBS).unwrap();
    let (code, out, err) = reload(&prom, &["--method", "http", "--config-file", &config_arg]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("config time before:")
            && out.contains("config time after:")
            && out.contains("reload confirmed"),
        "{out}"
    );
    assert!(!err.contains("different config"), "{err}");
    assert!(running_config(&prom).contains("gpu-charts-server"));

    // By SIGHUP to the harness' own PID.
    std::fs::write(&config, ONE_JOB).unwrap();
    let pid = prom.pid().to_string();
    let (code, out, err) = reload(
        &prom,
        &[
            "--method",
            "signal",
            "--pid",
            &pid,
            "--config-file",
            &config_arg,
        ],
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.contains(&format!("sent SIGHUP to PID {pid}")), "{err}");
    assert!(!running_config(&prom).contains("gpu-charts-server"));

    // A broken config is refused before anything is sent.
    std::fs::write(&config, BROKEN).unwrap();
    let before = last_config_time(&prom);
    let (code, _, err) = reload(&prom, &["--config-file", &config_arg]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("refusing to reload") && err.contains("nothing was sent"),
        "{err}"
    );
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert_eq!(last_config_time(&prom), before);

    // Forced with --no-check: Prometheus rejects it and keeps the old config.
    let (code, _, err) = reload(&prom, &["--config-file", &config_arg, "--no-check"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("scrape timeout greater than scrape interval"),
        "{err}"
    );
    assert!(prom.is_running());
    assert!(running_config(&prom).contains("gpu-charts-logger"));

    // A file other than the one Prometheus runs: reload works, with a warning.
    let other = prom.dir.path().join("other.yml");
    std::fs::write(&config, ONE_JOB).unwrap();
    std::fs::write(&other, TWO_JOBS).unwrap();
    let (code, _, err) = reload(&prom, &["--config-file", other.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("runs a different config"), "{err}");

    // --dry-run sends nothing.
    let before = last_config_time(&prom);
    let (code, out, _) = reload(&prom, &["--dry-run", "--config-file", &config_arg]);
    assert_eq!(code, 0);
    assert!(out.contains("dry run"), "{out}");
    assert!(out.contains("runs with --web.enable-lifecycle"), "{out}");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert_eq!(last_config_time(&prom), before);
}

#[test]
fn lifecycle_disabled_is_explained_and_auto_falls_back_to_signal() {
    let Some(prom) = Prometheus::start_with(ONE_JOB, false, "reload::lifecycle_disabled") else {
        return;
    };
    let (code, _, err) = reload(&prom, &["--method", "http"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("403") && err.contains("--web.enable-lifecycle"),
        "{err}"
    );
    let pid = prom.pid().to_string();
    let (code, out, err) = reload(&prom, &["--method", "auto", "--pid", &pid]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.contains("sending SIGHUP"), "{err}");
}

#[test]
fn never_signals_anything_but_prometheus() {
    let dir = tempfile::tempdir().unwrap();
    let me = std::process::id().to_string();
    mon(dir.path())
        .args([
            "reload",
            "--method",
            "signal",
            "--pid",
            &me,
            "--prometheus",
            "http://127.0.0.1:1",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("refusing to signal"));
    std::fs::write(dir.path().join("pid"), "not-a-pid\n").unwrap();
    mon(dir.path())
        .args([
            "reload",
            "--method",
            "signal",
            "--pid-file",
            "pid",
            "--prometheus",
            "http://127.0.0.1:1",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("does not hold a PID"));
}

#[test]
fn unreachable_prometheus_is_exit_3() {
    let dir = tempfile::tempdir().unwrap();
    let port = crate::support::http::closed_port();
    mon(dir.path())
        .args([
            "reload",
            "--method",
            "http",
            "--prometheus",
            &format!("http://127.0.0.1:{port}"),
        ])
        .assert()
        .code(3);
}
