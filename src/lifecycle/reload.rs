//! The whole reload of one Prometheus, and the rolling reload of several:
//! validate the file, send the reload (POST or SIGHUP), confirm through
//! Prometheus' own config time, compare what it runs with the file. What
//! happens along the way is reported as [`Step`]s; the caller renders them.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::error::{Classify, Kind};
use crate::process;
use crate::promapi::client::{ApiError, PromClient};
use crate::promapi::reload::{ReloadAnswer, ReloadState};
use crate::promconfig::{compare, validate};
use crate::promtool;

/// How to ask Prometheus to reload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// POST /-/reload only.
    Http,
    /// SIGHUP only.
    Signal,
    /// POST, then SIGHUP to the local Prometheus serving the URL on 403.
    Auto,
}

/// What the user asked for, the same for every server of a roll.
#[derive(Debug, Clone, Copy)]
pub struct ReloadOptions {
    pub method: Method,
    pub no_check: bool,
    pub dry_run: bool,
    pub timeout: Duration,
}

/// One Prometheus to reload, and the files that describe it.
pub struct Target<'a> {
    pub prom: &'a PromClient,
    pub config_file: Option<&'a Path>,
    pub pid_file: Option<&'a Path>,
    /// `--pid`: the process to signal, named by the user.
    pub pid: Option<i32>,
    /// Agent mode: its config is checked with `promtool check config --agent`.
    pub agent: bool,
}

/// Each server of a cluster as a reload target, with its name and URL
/// (credentials taken out) for the report: its config and PID files are
/// the inventory's `prometheus.servers` entries', an agent checked as one.
pub fn cluster_targets(
    servers: &[crate::targets::watch::Server],
) -> Vec<(String, String, Target<'_>)> {
    servers
        .iter()
        .map(|s| {
            let target = Target {
                prom: &s.prom,
                config_file: s.spec.config_file.as_deref(),
                pid_file: s.spec.pid_file.as_deref(),
                pid: None,
                agent: s.spec.role == crate::inventory::cluster::Role::Agent,
            };
            (
                s.spec.name.clone(),
                crate::redact::url_text(&s.spec.url),
                target,
            )
        })
        .collect()
}

/// Something that happened, in order; the command renders each as it comes.
#[derive(Debug, Clone, PartialEq)]
pub enum ReloadStep {
    /// A roll moves to server `index` (0-based) of `total`.
    Server {
        index: usize,
        total: usize,
        name: String,
        url: String,
    },
    /// `--no-check`: the file was not validated.
    NotValidated(PathBuf),
    /// promtool is not installed: only the built-in checks ran.
    PromtoolMissing,
    /// The dry run's plan, and what Prometheus says about its lifecycle API.
    DryRun {
        how: String,
        confirm_url: String,
        lifecycle_api: Option<bool>,
    },
    /// POST answered 403; SIGHUP goes to this PID instead.
    FallingBackToSignal(i32),
    Signalled(i32),
    States {
        before: ReloadState,
        after: Option<ReloadState>,
    },
    /// Prometheus runs a config other than the file (where they differ).
    RunningDiffers {
        file: PathBuf,
        at: Vec<String>,
    },
    /// The running config could not be compared with the file.
    NotCompared(String),
    Confirmed,
    /// Every server of a roll reloaded and confirmed.
    RollDone(usize),
}

#[derive(Debug, thiserror::Error)]
pub enum ReloadError {
    /// Bad input: a PID that is not Prometheus, an unreadable file.
    #[error("{0}")]
    Input(String),
    #[error("refusing to reload: {file} is broken: {why}; nothing was sent")]
    Broken { file: String, why: String },
    #[error("cannot run promtool: {0}")]
    Promtool(std::io::Error),
    #[error(transparent)]
    Api(#[from] ApiError),
    #[error("POST /-/reload answered 403 (lifecycle API disabled) and nothing was signalled: {0}")]
    NothingToSignal(String),
    #[error("POST /-/reload answered 403: Prometheus runs without --web.enable-lifecycle")]
    LifecycleDisabled,
    #[error("Prometheus rejected the new config and keeps running the old one: {0}")]
    Rejected(String),
    #[error("POST /-/reload answered HTTP {0}: {1}")]
    Unexpected(u16, String),
    #[error("{0}")]
    Signal(String),
    /// The reload was sent but did not take.
    #[error(transparent)]
    NotConfirmed(#[from] super::LifecycleError),
    /// A roll stopped at `server`: which servers run which config.
    #[error("{server}: {source}; stopped: {state}")]
    Rolled {
        server: String,
        state: String,
        source: Box<ReloadError>,
    },
}

impl Classify for ReloadError {
    fn kind(&self) -> Kind {
        match self {
            ReloadError::Input(_) => Kind::Usage,
            ReloadError::Api(e) => e.kind(),
            ReloadError::Unexpected(..) => Kind::Unreachable,
            _ => Kind::Failed,
        }
    }

    fn hint(&self) -> Option<String> {
        Some(match self {
            ReloadError::Broken { .. } => "fix the file, or pass --no-check to reload anyway".into(),
            ReloadError::NothingToSignal(_) => "start Prometheus with --web.enable-lifecycle, or run this on Prometheus' host (with --pid / --pid-file when several run)".into(),
            ReloadError::LifecycleDisabled => "start Prometheus with --web.enable-lifecycle, or use --method signal (SIGHUP)".into(),
            ReloadError::Api(e) => return e.hint(),
            ReloadError::Rolled { server, .. } => format!(
                "fix {server} and run reload again (already reloaded servers are confirmed again)"
            ),
            _ => return None,
        })
    }
}

/// The servers one at a time: each is validated, reloaded and confirmed
/// before the next is touched; the first failure stops the roll, and the
/// error says which servers run the new config and which the old.
pub(crate) async fn roll(
    servers: &[(String, String, Target<'_>)],
    opts: ReloadOptions,
    step: &mut dyn FnMut(ReloadStep),
) -> Result<(), ReloadError> {
    for (i, (name, url, target)) in servers.iter().enumerate() {
        step(ReloadStep::Server {
            index: i,
            total: servers.len(),
            name: name.clone(),
            url: url.clone(),
        });
        if let Err(e) = reload(target, opts, step).await {
            let done: Vec<&str> = servers[..i].iter().map(|s| s.0.as_str()).collect();
            let rest: Vec<&str> = servers[i + 1..].iter().map(|s| s.0.as_str()).collect();
            let mut state = if done.is_empty() {
                "none runs the new config".to_string()
            } else {
                format!("{} run(s) the new config", done.join(", "))
            };
            if !rest.is_empty() {
                state.push_str(&format!(
                    "; {} still run(s) the old one, untouched",
                    rest.join(", ")
                ));
            }
            return Err(ReloadError::Rolled {
                server: name.clone(),
                state,
                source: Box::new(e),
            });
        }
    }
    if !opts.dry_run {
        step(ReloadStep::RollDone(servers.len()));
    }
    Ok(())
}

/// Validate, send, confirm and compare one Prometheus.
pub async fn reload(
    target: &Target<'_>,
    opts: ReloadOptions,
    step: &mut dyn FnMut(ReloadStep),
) -> Result<(), ReloadError> {
    let deadline = Instant::now() + opts.timeout;
    let prom = target.prom;
    if let Some(file) = target.config_file {
        if opts.no_check {
            step(ReloadStep::NotValidated(file.to_path_buf()));
        } else {
            check_config(file, target.agent, step)?;
        }
    }
    let explicit = match opts.method {
        Method::Http => None,
        _ => explicit_pid(target.pid, target.pid_file)?,
    };
    // The addresses of this host that the URL points at (empty: served
    // elsewhere). Only a Prometheus listening there may be signalled.
    let local = super::local_addrs(prom.base_url()).await;
    // Bad input (a PID that is not Prometheus) fails before any request.
    let signal_pid = match opts.method {
        Method::Signal => Some(
            super::signal_target(explicit.as_ref(), &local, prom.base_url())
                .map_err(|e| ReloadError::Input(e.to_string()))?,
        ),
        _ => None,
    };
    if opts.dry_run {
        step(dry_run(prom, opts.method, signal_pid).await?);
        return Ok(());
    }
    let before = prom.reload_state().await?;
    super::wait_for_next_second(&before).await;
    let how = How {
        method: opts.method,
        signal_pid,
        explicit: explicit.as_ref(),
        local: &local,
    };
    send(prom, &how, &before, step).await?;
    let after = super::confirm(prom, &before, deadline).await?;
    step(ReloadStep::States {
        before: before.clone(),
        after: Some(after.clone()),
    });
    super::verdict(&before, &after, opts.timeout)?;
    if let Some(file) = target.config_file
        && let Some(differs) = compare_running(prom, file).await
    {
        step(differs);
    }
    step(ReloadStep::Confirmed);
    Ok(())
}

/// What would be sent, and whether Prometheus' lifecycle API is on; a
/// Prometheus that cannot be asked fails the dry run as it would the reload.
async fn dry_run(
    prom: &PromClient,
    method: Method,
    signal_pid: Option<i32>,
) -> Result<ReloadStep, ReloadError> {
    let how = match (method, signal_pid) {
        (Method::Signal, Some(pid)) => format!("SIGHUP to PID {pid}"),
        (Method::Http | Method::Signal, _) => format!("POST {}", prom.endpoint("-/reload")),
        (Method::Auto, _) => format!(
            "POST {}, then SIGHUP to the local Prometheus serving it if the lifecycle API is disabled",
            prom.endpoint("-/reload")
        ),
    };
    let lifecycle_api = prom
        .flags()
        .await?
        .get("web.enable-lifecycle")
        .map(|v| v == "true");
    Ok(ReloadStep::DryRun {
        how,
        confirm_url: prom.endpoint("api/v1/status/runtimeinfo").to_string(),
        lifecycle_api,
    })
}

/// How the reload is to be sent, as resolved before any request.
struct How<'a> {
    method: Method,
    signal_pid: Option<i32>,
    explicit: Option<&'a (i32, String)>,
    local: &'a [SocketAddr],
}

/// SIGHUP or POST /-/reload; with `auto`, SIGHUP on 403 only to the process
/// that serves this very URL on this host (anything else is explained, not
/// signalled).
async fn send(
    prom: &PromClient,
    how: &How<'_>,
    before: &ReloadState,
    step: &mut dyn FnMut(ReloadStep),
) -> Result<(), ReloadError> {
    if let (Method::Signal, Some(pid)) = (how.method, how.signal_pid) {
        return signal(pid, step);
    }
    match prom.reload().await? {
        ReloadAnswer::Reloaded => Ok(()),
        ReloadAnswer::LifecycleDisabled if how.method == Method::Auto => {
            let pid = if how.local.is_empty() {
                Err(format!(
                    "{} is not served by this host, so no local process is known to be that Prometheus",
                    prom.shown_url()
                ))
            } else {
                super::signal_target(how.explicit, how.local, prom.base_url())
                    .map_err(|e| e.to_string())
            }
            .map_err(ReloadError::NothingToSignal)?;
            step(ReloadStep::FallingBackToSignal(pid));
            signal(pid, step)
        }
        ReloadAnswer::LifecycleDisabled => Err(ReloadError::LifecycleDisabled),
        ReloadAnswer::Rejected(text) => {
            step(ReloadStep::States {
                before: before.clone(),
                after: prom.reload_state().await.ok(),
            });
            Err(ReloadError::Rejected(text))
        }
        ReloadAnswer::Unexpected(status, text) => Err(ReloadError::Unexpected(status, text)),
    }
}

/// The tool's own checks, then promtool's when installed; a broken config is
/// refused before anything is sent to Prometheus.
fn check_config(
    file: &Path,
    agent: bool,
    step: &mut dyn FnMut(ReloadStep),
) -> Result<(), ReloadError> {
    let broken = |why: String| ReloadError::Broken {
        file: file.display().to_string(),
        why,
    };
    validate::read_config(file).map_err(|e| match e {
        validate::ConfigError::InFile { why, .. } => broken(why),
        other => ReloadError::Input(other.to_string()),
    })?;
    let verdict = if agent {
        promtool::check_agent_config(file)
    } else {
        promtool::check("config", file)
    }
    .map_err(ReloadError::Promtool)?;
    match verdict {
        promtool::ToolVerdict::Rejected(out) => Err(broken(format!(
            "promtool: {}",
            out.trim().replace('\n', " | ")
        ))),
        promtool::ToolVerdict::Missing => {
            step(ReloadStep::PromtoolMissing);
            Ok(())
        }
        promtool::ToolVerdict::Passed(_) => Ok(()),
    }
}

/// `--pid` or the PID file, with where it came from.
fn explicit_pid(
    pid: Option<i32>,
    pid_file: Option<&Path>,
) -> Result<Option<(i32, String)>, ReloadError> {
    Ok(match (pid, pid_file) {
        (Some(p), _) => Some((p, format!("--pid {p}"))),
        (None, Some(f)) => Some((
            process::read_pid_file(f).map_err(|e| ReloadError::Input(e.to_string()))?,
            format!("PID file {}", f.display()),
        )),
        (None, None) => None,
    })
}

fn signal(pid: i32, step: &mut dyn FnMut(ReloadStep)) -> Result<(), ReloadError> {
    process::send_sighup(pid).map_err(|e| ReloadError::Signal(e.to_string()))?;
    step(ReloadStep::Signalled(pid));
    Ok(())
}

/// Nothing when Prometheus runs the file's config; otherwise where they
/// differ (e.g. it was started with a different --config.file), or why they
/// could not be compared.
async fn compare_running(prom: &PromClient, file: &Path) -> Option<ReloadStep> {
    let Ok(running) = prom.config().await else {
        return Some(ReloadStep::NotCompared(
            "could not read /api/v1/status/config to compare with the file".into(),
        ));
    };
    let parsed = crate::input::read_text(crate::input::Purpose::Config, file)
        .map_err(|e| e.to_string())
        .and_then(|t| Ok(crate::yaml::from_str::<crate::yaml::Value>(&t)?))
        .and_then(|f| {
            Ok((
                f,
                crate::yaml::from_str::<crate::yaml::Value>(&running.yaml)?,
            ))
        });
    match parsed {
        Ok((f, r)) => {
            let at = compare::differences(&f, &r);
            (!at.is_empty()).then(|| ReloadStep::RunningDiffers {
                file: file.to_path_buf(),
                at,
            })
        }
        Err(e) => Some(ReloadStep::NotCompared(format!(
            "could not compare the running config with {}: {e}",
            file.display()
        ))),
    }
}
