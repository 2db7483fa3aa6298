//! `gpucharts-mon migrate --pushgateway URL`: the seed's "Migration from
//! Push to Pull", walked against the live system.

use std::process::ExitCode;

use crate::Ctx;
use crate::cli::{MigrateArgs, ReportFormat};
use crate::context::{
    inventory_endpoints, logger_security, prometheus_client, prometheus_major, pushgateway_client,
};
use crate::error;
use crate::migrate::{Inputs, assess};
use crate::output::table::print_machine;

pub async fn run(args: &MigrateArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let inv = &ctx.inventory;
    let pushgateway = pushgateway_client(&args.pushgateway, &args.prometheus, ctx)?;
    let prometheus = prometheus_client(&args.prometheus, ctx)?;
    let endpoints = inventory_endpoints(inv)?;
    let security = logger_security(inv)?;
    let quiet_for = args.quiet_for.map_or_else(
        || inv.prometheus.scrape_interval.value.as_std() * 3,
        |d| d.as_std(),
    );
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64());
    let report = assess(&Inputs {
        inventory: inv,
        pushgateway: &pushgateway,
        prometheus: &prometheus,
        endpoints: &endpoints,
        version: prometheus_major(None, inv),
        security: &security,
        rule_files: &args.rule_files,
        dashboards: args.dashboards.as_deref(),
        quiet_for,
        now,
        delete: args.delete_migrated,
        dry_run: args.dry_run,
    })
    .await
    .map_err(error::domain)?;
    match args.output.format {
        ReportFormat::Table => crate::out!("{}", crate::output::migrate::text(&report, ctx.color)),
        format => print_machine(&report, format)?,
    }
    Ok(if report.ready {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(error::Kind::Failed.code())
    })
}
