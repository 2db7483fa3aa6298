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

/// A URL that answers like Prometheus with the lifecycle API off, but is not
/// served by any Prometheus process (a proxy, another host's port-forward):
/// `--method auto` must not signal the unrelated local Prometheus.
#[test]
fn auto_never_signals_a_prometheus_that_does_not_serve_the_url() {
    let Some(other) = Prometheus::start_with(ONE_JOB, false, "reload::auto_unrelated") else {
        return;
    };
    let before = last_config_time(&other);
    let fake = crate::support::http::TestServer::start(|_, path| {
        if path.starts_with("/api/v1/status/runtimeinfo") {
            crate::support::http::Response::new(
                200,
                "application/json",
                r#"{"status":"success","data":{"lastConfigTime":"2026-01-01T00:00:00Z","reloadConfigSuccess":true}}"#,
            )
        } else {
            crate::support::http::Response::new(403, "text/plain", "Lifecycle API is not enabled.")
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = outcome(mon(dir.path()).args([
        "reload",
        "--method",
        "auto",
        "--prometheus",
        &fake.url(),
        "--timeout",
        "5s",
    ]));
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains("nothing was signalled"), "{err}");
    assert!(err.contains("no local Prometheus process serves"), "{err}");
    assert!(!err.contains("sent SIGHUP"), "{err}");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert_eq!(
        last_config_time(&other),
        before,
        "the unrelated Prometheus was reloaded"
    );
}

/// Two local Prometheus servers: auto (no --pid) signals exactly the one
/// that serves the URL; --pid of the other is refused, naming where it listens.
#[test]
fn signals_only_the_prometheus_serving_the_url() {
    let Some(target) = Prometheus::start_with(ONE_JOB, false, "reload::two_servers") else {
        return;
    };
    let Some(other) = Prometheus::start_with(ONE_JOB, false, "reload::two_servers") else {
        return;
    };
    let other_before = last_config_time(&other);
    let (code, out, err) = reload(&target, &["--method", "auto"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        err.contains(&format!("sending SIGHUP to PID {}", target.pid())),
        "{err}"
    );
    let other_pid = other.pid().to_string();
    let (code, _, err) = reload(&target, &["--method", "signal", "--pid", &other_pid]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("does not serve") && err.contains("listens on"),
        "{err}"
    );
    assert_eq!(last_config_time(&other), other_before);
}

/// A copy of another binary renamed `prometheus` (and promtool renamed so,
/// and a copy carrying Prometheus' strings appended) is refused: the
/// executable's Go build information must name Prometheus' server.
#[test]
fn a_renamed_binary_is_not_prometheus() {
    let dir = tempfile::tempdir().unwrap();
    let mut sources = vec!["/bin/sleep", "/bin/sleep+strings"];
    if std::path::Path::new("/usr/bin/promtool").exists() {
        sources.push("/usr/bin/promtool");
    }
    for source in sources {
        let fake = dir.path().join("prometheus");
        let mut bytes = std::fs::read(source.trim_end_matches("+strings")).unwrap();
        if source.ends_with("+strings") {
            bytes.extend_from_slice(
                b"github.com/prometheus/prometheus/web\n\xff Go buildinf:\x08\x02path\tgithub.com/prometheus/prometheus/cmd/prometheus\n",
            );
        }
        std::fs::write(&fake, bytes).unwrap();
        std::fs::set_permissions(&fake, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .unwrap();
        // A live process whose /proc/PID/exe is the renamed copy.
        let mut child = if source.contains("sleep") {
            std::process::Command::new(&fake).arg("30").spawn().unwrap()
        } else {
            // promtool reading rules from stdin waits until stdin closes.
            std::process::Command::new(&fake)
                .args(["test", "rules", "/dev/stdin"])
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap()
        };
        let pid = child.id().to_string();
        let (code, _, err) = outcome(mon(dir.path()).args([
            "reload",
            "--method",
            "signal",
            "--pid",
            &pid,
            "--prometheus",
            "http://127.0.0.1:1",
        ]));
        let _ = child.kill();
        let _ = child.wait();
        std::fs::remove_file(&fake).unwrap();
        assert_eq!(code, 2, "{source}: {err}");
        assert!(
            err.contains("is not the Prometheus server"),
            "{source}: {err}"
        );
    }
}

/// Every flag of reload reaches the plan, the check or the request:
/// against a real Prometheus, each flag given a value other than its
/// default changes what is said or the exit code, and none is a clap usage
/// error. (Auth and TLS flags of the API client: tests/secured.rs covers
/// the same `PrometheusArgs` on check-targets and query.)
#[test]
fn each_reload_flag_is_read() {
    use crate::support::http::{Response, TestServer};
    let Some(prom) = Prometheus::start(ONE_JOB, "reload::each_reload_flag_is_read") else {
        return;
    };
    let to = prom.url.clone();
    let moved = TestServer::start(move |_, path| {
        Response::new(302, "text/plain", "").header("Location", &format!("{to}{path}"))
    });
    let slow = TestServer::start(|_, _| {
        std::thread::sleep(std::time::Duration::from_millis(1200));
        Response::new(
            200,
            "application/json",
            r#"{"status":"success","data":{"web.enable-lifecycle":"true"}}"#,
        )
    });
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("broken.yml"), BROKEN).unwrap();
    std::fs::write(d.join("me.pid"), format!("{}\n", std::process::id())).unwrap();
    let me = std::process::id().to_string();
    let at = |url: &str, args: &[&str]| {
        let ran = outcome(mon(d).args(["reload", "--prometheus", url]).args(args));
        assert!(!ran.2.contains("try '--help'"), "{args:?}: {ran:?}");
        ran
    };
    let run = |args: &[&str]| at(&prom.url, args);
    let base = run(&["--dry-run"]);
    assert_eq!(base.0, 0, "{base:?}");
    let signal = run(&["--dry-run", "--method", "signal"]);
    assert_eq!(
        signal.0, 0,
        "the harness' Prometheus serves the URL: {signal:?}"
    );
    for (what, changed, against) in [
        ("--method", &signal, &base),
        (
            "--pid",
            &run(&["--dry-run", "--method", "signal", "--pid", &me]),
            &signal,
        ),
        (
            "--pid-file",
            &run(&["--dry-run", "--method", "signal", "--pid-file", "me.pid"]),
            &signal,
        ),
        (
            "--config-file",
            &run(&["--dry-run", "--config-file", "broken.yml"]),
            &base,
        ),
        (
            "--no-check",
            &run(&["--dry-run", "--config-file", "broken.yml", "--no-check"]),
            &run(&["--dry-run", "--config-file", "broken.yml"]),
        ),
        (
            "--dry-run",
            &run(&["--method", "http"]),
            &run(&["--method", "http", "--dry-run"]),
        ),
        // A Prometheus that does not answer in time fails the dry run, as
        // it would fail the reload.
        (
            "--timeout",
            &at(&slow.url(), &["--dry-run", "--timeout", "300ms"]),
            &at(&slow.url(), &["--dry-run"]),
        ),
        (
            "--max-body",
            &run(&["--dry-run", "--max-body", "16"]),
            &base,
        ),
        (
            "--follow-redirects",
            &at(&moved.url(), &["--dry-run", "--follow-redirects"]),
            &at(&moved.url(), &["--dry-run"]),
        ),
    ] {
        assert_ne!(changed, against, "{what} changed nothing");
    }
}
