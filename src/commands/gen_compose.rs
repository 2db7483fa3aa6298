//! `gpucharts-mon gen-compose`: docker-compose.monitoring-pull.yml.

use std::process::ExitCode;

use crate::Ctx;
use crate::cli::GenComposeArgs;
use crate::compose::{self, GRAFANA_DATASOURCE_FILE};
use crate::error;
use crate::output::files::{Bundle, WriteOptions, write_bundle};

pub fn run(args: &GenComposeArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    if args.dashboards.is_some() && !args.with_grafana {
        return Err(error::usage("--dashboards needs --with-grafana"));
    }
    let rendered = compose::render(
        &ctx.inventory,
        &compose::ComposeOptions {
            stack: false,
            with_grafana: args.with_grafana,
            with_alertmanager: args.with_alertmanager,
            prometheus_port: args.prometheus_port,
            prometheus_config: &args.prometheus_config,
            alertmanager_config: &args.alertmanager_config,
            rules: args.rules.as_deref(),
            dashboards: args.dashboards.as_deref(),
        },
        args.templates.templates.as_deref(),
    )
    .map_err(error::domain)?;
    let side_files = rendered
        .datasource
        .map(|ds| (GRAFANA_DATASOURCE_FILE.to_string(), ds))
        .into_iter()
        .collect();
    write_bundle(
        &Bundle {
            main: rendered.compose,
            side_files,
        },
        &WriteOptions::from(&args.out),
    )
    .map_err(error::domain)?;
    Ok(ExitCode::SUCCESS)
}
