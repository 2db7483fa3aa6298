//! Secrets never shown: URL passwords are masked in tables, JSON, JUnit,
//! dry runs and errors; a password file passed as a config file is never
//! quoted; shared secret files are warned about; a CA file that is not PEM
//! is bad input.

use std::os::unix::fs::PermissionsExt;

use crate::support::http::{Response, TestServer, closed_port};
use crate::support::{mon, outcome};

const SECRET: &str = "hunter2-s3cret";

fn password_file(dir: &std::path::Path, mode: u32) -> std::path::PathBuf {
    let p = dir.join("password");
    std::fs::write(&p, format!("{SECRET}\n")).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode)).unwrap();
    p
}

#[test]
fn a_password_file_given_as_a_config_is_never_quoted() {
    let dir = tempfile::tempdir().unwrap();
    password_file(dir.path(), 0o600);
    for args in [
        &["-c", "password", "gen-config"][..],
        &["-c", "password", "firewall", "--allow", "10.0.0.1"],
        &["test-pull", "--from-config", "password"],
        &[
            "reload",
            "--config-file",
            "password",
            "--prometheus",
            "http://127.0.0.1:1",
        ],
    ] {
        let (code, out, err) = outcome(mon(dir.path()).args(args));
        assert_ne!(code, 0, "{args:?}");
        assert!(
            !out.contains("hunter2") && !err.contains("hunter2"),
            "{args:?} echoed the secret: {err}"
        );
        assert!(
            err.contains("password"),
            "{args:?} should name the file: {err}"
        );
    }
}

#[test]
fn url_passwords_are_masked_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let port = closed_port();
    let url = format!("http://admin:{SECRET}@127.0.0.1:{port}");
    // errors
    for args in [
        vec!["check-targets", "--prometheus", &url],
        vec!["query", "up", "--prometheus", &url],
        vec!["reload", "--method", "http", "--prometheus", &url],
    ] {
        let (code, out, err) = outcome(mon(dir.path()).args(&args));
        assert_eq!(code, 3, "{args:?}: {err}");
        assert!(
            !out.contains(SECRET) && !err.contains(SECRET),
            "{args:?}: {err}"
        );
    }
    // dry run, against an API that answers (a dry run that cannot ask
    // Prometheus fails as the reload would)
    let api = TestServer::start(|_, _| {
        Response::new(
            200,
            "application/json",
            r#"{"status":"success","data":{"web.enable-lifecycle":"true"}}"#,
        )
    });
    let api_url = format!("http://admin:{SECRET}@{}", api.addr);
    let (code, out, err) = outcome(mon(dir.path()).args([
        "reload",
        "--dry-run",
        "--method",
        "http",
        "--prometheus",
        &api_url,
    ]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("admin:***@"), "{out}");
    assert!(!out.contains(SECRET) && !err.contains(SECRET), "{out}{err}");
    // test-pull reports in every format
    let server = TestServer::start(|_, _| Response::new(200, "text/plain", "up 1\n"));
    let target = format!("app=http://admin:{SECRET}@{}/metrics", server.addr);
    for format in ["table", "json", "junit"] {
        let (_, out, err) =
            outcome(mon(dir.path()).args(["test-pull", "--target", &target, "--output", format]));
        assert!(
            format == "junit" || out.contains("admin:***@"),
            "{format}: {out}"
        );
        assert!(
            !out.contains(SECRET) && !err.contains(SECRET),
            "{format}: {out}{err}"
        );
    }
}

#[test]
fn shared_secret_files_are_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    let file = password_file(dir.path(), 0o644);
    let stderr = || {
        outcome(mon(dir.path()).args([
            "check-targets",
            "--prometheus",
            "http://127.0.0.1:1",
            "--prometheus-user",
            "u",
            "--prometheus-password-file",
            "password",
        ]))
        .2
    };
    let err = stderr();
    assert!(
        err.contains("readable by everyone") && err.contains("chmod 600"),
        "{err}"
    );
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let err = stderr();
    assert!(!err.contains("readable by"), "{err}");
}

#[test]
fn a_ca_file_that_is_not_pem_is_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    password_file(dir.path(), 0o600);
    let (code, _, err) = outcome(mon(dir.path()).args([
        "check-targets",
        "--prometheus",
        "https://127.0.0.1:1",
        "--ca-file",
        "password",
    ]));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("password") && err.contains("not a PEM certificate"),
        "{err}"
    );
    assert!(!err.contains("hunter2"), "{err}");
}
