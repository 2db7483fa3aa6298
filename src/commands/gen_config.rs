//! `gpucharts-mon gen-config`: prometheus.yml from the inventory and flags.

use std::process::ExitCode;

use crate::Ctx;
use crate::cli::GenConfigArgs;
use crate::error;
use crate::output::files::{Bundle, WriteOptions, write_bundle, write_dir};
use crate::output::gate::{self, Gate};
use crate::output::gen_config::explain;
use crate::promconfig;
use crate::promconfig::cluster::{file_name, is_agent, server_configs};
use crate::promconfig::explain::examples_of;

pub fn run(args: &GenConfigArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let inv = crate::context::gen_config_inventory(ctx.inventory.clone(), args);
    let generated = promconfig::build(&inv).map_err(crate::error::domain)?;
    for w in &generated.warnings {
        error::warn(w);
    }
    let opts = WriteOptions::from(&args.out);
    let cluster = &inv.prometheus.cluster;
    // One config, or one per server of the inventory's cluster.
    let configs = server_configs(cluster, &generated.config, args.server_name.as_deref())
        .map_err(error::domain)?;
    let per_server_dir = configs.len() > 1;
    if per_server_dir && ((opts.to_stdout() && args.into.is_none()) || args.explain) {
        return Err(error::usage(format!(
            "the inventory describes {} servers: give --server-name NAME, or -o DIR to write NAME.yml for each (--into DIR splices into them)",
            configs.len()
        )));
    }
    if let Some(into) = &args.into {
        // One file, or a folder of NAME.yml, one per server.
        let targets: Vec<SpliceTarget<'_>> = configs
            .iter()
            .map(|(server, config)| SpliceTarget {
                file: if per_server_dir {
                    into.join(file_name(*server))
                } else {
                    into.clone()
                },
                agent: is_agent(*server),
                config,
            })
            .collect();
        return into_files(&targets, generated.side_files, args, &opts);
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
            gate::pass(&[Gate::Config {
                text: &copy,
                side_files: &generated.side_files,
                agent: is_agent(*server),
            }])
            .map_err(error::domain)?;
        }
    }
    if per_server_dir {
        let mut files = Vec::new();
        for (server, config) in &configs {
            files.push((
                file_name(*server),
                promconfig::render(config).map_err(anyhow::Error::msg)?,
            ));
        }
        files.extend(generated.side_files.iter().cloned());
        write_dir(&dir, &files, opts.force, opts.diff).map_err(error::domain)?;
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
    )
    .map_err(error::domain)?;
    Ok(ExitCode::SUCCESS)
}

/// One config to splice into an existing file.
struct SpliceTarget<'a> {
    file: std::path::PathBuf,
    agent: bool,
    config: &'a promconfig::PrometheusConfig,
}

/// `--into`: splice the jobs into each file and write it back under the
/// same rules (`--force` keeps `.bak`, `--diff` writes nothing); nothing is
/// written unless every file splices (and passes `--check`). The side files
/// go beside the first.
fn into_files(
    targets: &[SpliceTarget<'_>],
    mut side_files: Vec<(String, String)>,
    args: &GenConfigArgs,
    opts: &WriteOptions,
) -> anyhow::Result<ExitCode> {
    let mut spliced = Vec::new();
    for t in targets {
        let (existing, s) = crate::context::spliced_into(&t.file, t.config, args.adopt)?;
        if args.check {
            gate::pass(&[Gate::ConfigBeside {
                text: &s.text,
                target: &t.file,
                agent: t.agent,
            }])
            .map_err(error::domain)?;
        }
        spliced.push((&t.file, existing, s));
    }
    for (path, existing, s) in spliced {
        let side_files = std::mem::take(&mut side_files);
        crate::output::files::write_spliced(path, &existing, s, side_files, opts)
            .map_err(error::domain)?;
    }
    Ok(ExitCode::SUCCESS)
}
