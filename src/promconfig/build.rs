//! One builder per discovery mode: the resolved inventory in, a typed
//! prometheus.yml (plus any file_sd target files) out.

use std::collections::BTreeMap;

use super::model::*;
use super::validate::{self, ConfigError};
use crate::inventory::{Discovery, Inventory, Service};
use crate::values::HostPort;

/// The transition job's name (`--pushgateway`).
pub(crate) const PUSHGATEWAY_JOB: &str = "pushgateway";

/// The result of `gen-config`: the config, the files it refers to, and
/// warnings that do not stop generation.
#[derive(Debug, Clone, PartialEq)]
pub struct GeneratedConfig {
    pub config: PrometheusConfig,
    /// (file name relative to the config's directory, contents)
    pub side_files: Vec<(String, String)>,
    pub warnings: Vec<String>,
}

/// Validate the inventory, then build the config. Nothing is built from an
/// inventory that fails validation.
pub fn build(inv: &Inventory) -> Result<GeneratedConfig, ConfigError> {
    validate::check_inventory(inv)?;
    let mut side_files = Vec::new();
    let mut scrape_configs = Vec::new();
    if let Some(addr) = &inv.prometheus.self_scrape {
        scrape_configs.push(ScrapeConfig {
            job_name: "prometheus".into(),
            static_configs: vec![StaticConfig {
                targets: vec![addr.to_string()],
                labels: BTreeMap::new(),
            }],
            ..Default::default()
        });
    }
    for svc in inv.services() {
        let mut job = scrape_job(inv, svc);
        match svc.discovery {
            Discovery::Static => job.static_configs = target_groups(inv, svc),
            Discovery::FileSd => {
                let file = file_sd_name(svc)?;
                let groups = target_groups(inv, svc);
                let json = serde_json::to_string_pretty(&groups)
                    .map_err(|e| ConfigError::internal(e.to_string()))?;
                side_files.push((file.clone(), json + "\n"));
                job.file_sd_configs = vec![FileSdConfig {
                    files: vec![file],
                    refresh_interval: svc.file_sd_refresh,
                }];
            }
            Discovery::Kubernetes => super::kubernetes::job(inv, svc, &mut job),
            Discovery::Docker => docker(inv, svc, &mut job),
        }
        if svc.every_shard {
            job.relabel_configs.push(RelabelConfig {
                target_label: Some(super::cluster::DISABLE_SHARDING_LABEL.into()),
                replacement: Some("true".into()),
                action: Some(RelabelAction::Replace),
                ..Default::default()
            });
        }
        scrape_configs.push(job);
    }
    if let Some(addr) = &inv.prometheus.pushgateway {
        // Pushed series keep the job and instance they were pushed with.
        scrape_configs.push(ScrapeConfig {
            job_name: PUSHGATEWAY_JOB.into(),
            honor_labels: Some(true),
            static_configs: vec![StaticConfig {
                targets: vec![addr.to_string()],
                labels: BTreeMap::new(),
            }],
            ..Default::default()
        });
    }
    for f in &inv.prometheus.cluster.federate {
        scrape_configs.push(ScrapeConfig {
            job_name: f.name.clone(),
            honor_labels: Some(true),
            metrics_path: Some("/federate".into()),
            scheme: f.scheme.clone().filter(|s| s != "http"),
            params: BTreeMap::from([("match[]".to_string(), f.matchers.clone())]),
            static_configs: vec![StaticConfig {
                targets: f.targets.iter().map(HostPort::to_string).collect(),
                labels: BTreeMap::new(),
            }],
            ..Default::default()
        });
    }
    let alerting = (!inv.alertmanagers.is_empty()).then(|| AlertingConfig {
        alertmanagers: vec![AlertmanagerConfig {
            static_configs: vec![StaticConfig {
                targets: inv.alertmanagers.iter().map(HostPort::to_string).collect(),
                labels: BTreeMap::new(),
            }],
        }],
    });
    let config = PrometheusConfig {
        global: GlobalConfig {
            scrape_interval: inv.prometheus.scrape_interval.value,
            scrape_timeout: inv.prometheus.scrape_timeout.as_ref().map(|t| t.value),
            evaluation_interval: inv.prometheus.evaluation_interval.value,
            external_labels: inv.prometheus.external_labels.clone(),
            scrape_protocols: inv
                .prometheus
                .scrape_protocols
                .as_ref()
                .map(|p| p.value.clone())
                .unwrap_or_default(),
        },
        alerting,
        rule_files: inv.prometheus.rule_files.clone(),
        scrape_configs,
        remote_write: super::cluster::remote_write_configs(&inv.prometheus.cluster),
    };
    validate::check_relabelling(&config)?;
    let warnings = validate::address_clashes(&config);
    Ok(GeneratedConfig {
        config,
        side_files,
        warnings,
    })
}

/// The file_sd target file of a service, relative to prometheus.yml
/// (Prometheus resolves relative paths against the config file's directory).
/// It is written beside the config, so it must be a plain file name: a value
/// that makes a path (`/`, `..`) is refused, naming where it came from.
pub(crate) fn file_sd_name(svc: &Service) -> Result<String, ConfigError> {
    let (name, origin) = match &svc.file_sd_file {
        Some(f) => (f.value.clone(), f.origin.clone()),
        None => (
            format!("{}.json", svc.job.value),
            format!("the job name ({})", svc.job.origin),
        ),
    };
    if crate::values::is_plain_file_name(&name) {
        Ok(name)
    } else {
        Err(ConfigError::Invalid(format!(
            "{origin}: file_sd target file {name:?} must be a plain file name (no '/' or '..'); it is written beside the config"
        )))
    }
}

/// The target groups of a service: one per instance, named
/// `<service>-<n>` in the inventory's order, as the hand-written configs
/// name them. One rule for one instance and for many, so adding a second
/// instance keeps the first one's `instance` label (and every series'
/// identity); append new instances to keep the others' names.
fn target_groups(inv: &Inventory, svc: &Service) -> Vec<StaticConfig> {
    svc.instances()
        .value
        .iter()
        .enumerate()
        .map(|(i, addr)| StaticConfig {
            targets: vec![addr.to_string()],
            labels: BTreeMap::from([
                (
                    "instance".to_string(),
                    format!("{}-{}", svc.role.name(), i + 1),
                ),
                ("environment".to_string(), inv.environment.value.clone()),
            ]),
        })
        .collect()
}

/// Scheme, TLS and auth, shared by every job that scrapes a GPU Charts service.
/// The job of a service with what the inventory's `scrape:` section says
/// about scheme, TLS and auth: how Prometheus scrapes it, and so how every
/// command that fetches the endpoint must.
pub(crate) fn scrape_job(inv: &Inventory, svc: &Service) -> ScrapeConfig {
    let s = &inv.scrape;
    let tls = (s.ca_file.is_some()
        || s.cert_file.is_some()
        || s.tls_server_name.is_some()
        || s.insecure_skip_verify)
        .then(|| TlsConfig {
            ca_file: s.ca_file.clone(),
            cert_file: s.cert_file.clone(),
            key_file: s.key_file.clone(),
            server_name: s.tls_server_name.clone(),
            insecure_skip_verify: s.insecure_skip_verify,
        });
    ScrapeConfig {
        job_name: svc.job.value.clone(),
        metrics_path: svc.metrics_path.clone(),
        scheme: s.scheme.clone().filter(|sch| sch != "http"),
        tls_config: tls,
        basic_auth: s
            .basic_auth_user
            .clone()
            .zip(s.basic_auth_password_file.clone())
            .map(|(username, password_file)| BasicAuth {
                username,
                password_file,
            }),
        authorization: s.bearer_token_file.clone().map(|f| Authorization {
            kind: "Bearer".into(),
            credentials_file: f,
        }),
        scrape_protocols: svc
            .scrape_protocols
            .as_ref()
            .map(|p| p.value.clone())
            .unwrap_or_default(),
        fallback_scrape_protocol: svc
            .fallback_scrape_protocol
            .as_ref()
            .or(inv.prometheus.fallback_scrape_protocol.as_ref())
            .map(|p| p.value),
        ..Default::default()
    }
}

fn docker(inv: &Inventory, svc: &Service, job: &mut ScrapeConfig) {
    job.docker_sd_configs = vec![DockerSdConfig {
        host: svc.docker_host.clone(),
        refresh_interval: None,
    }];
    job.relabel_configs = vec![
        RelabelConfig::keep(
            "__meta_docker_container_label_com_docker_compose_service",
            svc.docker_service.value.clone(),
        ),
        // Docker discovery yields one target per exposed port: keep the metrics port.
        RelabelConfig::keep("__meta_docker_port_private", svc.port.to_string()),
        RelabelConfig {
            source_labels: vec!["__meta_docker_container_name".into()],
            regex: Some("/?(.*)".into()),
            target_label: Some("container".into()),
            ..Default::default()
        },
        RelabelConfig::set("environment", &inv.environment.value),
    ];
}
