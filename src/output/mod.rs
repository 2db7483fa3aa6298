//! Everything that decides how results look or land: files, tables, colour.

pub mod files;

use std::io::IsTerminal;

use crate::cli::ColorChoice;

/// The one colour decision: `auto` means stdout is a terminal, `NO_COLOR` is
/// unset or empty, and `TERM` is not `dumb`.
pub fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
        }
    }
}
