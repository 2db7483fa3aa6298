//! `gpucharts-mon gen-rules`: alerting rules over the GPU Charts families.

use std::collections::BTreeMap;
use std::process::ExitCode;

use serde::Serialize;

use crate::Ctx;
use crate::cli::GenRulesArgs;
use crate::error;
use crate::inventory::RuleOverride;
use crate::output::files::{Bundle, WriteOptions, write_bundle};
use crate::rules::{self, AlertParams};
use crate::values::{PromDuration, promql_string};
use crate::{promtool, templates};

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
            alerts,
            runbook_url: args.runbook_url.clone(),
            recordings: rules::recordings(),
            rec: rules::record_names(),
        },
        args.templates.templates.as_deref(),
    )?;
    crate::yaml::from_str::<crate::yaml::Value>(&text)
        .map_err(|e| error::usage(format!("the rules template did not produce YAML: {e}")))?;
    let opts = WriteOptions::from(&args.out);
    if args.check {
        promtool::enforce(
            promtool::Tool::Promtool,
            promtool::check_text("rules", &text, &[])?,
        )?;
    }
    write_bundle(&Bundle::single(text), &opts)?;
    Ok(ExitCode::SUCCESS)
}
