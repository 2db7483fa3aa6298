//! gen-operator: every resource validates against the prometheus-operator
//! CRD's `openAPIV3Schema` (../shared/schemas/prometheus-operator, read
//! here, never copied), strictly: a field the schema does not name is an
//! error, as `kubectl apply --validate=strict` makes it. The monitors carry
//! the kubernetes job's relabelling, the PrometheusRule gen-rules' groups
//! (and promtool accepts them), the RBAC discovery's reads.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::{mon, outcome};

fn crd(kind: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!(
        "../shared/schemas/prometheus-operator/monitoring.coreos.com_{kind}.yaml"
    ))
}

/// Validate `file` (YAML, one document) against the CRD's schema with
/// Python's jsonschema, the structural schema made strict.
const VALIDATE: &str = r#"
import json, sys, yaml, jsonschema
crd = yaml.safe_load(open(sys.argv[1]))
schema = crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]
def strict(s):
    if not isinstance(s, dict):
        return s
    s = dict(s)
    # Go's RE2 takes flags anywhere (`^(?i)…`); Python's re only first.
    if "(?i)" in s.get("pattern", ""):
        s["pattern"] = "(?i)" + s["pattern"].replace("(?i)", "")
    if s.pop("x-kubernetes-int-or-string", False):
        s.pop("type", None)
        s["anyOf"] = [{"type": "integer"}, {"type": "string"}]
    for k in ("properties", "patternProperties"):
        if k in s:
            s[k] = {n: strict(v) for n, v in s[k].items()}
    for k in ("items", "additionalProperties", "not"):
        if isinstance(s.get(k), dict):
            s[k] = strict(s[k])
    for k in ("allOf", "anyOf", "oneOf"):
        if k in s:
            s[k] = [strict(v) for v in s[k]]
    if "properties" in s and "additionalProperties" not in s \
            and not s.get("x-kubernetes-preserve-unknown-fields"):
        s["additionalProperties"] = False
    return s
schema = strict(schema)
# metadata is the API server's ObjectMeta: the CRD leaves it open.
for doc in yaml.safe_load_all(open(sys.argv[2])):
    jsonschema.validate(doc, schema)
    assert doc["kind"] == crd["spec"]["names"]["kind"], doc["kind"]
print("valid")
"#;

fn validate(kind: &str, file: &Path) {
    let schema = crd(kind);
    if !schema.is_file() {
        crate::support::skip(&format!("operator: {} is missing", schema.display()));
        return;
    }
    let out = std::process::Command::new("python3")
        .args(["-c", VALIDATE])
        .arg(&schema)
        .arg(file)
        .output();
    match out {
        Ok(out) if out.status.success() => {}
        Ok(out) => panic!(
            "{} does not validate against {kind}: {}",
            file.display(),
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(e) => crate::support::skip(&format!("operator: python3 cannot run: {e}")),
    }
}

fn yaml_docs(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap();
    text.split("\n---\n")
        .map(|doc| {
            let v: gpucharts_mon::yaml::Value = gpucharts_mon::yaml::from_str(doc).unwrap();
            serde_json::to_value(v).unwrap()
        })
        .collect()
}

#[test]
fn pod_monitors_and_rules_validate_and_select_like_the_kubernetes_job() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("gpucharts-mon.yaml"),
        "prometheus:\n  scrape_interval: 30s\nservices:\n  logger:\n    kubernetes:\n      namespaces: [gpu]\n      label_selector: tier=feeds,!canary\n  server:\n    kubernetes:\n      port_name: metrics\n",
    )
    .unwrap();
    let (code, _, err) = outcome(mon(d).args([
        "gen-operator",
        "-o",
        "out",
        "--namespace",
        "monitoring",
        "--label",
        "release=kube-prometheus",
        "--rbac",
        "--check",
    ]));
    assert_eq!(code, 0, "{err}");
    let out = d.join("out");
    assert_eq!(
        crate::support::names_in(&out),
        [
            "podmonitor-gpu-charts-logger.yaml",
            "podmonitor-gpu-charts-server.yaml",
            "prometheusrule.yaml",
            "rbac.yaml"
        ]
    );
    for job in ["gpu-charts-logger", "gpu-charts-server"] {
        let file = out.join(format!("podmonitor-{job}.yaml"));
        validate("podmonitors", &file);
        let pm = &yaml_docs(&file)[0];
        assert_eq!(pm["metadata"]["namespace"], "monitoring");
        assert_eq!(pm["metadata"]["labels"]["release"], "kube-prometheus");
        let ep = &pm["spec"]["podMetricsEndpoints"][0];
        assert_eq!(ep["interval"], "30s");
        // The same relabelling as gen-config's kubernetes job, then the job.
        let (_, config, _) = outcome(mon(d).args(["gen-config", "--mode", "kubernetes"]));
        let config: gpucharts_mon::promconfig::PrometheusConfig =
            gpucharts_mon::yaml::from_str(&config).unwrap();
        let ours = &config
            .scrape_configs
            .iter()
            .find(|j| j.job_name == job)
            .unwrap()
            .relabel_configs;
        let theirs = ep["relabelings"].as_array().unwrap();
        assert_eq!(theirs.len(), ours.len() + 1, "{job}");
        for (r, t) in ours.iter().zip(theirs) {
            assert_eq!(
                t["sourceLabels"].as_array().map(Vec::len).unwrap_or(0),
                r.source_labels.len()
            );
            assert_eq!(t["regex"].as_str(), r.regex.as_deref(), "{job}: {t}");
            assert_eq!(t["targetLabel"].as_str(), r.target_label.as_deref());
        }
        assert_eq!(theirs.last().unwrap()["targetLabel"], "job");
        assert_eq!(theirs.last().unwrap()["replacement"], job);
    }
    let logger = &yaml_docs(&out.join("podmonitor-gpu-charts-logger.yaml"))[0];
    assert_eq!(
        logger["spec"]["namespaceSelector"],
        serde_json::json!({"matchNames": ["gpu"]})
    );
    assert_eq!(
        logger["spec"]["selector"],
        serde_json::json!({"matchLabels": {"tier": "feeds"},
            "matchExpressions": [{"key": "canary", "operator": "DoesNotExist"}]})
    );
    let server = &yaml_docs(&out.join("podmonitor-gpu-charts-server.yaml"))[0];
    assert_eq!(server["spec"]["namespaceSelector"]["any"], true);
    assert!(server.to_string().contains("metrics;([0-9]+)"), "{server}");

    validate("prometheusrules", &out.join("prometheusrule.yaml"));
    let rule = &yaml_docs(&out.join("prometheusrule.yaml"))[0];
    let (_, rules, _) = outcome(mon(d).args(["gen-rules"]));
    let rules: gpucharts_mon::yaml::Value = gpucharts_mon::yaml::from_str(&rules).unwrap();
    assert_eq!(
        rule["spec"]["groups"],
        serde_json::to_value(&rules["groups"]).unwrap()
    );

    // RBAC: the logger is scoped to its namespace, the server is not, so
    // the reads are cluster-wide.
    let rbac = yaml_docs(&out.join("rbac.yaml"));
    let kinds: Vec<&str> = rbac.iter().map(|o| o["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        ["ServiceAccount", "ClusterRole", "ClusterRoleBinding"]
    );
    assert_eq!(rbac[2]["subjects"][0]["namespace"], "monitoring");
    let rules = rbac[1]["rules"].to_string();
    for r in ["pods", "services", "endpoints", "endpointslices", "watch"] {
        assert!(rules.contains(r), "{rules}");
    }
}

#[test]
fn service_monitors_validate_and_rbac_narrows_to_namespaces() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("gpucharts-mon.yaml"),
        "services:\n  logger:\n    kubernetes:\n      namespaces: [gpu]\n      port_name: metrics\n  server:\n    kubernetes:\n      namespaces: [api, gpu]\n",
    )
    .unwrap();
    let (code, _, err) =
        outcome(mon(d).args(["gen-operator", "-o", "out", "--via-service", "--rbac"]));
    assert_eq!(code, 0, "{err}");
    let out = d.join("out");
    for job in ["gpu-charts-logger", "gpu-charts-server"] {
        let file = out.join(format!("servicemonitor-{job}.yaml"));
        validate("servicemonitors", &file);
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(
            text.contains("__meta_kubernetes_service_label_app"),
            "{text}"
        );
        assert!(!text.contains("__meta_kubernetes_pod_"), "{text}");
    }
    let logger = &yaml_docs(&out.join("servicemonitor-gpu-charts-logger.yaml"))[0];
    assert_eq!(logger["spec"]["endpoints"][0]["port"], "metrics");
    let server = &yaml_docs(&out.join("servicemonitor-gpu-charts-server.yaml"))[0];
    assert_eq!(server["spec"]["endpoints"][0]["targetPort"], 9091);
    let rbac = yaml_docs(&out.join("rbac.yaml"));
    let kinds: Vec<(String, String)> = rbac
        .iter()
        .map(|o| {
            (
                o["kind"].as_str().unwrap().to_string(),
                o["metadata"]["namespace"]
                    .as_str()
                    .unwrap_or("")
                    .to_string(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("ServiceAccount", "monitoring"),
            ("Role", "api"),
            ("RoleBinding", "api"),
            ("Role", "gpu"),
            ("RoleBinding", "gpu")
        ]
        .map(|(k, n)| (k.to_string(), n.to_string()))
    );
    // A schema-invalid monitor is never written: field selectors do not exist there.
    std::fs::write(
        d.join("gpucharts-mon.yaml"),
        "services:\n  logger:\n    kubernetes:\n      field_selector: spec.nodeName=n1\n",
    )
    .unwrap();
    let (code, _, err) = outcome(mon(d).args(["gen-operator", "-o", "bad"]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("monitors have no field selectors"), "{err}");
    assert!(!d.join("bad").exists());
}

/// --runbook-url and --templates shape the PrometheusRule as they shape
/// gen-rules; --diff writes nothing.
#[test]
fn rule_flags_reach_the_prometheus_rule() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("tpl")).unwrap();
    std::fs::write(
        d.join("tpl/alert-rules.yml.j2"),
        "groups:\n- name: site-rules\n  rules:\n  - alert: Always\n    expr: vector(1)\n",
    )
    .unwrap();
    let (code, _, err) = outcome(mon(d).args(["gen-operator", "-o", "t", "--templates", "tpl"]));
    assert_eq!(code, 0, "{err}");
    let rule = &yaml_docs(&d.join("t/prometheusrule.yaml"))[0];
    assert_eq!(rule["spec"]["groups"][0]["name"], "site-rules", "{rule}");
    let (code, _, err) = outcome(mon(d).args([
        "gen-operator",
        "-o",
        "r",
        "--runbook-url",
        "https://runbooks.example/gpu",
    ]));
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(d.join("r/prometheusrule.yaml")).unwrap();
    assert!(text.contains("https://runbooks.example/gpu#"), "{text}");
    let (code, out, err) = outcome(mon(d).args(["gen-operator", "-o", "r", "--diff", "--rbac"]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("rbac.yaml"), "{out}");
    assert!(!d.join("r/rbac.yaml").exists());
}

/// Every flag gen-operator declares that shapes the resources reaches
/// them: each one, given a value other than its default, changes what is
/// written or said. (--force and --diff: tests/writing.rs.)
#[test]
fn each_operator_flag_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let tpl = crate::support::template_override(
        d,
        "alert-rules.yml.j2",
        "gpu-charts-availability",
        "gpu-charts-availability-overridden",
    );
    let mut runs = 0;
    let mut run = |args: &[&str]| {
        runs += 1;
        crate::support::written_by(d, "gen-operator", &d.join(format!("out{runs}")), args)
    };
    let baseline = run(&[]);
    for args in [
        &["--via-service"][..],
        &["--namespace", "monitoring"],
        &["--label", "release=kube-prometheus"],
        &["--rbac"],
        &["--check"],
        &["--runbook-url", "https://runbooks.example/"],
        &["--templates", tpl.to_str().unwrap()],
    ] {
        assert_ne!(run(args), baseline, "{args:?} changed nothing");
    }
}
