//! `gpucharts-mon shard-plan`: which of N hashmod shards scrapes each
//! target, and how even the split is, predicted with the relabel engine.

use std::process::ExitCode;

use crate::Ctx;
use crate::cli::{ReportFormat, ShardPlanArgs};
use crate::cluster;
use crate::context::{prometheus_client, prometheus_client_for};
use crate::error;
use crate::inventory::cluster::Role;
use crate::output::table::{cell, new_table, print_machine};
use crate::promapi::{REQUEST_TIMEOUT, classify};
use crate::promconfig::relabel;
use crate::promconfig::validate::{self};

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
        Some(file) => validate::read_config(file).map_err(error::domain)?,
        None => {
            let base = crate::promconfig::build(inv)
                .map_err(crate::error::domain)?
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
    let (targets, from) = discovered(args, inv).await?;
    error::note(format!("{} discovered targets from {from}", targets.len()));
    let version = crate::context::prometheus_major(args.prometheus_version, inv);
    let plan = cluster::plan(&config, &targets, shards, version).map_err(error::usage)?;
    match args.output {
        ReportFormat::Table => print_table(&plan, ctx.color),
        format => print_machine(&plan, format)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// The targets to plan: `--targets FILE`; else what `--prometheus` has
/// discovered; else the union of what the inventory's shard servers have
/// discovered (each shard discovers every target before its hashmod keeps
/// its share), else the inventory's (or default) Prometheus. With where
/// they came from.
async fn discovered(
    args: &ShardPlanArgs,
    inv: &crate::inventory::Inventory,
) -> anyhow::Result<(Vec<relabel::Discovered>, String)> {
    let parse = |text: &str, from: &str| {
        relabel::discovered_targets(text).map_err(|e| error::usage(format!("{from}: {e}")))
    };
    if let Some(file) = &args.targets {
        let from = file.display().to_string();
        let text = relabel::read_targets_text(file).map_err(error::usage)?;
        return Ok((parse(&text, &from)?, from));
    }
    let shards: Vec<&crate::inventory::cluster::ServerSpec> = inv
        .prometheus
        .cluster
        .servers
        .iter()
        .filter(|s| s.role == Role::Shard)
        .collect();
    let sources: Vec<(String, String)> =
        if args.prometheus.prometheus.is_empty() && !shards.is_empty() {
            shards
                .iter()
                .map(|s| (s.url.clone(), format!("prometheus.servers {}", s.name)))
                .collect()
        } else {
            Vec::new()
        };
    if sources.is_empty() {
        let prom = prometheus_client(&args.prometheus, inv, REQUEST_TIMEOUT)?;
        let from = format!("{}/api/v1/targets", prom.shown_url());
        let body = prom
            .get_raw("api/v1/targets", &[("state", "any")])
            .await
            .map_err(classify)?;
        return Ok((parse(&String::from_utf8_lossy(&body), &from)?, from));
    }
    let mut all = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    let mut names = Vec::new();
    for (url, origin) in &sources {
        let prom = prometheus_client_for(&args.prometheus, url, origin, REQUEST_TIMEOUT)?;
        let from = format!("{}/api/v1/targets", prom.shown_url());
        let body = prom
            .get_raw("api/v1/targets", &[("state", "any")])
            .await
            .map_err(classify)?;
        for t in parse(&String::from_utf8_lossy(&body), &from)? {
            let key = (t.pool.clone(), t.labels.get("__address__").cloned());
            if seen.insert(key) {
                all.push(t);
            }
        }
        names.push(origin.trim_start_matches("prometheus.servers ").to_string());
    }
    Ok((
        all,
        format!(
            "the inventory's shard servers ({}), their union",
            names.join(", ")
        ),
    ))
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
