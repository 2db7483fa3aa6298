//! Each server's config of a cluster, derived from the one built for the
//! inventory: replicas' external labels, shards' hashmod rules (as the
//! prometheus-operator writes them), agents without rules or alerting, and
//! the shared remote_write section.

use super::model::{
    Authorization, BasicAuth, PrometheusConfig, QueueConfig, RelabelAction, RelabelConfig,
    RemoteWriteConfig, ScrapeConfig,
};
use crate::inventory::cluster::{ClusterSpec, Role, ServerSpec};

/// The label a shard keeps its targets by, and the one a target carries to
/// be scraped by every shard (as prometheus-operator names them).
pub(crate) const HASH_LABEL: &str = "__tmp_hash";
pub(crate) const DISABLE_SHARDING_LABEL: &str = "__tmp_disable_sharding";

/// The external label holding a replica's HA group (Mimir's HA tracker and
/// Thanos use it with the replica label), a shard's index, an agent's name.
pub(crate) const GROUP_LABEL: &str = "cluster";
pub(crate) const SHARD_LABEL: &str = "shard";
pub(crate) const AGENT_LABEL: &str = "agent";

/// The remote_write section of every server's config.
pub(crate) fn remote_write_configs(spec: &ClusterSpec) -> Vec<RemoteWriteConfig> {
    spec.remote_write
        .iter()
        .map(|r| {
            let queue = QueueConfig {
                capacity: r.capacity,
                max_shards: r.max_shards,
                max_samples_per_send: r.max_samples_per_send,
                batch_send_deadline: r.batch_send_deadline,
            };
            RemoteWriteConfig {
                url: r.url.clone(),
                basic_auth: r
                    .basic_auth_user
                    .clone()
                    .zip(r.basic_auth_password_file.clone())
                    .map(|(username, password_file)| BasicAuth {
                        username,
                        password_file,
                    }),
                authorization: r.bearer_token_file.clone().map(|f| Authorization {
                    kind: "Bearer".into(),
                    credentials_file: f,
                }),
                queue_config: (queue != QueueConfig::default()).then_some(queue),
            }
        })
        .collect()
}

/// The file a server's config is written to: `NAME.yml`, or
/// `prometheus.yml` for the one config of no cluster.
pub(crate) fn file_name(server: Option<&ServerSpec>) -> String {
    format!("{}.yml", server.map_or("prometheus", |s| s.name.as_str()))
}

/// Does the server run in agent mode (its config checked as an agent's)?
pub(crate) fn is_agent(server: Option<&ServerSpec>) -> bool {
    server.is_some_and(|s| s.role == Role::Agent)
}

/// The configs to write: one, or one per server of the cluster (only the
/// server named `only`, when given).
pub(crate) fn server_configs<'a>(
    cluster: &'a ClusterSpec,
    base: &PrometheusConfig,
    only: Option<&str>,
) -> Result<Vec<(Option<&'a ServerSpec>, PrometheusConfig)>, super::validate::ConfigError> {
    Ok(match only {
        Some(name) => {
            let server = cluster.server(name).ok_or_else(|| {
                let names: Vec<&str> = cluster.servers.iter().map(|s| s.name.as_str()).collect();
                super::validate::ConfigError::Invalid(format!(
                    "--server-name {name}: no such server in prometheus.servers ({})",
                    if names.is_empty() {
                        "none listed".to_string()
                    } else {
                        names.join(", ")
                    }
                ))
            })?;
            vec![(Some(server), server_config(cluster, base, server))]
        }
        None if cluster.servers.is_empty() => vec![(None, base.clone())],
        None => cluster
            .servers
            .iter()
            .map(|s| (Some(s), server_config(cluster, base, s)))
            .collect(),
    })
}

/// One server's config from the inventory's: its external labels, its
/// share of the targets (shards), no rules or alerting (agents).
pub(crate) fn server_config(
    spec: &ClusterSpec,
    base: &PrometheusConfig,
    server: &ServerSpec,
) -> PrometheusConfig {
    let mut config = base.clone();
    let labels = &mut config.global.external_labels;
    match server.role {
        Role::Replica => {
            labels.insert(GROUP_LABEL.into(), server.group.clone().unwrap_or_default());
            labels.insert(spec.replica_label.clone(), server.name.clone());
        }
        Role::Shard => {
            let (i, n) = (server.shard.unwrap_or(0), server.shards.unwrap_or(1));
            labels.insert(SHARD_LABEL.into(), i.to_string());
            for job in &mut config.scrape_configs {
                job.relabel_configs.extend(opt_out_rule(job));
                job.relabel_configs.extend(shard_rules(i, n));
            }
        }
        Role::Agent => {
            labels.insert(AGENT_LABEL.into(), server.name.clone());
            config.rule_files.clear();
            config.alerting = None;
        }
    }
    config
}

/// Where a discovered target asks to be scraped by every shard: the pod
/// annotation `gpucharts-mon/every-shard` or the container label
/// `gpucharts-mon.every-shard` (any non-empty value). Static and file_sd
/// targets set the `__tmp_disable_sharding` label themselves.
fn opt_out_source(job: &ScrapeConfig) -> Option<&'static str> {
    if !job.kubernetes_sd_configs.is_empty() {
        Some("__meta_kubernetes_pod_annotation_gpucharts_mon_every_shard")
    } else if !job.docker_sd_configs.is_empty() {
        Some("__meta_docker_container_label_gpucharts_mon_every_shard")
    } else {
        None
    }
}

/// The rule that lets a discovered target opt out of sharding (see
/// [`opt_out_source`]); `None` for jobs without such discovery.
pub(crate) fn opt_out_rule(job: &ScrapeConfig) -> Option<RelabelConfig> {
    opt_out_source(job).map(|source| RelabelConfig {
        source_labels: vec![source.into()],
        regex: Some("(.+)".into()),
        target_label: Some(DISABLE_SHARDING_LABEL.into()),
        replacement: Some("$1".into()),
        action: Some(RelabelAction::Replace),
        ..Default::default()
    })
}

/// prometheus-operator's sharding rules, last in a job's relabelling: hash
/// the final `__address__` into `__tmp_hash` modulo `shards` and keep the
/// targets of shard `index`, or those with `__tmp_disable_sharding` set.
pub(crate) fn shard_rules(index: u64, shards: u64) -> Vec<RelabelConfig> {
    vec![
        RelabelConfig {
            source_labels: vec!["__address__".into(), HASH_LABEL.into()],
            regex: Some("(.+);".into()),
            target_label: Some(HASH_LABEL.into()),
            replacement: Some("$1".into()),
            action: Some(RelabelAction::Replace),
            ..Default::default()
        },
        RelabelConfig {
            source_labels: vec![HASH_LABEL.into()],
            target_label: Some(HASH_LABEL.into()),
            modulus: Some(shards),
            action: Some(RelabelAction::Hashmod),
            ..Default::default()
        },
        RelabelConfig {
            source_labels: vec![HASH_LABEL.into(), DISABLE_SHARDING_LABEL.into()],
            regex: Some(format!("{index};|.+;.+")),
            action: Some(RelabelAction::Keep),
            ..Default::default()
        },
    ]
}
