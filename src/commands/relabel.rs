//! `gpucharts-mon relabel`: run a job's relabel rules over discovered label
//! sets with Prometheus' semantics, and show which targets are kept, which
//! rule dropped the others, the final labels and the scrape URL.

use std::process::ExitCode;

use serde::Serialize;

use crate::Ctx;
use crate::cli::{RelabelArgs, RelabelExample, ReportFormat};
use crate::error;
use crate::output::table::{cell, new_table, print_machine, status_cell};
use crate::promconfig::relabel::{
    self, DiscoveryExample, LabelSet, compile_all, describe, examples,
};
use crate::promconfig::validate;
use crate::version::PromVersion;

#[derive(Serialize)]
struct TargetResult {
    discovered: LabelSet,
    kept: bool,
    dropped_by: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    dropped_by_rule: Option<String>,
    labels: LabelSet,
    #[serde(skip_serializing_if = "Option::is_none")]
    scrape_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    steps: Vec<LabelSet>,
}

#[derive(Serialize)]
struct RelabelReport {
    job: String,
    kept: usize,
    targets: Vec<TargetResult>,
}

pub async fn run(args: &RelabelArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let text = crate::input::read_text(crate::input::Purpose::Config, &args.config_file)
        .map_err(|e| error::usage(format!("cannot read {}: {e}", args.config_file.display())))?;
    let config = validate::check_config_text(&text)
        .map_err(|e| error::usage(format!("{}: {e}", args.config_file.display())))?;
    let scrape = config
        .scrape_configs
        .iter()
        .find(|j| j.job_name == args.job)
        .ok_or_else(|| {
            let jobs: Vec<&str> = config
                .scrape_configs
                .iter()
                .map(|j| j.job_name.as_str())
                .collect();
            error::usage(format!(
                "no job {:?} in {} (jobs: {})",
                args.job,
                args.config_file.display(),
                jobs.join(", ")
            ))
        })?;
    let version = match &args.prometheus {
        None => crate::context::prometheus_major(args.prometheus_version, &ctx.inventory),
        Some(url) => server_version(url, &args.prometheus_auth, ctx).await?,
    };
    let rules = compile_all(scrape, version).map_err(error::usage)?;
    let discovered = match (&args.targets, args.example) {
        (Some(file), _) => read_targets(file, &args.job)?,
        (None, Some(kind)) => examples(match kind {
            RelabelExample::KubernetesPod => DiscoveryExample::KubernetesPod,
            RelabelExample::DockerContainer => DiscoveryExample::DockerContainer,
        }),
        (None, None) => return Err(error::usage("give --targets FILE or --example KIND")),
    };
    let (interval, timeout) = config.job_timing(scrape);
    let (interval, timeout) = (interval.to_string(), timeout.to_string());
    let targets: Vec<TargetResult> = discovered
        .into_iter()
        .map(|d| {
            let t = relabel::trace(scrape, &rules, &d, &interval, &timeout, version, args.trace);
            let (kept, labels, error) = match t.outcome {
                Ok(Some(labels)) => (true, labels, None),
                Ok(None) => (false, LabelSet::new(), None),
                Err(e) => (false, LabelSet::new(), Some(e)),
            };
            TargetResult {
                discovered: d,
                kept,
                dropped_by: t.dropped_by,
                dropped_by_rule: t.dropped_by.map(|i| describe(&scrape.relabel_configs[i])),
                labels,
                scrape_url: t.scrape_url,
                error,
                steps: t.steps,
            }
        })
        .collect();
    let report = RelabelReport {
        job: scrape.job_name.clone(),
        kept: targets.iter().filter(|t| t.kept).count(),
        targets,
    };
    match args.output {
        ReportFormat::Table => {
            crate::out!("{}", table(&report, &scrape.relabel_configs, ctx.color))
        }
        format => print_machine(&report, format)?,
    }
    Ok(match args.expect_kept {
        Some(n) if n != report.kept => {
            error::check_failed(format!("{} target(s) kept, --expect-kept {n}", report.kept));
            ExitCode::from(error::Kind::Failed.code())
        }
        _ => ExitCode::SUCCESS,
    })
}

fn table(
    report: &RelabelReport,
    rules: &[crate::promconfig::model::RelabelConfig],
    color: bool,
) -> String {
    let show = |l: &LabelSet| {
        l.iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let mut t = new_table(
        &["TARGET", "RESULT", "DROPPED BY / SCRAPE URL", "LABELS"],
        color,
    );
    for r in &report.targets {
        let name = r.discovered.get("__address__").cloned().unwrap_or_default();
        let (word, why) = match (r.kept, r.dropped_by, &r.error) {
            (true, _, _) => ("kept", r.scrape_url.clone().unwrap_or_default()),
            (false, Some(i), _) => ("dropped", format!("rule {i}: {}", describe(&rules[i]))),
            (false, None, Some(e)) => ("invalid", e.clone()),
            (false, None, None) => ("dropped", String::new()),
        };
        t.add_row(vec![
            cell(name),
            status_cell(if r.kept { "ok" } else { "fail" }, color),
            cell(format!("{word}: {why}")),
            cell(show(&r.labels)),
        ]);
    }
    let mut out = format!("{t}\n");
    for (i, r) in report.targets.iter().enumerate() {
        for (step, labels) in r.steps.iter().enumerate() {
            let title = if step == 0 {
                "before the rules".to_string()
            } else {
                format!("after rule {}: {}", step - 1, describe(&rules[step - 1]))
            };
            out.push_str(&format!(
                "target {i}, {title}:\n  {}\n",
                show(labels).replace('\n', " ")
            ));
        }
    }
    out.push_str(&format!(
        "job {}: {} of {} target(s) kept\n",
        report.job,
        report.kept,
        report.targets.len()
    ));
    out
}

/// The semantics of the Prometheus at `url`, from its build information;
/// said on stderr, with a warning for a version the engine does not know.
async fn server_version(
    url: &str,
    auth: &crate::cli::PrometheusAuthArgs,
    ctx: &Ctx,
) -> anyhow::Result<PromVersion> {
    let prom = crate::context::prometheus_client_at(
        url,
        auth,
        &ctx.inventory,
        crate::promapi::REQUEST_TIMEOUT,
    )?;
    let build = prom.build_info().await.map_err(crate::promapi::classify)?;
    let version = PromVersion::of_release(&build.version);
    let shown = crate::text::terminal_safe(&build.version).into_owned();
    match version {
        Some(v) => {
            error::note(format!(
                "relabelling as Prometheus {shown} does (from {url})"
            ));
            Ok(v)
        }
        None => {
            error::warn(format!(
                "Prometheus {shown} at {url} is a version the relabel engine does not know; using 3.x semantics (--prometheus-version picks one)"
            ));
            Ok(PromVersion::V3)
        }
    }
}

/// The discovered label sets of `job` in FILE (`-` for stdin).
fn read_targets(file: &std::path::Path, job: &str) -> anyhow::Result<Vec<LabelSet>> {
    let text = relabel::read_targets_text(file).map_err(error::usage)?;
    Ok(relabel::discovered_targets(&text)
        .map_err(|e| error::usage(format!("{}: {e}", file.display())))?
        .into_iter()
        .filter(|t| t.pool.as_deref().is_none_or(|p| p == job))
        .map(|t| t.labels)
        .collect())
}
