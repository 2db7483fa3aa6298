//! `gpucharts-mon shard-plan`: which of N hashmod shards scrapes each
//! target, and how even the split is, predicted with the relabel engine.

use std::process::ExitCode;

use crate::Ctx;
use crate::cli::{ReportFormat, ShardPlanArgs};
use crate::cluster;
use crate::context::prometheus_client;
use crate::error;
use crate::inventory::cluster::Role;
use crate::output::table::{cell, new_table, print_machine};
use crate::promapi::{REQUEST_TIMEOUT, classify};
use crate::promconfig::relabel;
use crate::promconfig::validate::{self, ConfigError};

/// Above this many targets the table shows the shards, not each target.
const MAX_ROWS: usize = 100;

pub async fn run(args: &ShardPlanArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let inv = &ctx.inventory;
    let shards = match args.shards {
        Some(n) => n,
        None => {
            let n = inv
                .prometheus
                .cluster
                .servers
                .iter()
                .filter(|s| s.role == Role::Shard)
                .count() as u64;
            if n == 0 {
                return Err(error::usage(
                    "give --shards N (the inventory lists no servers with role: shard)",
                ));
            }
            n
        }
    };
    let config = match &args.config_file {
        Some(file) => {
            let text = crate::input::read_text(crate::input::Purpose::Config, file)
                .map_err(|e| error::usage(format!("cannot read {}: {e}", file.display())))?;
            validate::check_config_text(&text)
                .map_err(|e| error::usage(format!("{}: {e}", file.display())))?
        }
        None => {
            let base = crate::promconfig::build(inv)
                .map_err(ConfigError::into_anyhow)?
                .config;
            // What a shard of the inventory runs (its own sharding rules are
            // replaced by each shard's when planning).
            let cluster = &inv.prometheus.cluster;
            match cluster.servers.iter().find(|s| s.role == Role::Shard) {
                Some(shard) => crate::promconfig::cluster::server_config(cluster, &base, shard),
                None => base,
            }
        }
    };
    let (text, from) = match &args.targets {
        Some(file) => (
            relabel::read_targets_text(file).map_err(error::usage)?,
            file.display().to_string(),
        ),
        None => {
            let prom = prometheus_client(&args.prometheus, inv, REQUEST_TIMEOUT)?;
            let body = prom
                .get_raw("api/v1/targets", &[("state", "any")])
                .await
                .map_err(classify)?;
            (
                String::from_utf8_lossy(&body).into_owned(),
                format!("{}/api/v1/targets", prom.shown_url()),
            )
        }
    };
    let targets =
        relabel::discovered_targets(&text).map_err(|e| error::usage(format!("{from}: {e}")))?;
    let version = crate::context::prometheus_major(args.prometheus_version, inv);
    let plan = cluster::plan(&config, &targets, shards, version).map_err(error::usage)?;
    match args.output {
        ReportFormat::Table => print_table(&plan, ctx.color),
        format => print_machine(&plan, format)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn print_table(plan: &cluster::Plan, color: bool) {
    if plan.targets.len() <= MAX_ROWS {
        let mut t = new_table(&["TARGET", "JOB", "SHARD"], color);
        for p in &plan.targets {
            t.add_row(vec![
                cell(&p.address),
                cell(&p.job),
                cell(
                    p.shard
                        .map_or_else(|| "every shard".to_string(), |s| s.to_string()),
                ),
            ]);
        }
        crate::outln!("{t}");
    }
    let mut t = new_table(&["SHARD", "TARGETS"], color);
    for (i, n) in plan.per_shard.iter().enumerate() {
        t.add_row(vec![cell(i.to_string()), cell(n.to_string())]);
    }
    crate::outln!("{t}");
    let skew = plan.skew.map_or_else(
        || "a shard gets no target".to_string(),
        |s| format!("skew {s:.2} (largest / smallest)"),
    );
    crate::outln!(
        "{} targets over {} shards; {skew}{}",
        plan.targets.len(),
        plan.shards,
        if plan.dropped > 0 {
            format!("; {} dropped by their job's relabelling", plan.dropped)
        } else {
            String::new()
        }
    );
}
