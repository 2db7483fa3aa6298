//! Beyond one Prometheus, as it runs: the shard plan (which shard scrapes
//! which target, through the relabel engine) and the cluster check over
//! what each server's API reports. The inventory's part is
//! [`crate::inventory::cluster`], each server's config
//! [`crate::promconfig::cluster`].

use std::collections::{BTreeMap, BTreeSet};

use crate::inventory::cluster::{Role, ServerSpec};
use crate::promconfig::cluster::shard_rules;
use crate::promconfig::cluster::{DISABLE_SHARDING_LABEL, HASH_LABEL};
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
pub struct Plan {
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

/// Predict, with the relabel engine, which of `shards` servers scrapes each
/// of `targets`: each target goes through its job's relabelling in `config`
/// (any sharding rules there removed) followed by each shard's rules, as the
/// real servers would run them.
pub fn plan(
    config: &PrometheusConfig,
    targets: &[crate::promconfig::relabel::Discovered],
    shards: u64,
    version: crate::version::PromVersion,
) -> Result<Plan, String> {
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
    Ok(Plan {
        shards,
        targets: out,
        skew: (min > 0).then(|| max as f64 / min as f64),
        per_shard,
        dropped,
    })
}

/// A target as the cluster check names it: its scrape pool and discovered
/// `__address__` (the same on every server that discovers it).
pub type TargetKey = (String, String);

/// What one server of the cluster reports.
#[derive(Debug, Clone)]
pub struct Observed {
    pub name: String,
    pub url: String,
    pub role: Role,
    pub group: Option<String>,
    /// Its active targets.
    pub active: BTreeSet<TargetKey>,
    /// Everything it discovered: active and dropped targets.
    pub discovered: BTreeSet<TargetKey>,
    pub external_labels: BTreeMap<String, String>,
    /// Jobs whose relabelling sets `__tmp_disable_sharding`: every shard
    /// scrapes their targets.
    pub every_shard_jobs: BTreeSet<String>,
    /// Active targets whose last scrape failed, with its error.
    pub down: Vec<(TargetKey, String)>,
}

impl Observed {
    /// From `/api/v1/targets?state=any` and the loaded config.
    pub fn new(
        server: &ServerSpec,
        targets: &crate::promapi::types::TargetsData,
        config: &PrometheusConfig,
    ) -> Self {
        let key = |pool: &str, d: &BTreeMap<String, String>| {
            (
                pool.to_string(),
                d.get("__address__").cloned().unwrap_or_default(),
            )
        };
        let active: BTreeSet<TargetKey> = targets
            .active_targets
            .iter()
            .map(|t| key(&t.scrape_pool, &t.discovered_labels))
            .collect();
        let down: Vec<(TargetKey, String)> = targets
            .active_targets
            .iter()
            .filter(|t| t.health == "down")
            .map(|t| {
                (
                    key(&t.scrape_pool, &t.discovered_labels),
                    t.last_error.clone(),
                )
            })
            .collect();
        let mut discovered = active.clone();
        discovered.extend(targets.dropped_targets.iter().map(|t| {
            let pool = t.discovered_labels.get("job").map_or("", String::as_str);
            key(pool, &t.discovered_labels)
        }));
        Self {
            name: server.name.clone(),
            url: server.url.clone(),
            role: server.role,
            group: server.group.clone(),
            active,
            discovered,
            down,
            external_labels: config.global.external_labels.clone(),
            every_shard_jobs: config
                .scrape_configs
                .iter()
                .filter(|j| {
                    j.relabel_configs
                        .iter()
                        .any(|r| r.target_label.as_deref() == Some(DISABLE_SHARDING_LABEL))
                })
                .map(|j| j.job_name.clone())
                .collect(),
        }
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct DownTarget {
    pub server: String,
    pub job: String,
    pub address: String,
    pub last_error: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ServerSummary {
    pub name: String,
    pub url: String,
    pub role: &'static str,
    pub group: Option<String>,
    pub active: usize,
    pub discovered: usize,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Misplaced {
    pub job: String,
    pub address: String,
    /// The shards that scrape it (none for a gap).
    pub servers: Vec<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Coverage {
    /// Targets known to any shard's discovery.
    pub targets: usize,
    pub gaps: Vec<Misplaced>,
    pub overlaps: Vec<Misplaced>,
    /// Active targets per shard, and largest over smallest (`None` when a
    /// shard has none).
    pub per_shard: BTreeMap<String, usize>,
    pub skew: Option<f64>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ReplicaGroup {
    pub group: String,
    pub members: Vec<String>,
    pub same_targets: bool,
    pub same_external_labels: bool,
    /// What differs, briefly.
    pub differences: Vec<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ClusterReport {
    pub ok: bool,
    pub servers: Vec<ServerSummary>,
    /// Every down target, per server: a cluster with the right split is
    /// still broken when what it scrapes is down.
    pub down: Vec<DownTarget>,
    pub coverage: Option<Coverage>,
    pub replicas: Vec<ReplicaGroup>,
    pub problems: Vec<String>,
}

fn role_name(role: Role) -> &'static str {
    match role {
        Role::Replica => "replica",
        Role::Shard => "shard",
        Role::Agent => "agent",
    }
}

/// At most this many differing targets are named per replica pair.
const MAX_NAMED: usize = 5;

/// The cluster as a whole: every target discovered by a shard scraped by
/// exactly one shard (or by all, for every-shard jobs); every replica of a
/// group with the same active targets and external labels but for
/// `replica_label`.
pub fn check(observed: &[Observed], replica_label: &str) -> ClusterReport {
    let mut problems = Vec::new();
    let down: Vec<DownTarget> = observed
        .iter()
        .flat_map(|o| {
            o.down.iter().map(|((job, address), err)| DownTarget {
                server: o.name.clone(),
                job: job.clone(),
                address: address.clone(),
                last_error: err.clone(),
            })
        })
        .collect();
    for d in down.iter().take(MAX_NAMED) {
        problems.push(format!(
            "down: {} ({}) on {}: {}",
            d.address, d.job, d.server, d.last_error
        ));
    }
    if down.len() > MAX_NAMED {
        problems.push(format!("… {} targets down in all", down.len()));
    }
    let shards: Vec<&Observed> = observed.iter().filter(|o| o.role == Role::Shard).collect();
    let coverage = (!shards.is_empty()).then(|| {
        let universe: BTreeSet<&TargetKey> = shards.iter().flat_map(|s| &s.discovered).collect();
        let mut gaps = Vec::new();
        let mut overlaps = Vec::new();
        for key in &universe {
            let by: Vec<String> = shards
                .iter()
                .filter(|s| s.active.contains(*key))
                .map(|s| s.name.clone())
                .collect();
            let every = shards.iter().all(|s| s.every_shard_jobs.contains(&key.0));
            let entry = Misplaced {
                job: key.0.clone(),
                address: key.1.clone(),
                servers: by.clone(),
            };
            if by.is_empty() {
                gaps.push(entry);
            } else if by.len() > 1 && !(every && by.len() == shards.len()) {
                overlaps.push(entry);
            }
        }
        let per_shard: BTreeMap<String, usize> = shards
            .iter()
            .map(|s| (s.name.clone(), s.active.len()))
            .collect();
        let (min, max) = (
            per_shard.values().copied().min().unwrap_or(0),
            per_shard.values().copied().max().unwrap_or(0),
        );
        for g in gaps.iter().take(MAX_NAMED) {
            problems.push(format!(
                "gap: {} ({}) is discovered but no shard scrapes it",
                g.address, g.job
            ));
        }
        for o in overlaps.iter().take(MAX_NAMED) {
            problems.push(format!(
                "overlap: {} ({}) is scraped by {}",
                o.address,
                o.job,
                o.servers.join(" and ")
            ));
        }
        if universe.is_empty() {
            problems.push("no shard has discovered any target yet".to_string());
        }
        for (what, list) in [("gaps", &gaps), ("overlaps", &overlaps)] {
            if list.len() > MAX_NAMED {
                problems.push(format!("… {} {what} in all", list.len()));
            }
        }
        Coverage {
            targets: universe.len(),
            gaps,
            overlaps,
            skew: (min > 0).then(|| max as f64 / min as f64),
            per_shard,
        }
    });
    let mut groups: BTreeMap<&str, Vec<&Observed>> = BTreeMap::new();
    for o in observed.iter().filter(|o| o.role == Role::Replica) {
        groups
            .entry(o.group.as_deref().unwrap_or(""))
            .or_default()
            .push(o);
    }
    let mut replicas = Vec::new();
    for (group, members) in groups {
        let first = members[0];
        let without_replica = |o: &Observed| {
            let mut l = o.external_labels.clone();
            l.remove(replica_label);
            l
        };
        let mut differences = Vec::new();
        let mut same_targets = true;
        let mut same_labels = true;
        for other in &members[1..] {
            let only_first: Vec<&TargetKey> = first.active.difference(&other.active).collect();
            let only_other: Vec<&TargetKey> = other.active.difference(&first.active).collect();
            for (who, list) in [(&first.name, &only_first), (&other.name, &only_other)] {
                if !list.is_empty() {
                    same_targets = false;
                    let named: Vec<String> = list
                        .iter()
                        .take(MAX_NAMED)
                        .map(|(job, addr)| format!("{addr} ({job})"))
                        .collect();
                    differences.push(format!(
                        "only {who} scrapes {}{}",
                        named.join(", "),
                        if list.len() > MAX_NAMED {
                            format!(" and {} more", list.len() - MAX_NAMED)
                        } else {
                            String::new()
                        }
                    ));
                }
            }
            if without_replica(first) != without_replica(other) {
                same_labels = false;
                differences.push(format!(
                    "external labels differ beyond {replica_label}: {} {:?}, {} {:?}",
                    first.name,
                    without_replica(first),
                    other.name,
                    without_replica(other)
                ));
            }
            if first.external_labels.get(replica_label) == other.external_labels.get(replica_label)
            {
                same_labels = false;
                differences.push(format!(
                    "{} and {} carry the same {replica_label} label: their series cannot be told apart",
                    first.name, other.name
                ));
            }
        }
        if members.iter().all(|m| m.active.is_empty()) {
            differences.push("no member scrapes any target yet".to_string());
        }
        for d in &differences {
            problems.push(format!("replicas of {group}: {d}"));
        }
        replicas.push(ReplicaGroup {
            group: group.to_string(),
            members: members.iter().map(|m| m.name.clone()).collect(),
            same_targets,
            same_external_labels: same_labels,
            differences,
        });
    }
    ClusterReport {
        ok: problems.is_empty(),
        servers: observed
            .iter()
            .map(|o| ServerSummary {
                name: o.name.clone(),
                url: o.url.clone(),
                role: role_name(o.role),
                group: o.group.clone(),
                active: o.active.len(),
                discovered: o.discovered.len(),
            })
            .collect(),
        down,
        coverage,
        replicas,
        problems,
    }
}

#[cfg(test)]
mod down_tests {
    use super::*;

    fn shard(name: &str, targets: &[(&str, bool)]) -> Observed {
        let key = |a: &str| ("gpu-charts-logger".to_string(), a.to_string());
        Observed {
            name: name.into(),
            url: format!("http://{name}"),
            role: Role::Shard,
            group: None,
            active: targets.iter().map(|(a, _)| key(a)).collect(),
            discovered: targets.iter().map(|(a, _)| key(a)).collect(),
            external_labels: BTreeMap::new(),
            every_shard_jobs: BTreeSet::new(),
            down: targets
                .iter()
                .filter(|(_, up)| !up)
                .map(|(a, _)| (key(a), "connection refused".to_string()))
                .collect(),
        }
    }

    #[test]
    fn a_well_split_cluster_with_down_targets_is_not_ok() {
        let whole = [shard("s0", &[("a:1", true)]), shard("s1", &[("b:1", true)])];
        assert!(check(&whole, "replica").ok);
        let broken = [
            shard("s0", &[("a:1", false)]),
            shard("s1", &[("b:1", true)]),
        ];
        let report = check(&broken, "replica");
        assert!(!report.ok);
        assert_eq!(report.down.len(), 1);
        assert!(
            report.problems[0].contains("down: a:1 (gpu-charts-logger) on s0: connection refused"),
            "{:?}",
            report.problems
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::cluster::{ClusterSpec, RemoteWriteSpec};
    use serde::Deserialize;

    fn spec(yaml: &str) -> Result<(), String> {
        #[derive(Deserialize)]
        struct F {
            servers: Vec<ServerSpec>,
            #[serde(default)]
            remote_write: Vec<RemoteWriteSpec>,
        }
        let f: F = crate::yaml::from_str(yaml)?;
        ClusterSpec {
            replica_label: "replica".into(),
            servers: f.servers,
            remote_write: f.remote_write,
            federate: vec![],
        }
        .validate()
    }

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
                    namespaces: None,
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

    #[test]
    fn refuses_what_cannot_work() {
        let u = "url: 'http://127.0.0.1:1'";
        for (yaml, needle) in [
            (
                format!("servers: [{{name: a, {u}, role: replica}}]"),
                "needs group",
            ),
            (
                format!("servers: [{{name: a, {u}, role: shard, shard: 0, shards: 2}}]"),
                "no server is shard 1 of 2",
            ),
            (
                format!(
                    "servers: [{{name: a, {u}, role: shard, shard: 0, shards: 1}}, {{name: b, {u}, role: shard, shard: 0, shards: 1}}]"
                ),
                "a and b are all shard 0",
            ),
            (
                format!("servers: [{{name: a, {u}, role: shard, shard: 2, shards: 2}}]"),
                "below the count",
            ),
            (
                format!("servers: [{{name: a, {u}, role: agent}}]"),
                "remote_write",
            ),
            (
                format!(
                    "servers: [{{name: a, {u}, role: agent}}]\nremote_write: [{{url: 'http://x:1/w', bearer_token: s3cret}}]"
                ),
                "inline",
            ),
            (
                format!("servers: [{{name: '../a', {u}, role: agent}}]"),
                "letters",
            ),
            (
                "servers: [{name: a, url: 'file:///x', role: agent}]".to_string(),
                "not an http",
            ),
        ] {
            let err = spec(&yaml).unwrap_err();
            assert!(err.contains(needle), "{yaml}: {err}");
            assert!(!err.contains("s3cret"), "{err}");
        }
        spec(&format!(
            "servers: [{{name: a, {u}, role: shard, shard: 0, shards: 2}}, {{name: b, {u}, role: shard, shard: 1, shards: 2}}]"
        ))
        .unwrap();
    }
}
