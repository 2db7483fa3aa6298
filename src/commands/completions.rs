//! `gpucharts-mon completions SHELL` and `gpucharts-mon man`: generated from
//! the clap definitions, so they never drift from the real flags.

use std::process::ExitCode;

use clap::CommandFactory;

use crate::cli::Cli;

/// The completion script for `shell`.
pub fn completion_script(shell: clap_complete::Shell) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "gpucharts-mon", &mut out);
    out
}

/// The man page, in roff.
pub fn man_page() -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut out)?;
    Ok(out)
}

pub fn completions(shell: clap_complete::Shell) -> anyhow::Result<ExitCode> {
    use std::io::Write;
    crate::output::Stdout.write_all(&completion_script(shell))?;
    Ok(ExitCode::SUCCESS)
}

pub fn man() -> anyhow::Result<ExitCode> {
    use std::io::Write;
    crate::output::Stdout.write_all(&man_page()?)?;
    Ok(ExitCode::SUCCESS)
}
