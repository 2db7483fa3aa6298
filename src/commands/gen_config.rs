//! `gpucharts-mon gen-config`: prometheus.yml from the inventory and flags.

use std::process::ExitCode;

use crate::Ctx;
use crate::cli::GenConfigArgs;
use crate::error;
use crate::inventory::cluster::Role;
use crate::output::files::{Bundle, WriteOptions, write_bundle, write_dir};
use crate::output::gen_config::explain;
use crate::promconfig;
use crate::promconfig::cluster::server_configs;
use crate::promconfig::explain::examples_of;
use crate::promconfig::splice::splice;
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
        if let Some(f) = file
            && let Some(w) = crate::redact::shared_secret(std::path::Path::new(f), what)
        {
            error::warn(w);
        }
    }
    let opts = WriteOptions::from(&args.out);
    let cluster = &inv.prometheus.cluster;
    // One config, or one per server of the inventory's cluster.
    let configs = server_configs(cluster, &generated.config, args.server_name.as_deref())
        .map_err(error::domain)?;
    let per_server_dir = configs.len() > 1;
    if per_server_dir && (opts.to_stdout() || args.explain) {
        return Err(error::usage(format!(
            "the inventory describes {} servers: give --server-name NAME, or -o DIR to write NAME.yml for each",
            configs.len()
        )));
    }
    if let Some(file) = &args.into {
        if per_server_dir {
            return Err(error::usage(format!(
                "--into takes one config and the inventory describes {} servers: give --server-name NAME",
                configs.len()
            )));
        }
        return into(file, &configs[0].1, generated.side_files, args, &opts);
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
            crate::output::files::enforce(promtool::Tool::Promtool, verdict)?;
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
        crate::out!("{}", explain(&examples_of(config)));
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

/// `--into FILE`: splice the jobs into FILE and write it back under the
/// same rules (`--force` keeps `.bak`, `--diff` writes nothing).
fn into(
    file: &std::path::Path,
    config: &promconfig::PrometheusConfig,
    side_files: Vec<(String, String)>,
    args: &GenConfigArgs,
    opts: &WriteOptions,
) -> anyhow::Result<ExitCode> {
    let existing = crate::input::read_text(crate::input::Purpose::Config, file)
        .map_err(|e| error::usage(format!("--into {}: {e}", file.display())))?;
    let spliced = splice(&existing, config, args.adopt)
        .map_err(|e| error::usage(format!("--into {}: {e}", file.display())))?;
    if args.check {
        crate::output::files::enforce(
            promtool::Tool::Promtool,
            promtool::check_config_beside(&spliced.text, file)?,
        )?;
    }
    if spliced.text == existing && side_files.is_empty() {
        error::note(format!("{}: up to date", file.display()));
        return Ok(ExitCode::SUCCESS);
    }
    let target = WriteOptions {
        output: Some(file),
        ..*opts
    };
    write_bundle(
        &Bundle {
            main: spliced.text,
            side_files,
        },
        &target,
    )?;
    for change in &spliced.changes {
        error::note(format!("{}: {change}", file.display()));
    }
    Ok(ExitCode::SUCCESS)
}
