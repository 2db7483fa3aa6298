//! `gpucharts-mon gen-operator -o DIR`: the prometheus-operator's way to
//! the same scrape as gen-config's kubernetes jobs, and the alerts.

use std::process::ExitCode;

use crate::Ctx;
use crate::cli::GenOperatorArgs;
use crate::error;
use crate::operator::{self, OperatorOptions, RuleOptions};
use crate::output::files::write_dir;
use crate::output::gate::{self, Gate};

pub fn run(args: &GenOperatorArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let inv = &ctx.inventory;
    let rules = RuleOptions {
        runbook_url: args.runbook_url.as_deref(),
        templates: args.templates.templates.as_deref(),
        ..Default::default()
    };
    let options = OperatorOptions {
        via_service: args.via_service,
        namespace: args.namespace.clone(),
        labels: args.labels.iter().cloned().collect(),
        rbac: args.rbac,
    };
    let made = operator::generate(inv, &rules, &options).map_err(error::domain)?;
    if args.check {
        gate::pass(&[Gate::Rules(&made.rules)]).map_err(error::domain)?;
    }
    let files = made.files;
    write_dir(&args.output, &files, args.write.force, args.write.diff).map_err(error::domain)?;
    if !args.write.diff {
        eprintln!(
            "wrote {} files into {}; apply them with: kubectl apply -f {}",
            files.len(),
            args.output.display(),
            args.output.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
