//! `gpucharts-mon gen-stack`: the whole monitoring stack in one folder,
//! consistent by construction: Prometheus scrapes the compose services by
//! name, loads the rules and alerts the Alertmanager; Grafana gets the
//! datasource and the dashboards; the compose file mounts each file where its
//! image reads it.

use std::process::ExitCode;

use crate::Ctx;
use crate::cli::GenStackArgs;
use crate::compose::{self, GRAFANA_DATASOURCE_FILE};
use crate::dashboards::{self, PROVISIONING_FILE};
use crate::error;
use crate::output::files::write_dir;
use crate::promconfig::{self};
use crate::promtool::{self, Tool};
use crate::{alertmanager, rules, ruletest};

pub(crate) const COMPOSE_FILE: &str = "docker-compose.yml";
pub(crate) const PROMETHEUS_FILE: &str = "prometheus.yml";
pub(crate) const RULES_FILE: &str = "rules.yml";
pub(crate) const RULE_TESTS_FILE: &str = "rules.test.yml";
pub(crate) const ALERTMANAGER_FILE: &str = "alertmanager.yml";
pub(crate) const DASHBOARDS_DIR: &str = "dashboards";

pub fn run(args: &GenStackArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let inv = &ctx.inventory;
    let templates = args.templates.templates.as_deref();
    let stack = compose::stack_inventory(inv, RULES_FILE);
    let generated = promconfig::build(&stack).map_err(crate::error::domain)?;
    for w in &generated.warnings {
        error::warn(w);
    }
    let prometheus = match &args.into {
        None => promconfig::render(&generated.config).map_err(anyhow::Error::msg)?,
        Some(file) => {
            let (_, spliced) = crate::context::spliced_into(file, &generated.config, args.adopt)?;
            for change in &spliced.changes {
                error::note(format!(
                    "{PROMETHEUS_FILE} from {}: {change}",
                    file.display()
                ));
            }
            spliced.text
        }
    };

    let rules = rules::generate(
        inv,
        &rules::inventory_overrides(inv),
        &rules::RuleOptions {
            runbook_url: args.runbook_url.as_deref(),
            templates,
            ..Default::default()
        },
    )
    .map_err(crate::error::domain)?;
    let rule_tests =
        ruletest::suite_text(RULES_FILE, RULE_TESTS_FILE, &rules.text, &rules.params, inv)
            .map_err(|e| error::usage(format!("rule tests: {e}")))?;

    let am = crate::context::alertmanager_config(inv)?;
    let alertmanager = alertmanager::render(&am).map_err(error::failed)?;

    let provisioning = format!("./{DASHBOARDS_DIR}/{PROVISIONING_FILE}");
    let dashboards_dir = format!("./{DASHBOARDS_DIR}");
    let composed = compose::render(
        inv,
        &compose::ComposeOptions {
            stack: true,
            with_grafana: true,
            with_alertmanager: true,
            prometheus_port: args.prometheus_port,
            prometheus_config: &format!("./{PROMETHEUS_FILE}"),
            alertmanager_config: &format!("./{ALERTMANAGER_FILE}"),
            rules: Some(&format!("./{RULES_FILE}")),
            dashboards: Some((&provisioning, &dashboards_dir)),
        },
        templates,
    )
    .map_err(error::domain)?;

    let mut files: Vec<(String, String)> = vec![
        (COMPOSE_FILE.into(), composed.compose),
        (PROMETHEUS_FILE.into(), prometheus),
        (RULES_FILE.into(), rules.text),
        (RULE_TESTS_FILE.into(), rule_tests),
        (ALERTMANAGER_FILE.into(), alertmanager),
    ];
    if let Some(ds) = composed.datasource {
        files.push((GRAFANA_DATASOURCE_FILE.into(), ds));
    }
    for d in dashboards::all(inv) {
        files.push((
            format!("{DASHBOARDS_DIR}/{}", d.which.file_name()),
            dashboards::to_text(&d)?,
        ));
    }
    files.push((
        format!("{DASHBOARDS_DIR}/{PROVISIONING_FILE}"),
        dashboards::provisioning(dashboards::CONTAINER_DIR),
    ));

    if args.check {
        let text = |name: &str| {
            files
                .iter()
                .find(|(n, _)| n == name)
                .map_or("", |(_, t)| t.as_str())
        };
        crate::output::files::enforce(
            Tool::Promtool,
            promtool::check_text(
                "config",
                text(PROMETHEUS_FILE),
                &[(RULES_FILE.to_string(), text(RULES_FILE).to_string())],
            )?,
        )
        .map_err(error::domain)?;
        crate::output::files::enforce(
            Tool::Promtool,
            promtool::test_rules_text(RULES_FILE, text(RULES_FILE), text(RULE_TESTS_FILE))?,
        )
        .map_err(error::domain)?;
        crate::output::files::enforce(
            Tool::Amtool,
            promtool::amtool_check_text(text(ALERTMANAGER_FILE))?,
        )
        .map_err(error::domain)?;
    }
    write_dir(&args.output, &files, args.write.force, args.write.diff).map_err(error::domain)?;
    if !args.write.diff {
        eprintln!(
            "wrote {} files into {}; start it with: docker compose -f {} up -d",
            files.len(),
            args.output.display(),
            args.output.join(COMPOSE_FILE).display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
