//! `gpucharts-mon serve-demo`: demo logger and server endpoints over HTTP.

use std::process::ExitCode;
use std::sync::Arc;

use crate::Ctx;
use crate::catalogue::Catalogue;
use crate::cli::ServeDemoArgs;
use crate::demo::Faults;
use crate::demo::server::{bind, serve, services};

pub async fn run(args: &ServeDemoArgs, _ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let catalogue = Arc::new(Catalogue::embedded().map_err(anyhow::Error::msg)?);
    let (logger, server) = services(&catalogue)?;
    let faults = Faults {
        slow_ms: args.slow,
        fail_health: args.fail_health,
        malformed: args.malformed,
    };
    let (l_listener, s_listener) = bind(args.bind, args.logger_port, args.server_port).await?;
    for (name, l) in [("logger", &l_listener), ("server", &s_listener)] {
        if let Ok(addr) = l.local_addr() {
            eprintln!("demo {name}: http://{addr}/metrics and /health");
        }
    }
    let l_task = tokio::spawn(serve(l_listener, logger, catalogue.clone(), faults));
    let s_task = tokio::spawn(serve(s_listener, server, catalogue, faults));
    eprintln!("serving until Ctrl-C");
    let _ = tokio::signal::ctrl_c().await;
    l_task.abort();
    s_task.abort();
    Ok(ExitCode::SUCCESS)
}
