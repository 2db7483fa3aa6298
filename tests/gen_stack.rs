//! gen-stack: every file passes its real checker (promtool config, rules and
//! rule tests; amtool; the compose file against the Compose Specification's
//! JSON schema), the files agree with each other (what is mounted exists,
//! lands where its image reads it, and names what the others serve), and the
//! generator's writing rules hold for the whole folder.

use std::path::Path;
use std::process::Command;

use crate::support::{have, mon, outcome};

fn yaml(path: &Path) -> gpucharts_mon::yaml::Value {
    gpucharts_mon::yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn run_ok(dir: &Path, program: &str, args: &[&str]) {
    let out = Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{program} {args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The Compose Specification schema, from ../shared (never copied here).
fn compose_schema() -> Option<std::path::PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/schemas/compose-spec.json");
    p.exists().then_some(p)
}

#[test]
fn stack_files_pass_their_checkers_and_agree() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("inv.yaml"),
        "services:\n  logger: {port: 9190}\n  server: {port: 9191, job: api}\nalertmanager:\n  receivers:\n    - {name: team, webhook_url: 'http://hooks.internal:8080/alerts'}\n",
    )
    .unwrap();
    let (code, _, err) = outcome(mon(d).args([
        "-c",
        "inv.yaml",
        "gen-stack",
        "-o",
        "stack",
        "--runbook-url",
        "https://wiki.example.org/runbooks",
        "--check",
    ]));
    assert_eq!(code, 0, "{err}");
    let s = d.join("stack");
    let mut names: Vec<String> = walk(&s);
    names.sort();
    assert_eq!(
        names,
        [
            "alertmanager.yml",
            "dashboards/dashboards.yml",
            "dashboards/gpu-charts-logger.json",
            "dashboards/gpu-charts-overview.json",
            "dashboards/gpu-charts-server.json",
            "docker-compose.yml",
            "grafana-datasource.yml",
            "prometheus.yml",
            "rules.test.yml",
            "rules.yml",
        ]
    );

    // The real checkers.
    if have("promtool", "gen_stack::checkers") {
        run_ok(&s, "promtool", &["check", "config", "prometheus.yml"]);
        run_ok(&s, "promtool", &["test", "rules", "rules.test.yml"]);
    }
    if have("amtool", "gen_stack::checkers") {
        run_ok(&s, "amtool", &["check-config", "alertmanager.yml"]);
    }
    match compose_schema() {
        Some(schema) if have("python3", "gen_stack::compose_schema") => {
            let script = "import json,sys,yaml,jsonschema\n\
                 jsonschema.validate(yaml.safe_load(open(sys.argv[2])), json.load(open(sys.argv[1])))\n";
            run_ok(
                &s,
                "python3",
                &["-c", script, schema.to_str().unwrap(), "docker-compose.yml"],
            );
        }
        _ => crate::support::skip(
            "gen_stack::compose_schema: ../shared/schemas/compose-spec.json or python3 missing",
        ),
    }

    // The files agree with each other.
    let compose = yaml(&s.join("docker-compose.yml"));
    let services = &compose["services"];
    for name in ["logger", "server", "prometheus", "alertmanager", "grafana"] {
        assert!(services[name].is_mapping(), "no {name} service");
    }
    // Every bind-mounted file exists in the stack; named volumes are declared.
    let mut targets = std::collections::BTreeMap::new();
    for (name, svc) in services.as_mapping().unwrap() {
        for v in svc["volumes"].as_sequence().into_iter().flatten() {
            let spec = v.as_str().unwrap();
            let mut parts = spec.split(':');
            let (src, dst) = (parts.next().unwrap(), parts.next().unwrap());
            if let Some(rel) = src.strip_prefix("./") {
                assert!(s.join(rel).exists(), "{spec} mounts a missing {rel}");
                targets.insert(
                    rel.to_string(),
                    (name.as_str().unwrap().to_string(), dst.to_string()),
                );
            } else {
                assert!(
                    compose["volumes"][src].is_mapping(),
                    "{spec}: undeclared volume"
                );
            }
        }
    }
    let at = |rel: &str| targets.get(rel).cloned().unwrap_or_default();
    assert_eq!(
        at("prometheus.yml"),
        ("prometheus".into(), "/etc/prometheus/prometheus.yml".into())
    );
    assert_eq!(
        at("alertmanager.yml"),
        (
            "alertmanager".into(),
            "/etc/alertmanager/alertmanager.yml".into()
        )
    );
    assert_eq!(at("dashboards").0, "grafana");
    assert!(
        at("grafana-datasource.yml")
            .1
            .starts_with("/etc/grafana/provisioning/datasources/")
    );
    assert!(
        at("dashboards/dashboards.yml")
            .1
            .starts_with("/etc/grafana/provisioning/dashboards/")
    );
    // Prometheus loads the mounted rules by a path beside its config.
    let prom = yaml(&s.join("prometheus.yml"));
    let rule_file = prom["rule_files"][0].as_str().unwrap();
    assert_eq!(
        Path::new("/etc/prometheus")
            .join(rule_file)
            .to_str()
            .unwrap(),
        at("rules.yml").1
    );
    // It alerts the compose Alertmanager and scrapes the compose services on
    // the ports they are told to serve (METRICS_PORT).
    let am_target = prom["alerting"]["alertmanagers"][0]["static_configs"][0]["targets"][0]
        .as_str()
        .unwrap();
    assert_eq!(am_target, "alertmanager:9093");
    for (job, service) in [("gpu-charts-logger", "logger"), ("api", "server")] {
        let cfg = prom["scrape_configs"]
            .as_sequence()
            .unwrap()
            .iter()
            .find(|j| j["job_name"].as_str() == Some(job))
            .unwrap_or_else(|| panic!("no job {job}"));
        let port = services[service]["environment"]["METRICS_PORT"]
            .as_str()
            .unwrap();
        assert_eq!(
            cfg["static_configs"][0]["targets"][0].as_str().unwrap(),
            format!("{service}:{port}")
        );
    }
    // Grafana reads Prometheus by its service name, and the dashboards from
    // where the folder is mounted.
    let ds = yaml(&s.join("grafana-datasource.yml"));
    assert_eq!(
        ds["datasources"][0]["url"].as_str(),
        Some("http://prometheus:9090")
    );
    let provider = yaml(&s.join("dashboards/dashboards.yml"));
    assert_eq!(
        provider["providers"][0]["options"]["path"]
            .as_str()
            .unwrap(),
        at("dashboards").1
    );
    // The rules carry the runbook links and the inventory's job names.
    let rules = std::fs::read_to_string(s.join("rules.yml")).unwrap();
    assert!(rules.contains("https://wiki.example.org/runbooks#staledata"));
    assert!(rules.contains(r#"absent(up{job=\"api\"})"#), "{rules}");
}

fn walk(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        let name = e.file_name().into_string().unwrap();
        if e.file_type().unwrap().is_dir() {
            out.extend(walk(&e.path()).into_iter().map(|n| format!("{name}/{n}")));
        } else {
            out.push(name);
        }
    }
    out
}

#[test]
fn stack_writing_rules() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    mon(d).args(["gen-stack", "-o", "stack"]).assert().success();
    let before = std::fs::read_to_string(d.join("stack/prometheus.yml")).unwrap();
    // No clobber: refused before any write.
    mon(d)
        .args(["gen-stack", "-o", "stack", "--prometheus-port", "9300"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("exists"));
    assert!(!walk(&d.join("stack")).iter().any(|n| n.ends_with(".bak")));
    // --diff shows the change, writes nothing.
    let (code, out, _) = outcome(mon(d).args([
        "gen-stack",
        "-o",
        "stack",
        "--prometheus-port",
        "9300",
        "--diff",
    ]));
    assert_eq!(code, 0);
    assert!(out.contains("+      - \"9300:9090\""), "{out}");
    // --force replaces, keeping .bak of what changed and of the rest.
    mon(d)
        .args([
            "gen-stack",
            "-o",
            "stack",
            "--prometheus-port",
            "9300",
            "--force",
        ])
        .assert()
        .success();
    assert!(d.join("stack/docker-compose.yml.bak").exists());
    assert!(d.join("stack/dashboards/dashboards.yml.bak").exists());
    assert_eq!(
        before,
        std::fs::read_to_string(d.join("stack/prometheus.yml")).unwrap()
    );
    // A port that clashes, and a missing parent: usage errors, nothing written.
    mon(d)
        .args(["gen-stack", "-o", "other", "--prometheus-port", "9090"])
        .assert()
        .code(2);
    mon(d).args(["gen-stack", "-o", "no/such"]).assert().code(2);
    assert!(!d.join("other").exists() && !d.join("no").exists());
}

/// gen-stack's own flags reach the stack: each one, given a value other
/// than its default, changes what is written or said. (--into and --adopt:
/// tests/coexist.rs; --force and --diff: the writing rules.)
#[test]
fn each_stack_flag_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let tpl = crate::support::template_override(
        d,
        "docker-compose.monitoring-pull.yml.j2",
        "# Pull-based",
        "# Overridden: pull-based",
    );
    let mut runs = 0;
    let mut run = |args: &[&str]| {
        runs += 1;
        crate::support::written_by(d, "gen-stack", &d.join(format!("stack{runs}")), args)
    };
    let baseline = run(&[]);
    for args in [
        &["--check"][..],
        &["--prometheus-port", "9999"],
        &["--runbook-url", "https://runbooks.example/"],
        &["--templates", tpl.to_str().unwrap()],
    ] {
        assert_ne!(run(args), baseline, "{args:?} changed nothing");
    }
}
