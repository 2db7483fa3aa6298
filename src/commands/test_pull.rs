//! `gpucharts-mon test-pull`: the old quick test script (`curl | grep -c`,
//! `time curl`, `curl /api/v1/targets`), done properly and concurrently.

use std::process::ExitCode;

use crate::Ctx;
use crate::cli::TestPullArgs;
use crate::context::consulted_prometheus;
use crate::context::pull::{check_options, endpoints};
use crate::error;
use crate::probe::pull::{consulted_targets, run_checks};

pub async fn run(args: &TestPullArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let endpoints = endpoints(args, &ctx.inventory)?;
    let opts = check_options(args, &ctx.inventory)?;
    let prom = consulted_prometheus(&args.prometheus, ctx, false)?;
    let targets = consulted_targets(prom.as_ref())
        .await
        .map_err(error::domain)?;
    let bar = crate::output::endpoints_bar(endpoints.len(), opts.count);
    let report = run_checks(
        endpoints,
        opts,
        args.concurrency as usize,
        targets.as_deref(),
        bar,
    )
    .await;
    crate::output::pull::print(&report, args.output.format, ctx.color)?;
    Ok(if report.ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(error::Kind::Failed.code())
    })
}
