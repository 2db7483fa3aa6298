//! `gpucharts-mon completions SHELL` and `gpucharts-mon man`: generated from
//! the clap definitions, so they never drift from the real flags.

use std::process::ExitCode;

use clap::CommandFactory;

use crate::cli::{Cli, ManArgs};

/// The completion script for `shell`.
pub fn completion_script(shell: clap_complete::Shell) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "gpucharts-mon", &mut out);
    if shell == clap_complete::Shell::Bash {
        // clap_complete names a subcommand's case label from the binary
        // name split at its `-` (`gpucharts__subcmd__mon__…`) but its word
        // loop from the whole name (`gpucharts__mon__…`): no label matched,
        // so nothing after the subcommand completed. One spelling for both.
        let text =
            String::from_utf8_lossy(&out).replace("gpucharts__subcmd__mon__", "gpucharts__mon__");
        return text.into_bytes();
    }
    out
}

/// The main man page, in roff.
pub fn man_page() -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut out)?;
    Ok(out)
}

/// Every man page: (file name, roff) for `gpucharts-mon.1` and one
/// `gpucharts-mon-<command>.1` per subcommand, which the main page's SEE
/// ALSO section refers to.
pub fn man_pages() -> std::io::Result<Vec<(String, Vec<u8>)>> {
    let cli = Cli::command();
    let mut pages = vec![("gpucharts-mon.1".to_string(), man_page()?)];
    for sub in cli.get_subcommands() {
        let name = format!("gpucharts-mon-{}", sub.get_name());
        let mut out = Vec::new();
        let bin = format!("gpucharts-mon {}", sub.get_name());
        clap_mangen::Man::new(sub.clone().name(name.clone()).bin_name(bin)).render(&mut out)?;
        pages.push((format!("{name}.1"), out));
    }
    Ok(pages)
}

pub fn completions(shell: clap_complete::Shell) -> anyhow::Result<ExitCode> {
    use std::io::Write;
    crate::output::Stdout.write_all(&completion_script(shell))?;
    Ok(ExitCode::SUCCESS)
}

pub fn man(args: &ManArgs) -> anyhow::Result<ExitCode> {
    use std::io::Write;
    let Some(dir) = &args.dir else {
        crate::output::Stdout.write_all(&man_page()?)?;
        return Ok(ExitCode::SUCCESS);
    };
    // One set: the folder is made when missing, and a failure leaves no
    // half-written set behind.
    let pages = man_pages()?
        .into_iter()
        .map(|(name, page)| Ok((name, String::from_utf8(page)?)))
        .collect::<anyhow::Result<Vec<_>>>()?;
    crate::output::files::write_dir(dir, &pages, true, false).map_err(crate::error::domain)?;
    eprintln!("wrote the man pages into {}", dir.display());
    Ok(ExitCode::SUCCESS)
}
