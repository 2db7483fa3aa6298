//! `gpucharts-mon serve-demo`: demo logger and server endpoints over HTTP.

use std::process::ExitCode;

use crate::Ctx;
use crate::cli::ServeDemoArgs;
use crate::context::demo_port;
use crate::demo::Faults;
use crate::demo::server::{Guard, embedded, listen, serve};
use crate::error;

pub async fn run(args: &ServeDemoArgs, _ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let (catalogue, services) = embedded().map_err(error::domain)?;
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
    for (service, families) in services {
        let Some(port) = demo_port(args, service) else {
            continue;
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
