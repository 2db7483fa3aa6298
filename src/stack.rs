//! gen-stack: the whole monitoring stack in one folder, consistent by
//! construction: Prometheus scrapes the compose services by name, loads the
//! rules and alerts the Alertmanager; Grafana gets the datasource and the
//! dashboards; the compose file mounts each file where its image reads it.

use std::path::Path;

use crate::compose::{self, ComposeError, GRAFANA_DATASOURCE_FILE};
use crate::dashboards::{self, PROVISIONING_FILE};
use crate::error::{Classify, Kind};
use crate::inventory::Inventory;
use crate::promconfig::{self, validate::ConfigError};
use crate::ruletest::{self, RuleTestError, TestFiles};

pub(crate) const COMPOSE_FILE: &str = "docker-compose.yml";
pub(crate) const PROMETHEUS_FILE: &str = "prometheus.yml";
pub(crate) const RULES_FILE: &str = "rules.yml";
pub(crate) const RULE_TESTS_FILE: &str = "rules.test.yml";
pub(crate) const ALERTMANAGER_FILE: &str = "alertmanager.yml";
pub(crate) const DASHBOARDS_DIR: &str = "dashboards";

/// What the stack is made with, beside the inventory.
pub(crate) struct StackOptions<'a> {
    /// The host port Prometheus' UI is published on.
    pub prometheus_port: u16,
    /// Base of each alert's `runbook_url`.
    pub runbook_url: Option<&'a str>,
    /// A folder whose templates replace the embedded ones.
    pub templates: Option<&'a Path>,
    /// `--into`: an existing prometheus.yml (its name and text) that the
    /// stack's jobs are spliced into; same-named jobs adopted with `adopt`.
    pub into: Option<(&'a Path, &'a str)>,
    pub adopt: bool,
}

/// The stack's files and what the caller should say about them.
pub(crate) struct Stack {
    /// (relative path, text), the compose file first.
    pub files: Vec<(String, String)>,
    /// What the generated config cannot do as asked, and what a splice
    /// leaves to the file's owner.
    pub warnings: Vec<String>,
    /// What a splice changed in the `--into` file.
    pub notes: Vec<String>,
}

/// Why the stack cannot be made.
#[derive(Debug, thiserror::Error)]
pub(crate) enum StackError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Rules(#[from] RuleTestError),
    #[error(transparent)]
    Compose(#[from] ComposeError),
    #[error("--into {file}: {error}")]
    Into { file: String, error: String },
    /// A file of ours that does not serialise (a bug, not bad input).
    #[error("cannot render {file}: {error}")]
    Render { file: &'static str, error: String },
}

impl Classify for StackError {
    fn kind(&self) -> Kind {
        match self {
            StackError::Config(e) => e.kind(),
            StackError::Rules(e) => e.kind(),
            StackError::Compose(e) => e.kind(),
            StackError::Into { .. } => Kind::Usage,
            StackError::Render { .. } => Kind::Failed,
        }
    }
}

/// Every file of the stack for `inv`, with `alertmanager` as its
/// Alertmanager's config.
pub(crate) fn build(
    inv: &Inventory,
    alertmanager: &crate::alertmanager::Config,
    opts: &StackOptions,
) -> Result<Stack, StackError> {
    let render = |file| {
        move |e: crate::yaml::YamlError| StackError::Render {
            file,
            error: e.to_string(),
        }
    };
    let stack = compose::stack_inventory(inv, RULES_FILE);
    let generated = promconfig::build(&stack)?;
    let mut warnings = generated.warnings;
    let mut notes = Vec::new();
    let prometheus = match opts.into {
        None => promconfig::render(&generated.config).map_err(render(PROMETHEUS_FILE))?,
        Some((file, existing)) => {
            let file = file.display().to_string();
            let spliced = promconfig::splice::splice(existing, &generated.config, opts.adopt)
                .map_err(|e| StackError::Into {
                    file: file.clone(),
                    error: e.to_string(),
                })?;
            warnings.extend(spliced.left.iter().map(|w| format!("{file}: {w}")));
            notes.extend(
                spliced
                    .changes
                    .iter()
                    .map(|c| format!("{PROMETHEUS_FILE} from {file}: {c}")),
            );
            spliced.text
        }
    };
    let made = ruletest::rules_and_tests(
        inv,
        &crate::rules::inventory_overrides(inv),
        &crate::rules::RuleOptions {
            runbook_url: opts.runbook_url,
            templates: opts.templates,
            ..Default::default()
        },
        Some(TestFiles {
            rules: RULES_FILE,
            tests: RULE_TESTS_FILE,
        }),
    )?;
    let alertmanager =
        crate::alertmanager::render(alertmanager).map_err(render(ALERTMANAGER_FILE))?;
    let dashboards_dir = format!("./{DASHBOARDS_DIR}");
    let composed = compose::render(
        inv,
        &compose::ComposeOptions {
            stack: true,
            with_grafana: true,
            with_alertmanager: true,
            prometheus_port: opts.prometheus_port,
            prometheus_config: &format!("./{PROMETHEUS_FILE}"),
            alertmanager_config: &format!("./{ALERTMANAGER_FILE}"),
            rules: Some(&format!("./{RULES_FILE}")),
            dashboards: Some(&dashboards_dir),
        },
        opts.templates,
    )?;
    let mut files: Vec<(String, String)> = vec![
        (COMPOSE_FILE.into(), composed.compose),
        (PROMETHEUS_FILE.into(), prometheus),
        (RULES_FILE.into(), made.rules),
        (RULE_TESTS_FILE.into(), made.tests.unwrap_or_default()),
        (ALERTMANAGER_FILE.into(), alertmanager),
    ];
    if let Some(ds) = composed.datasource {
        files.push((GRAFANA_DATASOURCE_FILE.into(), ds));
    }
    for d in dashboards::all(inv) {
        let text = dashboards::to_text(&d).map_err(|e| StackError::Render {
            file: "a dashboard",
            error: e.to_string(),
        })?;
        files.push((format!("{DASHBOARDS_DIR}/{}", d.which.file_name()), text));
    }
    files.push((
        format!("{DASHBOARDS_DIR}/{PROVISIONING_FILE}"),
        dashboards::provisioning(dashboards::CONTAINER_DIR),
    ));
    Ok(Stack {
        files,
        warnings,
        notes,
    })
}

impl Stack {
    /// The text of the stack's file `name` ("" when it has none).
    pub(crate) fn text(&self, name: &str) -> &str {
        self.files
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, t)| t.as_str())
    }
}
