//! Reloading a Prometheus safely, the protocol without its output: which
//! local process may be signalled (only the Prometheus serving the URL),
//! and whether a reload took (Prometheus' own config time moved forward
//! and it reports success). `reload` and its rolling form over a cluster
//! drive it.

pub mod reload;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use crate::process;
use crate::promapi::client::{ApiError, PromClient};
use crate::promapi::poll_interval;
use crate::promapi::reload::ReloadState;

/// Prometheus records config times in whole seconds: a reload within the
/// second of the previous one would look like nothing happened. Wait for the
/// next second so a successful reload always moves the time forward.
pub(crate) async fn wait_for_next_second(before: &ReloadState) {
    if let Some(t) = before.last_config_time {
        let wait = t.floor() + 1.0 - crate::promapi::time::now_unix();
        if wait > 0.0 {
            tokio::time::sleep(Duration::from_secs_f64(wait.min(1.0))).await;
        }
    }
}

/// The addresses of this host that `url` points at; empty when its host
/// resolves to no local address (or does not resolve).
pub(crate) async fn local_addrs(url: &reqwest::Url) -> Vec<SocketAddr> {
    let (Some(host), Some(port)) = (url.host_str(), url.port_or_known_default()) else {
        return Vec::new();
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    match tokio::net::lookup_host((host, port)).await {
        Ok(addrs) => addrs.filter(|a| process::is_local(a.ip())).collect(),
        Err(_) => Vec::new(),
    }
}

/// Why no process may be signalled, or why a reload did not take.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LifecycleError {
    /// No local process is known to be the Prometheus serving the URL.
    #[error("{0}")]
    NoSignalTarget(String),
    /// The reload was sent, but Prometheus did not confirm it.
    #[error("{0}")]
    NotConfirmed(String),
}

/// The PID to signal: it must be Prometheus itself (see `process`), and
/// when the URL is served by this host, the process listening there. Without
/// --pid, the one local Prometheus that serves the URL.
pub(crate) fn signal_target(
    explicit: Option<&(i32, String)>,
    local: &[SocketAddr],
    url: &reqwest::Url,
) -> Result<i32, LifecycleError> {
    signal_target_text(explicit, local, url).map_err(LifecycleError::NoSignalTarget)
}

fn signal_target_text(
    explicit: Option<&(i32, String)>,
    local: &[SocketAddr],
    url: &reqwest::Url,
) -> Result<i32, String> {
    let serves = |c: &process::Candidate| local.iter().any(|a| c.serves(*a));
    if let Some((pid, origin)) = explicit {
        let c = process::inspect(*pid)
            .map_err(|why| format!("{origin}: {why}; refusing to signal it"))?;
        if !local.is_empty() && !serves(&c) {
            return Err(format!(
                "{origin}: PID {pid} is Prometheus but does not serve {url} ({}); refusing to signal it",
                c.listen_text()
            ));
        }
        return Ok(c.pid);
    }
    if local.is_empty() {
        return Err(format!(
            "{url} is not served by this host; pass --pid or --pid-file to pick the local Prometheus to signal"
        ));
    }
    let (found, refused) = process::find_prometheus();
    let describe = |cs: &[&process::Candidate]| {
        cs.iter()
            .map(|c| format!("PID {} {}", c.pid, c.listen_text()))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let serving: Vec<&process::Candidate> = found.iter().filter(|c| serves(c)).collect();
    match serving.as_slice() {
        [one] => Ok(one.pid),
        [] => {
            let mut why = format!("no local Prometheus process serves {url}");
            if !found.is_empty() {
                let all: Vec<&process::Candidate> = found.iter().collect();
                why.push_str(&format!(" (found: {})", describe(&all)));
            }
            for (pid, reason) in refused {
                why.push_str(&format!("; PID {pid} not signalled: {reason}"));
            }
            Err(why)
        }
        many => Err(format!(
            "{} local Prometheus processes serve {url}; pick one with --pid: {}",
            many.len(),
            describe(many)
        )),
    }
}

pub(crate) fn advanced(before: &ReloadState, after: &ReloadState) -> bool {
    match (before.last_config_time, after.last_config_time) {
        (Some(b), Some(a)) => a > b,
        (None, Some(_)) => true,
        _ => false,
    }
}

/// Poll until the config time moves forward, a failure is reported, or time
/// runs out; the last state seen.
pub(crate) async fn confirm(
    prom: &PromClient,
    before: &ReloadState,
    deadline: Instant,
) -> Result<ReloadState, ApiError> {
    loop {
        let state = prom.reload_state().await?;
        let failed_now = state.success == Some(false) && before.success != Some(false);
        let now = Instant::now();
        if advanced(before, &state) || failed_now || now >= deadline {
            return Ok(state);
        }
        tokio::time::sleep(poll_interval(deadline - now).min(Duration::from_millis(200))).await;
    }
}

/// A reload counts only when Prometheus says it succeeded and its config
/// time moved forward.
pub fn verdict(
    before: &ReloadState,
    after: &ReloadState,
    timeout: Duration,
) -> Result<(), LifecycleError> {
    if after.success == Some(false) {
        return Err(LifecycleError::NotConfirmed(
            "Prometheus reports the reload failed and keeps running the old config (see its log)"
                .into(),
        ));
    }
    if !advanced(before, after) {
        return Err(LifecycleError::NotConfirmed(format!(
            "reload not confirmed within {}s: Prometheus' last config time did not move",
            timeout.as_secs_f64()
        )));
    }
    Ok(())
}
