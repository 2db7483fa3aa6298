//! prometheus-operator resources for the inventory's services: a
//! PodMonitor per service (a ServiceMonitor when scraped through a
//! Service) that selects the same pods and port as gen-config's kubernetes
//! job, a PrometheusRule carrying gen-rules' groups, and the RBAC a
//! Prometheus run without the operator needs for Kubernetes discovery.
//!
//! The operator writes the discovery and its own rules (namespace, pod,
//! container, `job` = `<namespace>/<monitor>`) and then appends a
//! monitor's `relabelings`; the PodMonitor names no port, so the same
//! relabelling as the kubernetes job picks the pod's metrics target, and
//! `job` is set back to the job name the rules and dashboards select on.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::inventory::kubernetes::{K8sRole, Kubernetes};
use crate::inventory::{Inventory, Service};
use crate::promconfig::model::{RelabelConfig, ScrapeConfig};
/// How [`generate`] makes the rules its PrometheusRule holds.
pub(crate) use crate::rules::RuleOptions;

/// What to write besides the inventory.
#[derive(Debug, Clone, Default)]
pub struct OperatorOptions {
    /// ServiceMonitors (scrape through each service's Service).
    pub via_service: bool,
    /// The namespace the resources are created in.
    pub namespace: Option<String>,
    /// Labels on every resource (what the Prometheus resource's
    /// `podMonitorSelector` / `ruleSelector` pick, e.g. `release`).
    pub labels: BTreeMap<String, String>,
    /// ServiceAccount and (Cluster)Role(Binding) for a self-run Prometheus.
    pub rbac: bool,
}

/// A resource set that cannot be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum OperatorError {
    #[error("{0}")]
    Invalid(String),
    #[error("the rules did not give rule groups: {0}")]
    Rules(String),
    #[error(transparent)]
    Generate(#[from] crate::rules::RulesError),
}

message_into_string!(OperatorError);

impl crate::error::Classify for OperatorError {
    /// Both come from what the user gave: the inventory, or --templates.
    fn kind(&self) -> crate::error::Kind {
        crate::error::Kind::Usage
    }
}

/// The ServiceAccount the RBAC binds.
pub(crate) const SERVICE_ACCOUNT: &str = "prometheus";
/// The ClusterRole (or Role) granting discovery's reads.
pub(crate) const ROLE_NAME: &str = "gpucharts-mon-prometheus";

/// The resources, and the rules their PrometheusRule holds (what `--check`
/// gives promtool).
pub struct Resources {
    /// (file name, YAML text) of every resource.
    pub files: Vec<(String, String)>,
    /// gen-rules' file for the inventory, under `rules`' options.
    pub rules: String,
}

/// Every resource of the inventory: the alerting rules made with `rules`'
/// options, then the resources around them (see [`all_resources`]).
pub fn generate(
    inv: &Inventory,
    rules: &crate::rules::RuleOptions,
    opts: &OperatorOptions,
) -> Result<Resources, OperatorError> {
    let generated = crate::rules::generate(inv, &crate::rules::inventory_overrides(inv), rules)?;
    let files = all_resources(inv, &generated.text, opts)?;
    Ok(Resources {
        files,
        rules: generated.text,
    })
}

/// (file name, YAML text) of every resource: one monitor per service, the
/// PrometheusRule with `rules_text` (gen-rules' file), and with `rbac` the
/// RBAC objects. Every service is taken as discovered in Kubernetes, with
/// its inventory's `kubernetes` settings.
fn all_resources(
    inv: &Inventory,
    rules_text: &str,
    opts: &OperatorOptions,
) -> Result<Vec<(String, String)>, OperatorError> {
    let mut inv = inv.clone();
    for role in crate::catalogue::ServiceRole::ALL {
        let svc = inv.service_mut(role);
        svc.discovery = crate::inventory::Discovery::Kubernetes;
        if opts.via_service && svc.kubernetes.role == K8sRole::Pod {
            svc.kubernetes.role = K8sRole::EndpointSlice;
        }
    }
    let config = crate::promconfig::build(&inv)
        .map_err(|e| OperatorError::Invalid(e.to_string()))?
        .config;
    let jobs: Vec<ScrapeConfig> = inv
        .services()
        .iter()
        .filter_map(|s| {
            config
                .scrape_configs
                .iter()
                .find(|j| j.job_name == s.job.value)
                .cloned()
        })
        .collect();
    resources(&inv, &jobs, rules_text, opts)
}

fn resources(
    inv: &Inventory,
    jobs: &[ScrapeConfig],
    rules_text: &str,
    opts: &OperatorOptions,
) -> Result<Vec<(String, String)>, OperatorError> {
    let mut files = Vec::new();
    for (svc, job) in inv.services().into_iter().zip(jobs) {
        let (kind, file) = if opts.via_service {
            (
                "ServiceMonitor",
                format!("servicemonitor-{}.yaml", svc.job.value),
            )
        } else {
            ("PodMonitor", format!("podmonitor-{}.yaml", svc.job.value))
        };
        let spec = if opts.via_service {
            service_monitor(inv, svc, job, opts)?
        } else {
            pod_monitor(inv, svc, job, opts)?
        };
        let object = json!({
            "apiVersion": "monitoring.coreos.com/v1",
            "kind": kind,
            "metadata": metadata(&svc.job.value, opts),
            "spec": spec,
        });
        files.push((file, to_yaml(&[object])?));
    }
    files.push((
        "prometheusrule.yaml".into(),
        prometheus_rule(rules_text, opts)?,
    ));
    if opts.rbac {
        files.push(("rbac.yaml".into(), rbac(inv, opts)?));
    }
    Ok(files)
}

fn metadata(name: &str, opts: &OperatorOptions) -> Value {
    let mut labels = opts.labels.clone();
    labels.insert(
        "app.kubernetes.io/managed-by".into(),
        "gpucharts-mon".into(),
    );
    labels.insert("app.kubernetes.io/part-of".into(), "gpu-charts".into());
    let mut m = json!({"name": name, "labels": labels});
    if let Some(ns) = &opts.namespace {
        m["namespace"] = json!(ns);
    }
    m
}

/// One or more YAML documents.
fn to_yaml(objects: &[Value]) -> Result<String, OperatorError> {
    let mut out = String::from("# Generated by gpucharts-mon gen-operator.\n");
    for (i, o) in objects.iter().enumerate() {
        if i > 0 {
            out.push_str("---\n");
        }
        let text = crate::yaml::to_string(o).map_err(|e| OperatorError::Invalid(e.to_string()))?;
        out.push_str(&text);
        if !text.ends_with('\n') {
            out.push('\n');
        }
    }
    Ok(out)
}

/// Where the monitor looks: the listed namespaces, else every namespace
/// (as the kubernetes job does; a monitor's default is its own).
fn namespace_selector(k: &Kubernetes, opts: &OperatorOptions) -> Option<Value> {
    let mut names = k.namespaces.clone();
    if k.own_namespace {
        names.extend(opts.namespace.clone());
    }
    match (names.is_empty(), k.own_namespace) {
        (true, true) => None,
        (true, false) => Some(json!({"any": true})),
        (false, _) => Some(json!({"matchNames": names})),
    }
}

/// A Kubernetes label selector from the `label_selector` text: `k=v`,
/// `k==v`, `k!=v`, `k` (exists) and `!k` (does not exist), comma-separated.
fn label_selector(svc: &Service) -> Result<Value, OperatorError> {
    let k = &svc.kubernetes;
    if let Some(f) = &k.field_selector {
        return Err(OperatorError::Invalid(format!(
            "services.{}.kubernetes.field_selector {f:?}: monitors have no field selectors (a Prometheus of your own can: gen-config --mode kubernetes)",
            svc.role.name()
        )));
    }
    let mut match_labels = BTreeMap::new();
    let mut expressions = Vec::new();
    for req in k.label_selector.iter().flat_map(|s| s.split(',')) {
        let req = req.trim();
        if req.is_empty() {
            continue;
        }
        if let Some((key, value)) = req.split_once("!=") {
            expressions
                .push(json!({"key": key.trim(), "operator": "NotIn", "values": [value.trim()]}));
        } else if let Some((key, value)) = req.split_once("==").or_else(|| req.split_once('=')) {
            match_labels.insert(key.trim().to_string(), value.trim().to_string());
        } else if let Some(key) = req.strip_prefix('!') {
            expressions.push(json!({"key": key.trim(), "operator": "DoesNotExist"}));
        } else if req.contains(['(', ')', ' ']) {
            return Err(OperatorError::Invalid(format!(
                "services.{}.kubernetes.label_selector: {req:?} is a set-based requirement; write equality requirements (k=v, k!=v, k, !k)",
                svc.role.name()
            )));
        } else {
            expressions.push(json!({"key": req, "operator": "Exists"}));
        }
    }
    let mut selector = json!({});
    if !match_labels.is_empty() {
        selector["matchLabels"] = json!(match_labels);
    }
    if !expressions.is_empty() {
        selector["matchExpressions"] = json!(expressions);
    }
    Ok(selector)
}

/// A relabel rule as the operator's CRDs spell it (camelCase).
fn relabeling(r: &RelabelConfig) -> Value {
    let mut v = json!({});
    if !r.source_labels.is_empty() {
        v["sourceLabels"] = json!(r.source_labels);
    }
    if let Some(s) = &r.separator {
        v["separator"] = json!(s);
    }
    if let Some(re) = &r.regex {
        v["regex"] = json!(re);
    }
    if let Some(t) = &r.target_label {
        v["targetLabel"] = json!(t);
    }
    if let Some(rep) = &r.replacement {
        v["replacement"] = json!(rep);
    }
    if let Some(m) = r.modulus {
        v["modulus"] = json!(m);
    }
    if let Some(a) = r.action {
        v["action"] = json!(a.name());
    }
    v
}

/// The rules after the operator's: the job's own that `keep` takes, then
/// `job` back to the job name.
fn relabelings(job: &ScrapeConfig, keep: impl Fn(&RelabelConfig) -> bool) -> Vec<Value> {
    job.relabel_configs
        .iter()
        .filter(|r| keep(r))
        .map(relabeling)
        .chain(std::iter::once(relabeling(&RelabelConfig::set(
            "job",
            &job.job_name,
        ))))
        .collect()
}

/// A monitor's spec: its selectors and its one endpoint (under `key`),
/// with the inventory's interval, path and scheme.
fn monitor_spec(
    inv: &Inventory,
    svc: &Service,
    opts: &OperatorOptions,
    key: &str,
    mut endpoint: Value,
) -> Result<Value, OperatorError> {
    endpoint["interval"] = json!(inv.prometheus.scrape_interval.value.to_string());
    if let Some(path) = &svc.metrics_path {
        endpoint["path"] = json!(path);
    }
    if inv.scrape.scheme.as_deref() == Some("https") {
        endpoint["scheme"] = json!("https");
    }
    let mut spec = json!({"selector": label_selector(svc)?});
    spec[key] = json!([endpoint]);
    if let Some(ns) = namespace_selector(&svc.kubernetes, opts) {
        spec["namespaceSelector"] = ns;
    }
    Ok(spec)
}

fn pod_monitor(
    inv: &Inventory,
    svc: &Service,
    job: &ScrapeConfig,
    opts: &OperatorOptions,
) -> Result<Value, OperatorError> {
    let k = &svc.kubernetes;
    if k.role != K8sRole::Pod {
        return Err(OperatorError::Invalid(format!(
            "services.{}.kubernetes.role is {}: a PodMonitor discovers pods; use --via-service for a ServiceMonitor",
            svc.role.name(),
            k.role.name()
        )));
    }
    let endpoint = json!({"relabelings": relabelings(job, |_| true)});
    monitor_spec(inv, svc, opts, "podMetricsEndpoints", endpoint)
}

fn service_monitor(
    inv: &Inventory,
    svc: &Service,
    job: &ScrapeConfig,
    opts: &OperatorOptions,
) -> Result<Value, OperatorError> {
    let k = &svc.kubernetes;
    // The operator keeps the Service's endpoints on the named port, or on
    // the pods' target port; the role it discovers with (endpoints or
    // endpointslice) is the Prometheus resource's choice, so only rules
    // over the Service's labels and annotations, common to both, follow.
    let mut endpoint = match &k.port_name {
        Some(name) => json!({"port": name.value}),
        None => json!({"targetPort": svc.port}),
    };
    endpoint["relabelings"] = json!(relabelings(job, |r| {
        r.source_labels.iter().all(|l| {
            l.starts_with("__meta_kubernetes_service_") || l.starts_with("__tmp_gpucharts_app")
        })
    }));
    monitor_spec(inv, svc, opts, "endpoints", endpoint)
}

fn prometheus_rule(rules_text: &str, opts: &OperatorOptions) -> Result<String, OperatorError> {
    let rules: crate::yaml::Value =
        crate::yaml::from_str(rules_text).map_err(|e| OperatorError::Rules(e.to_string()))?;
    let groups = rules
        .get("groups")
        .cloned()
        .ok_or_else(|| OperatorError::Rules("no groups".into()))?;
    let groups: Value =
        serde_json::to_value(groups).map_err(|e| OperatorError::Rules(e.to_string()))?;
    to_yaml(&[json!({
        "apiVersion": "monitoring.coreos.com/v1",
        "kind": "PrometheusRule",
        "metadata": metadata("gpu-charts", opts),
        "spec": {"groups": groups},
    })])
}

/// The reads Kubernetes discovery makes, for the namespaces the services
/// are discovered in: a Role and RoleBinding per namespace when every
/// service lists its namespaces, else a ClusterRole and its binding.
fn rbac(inv: &Inventory, opts: &OperatorOptions) -> Result<String, OperatorError> {
    let sa_namespace = opts
        .namespace
        .clone()
        .unwrap_or_else(|| "monitoring".into());
    let rules = json!([
        {"apiGroups": [""], "resources": ["pods", "services", "endpoints"], "verbs": ["get", "list", "watch"]},
        {"apiGroups": ["discovery.k8s.io"], "resources": ["endpointslices"], "verbs": ["get", "list", "watch"]},
    ]);
    let subject =
        json!([{"kind": "ServiceAccount", "name": SERVICE_ACCOUNT, "namespace": sa_namespace}]);
    let mut objects = vec![json!({
        "apiVersion": "v1",
        "kind": "ServiceAccount",
        "metadata": {"name": SERVICE_ACCOUNT, "namespace": sa_namespace},
    })];
    let k8s: Vec<&Kubernetes> = inv.services().into_iter().map(|s| &s.kubernetes).collect();
    let scoped = k8s.iter().all(|k| !k.namespaces.is_empty());
    if scoped {
        let mut namespaces: Vec<&String> = k8s.iter().flat_map(|k| &k.namespaces).collect();
        namespaces.sort();
        namespaces.dedup();
        for ns in namespaces {
            objects.push(json!({
                "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
                "metadata": {"name": ROLE_NAME, "namespace": ns}, "rules": rules,
            }));
            objects.push(json!({
                "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
                "metadata": {"name": ROLE_NAME, "namespace": ns},
                "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": ROLE_NAME},
                "subjects": subject,
            }));
        }
    } else {
        objects.push(json!({
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
            "metadata": {"name": ROLE_NAME}, "rules": rules,
        }));
        objects.push(json!({
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
            "metadata": {"name": ROLE_NAME},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": ROLE_NAME},
            "subjects": subject,
        }));
    }
    to_yaml(&objects)
}
