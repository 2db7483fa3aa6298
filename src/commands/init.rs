//! `gpucharts-mon init`: write the commented example inventory.

use std::process::ExitCode;

use crate::cli::InitArgs;
use crate::error;
use crate::output::files::write_atomic;
use crate::templates;

pub fn run(args: &InitArgs) -> anyhow::Result<ExitCode> {
    if args.output.exists() {
        return Err(error::usage(format!(
            "{} already exists; init never overwrites an inventory",
            args.output.display()
        )));
    }
    let text = templates::render(
        templates::INVENTORY,
        (),
        args.templates.templates.as_deref(),
    )?;
    // The example must itself be a valid inventory, even from an override.
    crate::inventory::Inventory::parse(&text, Some(&args.output))?;
    write_atomic(&args.output, text.as_bytes(), false)?;
    eprintln!("wrote {}", args.output.display());
    Ok(ExitCode::SUCCESS)
}
