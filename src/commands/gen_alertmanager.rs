//! `gpucharts-mon gen-alertmanager`: alertmanager.yml from the inventory.

use std::process::ExitCode;

use crate::Ctx;
use crate::alertmanager;
use crate::cli::GenAlertmanagerArgs;
use crate::error;
use crate::output::files::{Bundle, WriteOptions, write_bundle};
use crate::promtool::{self, Tool};
use crate::text::terminal_safe;

pub fn run(args: &GenAlertmanagerArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let inv = &ctx.inventory;
    let config = crate::context::alertmanager_config(inv)?;
    let text = alertmanager::render(&config).map_err(error::failed)?;
    let opts = WriteOptions::from(&args.out);
    if args.check {
        crate::output::files::enforce(Tool::Amtool, promtool::amtool_check_text(&text)?)
            .map_err(error::domain)?;
    }
    if args.explain {
        let mut out = String::new();
        for e in alertmanager::explain(&config) {
            let integrations = config
                .receivers
                .iter()
                .find(|r| r.name == e.receiver)
                .map(|r| r.integrations().join(","))
                .unwrap_or_default();
            let service = e
                .service
                .map(|s| format!("{}={s}", alertmanager::SERVICE_LABEL))
                .unwrap_or_default();
            out.push_str(&format!(
                "{:<26} severity={:<9} {service:<15} -> {}{}\n",
                e.alert,
                e.severity,
                terminal_safe(e.receiver),
                if integrations.is_empty() {
                    " (notifies nobody)".to_string()
                } else {
                    format!(" ({integrations})")
                }
            ));
        }
        crate::out!("{out}");
        if opts.to_stdout() {
            return Ok(ExitCode::SUCCESS);
        }
    }
    write_bundle(&Bundle::single(text), &opts).map_err(error::domain)?;
    Ok(ExitCode::SUCCESS)
}
