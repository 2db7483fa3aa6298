//! The Kubernetes job of a service: `kubernetes_sd_configs` and the
//! relabelling that turns what discovery yields into one target per pod.
//!
//! Pod discovery yields one target per declared container port, init
//! containers included, and one portless target per container that
//! declares none, for pods in any phase that have an IP. The rules keep:
//! running pods only; the app's pods, by any of the app label keys;
//! not opted out (`prometheus.io/scrape: "false"`); then, per pod, the
//! target of the metrics port: the container port with the service's
//! number (or the configured name), or a portless container, which is
//! scraped on the service's port. `prometheus.io/port` moves the scrape
//! to another port; `/path` and `/scheme` override the job's.
//!
//! The endpoints roles start from a Service's endpoints: the rules keep
//! the endpoints on the metrics port (by the Service port's name or the
//! target's port number) and drop the extra targets discovery adds for
//! the pods' other container ports.

use super::model::*;
use crate::inventory::kubernetes::{K8sRole, Kubernetes};
use crate::inventory::{Inventory, Service};
use crate::values::escape_regex;

/// The port a target is scraped on (number), while relabelling.
const WANT: &str = "__tmp_gpucharts_port";
/// The port a target offers, set only when it is the pod's metrics target.
const HAVE: &str = "__tmp_gpucharts_offered";
/// Set to `1` when an app label key names the app.
const APP: &str = "__tmp_gpucharts_app";

/// Kubernetes discovers label names with every character outside
/// [a-zA-Z0-9_] replaced by `_` (e.g. app.kubernetes.io/name).
pub(crate) fn sanitize_label(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// The discovery and relabelling of `svc`'s Kubernetes job.
pub fn job(inv: &Inventory, svc: &Service, job: &mut ScrapeConfig) {
    let k = &svc.kubernetes;
    job.kubernetes_sd_configs = vec![sd_config(k)];
    let (object, rules) = match k.role {
        K8sRole::Pod => ("pod", pod_rules(svc)),
        K8sRole::Endpoints => ("service", service_rules(svc, "endpoint")),
        K8sRole::EndpointSlice => ("service", service_rules(svc, "endpointslice")),
    };
    let mut relabel = app_rules(svc, object);
    relabel.extend(rules);
    relabel.push(RelabelConfig::copy(
        "__meta_kubernetes_namespace",
        "namespace",
    ));
    relabel.push(RelabelConfig::copy("__meta_kubernetes_pod_name", "pod"));
    relabel.push(RelabelConfig::copy(
        "__meta_kubernetes_pod_container_name",
        "container",
    ));
    if k.role != K8sRole::Pod {
        relabel.push(RelabelConfig::copy(
            "__meta_kubernetes_service_name",
            "service",
        ));
    }
    relabel.push(RelabelConfig::set("environment", &inv.environment.value));
    job.relabel_configs = relabel;
}

fn sd_config(k: &Kubernetes) -> KubernetesSdConfig {
    let a = &k.api;
    let tls = (a.ca_file.is_some() || a.cert_file.is_some() || a.insecure_skip_verify).then(|| {
        TlsConfig {
            ca_file: a.ca_file.clone(),
            cert_file: a.cert_file.clone(),
            key_file: a.key_file.clone(),
            server_name: None,
            insecure_skip_verify: a.insecure_skip_verify,
        }
    });
    let selector = (k.label_selector.is_some() || k.field_selector.is_some()).then(|| {
        KubernetesSelector {
            // The selectors apply to the objects the role lists.
            role: match k.role {
                K8sRole::Pod => "pod",
                K8sRole::Endpoints => "endpoints",
                K8sRole::EndpointSlice => "endpointslice",
            }
            .into(),
            label: k.label_selector.clone(),
            field: k.field_selector.clone(),
        }
    });
    KubernetesSdConfig {
        role: k.role.name().into(),
        api_server: a.api_server.as_ref().map(|u| u.value.clone()),
        kubeconfig_file: a.kubeconfig_file.clone(),
        namespaces: (k.own_namespace || !k.namespaces.is_empty()).then(|| Namespaces {
            own_namespace: k.own_namespace,
            names: k.namespaces.clone(),
        }),
        selectors: selector.into_iter().collect(),
        tls_config: tls,
        authorization: a.bearer_token_file.clone().map(|f| Authorization {
            kind: "Bearer".into(),
            credentials_file: f,
        }),
    }
}

/// Keep the app's pods (or Services): one app label key names it. With one
/// key a plain `keep`; with several, each that matches marks the target and
/// the mark is kept.
fn app_rules(svc: &Service, object: &str) -> Vec<RelabelConfig> {
    let k = &svc.kubernetes;
    let app = k
        .app
        .as_ref()
        .map_or_else(|| escape_regex(&svc.job.value), |a| a.value.clone());
    let label = |key: &str| format!("__meta_kubernetes_{object}_label_{}", sanitize_label(key));
    if let [key] = k.app_labels.as_slice() {
        return vec![RelabelConfig::keep(&label(key), app)];
    }
    let mut rules: Vec<RelabelConfig> = k
        .app_labels
        .iter()
        .map(|key| RelabelConfig {
            source_labels: vec![label(key)],
            regex: Some(app.clone()),
            target_label: Some(APP.into()),
            replacement: Some("1".into()),
            ..Default::default()
        })
        .collect();
    rules.push(RelabelConfig::keep(APP, "1".into()));
    rules
}

/// The `prometheus.io/*` annotations of `object` (pod or service): drop
/// on `scrape: "false"`, then the path and scheme overrides. The port
/// override is part of the port selection.
fn annotation_rules(object: &str) -> Vec<RelabelConfig> {
    let ann = |name: &str| format!("__meta_kubernetes_{object}_annotation_prometheus_io_{name}");
    vec![
        RelabelConfig {
            source_labels: vec![ann("scrape")],
            regex: Some("false".into()),
            action: Some(RelabelAction::Drop),
            ..Default::default()
        },
        RelabelConfig::extract(&[&ann("path")], "(/.*)", "__metrics_path__", "$1"),
        RelabelConfig::extract(&[&ann("scheme")], "(https?)", "__scheme__", "$1"),
    ]
}

fn pod_rules(svc: &Service) -> Vec<RelabelConfig> {
    let k = &svc.kubernetes;
    let number = "__meta_kubernetes_pod_container_port_number";
    let name = "__meta_kubernetes_pod_container_port_name";
    let port_ann = "__meta_kubernetes_pod_annotation_prometheus_io_port";
    let mut rules = vec![
        RelabelConfig::keep("__meta_kubernetes_pod_phase", "Running".into()),
        RelabelConfig {
            source_labels: vec!["__meta_kubernetes_pod_container_init".into()],
            regex: Some("true".into()),
            action: Some(RelabelAction::Drop),
            ..Default::default()
        },
    ];
    if let Some(c) = &k.container {
        rules.push(RelabelConfig::keep(
            "__meta_kubernetes_pod_container_name",
            c.value.clone(),
        ));
    }
    if k.annotations {
        rules.extend(annotation_rules("pod"));
    }
    // The port the pod is scraped on: the service's, or the named port's
    // number, or the annotation's.
    rules.push(RelabelConfig::set(WANT, &svc.port.to_string()));
    let primary = match &k.port_name {
        Some(n) => {
            let n = escape_regex(&n.value);
            rules.push(RelabelConfig::extract(
                &[name, number],
                &format!("{n};([0-9]+)"),
                WANT,
                "$1",
            ));
            format!("[0-9]+;{n}")
        }
        None => format!("{};[^;]*", svc.port),
    };
    if k.annotations {
        rules.push(RelabelConfig::extract(&[port_ann], "([0-9]+)", WANT, "$1"));
    }
    // What each target offers: a port-number match offers its number; the
    // metrics port (by number or name) and a portless container offer the
    // pod's port, whatever moved it.
    if k.port_name.is_none() {
        rules.push(RelabelConfig::extract(&[number], "([0-9]+)", HAVE, "$1"));
    }
    rules.push(RelabelConfig::extract(
        &[number, name, WANT],
        &format!("{primary};(.+)"),
        HAVE,
        "$1",
    ));
    rules.push(RelabelConfig::extract(&[number, WANT], ";(.+)", HAVE, "$1"));
    rules.push(RelabelConfig {
        source_labels: vec![HAVE.into()],
        target_label: Some(WANT.into()),
        action: Some(RelabelAction::Keepequal),
        ..Default::default()
    });
    rules.extend(address_rules("__meta_kubernetes_pod_ip"));
    rules
}

/// The endpoints roles: `kind` is `endpoint` (Endpoints) or `endpointslice`.
fn service_rules(svc: &Service, kind: &str) -> Vec<RelabelConfig> {
    let k = &svc.kubernetes;
    let mut rules = Vec::new();
    if k.annotations {
        rules.extend(annotation_rules("service"));
    }
    let (port_label, name_label) = match kind {
        "endpoint" => (None, "__meta_kubernetes_endpoint_port_name"),
        _ => (
            Some("__meta_kubernetes_endpointslice_port"),
            "__meta_kubernetes_endpointslice_port_name",
        ),
    };
    // The extra targets discovery adds for the pods' other container
    // ports carry no endpoint port: the port rules drop them.
    match (&k.port_name, port_label) {
        (Some(n), _) => rules.push(RelabelConfig::keep(name_label, escape_regex(&n.value))),
        (None, Some(port)) => rules.push(RelabelConfig::keep(port, svc.port.to_string())),
        (None, None) => {
            // Endpoints carry the port only in the address; the extra pod
            // targets have no endpoint port name or protocol.
            rules.push(RelabelConfig::keep(
                "__meta_kubernetes_endpoint_port_protocol",
                ".+".into(),
            ));
            rules.push(RelabelConfig::keep(
                "__address__",
                format!(".*:{}", svc.port),
            ));
        }
    }
    if k.annotations {
        // The Service's annotation moves the scrape to another port.
        rules.push(RelabelConfig::extract(
            &[
                "__address__",
                "__meta_kubernetes_service_annotation_prometheus_io_port",
            ],
            "(.+):[0-9]+;([0-9]+)",
            "__address__",
            "$1:$2",
        ));
    }
    rules
}

/// `__address__` from the pod IP and the chosen port; IPv6 bracketed.
fn address_rules(ip: &str) -> Vec<RelabelConfig> {
    vec![
        RelabelConfig::extract(&[ip, WANT], "([^:]+);([0-9]+)", "__address__", "$1:$2"),
        RelabelConfig::extract(&[ip, WANT], "(.+:.+);([0-9]+)", "__address__", "[$1]:$2"),
    ]
}
