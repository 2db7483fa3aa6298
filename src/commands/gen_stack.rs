//! `gpucharts-mon gen-stack`: the whole monitoring stack in one folder
//! (`stack::build`), checked with promtool and amtool on `--check`.

use std::process::ExitCode;

use crate::Ctx;
use crate::cli::GenStackArgs;
use crate::context::{alertmanager_config, into_text};
use crate::error;
use crate::output::files::write_dir;
use crate::output::gate::{self, Gate};
use crate::stack::{
    self, ALERTMANAGER_FILE, COMPOSE_FILE, PROMETHEUS_FILE, RULE_TESTS_FILE, RULES_FILE,
    StackOptions,
};

pub fn run(args: &GenStackArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let inv = &ctx.inventory;
    // A bad --into is refused before anything is said about the inventory.
    let existing = args.into.as_deref().map(into_text).transpose()?;
    let am = alertmanager_config(inv)?;
    let made = stack::build(
        inv,
        &am,
        &StackOptions {
            prometheus_port: args.prometheus_port,
            runbook_url: args.runbook_url.as_deref(),
            templates: args.templates.templates.as_deref(),
            into: args.into.as_deref().zip(existing.as_deref()),
            adopt: args.adopt,
        },
    )
    .map_err(error::domain)?;
    for w in &made.warnings {
        error::warn(w);
    }
    for n in &made.notes {
        error::note(n);
    }
    if args.check {
        let rules = made.text(RULES_FILE);
        gate::pass(&[
            Gate::Config {
                text: made.text(PROMETHEUS_FILE),
                side_files: &[(RULES_FILE.to_string(), rules.to_string())],
                agent: false,
            },
            Gate::RuleTests {
                rules_name: RULES_FILE,
                rules,
                tests: made.text(RULE_TESTS_FILE),
            },
            Gate::Alertmanager(made.text(ALERTMANAGER_FILE)),
        ])
        .map_err(error::domain)?;
    }
    let files = made.files;
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
