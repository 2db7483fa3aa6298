//! `gpucharts-mon smoke`: the CI step in one command (see `smoke` for the
//! stages); a summary table, and a JUnit report with a suite per stage.

use std::process::ExitCode;

use crate::Ctx;
use crate::catalogue::ServiceRole;
use crate::cli::SmokeArgs;
use crate::context::{
    consulted_prometheus, inventory_endpoints, scrape_inventory, service_addresses,
};
use crate::error;
use crate::output::junit::render;
use crate::output::smoke::{suites, summary};
use crate::probe::CheckOptions;
use crate::probe::fetch::FetchOptions;
use crate::probe::pull::{MAX_REDIRECTS, default_options};
use crate::promapi::health::Expectation;
use crate::smoke::{self, SmokePlan};
use crate::values::anchored_regex;

pub async fn run(args: &SmokeArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let inv = scrape_inventory(&ctx.inventory, &args.security, &[])?;
    let endpoints = inventory_endpoints(&inv)?;
    let pull_options = CheckOptions {
        fetch: FetchOptions {
            timeout: args.timeout.as_std(),
            max_body: 64 << 20,
            max_redirects: MAX_REDIRECTS,
            follow_redirects: true,
        },
        ..default_options()
    };
    let prometheus = consulted_prometheus(&args.prometheus, ctx, true)?;
    let plan = SmokePlan {
        config_file: args
            .config_file
            .clone()
            .or_else(|| inv.prometheus.config_file.clone()),
        rule_files: args.rule_files.clone(),
        skip: args.skip.clone(),
        bar: crate::output::endpoints_bar(endpoints.len(), pull_options.count),
        endpoints,
        pull_options,
        prometheus,
        job: anchored_regex(&inv.job_regex()).map_err(error::usage)?,
        expects: ServiceRole::ALL
            .into_iter()
            .map(|r| Expectation {
                job: inv.service(r).job.value.clone(),
                min: service_addresses(&inv, r).len().max(1),
            })
            .collect(),
        wait: args.wait.as_std(),
    };
    let stages = smoke::run(plan).await;
    let suites = suites(&stages);
    crate::out!("{}", summary(&suites, ctx.color));
    if let Some(file) = &args.junit {
        crate::output::files::write_file(file, &render(&suites), true).map_err(error::domain)?;
        eprintln!("wrote {}", file.display());
    }
    Ok(if stages.iter().any(smoke::Stage::failed) {
        ExitCode::from(error::Kind::Failed.code())
    } else {
        ExitCode::SUCCESS
    })
}
