//! `gpucharts-mon reload`: validate, reload (HTTP or SIGHUP), and confirm
//! with Prometheus itself that the new config is running.

use std::net::SocketAddr;
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use crate::Ctx;
use crate::cli::{ReloadArgs, ReloadMethod};
use crate::context::{prometheus_client, prometheus_client_for};
use crate::error::{self, Kind};
use crate::inventory::cluster::{Role, ServerSpec};
use crate::promapi::PromClient;
use crate::promapi::classify;
use crate::promapi::reload::{ReloadAnswer, ReloadState};
use crate::promconfig::{compare, validate};
use crate::promtool;
use crate::{lifecycle, process};

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

pub async fn run(args: &ReloadArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let inv = &ctx.inventory;
    let timeout = args
        .prometheus
        .timeout
        .map_or(DEFAULT_TIMEOUT, |t| t.as_std());
    let servers = &inv.prometheus.cluster.servers;
    if args.prometheus.prometheus.is_empty() && !servers.is_empty() {
        return rolling(args, servers, timeout).await;
    }
    let prom = prometheus_client(&args.prometheus, inv, timeout)?;
    let (config_file, pid_file) =
        crate::context::reload_files(args.config_file.as_deref(), args.pid_file.as_deref(), inv);
    let one = One {
        prom: &prom,
        config_file: config_file.as_deref(),
        pid_file: pid_file.as_deref(),
        agent: false,
    };
    reload_one(args, &one, timeout).await?;
    Ok(ExitCode::SUCCESS)
}

/// One Prometheus to reload, and the files that describe it.
struct One<'a> {
    prom: &'a PromClient,
    config_file: Option<&'a Path>,
    pid_file: Option<&'a Path>,
    /// Agent mode: its config is checked with `promtool check config --agent`.
    agent: bool,
}

/// The inventory's servers one at a time: each is validated, reloaded and
/// confirmed before the next is touched; the first failure stops the roll
/// and the report says which servers run the new config and which the old.
async fn rolling(
    args: &ReloadArgs,
    servers: &[ServerSpec],
    timeout: Duration,
) -> anyhow::Result<ExitCode> {
    if args.pid.is_some() || args.pid_file.is_some() || args.config_file.is_some() {
        return Err(error::usage(
            "the inventory lists several servers: their config_file and pid_file come from prometheus.servers, not --config-file/--pid-file/--pid",
        ));
    }
    let mut done: Vec<&str> = Vec::new();
    for (i, server) in servers.iter().enumerate() {
        crate::outln!(
            "[{}/{}] {} ({})",
            i + 1,
            servers.len(),
            server.name,
            crate::redact::url_text(&server.url)
        );
        let origin = format!("prometheus.servers {}", server.name);
        let result = async {
            let prom = prometheus_client_for(&args.prometheus, &server.url, &origin, timeout)?;
            let one = One {
                prom: &prom,
                config_file: server.config_file.as_deref(),
                pid_file: server.pid_file.as_deref(),
                agent: server.role == Role::Agent,
            };
            reload_one(args, &one, timeout).await
        }
        .await;
        if let Err(e) = result {
            let rest: Vec<&str> = servers[i + 1..].iter().map(|s| s.name.as_str()).collect();
            let new = if done.is_empty() {
                "none runs the new config".to_string()
            } else {
                format!("{} run(s) the new config", done.join(", "))
            };
            let untouched = if rest.is_empty() {
                String::new()
            } else {
                format!("; {} still run(s) the old one, untouched", rest.join(", "))
            };
            return Err(error::classified(
                Kind::Failed,
                format!("{}: {e:#}; stopped: {new}{untouched}", server.name),
                Some(format!(
                    "fix {} and run reload again (already reloaded servers are confirmed again)",
                    server.name
                )),
            ));
        }
        done.push(&server.name);
    }
    if !args.dry_run {
        crate::outln!(
            "all {} servers reloaded and confirmed, one at a time",
            servers.len()
        );
    }
    Ok(ExitCode::SUCCESS)
}

async fn reload_one(args: &ReloadArgs, one: &One<'_>, timeout: Duration) -> anyhow::Result<()> {
    let deadline = Instant::now() + timeout;
    let prom = one.prom;
    if let Some(file) = one.config_file {
        if args.no_check {
            error::warn(format!("--no-check: {} is not validated", file.display()));
        } else {
            check_config(file, one.agent)?;
        }
    }
    let explicit = match args.method {
        ReloadMethod::Http => None,
        _ => explicit_pid(args.pid, one.pid_file)?,
    };
    // The addresses of this host that the URL points at (empty: served
    // elsewhere). Only a Prometheus listening there may be signalled.
    let local = lifecycle::local_addrs(prom.base_url()).await;
    // Bad input (a PID that is not Prometheus) fails before any request.
    let signal_pid = match args.method {
        ReloadMethod::Signal => Some(
            lifecycle::signal_target(explicit.as_ref(), &local, prom.base_url())
                .map_err(error::usage)?,
        ),
        _ => None,
    };
    if args.dry_run {
        dry_run(prom, args.method, signal_pid).await;
        return Ok(());
    }
    let before = prom.reload_state().await.map_err(classify)?;
    lifecycle::wait_for_next_second(&before).await;
    let sent = Sent {
        method: args.method,
        signal_pid,
        explicit: explicit.as_ref(),
        local: &local,
    };
    send(prom, &sent, &before).await?;
    let after = lifecycle::confirm(prom, &before, deadline)
        .await
        .map_err(classify)?;
    report_states(&before, &Some(after.clone()));
    lifecycle::verdict(&before, &after, timeout).map_err(error::failed)?;
    if let Some(file) = one.config_file {
        compare_running(prom, file).await;
    }
    crate::outln!("reload confirmed");
    Ok(())
}

/// Say what would be sent and whether Prometheus' lifecycle API is on.
async fn dry_run(prom: &PromClient, method: ReloadMethod, signal_pid: Option<i32>) {
    let how = match (method, signal_pid) {
        (ReloadMethod::Signal, Some(pid)) => format!("SIGHUP to PID {pid}"),
        (ReloadMethod::Http | ReloadMethod::Signal, _) => {
            format!("POST {}", prom.endpoint("-/reload"))
        }
        (ReloadMethod::Auto, _) => format!(
            "POST {}, then SIGHUP to the local Prometheus serving it if the lifecycle API is disabled",
            prom.endpoint("-/reload")
        ),
    };
    crate::outln!(
        "dry run: would {how}, then confirm through {}",
        prom.endpoint("api/v1/status/runtimeinfo")
    );
    // What Prometheus says about its lifecycle API, when it can be asked.
    if let Ok(flags) = prom.flags().await {
        match flags.get("web.enable-lifecycle").map(String::as_str) {
            Some("true") => crate::outln!(
                "Prometheus runs with --web.enable-lifecycle: POST /-/reload will work"
            ),
            Some(_) => crate::outln!(
                "Prometheus runs without --web.enable-lifecycle: POST /-/reload would answer 403"
            ),
            None => {}
        }
    }
}

/// How the reload is to be sent, as resolved before any request.
struct Sent<'a> {
    method: ReloadMethod,
    signal_pid: Option<i32>,
    explicit: Option<&'a (i32, String)>,
    local: &'a [SocketAddr],
}

/// SIGHUP or POST /-/reload; with `auto`, SIGHUP on 403 only to the process
/// that serves this very URL on this host (anything else is explained, not
/// signalled).
async fn send(prom: &PromClient, sent: &Sent<'_>, before: &ReloadState) -> anyhow::Result<()> {
    if let (ReloadMethod::Signal, Some(pid)) = (sent.method, sent.signal_pid) {
        return signal(pid);
    }
    match prom.reload().await.map_err(classify)? {
        ReloadAnswer::Reloaded => Ok(()),
        ReloadAnswer::LifecycleDisabled if sent.method == ReloadMethod::Auto => {
            let pid = if sent.local.is_empty() {
                Err(format!(
                    "{} is not served by this host, so no local process is known to be that Prometheus",
                    prom.shown_url()
                ))
            } else {
                lifecycle::signal_target(sent.explicit, sent.local, prom.base_url())
            }
            .map_err(|e| {
                error::classified(
                    Kind::Failed,
                    format!("POST /-/reload answered 403 (lifecycle API disabled) and nothing was signalled: {e}"),
                    Some("start Prometheus with --web.enable-lifecycle, or run this on Prometheus' host (with --pid / --pid-file when several run)".into()),
                )
            })?;
            eprintln!(
                "/-/reload answered 403 (lifecycle API disabled); sending SIGHUP to PID {pid} instead"
            );
            signal(pid)
        }
        ReloadAnswer::LifecycleDisabled => Err(error::classified(
            Kind::Failed,
            "POST /-/reload answered 403: Prometheus runs without --web.enable-lifecycle",
            Some(
                "start Prometheus with --web.enable-lifecycle, or use --method signal (SIGHUP)"
                    .into(),
            ),
        )),
        ReloadAnswer::Rejected(text) => {
            report_states(before, &prom.reload_state().await.ok());
            Err(error::failed(format!(
                "Prometheus rejected the new config and keeps running the old one: {text}"
            )))
        }
        ReloadAnswer::Unexpected(status, text) => Err(error::unreachable(format!(
            "POST /-/reload answered HTTP {status}: {text}"
        ))),
    }
}

/// The tool's own checks, then promtool's when installed; a broken config is
/// refused before anything is sent to Prometheus.
fn check_config(file: &Path, agent: bool) -> anyhow::Result<()> {
    let text = crate::input::read_text(crate::input::Purpose::Config, file)
        .map_err(|e| error::usage(format!("cannot read config file {}: {e}", file.display())))?;
    let refuse = |why: String| {
        error::classified(
            Kind::Failed,
            format!(
                "refusing to reload: {} is broken: {why}; nothing was sent",
                file.display()
            ),
            Some("fix the file, or pass --no-check to reload anyway".into()),
        )
    };
    validate::check_config_text(&text).map_err(refuse)?;
    let verdict = if agent {
        promtool::check_agent_config(file)?
    } else {
        promtool::check("config", file)?
    };
    match verdict {
        promtool::Verdict::Rejected(out) => Err(refuse(format!(
            "promtool: {}",
            out.trim().replace('\n', " | ")
        ))),
        promtool::Verdict::Missing => {
            eprintln!("gpucharts-mon: note: promtool is not on PATH; only the built-in checks ran");
            Ok(())
        }
        promtool::Verdict::Passed(_) => Ok(()),
    }
}

/// `--pid` or the PID file, with where it came from.
fn explicit_pid(
    pid: Option<i32>,
    pid_file: Option<&Path>,
) -> anyhow::Result<Option<(i32, String)>> {
    Ok(match (pid, pid_file) {
        (Some(p), _) => Some((p, format!("--pid {p}"))),
        (None, Some(f)) => Some((
            process::read_pid_file(f).map_err(error::usage)?,
            format!("PID file {}", f.display()),
        )),
        (None, None) => None,
    })
}

fn signal(pid: i32) -> anyhow::Result<()> {
    process::send_sighup(pid).map_err(error::failed)?;
    eprintln!("sent SIGHUP to PID {pid}");
    Ok(())
}

fn report_states(before: &ReloadState, after: &Option<ReloadState>) {
    let show = |s: &ReloadState| {
        let ok = match s.success {
            Some(true) => "last reload successful",
            Some(false) => "last reload FAILED",
            None => "reload status unknown",
        };
        format!("{} ({ok}, from {})", s.last_config_text, s.source)
    };
    crate::outln!("config time before: {}", show(before));
    if let Some(a) = after {
        crate::outln!("config time after:  {}", show(a));
    }
}

/// Warn when Prometheus runs a config other than the file, e.g. because it
/// was started with a different --config.file.
async fn compare_running(prom: &PromClient, file: &Path) {
    let Ok(running) = prom.config().await else {
        error::warn("could not read /api/v1/status/config to compare with the file");
        return;
    };
    let parsed = crate::input::read_text(crate::input::Purpose::Config, file)
        .map_err(|e| e.to_string())
        .and_then(|t| crate::yaml::from_str::<crate::yaml::Value>(&t))
        .and_then(|f| crate::yaml::from_str::<crate::yaml::Value>(&running.yaml).map(|r| (f, r)));
    match parsed {
        Ok((f, r)) => {
            let diffs = compare::differences(&f, &r);
            if !diffs.is_empty() {
                error::warn(format!(
                    "Prometheus runs a different config than {} (differs at {}); was it started with another --config.file?",
                    file.display(),
                    diffs.iter().take(5).cloned().collect::<Vec<_>>().join(", ")
                ));
            }
        }
        Err(e) => error::warn(format!(
            "could not compare the running config with {}: {e}",
            file.display()
        )),
    }
}
