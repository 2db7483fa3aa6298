//! `gpucharts-mon reload`: validate, reload (HTTP or SIGHUP), and confirm
//! with Prometheus itself that the new config is running.

use std::process::ExitCode;
use std::time::Duration;

use crate::Ctx;
use crate::cli::{ReloadArgs, ReloadMethod};
use crate::context::{api_timeout_or, prometheus_client, reload_files, server_clients};
use crate::error;
use crate::lifecycle::reload::{self, Method, ReloadOptions, Target};
use crate::output::reload::show;

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

pub async fn run(args: &ReloadArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let inv = &ctx.inventory;
    let api = api_timeout_or(&args.prometheus, DEFAULT_TIMEOUT);
    let timeout = api.timeout.map_or(DEFAULT_TIMEOUT, |t| t.as_std());
    let opts = ReloadOptions {
        method: match args.method {
            ReloadMethod::Http => Method::Http,
            ReloadMethod::Signal => Method::Signal,
            ReloadMethod::Auto => Method::Auto,
        },
        no_check: args.no_check,
        dry_run: args.dry_run,
        timeout,
    };
    let mut step = show;
    let servers = &inv.prometheus.cluster.servers;
    if args.prometheus.prometheus.is_empty() && !servers.is_empty() {
        if args.pid.is_some() || args.pid_file.is_some() || args.config_file.is_some() {
            return Err(error::usage(
                "the inventory lists several servers: their config_file and pid_file come from prometheus.servers, not --config-file/--pid-file/--pid",
            ));
        }
        let clients = server_clients(&api, servers)?;
        reload::roll(&reload::cluster_targets(&clients), opts, &mut step)
            .await
            .map_err(error::domain)?;
        return Ok(ExitCode::SUCCESS);
    }
    let prom = prometheus_client(&api, ctx)?;
    let (config_file, pid_file) =
        reload_files(args.config_file.as_deref(), args.pid_file.as_deref(), inv);
    let target = Target {
        prom: &prom,
        config_file: config_file.as_deref(),
        pid_file: pid_file.as_deref(),
        pid: args.pid,
        agent: false,
    };
    reload::reload(&target, opts, &mut step)
        .await
        .map_err(error::domain)?;
    Ok(ExitCode::SUCCESS)
}
