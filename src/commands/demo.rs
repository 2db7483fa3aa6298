//! `gpucharts-mon demo`: with no services running anywhere, start the demo
//! endpoints in-process on free loopback ports and test-pull them.

use std::process::ExitCode;

use crate::Ctx;
use crate::cli::DemoArgs;
use crate::demo::selftest;
use crate::error;

pub async fn run(args: &DemoArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let test = selftest::start().await.map_err(error::domain)?;
    eprintln!(
        "demo endpoints on {} and {}",
        test.endpoints[0].metrics_url, test.endpoints[1].metrics_url
    );
    let bar = crate::output::endpoints_bar(test.endpoints.len(), test.options.count);
    let report = test.check(bar).await;
    crate::output::pull::print(&report, args.output.format, ctx.color)?;
    Ok(if report.ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(error::Kind::Failed.code())
    })
}
