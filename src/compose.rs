//! The Compose file of the monitoring stack (and Grafana's datasource
//! provisioning): what each container mounts, built from the inventory.

use std::path::Path;

use serde::Serialize;

use crate::catalogue::ServiceRole;
use crate::error;
use crate::inventory::{Discovery, Inventory, Sourced};
use crate::templates;
use crate::values::HostPort;

/// The datasource provisioning file written beside the compose file.
pub(crate) const GRAFANA_DATASOURCE_FILE: &str = "grafana-datasource.yml";

/// What the stack holds and where its files are, relative to the compose
/// file.
pub(crate) struct ComposeOptions<'a> {
    /// Written by gen-stack: every mounted file is generated beside it.
    pub stack: bool,
    pub with_grafana: bool,
    pub with_alertmanager: bool,
    pub prometheus_port: u16,
    pub prometheus_config: &'a str,
    pub alertmanager_config: &'a str,
    /// A rules file mounted beside prometheus.yml (so a relative
    /// `rule_files` entry of its file name finds it).
    pub rules: Option<&'a str>,
    /// Grafana dashboards: the folder gen-dashboards wrote (its
    /// provisioning file inside).
    pub dashboards: Option<&'a str>,
}

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
    prometheus_volumes: Vec<String>,
    grafana_volumes: Vec<String>,
    alertmanager_config: &'a str,
    alertmanager_volume: String,
    stack: bool,
    with_grafana: bool,
    with_alertmanager: bool,
    scrape_interval: String,
}

/// The rendered compose file, and the datasource file with Grafana.
pub(crate) struct Rendered {
    pub compose: String,
    pub datasource: Option<String>,
}

/// The last path component of a mount source, for its place in the
/// container.
fn file_name(path: &str) -> &str {
    Path::new(path)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(path)
}

/// The inventory as the compose network of gen-stack sees it: each service
/// scraped at its compose service name, the rules in `rules_file` beside
/// prometheus.yml, the Alertmanager by name.
pub(crate) fn stack_inventory(inv: &Inventory, rules_file: &str) -> Inventory {
    let mut inv = inv.clone();
    for role in ServiceRole::ALL {
        let svc = inv.service_mut(role);
        let addr = HostPort {
            host: role.name().to_string(),
            port: svc.port,
        };
        svc.discovery = Discovery::Static;
        svc.instances = Some(Sourced::new(vec![addr], "gen-stack"));
    }
    inv.prometheus.rule_files = vec![rules_file.to_string()];
    inv.alertmanagers = vec![HostPort {
        host: "alertmanager".into(),
        port: 9093,
    }];
    inv
}

/// Why the compose file could not be rendered: a flag or path it cannot
/// hold, or a template that failed or did not produce YAML (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum ComposeError {
    #[error("--prometheus-port {port} clashes with another published port of the stack ({taken})")]
    PortClash { port: u16, taken: String },
    #[error(
        "{what} path {path:?} cannot be a compose mount source: it must not be empty or hold ':' or ',' (a volume is SOURCE:TARGET:MODE)"
    )]
    MountSource { what: &'static str, path: String },
    #[error(transparent)]
    Template(#[from] templates::TemplateError),
    #[error("the {name} template did not produce YAML: {reason}")]
    NotYaml { name: &'static str, reason: String },
}

impl error::Classify for ComposeError {
    fn kind(&self) -> error::Kind {
        error::Kind::Usage
    }
}

pub(crate) fn render(
    inv: &Inventory,
    opts: &ComposeOptions,
    templates_dir: Option<&Path>,
) -> Result<Rendered, ComposeError> {
    let taken = [inv.logger.port, inv.server.port, 3000, 9093];
    if taken.contains(&opts.prometheus_port) {
        return Err(ComposeError::PortClash {
            port: opts.prometheus_port,
            taken: taken.map(|p| p.to_string()).join(", "),
        });
    }
    let provisioning = opts.dashboards.map(|d| {
        format!(
            "{}/{}",
            d.trim_end_matches('/'),
            crate::dashboards::PROVISIONING_FILE
        )
    });
    // A volume is `SOURCE:TARGET:MODE`: a `:` (or a comma, or a control
    // character) in a source path would change what is mounted where.
    for (what, path) in [
        ("the Prometheus config", Some(opts.prometheus_config)),
        ("the Alertmanager config", Some(opts.alertmanager_config)),
        ("--rules", opts.rules),
        ("--dashboards", opts.dashboards),
        ("the dashboards provisioning file", provisioning.as_deref()),
    ] {
        if let Some(p) = path
            && (p.is_empty() || p.contains([':', ',']) || p.chars().any(char::is_control))
        {
            return Err(ComposeError::MountSource {
                what,
                path: crate::text::terminal_safe(p).into_owned(),
            });
        }
    }
    let mut prometheus_volumes = vec![format!(
        "{}:/etc/prometheus/prometheus.yml:ro",
        opts.prometheus_config
    )];
    if let Some(rules) = opts.rules {
        prometheus_volumes.push(format!("{rules}:/etc/prometheus/{}:ro", file_name(rules)));
    }
    let mut grafana_volumes = vec![format!(
        "./{GRAFANA_DATASOURCE_FILE}:/etc/grafana/provisioning/datasources/gpu-charts.yml:ro"
    )];
    if let (Some(provisioning), Some(dir)) = (&provisioning, opts.dashboards) {
        grafana_volumes.push(format!(
            "{provisioning}:/etc/grafana/provisioning/dashboards/gpu-charts.yml:ro"
        ));
        grafana_volumes.push(format!("{dir}:{}:ro", crate::dashboards::CONTAINER_DIR));
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
        prometheus_port: opts.prometheus_port,
        prometheus_config: opts.prometheus_config,
        prometheus_volumes,
        grafana_volumes,
        alertmanager_config: opts.alertmanager_config,
        alertmanager_volume: format!(
            "{}:/etc/alertmanager/alertmanager.yml:ro",
            opts.alertmanager_config
        ),
        stack: opts.stack,
        with_grafana: opts.with_grafana,
        with_alertmanager: opts.with_alertmanager,
        scrape_interval: inv.prometheus.scrape_interval.value.to_string(),
    };
    let compose = templates::render(templates::COMPOSE, &context, templates_dir)?;
    let datasource = if opts.with_grafana {
        Some(templates::render(
            templates::GRAFANA_DATASOURCE,
            &context,
            templates_dir,
        )?)
    } else {
        None
    };
    for (name, text) in std::iter::once(("compose file", &compose))
        .chain(datasource.iter().map(|t| ("datasource", t)))
    {
        crate::yaml::from_str::<crate::yaml::Value>(text).map_err(|e| ComposeError::NotYaml {
            name,
            reason: e.to_string(),
        })?;
    }
    Ok(Rendered {
        compose,
        datasource,
    })
}
