//! gen-config: golden output per mode, promtool acceptance, Kubernetes
//! structure and relabel simulation, bad input, overwrite protection.

use std::collections::BTreeMap;

use gpucharts_mon::promconfig::PrometheusConfig;
use gpucharts_mon::promconfig::relabel::simulate_target;

use crate::support::{have, mon, names_in, promtool_accepts, stdout_of};

fn generate(args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    stdout_of(mon(dir.path()).arg("gen-config").args(args))
}

fn parse(text: &str) -> PrometheusConfig {
    gpucharts_mon::yaml::from_str(text).expect("output parses back into the model")
}

/// Write the config (and any side files) into a fresh dir holding the files
/// it references (promtool checks they exist) and run promtool.
fn assert_promtool_accepts(args: &[&str], test: &str) {
    if !have("promtool", test) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for referenced in ["alerts.yml", "ca.pem", "scrape-password", "token"] {
        std::fs::write(dir.path().join(referenced), "").unwrap();
    }
    mon(dir.path())
        .arg("gen-config")
        .args(args)
        .args(["-o", "prometheus.yml"])
        .assert()
        .success();
    promtool_accepts("config", &dir.path().join("prometheus.yml"));
}

const MULTI: &[&str] = &[
    "--logger",
    "10.0.0.1:9090",
    "--logger",
    "10.0.0.2:9090",
    "--server",
    "api-1:9091",
    "--server",
    "[::1]:9091",
];

const FULL: &[&str] = &[
    "--environment",
    "staging",
    "--scrape-interval",
    "30s",
    "--evaluation-interval",
    "1m",
    "--scrape-timeout",
    "10s",
    "--external-label",
    "region=eu-west-1",
    "--self-scrape",
    "localhost:9092",
    "--alertmanager",
    "localhost:9093",
    "--rule-file",
    "alerts.yml",
    "--scheme",
    "https",
    "--ca-file",
    "ca.pem",
    "--tls-server-name",
    "metrics.internal",
    "--basic-auth-user",
    "prometheus",
    "--basic-auth-password-file",
    "scrape-password",
];

#[test]
fn default_is_todays_basic_config() {
    let text = generate(&[]);
    insta::assert_snapshot!("static_default", text);
    let cfg = parse(&text);
    assert_eq!(cfg.global.scrape_interval.to_string(), "15s");
    assert_eq!(cfg.global.evaluation_interval.to_string(), "15s");
    let jobs: Vec<_> = cfg
        .scrape_configs
        .iter()
        .map(|j| j.job_name.as_str())
        .collect();
    assert_eq!(jobs, ["gpu-charts-logger", "gpu-charts-server"]);
    for (job, target, instance) in [
        (0, "localhost:9090", "logger-1"),
        (1, "localhost:9091", "server-1"),
    ] {
        let group = &cfg.scrape_configs[job].static_configs[0];
        assert_eq!(group.targets, [target]);
        assert_eq!(group.labels["instance"], instance);
        assert_eq!(group.labels["environment"], "production");
    }
    assert_promtool_accepts(&[], "default_is_todays_basic_config");
}

#[test]
/// One rule for one instance and for many: each is named `<service>-<n>`
/// in the inventory's order, so going from one instance to two keeps the
/// first one's `instance` label.
fn multi_instance_names_each_instance_stably() {
    let text = generate(MULTI);
    insta::assert_snapshot!("static_multi", text);
    let cfg = parse(&text);
    let logger = &cfg.scrape_configs[0].static_configs;
    assert_eq!(logger.len(), 2);
    for (i, (group, addr)) in logger
        .iter()
        .zip(["10.0.0.1:9090", "10.0.0.2:9090"])
        .enumerate()
    {
        assert_eq!(group.targets, [addr]);
        assert_eq!(group.labels["instance"], format!("logger-{}", i + 1));
        assert_eq!(group.labels["environment"], "production");
    }
    let single = parse(&generate(&["--logger", "10.0.0.1:9090"]));
    assert_eq!(
        single.scrape_configs[0].static_configs[0].labels["instance"],
        logger[0].labels["instance"]
    );
    assert_promtool_accepts(MULTI, "multi_instance_names_each_instance_stably");
}

#[test]
fn every_option_together() {
    let text = generate(FULL);
    insta::assert_snapshot!("static_full", text);
    let cfg = parse(&text);
    assert_eq!(cfg.scrape_configs[0].job_name, "prometheus");
    let logger = &cfg.scrape_configs[1];
    assert_eq!(logger.scheme.as_deref(), Some("https"));
    assert_eq!(
        logger.basic_auth.as_ref().unwrap().password_file,
        "scrape-password"
    );
    assert_eq!(cfg.global.external_labels["region"], "eu-west-1");
    assert!(!text.contains("password:"), "secrets only by file");
    assert_promtool_accepts(FULL, "every_option_together");
}

/// Every flag of the full set reaches the config: leaving out any one of
/// them (with its value) changes the output or makes it an error.
#[test]
fn each_flag_of_the_full_set_is_read() {
    let full = generate(FULL);
    let mut groups: Vec<&[&str]> = Vec::new();
    let mut i = 0;
    while i < FULL.len() {
        let takes_value = FULL.get(i + 1).is_some_and(|v| !v.starts_with("--"));
        let n = if takes_value { 2 } else { 1 };
        groups.push(&FULL[i..i + n]);
        i += n;
    }
    assert!(groups.len() >= 12, "{groups:?}");
    for (k, group) in groups.iter().enumerate() {
        let without: Vec<&str> = groups
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != k)
            .flat_map(|(_, g)| g.iter().copied())
            .collect();
        let dir = tempfile::tempdir().unwrap();
        let (code, out, _) =
            crate::support::outcome(mon(dir.path()).arg("gen-config").args(&without));
        assert!(code != 0 || out != full, "{group:?} changes nothing");
    }
}

#[test]
fn bearer_token_by_file() {
    let args = [
        "--bearer-token-file",
        "token",
        "--scheme",
        "https",
        "--insecure-skip-verify",
    ];
    let cfg = parse(&generate(&args));
    let auth = cfg.scrape_configs[0].authorization.as_ref().unwrap();
    assert_eq!(
        (auth.kind.as_str(), auth.credentials_file.as_str()),
        ("Bearer", "token")
    );
    assert!(
        cfg.scrape_configs[0]
            .tls_config
            .as_ref()
            .unwrap()
            .insecure_skip_verify
    );
    assert_promtool_accepts(&args, "bearer_token_by_file");
}

#[test]
fn docker_mode() {
    let args = ["--mode", "docker", "--docker-host", "tcp://127.0.0.1:2375"];
    let text = generate(&args);
    insta::assert_snapshot!("docker", text);
    let cfg = parse(&text);
    let logger = &cfg.scrape_configs[0];
    assert_eq!(logger.docker_sd_configs[0].host, "tcp://127.0.0.1:2375");
    // Docker yields one target per exposed port: only the metrics port survives.
    let container = |service: &str, port: &str| -> BTreeMap<String, String> {
        [
            ("__address__", format!("172.18.0.5:{port}")),
            (
                "__meta_docker_container_label_com_docker_compose_service",
                service.into(),
            ),
            ("__meta_docker_port_private", port.into()),
            ("__meta_docker_container_name", "/stack-logger-1".into()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
    };
    let kept = simulate_target(logger, &container("logger", "9090"))
        .unwrap()
        .unwrap();
    assert_eq!(kept["__address__"], "172.18.0.5:9090");
    assert_eq!(kept["container"], "stack-logger-1");
    assert_eq!(kept["environment"], "production");
    assert!(
        simulate_target(logger, &container("logger", "8080"))
            .unwrap()
            .is_none()
    );
    assert!(
        simulate_target(logger, &container("server", "9090"))
            .unwrap()
            .is_none()
    );
    assert_promtool_accepts(&args, "docker_mode");
}

#[test]
fn file_sd_mode_writes_target_files() {
    let dir = tempfile::tempdir().unwrap();
    mon(dir.path())
        .args([
            "gen-config",
            "--mode",
            "file-sd",
            "--logger",
            "a:9090",
            "--logger",
            "b:9090",
            "-o",
            "prometheus.yml",
        ])
        .assert()
        .success();
    assert_eq!(
        names_in(dir.path()),
        [
            "gpu-charts-logger.json",
            "gpu-charts-server.json",
            "prometheus.yml"
        ]
    );
    let text = std::fs::read_to_string(dir.path().join("prometheus.yml")).unwrap();
    insta::assert_snapshot!("file_sd", text);
    let cfg = parse(&text);
    assert_eq!(
        cfg.scrape_configs[0].file_sd_configs[0].files,
        ["gpu-charts-logger.json"]
    );
    let targets: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("gpu-charts-logger.json")).unwrap())
            .unwrap();
    assert_eq!(targets[0]["targets"], serde_json::json!(["a:9090"]));
    assert_eq!(targets[1]["targets"], serde_json::json!(["b:9090"]));
    assert_eq!(targets[1]["labels"]["instance"], "logger-2");
    assert_eq!(targets[0]["labels"]["environment"], "production");
    if have("promtool", "file_sd_mode_writes_target_files") {
        promtool_accepts("config", &dir.path().join("prometheus.yml"));
    }
}

/// Debian's Prometheus has no Kubernetes discovery, so check the structure
/// field by field and simulate what relabelling does to discovered pods.
#[test]
fn kubernetes_mode_structure_and_relabelling() {
    let args = [
        "--mode",
        "kubernetes",
        "--k8s-namespace",
        "trading",
        "--k8s-namespace",
        "data",
        "--environment",
        "prod",
    ];
    let text = generate(&args);
    insta::assert_snapshot!("kubernetes", text);
    let cfg = parse(&text);
    for (job, port) in [
        (&cfg.scrape_configs[0], 9090),
        (&cfg.scrape_configs[1], 9091),
    ] {
        let sd = &job.kubernetes_sd_configs[0];
        assert_eq!(sd.role, "pod");
        assert_eq!(sd.namespaces.as_ref().unwrap().names, ["trading", "data"]);
        assert!(job.static_configs.is_empty());
        // A container that declares no port: scraped on the service's port.
        let pod = |app: &str, ip: &str| -> BTreeMap<String, String> {
            [
                ("__address__", ip.to_string()),
                ("__meta_kubernetes_pod_label_app", app.into()),
                ("__meta_kubernetes_pod_ip", ip.into()),
                ("__meta_kubernetes_pod_phase", "Running".into()),
                ("__meta_kubernetes_pod_container_name", "main".into()),
                ("__meta_kubernetes_namespace", "trading".into()),
                ("__meta_kubernetes_pod_name", "pod-abc".into()),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect()
        };
        // A declared port that is not the metrics port is not scraped.
        let mut other_port = pod(&job.job_name, "10.1.2.3");
        other_port.insert("__address__".into(), "10.1.2.3:8080".into());
        other_port.insert(
            "__meta_kubernetes_pod_container_port_number".into(),
            "8080".into(),
        );
        assert!(simulate_target(job, &other_port).unwrap().is_none());
        let kept = simulate_target(job, &pod(&job.job_name, "10.1.2.3"))
            .unwrap()
            .unwrap();
        assert_eq!(kept["__address__"], format!("10.1.2.3:{port}"));
        assert_eq!(kept["namespace"], "trading");
        assert_eq!(kept["pod"], "pod-abc");
        assert_eq!(kept["container"], "main");
        assert_eq!(kept["environment"], "prod");
        assert_eq!(kept["job"], job.job_name);
        let v6 = simulate_target(job, &pod(&job.job_name, "fd00::7"))
            .unwrap()
            .unwrap();
        assert_eq!(v6["__address__"], format!("[fd00::7]:{port}"));
        assert!(
            simulate_target(job, &pod("other-app", "10.1.2.4"))
                .unwrap()
                .is_none()
        );
        // anchored like Prometheus: a longer app name does not match
        assert!(
            simulate_target(job, &pod(&format!("{}-canary", job.job_name), "10.1.2.5"))
                .unwrap()
                .is_none()
        );
    }
}

#[test]
fn kubernetes_app_label_is_sanitised_like_discovery() {
    let cfg = parse(&generate(&[
        "--mode",
        "kubernetes",
        "--k8s-app-label",
        "app.kubernetes.io/name",
    ]));
    let keep = &cfg.scrape_configs[0].relabel_configs[0];
    assert_eq!(
        keep.source_labels,
        ["__meta_kubernetes_pod_label_app_kubernetes_io_name"]
    );
    assert!(
        cfg.scrape_configs[0].kubernetes_sd_configs[0]
            .namespaces
            .is_none()
    );
}

#[test]
fn mixed_modes_from_inventory() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("gpucharts-mon.yaml"),
        "services:\n  logger: {discovery: kubernetes}\n  server: {discovery: docker}\n",
    )
    .unwrap();
    let cfg = parse(&stdout_of(mon(dir.path()).arg("gen-config")));
    assert_eq!(cfg.scrape_configs[0].kubernetes_sd_configs.len(), 1);
    assert_eq!(cfg.scrape_configs[1].docker_sd_configs.len(), 1);
}

#[test]
fn clash_between_self_scrape_and_logger_warns() {
    let dir = tempfile::tempdir().unwrap();
    mon(dir.path())
        .args(["gen-config", "--self-scrape", "localhost:9090"])
        .assert()
        .success()
        .stderr(
            predicates::str::contains("warning").and(predicates::str::contains("localhost:9090")),
        );
}

use predicates::prelude::PredicateBooleanExt;

/// Each bad-input class: exit 2, the offending value named, nothing written.
#[test]
fn bad_input_is_exit_2_and_writes_nothing() {
    let cases: &[(&[&str], &str)] = &[
        (&["--logger", "localhost"], "localhost"),
        (&["--logger", "localhost:0"], "out of range"),
        (&["--server", "localhost:70000"], "70000"),
        (&["--server", "::1:9091"], "brackets"),
        (&["--scrape-interval", "15"], "'15'"),
        (&["--scrape-interval", "1.5s"], "1.5s"),
        (&["--scrape-timeout", "30s"], "--scrape-timeout"),
        (
            &["--scrape-interval", "5s", "--scrape-timeout", "6s"],
            "longer than the scrape interval",
        ),
        // Reserved in every version (a UTF-8 name such as `1bad` is valid
        // in 3.x: see matrix::utf8_label_names_follow_the_inventory_version).
        (&["--external-label", "__bad=x"], "__bad"),
        (&["--external-label", "novalue"], "KEY=VALUE"),
        (&["--basic-auth-user", "u"], "--basic-auth-password-file"),
        (&["--basic-auth-password-file", "/p"], "--basic-auth-user"),
        (&["--ca-file", "/ca.pem"], "--scheme https"),
        (
            &[
                "--scheme",
                "https",
                "--basic-auth-user",
                "u",
                "--basic-auth-password-file",
                "/p",
                "--bearer-token-file",
                "/t",
            ],
            "conflict",
        ),
        (&["--mode", "consul"], "consul"),
        (&["--environment", ""], "environment"),
        (&["--scrape-interval", "300y"], "out of range"),
        (&["--mode", "docker", "--docker-host", ""], "Docker host"),
        (
            &["--mode", "docker", "--docker-host", "/var/run/docker.sock"],
            "unix://",
        ),
    ];
    for (args, needle) in cases {
        let dir = tempfile::tempdir().unwrap();
        let out = mon(dir.path())
            .arg("gen-config")
            .args(*args)
            .args(["-o", "prometheus.yml"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains(needle),
            "{args:?}: stderr lacks {needle:?}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{args:?}");
        assert!(
            names_in(dir.path()).is_empty(),
            "{args:?} left files behind"
        );
    }
}

#[test]
fn inventory_errors_name_their_origin() {
    let cases = [
        (
            "services:\n  logger: {job: same}\n  server: {job: same}\n",
            "duplicate job name 'same'",
        ),
        (
            "services:\n  server:\n    docker: {service: \"(\"}\n    discovery: docker\n",
            "does not compile",
        ),
        (
            "services:\n  logger:\n    instances: [\"nohost\"]\n",
            "line 3",
        ),
        (
            "prometheus:\n  scrape_interval: 10s\n  scrape_timeout: 11s\n",
            "prometheus.scrape_timeout",
        ),
        (
            "prometheus:\n  version: 2\n  external_labels: {\"a-b\": x}\n",
            "a-b",
        ),
        (
            "services:\n  logger: {discovery: kubernetes, kubernetes: {app: \"[\"}}\n",
            "kubernetes.app",
        ),
    ];
    for (yaml, needle) in cases {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("inv.yaml"), yaml).unwrap();
        let out = mon(dir.path())
            .args(["-c", "inv.yaml", "gen-config", "-o", "out.yml"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{yaml}: {stderr}");
        assert!(
            stderr.contains(needle),
            "{yaml}: stderr lacks {needle:?}: {stderr}"
        );
        assert_eq!(names_in(dir.path()), ["inv.yaml"]);
    }
}

#[test]
fn overwrite_protection_backup_and_diff() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("prometheus.yml");
    std::fs::write(&out, "old: config\n").unwrap();
    mon(dir.path())
        .args(["gen-config", "-o", "prometheus.yml"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--force"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "old: config\n");

    let diff = stdout_of(mon(dir.path()).args(["gen-config", "-o", "prometheus.yml", "--diff"]));
    assert!(diff.contains("-old: config"), "{diff}");
    assert!(diff.contains("+- job_name: gpu-charts-logger"), "{diff}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "old: config\n");

    mon(dir.path())
        .args(["gen-config", "-o", "prometheus.yml", "--force"])
        .assert()
        .success();
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .contains("gpu-charts-server")
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("prometheus.yml.bak")).unwrap(),
        "old: config\n"
    );
    assert_eq!(
        names_in(dir.path()),
        ["prometheus.yml", "prometheus.yml.bak"]
    );
}

#[test]
fn check_runs_promtool() {
    if !have("promtool", "check_runs_promtool") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    mon(dir.path())
        .args(["gen-config", "--check", "--mode", "file-sd", "-o", "p.yml"])
        .assert()
        .success()
        .stderr(predicates::str::contains("promtool check passed"));
}

#[test]
fn check_without_promtool_says_so() {
    let dir = tempfile::tempdir().unwrap();
    mon(dir.path())
        .env("PATH", "/nonexistent")
        .args(["gen-config", "--check"])
        .assert()
        .success()
        .stderr(predicates::str::contains("promtool is not on PATH"));
}

/// --explain shows what the generated rules do to example targets: the
/// logger job keeps the logger pod only, and the IPv6 server pod's address
/// is bracketed.
#[test]
fn explain_shows_the_rules_at_work() {
    let dir = tempfile::tempdir().unwrap();
    let out = stdout_of(mon(dir.path()).args(["gen-config", "--mode", "kubernetes", "--explain"]));
    assert!(out.contains("job gpu-charts-logger:"), "{out}");
    assert!(
        out.contains("kept   10.1.2.3:9090 -> http://10.1.2.3:9090/metrics"),
        "{out}"
    );
    assert!(
        out.contains("kept   [fd00::5]:9091 -> http://[fd00::5]:9091/metrics"),
        "{out}"
    );
    // The sidecar, the init container, the finished pod and other apps.
    assert!(out.contains("drop   10.1.2.3:15090 by rule 13"), "{out}");
    assert!(out.contains("drop   10.1.2.3:9999 by rule 4"), "{out}");
    assert!(out.contains("drop   10.1.2.6:9090 by rule 3"), "{out}");
    assert!(out.contains("drop   10.1.2.9:6379 by rule 2"), "{out}");
    // A container without ports is scraped on the service's port.
    assert!(
        out.contains("kept   10.1.2.5 -> http://10.1.2.5:9090/metrics"),
        "{out}"
    );
    assert!(
        !out.contains("scrape_configs:"),
        "no config without -o: {out}"
    );
    let out = stdout_of(mon(dir.path()).args(["gen-config", "--mode", "docker", "--explain"]));
    assert!(out.contains("kept   172.18.0.3:9091"), "{out}");
    assert!(out.contains("drop   172.18.0.3:8080"), "{out}");
}
