//! `gpucharts-mon gen-rules`: alerting rules over the GPU Charts families.

use std::process::ExitCode;

use crate::Ctx;
use crate::cli::GenRulesArgs;
use crate::context::{rule_overrides, rule_test_files};
use crate::error;
use crate::output::files::{Bundle, WriteOptions, write_bundle};
use crate::output::gate::{self, Gate};
use crate::ruletest::{RuleOptions, TestFiles, rules_and_tests};

pub fn run(args: &GenRulesArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let inv = &ctx.inventory;
    let overrides = rule_overrides(&args.thresholds, &args.fors, inv)?;
    let opts = WriteOptions::from(&args.out);
    let files = rule_test_files(args.tests.as_deref(), &opts)?;
    let made = rules_and_tests(
        inv,
        &overrides,
        &RuleOptions {
            runbook_url: args.runbook_url.as_deref(),
            templates: args.templates.templates.as_deref(),
            transition: args.pushgateway_alert,
        },
        files
            .as_ref()
            .map(|(rules, tests)| TestFiles { rules, tests }),
    )
    .map_err(error::domain)?;
    let mut bundle = Bundle::single(made.rules);
    if let (Some(text), Some((_, tests))) = (made.tests, &files) {
        bundle.side_files.push((tests.clone(), text));
    }
    if args.check {
        let mut gates = vec![Gate::Rules(&bundle.main)];
        if let (Some((_, tests)), Some((rules_name, _))) = (bundle.side_files.first(), &files) {
            gates.push(Gate::RuleTests {
                rules_name,
                rules: &bundle.main,
                tests,
            });
        }
        gate::pass(&gates).map_err(error::domain)?;
    }
    write_bundle(&bundle, &opts).map_err(error::domain)?;
    Ok(ExitCode::SUCCESS)
}
