//! `gpucharts-mon relabel`: run a job's relabel rules over discovered label
//! sets with Prometheus' semantics, and show which targets are kept, which
//! rule dropped the others, the final labels and the scrape URL.

use std::process::ExitCode;

use crate::Ctx;
use crate::cli::{RelabelArgs, RelabelExample, ReportFormat};
use crate::context::relabel_version;
use crate::error;
use crate::output::relabel::table;
use crate::output::table::print_machine;
use crate::promconfig::explain::{explain, job};
use crate::promconfig::relabel::{self, DiscoveryExample, LabelSet, examples};
use crate::promconfig::validate::read_config;

pub async fn run(args: &RelabelArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let file = &args.config_file;
    let config = read_config(file).map_err(error::domain)?;
    let scrape =
        job(&config, &args.job).map_err(|e| error::usage(format!("{}: {e}", file.display())))?;
    let version = relabel_version(args.prometheus_version, &args.prometheus, ctx).await?;
    let discovered = match (&args.targets, args.example) {
        (Some(file), _) => read_targets(file, &args.job)?,
        (None, Some(kind)) => examples(match kind {
            RelabelExample::KubernetesPod => DiscoveryExample::KubernetesPod,
            RelabelExample::DockerContainer => DiscoveryExample::DockerContainer,
        }),
        (None, None) => return Err(error::usage("give --targets FILE or --example KIND")),
    };
    let report =
        explain(&config, scrape, discovered, version, args.trace).map_err(error::domain)?;
    match args.output.format {
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
