//! The deployment model (`gpucharts-mon.yaml`): services, instances,
//! Prometheus, Alertmanager, firewall sources. Loaded once, then every
//! subcommand overlays its own flags (flags > file > built-in defaults).

pub mod cluster;
pub mod kubernetes;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::catalogue::ServiceRole;
use crate::values::{HostPort, PromDuration, ScrapeProtocol};

/// The file name looked for in the current directory.
pub(crate) const DEFAULT_FILE: &str = "gpucharts-mon.yaml";

/// Why the inventory could not be loaded: bad input (exit 2) either way.
#[derive(Debug, thiserror::Error)]
pub enum InventoryError {
    #[error("cannot read inventory {path}: {reason}")]
    Read { path: String, reason: String },
    #[error("inventory {name}: {reason}")]
    Invalid { name: String, reason: String },
    #[error(transparent)]
    Template(#[from] crate::templates::TemplateError),
}

impl crate::error::Classify for InventoryError {
    fn kind(&self) -> crate::error::Kind {
        // The template's own errors are bad input too (--templates).
        crate::error::Kind::Usage
    }
}

/// The commented example inventory `init` writes (`--templates` may
/// replace it), checked to be a valid inventory itself; `file` names it in
/// errors.
pub(crate) fn example(
    templates: Option<&std::path::Path>,
    file: &std::path::Path,
) -> Result<String, InventoryError> {
    let text = crate::templates::render(crate::templates::INVENTORY, (), templates)?;
    Inventory::parse(&text, Some(file))?;
    Ok(text)
}

/// How Prometheus finds a service's instances.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Discovery {
    Static,
    Kubernetes,
    Docker,
    FileSd,
}

impl Discovery {
    pub const ALL: [Discovery; 4] = [
        Discovery::Static,
        Discovery::Kubernetes,
        Discovery::Docker,
        Discovery::FileSd,
    ];

    /// As the inventory and `--mode` spell it.
    pub fn name(self) -> &'static str {
        match self {
            Discovery::Static => "static",
            Discovery::Kubernetes => "kubernetes",
            Discovery::Docker => "docker",
            Discovery::FileSd => "file-sd",
        }
    }
}

// ---- the file, as written (every key optional, unknown keys rejected) ----

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileRoot {
    environment: Option<String>,
    #[serde(default)]
    services: FileServices,
    #[serde(default)]
    prometheus: FilePrometheus,
    #[serde(default)]
    alertmanager: FileAlertmanager,
    #[serde(default)]
    scrape: FileScrape,
    #[serde(default)]
    rules: BTreeMap<String, RuleOverride>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileServices {
    logger: Option<FileService>,
    server: Option<FileService>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileService {
    job: Option<String>,
    /// 1-65535: a zero port is refused where it is written.
    port: Option<std::num::NonZeroU16>,
    discovery: Option<Discovery>,
    instances: Option<Vec<HostPort>>,
    metrics_path: Option<String>,
    image: Option<String>,
    #[serde(default)]
    kubernetes: kubernetes::FileKubernetes,
    #[serde(default)]
    docker: FileDocker,
    #[serde(default)]
    file_sd: FileFileSd,
    /// With sharded servers: every shard scrapes this service (a single
    /// instance is not worth splitting).
    #[serde(default)]
    every_shard: bool,
    /// Prometheus 3: this job's `scrape_protocols` and `fallback_scrape_protocol`.
    scrape_protocols: Option<Vec<ScrapeProtocol>>,
    fallback_scrape_protocol: Option<ScrapeProtocol>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDocker {
    host: Option<String>,
    service: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileFileSd {
    file: Option<String>,
    refresh_interval: Option<PromDuration>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FilePrometheus {
    url: Option<String>,
    scrape_interval: Option<PromDuration>,
    evaluation_interval: Option<PromDuration>,
    scrape_timeout: Option<PromDuration>,
    config_file: Option<PathBuf>,
    pid_file: Option<PathBuf>,
    #[serde(default)]
    allowed_sources: Vec<String>,
    self_scrape: Option<HostPort>,
    /// While moving off a Pushgateway: scrape it (honor_labels) beside the pull jobs.
    pushgateway: Option<HostPort>,
    #[serde(default)]
    rule_files: Vec<String>,
    #[serde(default)]
    external_labels: BTreeMap<String, String>,
    /// The major version the Prometheus servers run (2 or 3).
    version: Option<PromMajor>,
    /// Prometheus 3: `global.scrape_protocols`.
    scrape_protocols: Option<Vec<ScrapeProtocol>>,
    /// Prometheus 3: every GPU Charts job's `fallback_scrape_protocol`
    /// (Prometheus has no global one).
    fallback_scrape_protocol: Option<ScrapeProtocol>,
    replica_label: Option<String>,
    #[serde(default)]
    servers: Vec<cluster::ServerSpec>,
    #[serde(default)]
    remote_write: Vec<cluster::RemoteWriteSpec>,
    #[serde(default)]
    federate: Vec<cluster::FederateSpec>,
}

/// 2 or 3, nothing else.
#[derive(Debug, Clone, Copy)]
struct PromMajor(u8);

impl<'de> Deserialize<'de> for PromMajor {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match u8::deserialize(d)? {
            v @ (2 | 3) => Ok(PromMajor(v)),
            _ => Err(serde::de::Error::custom("must be 2 or 3")),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileAlertmanager {
    #[serde(default)]
    targets: Vec<HostPort>,
    #[serde(default)]
    receivers: Vec<ReceiverSpec>,
    #[serde(default)]
    routes: RouteSpec,
}

/// A notification receiver, as the inventory describes it. Secrets only by
/// file: the inline forms are accepted by the parser only to be refused
/// with a pointer to the `_file` key.
#[derive(Debug, Default, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReceiverSpec {
    pub name: String,
    pub webhook_url: Option<String>,
    /// A file holding the webhook URL, for URLs that carry a token
    /// (Alertmanager 0.26 and later read `url_file`).
    pub webhook_url_file: Option<String>,
    pub slack_api_url_file: Option<String>,
    pub slack_channel: Option<String>,
    pub pagerduty_routing_key_file: Option<String>,
    pub email_to: Option<String>,
    pub email_from: Option<String>,
    pub email_smarthost: Option<String>,
    pub email_auth_username: Option<String>,
    pub email_auth_password_file: Option<String>,
    pub slack_api_url: Option<String>,
    pub pagerduty_routing_key: Option<String>,
    pub email_auth_password: Option<String>,
}

/// Which receiver gets what: critical alerts, then by service, then
/// warnings, else the default; and how long
/// Alertmanager waits before it notifies a group (Alertmanager's key names).
#[derive(Debug, Default, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RouteSpec {
    pub default: Option<String>,
    pub critical: Option<String>,
    pub warning: Option<String>,
    /// Alerts about one service (their `service` label), after critical.
    pub logger: Option<String>,
    pub server: Option<String>,
    pub group_wait: Option<PromDuration>,
    pub group_interval: Option<PromDuration>,
    pub repeat_interval: Option<PromDuration>,
}

#[derive(Debug, Default, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileScrape {
    /// Where each set field came from (`--scheme`, or the inventory key and
    /// line), for messages; filled when the inventory is read and when
    /// flags are applied.
    #[serde(skip)]
    pub origins: BTreeMap<&'static str, String>,
    pub scheme: Option<String>,
    pub ca_file: Option<String>,
    pub cert_file: Option<String>,
    pub key_file: Option<String>,
    pub tls_server_name: Option<String>,
    #[serde(default)]
    pub insecure_skip_verify: bool,
    pub basic_auth_user: Option<String>,
    pub basic_auth_password_file: Option<String>,
    pub bearer_token_file: Option<String>,
}

impl FileScrape {
    /// The fields, by their key under `scrape:`.
    pub(crate) const KEYS: [&'static str; 9] = [
        "scheme",
        "ca_file",
        "cert_file",
        "key_file",
        "tls_server_name",
        "insecure_skip_verify",
        "basic_auth_user",
        "basic_auth_password_file",
        "bearer_token_file",
    ];

    fn is_set(&self, key: &str) -> bool {
        match key {
            "scheme" => self.scheme.is_some(),
            "ca_file" => self.ca_file.is_some(),
            "cert_file" => self.cert_file.is_some(),
            "key_file" => self.key_file.is_some(),
            "tls_server_name" => self.tls_server_name.is_some(),
            "insecure_skip_verify" => self.insecure_skip_verify,
            "basic_auth_user" => self.basic_auth_user.is_some(),
            "basic_auth_password_file" => self.basic_auth_password_file.is_some(),
            "bearer_token_file" => self.bearer_token_file.is_some(),
            _ => false,
        }
    }

    /// Where `key` came from: a flag, an inventory key with its line, or the
    /// flag name that would set it when nothing did.
    pub fn origin(&self, key: &str) -> String {
        self.origins
            .get(key)
            .cloned()
            .unwrap_or_else(|| format!("--{}", key.replace('_', "-")))
    }
}

/// Per-alert overrides (`rules:` in the file, `--threshold`/`--for` flags).
#[derive(Debug, Default, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleOverride {
    /// A number, or a percentage (`5%`) for the ratio alerts.
    #[serde(default, deserialize_with = "crate::values::deserialize_threshold")]
    pub threshold: Option<f64>,
    #[serde(rename = "for")]
    pub for_: Option<PromDuration>,
}

// ---- the resolved model ----

/// A value together with where it came from, so errors can say so.
#[derive(Debug, Clone, PartialEq)]
pub struct Sourced<T> {
    pub value: T,
    pub origin: String,
}

impl<T> Sourced<T> {
    pub fn new(value: T, origin: impl Into<String>) -> Self {
        Self {
            value,
            origin: origin.into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    pub role: ServiceRole,
    pub job: Sourced<String>,
    pub port: u16,
    pub discovery: Discovery,
    /// Explicit instances; `None` means "localhost:<port>".
    pub instances: Option<Sourced<Vec<HostPort>>>,
    pub metrics_path: Option<String>,
    pub image: String,
    pub kubernetes: kubernetes::Kubernetes,
    pub docker_host: String,
    /// Regex over the compose service label; defaults to the role name.
    pub docker_service: Sourced<String>,
    pub file_sd_file: Option<Sourced<String>>,
    pub file_sd_refresh: Option<PromDuration>,
    /// Scraped by every shard: its targets carry `__tmp_disable_sharding`.
    pub every_shard: bool,
    pub scrape_protocols: Option<Sourced<Vec<ScrapeProtocol>>>,
    pub fallback_scrape_protocol: Option<Sourced<ScrapeProtocol>>,
}

impl Inventory {
    /// The PromQL regex that selects exactly this deployment's jobs: the
    /// familiar `gpu-charts.*` while every job name starts with `gpu-charts`,
    /// else the escaped names. gen-rules, check-targets and query all use it.
    pub(crate) fn job_regex(&self) -> String {
        let jobs: Vec<&str> = self
            .services()
            .iter()
            .map(|s| s.job.value.as_str())
            .collect();
        if jobs.iter().all(|j| j.starts_with("gpu-charts")) {
            "gpu-charts.*".into()
        } else {
            jobs.iter()
                .map(|j| crate::values::escape_regex(j))
                .collect::<Vec<_>>()
                .join("|")
        }
    }

    /// `up` of this deployment's jobs: what `query` asks by default.
    pub(crate) fn up_query(&self) -> String {
        format!(
            "up{{job=~{}}}",
            crate::values::promql_string(&self.job_regex())
        )
    }
}

impl Service {
    pub fn instances(&self) -> Sourced<Vec<HostPort>> {
        self.instances.clone().unwrap_or_else(|| {
            Sourced::new(
                vec![HostPort {
                    host: "localhost".into(),
                    port: self.port,
                }],
                "default",
            )
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct PrometheusSettings {
    pub url: Option<Sourced<String>>,
    pub scrape_interval: Sourced<PromDuration>,
    pub evaluation_interval: Sourced<PromDuration>,
    pub scrape_timeout: Option<Sourced<PromDuration>>,
    pub config_file: Option<PathBuf>,
    pub pid_file: Option<PathBuf>,
    pub allowed_sources: Sourced<Vec<String>>,
    pub self_scrape: Option<HostPort>,
    /// The transition job: the Pushgateway scraped with `honor_labels`.
    pub pushgateway: Option<HostPort>,
    /// `prometheus.version`: the major version the servers run, whose
    /// scrape and relabel rules checks follow when no flag says.
    pub version: Option<Sourced<u8>>,
    pub scrape_protocols: Option<Sourced<Vec<ScrapeProtocol>>>,
    pub fallback_scrape_protocol: Option<Sourced<ScrapeProtocol>>,
    pub rule_files: Vec<String>,
    pub external_labels: BTreeMap<String, String>,
    /// Several servers (HA, shards, agents), remote_write and federation.
    pub cluster: cluster::ClusterSpec,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Inventory {
    /// The file it was read from, if any.
    pub path: Option<PathBuf>,
    pub environment: Sourced<String>,
    pub logger: Service,
    pub server: Service,
    pub prometheus: PrometheusSettings,
    pub alertmanagers: Vec<HostPort>,
    pub receivers: Vec<ReceiverSpec>,
    pub routes: RouteSpec,
    pub scrape: FileScrape,
    pub rules: BTreeMap<String, RuleOverride>,
}

impl Inventory {
    pub fn service(&self, role: ServiceRole) -> &Service {
        match role {
            ServiceRole::Logger => &self.logger,
            ServiceRole::Server => &self.server,
        }
    }

    pub(crate) fn service_mut(&mut self, role: ServiceRole) -> &mut Service {
        match role {
            ServiceRole::Logger => &mut self.logger,
            ServiceRole::Server => &mut self.server,
        }
    }

    /// The file the inventory came from, for messages; "inventory" for
    /// the built-in defaults.
    pub(crate) fn source_name(&self) -> String {
        self.path
            .as_ref()
            .map_or_else(|| "inventory".to_string(), |p| p.display().to_string())
    }

    pub fn services(&self) -> [&Service; 2] {
        [&self.logger, &self.server]
    }

    /// Built-in defaults: the configuration operators use today.
    pub fn defaults() -> Self {
        Self::from_file(FileRoot::default(), None, "")
    }

    /// Find and load the inventory: an explicit path (from `-c` or
    /// `GPUCHARTS_MON_CONFIG`) must exist; otherwise `./gpucharts-mon.yaml`
    /// is used when present, else the built-in defaults.
    pub(crate) fn discover(explicit: Option<&Path>) -> Result<Self, InventoryError> {
        match explicit {
            Some(path) => Self::load(path),
            None if Path::new(DEFAULT_FILE).is_file() => Self::load(Path::new(DEFAULT_FILE)),
            None => Ok(Self::defaults()),
        }
    }

    pub fn load(path: &Path) -> Result<Self, InventoryError> {
        let text = crate::input::read_text(crate::input::Purpose::Config, path).map_err(|e| {
            InventoryError::Read {
                path: path.display().to_string(),
                reason: e.to_string(),
            }
        })?;
        Self::parse(&text, Some(path))
    }

    pub fn parse(text: &str, path: Option<&Path>) -> Result<Self, InventoryError> {
        let name = path.map_or_else(|| DEFAULT_FILE.to_string(), |p| p.display().to_string());
        let root: FileRoot = if text.trim().is_empty() {
            FileRoot::default()
        } else {
            crate::yaml::from_str(text).map_err(|e| InventoryError::Invalid {
                name,
                reason: e.to_string(),
            })?
        };
        Ok(Self::from_file(root, path, text))
    }

    fn from_file(root: FileRoot, path: Option<&Path>, text: &str) -> Self {
        let name = path.map_or_else(|| DEFAULT_FILE.to_string(), |p| p.display().to_string());
        // Where a value came from: the file, the key and its line.
        let at = |key: &str| {
            let keys: Vec<&str> = key.split('.').collect();
            match crate::yaml::line_of(text, &keys) {
                Some(line) => format!("inventory {name}: {key} (line {line})"),
                None => format!("inventory {name}: {key}"),
            }
        };
        let environment = match root.environment {
            Some(e) => Sourced::new(e, at("environment")),
            None => Sourced::new("production".into(), "default"),
        };
        let mut services = [root.services.logger, root.services.server].into_iter();
        let mut service = |role: ServiceRole| {
            let f = services.next().flatten().unwrap_or_default();
            let key = |k: &str| at(&format!("services.{}.{k}", role.name()));
            Service {
                role,
                job: f.job.map_or_else(
                    || Sourced::new(role.default_job().into(), "default"),
                    |j| Sourced::new(j, key("job")),
                ),
                port: f.port.map_or(role.default_port(), u16::from),
                discovery: f.discovery.unwrap_or(Discovery::Static),
                instances: f.instances.map(|i| Sourced::new(i, key("instances"))),
                metrics_path: f.metrics_path,
                image: f
                    .image
                    .unwrap_or_else(|| format!("{}:latest", role.default_job())),
                kubernetes: f.kubernetes.resolve(key),
                docker_host: f
                    .docker
                    .host
                    .unwrap_or_else(|| "unix:///var/run/docker.sock".into()),
                docker_service: f.docker.service.map_or_else(
                    || Sourced::new(role.name().into(), "default"),
                    |s| Sourced::new(s, key("docker.service")),
                ),
                file_sd_file: f.file_sd.file.map(|f| Sourced::new(f, key("file_sd.file"))),
                file_sd_refresh: f.file_sd.refresh_interval,
                every_shard: f.every_shard,
                scrape_protocols: f
                    .scrape_protocols
                    .map(|p| Sourced::new(p, key("scrape_protocols"))),
                fallback_scrape_protocol: f
                    .fallback_scrape_protocol
                    .map(|p| Sourced::new(p, key("fallback_scrape_protocol"))),
            }
        };
        let logger = service(ServiceRole::Logger);
        let server = service(ServiceRole::Server);
        let p = root.prometheus;
        let sourced_dur = |v: Option<PromDuration>, key: &str| {
            v.map_or_else(
                || Sourced::new(PromDuration::from_secs(15), "default"),
                |d| Sourced::new(d, at(&format!("prometheus.{key}"))),
            )
        };
        let prometheus = PrometheusSettings {
            url: p.url.map(|u| Sourced::new(u, at("prometheus.url"))),
            scrape_interval: sourced_dur(p.scrape_interval, "scrape_interval"),
            evaluation_interval: sourced_dur(p.evaluation_interval, "evaluation_interval"),
            scrape_timeout: p
                .scrape_timeout
                .map(|d| Sourced::new(d, at("prometheus.scrape_timeout"))),
            // Relative to the inventory's folder, as Prometheus reads
            // rule_files relative to its config.
            config_file: p.config_file.map(|f| beside(path, f)),
            pid_file: p.pid_file.map(|f| beside(path, f)),
            allowed_sources: if p.allowed_sources.is_empty() {
                Sourced::new(Vec::new(), "default")
            } else {
                Sourced::new(p.allowed_sources, at("prometheus.allowed_sources"))
            },
            self_scrape: p.self_scrape,
            pushgateway: p.pushgateway,
            version: p
                .version
                .map(|v| Sourced::new(v.0, at("prometheus.version"))),
            scrape_protocols: p
                .scrape_protocols
                .map(|v| Sourced::new(v, at("prometheus.scrape_protocols"))),
            fallback_scrape_protocol: p
                .fallback_scrape_protocol
                .map(|v| Sourced::new(v, at("prometheus.fallback_scrape_protocol"))),
            rule_files: p.rule_files,
            external_labels: p.external_labels,
            cluster: cluster::ClusterSpec {
                replica_label: p.replica_label.unwrap_or_else(|| "replica".into()),
                servers: p.servers,
                remote_write: p.remote_write,
                federate: p.federate,
            },
        };
        Self {
            path: path.map(Path::to_path_buf),
            environment,
            logger,
            server,
            prometheus,
            alertmanagers: root.alertmanager.targets,
            receivers: root.alertmanager.receivers,
            routes: root.alertmanager.routes,
            scrape: {
                let mut scrape = root.scrape;
                for key in FileScrape::KEYS {
                    if scrape.is_set(key) {
                        scrape.origins.insert(key, at(&format!("scrape.{key}")));
                    }
                }
                scrape
            },
            rules: root.rules,
        }
    }
}

/// `file` as written in the inventory at `inventory`: relative paths are
/// relative to the inventory's folder.
fn beside(inventory: Option<&Path>, file: PathBuf) -> PathBuf {
    match inventory.and_then(Path::parent) {
        Some(dir) if file.is_relative() && !dir.as_os_str().is_empty() => dir.join(file),
        _ => file,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_todays_setup() {
        let inv = Inventory::defaults();
        assert_eq!(inv.environment.value, "production");
        assert_eq!(inv.logger.job.value, "gpu-charts-logger");
        assert_eq!(
            inv.server.instances().value[0].to_string(),
            "localhost:9091"
        );
        assert_eq!(inv.prometheus.scrape_interval.value.to_string(), "15s");
    }

    #[test]
    fn unknown_key_names_key_and_line() {
        let err = Inventory::parse("services:\n  logger:\n    prot: 1\n", None)
            .unwrap_err()
            .to_string();
        assert!(err.contains("prot"), "{err}");
        assert!(err.contains("line 3"), "{err}");
    }

    #[test]
    fn wrong_type_names_line() {
        let err = Inventory::parse("services:\n  server:\n    port: lots\n", None)
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 3"), "{err}");
    }

    #[test]
    fn mixed_modes() {
        let inv = Inventory::parse(
            "services:\n  logger: {discovery: kubernetes}\n  server: {discovery: docker}\n",
            None,
        )
        .unwrap();
        assert_eq!(inv.logger.discovery, Discovery::Kubernetes);
        assert_eq!(inv.server.discovery, Discovery::Docker);
    }
}
