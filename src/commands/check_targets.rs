//! `gpucharts-mon check-targets`: is every GPU Charts target scraped and
//! healthy, and if not, why.

use std::process::ExitCode;

use crate::Ctx;
use crate::cli::{CheckTargetsArgs, ReportFormat, TargetsFormat};
use crate::context::{
    cluster_servers, compile_jq, prometheus_client, server_clients, target_criteria,
};
use crate::error;
use crate::output::print_jq;
use crate::output::spinner;
use crate::output::table::print_machine;
use crate::output::targets::{print_answering, print_cluster, print_targets};
use crate::targets::health::{Criteria, wait_for_targets};
use crate::targets::watch::{Server, watch};

pub async fn run(args: &CheckTargetsArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    if let Some(servers) = cluster_servers(&args.prometheus, args.cluster, &ctx.inventory)? {
        if args.jq.jq.is_some() {
            return Err(error::usage(
                "--jq shows one Prometheus' answer; give one --prometheus",
            ));
        }
        let servers = server_clients(&args.prometheus, &servers)?;
        return run_cluster(args, ctx, &servers).await;
    }
    let (job, expects) = target_criteria(args.job.as_deref(), &args.expect, &ctx.inventory)?;
    let jq = compile_jq(&args.jq)?;
    let prom = prometheus_client(&args.prometheus, ctx)?;

    if let Some((jq, opts)) = jq {
        // The raw answer, exactly what `curl .../api/v1/targets` returns.
        let body = prom
            .get_raw("api/v1/targets", &[])
            .await
            .map_err(error::domain)?;
        print_jq(&jq, opts, &body)?;
        return Ok(ExitCode::SUCCESS);
    }

    let criteria = Criteria {
        job: &job,
        expects: &expects,
        dropped: args.dropped,
    };
    let wait = args.wait.map(|w| w.as_std());
    let bar = wait.and_then(|_| spinner("waiting for targets to be scraped"));
    let report = wait_for_targets(&prom, &criteria, wait)
        .await
        .map_err(error::domain);
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let report = report?;
    match args.output.format {
        TargetsFormat::Table => {
            // Which Prometheus answered, for the operator reading the table.
            if let Ok(build) = prom.build_info().await {
                print_answering(&build.version, prom.shown_url());
            }
            print_targets(&report, ctx.color);
        }
        TargetsFormat::Json => print_machine(&report, ReportFormat::Json)?,
        TargetsFormat::Yaml => print_machine(&report, ReportFormat::Yaml)?,
        TargetsFormat::Junit => crate::out!(
            "{}",
            crate::output::junit::render(&[crate::output::junit::targets_suite(
                "gpucharts-mon check-targets",
                &report
            )])
        ),
    }
    Ok(if report.ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(error::Kind::Failed.code())
    })
}

async fn run_cluster(
    args: &CheckTargetsArgs,
    ctx: &Ctx,
    servers: &[Server],
) -> anyhow::Result<ExitCode> {
    let replica_label = &ctx.inventory.prometheus.cluster.replica_label;
    let wait = args.wait.map(|w| w.as_std());
    let report = watch(servers, replica_label, wait)
        .await
        .map_err(error::domain)?;
    match args.output.format {
        TargetsFormat::Table => print_cluster(&report, ctx.color),
        TargetsFormat::Json => print_machine(&report, ReportFormat::Json)?,
        TargetsFormat::Yaml => print_machine(&report, ReportFormat::Yaml)?,
        TargetsFormat::Junit => {
            return Err(error::usage(
                "the cluster view has no JUnit form; use --output-format json",
            ));
        }
    }
    Ok(if report.ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(error::Kind::Failed.code())
    })
}
