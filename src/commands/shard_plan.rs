//! `gpucharts-mon shard-plan`: which of N hashmod shards scrapes each
//! target, and how even the split is, predicted with the relabel engine.

use std::process::ExitCode;

use crate::Ctx;
use crate::cli::{ReportFormat, ShardPlanArgs};
use crate::cluster::{self, plan::discover};
use crate::context::{plan, prometheus_major};
use crate::error;
use crate::output::shard_plan::print_table;
use crate::output::table::print_machine;

pub async fn run(args: &ShardPlanArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let inv = &ctx.inventory;
    let shards = plan::shards(args, inv)?;
    let config = plan::config(args, inv)?;
    // The targets to plan, and where they came from.
    let (targets, from) = match &args.targets {
        Some(file) => plan::targets_file(file)?,
        None => {
            let (servers, from) = plan::sources(args, ctx)?;
            (discover(&servers).await.map_err(error::domain)?, from)
        }
    };
    error::note(format!("{} discovered targets from {from}", targets.len()));
    let version = prometheus_major(args.prometheus_version, inv);
    let plan = cluster::plan(&config, &targets, shards, version).map_err(error::usage)?;
    match args.output.format {
        ReportFormat::Table => print_table(&plan, ctx.color),
        format => print_machine(&plan, format)?,
    }
    Ok(ExitCode::SUCCESS)
}
