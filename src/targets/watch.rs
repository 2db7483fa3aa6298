//! Asking every server of a cluster at once, until the check passes or the
//! wait runs out: a server that does not answer is waited for like a
//! target that is not up yet, then it is the error.

use std::time::{Duration, Instant};

use crate::cluster::{ClusterReport, Observed, check};
use crate::error::{Classify, Kind};
use crate::inventory::cluster::ServerSpec;
use crate::promapi::PromClient;
use crate::promapi::client::{ApiError, decode_data};
use crate::promapi::types::TargetsData;
use crate::promconfig::PrometheusConfig;

/// One server of the cluster and a client for its API.
#[derive(Debug, Clone)]
pub struct Server {
    pub spec: ServerSpec,
    pub prom: PromClient,
}

#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    #[error("server {server}: {source}")]
    Api { server: String, source: ApiError },
    #[error("{server}: its loaded config does not parse: {why}")]
    Config {
        server: String,
        why: crate::yaml::YamlError,
    },
    #[error("internal: {0}")]
    Task(String),
}

impl Classify for WatchError {
    fn kind(&self) -> Kind {
        match self {
            WatchError::Api { source, .. } => source.kind(),
            _ => Kind::Failed,
        }
    }

    fn hint(&self) -> Option<String> {
        match self {
            WatchError::Api { source, .. } => source.hint(),
            _ => None,
        }
    }
}

/// Check the cluster; with `wait`, again every second until it passes or
/// the time is up (the last report).
pub async fn watch(
    servers: &[Server],
    replica_label: &str,
    wait: Option<Duration>,
) -> Result<ClusterReport, WatchError> {
    let deadline = wait.map(|w| Instant::now() + w);
    let waiting = || deadline.is_some_and(|d| Instant::now() < d);
    loop {
        // Every server at once: three servers cost about as much as one.
        let observed = match observe_all(servers).await {
            Ok(o) => o,
            Err(_) if waiting() => {
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
            Err(e) => return Err(e),
        };
        let report = check(&observed, replica_label);
        if report.ok || !waiting() {
            return Ok(report);
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// Every server at once, in order: spawned tasks overlap their requests
/// even on one thread.
async fn observe_all(servers: &[Server]) -> Result<Vec<Observed>, WatchError> {
    let tasks: Vec<_> = servers
        .iter()
        .map(|s| {
            let server = s.clone();
            tokio::spawn(async move { observe(&server).await })
        })
        .collect();
    let mut out = Vec::with_capacity(tasks.len());
    for t in tasks {
        out.push(t.await.map_err(|e| WatchError::Task(e.to_string()))??);
    }
    Ok(out)
}

/// Ask one server for its targets (active and dropped) and its config.
async fn observe(server: &Server) -> Result<Observed, WatchError> {
    let name = &server.spec.name;
    let in_server = |source| WatchError::Api {
        server: name.clone(),
        source,
    };
    let (targets, config) = tokio::join!(
        server.prom.get_raw("api/v1/targets", &[("state", "any")]),
        server.prom.config()
    );
    let body = targets.map_err(in_server)?;
    let config: PrometheusConfig = crate::yaml::from_str(&config.map_err(in_server)?.yaml)
        .map_err(|why| WatchError::Config {
            server: name.clone(),
            why,
        })?;
    // Decoding a large answer is CPU work: off this thread, so that the
    // servers' answers are decoded in parallel.
    let spec = server.spec.clone();
    tokio::task::spawn_blocking(move || {
        let targets: TargetsData =
            decode_data("api/v1/targets", &body).map_err(|source| WatchError::Api {
                server: spec.name.clone(),
                source,
            })?;
        Ok(Observed::new(&spec, &targets, &config))
    })
    .await
    .map_err(|e| WatchError::Task(e.to_string()))?
}
