//! `gpucharts-mon doctor [TARGET]`: the troubleshooting list, walked in
//! order for each target, with the root cause and the command to run next.

use std::process::ExitCode;

use serde::Serialize;

use crate::Ctx;
use crate::catalogue::{Catalogue, ServiceRole};
use crate::cli::{DoctorArgs, ReportFormat};
use crate::context::{base_url, prometheus_client_at, scrape_inventory, service_endpoint};
use crate::doctor::{Diagnosis, Setup, diagnose, job_of};
use crate::error;
use crate::inventory::{Discovery, Inventory};
use crate::probe::pull::{MAX_REDIRECTS, default_options};
use crate::probe::security::ScrapeSecurity;
use crate::probe::{CheckOptions, Endpoint};
use crate::promconfig::build::scrape_job;

#[derive(Serialize)]
struct DoctorReport {
    ok: bool,
    targets: Vec<Diagnosis>,
}

pub async fn run(args: &DoctorArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let inv = scrape_inventory(&ctx.inventory, &args.security)?;
    let endpoints = targets(args.target.as_deref(), &inv)?;
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
        ..default_options()
    };
    let url = args
        .prometheus
        .clone()
        .or_else(|| inv.prometheus.url.as_ref().map(|u| u.value.clone()));
    let prometheus = match &url {
        Some(u) => Some(prometheus_client_at(u, &inv)?),
        None => None,
    };
    let catalogue = Catalogue::embedded().map_err(anyhow::Error::msg)?;
    let mut report = DoctorReport {
        ok: true,
        targets: Vec::new(),
    };
    for e in &endpoints {
        let job = job_of(e.role, &inv);
        let setup = Setup {
            options: &options,
            catalogue: &catalogue,
            prometheus: prometheus.as_ref(),
            job: job.as_deref(),
            allowed_sources: &inv.prometheus.allowed_sources.value,
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
    let roles: Vec<ServiceRole> = match target.map(str::parse::<ServiceRole>) {
        Some(Ok(role)) => vec![role],
        Some(Err(_)) => {
            let text = target.unwrap_or_default();
            let probe_url = base_url(text, "http")?;
            let port = probe_url.port_or_known_default();
            let role = ServiceRole::ALL
                .into_iter()
                .find(|r| Some(inv.service(*r).port) == port);
            return Ok(vec![address_endpoint(text, role, inv)?]);
        }
        None => ServiceRole::ALL.to_vec(),
    };
    let mut out = Vec::new();
    for role in roles {
        let svc = inv.service(role);
        let addrs: Vec<String> = match svc.discovery {
            Discovery::Static | Discovery::FileSd => svc
                .instances()
                .value
                .iter()
                .map(ToString::to_string)
                .collect(),
            _ => vec![format!("localhost:{}", svc.port)],
        };
        for a in addrs {
            out.push(address_endpoint(&a, Some(role), inv)?);
        }
    }
    Ok(out)
}

/// One address, fetched with the security of its service's job (or the
/// logger's, for other addresses: the inventory's scrape section).
fn address_endpoint(
    addr: &str,
    role: Option<ServiceRole>,
    inv: &Inventory,
) -> anyhow::Result<Endpoint> {
    let svc = inv.service(role.unwrap_or(ServiceRole::Logger));
    let job = scrape_job(inv, svc);
    let security =
        ScrapeSecurity::from_job(&job, std::path::Path::new(".")).map_err(error::usage)?;
    let mut e = service_endpoint(
        role.unwrap_or(ServiceRole::Logger),
        addr,
        0,
        &job,
        &security,
    )?;
    e.name = addr.to_string();
    e.role = role;
    if role.is_none() {
        e.health_url = None;
    }
    Ok(e)
}
