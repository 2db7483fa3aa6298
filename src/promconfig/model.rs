//! Typed prometheus.yml: the subset gpucharts-mon writes, with Prometheus'
//! own field names. Serialising this model is the only way we produce a
//! prometheus.yml, so the output is always well-formed YAML.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::values::{PromDuration, ScrapeProtocol};

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PrometheusConfig {
    #[serde(default)]
    pub global: GlobalConfig,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alerting: Option<AlertingConfig>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rule_files: Vec<String>,
    #[serde(default)]
    pub scrape_configs: Vec<ScrapeConfig>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remote_write: Vec<RemoteWriteConfig>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RemoteWriteConfig {
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basic_auth: Option<BasicAuth>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization: Option<Authorization>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue_config: Option<QueueConfig>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct QueueConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_shards: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_samples_per_send: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch_send_deadline: Option<PromDuration>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GlobalConfig {
    #[serde(default = "one_minute")]
    pub scrape_interval: PromDuration,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scrape_timeout: Option<PromDuration>,
    #[serde(default = "one_minute")]
    pub evaluation_interval: PromDuration,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub external_labels: BTreeMap<String, String>,
    /// What a scrape asks for, in order (3.x; the Accept header).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scrape_protocols: Vec<ScrapeProtocol>,
}

/// Prometheus' default scrape and evaluation interval.
fn one_minute() -> PromDuration {
    PromDuration::from_secs(60)
}

impl Default for GlobalConfig {
    fn default() -> Self {
        Self {
            scrape_interval: one_minute(),
            scrape_timeout: None,
            evaluation_interval: one_minute(),
            external_labels: BTreeMap::new(),
            scrape_protocols: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertingConfig {
    pub alertmanagers: Vec<AlertmanagerConfig>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertmanagerConfig {
    pub static_configs: Vec<StaticConfig>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ScrapeConfig {
    pub job_name: String,
    /// Federation keeps the source's labels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub honor_labels: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scrape_interval: Option<PromDuration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scrape_timeout: Option<PromDuration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metrics_path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_config: Option<TlsConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basic_auth: Option<BasicAuth>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization: Option<Authorization>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_redirects: Option<bool>,
    /// 3.x: what to ask for, in order (else the global list).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scrape_protocols: Vec<ScrapeProtocol>,
    /// 3.x: how to read an answer with a blank or unknown Content-Type
    /// (without it, such a scrape fails).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fallback_scrape_protocol: Option<ScrapeProtocol>,
    /// URL parameters of every scrape (`params: {module: [x]}`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<String, Vec<String>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub static_configs: Vec<StaticConfig>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub file_sd_configs: Vec<FileSdConfig>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kubernetes_sd_configs: Vec<KubernetesSdConfig>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub docker_sd_configs: Vec<DockerSdConfig>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub relabel_configs: Vec<RelabelConfig>,
}

/// A target group; also the element type of file_sd JSON files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaticConfig {
    pub targets: Vec<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct TlsConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cert_file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_name: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub insecure_skip_verify: bool,
}

/// Secrets only by file reference: there is deliberately no `password` field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BasicAuth {
    pub username: String,
    pub password_file: String,
}

fn bearer() -> String {
    "Bearer".into()
}

/// `authorization` replaced `bearer_token_file` (deprecated in 2.x, gone in 3.0).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Authorization {
    /// Prometheus' default, when `type` is left out, is `Bearer`.
    #[serde(rename = "type", default = "bearer")]
    pub kind: String,
    pub credentials_file: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileSdConfig {
    pub files: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_interval: Option<PromDuration>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct KubernetesSdConfig {
    pub role: String,
    /// Outside the cluster: the API server (else the in-cluster config).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_server: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kubeconfig_file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespaces: Option<Namespaces>,
    /// Label and field selectors the API server applies per role.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub selectors: Vec<KubernetesSelector>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_config: Option<TlsConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization: Option<Authorization>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Namespaces {
    /// The namespace Prometheus itself runs in.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub own_namespace: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub names: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KubernetesSelector {
    pub role: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DockerSdConfig {
    pub host: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_interval: Option<PromDuration>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct RelabelConfig {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub source_labels: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub separator: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regex: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replacement: Option<String>,
    /// hashmod's modulus.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modulus: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<RelabelAction>,
}

impl RelabelConfig {
    /// Copy `source` to `target` (Prometheus' default `replace`).
    pub fn copy(source: &str, target: &str) -> Self {
        Self {
            source_labels: vec![source.into()],
            target_label: Some(target.into()),
            ..Default::default()
        }
    }

    /// Set `target` to `value`.
    pub fn set(target: &str, value: &str) -> Self {
        Self {
            target_label: Some(target.into()),
            replacement: Some(value.into()),
            ..Default::default()
        }
    }

    /// Keep the targets whose `source` matches `regex`.
    pub fn keep(source: &str, regex: String) -> Self {
        Self {
            source_labels: vec![source.into()],
            regex: Some(regex),
            action: Some(RelabelAction::Keep),
            ..Default::default()
        }
    }

    /// When the `sources` (joined by `;`) match `regex`, set `target` to
    /// `replacement`; otherwise leave it.
    pub(crate) fn extract(sources: &[&str], regex: &str, target: &str, replacement: &str) -> Self {
        Self {
            source_labels: sources.iter().map(|s| s.to_string()).collect(),
            regex: Some(regex.into()),
            target_label: Some(target.into()),
            replacement: Some(replacement.into()),
            action: Some(RelabelAction::Replace),
            ..Default::default()
        }
    }
}

/// Prometheus lower-cases the action before it looks it up (`Keep` is
/// `keep`), so the names are read case-insensitively.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RelabelAction {
    Replace,
    Keep,
    Drop,
    Labelmap,
    Labeldrop,
    Labelkeep,
    Lowercase,
    Uppercase,
    Keepequal,
    Dropequal,
    Hashmod,
}

impl RelabelAction {
    pub const ALL: [RelabelAction; 11] = [
        RelabelAction::Replace,
        RelabelAction::Keep,
        RelabelAction::Drop,
        RelabelAction::Labelmap,
        RelabelAction::Labeldrop,
        RelabelAction::Labelkeep,
        RelabelAction::Lowercase,
        RelabelAction::Uppercase,
        RelabelAction::Keepequal,
        RelabelAction::Dropequal,
        RelabelAction::Hashmod,
    ];

    pub fn name(self) -> &'static str {
        match self {
            RelabelAction::Replace => "replace",
            RelabelAction::Keep => "keep",
            RelabelAction::Drop => "drop",
            RelabelAction::Labelmap => "labelmap",
            RelabelAction::Labeldrop => "labeldrop",
            RelabelAction::Labelkeep => "labelkeep",
            RelabelAction::Lowercase => "lowercase",
            RelabelAction::Uppercase => "uppercase",
            RelabelAction::Keepequal => "keepequal",
            RelabelAction::Dropequal => "dropequal",
            RelabelAction::Hashmod => "hashmod",
        }
    }
}

impl<'de> Deserialize<'de> for RelabelAction {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        let lower = text.to_lowercase();
        RelabelAction::ALL
            .into_iter()
            .find(|a| a.name() == lower)
            .ok_or_else(|| {
                let names: Vec<&str> = RelabelAction::ALL.iter().map(|a| a.name()).collect();
                serde::de::Error::custom(format!(
                    "unknown relabel action {:?}; actions are {}",
                    crate::text::terminal_safe(&text),
                    names.join(", ")
                ))
            })
    }
}

impl PrometheusConfig {
    /// A job's scrape interval and timeout as Prometheus resolves them: the
    /// job's, else the global ones, and an inherited timeout no longer than
    /// the job's interval (interval 5s with the global 10s timeout: 5s).
    pub(crate) fn job_timing(&self, job: &ScrapeConfig) -> (PromDuration, PromDuration) {
        let interval = job.scrape_interval.unwrap_or(self.global.scrape_interval);
        let timeout = job.scrape_timeout.unwrap_or_else(|| {
            let global = self
                .global
                .scrape_timeout
                .unwrap_or_else(|| PromDuration::from_secs(10));
            if global > interval { interval } else { global }
        });
        (interval, timeout)
    }

    /// The same config with every relative file reference that is not one of
    /// our own side files (rule files, CA, password and credentials files)
    /// made absolute against `dir`, the directory the config will live in.
    /// Prometheus resolves such paths against the config file's directory;
    /// this lets a copy be checked elsewhere and still mean the same files.
    pub(crate) fn anchored_at(&self, dir: &std::path::Path) -> Self {
        let anchor = |p: &mut String| {
            if !p.is_empty() && std::path::Path::new(p.as_str()).is_relative() {
                *p = dir.join(p.as_str()).to_string_lossy().into_owned();
            }
        };
        let mut c = self.clone();
        c.rule_files.iter_mut().for_each(anchor);
        for job in &mut c.scrape_configs {
            if let Some(tls) = job.tls_config.as_mut() {
                for file in [&mut tls.ca_file, &mut tls.cert_file, &mut tls.key_file]
                    .into_iter()
                    .flatten()
                {
                    anchor(file);
                }
            }
            if let Some(b) = &mut job.basic_auth {
                anchor(&mut b.password_file);
            }
            if let Some(a) = &mut job.authorization {
                anchor(&mut a.credentials_file);
            }
        }
        c
    }
}
