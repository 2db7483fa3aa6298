//! The cluster check over what each server's API reports: coverage of the
//! shards, replicas that agree, targets that are down.

use std::collections::{BTreeMap, BTreeSet};

use crate::inventory::cluster::{Role, ServerSpec};
use crate::promconfig::cluster::DISABLE_SHARDING_LABEL;
use crate::promconfig::model::PrometheusConfig;

/// A target as the cluster check names it: its scrape pool and discovered
/// `__address__` (the same on every server that discovers it).
pub(crate) type TargetKey = (String, String);

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
