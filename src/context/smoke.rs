//! smoke's settings: what each stage checks, from flags over the inventory.

use crate::Ctx;
use crate::catalogue::ServiceRole;
use crate::cli::SmokeArgs;
use crate::error;
use crate::probe::CheckOptions;
use crate::smoke::SmokePlan;
use crate::targets::health::Expectation;
use crate::values::anchored_regex;

use super::{
    consulted_prometheus, fetch_options, inventory_endpoints, scrape_inventory, service_addresses,
};

/// The plan smoke runs: the inventory's endpoints (pulled with
/// `--timeout`), the consulted Prometheus, the config and rule files to
/// check, and the targets each job must have (one per address the
/// inventory gives, at least one).
pub(crate) fn plan(args: &SmokeArgs, ctx: &Ctx) -> anyhow::Result<SmokePlan> {
    let inv = scrape_inventory(&ctx.inventory, &args.security, &[])?;
    let endpoints = inventory_endpoints(&inv)?;
    let pull_options = CheckOptions {
        fetch: fetch_options(args.timeout.as_std()),
        ..crate::probe::pull::default_options()
    };
    let prometheus = consulted_prometheus(&args.prometheus, ctx, true)?;
    Ok(SmokePlan {
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
    })
}
