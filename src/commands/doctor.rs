//! `gpucharts-mon doctor [TARGET]`: the troubleshooting list, walked in
//! order for each target, with the root cause and the command to run next.

use std::process::ExitCode;

use serde::Serialize;

use crate::Ctx;
use crate::catalogue::Catalogue;
use crate::cli::{DoctorArgs, ReportFormat};
use crate::context::{consulted_prometheus_within, named_endpoints, scrape_inventory};
use crate::doctor::{Diagnosis, Setup, diagnose, job_of};
use crate::error;
use crate::probe::CheckOptions;
use crate::probe::pull::{MAX_REDIRECTS, default_options};

#[derive(Serialize)]
struct DoctorReport {
    ok: bool,
    targets: Vec<Diagnosis>,
}

pub async fn run(args: &DoctorArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let urls: Vec<&str> = args.target.as_deref().into_iter().collect();
    let inv = scrape_inventory(&ctx.inventory, &args.security, &urls)?;
    let mut endpoints = named_endpoints(args.target.as_deref(), &inv)?;
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
    let prometheus = consulted_prometheus_within(&args.prometheus, ctx, timeout, true)?;
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
