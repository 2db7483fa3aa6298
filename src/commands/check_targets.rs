//! `gpucharts-mon check-targets`: is every GPU Charts target scraped and
//! healthy, and if not, why.

use std::process::ExitCode;

use crate::Ctx;
use crate::cli::{CheckTargetsArgs, ClusterKind, PrometheusArgs, ReportFormat, TargetsFormat};
use crate::cluster::{self, Observed};
use crate::context::{compile_jq, prometheus_client, prometheus_client_for};
use crate::error;
use crate::inventory::Inventory;
use crate::inventory::cluster::{Role, ServerSpec};
use crate::output::print_jq;
use crate::output::spinner;
use crate::output::table::print_machine;
use crate::output::targets::{print_cluster, print_targets};
use crate::promapi::client::decode_data;
use crate::promapi::health::{Criteria, Expectation, wait_for_targets};
use crate::promapi::types::TargetsData;
use crate::promapi::{REQUEST_TIMEOUT, classify};
use crate::promconfig::PrometheusConfig;
use crate::values::anchored_regex;

pub async fn run(args: &CheckTargetsArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    if let Some(servers) = cluster_servers(args, &ctx.inventory)? {
        return run_cluster(args, ctx, servers).await;
    }
    let job_text = args
        .job
        .clone()
        .unwrap_or_else(|| ctx.inventory.job_regex());
    let job = anchored_regex(&job_text).map_err(|e| error::usage(format!("--job: {e}")))?;
    let expects = args
        .expect
        .iter()
        .map(|e| e.parse::<Expectation>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(error::usage)?;
    let jq = compile_jq(&args.jq)?;
    let prom = prometheus_client(&args.prometheus, &ctx.inventory, REQUEST_TIMEOUT)?;

    if let Some((jq, opts)) = jq {
        // The raw answer, exactly what `curl .../api/v1/targets` returns.
        let body = prom
            .get_raw("api/v1/targets", &[])
            .await
            .map_err(classify)?;
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
        .map_err(classify);
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let report = report?;
    match args.output {
        TargetsFormat::Table => {
            // Which Prometheus answered, for the operator reading the table.
            if let Ok(build) = prom.build_info().await {
                crate::outln!(
                    "Prometheus {} at {}",
                    crate::text::terminal_safe(&build.version),
                    prom.shown_url()
                );
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

/// The servers to check as a cluster: several `--prometheus` URLs with
/// `--cluster`, or the inventory's `prometheus.servers`; `None` for one.
fn cluster_servers(
    args: &CheckTargetsArgs,
    inv: &Inventory,
) -> anyhow::Result<Option<Vec<ServerSpec>>> {
    let urls = &args.prometheus.prometheus;
    match (urls.len(), args.cluster) {
        (0, kind) => {
            let servers = &inv.prometheus.cluster.servers;
            if servers.is_empty() {
                if kind.is_some() {
                    return Err(error::usage(
                        "--cluster needs several --prometheus URLs (or prometheus.servers in the inventory)",
                    ));
                }
                return Ok(None);
            }
            Ok(Some(servers.clone()))
        }
        (1, None) => Ok(None),
        (1, Some(_)) => Err(error::usage("--cluster needs several --prometheus URLs")),
        (n, None) => Err(error::usage(format!(
            "{n} --prometheus URLs: say how they relate with --cluster shards or --cluster replicas"
        ))),
        (n, Some(kind)) => Ok(Some(
            urls.iter()
                .enumerate()
                .map(|(i, url)| ServerSpec {
                    name: reqwest::Url::parse(url)
                        .ok()
                        .and_then(|u| {
                            Some(format!("{}:{}", u.host_str()?, u.port_or_known_default()?))
                        })
                        .unwrap_or_else(|| url.clone()),
                    url: url.clone(),
                    config_file: None,
                    pid_file: None,
                    role: match kind {
                        ClusterKind::Shards => Role::Shard,
                        ClusterKind::Replicas => Role::Replica,
                    },
                    group: (kind == ClusterKind::Replicas).then(|| "replicas".to_string()),
                    shard: (kind == ClusterKind::Shards).then_some(i as u64),
                    shards: (kind == ClusterKind::Shards).then_some(n as u64),
                })
                .collect(),
        )),
    }
}

/// Ask one server for its targets (active and dropped) and its config.
async fn observe(args: &PrometheusArgs, server: &ServerSpec) -> anyhow::Result<Observed> {
    let origin = format!("server {}", server.name);
    let prom = prometheus_client_for(args, &server.url, &origin, REQUEST_TIMEOUT)?;
    // The classified error keeps its exit code (3: not reachable).
    let in_server = |e| classify(e).context(format!("server {}", server.name));
    let (targets, config) = tokio::join!(
        prom.get_raw("api/v1/targets", &[("state", "any")]),
        prom.config()
    );
    let body = targets.map_err(in_server)?;
    let config: PrometheusConfig = crate::yaml::from_str(&config.map_err(in_server)?.yaml)
        .map_err(|e| anyhow::anyhow!("{}: its loaded config does not parse: {e}", server.name))?;
    // Decoding a large answer is CPU work: off this thread, so that the
    // servers' answers are decoded in parallel.
    let server = server.clone();
    tokio::task::spawn_blocking(move || {
        let targets: TargetsData = decode_data("api/v1/targets", &body)
            .map_err(|e| classify(e).context(format!("server {}", server.name)))?;
        Ok(Observed::new(&server, &targets, &config))
    })
    .await?
}

async fn run_cluster(
    args: &CheckTargetsArgs,
    ctx: &Ctx,
    servers: Vec<ServerSpec>,
) -> anyhow::Result<ExitCode> {
    if args.jq.jq.is_some() {
        return Err(error::usage(
            "--jq shows one Prometheus' answer; give one --prometheus",
        ));
    }
    let replica_label = ctx.inventory.prometheus.cluster.replica_label.clone();
    let deadline = args.wait.map(|w| std::time::Instant::now() + w.as_std());
    let report = loop {
        // Every server at once: three servers cost about as much as one.
        // A server that does not answer is waited for like a target that
        // is not up yet, then it is the error (exit 3).
        let observed = match observe_all(&args.prometheus, &servers).await {
            Ok(o) => o,
            Err(_) if deadline.is_some_and(|d| std::time::Instant::now() < d) => {
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                continue;
            }
            Err(e) => return Err(e),
        };
        let report = cluster::check(&observed, &replica_label);
        match deadline {
            Some(d) if !report.ok && std::time::Instant::now() < d => {
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
            }
            _ => break report,
        }
    };
    match args.output {
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

/// Every server at once, in order: spawned tasks overlap their requests
/// even on one thread.
async fn observe_all(
    args: &PrometheusArgs,
    servers: &[ServerSpec],
) -> anyhow::Result<Vec<Observed>> {
    let tasks: Vec<_> = servers
        .iter()
        .map(|s| {
            let (args, server) = (args.clone(), s.clone());
            tokio::spawn(async move { observe(&args, &server).await })
        })
        .collect();
    let mut out = Vec::with_capacity(tasks.len());
    for t in tasks {
        out.push(t.await??);
    }
    Ok(out)
}
