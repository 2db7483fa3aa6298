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
    let matches = cmd
        .clone()
        .try_get_matches()
        .unwrap_or_else(|e| exit_naming_variable(&e, &cmd));
    let mut cli =
        Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.format(&mut Cli::command()).exit());
    cli.sources = Sources::of(&cmd, &matches);
    cli
}

/// Exit on a usage error as clap does; but clap names the flag when a
/// value does not parse even when the value came from the flag's
/// environment variable, so then the message names the variable too.
fn exit_naming_variable(err: &clap::Error, cmd: &Command) -> ! {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if err.kind() == ErrorKind::ValueValidation
        && let Some(ContextValue::String(shown)) = err.get(ContextKind::InvalidArg)
        && let Some(var) = variable_of(cmd, shown)
    {
        let text = err.render().to_string().replacen(
            &format!("'{shown}'"),
            &format!("{var} (the variable of '{shown}')"),
            1,
        );
        eprint!("{text}");
        std::process::exit(2);
    }
    err.exit()
}

/// The variable behind the flag clap shows as `shown` (`--max-body
/// <SIZE>`), when it is set and no spelling of the flag is on the command
/// line.
fn variable_of(cmd: &Command, shown: &str) -> Option<String> {
    let long = shown.strip_prefix("--")?.split([' ', '=']).next()?;
    let mut commands = vec![cmd];
    let mut found = None;
    while let Some(c) = commands.pop() {
        found = c
            .get_arguments()
            .find(|a| a.get_long() == Some(long) && a.get_env().is_some());
        if found.is_some() {
            break;
        }
        commands.extend(c.get_subcommands());
    }
    let arg = found?;
    let var = arg.get_env()?.to_string_lossy().into_owned();
    let names: Vec<&str> = arg.get_long_and_visible_aliases()?;
    let given = std::env::args_os().skip(1).any(|a| {
        let a = a.to_string_lossy();
        names.iter().any(|n| {
            a.strip_prefix("--")
                .and_then(|rest| rest.strip_prefix(n))
                .is_some_and(|tail| tail.is_empty() || tail.starts_with('='))
        })
    });
    (!given && std::env::var_os(&var).is_some()).then_some(var)
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
