//! Text assets (alert rules, compose file, Grafana datasource, inventory
//! example) are minijinja templates embedded in the binary; a `--templates
//! DIR` holding a file of the same name overrides the embedded one.

use std::path::Path;

use serde::Serialize;

use crate::error;

pub const RULES: &str = "alert-rules.yml.j2";
pub const COMPOSE: &str = "docker-compose.monitoring-pull.yml.j2";
pub const GRAFANA_DATASOURCE: &str = "grafana-datasource.yml.j2";
pub const INVENTORY: &str = "gpucharts-mon.yaml.j2";

const EMBEDDED: [(&str, &str); 4] = [
    (RULES, include_str!("../templates/alert-rules.yml.j2")),
    (
        COMPOSE,
        include_str!("../templates/docker-compose.monitoring-pull.yml.j2"),
    ),
    (
        GRAFANA_DATASOURCE,
        include_str!("../templates/grafana-datasource.yml.j2"),
    ),
    (
        INVENTORY,
        include_str!("../templates/gpucharts-mon.yaml.j2"),
    ),
];

/// Render template `name` with `ctx`, preferring `override_dir/name`.
pub fn render(
    name: &str,
    ctx: impl Serialize,
    override_dir: Option<&Path>,
) -> anyhow::Result<String> {
    let source = match override_dir.map(|d| d.join(name)).filter(|p| p.is_file()) {
        Some(path) => std::fs::read_to_string(&path)
            .map_err(|e| error::usage(format!("cannot read template {}: {e}", path.display())))?,
        None => EMBEDDED
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, s)| (*s).to_string())
            .ok_or_else(|| error::usage(format!("no template named {name}")))?,
    };
    let mut env = minijinja::Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    env.set_keep_trailing_newline(true);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.add_template_owned(name.to_string(), source)
        .and_then(|()| env.get_template(name)?.render(ctx))
        .map_err(|e| error::usage(format!("template {name}: {e}")))
}
