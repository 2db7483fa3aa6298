//! `gpucharts-mon doctor [TARGET]`: the troubleshooting list, walked in
//! order for each target, with the root cause and the command to run next.

use std::process::ExitCode;

use crate::Ctx;
use crate::cli::{DoctorArgs, ReportFormat};
use crate::context::{
    api_timeout_or, consulted_prometheus, doctor_options, named_endpoints, scrape_inventory,
};
use crate::doctor::diagnose_all;
use crate::error;

pub async fn run(args: &DoctorArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let urls: Vec<&str> = args.target.as_deref().into_iter().collect();
    let inv = scrape_inventory(&ctx.inventory, &args.security, &urls)?;
    let endpoints = named_endpoints(args.target.as_deref(), &inv)?;
    let options = doctor_options(args.timeout, args.prometheus_version, &inv)?;
    let prometheus = consulted_prometheus(
        &api_timeout_or(&args.prometheus, options.fetch.timeout),
        ctx,
        true,
    )?;
    let report = diagnose_all(endpoints, &inv, &options, prometheus.as_ref())
        .await
        .map_err(anyhow::Error::msg)?;
    match args.output.format {
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
