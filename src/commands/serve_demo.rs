//! `gpucharts-mon serve-demo`: demo logger and server endpoints over HTTP.

use std::process::ExitCode;
use std::sync::Arc;

use crate::Ctx;
use crate::catalogue::Catalogue;
use crate::catalogue::ServiceRole;
use crate::cli::ServeDemoArgs;
use crate::demo::Faults;
use crate::demo::server::{Guard, listen, serve, services};
use crate::error;

pub async fn run(args: &ServeDemoArgs, _ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let catalogue = Arc::new(Catalogue::embedded().map_err(anyhow::Error::msg)?);
    let (logger, server) = services(&catalogue).map_err(error::domain)?;
    let mut faults = Faults::default().with(&args.faults);
    faults.slow_ms = args.slow;
    faults.fail_health = args.fail_health;
    faults.malformed = args.malformed;
    let guard = Guard::from_files(
        args.tls_cert.as_deref().zip(args.tls_key.as_deref()),
        args.tls_client_ca.as_deref(),
        args.basic_auth_user
            .as_deref()
            .zip(args.basic_auth_password_file.as_deref()),
    )
    .map_err(error::domain)?;
    let scheme = if guard.tls.is_some() { "https" } else { "http" };
    let mut tasks = Vec::new();
    for (service, default_port, families) in [
        (ServiceRole::Logger, args.logger_port, logger),
        (ServiceRole::Server, args.server_port, server),
    ] {
        // --only serves one service, on METRICS_PORT when set, as the services do.
        let port = match args.only {
            Some(only) if only != service => continue,
            Some(_) => args.metrics_port.unwrap_or(default_port),
            None => default_port,
        };
        let listener = listen(args.bind, port).await.map_err(error::domain)?;
        if let Ok(addr) = listener.local_addr() {
            eprintln!(
                "demo {}: {scheme}://{addr}/metrics and /health",
                service.name()
            );
        }
        tasks.push(tokio::spawn(serve(
            listener,
            families,
            catalogue.clone(),
            faults,
            guard.clone(),
        )));
    }
    eprintln!("serving until Ctrl-C");
    let _ = tokio::signal::ctrl_c().await;
    for t in tasks {
        t.abort();
    }
    Ok(ExitCode::SUCCESS)
}
