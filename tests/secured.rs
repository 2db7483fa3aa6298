//! The seed's secured setup end to end: serve-demo with TLS and basic auth,
//! a config from gen-config with the same inventory, a real Prometheus
//! scraping it, and check-targets and test-pull checking it with no
//! repeated flags; a wrong password and a client-certificate-only endpoint.
//! Certificates are made by the test with the openssl CLI.

use std::path::Path;
use std::process::Command;

use crate::support::demo::spawn;
use crate::support::http::closed_port;
use crate::support::prometheus::Prometheus;
use crate::support::{have, mon, outcome};

const PASSWORD: &str = "pw-never-shown-7f3a";

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "openssl {args:?}: {out:?}");
}

/// A CA, a server certificate for 127.0.0.1/localhost and a client
/// certificate, all signed by the CA.
fn make_certs(dir: &Path) {
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
    ];
    let mut ca = vec!["req", "-x509"];
    ca.extend(ec);
    ca.extend([
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=test-ca",
    ]);
    openssl(dir, &ca);
    for (name, ext) in [
        (
            "server",
            "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n",
        ),
        ("client", "extendedKeyUsage=clientAuth\n"),
    ] {
        let (key, csr, pem, extfile) = (
            format!("{name}.key"),
            format!("{name}.csr"),
            format!("{name}.pem"),
            format!("{name}.ext"),
        );
        let mut req = vec!["req"];
        req.extend(ec);
        req.extend(["-keyout", &key, "-out", &csr, "-subj", "/CN=localhost"]);
        openssl(dir, &req);
        std::fs::write(dir.join(&extfile), ext).unwrap();
        openssl(
            dir,
            &[
                "x509",
                "-req",
                "-in",
                &csr,
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-out",
                &pem,
                "-days",
                "2",
                "-extfile",
                &extfile,
            ],
        );
    }
}

/// A serve-demo process, stopped by PID when dropped.
fn path(dir: &Path, name: &str) -> String {
    dir.join(name).to_string_lossy().into_owned()
}

#[test]
fn secured_endpoints_are_scraped_and_checked_as_prometheus_does() {
    let test = "secured::tls_and_basic_auth";
    if !have("openssl", test) || !have("prometheus", test) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    make_certs(d);
    std::fs::write(d.join("password"), format!("{PASSWORD}\n")).unwrap();
    std::fs::write(d.join("wrong"), "not-the-password\n").unwrap();
    for f in ["password", "wrong"] {
        std::fs::set_permissions(
            d.join(f),
            std::os::unix::fs::PermissionsExt::from_mode(0o600),
        )
        .unwrap();
    }
    let (lp, sp) = (closed_port(), closed_port());
    let _demo = spawn(
        d,
        &[
            "--logger-port",
            &lp.to_string(),
            "--server-port",
            &sp.to_string(),
            "--tls-cert",
            "server.pem",
            "--tls-key",
            "server.key",
            "--basic-auth-user",
            "prom",
            "--basic-auth-password-file",
            "password",
        ],
        &[],
        &[lp, sp],
    );
    let inventory = |password_file: &str| {
        format!(
            "services:\n  logger:\n    instances: [\"127.0.0.1:{lp}\"]\n  server:\n    instances: [\"127.0.0.1:{sp}\"]\nprometheus:\n  scrape_interval: 1s\nscrape:\n  scheme: https\n  ca_file: {}\n  basic_auth_user: prom\n  basic_auth_password_file: {}\n",
            path(d, "ca.pem"),
            path(d, password_file)
        )
    };
    std::fs::write(d.join("inv.yaml"), inventory("password")).unwrap();
    std::fs::write(d.join("wrong.yaml"), inventory("wrong")).unwrap();
    let mut shown = String::new();
    let mut run = |args: &[&str]| {
        let (code, out, err) = outcome(mon(d).args(args));
        shown.push_str(&out);
        shown.push_str(&err);
        (code, out, err)
    };
    let (code, _, err) = run(&["-c", "inv.yaml", "gen-config", "-o", "prometheus.yml"]);
    assert_eq!(code, 0, "{err}");
    let config = std::fs::read_to_string(d.join("prometheus.yml")).unwrap();
    let Some(prom) = Prometheus::start(&config, test) else {
        return;
    };
    let (code, out, err) = run(&[
        "-c",
        "inv.yaml",
        "check-targets",
        "--prometheus",
        &prom.url,
        "--wait",
        "30s",
    ]);
    assert_eq!(code, 0, "{out}{err}\n{}", prom.log());
    let (code, out, err) = run(&["-c", "inv.yaml", "test-pull"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("2 endpoints: 2 passed"), "{out}");
    let (code, out, err) = run(&["test-pull", "--from-config", "prometheus.yml"]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = run(&["-c", "wrong.yaml", "test-pull"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("authentication failed (HTTP 401)"), "{out}");
    // Plain http to the https port, and https without the CA, are named.
    let (code, out, _) = run(&[
        "test-pull",
        "--logger",
        &format!("127.0.0.1:{lp}"),
        "--scheme",
        "https",
    ]);
    assert_eq!(code, 1);
    assert!(out.contains("unknown issuer"), "{out}");

    // A client-certificate-only endpoint (the logger alone, on METRICS_PORT).
    let cp = closed_port();
    let _mtls = spawn(
        d,
        &[
            "--only",
            "logger",
            "--tls-cert",
            "server.pem",
            "--tls-key",
            "server.key",
            "--tls-client-ca",
            "ca.pem",
        ],
        &[("METRICS_PORT", cp.to_string())],
        &[cp],
    );
    let target = format!("127.0.0.1:{cp}");
    let base = [
        "test-pull",
        "--logger",
        target.as_str(),
        "--scheme",
        "https",
        "--ca-file",
        "ca.pem",
    ];
    let (code, out, err) = run(&[
        &base[..],
        &["--cert-file", "client.pem", "--key-file", "client.key"],
    ]
    .concat());
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, _) = run(&base);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("TLS"), "{out}");
    // An https:// URL says the scheme itself: the TLS flags apply without
    // --scheme https, in test-pull and in doctor.
    let url = format!("https://127.0.0.1:{cp}/metrics");
    let tls = [
        "--ca-file",
        "ca.pem",
        "--cert-file",
        "client.pem",
        "--key-file",
        "client.key",
    ];
    let (code, out, err) =
        run(&[&["test-pull", "--target", &format!("mtls={url}")][..], &tls].concat());
    assert_eq!(code, 0, "{out}{err}");
    let (_, out, err) = run(&[
        &["doctor", url.as_str(), "--output-format", "json"][..],
        &tls,
    ]
    .concat());
    assert!(!err.contains("needs --scheme https"), "{err}");
    let v: serde_json::Value =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"));
    let steps = v["targets"][0]["checks"].as_array().unwrap();
    let metrics = steps.iter().find(|s| s["name"] == "metrics").unwrap();
    assert_eq!(metrics["status"], "pass", "{v}");

    assert!(
        !shown.contains(PASSWORD),
        "the password was shown:\n{shown}"
    );
}

/// Prometheus' API behind basic auth (its `--web.config.file`): test-pull,
/// doctor, smoke and relabel take the same `--prometheus-user` and
/// `--prometheus-password-file` as check-targets; without them each is
/// refused (exit 3), with them each gets through.
#[test]
fn every_command_authenticates_to_prometheus_the_same_way() {
    use crate::support::demo::serve_demo;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let demo = serve_demo(&[]);
    let (logger, server) = (demo.logger_addr(), demo.server_addr());
    std::fs::write(d.join("pw"), PASSWORD).unwrap();
    let config = format!(
        "global: {{scrape_interval: 1s}}\nscrape_configs:\n  - job_name: gpu-charts-logger\n    static_configs: [{{targets: ['{logger}']}}]\n  - job_name: gpu-charts-server\n    static_configs: [{{targets: ['{server}']}}]\n"
    );
    let Some(prom) =
        Prometheus::start_with_basic_auth(&config, "ops", PASSWORD, "secured::api_auth")
    else {
        return;
    };
    std::fs::write(
        d.join("inv.yaml"),
        format!("services:\n  logger:\n    instances: ['{logger}']\n  server:\n    instances: ['{server}']\n"),
    )
    .unwrap();
    std::fs::write(d.join("p.yml"), &config).unwrap();
    std::fs::write(
        d.join("t.json"),
        format!(r#"[{{"__address__": "{logger}"}}]"#),
    )
    .unwrap();
    // Both targets up first, so doctor and smoke find them scraped.
    let start = std::time::Instant::now();
    let header = prom.auth_header().to_string();
    loop {
        let (_, body) =
            crate::support::http::get_with(&format!("{}/api/v1/targets", prom.url), &header)
                .unwrap();
        let text = String::from_utf8_lossy(&body).to_string();
        if text.matches("\"health\":\"up\"").count() == 2 {
            break;
        }
        assert!(start.elapsed().as_secs() < 30, "targets not up: {text}");
        std::thread::sleep(std::time::Duration::from_millis(300));
    }
    let auth = [
        "--prometheus-user",
        "ops",
        "--prometheus-password-file",
        "pw",
    ];
    let commands: [Vec<&str>; 4] = [
        vec!["test-pull"],
        vec!["doctor", &logger],
        vec![
            "smoke", "--wait", "20s", "--skip", "config", "--skip", "rules",
        ],
        vec![
            "relabel",
            "--config-file",
            "p.yml",
            "--job",
            "gpu-charts-logger",
            "--targets",
            "t.json",
        ],
    ];
    for args in commands {
        let run = |with_auth: bool| {
            let mut cmd = mon(d);
            cmd.args(["-c", "inv.yaml"])
                .args(&args)
                .args(["--prometheus", &prom.url]);
            if with_auth {
                cmd.args(auth);
            }
            outcome(&mut cmd)
        };
        let (code, out, err) = run(false);
        assert_ne!(code, 0, "{args:?} without auth: {out}{err}");
        assert!(
            format!("{out}{err}").contains("401")
                || format!("{out}{err}")
                    .to_lowercase()
                    .contains("unauthorized"),
            "{args:?} without auth names the refusal: {out}{err}"
        );
        let (code, out, err) = run(true);
        assert_eq!(code, 0, "{args:?} with auth: {out}{err}\n{}", prom.log());
        assert!(
            !format!("{out}{err}").contains(PASSWORD),
            "{args:?} echoed the password"
        );
    }
}

/// X.509 v1 certificates (what `openssl x509 -req` makes without
/// `-extfile`): a v1 client certificate is a one-line usage error naming
/// the file and how to reissue it; a server's v1 certificate (here from
/// `openssl s_server`) is named as such in the TLS failure.
#[test]
fn v1_certificates_are_named_with_the_fix() {
    let test = "secured::v1_certificates";
    if !have("openssl", test) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    make_certs(d);
    for name in ["client", "server"] {
        openssl(
            d,
            &[
                "x509",
                "-req",
                "-in",
                &format!("{name}.csr"),
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-days",
                "2",
                "-out",
                &format!("{name}-v1.pem"),
            ],
        );
    }
    let port = closed_port();
    let mut server = Command::new("openssl")
        .args([
            "s_server",
            "-quiet",
            "-www",
            "-cert",
            "server-v1.pem",
            "-key",
            "server.key",
        ])
        .args(["-accept", &format!("127.0.0.1:{port}")])
        .current_dir(d)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed().as_secs() < 10,
            "openssl s_server did not start"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let url = format!("https://127.0.0.1:{port}/metrics");
    let (code, out, err) = outcome(mon(d).args([
        "test-pull",
        "--target",
        &format!("v1={url}"),
        "--ca-file",
        "ca.pem",
    ]));
    let _ = server.kill();
    let _ = server.wait();
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains("the server's certificate is X.509 v1"),
        "{out}"
    );
    let (code, out, err) = outcome(mon(d).args([
        "test-pull",
        "--target",
        &format!("v1={url}"),
        "--ca-file",
        "ca.pem",
        "--cert-file",
        "client-v1.pem",
        "--key-file",
        "client.key",
    ]));
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        err.contains("client-v1.pem: an X.509 v1 certificate") && err.contains("reissue"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "{err}");
}

/// The commands that talk to Prometheus' API, as the tests below run them
/// (the file p.yml and a Pushgateway at `pg` are the caller's): those whose
/// only peer is Prometheus, and those that also scrape (test-pull, doctor,
/// smoke, relabel), whose API flags carry the `prometheus-` prefix only.
fn api_commands(pg: &str) -> (Vec<Vec<&str>>, Vec<Vec<&str>>) {
    let full = vec![
        vec!["migrate", "--pushgateway", pg],
        vec!["check-targets"],
        vec!["query", "up"],
        vec!["reload", "--dry-run"],
        vec!["shard-plan", "--shards", "2"],
        vec!["gen-dashboards", "--preview"],
    ];
    let consulting = vec![
        vec!["test-pull", "--target", "a=http://127.0.0.1:1/metrics"],
        vec!["doctor", "127.0.0.1:1"],
        vec![
            "smoke",
            "--skip",
            "config",
            "--skip",
            "rules",
            "--skip",
            "test-pull",
            "--wait",
            "1s",
        ],
        vec![
            "relabel",
            "--config-file",
            "p.yml",
            "--job",
            "x",
            "--example",
            "kubernetes-pod",
        ],
    ];
    (full, consulting)
}

/// The API client's TLS and auth flags reach the request in every command
/// that talks to Prometheus: against a TLS server signed by the test's CA,
/// the handshake fails without `--ca-file`/`--insecure` and gets through
/// with either (to a 404: it is serve-demo, not Prometheus); against a
/// plain server that records the Authorization header, `--prometheus-user`
/// with its password file and `--prometheus-bearer-token-file` send what
/// they say.
#[test]
fn the_api_clients_tls_and_auth_flags_reach_the_request() {
    use crate::support::http::{Response, TestServer};
    let test = "secured::api_client_flags";
    if !have("openssl", test) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    make_certs(d);
    let port = closed_port();
    let _tls = spawn(
        d,
        &[
            "--only",
            "logger",
            "--tls-cert",
            "server.pem",
            "--tls-key",
            "server.key",
        ],
        &[("METRICS_PORT", port.to_string())],
        &[port],
    );
    let https = format!("https://127.0.0.1:{port}");
    // A Pushgateway with no groups, for migrate to get as far as Prometheus.
    let pushgateway = TestServer::start(|_, _| {
        Response::new(200, "application/json", r#"{"status":"success","data":[]}"#)
    });
    let pg = pushgateway.url();
    std::fs::write(
        d.join("p.yml"),
        "scrape_configs:\n- job_name: x\n  static_configs:\n  - targets: [a:1]\n",
    )
    .unwrap();
    // The commands that talk to Prometheus take `--ca-file` and
    // `--insecure`, or `--prometheus-ca-file` and `--prometheus-insecure`
    // where the plain names are the scrape's; the first take both.
    let (full, consulting) = api_commands(&pg);
    let plain: [&[&str]; 2] = [&["--ca-file", "ca.pem"], &["--insecure"]];
    let prefixed: [&[&str]; 2] = [
        &["--prometheus-ca-file", "ca.pem"],
        &["--prometheus-insecure"],
    ];
    let cases = full
        .iter()
        .map(|a| (&a[..], &plain[..]))
        .chain(full.iter().map(|a| (&a[..], &prefixed[..])))
        .chain(consulting.iter().map(|a| (&a[..], &prefixed[..])));
    for (args, tls) in cases {
        let run = |extra: &[&str]| {
            let (code, out, err) =
                outcome(mon(d).args(args).args(["--prometheus", &https]).args(extra));
            assert!(!err.contains("try '--help'"), "{args:?} {extra:?}: {err}");
            (code, format!("{out}{err}"))
        };
        let (code, said) = run(&[]);
        assert_ne!(code, 0, "{args:?}: {said}");
        assert!(
            said.contains("certificate") || said.contains("issuer"),
            "{args:?}: {said}"
        );
        for extra in tls {
            let (_, said) = run(extra);
            assert!(
                said.contains("404"),
                "{args:?} {extra:?} got through the handshake: {said}"
            );
        }
    }
    // PROMETHEUS_CA_FILE does what --prometheus-ca-file does.
    for args in [&full[2], &consulting[0]] {
        let (_, out, err) = outcome(
            mon(d)
                .args(args)
                .args(["--prometheus", &https])
                .env("PROMETHEUS_CA_FILE", "ca.pem"),
        );
        assert!(
            format!("{out}{err}").contains("404"),
            "{args:?}: {out}{err}"
        );
    }
    std::fs::write(d.join("pw"), PASSWORD).unwrap();
    std::fs::write(d.join("token"), "tok-7f3a\n").unwrap();
    let api = TestServer::start(|_, _| Response::new(404, "text/plain", "not found"));
    let every = full.iter().chain(&consulting);
    let basic = format!(
        "Basic {}",
        crate::support::prometheus::base64(&format!("ops:{PASSWORD}"))
    );
    for args in every {
        for (auth, header) in [
            (
                &[
                    "--prometheus-user",
                    "ops",
                    "--prometheus-password-file",
                    "pw",
                ][..],
                basic.as_str(),
            ),
            (
                &["--prometheus-bearer-token-file", "token"],
                "Bearer tok-7f3a",
            ),
        ] {
            api.authorizations.lock().unwrap().clear();
            let (_, out, err) = outcome(
                mon(d)
                    .args(args)
                    .args(["--prometheus", &api.url()])
                    .args(auth),
            );
            assert!(!err.contains("try '--help'"), "{args:?} {auth:?}: {err}");
            let seen = api.authorizations.lock().unwrap().clone();
            assert!(
                !seen.is_empty(),
                "{args:?} {auth:?} asked nothing: {out}{err}"
            );
            assert!(
                seen.iter().all(|h| h == header),
                "{args:?} {auth:?}: {seen:?}"
            );
            assert!(
                !format!("{out}{err}").contains(PASSWORD),
                "{args:?} echoed the password"
            );
        }
    }
}

/// An API that answers only after 5 s, and one whose answer is 64 KiB.
fn late_and_large() -> (
    crate::support::http::TestServer,
    crate::support::http::TestServer,
) {
    use crate::support::http::{Response, TestServer};
    let late = TestServer::start(|_, _| {
        std::thread::sleep(std::time::Duration::from_secs(5));
        Response::new(404, "text/plain", "late")
    });
    let large =
        TestServer::start(|_, _| Response::new(200, "application/json", "x".repeat(64 << 10)));
    (late, large)
}

/// The API client's limits reach the request in every command that talks
/// to Prometheus, under `--prometheus-timeout`, `--prometheus-max-body` and
/// `--prometheus-follow-redirects` everywhere, and under their short names
/// where Prometheus is the only peer: an answer that takes 5 s is given up
/// on at the timeout given, one over the cap is refused naming it, and a
/// redirect to another port is refused unless followed.
#[test]
fn the_api_clients_limits_reach_every_command() {
    use crate::support::http::{Response, TestServer};
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("p.yml"),
        "scrape_configs:\n- job_name: x\n  static_configs:\n  - targets: [a:1]\n",
    )
    .unwrap();
    let pushgateway = TestServer::start(|_, _| {
        Response::new(200, "application/json", r#"{"status":"success","data":[]}"#)
    });
    let pg = pushgateway.url();
    let (slow, big) = late_and_large();
    let landing = TestServer::start(|_, _| Response::new(404, "text/plain", "landed"));
    let to = landing.url();
    let hops = TestServer::start(move |_, path| {
        Response::new(307, "text/plain", "").header("Location", &format!("{to}{path}"))
    });
    let (full, consulting) = api_commands(&pg);
    let names = |short: bool, flag: &str| {
        if short {
            format!("--{flag}")
        } else {
            format!("--prometheus-{flag}")
        }
    };
    let cases = full
        .iter()
        .flat_map(|a| [(a, true), (a, false)])
        .chain(consulting.iter().map(|a| (a, false)));
    for (args, short) in cases {
        let run = |url: &str, extra: &[String]| {
            let (code, out, err) =
                outcome(mon(d).args(args).args(["--prometheus", url]).args(extra));
            assert!(!err.contains("try '--help'"), "{args:?} {extra:?}: {err}");
            (code, format!("{out}{err}"))
        };
        let timeout = [names(short, "timeout"), "300ms".into()];
        let (code, said) = run(&slow.url(), &timeout);
        assert_ne!(code, 0, "{args:?} {timeout:?}: {said}");
        assert!(said.contains("within 0.3s"), "{args:?} {timeout:?}: {said}");
        let cap = [names(short, "max-body"), "1KiB".into()];
        let (code, said) = run(&big.url(), &cap);
        assert_ne!(code, 0, "{args:?} {cap:?}: {said}");
        assert!(
            said.contains("larger than 1024 bytes"),
            "{args:?} {cap:?}: {said}"
        );
        let (_, said) = run(&hops.url(), &[]);
        assert!(said.contains("not followed"), "{args:?}: {said}");
        let follow = [names(short, "follow-redirects")];
        let (_, said) = run(&hops.url(), &follow);
        assert!(
            !said.contains("not followed") && said.contains("404"),
            "{args:?} {follow:?}: {said}"
        );
    }
}

/// The API client's settings come from the environment too
/// (`PROMETHEUS_TIMEOUT`, `PROMETHEUS_MAX_BODY`, `PROMETHEUS_USER` with
/// `PROMETHEUS_PASSWORD_FILE`, `PROMETHEUS_BEARER_TOKEN_FILE`), in a
/// command whose only peer is Prometheus and in one that also scrapes; a
/// flag wins over its variable, and a bad value names the variable.
#[test]
fn the_api_clients_settings_come_from_the_environment_too() {
    use crate::support::http::{Response, TestServer};
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("pw"), PASSWORD).unwrap();
    std::fs::write(d.join("token"), "tok-7f3a\n").unwrap();
    let (slow, big) = late_and_large();
    let api = TestServer::start(|_, _| Response::new(404, "text/plain", "not found"));
    let commands: [&[&str]; 2] = [
        &["query", "up"],
        &["test-pull", "--target", "a=http://127.0.0.1:1/metrics"],
    ];
    for args in commands {
        let run = |url: &str, env: &[(&str, &str)], extra: &[&str]| {
            let mut cmd = mon(d);
            cmd.args(args).args(["--prometheus", url]).args(extra);
            for (k, v) in env {
                cmd.env(k, v);
            }
            let (code, out, err) = outcome(&mut cmd);
            (code, format!("{out}{err}"))
        };
        let (_, said) = run(&slow.url(), &[("PROMETHEUS_TIMEOUT", "300ms")], &[]);
        assert!(said.contains("within 0.3s"), "{args:?}: {said}");
        let (_, said) = run(
            &slow.url(),
            &[("PROMETHEUS_TIMEOUT", "300ms")],
            &["--prometheus-timeout", "400ms"],
        );
        assert!(said.contains("within 0.4s"), "{args:?}: {said}");
        let (_, said) = run(&big.url(), &[("PROMETHEUS_MAX_BODY", "1KiB")], &[]);
        assert!(said.contains("larger than 1024 bytes"), "{args:?}: {said}");
        // A value that does not parse is bad input naming the variable.
        let (code, said) = run(&big.url(), &[("PROMETHEUS_MAX_BODY", "lots")], &[]);
        assert_eq!(code, 2, "{args:?}: {said}");
        assert!(
            said.contains("'lots' for PROMETHEUS_MAX_BODY"),
            "{args:?}: {said}"
        );
        let basic = format!(
            "Basic {}",
            crate::support::prometheus::base64(&format!("ops:{PASSWORD}"))
        );
        for (env, header) in [
            (
                &[
                    ("PROMETHEUS_USER", "ops"),
                    ("PROMETHEUS_PASSWORD_FILE", "pw"),
                ][..],
                basic.as_str(),
            ),
            (
                &[("PROMETHEUS_BEARER_TOKEN_FILE", "token")][..],
                "Bearer tok-7f3a",
            ),
        ] {
            api.authorizations.lock().unwrap().clear();
            let (_, said) = run(&api.url(), env, &[]);
            let seen = api.authorizations.lock().unwrap().clone();
            assert!(!seen.is_empty(), "{args:?} {env:?} asked nothing: {said}");
            assert!(
                seen.iter().all(|h| h == header),
                "{args:?} {env:?}: {seen:?}"
            );
            assert!(!said.contains(PASSWORD), "{args:?} echoed the password");
        }
    }
}
