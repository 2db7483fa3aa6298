//! `--check`: the generated text goes past promtool (or amtool) before a
//! byte is written. A missing checker is a note; a rejection is an exit-1
//! error, and nothing is written.

use std::path::Path;

use super::files::FileError;
use crate::promtool::{self, Tool, ToolVerdict};

/// One check of generated text.
pub(crate) enum Gate<'a> {
    /// `promtool check config` (`--agent` for an agent), the config in a
    /// scratch folder with the side files it refers to.
    Config {
        text: &'a str,
        side_files: &'a [(String, String)],
        agent: bool,
    },
    /// `promtool check config` of `text` as the file `target` it replaces,
    /// so the relative paths it names resolve as they will.
    ConfigBeside {
        text: &'a str,
        target: &'a Path,
        agent: bool,
    },
    /// `promtool check rules`.
    Rules(&'a str),
    /// `promtool test rules` of `tests`, which names the rules `rules_name`.
    RuleTests {
        rules_name: &'a str,
        rules: &'a str,
        tests: &'a str,
    },
    /// `amtool check-config`.
    Alertmanager(&'a str),
}

/// Run every check, in order; the first rejection stops the run.
pub(crate) fn pass(gates: &[Gate]) -> Result<(), FileError> {
    for gate in gates {
        let (tool, verdict) = match *gate {
            Gate::Config {
                text,
                side_files,
                agent: false,
            } => (
                Tool::Promtool,
                promtool::check_text("config", text, side_files),
            ),
            Gate::Config {
                text,
                side_files,
                agent: true,
            } => (
                Tool::Promtool,
                promtool::check_agent_config_text(text, side_files),
            ),
            Gate::ConfigBeside {
                text,
                target,
                agent,
            } => (
                Tool::Promtool,
                promtool::check_config_beside(text, target, agent),
            ),
            Gate::Rules(text) => (Tool::Promtool, promtool::check_text("rules", text, &[])),
            Gate::RuleTests {
                rules_name,
                rules,
                tests,
            } => (
                Tool::Promtool,
                promtool::test_rules_text(rules_name, rules, tests),
            ),
            Gate::Alertmanager(text) => (Tool::Amtool, promtool::amtool_check_text(text)),
        };
        enforce(tool, verdict?)?;
    }
    Ok(())
}

/// A verdict as the outcome every `--check` shares: a note on stderr when
/// the checker is missing or passes, an exit-1 error when it rejects.
fn enforce(tool: Tool, verdict: ToolVerdict) -> Result<(), FileError> {
    let program = tool.program();
    match verdict {
        ToolVerdict::Missing => {
            eprintln!(
                "gpucharts-mon: note: {program} is not on PATH; skipped its check (install the {} package)",
                tool.package()
            );
            Ok(())
        }
        ToolVerdict::Passed(_) => {
            eprintln!("gpucharts-mon: {program} check passed");
            Ok(())
        }
        ToolVerdict::Rejected(out) => Err(FileError::Rejected {
            program: program.to_string(),
            output: out.trim().replace('\n', " | "),
        }),
    }
}
