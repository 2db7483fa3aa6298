//! How a service is found in a Kubernetes cluster: the inventory's
//! `services.<svc>.kubernetes` section (the `--k8s-*` flags of gen-config
//! have the same names).

use serde::Deserialize;

use super::Sourced;

/// What Prometheus discovers: pods, or a Service's endpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum K8sRole {
    /// Every pod's container ports (the default).
    #[default]
    Pod,
    /// The endpoints of a Service (core/v1 Endpoints).
    Endpoints,
    /// The endpoints of a Service (discovery.k8s.io/v1 EndpointSlice).
    #[serde(rename = "endpointslice")]
    EndpointSlice,
}

impl K8sRole {
    /// The role as `kubernetes_sd_configs` spells it.
    pub fn name(self) -> &'static str {
        match self {
            K8sRole::Pod => "pod",
            K8sRole::Endpoints => "endpoints",
            K8sRole::EndpointSlice => "endpointslice",
        }
    }
}

/// The default pod (or Service) label keys whose value names the app: the
/// old `app` and the recommended `app.kubernetes.io/name`.
pub(crate) const DEFAULT_APP_LABELS: [&str; 2] = ["app", "app.kubernetes.io/name"];

#[derive(Debug, Clone, PartialEq)]
pub struct Kubernetes {
    pub role: K8sRole,
    /// Namespaces to discover in; none (and not `own_namespace`) is all.
    pub namespaces: Vec<String>,
    pub own_namespace: bool,
    /// Label keys, any of which may carry the app's name.
    pub app_labels: Vec<String>,
    /// Regex over the app label's value; defaults to the job name, escaped.
    pub app: Option<Sourced<String>>,
    /// The container port (or Service port) by name; else by the service's
    /// port number.
    pub port_name: Option<Sourced<String>>,
    /// Regex over the container name, for pods whose containers declare no
    /// port (each portless container is otherwise a candidate).
    pub container: Option<Sourced<String>>,
    /// Honour the `prometheus.io/scrape`, `/port`, `/path` and `/scheme`
    /// annotations (of the pod; of the Service for the endpoints roles).
    pub annotations: bool,
    pub label_selector: Option<String>,
    pub field_selector: Option<String>,
    /// How Prometheus reaches the API server.
    pub api: ApiAccess,
}

/// Access to the Kubernetes API server from a Prometheus outside the
/// cluster; all empty means the in-cluster service account. Secrets only
/// by file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ApiAccess {
    pub api_server: Option<Sourced<String>>,
    pub kubeconfig_file: Option<String>,
    pub ca_file: Option<String>,
    pub cert_file: Option<String>,
    pub key_file: Option<String>,
    pub insecure_skip_verify: bool,
    pub bearer_token_file: Option<String>,
}

impl ApiAccess {
    /// Whether any HTTP client option is set (Prometheus refuses them
    /// beside a kubeconfig file, which carries its own).
    pub(crate) fn has_client_options(&self) -> bool {
        self.ca_file.is_some()
            || self.cert_file.is_some()
            || self.key_file.is_some()
            || self.insecure_skip_verify
            || self.bearer_token_file.is_some()
    }
}

/// `services.<svc>.kubernetes` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileKubernetes {
    role: Option<K8sRole>,
    namespaces: Option<Vec<String>>,
    #[serde(default)]
    own_namespace: bool,
    /// One key or a list; `app_label` is the old spelling of one key.
    #[serde(alias = "app_label")]
    app_labels: Option<OneOrMany>,
    app: Option<String>,
    port_name: Option<String>,
    container: Option<String>,
    annotations: Option<bool>,
    label_selector: Option<String>,
    field_selector: Option<String>,
    api_server: Option<String>,
    kubeconfig_file: Option<String>,
    ca_file: Option<String>,
    cert_file: Option<String>,
    key_file: Option<String>,
    #[serde(default)]
    insecure_skip_verify: bool,
    bearer_token_file: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl FileKubernetes {
    /// The settings, each value sourced by `key` (its inventory key).
    pub(super) fn resolve(self, key: impl Fn(&str) -> String) -> Kubernetes {
        Kubernetes {
            role: self.role.unwrap_or_default(),
            namespaces: self.namespaces.unwrap_or_default(),
            own_namespace: self.own_namespace,
            app_labels: match self.app_labels {
                Some(OneOrMany::One(k)) => vec![k],
                Some(OneOrMany::Many(keys)) => keys,
                None => DEFAULT_APP_LABELS.map(str::to_string).to_vec(),
            },
            app: self.app.map(|a| Sourced::new(a, key("kubernetes.app"))),
            port_name: self
                .port_name
                .map(|p| Sourced::new(p, key("kubernetes.port_name"))),
            container: self
                .container
                .map(|c| Sourced::new(c, key("kubernetes.container"))),
            annotations: self.annotations.unwrap_or(true),
            label_selector: self.label_selector,
            field_selector: self.field_selector,
            api: ApiAccess {
                api_server: self
                    .api_server
                    .map(|u| Sourced::new(u, key("kubernetes.api_server"))),
                kubeconfig_file: self.kubeconfig_file,
                ca_file: self.ca_file,
                cert_file: self.cert_file,
                key_file: self.key_file,
                insecure_skip_verify: self.insecure_skip_verify,
                bearer_token_file: self.bearer_token_file,
            },
        }
    }
}
