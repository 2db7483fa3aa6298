//! The shard plan: which shard scrapes which discovered target, through
//! the relabel engine, as the real servers would decide.

use std::collections::{BTreeMap, BTreeSet};

use crate::promconfig::cluster::shard_rules;
use crate::promconfig::cluster::{DISABLE_SHARDING_LABEL, HASH_LABEL, opt_out_rule};
use crate::promconfig::model::{PrometheusConfig, RelabelConfig};

/// Where one discovered target lands among the shards.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Placement {
    /// The final `__address__`.
    pub address: String,
    pub job: String,
    /// The target's labels after relabelling, as Prometheus shows them.
    pub labels: crate::promconfig::relabel::LabelSet,
    /// The shard that scrapes it; `None` for a target every shard scrapes.
    pub shard: Option<u64>,
    pub every_shard: bool,
}

/// The predicted assignment of targets to shards.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ShardPlan {
    pub shards: u64,
    pub targets: Vec<Placement>,
    /// Targets per shard (every-shard targets count in each).
    pub per_shard: Vec<usize>,
    /// Largest over smallest shard; `None` when a shard gets nothing.
    pub skew: Option<f64>,
    /// Discovered targets the jobs' own relabelling drops.
    pub dropped: usize,
}

/// Is this rule one of the sharding rules (of ours or the operator's)?
fn is_shard_rule(r: &RelabelConfig) -> bool {
    r.target_label.as_deref() == Some(HASH_LABEL) || r.source_labels.iter().any(|l| l == HASH_LABEL)
}

/// A shard plan that cannot be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PlanError {
    #[error("{0}")]
    Invalid(String),
}

message_into_string!(PlanError);

/// Predict, with the relabel engine, which of `shards` servers scrapes each
/// of `targets`: each target goes through its job's relabelling in `config`
/// (any sharding rules there removed) followed by each shard's rules, as the
/// real servers would run them.
pub fn plan(
    config: &PrometheusConfig,
    targets: &[crate::promconfig::relabel::Discovered],
    shards: u64,
    version: crate::version::PromVersion,
) -> Result<ShardPlan, PlanError> {
    plan_text(config, targets, shards, version).map_err(PlanError::Invalid)
}

fn plan_text(
    config: &PrometheusConfig,
    targets: &[crate::promconfig::relabel::Discovered],
    shards: u64,
    version: crate::version::PromVersion,
) -> Result<ShardPlan, String> {
    use crate::promconfig::model::ScrapeConfig;
    use crate::promconfig::relabel::{Rule, compile_all, trace};
    if shards == 0 {
        return Err("--shards must be at least 1".into());
    }
    // Per job: the job's rules, then each shard's rules, compiled once.
    let mut compiled: BTreeMap<String, (Vec<ScrapeConfig>, Vec<Vec<Rule>>)> = BTreeMap::new();
    let mut out = Vec::with_capacity(targets.len());
    let mut dropped = 0;
    for t in targets {
        // A label map without a pool is for the job its `job` label names.
        let job = t
            .pool
            .clone()
            .or_else(|| t.labels.get("job").cloned())
            .unwrap_or_default();
        if !compiled.contains_key(&job) {
            let mut base = config
                .scrape_configs
                .iter()
                .find(|j| j.job_name == job)
                .cloned()
                .unwrap_or_else(|| ScrapeConfig {
                    job_name: job.clone(),
                    ..Default::default()
                });
            base.relabel_configs.retain(|r| !is_shard_rule(r));
            // A base config has no opt-out rule yet: the shards' configs add it.
            let opted =
                |r: &RelabelConfig| r.target_label.as_deref() == Some(DISABLE_SHARDING_LABEL);
            if !base.relabel_configs.iter().any(opted) {
                base.relabel_configs.extend(opt_out_rule(&base));
            }
            let mut jobs = Vec::new();
            let mut rules = Vec::new();
            for i in 0..shards {
                let mut j = base.clone();
                j.relabel_configs.extend(shard_rules(i, shards));
                rules.push(compile_all(&j, version)?);
                jobs.push(j);
            }
            compiled.insert(job.clone(), (jobs, rules));
        }
        let (jobs, rules) = &compiled[&job];
        let (interval, timeout) = config.job_timing(&jobs[0]);
        let (interval, timeout) = (interval.to_string(), timeout.to_string());
        let own_rules = jobs[0].relabel_configs.len() - 3;
        let mut kept_by = Vec::new();
        let mut labels = None;
        let mut dropped_early = false;
        for i in 0..shards as usize {
            let tr = trace(
                &jobs[i], &rules[i], &t.labels, &interval, &timeout, version, false,
            );
            match tr.outcome {
                Ok(Some(l)) => {
                    kept_by.push(i as u64);
                    labels = Some(l);
                }
                _ if tr.dropped_by.is_some_and(|r| r < own_rules) => dropped_early = true,
                _ => {}
            }
        }
        let Some(labels) = labels else {
            if dropped_early {
                dropped += 1;
            }
            continue;
        };
        let every_shard = kept_by.len() as u64 == shards && shards > 1;
        out.push(Placement {
            address: labels.get("__address__").cloned().unwrap_or_default(),
            job,
            labels: labels
                .into_iter()
                .filter(|(k, _)| !k.starts_with("__"))
                .collect(),
            shard: if every_shard {
                None
            } else {
                kept_by.first().copied()
            },
            every_shard,
        });
    }
    let mut per_shard = vec![0usize; shards as usize];
    for p in &out {
        match p.shard {
            Some(i) => per_shard[i as usize] += 1,
            None => per_shard.iter_mut().for_each(|c| *c += 1),
        }
    }
    let (min, max) = (
        per_shard.iter().copied().min().unwrap_or(0),
        per_shard.iter().copied().max().unwrap_or(0),
    );
    Ok(ShardPlan {
        shards,
        targets: out,
        skew: (min > 0).then(|| max as f64 / min as f64),
        per_shard,
        dropped,
    })
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum DiscoverError {
    #[error(transparent)]
    Api(#[from] crate::promapi::ApiError),
    #[error("{from}: {why}")]
    Parse { from: String, why: String },
}

impl crate::error::Classify for DiscoverError {
    fn kind(&self) -> crate::error::Kind {
        match self {
            DiscoverError::Api(e) => e.kind(),
            DiscoverError::Parse { .. } => crate::error::Kind::Usage,
        }
    }

    fn hint(&self) -> Option<String> {
        match self {
            DiscoverError::Api(e) => e.hint(),
            DiscoverError::Parse { .. } => None,
        }
    }
}

/// Every target the servers have discovered (active and dropped), each
/// once: a target several shards discover counts once.
pub(crate) async fn discover(
    servers: &[crate::promapi::PromClient],
) -> Result<Vec<crate::promconfig::relabel::Discovered>, DiscoverError> {
    let mut all = Vec::new();
    let mut seen = BTreeSet::new();
    for prom in servers {
        let body = prom.get_raw("api/v1/targets", &[("state", "any")]).await?;
        let text = String::from_utf8_lossy(&body);
        let found = crate::promconfig::relabel::discovered_targets(&text).map_err(|why| {
            DiscoverError::Parse {
                from: format!("{}/api/v1/targets", prom.shown_url()),
                why: why.to_string(),
            }
        })?;
        for t in found {
            if seen.insert((t.pool.clone(), t.labels.get("__address__").cloned())) {
                all.push(t);
            }
        }
    }
    Ok(all)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::cluster::{ClusterSpec, Role, ServerSpec};

    /// A pod annotated `gpucharts-mon/every-shard` is kept by every shard;
    /// the others by exactly one (the relabel engine's hashmod).
    #[test]
    fn pods_opt_out_of_sharding_by_annotation() {
        use crate::promconfig::model::{KubernetesSdConfig, ScrapeConfig};
        use crate::promconfig::relabel::Discovered;
        use crate::version::PromVersion;
        let base = PrometheusConfig {
            scrape_configs: vec![ScrapeConfig {
                job_name: "pods".into(),
                kubernetes_sd_configs: vec![KubernetesSdConfig {
                    role: "pod".into(),
                    ..Default::default()
                }],
                ..Default::default()
            }],
            ..Default::default()
        };
        let spec = ClusterSpec::default();
        let shards: Vec<PrometheusConfig> = (0..3)
            .map(|i| {
                let server = ServerSpec {
                    name: format!("s{i}"),
                    url: "http://127.0.0.1:1".into(),
                    config_file: None,
                    pid_file: None,
                    role: Role::Shard,
                    group: None,
                    shard: Some(i),
                    shards: Some(3),
                };
                crate::promconfig::cluster::server_config(&spec, &base, &server)
            })
            .collect();
        let pod = |addr: &str, every: bool| {
            let mut labels: crate::promconfig::relabel::LabelSet =
                [("__address__".to_string(), addr.to_string())].into();
            if every {
                labels.insert(
                    "__meta_kubernetes_pod_annotation_gpucharts_mon_every_shard".into(),
                    "true".into(),
                );
            }
            Discovered {
                pool: Some("pods".into()),
                labels,
            }
        };
        let targets: Vec<Discovered> = (0..30)
            .map(|i| pod(&format!("10.0.0.{i}:9090"), i == 7))
            .collect();
        // Plan with shard 0's config (its sharding rules are replaced by
        // each shard's): only the annotated pod is on every shard.
        let plan = plan(&shards[0], &targets, 3, PromVersion::V3).unwrap();
        assert_eq!(plan.targets.len(), 30);
        for p in &plan.targets {
            assert_eq!(p.every_shard, p.address == "10.0.0.7:9090", "{p:?}");
        }
        assert_eq!(plan.per_shard.iter().sum::<usize>(), 29 + 3);
    }
}
