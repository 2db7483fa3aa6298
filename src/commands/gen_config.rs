//! `gpucharts-mon gen-config`: prometheus.yml from the inventory and flags.

use std::process::ExitCode;

use crate::Ctx;
use crate::cli::GenConfigArgs;
use crate::error;
use crate::inventory::cluster::{Role, ServerSpec};
use crate::output::files::{Bundle, WriteOptions, write_bundle, write_dir};
use crate::promconfig::PrometheusConfig;
use crate::promconfig::cluster::server_config;
use crate::promconfig::{self};
use crate::promtool;

pub fn run(args: &GenConfigArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let inv = crate::context::gen_config_inventory(ctx.inventory.clone(), args);
    let generated = promconfig::build(&inv).map_err(crate::error::domain)?;
    for w in &generated.warnings {
        error::warn(w);
    }
    // Secrets are referenced by file; when such a file is on this host too,
    // say if others can read it.
    let s = &inv.scrape;
    for (file, what) in [
        (&s.basic_auth_password_file, "scrape password file"),
        (&s.bearer_token_file, "scrape bearer token file"),
    ] {
        if let Some(f) = file {
            crate::redact::warn_if_shared(std::path::Path::new(f), what);
        }
    }
    let opts = WriteOptions::from(&args.out);
    let cluster = &inv.prometheus.cluster;
    // One config, or one per server of the inventory's cluster.
    let configs: Vec<(Option<&ServerSpec>, PrometheusConfig)> = match &args.server_name {
        Some(name) => {
            let server = cluster.server(name).ok_or_else(|| {
                let names: Vec<&str> = cluster.servers.iter().map(|s| s.name.as_str()).collect();
                error::usage(format!(
                    "--server-name {name}: no such server in prometheus.servers ({})",
                    if names.is_empty() {
                        "none listed".to_string()
                    } else {
                        names.join(", ")
                    }
                ))
            })?;
            vec![(
                Some(server),
                server_config(cluster, &generated.config, server),
            )]
        }
        None if cluster.servers.is_empty() => vec![(None, generated.config.clone())],
        None => cluster
            .servers
            .iter()
            .map(|s| (Some(s), server_config(cluster, &generated.config, s)))
            .collect(),
    };
    let per_server_dir = configs.len() > 1;
    if per_server_dir && (opts.to_stdout() || args.explain) {
        return Err(error::usage(format!(
            "the inventory describes {} servers: give --server-name NAME, or -o DIR to write NAME.yml for each",
            configs.len()
        )));
    }
    let dir = if per_server_dir {
        opts.output
            .map(std::path::Path::to_path_buf)
            .unwrap_or_default()
    } else {
        opts.side_dir()
    };
    if args.check {
        // promtool checks a copy in a scratch directory; relative references
        // to the user's files are anchored where the config will live.
        let anchor = std::path::absolute(&dir)?;
        for (server, config) in &configs {
            let copy =
                promconfig::render(&config.anchored_at(&anchor)).map_err(anyhow::Error::msg)?;
            let verdict = if server.is_some_and(|s| s.role == Role::Agent) {
                promtool::check_agent_config_text(&copy, &generated.side_files)?
            } else {
                promtool::check_text("config", &copy, &generated.side_files)?
            };
            promtool::enforce(promtool::Tool::Promtool, verdict)?;
        }
    }
    if per_server_dir {
        let mut files = Vec::new();
        for (server, config) in &configs {
            let name = server.map_or("prometheus", |s| s.name.as_str());
            files.push((
                format!("{name}.yml"),
                promconfig::render(config).map_err(anyhow::Error::msg)?,
            ));
        }
        files.extend(generated.side_files.iter().cloned());
        write_dir(&dir, &files, opts.force, opts.diff)?;
        return Ok(ExitCode::SUCCESS);
    }
    let config = &configs[0].1;
    let text = promconfig::render(config).map_err(anyhow::Error::msg)?;
    if args.explain {
        crate::out!("{}", explain(config));
        if opts.to_stdout() {
            return Ok(ExitCode::SUCCESS);
        }
    }
    write_bundle(
        &Bundle {
            main: text,
            side_files: generated.side_files,
        },
        &opts,
    )?;
    Ok(ExitCode::SUCCESS)
}

/// For each job, what its relabel rules do to the built-in example targets
/// of its discovery mode (static jobs have no rules: their targets are as
/// written).
fn explain(config: &promconfig::PrometheusConfig) -> String {
    use crate::promconfig::relabel::{DiscoveryExample, compile_all, describe, examples, trace};
    use crate::version::PromVersion;
    let mut out = String::new();
    for job in &config.scrape_configs {
        let kind = if !job.kubernetes_sd_configs.is_empty() {
            Some(DiscoveryExample::KubernetesPod)
        } else if !job.docker_sd_configs.is_empty() {
            Some(DiscoveryExample::DockerContainer)
        } else {
            None
        };
        out.push_str(&format!("job {}:\n", job.job_name));
        for (i, rule) in job.relabel_configs.iter().enumerate() {
            out.push_str(&format!("  rule {i}: {}\n", describe(rule)));
        }
        let Some(kind) = kind else {
            out.push_str("  static targets, no relabelling: scraped as written\n");
            continue;
        };
        let Ok(rules) = compile_all(job, PromVersion::V3) else {
            continue;
        };
        let interval = job
            .scrape_interval
            .unwrap_or(config.global.scrape_interval)
            .to_string();
        for d in examples(kind) {
            let from = d.get("__address__").cloned().unwrap_or_default();
            let t = trace(job, &rules, &d, &interval, "10s", PromVersion::V3, false);
            let line = match (&t.outcome, t.dropped_by) {
                (Ok(Some(labels)), _) => format!(
                    "kept   {from} -> {} {}",
                    t.scrape_url.unwrap_or_default(),
                    labels
                        .iter()
                        .filter(|(k, _)| *k != "__address__")
                        .map(|(k, v)| format!("{k}={v}"))
                        .collect::<Vec<_>>()
                        .join(",")
                ),
                (_, Some(i)) => format!("drop   {from} by rule {i}"),
                (Err(e), _) => format!("error  {from}: {e}"),
                _ => format!("drop   {from}"),
            };
            out.push_str(&format!("  {line}\n"));
        }
    }
    out
}
