//! gen-config's Kubernetes jobs, proven by a real Prometheus 3.5 that
//! discovers a realistic, unseen set of pods through a test Kubernetes API
//! server (tests/support/kubeapi.rs): sidecars, init containers, second
//! ports, finished and pending pods, IPv6, the recommended app label,
//! annotations, other apps. Debian's 2.42 is built without Kubernetes
//! discovery, so 3.x is the reference here.
//!
//! Pod IPs are on loopback (127.0.1.0/24 and ::1): the one scrape each
//! target gets goes nowhere else.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::http::get;
use crate::support::kubeapi::KubeApi;
use crate::support::prometheus::{Prometheus, Version};
use crate::support::{mon, outcome};

fn port(name: &str, number: u16) -> Value {
    json!({"name": name, "containerPort": number, "protocol": "TCP"})
}

struct Pod {
    namespace: &'static str,
    name: &'static str,
    ip: Option<&'static str>,
    phase: &'static str,
    labels: Value,
    annotations: Value,
    /// (container name, ports)
    containers: Vec<(&'static str, Vec<Value>)>,
    init: Vec<(&'static str, Vec<Value>)>,
}

impl Pod {
    fn running(namespace: &'static str, name: &'static str, ip: &'static str, app: &str) -> Self {
        Self {
            namespace,
            name,
            ip: Some(ip),
            phase: "Running",
            labels: json!({"app": app, "pod-template-hash": "6d4cf56db6"}),
            annotations: json!({}),
            containers: Vec::new(),
            init: Vec::new(),
        }
    }

    fn json(&self) -> Value {
        let containers = |list: &[(&str, Vec<Value>)]| -> Vec<Value> {
            list.iter()
                .map(|(name, ports)| {
                    let mut c =
                        json!({"name": name, "image": format!("registry.local/{name}:1.4")});
                    if !ports.is_empty() {
                        c["ports"] = json!(ports);
                    }
                    c
                })
                .collect()
        };
        let mut status = json!({
            "phase": self.phase,
            "hostIP": "127.0.2.1",
            "conditions": [{"type": "Ready", "status": if self.phase == "Running" {"True"} else {"False"}}],
        });
        if let Some(ip) = self.ip {
            status["podIP"] = json!(ip);
            status["podIPs"] = json!([{"ip": ip}]);
        }
        json!({
            "metadata": {
                "name": self.name,
                "namespace": self.namespace,
                "uid": format!("uid-{}", self.name),
                "resourceVersion": "1000",
                "labels": self.labels,
                "annotations": self.annotations,
                "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet",
                    "name": format!("{}-rs", self.namespace), "uid": "rs", "controller": true}],
            },
            "spec": {
                "nodeName": "node-1",
                "containers": containers(&self.containers),
                "initContainers": containers(&self.init),
            },
            "status": status,
        })
    }
}

/// The cluster: what a namespace of GPU Charts looks like in practice.
fn pods() -> Vec<Pod> {
    let mut pods = Vec::new();
    // A logger with an Envoy sidecar (its own metrics port) and an init
    // container that declares a port.
    let mut p = Pod::running("gpu", "logger-0", "127.0.1.5", "gpu-charts-logger");
    p.containers = vec![
        ("logger", vec![port("metrics", 9090)]),
        ("envoy", vec![port("http-envoy-prom", 15090)]),
    ];
    p.init = vec![("migrate", vec![port("debug", 9999)])];
    pods.push(p);
    // Labelled only with the recommended key; its container declares no port.
    let mut p = Pod::running("gpu", "logger-1", "127.0.1.6", "");
    p.labels = json!({"app.kubernetes.io/name": "gpu-charts-logger"});
    p.containers = vec![("logger", vec![])];
    pods.push(p);
    // IPv6 (single-stack) pod.
    // IPv6, and scraped by every shard of a sharded Prometheus.
    let mut p = Pod::running("gpu", "logger-2", "::1", "gpu-charts-logger");
    p.annotations = json!({"gpucharts-mon/every-shard": "true"});
    p.containers = vec![
        ("logger", vec![port("metrics", 9090)]),
        ("envoy", vec![port("http-envoy-prom", 15090)]),
    ];
    pods.push(p);
    // Finished: a completed job's pod keeps its IP and labels.
    let mut p = Pod::running("gpu", "logger-done", "127.0.1.7", "gpu-charts-logger");
    p.phase = "Succeeded";
    p.containers = vec![("logger", vec![port("metrics", 9090)])];
    pods.push(p);
    // Pending: no IP yet.
    let mut p = Pod::running("gpu", "logger-pending", "", "gpu-charts-logger");
    p.ip = None;
    p.phase = "Pending";
    p.containers = vec![("logger", vec![port("metrics", 9090)])];
    pods.push(p);
    // Opted out by annotation.
    let mut p = Pod::running("gpu", "logger-canary", "127.0.1.8", "gpu-charts-logger");
    p.annotations = json!({"prometheus.io/scrape": "false"});
    p.containers = vec![("logger", vec![port("metrics", 9090)])];
    pods.push(p);
    // The server: an application port and the metrics port.
    let mut p = Pod::running("api", "server-0", "127.0.1.10", "gpu-charts-server");
    p.containers = vec![("server", vec![port("http", 8080), port("metrics", 9091)])];
    pods.push(p);
    // A server whose metrics moved: annotations for port and path.
    let mut p = Pod::running("api", "server-1", "127.0.1.11", "gpu-charts-server");
    p.annotations =
        json!({"prometheus.io/port": "9191", "prometheus.io/path": "/internal/metrics"});
    p.containers = vec![("server", vec![port("http", 8080), port("metrics", 9091)])];
    pods.push(p);
    // Another app, on a GPU Charts port.
    let mut p = Pod::running("db", "postgres-0", "127.0.1.20", "postgres");
    p.containers = vec![
        ("postgres", vec![port("pg", 5432)]),
        ("exporter", vec![port("metrics", 9090)]),
    ];
    pods.push(p);
    pods
}

/// The Service in front of the servers and its EndpointSlice.
fn service_objects() -> Vec<(&'static str, Value)> {
    let service = json!({
        "metadata": {"name": "gpu-charts-server", "namespace": "api", "uid": "svc-uid",
            "resourceVersion": "1000", "labels": {"app.kubernetes.io/name": "gpu-charts-server"}},
        "spec": {"type": "ClusterIP", "clusterIP": "127.0.3.1",
            "ports": [{"name": "http", "port": 80, "targetPort": 8080, "protocol": "TCP"},
                      {"name": "metrics", "port": 9091, "targetPort": 9091, "protocol": "TCP"}]},
    });
    let endpoint = |pod: &str, ip: &str| {
        json!({"addresses": [ip], "conditions": {"ready": true, "serving": true, "terminating": false},
               "nodeName": "node-1",
               "targetRef": {"kind": "Pod", "namespace": "api", "name": pod, "uid": format!("uid-{pod}")}})
    };
    let slice = json!({
        "metadata": {"name": "gpu-charts-server-abcde", "namespace": "api", "uid": "slice-uid",
            "resourceVersion": "1000",
            "labels": {"kubernetes.io/service-name": "gpu-charts-server",
                       "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io"}},
        "addressType": "IPv4",
        "endpoints": [endpoint("server-0", "127.0.1.10"), endpoint("server-1", "127.0.1.11")],
        "ports": [{"name": "http", "port": 8080, "protocol": "TCP"},
                  {"name": "metrics", "port": 9091, "protocol": "TCP"}],
    });
    let address = |pod: &str, ip: &str| {
        json!({"ip": ip, "nodeName": "node-1",
               "targetRef": {"kind": "Pod", "namespace": "api", "name": pod, "uid": format!("uid-{pod}")}})
    };
    let endpoints = json!({
        "metadata": {"name": "gpu-charts-server", "namespace": "api", "uid": "ep-uid",
            "resourceVersion": "1000", "labels": {"app.kubernetes.io/name": "gpu-charts-server"}},
        "subsets": [{
            "addresses": [address("server-0", "127.0.1.10"), address("server-1", "127.0.1.11")],
            "ports": [{"name": "http", "port": 8080, "protocol": "TCP"},
                      {"name": "metrics", "port": 9091, "protocol": "TCP"}],
        }],
    });
    vec![
        ("services", service),
        ("endpointslices", slice),
        ("endpoints", endpoints),
    ]
}

fn cluster(with_services: bool, token: Option<&str>) -> KubeApi {
    let mut objects: Vec<(&'static str, Value)> =
        pods().iter().map(|p| ("pods", p.json())).collect();
    if with_services {
        objects.extend(service_objects());
    }
    KubeApi::start(objects, token)
}

/// gen-config's config for `args`, written in `dir`.
fn generate(dir: &Path, args: &[&str]) -> String {
    let (code, _, err) = outcome(
        mon(dir)
            .args(["gen-config", "--mode", "kubernetes", "-o", "prometheus.yml"])
            .args(["--force", "--scrape-interval", "1h"])
            .args(args),
    );
    assert_eq!(code, 0, "gen-config: {err}");
    std::fs::read_to_string(dir.join("prometheus.yml")).unwrap()
}

/// The targets answer once every job in `jobs` has active targets and the
/// discovery has settled (two equal answers in a row).
fn settled_targets(prom: &Prometheus, jobs: &[&str]) -> Value {
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut last = None;
    loop {
        let (_, body) = get(&format!("{}/api/v1/targets?state=any", prom.url)).unwrap();
        let v: Value = serde_json::from_slice(&body).unwrap();
        let pools: BTreeSet<&str> = v["data"]["activeTargets"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|t| t["scrapePool"].as_str())
            .collect();
        let ready = jobs.iter().all(|j| pools.contains(j));
        let shown = active(&v);
        if ready && last.as_ref() == Some(&shown) {
            return v;
        }
        last = ready.then_some(shown);
        assert!(
            Instant::now() < deadline,
            "discovery did not settle: {v}\n{}",
            prom.log()
        );
        std::thread::sleep(Duration::from_millis(500));
    }
}

/// (job, address, namespace, pod, container) of every active target.
fn active(v: &Value) -> BTreeSet<(String, String, String, String, String)> {
    v["data"]["activeTargets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            let l = &t["labels"];
            let s = |k: &str| l[k].as_str().unwrap_or_default().to_string();
            (
                s("job"),
                s("instance"),
                s("namespace"),
                s("pod"),
                s("container"),
            )
        })
        .collect()
}

fn expect(
    rows: &[(&str, &str, &str, &str, &str)],
) -> BTreeSet<(String, String, String, String, String)> {
    rows.iter()
        .map(|(j, a, n, p, c)| {
            (
                j.to_string(),
                a.to_string(),
                n.to_string(),
                p.to_string(),
                c.to_string(),
            )
        })
        .collect()
}

/// `relabel` over the label sets Prometheus discovered keeps exactly the
/// targets Prometheus keeps, for each job.
fn relabel_agrees(dir: &Path, answer: &Value, jobs: &[&str]) {
    std::fs::write(dir.join("answer.json"), answer.to_string()).unwrap();
    for job in jobs {
        let (code, out, err) = outcome(mon(dir).args([
            "relabel",
            "--config-file",
            "prometheus.yml",
            "--job",
            job,
            "--targets",
            "answer.json",
            "--prometheus-version",
            "3",
            "--output-format",
            "json",
        ]));
        assert!(code <= 1, "relabel {job}: {err}");
        let v: Value = serde_json::from_str(&out).unwrap();
        let ours: BTreeSet<String> = v["targets"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t["kept"] == true)
            .map(|t| t["labels"]["instance"].as_str().unwrap().to_string())
            .collect();
        let theirs: BTreeSet<String> = answer["data"]["activeTargets"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t["scrapePool"] == *job)
            .map(|t| t["labels"]["instance"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(
            ours, theirs,
            "{job}: relabel and Prometheus 3 disagree: {v}"
        );
    }
}

fn start(config: &str, test: &str) -> Option<Prometheus> {
    Prometheus::start_version(Version::Three, config, false, &[], test)
}

/// Role pod: one target per intended pod on its metrics port, none for the
/// sidecar, the init container, the second port, the finished, pending,
/// opted-out or other-app pods; the port and path annotations honoured.
#[test]
fn pod_role_scrapes_exactly_one_target_per_intended_pod() {
    let api = cluster(false, Some("k8s-token"));
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("token"), "k8s-token\n").unwrap();
    let token = d.join("token");
    let config = generate(
        d,
        &[
            "--k8s-api-server",
            &api.url(),
            "--k8s-bearer-token-file",
            token.to_str().unwrap(),
        ],
    );
    let Some(prom) = start(&config, "kubernetes::pod_role") else {
        return;
    };
    let (logger, server) = ("gpu-charts-logger", "gpu-charts-server");
    let answer = settled_targets(&prom, &[logger, server]);
    assert_eq!(
        active(&answer),
        expect(&[
            (logger, "127.0.1.5:9090", "gpu", "logger-0", "logger"),
            (logger, "127.0.1.6:9090", "gpu", "logger-1", "logger"),
            (logger, "[::1]:9090", "gpu", "logger-2", "logger"),
            (server, "127.0.1.10:9091", "api", "server-0", "server"),
            (server, "127.0.1.11:9191", "api", "server-1", "server"),
        ]),
        "{answer}"
    );
    let url_of = |pod: &str| {
        answer["data"]["activeTargets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["labels"]["pod"] == pod)
            .map(|t| t["scrapeUrl"].as_str().unwrap().to_string())
            .unwrap()
    };
    assert_eq!(
        url_of("server-1"),
        "http://127.0.1.11:9191/internal/metrics"
    );
    assert_eq!(url_of("server-0"), "http://127.0.1.10:9091/metrics");
    relabel_agrees(d, &answer, &[logger, server]);
    // shard-plan counts these targets, not the pods' ports: four split
    // over two shards, the every-shard pod in both.
    let (code, out, err) = outcome(mon(d).args([
        "shard-plan",
        "--shards",
        "2",
        "--targets",
        "answer.json",
        "--config-file",
        "prometheus.yml",
        "--output-format",
        "json",
    ]));
    assert_eq!(code, 0, "{err}");
    let plan: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(plan["targets"].as_array().unwrap().len(), 5, "{plan}");
    let per_shard: Vec<u64> = plan["per_shard"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_u64().unwrap())
        .collect();
    assert_eq!(per_shard.iter().sum::<u64>(), 6, "{plan}");
    let every: Vec<&Value> = plan["targets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["every_shard"] == true)
        .collect();
    assert_eq!(every.len(), 1, "{plan}");
    assert_eq!(every[0]["address"], "[::1]:9090");
    // The bearer token file reached the API server (it answers 401 without).
    assert!(
        api.requests().iter().any(|r| r.contains("/api/v1/pods")),
        "{:?}",
        api.requests()
    );
}

/// Namespaces, a port by name, one app label key, annotations off, and a
/// label selector: each reaches Prometheus' discovery and changes what is
/// scraped.
#[test]
fn pod_role_settings_reach_discovery() {
    let api = cluster(false, None);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let config = generate(
        d,
        &[
            "--k8s-api-server",
            &api.url(),
            "--k8s-namespace",
            "api",
            "--k8s-port-name",
            "metrics",
            "--k8s-app-label",
            "app",
            "--k8s-no-annotations",
            "--k8s-label-selector",
            "pod-template-hash=6d4cf56db6",
        ],
    );
    let Some(prom) = start(&config, "kubernetes::settings") else {
        return;
    };
    let server = "gpu-charts-server";
    let answer = settled_targets(&prom, &[server]);
    // Without annotations server-1 is scraped on its declared port and path.
    assert_eq!(
        active(&answer),
        expect(&[
            (server, "127.0.1.10:9091", "api", "server-0", "server"),
            (server, "127.0.1.11:9091", "api", "server-1", "server"),
        ]),
        "{answer}"
    );
    let asked = api.requests();
    assert!(
        asked
            .iter()
            .any(|r| r.contains("/api/v1/namespaces/api/pods")
                && r.contains("labelSelector=pod-template-hash%3D6d4cf56db6")),
        "{asked:?}"
    );
    assert!(
        !asked.iter().any(|r| r.contains("/namespaces/gpu/")),
        "{asked:?}"
    );
    relabel_agrees(d, &answer, &[server]);
}

/// Roles endpointslice and endpoints: the Service's endpoints on the
/// metrics port, with the `service` label; the extra targets for the pods'
/// other ports and the Service's other port are dropped.
#[test]
fn endpoints_roles_scrape_the_services_metrics_port() {
    let api = cluster(true, None);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for role in ["endpointslice", "endpoints"] {
        let config = generate(d, &["--k8s-api-server", &api.url(), "--k8s-role", role]);
        let Some(prom) = start(&config, "kubernetes::endpoints_roles") else {
            return;
        };
        let server = "gpu-charts-server";
        let answer = settled_targets(&prom, &[server]);
        assert_eq!(
            active(&answer),
            expect(&[
                (server, "127.0.1.10:9091", "api", "server-0", "server"),
                (server, "127.0.1.11:9091", "api", "server-1", "server"),
            ]),
            "{role}: {answer}"
        );
        for t in answer["data"]["activeTargets"].as_array().unwrap() {
            assert_eq!(t["labels"]["service"], "gpu-charts-server", "{role}: {t}");
        }
        relabel_agrees(d, &answer, &[server]);
    }
}

/// The remaining `--k8s-*` flags, each with a non-default value, land in
/// the config as Prometheus spells them, and Prometheus 3's promtool
/// accepts the result; what Prometheus would refuse is refused first.
#[test]
fn every_k8s_flag_reaches_the_config() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let text = generate(
        d,
        &[
            "--k8s-role",
            "endpoints",
            "--k8s-namespace",
            "gpu",
            "--k8s-field-selector",
            "metadata.name=gpu-charts-server",
            "--k8s-api-server",
            "https://127.0.0.1:6443",
            "--k8s-ca-file",
            "/etc/k8s/ca.pem",
            "--k8s-cert-file",
            "/etc/k8s/client.pem",
            "--k8s-key-file",
            "/etc/k8s/client-key.pem",
            "--k8s-insecure-skip-verify",
        ],
    );
    let cfg: Value = serde_json::to_value(
        gpucharts_mon::yaml::from_str::<gpucharts_mon::promconfig::PrometheusConfig>(&text)
            .unwrap(),
    )
    .unwrap();
    let sd = &cfg["scrape_configs"][1]["kubernetes_sd_configs"][0];
    assert_eq!(sd["role"], "endpoints", "{sd}");
    assert_eq!(sd["namespaces"], json!({"names": ["gpu"]}));
    assert_eq!(
        sd["selectors"],
        json!([{"role": "endpoints", "field": "metadata.name=gpu-charts-server"}])
    );
    assert_eq!(sd["api_server"], "https://127.0.0.1:6443");
    assert_eq!(
        sd["tls_config"],
        json!({"ca_file": "/etc/k8s/ca.pem", "cert_file": "/etc/k8s/client.pem",
               "key_file": "/etc/k8s/client-key.pem", "insecure_skip_verify": true})
    );
    // The endpoints role selects by the Service's labels and keeps the
    // endpoints on the metrics port.
    let rules = cfg["scrape_configs"][1]["relabel_configs"].to_string();
    assert!(
        rules.contains("__meta_kubernetes_service_label_app_kubernetes_io_name"),
        "{rules}"
    );
    assert!(rules.contains(r#""regex":".*:9091""#), "{rules}");
    if let Some(promtool) = Version::Three.tool("promtool", "kubernetes::every_flag") {
        let out = std::process::Command::new(promtool)
            .args(["check", "config", "--syntax-only"])
            .arg(d.join("prometheus.yml"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
    }

    // A kubeconfig file, and a container for the pods' portless case.
    let text = generate(
        d,
        &[
            "--k8s-kubeconfig-file",
            "/etc/prometheus/kubeconfig",
            "--k8s-container",
            "logger|server",
        ],
    );
    assert!(
        text.contains("kubeconfig_file: /etc/prometheus/kubeconfig"),
        "{text}"
    );
    assert!(text.contains("regex: logger|server"), "{text}");
    // In the cluster: its own namespace.
    let text = generate(d, &["--k8s-own-namespace"]);
    assert!(text.contains("own_namespace: true"), "{text}");

    // What Prometheus or the API server would refuse: exit 2, one line.
    for (args, says) in [
        (
            &["--k8s-kubeconfig-file", "k", "--k8s-bearer-token-file", "t"][..],
            "kubeconfig_file carries its own credentials",
        ),
        (
            &["--k8s-port-name", "Metrics_Port"][..],
            "is not a Kubernetes port name",
        ),
        (
            &["--k8s-role", "endpointslice", "--k8s-container", "x"][..],
            "a container applies to role pod",
        ),
        (
            &["--k8s-api-server", "ftp://h"][..],
            "is not an http(s) URL",
        ),
        (
            &["--k8s-api-server", "http://h", "--k8s-own-namespace"][..],
            "own_namespace is the namespace of an in-cluster Prometheus",
        ),
        (&["--k8s-container", "(unclosed"][..], "--k8s-container"),
    ] {
        let (code, _, err) = outcome(
            mon(d)
                .args(["gen-config", "--mode", "kubernetes", "-o", "bad.yml"])
                .args(args),
        );
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(!d.join("bad.yml").exists());
    }
}

/// The inventory's `kubernetes` keys: the old `app_label` is one key of
/// `app_labels`, and giving both is refused.
#[test]
fn inventory_kubernetes_keys() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("gpucharts-mon.yaml"),
        "services:\n  logger:\n    discovery: kubernetes\n    kubernetes:\n      app_label: component\n      port_name: metrics\n      annotations: false\n      label_selector: tier=feeds\n      api_server: http://127.0.0.1:6443\n      bearer_token_file: /var/run/token\n",
    )
    .unwrap();
    let (code, _, err) = outcome(mon(d).args(["gen-config", "-o", "p.yml"]));
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(d.join("p.yml")).unwrap();
    for want in [
        "__meta_kubernetes_pod_label_component",
        "metrics;([0-9]+)",
        "label: tier=feeds",
        "api_server: http://127.0.0.1:6443",
        "credentials_file: /var/run/token",
    ] {
        assert!(text.contains(want), "{want}: {text}");
    }
    assert!(!text.contains("prometheus_io"), "annotations off: {text}");
    std::fs::write(
        d.join("gpucharts-mon.yaml"),
        "services:\n  logger:\n    kubernetes:\n      app_label: a\n      app_labels: [b]\n",
    )
    .unwrap();
    let (code, _, err) = outcome(mon(d).args(["gen-config", "-o", "p.yml"]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("duplicate field"), "{err}");
}
