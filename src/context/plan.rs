//! shard-plan's settings: how many shards, the config whose jobs relabel
//! before sharding, and where the discovered targets come from.

use super::prometheus_client;
use crate::cli::ShardPlanArgs;
use crate::error;
use crate::inventory::Inventory;
use crate::inventory::cluster::Role;
use crate::promapi::PromClient;
use crate::promconfig::PrometheusConfig;
use crate::promconfig::relabel;
use crate::promconfig::validate::read_config;

/// `--shards`, else the inventory's shard servers.
pub fn shards(args: &ShardPlanArgs, inv: &Inventory) -> anyhow::Result<u64> {
    if let Some(n) = args.shards {
        return Ok(n);
    }
    let n = shard_servers(inv).count() as u64;
    if n == 0 {
        return Err(error::usage(
            "give --shards N (the inventory lists no servers with role: shard)",
        ));
    }
    Ok(n)
}

fn shard_servers(inv: &Inventory) -> impl Iterator<Item = &crate::inventory::cluster::ServerSpec> {
    inv.prometheus
        .cluster
        .servers
        .iter()
        .filter(|s| s.role == Role::Shard)
}

/// `--config-file`, else what a shard of the inventory runs (its own
/// sharding rules are replaced by each shard's when planning).
pub fn config(args: &ShardPlanArgs, inv: &Inventory) -> anyhow::Result<PrometheusConfig> {
    if let Some(file) = &args.config_file {
        return read_config(file).map_err(error::domain);
    }
    let base = crate::promconfig::build(inv).map_err(error::domain)?.config;
    let cluster = &inv.prometheus.cluster;
    Ok(match shard_servers(inv).next() {
        Some(shard) => crate::promconfig::cluster::server_config(cluster, &base, shard),
        None => base,
    })
}

/// The Prometheus servers to ask for discovered targets, and how to name
/// them: the inventory's shard servers when no `--prometheus` is given
/// (each shard discovers every target before its hashmod keeps its share),
/// else the given (or the inventory's, or the default) Prometheus.
pub fn sources(
    args: &ShardPlanArgs,
    ctx: &crate::Ctx,
) -> anyhow::Result<(Vec<PromClient>, String)> {
    let inv = &ctx.inventory;
    if !args.prometheus.prometheus.is_empty() || shard_servers(inv).next().is_none() {
        let prom = prometheus_client(&args.prometheus, ctx)?;
        let from = format!("{}/api/v1/targets", prom.shown_url());
        return Ok((vec![prom], from));
    }
    let shards: Vec<_> = shard_servers(inv).cloned().collect();
    let servers = super::server_clients(&args.prometheus, &shards)?
        .into_iter()
        .map(|s| s.prom)
        .collect();
    let names: Vec<&str> = shard_servers(inv).map(|s| s.name.as_str()).collect();
    let from = format!(
        "the inventory's shard servers ({}), their union",
        names.join(", ")
    );
    Ok((servers, from))
}

/// `--targets FILE` (`-`: stdin): the discovered label sets it holds (see
/// `relabel::discovered_targets`), and the file's name to say where they
/// came from.
pub fn targets_file(file: &std::path::Path) -> anyhow::Result<(Vec<relabel::Discovered>, String)> {
    let from = file.display().to_string();
    let text = relabel::read_targets_text(file).map_err(error::usage)?;
    let targets =
        relabel::discovered_targets(&text).map_err(|e| error::usage(format!("{from}: {e}")))?;
    Ok((targets, from))
}
