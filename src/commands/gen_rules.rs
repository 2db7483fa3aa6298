//! `gpucharts-mon gen-rules`: alerting rules over the GPU Charts families.

use std::collections::BTreeMap;
use std::process::ExitCode;

use serde::Serialize;

use crate::Ctx;
use crate::catalogue::{Catalogue, ServiceRole};
use crate::cli::GenRulesArgs;
use crate::error;
use crate::inventory::RuleOverride;
use crate::output::files::{Bundle, WriteOptions, is_plain_file_name, write_bundle};
use crate::rules::{self, AlertParams};
use crate::values::{PromDuration, promql_string};
use crate::{promtool, ruletest, templates};

#[derive(Serialize)]
struct RulesContext<'a> {
    jobs: Vec<&'a str>,
    endpoint_down_expr: String,
    /// One `absent(up{job="…"})` alert per job.
    absent: Vec<AbsentJob>,
    alerts: BTreeMap<String, AlertParams>,
    /// Base of each alert's `runbook_url` annotation (`BASE#alertname`).
    runbook_url: Option<String>,
    recordings: Vec<rules::Recording>,
    /// Recorded series names by the template's short names.
    rec: BTreeMap<&'static str, &'static str>,
}

#[derive(Serialize)]
struct AbsentJob {
    expr: String,
    /// The `service` label (the role, not the job name).
    service: &'static str,
}

pub fn run(args: &GenRulesArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let inv = &ctx.inventory;
    let file = inv
        .path
        .as_ref()
        .map_or_else(|| "inventory".to_string(), |p| p.display().to_string());
    let mut overrides: BTreeMap<String, (RuleOverride, String)> = inv
        .rules
        .iter()
        .map(|(k, v)| (k.clone(), (v.clone(), format!("{file}: rules.{k}"))))
        .collect();
    for (name, value) in &args.thresholds {
        let t: f64 = value.parse().map_err(|_| {
            error::usage(format!(
                "--threshold {name}={value}: '{value}' is not a number"
            ))
        })?;
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
    let alerts = rules::resolve(&overrides).map_err(error::usage)?;
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
    let jobs: Vec<&str> = inv
        .services()
        .iter()
        .map(|s| s.job.value.as_str())
        .collect();
    // Job names reach PromQL only as an escaped string literal.
    let endpoint_down_expr = format!("up{{job=~{}}} == 0", promql_string(&inv.job_regex()));
    let absent = inv
        .services()
        .iter()
        .map(|s| AbsentJob {
            expr: format!("absent(up{{job={}}})", promql_string(&s.job.value)),
            service: s.role.name(),
        })
        .collect();
    if let Some(url) = &args.runbook_url {
        let ok = reqwest::Url::parse(url)
            .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.fragment().is_none());
        if !ok {
            return Err(error::usage(format!(
                "--runbook-url {url:?}: expected an http:// or https:// URL without a #fragment (each alert adds #its-name)"
            )));
        }
    }
    let text = templates::render(
        templates::RULES,
        RulesContext {
            jobs: jobs.clone(),
            endpoint_down_expr,
            absent,
            alerts: alerts.clone(),
            runbook_url: args.runbook_url.clone(),
            recordings: rules::recordings(),
            rec: rules::record_names(),
        },
        args.templates.templates.as_deref(),
    )?;
    crate::yaml::from_str::<crate::yaml::Value>(&text)
        .map_err(|e| error::usage(format!("the rules template did not produce YAML: {e}")))?;
    let mut bundle = Bundle::single(text);
    if let (Some(tests), Some(rules_name)) = (&args.tests, &rules_name) {
        let catalogue = Catalogue::embedded().map_err(anyhow::Error::msg)?;
        let deployment = ruletest::Deployment {
            logger_job: &inv.service(ServiceRole::Logger).job.value,
            server_job: &inv.service(ServiceRole::Server).job.value,
            catalogue: &catalogue,
        };
        let suite = ruletest::build(rules_name, &bundle.main, &alerts, &deployment)
            .map_err(|e| error::usage(format!("--tests: {e}")))?;
        let header = format!(
            "# promtool test rules {tests}: every alert of {rules_name} fires on synthetic input and\n# stays quiet on healthy input. Generated by gpucharts-mon gen-rules --tests.\n"
        );
        let text = crate::yaml::to_string(&suite).map_err(anyhow::Error::msg)?;
        bundle.side_files.push((tests.clone(), header + &text));
    }
    if args.check {
        promtool::enforce(
            promtool::Tool::Promtool,
            promtool::check_text("rules", &bundle.main, &[])?,
        )?;
        if let (Some((_, tests)), Some(rules_name)) = (bundle.side_files.first(), &rules_name) {
            promtool::enforce(
                promtool::Tool::Promtool,
                promtool::test_rules_text(rules_name, &bundle.main, tests)?,
            )?;
        }
    }
    write_bundle(&bundle, &opts)?;
    Ok(ExitCode::SUCCESS)
}
