//! `gpucharts-mon doctor [TARGET]`: the troubleshooting list, walked in
//! order for each target, with the root cause and the command to run next.

use std::process::ExitCode;

use serde::Serialize;

use crate::Ctx;
use crate::catalogue::{Catalogue, ServiceRole};
use crate::cli::{DoctorArgs, ReportFormat};
use crate::context::{
    base_url, consulted_prometheus, inventory_endpoints, role_endpoints, scrape_inventory,
    service_addresses,
};
use crate::doctor::{Diagnosis, Setup, diagnose, job_of};
use crate::error;
use crate::inventory::Inventory;
use crate::probe::pull::{MAX_REDIRECTS, default_options};
use crate::probe::{CheckOptions, Endpoint};

#[derive(Serialize)]
struct DoctorReport {
    ok: bool,
    targets: Vec<Diagnosis>,
}

pub async fn run(args: &DoctorArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let urls: Vec<&str> = args.target.as_deref().into_iter().collect();
    let inv = scrape_inventory(&ctx.inventory, &args.security, &urls)?;
    let mut endpoints = targets(args.target.as_deref(), &inv)?;
    let timeout = args.timeout.as_std();
    if timeout.is_zero() {
        return Err(error::usage("--timeout must be greater than 0"));
    }
    let options = CheckOptions {
        fetch: crate::probe::fetch::FetchOptions {
            timeout,
            max_body: 64 << 20,
            max_redirects: MAX_REDIRECTS,
            follow_redirects: true,
        },
        version: crate::context::prometheus_major(args.prometheus_version, &inv),
        ..default_options()
    };
    let prometheus = consulted_prometheus(&args.prometheus, ctx, timeout, true)?;
    let catalogue = Catalogue::embedded().map_err(anyhow::Error::msg)?;
    let mut report = DoctorReport {
        ok: true,
        targets: Vec::new(),
    };
    for e in &mut endpoints {
        // An address the inventory does not name is recognised by the
        // catalogue families it serves, so its /health is checked too.
        if e.role.is_none()
            && let Some(role) = crate::probe::identify(e, &options, &catalogue).await
        {
            e.role = Some(role);
            e.health_url = e.metrics_url.join("/health").ok();
        }
    }
    for e in &endpoints {
        let job = job_of(e.role, &inv);
        let setup = Setup {
            options: &options,
            catalogue: &catalogue,
            prometheus: prometheus.as_ref(),
            job: job.as_deref(),
            allowed_sources: &inv.prometheus.allowed_sources.value,
            config_file: inv.prometheus.config_file.as_deref(),
        };
        let d = diagnose(e, &setup).await;
        report.ok &= d.ok;
        report.targets.push(d);
    }
    match args.output {
        ReportFormat::Table => crate::out!(
            "{}",
            crate::output::doctor::table(&report.targets, ctx.color)
        ),
        format => crate::output::table::print_machine(&report, format)?,
    }
    let reached = report.targets.iter().any(|d| d.reached);
    Ok(if report.ok {
        ExitCode::SUCCESS
    } else if !reached {
        // Neither the targets nor Prometheus answered: nothing to diagnose.
        ExitCode::from(error::Kind::Unreachable.code())
    } else {
        ExitCode::from(error::Kind::Failed.code())
    })
}

/// `logger`/`server` (the inventory's instances), `HOST:PORT`, a URL, or
/// every inventory target. An address on a service's port is that service.
fn targets(target: Option<&str>, inv: &Inventory) -> anyhow::Result<Vec<Endpoint>> {
    let Some(text) = target else {
        return inventory_endpoints(inv);
    };
    if let Ok(role) = text.parse::<ServiceRole>() {
        return role_endpoints(inv, role, &service_addresses(inv, role));
    }
    let port = base_url(text, "http")?.port_or_known_default();
    let role = ServiceRole::ALL
        .into_iter()
        .find(|r| Some(inv.service(*r).port) == port);
    // Another address is fetched with the inventory's scrape security too.
    let mut e = role_endpoints(
        inv,
        role.unwrap_or(ServiceRole::Logger),
        &[text.to_string()],
    )?
    .pop()
    .ok_or_else(|| anyhow::anyhow!("no endpoint for {text}"))?;
    e.name = text.to_string();
    e.role = role;
    if role.is_none() {
        e.health_url = None;
    }
    Ok(vec![e])
}
