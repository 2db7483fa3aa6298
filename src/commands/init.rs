//! `gpucharts-mon init`: write the commented example inventory.

use std::process::ExitCode;

use crate::cli::InitArgs;
use crate::error;
use crate::inventory;
use crate::output::files::{Bundle, WriteOptions, write_bundle};

pub fn run(args: &InitArgs) -> anyhow::Result<ExitCode> {
    let to_stdout = args.output.as_os_str() == "-";
    if !to_stdout && std::fs::symlink_metadata(&args.output).is_ok() {
        return Err(error::usage(format!(
            "{} already exists; init never overwrites an inventory",
            args.output.display()
        )));
    }
    let text = inventory::example(args.templates.templates.as_deref(), &args.output)
        .map_err(error::domain)?;
    write_bundle(
        &Bundle::single(text),
        &WriteOptions {
            output: Some(&args.output),
            force: false,
            diff: false,
        },
    )
    .map_err(error::domain)?;
    if !to_stdout {
        eprintln!("wrote {}", args.output.display());
    }
    Ok(ExitCode::SUCCESS)
}
