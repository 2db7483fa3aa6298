//! `gpucharts-mon gen-compose`: docker-compose.monitoring-pull.yml.

use std::process::ExitCode;

use serde::Serialize;

use crate::Ctx;
use crate::cli::GenComposeArgs;
use crate::error;
use crate::output::files::{Bundle, WriteOptions, write_bundle};
use crate::templates;

/// The provisioning file written beside the compose file with --with-grafana.
pub const GRAFANA_DATASOURCE_FILE: &str = "grafana-datasource.yml";

#[derive(Serialize)]
struct ServiceCtx<'a> {
    image: &'a str,
    port: u16,
}

#[derive(Serialize)]
struct ComposeCtx<'a> {
    logger: ServiceCtx<'a>,
    server: ServiceCtx<'a>,
    prometheus_port: u16,
    prometheus_config: &'a str,
    /// Volume specs are built here, whole, so a path is one escaped value.
    prometheus_volume: String,
    grafana_volume: String,
    alertmanager_config: &'a str,
    alertmanager_volume: String,
    with_grafana: bool,
    with_alertmanager: bool,
    scrape_interval: String,
}

pub fn run(args: &GenComposeArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let inv = &ctx.inventory;
    let taken = [inv.logger.port, inv.server.port, 3000, 9093];
    if taken.contains(&args.prometheus_port) {
        return Err(error::usage(format!(
            "--prometheus-port {} clashes with another published port of the stack ({})",
            args.prometheus_port,
            taken.map(|p| p.to_string()).join(", ")
        )));
    }
    let context = ComposeCtx {
        logger: ServiceCtx {
            image: &inv.logger.image,
            port: inv.logger.port,
        },
        server: ServiceCtx {
            image: &inv.server.image,
            port: inv.server.port,
        },
        prometheus_port: args.prometheus_port,
        prometheus_config: &args.prometheus_config,
        prometheus_volume: format!(
            "{}:/etc/prometheus/prometheus.yml:ro",
            args.prometheus_config
        ),
        grafana_volume: format!(
            "./{GRAFANA_DATASOURCE_FILE}:/etc/grafana/provisioning/datasources/gpu-charts.yml:ro"
        ),
        alertmanager_config: &args.alertmanager_config,
        alertmanager_volume: format!(
            "{}:/etc/alertmanager/alertmanager.yml:ro",
            args.alertmanager_config
        ),
        with_grafana: args.with_grafana,
        with_alertmanager: args.with_alertmanager,
        scrape_interval: inv.prometheus.scrape_interval.value.to_string(),
    };
    let dir = args.templates.templates.as_deref();
    let main = templates::render(templates::COMPOSE, &context, dir)?;
    let mut side_files = Vec::new();
    if args.with_grafana {
        let ds = templates::render(templates::GRAFANA_DATASOURCE, &context, dir)?;
        side_files.push((GRAFANA_DATASOURCE_FILE.to_string(), ds));
    }
    for (name, text) in std::iter::once(("compose file", &main))
        .chain(side_files.iter().map(|(n, t)| (n.as_str(), t)))
    {
        crate::yaml::from_str::<crate::yaml::Value>(text)
            .map_err(|e| error::usage(format!("the {name} template did not produce YAML: {e}")))?;
    }
    write_bundle(&Bundle { main, side_files }, &WriteOptions::from(&args.out))?;
    Ok(ExitCode::SUCCESS)
}
