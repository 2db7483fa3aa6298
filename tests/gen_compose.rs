//! gen-compose: golden output, structure, Grafana provisioning.

use crate::support::{mon, names_in, stdout_of};

fn yaml(text: &str) -> gpucharts_mon::yaml::Value {
    gpucharts_mon::yaml::from_str(text).unwrap()
}

#[test]
fn default_stack() {
    let dir = tempfile::tempdir().unwrap();
    let text = stdout_of(mon(dir.path()).arg("gen-compose"));
    insta::assert_snapshot!("compose_default", text);
    let doc = yaml(&text);
    let services = doc["services"].as_mapping().unwrap();
    let names: Vec<_> = services.keys().map(|k| k.as_str().unwrap()).collect();
    assert_eq!(names, ["logger", "server", "prometheus"]);
    assert_eq!(doc["services"]["logger"]["ports"][0], "9090:9090");
    assert_eq!(doc["services"]["server"]["ports"][0], "9091:9091");
    assert_eq!(doc["services"]["prometheus"]["ports"][0], "9092:9090");
    assert_eq!(
        doc["services"]["prometheus"]["volumes"][0],
        "./prometheus.yml:/etc/prometheus/prometheus.yml:ro"
    );
    for s in names {
        assert_eq!(doc["services"][s]["networks"][0], "monitoring");
    }
    assert!(doc["networks"]["monitoring"].is_mapping());
}

#[test]
fn grafana_and_alertmanager() {
    let dir = tempfile::tempdir().unwrap();
    mon(dir.path())
        .args([
            "gen-compose",
            "--with-grafana",
            "--with-alertmanager",
            "-o",
            "docker-compose.monitoring-pull.yml",
        ])
        .assert()
        .success();
    assert_eq!(
        names_in(dir.path()),
        [
            "docker-compose.monitoring-pull.yml",
            "grafana-datasource.yml"
        ]
    );
    let text =
        std::fs::read_to_string(dir.path().join("docker-compose.monitoring-pull.yml")).unwrap();
    insta::assert_snapshot!("compose_full", text);
    let doc = yaml(&text);
    assert_eq!(doc["services"]["grafana"]["ports"][0], "3000:3000");
    assert_eq!(doc["services"]["alertmanager"]["ports"][0], "9093:9093");
    assert_eq!(
        doc["services"]["alertmanager"]["volumes"][0],
        "./alertmanager.yml:/etc/alertmanager/alertmanager.yml:ro"
    );
    assert_eq!(
        doc["services"]["alertmanager"]["command"][0],
        "--config.file=/etc/alertmanager/alertmanager.yml"
    );
    assert!(doc["volumes"]["alertmanager-data"].is_mapping());
    let ds = yaml(&std::fs::read_to_string(dir.path().join("grafana-datasource.yml")).unwrap());
    assert_eq!(ds["datasources"][0]["url"], "http://prometheus:9090");
}

#[test]
fn port_clash_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    mon(dir.path())
        .args(["gen-compose", "--prometheus-port", "9090"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("9090"));
}

#[test]
fn templates_dir_overrides_and_bad_template_is_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let tpl = dir.path().join("tpl");
    std::fs::create_dir(&tpl).unwrap();
    std::fs::write(
        tpl.join("docker-compose.monitoring-pull.yml.j2"),
        "services: {prom: {ports: [\"{{ prometheus_port }}:9090\"]}}\n",
    )
    .unwrap();
    let text = stdout_of(mon(dir.path()).args(["gen-compose", "--templates", "tpl"]));
    assert_eq!(text, "services: {prom: {ports: [\"9092:9090\"]}}\n");
    std::fs::write(
        tpl.join("docker-compose.monitoring-pull.yml.j2"),
        "{{ no_such_value }}\n",
    )
    .unwrap();
    mon(dir.path())
        .args(["gen-compose", "--templates", "tpl", "-o", "c.yml"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("template"));
    assert!(!dir.path().join("c.yml").exists());
}

/// --rules mounts the rules beside prometheus.yml; --dashboards mounts a
/// gen-dashboards folder where dashboards.yml points Grafana.
#[test]
fn rules_and_dashboards_are_mounted() {
    let dir = tempfile::tempdir().unwrap();
    let text = stdout_of(mon(dir.path()).args([
        "gen-compose",
        "--with-grafana",
        "--rules",
        "./alerts.yml",
        "--dashboards",
        "./dash/",
    ]));
    let doc = yaml(&text);
    assert_eq!(
        doc["services"]["prometheus"]["volumes"][1],
        "./alerts.yml:/etc/prometheus/alerts.yml:ro"
    );
    let grafana: Vec<&str> = doc["services"]["grafana"]["volumes"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(
        grafana.contains(
            &"./dash/dashboards.yml:/etc/grafana/provisioning/dashboards/gpu-charts.yml:ro"
        )
    );
    assert!(
        grafana
            .contains(&format!("./dash/:{}:ro", gpucharts_mon::dashboards::CONTAINER_DIR).as_str())
    );
    mon(dir.path())
        .args(["gen-compose", "--dashboards", "./dash"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--with-grafana"));
}

/// Every flag gen-compose declares that shapes the file reaches it: each
/// one, given a value other than its default (beside what it needs), makes
/// another compose file. (--output, --force and --diff: tests/writing.rs.)
#[test]
fn each_compose_flag_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("boards")).unwrap();
    let tpl = crate::support::template_override(
        d,
        "docker-compose.monitoring-pull.yml.j2",
        "# Pull-based",
        "# Overridden: pull-based",
    );
    let boards = d.join("boards");
    let (boards, tpl) = (boards.to_str().unwrap(), tpl.to_str().unwrap());
    // Each run in a folder of its own: with Grafana, the datasource file is
    // written beside the compose file.
    let mut runs = 0;
    let mut run = |args: &[&str]| {
        runs += 1;
        let here = d.join(format!("run{runs}"));
        std::fs::create_dir(&here).unwrap();
        stdout_of(mon(&here).arg("gen-compose").args(args))
    };
    for (base, with) in [
        (&[][..], &["--with-grafana"][..]),
        (&[], &["--with-alertmanager"]),
        (&[], &["--prometheus-port", "9999"]),
        (&[], &["--prometheus-config", "./other.yml"]),
        (
            &["--with-alertmanager"],
            &["--with-alertmanager", "--alertmanager-config", "./am.yml"],
        ),
        (&[], &["--rules", "./rules.yml"]),
        (
            &["--with-grafana"],
            &["--with-grafana", "--dashboards", boards],
        ),
        (&[], &["--templates", tpl]),
    ] {
        assert_ne!(run(base), run(with), "{with:?} changed nothing");
    }
}
