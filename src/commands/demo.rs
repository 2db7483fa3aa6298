//! `gpucharts-mon demo`: with no services running anywhere, start the demo
//! endpoints in-process on free loopback ports and test-pull them.

use std::process::ExitCode;
use std::sync::Arc;

use crate::Ctx;
use crate::catalogue::{Catalogue, ServiceRole};
use crate::cli::DemoArgs;
use crate::demo::Faults;
use crate::demo::server::{Guard, listen, serve, services};
use crate::error;
use crate::probe::Endpoint;
use crate::probe::pull::{default_options, run_checks};

pub async fn run(args: &DemoArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let catalogue = Arc::new(Catalogue::embedded().map_err(anyhow::Error::msg)?);
    let (logger, server) = services(&catalogue).map_err(error::domain)?;
    let loopback = std::net::Ipv4Addr::LOCALHOST.into();
    let (l, s) = (
        listen(loopback, 0).await.map_err(error::domain)?,
        listen(loopback, 0).await.map_err(error::domain)?,
    );
    let mut endpoints = Vec::new();
    for (role, listener) in [(ServiceRole::Logger, &l), (ServiceRole::Server, &s)] {
        let addr = listener.local_addr()?;
        let url = |path: &str| {
            reqwest::Url::parse(&format!("http://{addr}{path}")).map_err(anyhow::Error::from)
        };
        endpoints.push(Endpoint {
            name: format!("demo-{}", role.name()),
            role: Some(role),
            metrics_url: url("/metrics")?,
            health_url: Some(url("/health")?),
            follow_redirects: true,
            security: crate::probe::security::ScrapeSecurity::none(),
            fallback: None,
        });
    }
    eprintln!(
        "demo endpoints on {} and {}",
        endpoints[0].metrics_url, endpoints[1].metrics_url
    );
    let l_task = tokio::spawn(serve(
        l,
        logger,
        catalogue.clone(),
        Faults::default(),
        Guard::default(),
    ));
    let s_task = tokio::spawn(serve(
        s,
        server,
        catalogue,
        Faults::default(),
        Guard::default(),
    ));
    let options = default_options();
    let bar = crate::output::endpoints_bar(endpoints.len(), options.count);
    let report = run_checks(endpoints, options, 2, None, bar).await;
    l_task.abort();
    s_task.abort();
    crate::output::pull::print(&report, args.output, ctx.color)?;
    Ok(if report.ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(error::Kind::Failed.code())
    })
}
