//! The multi-server part of the inventory (`prometheus.servers`,
//! `remote_write`, `federate`) as written, and the rules it must keep.
//! What it means for each server's config is promconfig's
//! ([`crate::promconfig::cluster`]); the shard plan and the cluster check
//! are [`crate::cluster`]'s.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde::Deserialize;

use crate::values::{HostPort, PromDuration};

/// What a server is in the cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// One of an HA group: the same targets and rules as the others.
    Replica,
    /// Scrapes the targets whose `__address__` hashes to its index.
    Shard,
    /// Agent mode: scrapes and remote-writes, no rules, no alerting.
    Agent,
}

/// One Prometheus server of the inventory.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSpec {
    pub name: String,
    pub url: String,
    pub config_file: Option<PathBuf>,
    pub pid_file: Option<PathBuf>,
    pub role: Role,
    /// The HA group of a replica.
    pub group: Option<String>,
    /// A shard's index, from 0.
    pub shard: Option<u64>,
    /// How many shards there are.
    pub shards: Option<u64>,
}

/// A remote_write destination; secrets only by file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RemoteWriteSpec {
    pub url: String,
    pub basic_auth_user: Option<String>,
    pub basic_auth_password_file: Option<String>,
    pub bearer_token_file: Option<String>,
    /// Refused: inline secrets (accepted by the parser only to say so).
    basic_auth_password: Option<serde::de::IgnoredAny>,
    bearer_token: Option<serde::de::IgnoredAny>,
    pub capacity: Option<u64>,
    pub max_shards: Option<u64>,
    pub max_samples_per_send: Option<u64>,
    pub batch_send_deadline: Option<PromDuration>,
}

/// A federation source: a job scraping `/federate` of other servers.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FederateSpec {
    /// The job name.
    pub name: String,
    pub targets: Vec<HostPort>,
    /// The `match[]` selectors.
    #[serde(rename = "match")]
    pub matchers: Vec<String>,
    pub scheme: Option<String>,
}

/// The multi-server part of the inventory.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ClusterSpec {
    /// The external label that tells HA replicas apart.
    pub replica_label: String,
    pub servers: Vec<ServerSpec>,
    pub remote_write: Vec<RemoteWriteSpec>,
    pub federate: Vec<FederateSpec>,
}

fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        && !s.starts_with('.')
}

/// A cluster that cannot work as described.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ClusterSpecError {
    #[error("{0}")]
    Invalid(String),
}

message_into_string!(ClusterSpecError);

fn http_url(url: &str, at: &str) -> Result<(), String> {
    match reqwest::Url::parse(url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => Ok(()),
        _ => Err(format!(
            "{at}: {:?} is not an http:// or https:// URL",
            crate::values::excerpt(url)
        )),
    }
}

impl ClusterSpec {
    pub fn server(&self, name: &str) -> Option<&ServerSpec> {
        self.servers.iter().find(|s| s.name == name)
    }

    /// Every rule a cluster must keep; the message names the key.
    pub fn validate(&self) -> Result<(), ClusterSpecError> {
        self.validate_text().map_err(ClusterSpecError::Invalid)
    }

    fn validate_text(&self) -> Result<(), String> {
        let at = "prometheus.replica_label";
        crate::values::check_label_name(self.replica_label.trim_start_matches("__"))
            .map_err(|e| format!("{at}: {e}"))?;
        let mut names = BTreeSet::new();
        let mut shard_counts = BTreeSet::new();
        let mut shard_indexes: BTreeMap<u64, Vec<&str>> = BTreeMap::new();
        for (i, s) in self.servers.iter().enumerate() {
            let at = format!("prometheus.servers[{i}]");
            if !is_name(&s.name) {
                return Err(format!(
                    "{at}.name: {:?} must be letters, digits, '-', '_' or '.' (it names the server's config file)",
                    crate::values::excerpt(&s.name)
                ));
            }
            if !names.insert(s.name.as_str()) {
                return Err(format!("{at}.name: {} is used twice", s.name));
            }
            http_url(&s.url, &format!("{at}.url"))?;
            match s.role {
                Role::Replica => {
                    if !s.group.as_deref().is_some_and(is_name) {
                        return Err(format!(
                            "{at}: a replica needs group: NAME (the HA group it belongs to)"
                        ));
                    }
                    if s.shard.is_some() || s.shards.is_some() {
                        return Err(format!("{at}: shard/shards are for role: shard"));
                    }
                }
                Role::Shard => {
                    let (Some(i), Some(n)) = (s.shard, s.shards) else {
                        return Err(format!(
                            "{at}: a shard needs shard: INDEX (from 0) and shards: COUNT"
                        ));
                    };
                    if n == 0 || i >= n {
                        return Err(format!(
                            "{at}: shard {i} of {n}: the index must be below the count"
                        ));
                    }
                    shard_counts.insert(n);
                    shard_indexes.entry(i).or_default().push(&s.name);
                }
                Role::Agent => {
                    if self.remote_write.is_empty() {
                        return Err(format!(
                            "{at}: an agent keeps nothing itself; add prometheus.remote_write"
                        ));
                    }
                }
            }
            if s.role != Role::Replica && s.group.is_some() {
                return Err(format!("{at}: group is for role: replica"));
            }
        }
        if shard_counts.len() > 1 {
            return Err(format!(
                "prometheus.servers: the shards disagree on how many shards there are ({:?})",
                shard_counts
            ));
        }
        if let Some(&n) = shard_counts.first() {
            for i in 0..n {
                match shard_indexes.get(&i).map(Vec::as_slice) {
                    None | Some([]) => {
                        return Err(format!(
                            "prometheus.servers: no server is shard {i} of {n}: the targets hashing to {i} would not be scraped"
                        ));
                    }
                    Some([_]) => {}
                    Some(two) => {
                        return Err(format!(
                            "prometheus.servers: {} are all shard {i} of {n}: they would scrape the same targets",
                            two.join(" and ")
                        ));
                    }
                }
            }
        }
        for (i, r) in self.remote_write.iter().enumerate() {
            let at = format!("prometheus.remote_write[{i}]");
            http_url(&r.url, &format!("{at}.url"))?;
            if r.basic_auth_password.is_some() || r.bearer_token.is_some() {
                return Err(format!(
                    "{at}: a secret written inline; put it in a file only Prometheus' user can read and set basic_auth_password_file or bearer_token_file"
                ));
            }
            if r.basic_auth_user.is_some() != r.basic_auth_password_file.is_some() {
                return Err(format!(
                    "{at}: basic_auth_user and basic_auth_password_file go together"
                ));
            }
            if r.basic_auth_user.is_some() && r.bearer_token_file.is_some() {
                return Err(format!("{at}: basic auth or a bearer token, not both"));
            }
        }
        let mut jobs = BTreeSet::new();
        for (i, f) in self.federate.iter().enumerate() {
            let at = format!("prometheus.federate[{i}]");
            if !is_name(&f.name) || !jobs.insert(&f.name) {
                return Err(format!("{at}.name: a unique job name is needed"));
            }
            if f.targets.is_empty() || f.matchers.is_empty() {
                return Err(format!(
                    "{at}: a federation job needs targets and at least one match selector"
                ));
            }
            if f.scheme
                .as_deref()
                .is_some_and(|s| s != "http" && s != "https")
            {
                return Err(format!("{at}.scheme: http or https"));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
        .map_err(String::from)
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
