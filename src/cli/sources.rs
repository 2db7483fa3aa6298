//! Where each value on the command line came from, as clap recorded it
//! while parsing: its flag, or its environment variable. Errors and
//! explanations name the real source instead of guessing from argv.

use std::collections::BTreeMap;

use clap::parser::ValueSource;
use clap::{ArgMatches, Command, CommandFactory, FromArgMatches};

use super::Cli;

/// Each given value's source by argument id: `--flag` or `VARIABLE`
/// (defaults are not recorded).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sources(BTreeMap<String, String>);

impl Sources {
    /// The sources of the arguments of `cmd` and of the subcommands chosen
    /// in `matches`.
    pub fn of(cmd: &Command, matches: &ArgMatches) -> Self {
        let mut out = BTreeMap::new();
        let (mut cmd, mut matches) = (cmd, matches);
        loop {
            for arg in cmd.get_arguments() {
                let id = arg.get_id().as_str();
                let shown = match matches.value_source(id) {
                    Some(ValueSource::EnvVariable) => {
                        arg.get_env().map(|v| v.to_string_lossy().into_owned())
                    }
                    Some(ValueSource::CommandLine) => arg
                        .get_long()
                        .map(|l| format!("--{l}"))
                        .or_else(|| arg.get_short().map(|s| format!("-{s}"))),
                    _ => None,
                };
                if let Some(shown) = shown {
                    out.insert(id.to_string(), shown);
                }
            }
            match matches
                .subcommand()
                .and_then(|(name, m)| Some((cmd.find_subcommand(name)?, m)))
            {
                Some(next) => (cmd, matches) = next,
                None => return Self(out),
            }
        }
    }

    /// How the value of argument `id` was given: its flag or its
    /// environment variable; `flag` when it is not on record.
    pub fn name(&self, id: &str, flag: &str) -> String {
        self.0.get(id).cloned().unwrap_or_else(|| flag.to_string())
    }
}

/// Parse the process' command line (exiting on `--help`, `--version` and
/// usage errors as clap does), with each value's source.
pub fn parse() -> Cli {
    let cmd = Cli::command();
    let matches = cmd.clone().get_matches();
    let mut cli =
        Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.format(&mut Cli::command()).exit());
    cli.sources = Sources::of(&cmd, &matches);
    cli
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources(argv: &[&str]) -> Sources {
        let cmd = Cli::command();
        Sources::of(&cmd, &cmd.clone().try_get_matches_from(argv).unwrap())
    }

    #[test]
    fn a_flag_and_its_variable_are_told_apart() {
        let flagged = sources(&["gpucharts-mon", "query", "up", "--prometheus", "http://a:1"]);
        assert_eq!(flagged.name("prometheus", "?"), "--prometheus");
        let config = sources(&["gpucharts-mon", "-c", "x.yaml", "lint", "f"]);
        assert_eq!(config.name("config", "?"), "--config");
        let none = sources(&["gpucharts-mon", "lint", "f"]);
        assert_eq!(none.name("prometheus", "--prometheus"), "--prometheus");
        assert_eq!(none.name("max_series", "fallback"), "fallback");
    }
}
