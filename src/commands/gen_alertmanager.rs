//! `gpucharts-mon gen-alertmanager`: alertmanager.yml from the inventory.

use std::process::ExitCode;

use crate::Ctx;
use crate::alertmanager;
use crate::cli::GenAlertmanagerArgs;
use crate::error;
use crate::output::alertmanager::explain;
use crate::output::files::{Bundle, WriteOptions, write_bundle};
use crate::output::gate::{self, Gate};

pub fn run(args: &GenAlertmanagerArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let inv = &ctx.inventory;
    let config = crate::context::alertmanager_config(inv)?;
    let text = alertmanager::render(&config).map_err(error::failed)?;
    let opts = WriteOptions::from(&args.out);
    if args.check {
        gate::pass(&[Gate::Alertmanager(&text)]).map_err(error::domain)?;
    }
    if args.explain {
        crate::out!("{}", explain(&config));
        if opts.to_stdout() {
            return Ok(ExitCode::SUCCESS);
        }
    }
    write_bundle(&Bundle::single(text), &opts).map_err(error::domain)?;
    Ok(ExitCode::SUCCESS)
}
