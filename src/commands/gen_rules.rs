//! `gpucharts-mon gen-rules`: alerting rules over the GPU Charts families.

use std::process::ExitCode;

use crate::Ctx;
use crate::cli::GenRulesArgs;
use crate::error;
use crate::output::files::{Bundle, WriteOptions, write_bundle};
use crate::rules;
use crate::values::PromDuration;
use crate::values::is_plain_file_name;
use crate::{promtool, ruletest};

pub fn run(args: &GenRulesArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let inv = &ctx.inventory;
    let mut overrides = rules::inventory_overrides(inv);
    for (name, value) in &args.thresholds {
        let t = crate::values::parse_threshold(value)
            .map_err(|e| error::usage(format!("--threshold {name}={value}: {e}")))?;
        let entry = overrides.entry(name.clone()).or_default();
        entry.0.threshold = Some(t);
        entry.1 = format!("--threshold {name}={value}");
    }
    for (name, value) in &args.fors {
        let d: PromDuration = value
            .parse()
            .map_err(|e| error::usage(format!("--for {name}={value}: {e}")))?;
        let entry = overrides.entry(name.clone()).or_default();
        entry.0.for_ = Some(d);
        entry.1 = format!("--for {name}={value}");
    }
    let opts = WriteOptions::from(&args.out);
    let rules_name = match &args.tests {
        None => None,
        Some(tests) => {
            let rules_name = opts
                .output
                .filter(|_| !opts.to_stdout())
                .and_then(|p| p.file_name())
                .and_then(|n| n.to_str())
                .ok_or_else(|| {
                    error::usage(format!(
                        "--tests {tests}: needs -o FILE, the rules file the tests refer to"
                    ))
                })?;
            if !is_plain_file_name(tests) || tests == rules_name {
                return Err(error::usage(format!(
                    "--tests {tests:?}: expected a plain file name other than the rules file; it is written beside the rules"
                )));
            }
            Some(rules_name.to_string())
        }
    };
    let generated = rules::generate(
        inv,
        &overrides,
        &rules::RuleOptions {
            runbook_url: args.runbook_url.as_deref(),
            templates: args.templates.templates.as_deref(),
            transition: args.pushgateway_alert,
        },
    )
    .map_err(crate::error::domain)?;
    let mut bundle = Bundle::single(generated.text);
    if let (Some(tests), Some(rules_name)) = (&args.tests, &rules_name) {
        let text = ruletest::suite_text(rules_name, tests, &bundle.main, &generated.params, inv)
            .map_err(|e| error::usage(format!("--tests: {e}")))?;
        bundle.side_files.push((tests.clone(), text));
    }
    if args.check {
        crate::output::files::enforce(
            promtool::Tool::Promtool,
            promtool::check_text("rules", &bundle.main, &[])?,
        )
        .map_err(error::domain)?;
        if let (Some((_, tests)), Some(rules_name)) = (bundle.side_files.first(), &rules_name) {
            crate::output::files::enforce(
                promtool::Tool::Promtool,
                promtool::test_rules_text(rules_name, &bundle.main, tests)?,
            )
            .map_err(error::domain)?;
        }
    }
    write_bundle(&bundle, &opts).map_err(error::domain)?;
    Ok(ExitCode::SUCCESS)
}
