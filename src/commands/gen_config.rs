//! `gpucharts-mon gen-config`: prometheus.yml from the inventory and flags.

use std::process::ExitCode;

use crate::Ctx;
use crate::cli::GenConfigArgs;
use crate::error;
use crate::output::files::{Bundle, WriteOptions, write_bundle};
use crate::promconfig::{self, validate::ConfigError};
use crate::promtool;

pub fn run(args: &GenConfigArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let inv = crate::context::gen_config_inventory(ctx.inventory.clone(), args);
    let generated = promconfig::build(&inv).map_err(|e| match e {
        ConfigError::Invalid(msg) => error::usage(msg),
        ConfigError::Internal(msg) => anyhow::anyhow!(msg),
    })?;
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
    let text = promconfig::render(&generated.config).map_err(anyhow::Error::msg)?;
    let opts = WriteOptions::from(&args.out);
    if args.check {
        // promtool checks a copy in a scratch directory; relative references
        // to the user's files are anchored where the config will live.
        let dir = std::path::absolute(opts.side_dir())?;
        let copy =
            promconfig::render(&generated.config.anchored_at(&dir)).map_err(anyhow::Error::msg)?;
        promtool::enforce(promtool::check_text(
            "config",
            &copy,
            &generated.side_files,
        )?)?;
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
