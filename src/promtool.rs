//! Running the real checkers (`promtool`, `amtool`) when they are
//! installed, for `--check`.

use std::ffi::OsStr;
use std::path::Path;
use std::process::Command;

/// A checker program, and the Debian package that installs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tool {
    Promtool,
    Amtool,
}

impl Tool {
    pub fn program(self) -> &'static str {
        match self {
            Tool::Promtool => "promtool",
            Tool::Amtool => "amtool",
        }
    }

    pub fn package(self) -> &'static str {
        match self {
            Tool::Promtool => "prometheus",
            Tool::Amtool => "prometheus-alertmanager",
        }
    }
}

/// Why a checker could not be run on a text: its scratch copy could not
/// be written, or the program would not start. Unclassified: a failure
/// (exit 1), like any I/O of our own.
#[derive(Debug, thiserror::Error)]
pub enum ToolError {
    #[error("cannot write the copy to check: {0}")]
    Scratch(std::io::Error),
    #[error("cannot run the checker: {0}")]
    Run(std::io::Error),
    #[error("{what} name {name:?} is not a plain file name")]
    NotPlain { what: &'static str, name: String },
}

#[derive(Debug, PartialEq, Eq)]
pub enum ToolVerdict {
    /// promtool is not on PATH.
    Missing,
    /// promtool accepted the file; its output.
    Passed(String),
    /// promtool rejected the file; its output.
    Rejected(String),
}

/// `promtool check <what> <file>`, e.g. what = "config" or "rules". The
/// file is the user's (it may be a password file named by mistake), so
/// what promtool quotes of it is not repeated: see [`unquoted`].
pub fn check(what: &str, file: &Path) -> std::io::Result<ToolVerdict> {
    run(
        Tool::Promtool,
        [OsStr::new("check"), OsStr::new(what), file.as_os_str()],
    )
    .map(unquoted)
}

/// promtool's messages about a user's file with the file's text left out:
/// Go's YAML errors quote values in backticks (``cannot unmarshal !!str
/// `root:$6$…` ``) and keys after `field` or in double quotes; a key is
/// kept only when it looks like one (a short identifier).
fn unquoted(v: ToolVerdict) -> ToolVerdict {
    static QUOTED: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    let Some(re) = QUOTED.get_or_init(|| {
        regex::Regex::new(r#"`[^`\n]*`|"(?:[^"\\\n]|\\.)*"|\bfield (\S+) not found"#).ok()
    }) else {
        return v;
    };
    let plain = |s: &str| {
        s.len() <= 40
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"_-.".contains(&b))
    };
    let clean = |text: String| {
        re.replace_all(&text, |c: &regex::Captures| {
            let all = &c[0];
            if let Some(key) = c.get(1) {
                let key = key.as_str();
                return format!(
                    "field {} not found",
                    if plain(key) { key } else { "(name not shown)" }
                );
            }
            let inner = &all[1..all.len() - 1];
            // File paths and plain names are promtool's own words.
            if plain(inner) || inner.starts_with('/') && !inner.contains(' ') {
                all.to_string()
            } else {
                "(value not shown)".to_string()
            }
        })
        .into_owned()
    };
    match v {
        ToolVerdict::Missing => ToolVerdict::Missing,
        ToolVerdict::Passed(t) => ToolVerdict::Passed(clean(t)),
        ToolVerdict::Rejected(t) => ToolVerdict::Rejected(clean(t)),
    }
}

/// `amtool check-config` on `text`, written to a fresh temporary directory.
pub(crate) fn amtool_check_text(text: &str) -> Result<ToolVerdict, ToolError> {
    let scratch = tempfile::tempdir().map_err(ToolError::Scratch)?;
    let file = scratch.path().join("alertmanager.yml");
    std::fs::write(&file, text).map_err(ToolError::Scratch)?;
    run(Tool::Amtool, [OsStr::new("check-config"), file.as_os_str()]).map_err(ToolError::Run)
}

fn run<'a>(tool: Tool, args: impl IntoIterator<Item = &'a OsStr>) -> std::io::Result<ToolVerdict> {
    let out = match Command::new(tool.program()).args(args).output() {
        Ok(out) => out,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(ToolVerdict::Missing),
        Err(e) => return Err(e),
    };
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(if out.status.success() {
        ToolVerdict::Passed(text)
    } else {
        ToolVerdict::Rejected(text)
    })
}

/// Check `text` (plus the side files it names by relative path) with
/// promtool. Everything is written to a fresh temporary directory, never
/// beside the user's files: `--check` writes nothing where the user looks.
/// Callers make other relative references absolute first (see
/// `PrometheusConfig::anchored_at`).
pub(crate) fn check_text(
    what: &str,
    text: &str,
    side_files: &[(String, String)],
) -> Result<ToolVerdict, ToolError> {
    check_text_with(what, &[], text, side_files)
}

/// [`check_text`] for an agent-mode config (`promtool check config --agent`).
pub(crate) fn check_agent_config_text(
    text: &str,
    side_files: &[(String, String)],
) -> Result<ToolVerdict, ToolError> {
    check_text_with("config", &["--agent"], text, side_files)
}

fn check_text_with(
    what: &str,
    flags: &[&str],
    text: &str,
    side_files: &[(String, String)],
) -> Result<ToolVerdict, ToolError> {
    let scratch = tempfile::tempdir().map_err(ToolError::Scratch)?;
    for (name, content) in side_files {
        // Names were checked to be plain file names; refuse anything else
        // rather than write outside the scratch directory.
        if !crate::values::is_plain_file_name(name) {
            return Err(ToolError::NotPlain {
                what: "side file",
                name: name.clone(),
            });
        }
        std::fs::write(scratch.path().join(name), content).map_err(ToolError::Scratch)?;
    }
    let file = scratch.path().join(format!("{what}.yml"));
    std::fs::write(&file, text).map_err(ToolError::Scratch)?;
    let mut args = vec![OsStr::new("check"), OsStr::new(what)];
    args.extend(flags.iter().map(OsStr::new));
    args.push(file.as_os_str());
    run(Tool::Promtool, args).map_err(ToolError::Run)
}

/// `promtool check config` on `text` as if it were at `target`: a hidden
/// copy beside it (removed afterwards), so the relative paths it names
/// (rule files, file_sd files, secrets) resolve as they will.
pub(crate) fn check_config_beside(
    text: &str,
    target: &Path,
    agent: bool,
) -> Result<ToolVerdict, ToolError> {
    let dir = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut copy = tempfile::Builder::new()
        .prefix(".gpucharts-mon-check-")
        .suffix(".yml")
        .tempfile_in(dir)
        .map_err(ToolError::Scratch)?;
    std::io::Write::write_all(&mut copy, text.as_bytes()).map_err(ToolError::Scratch)?;
    if agent {
        check_agent_config(copy.path())
    } else {
        check("config", copy.path())
    }
    .map_err(ToolError::Run)
}

/// `promtool check config --agent FILE`.
pub(crate) fn check_agent_config(file: &Path) -> std::io::Result<ToolVerdict> {
    run(
        Tool::Promtool,
        [
            OsStr::new("check"),
            OsStr::new("config"),
            OsStr::new("--agent"),
            file.as_os_str(),
        ],
    )
    .map(unquoted)
}

/// Run `promtool test rules` on `tests` (which refers to the rules by
/// `rules_name`), both written to a fresh temporary directory.
pub(crate) fn test_rules_text(
    rules_name: &str,
    rules: &str,
    tests: &str,
) -> Result<ToolVerdict, ToolError> {
    if !crate::values::is_plain_file_name(rules_name) {
        return Err(ToolError::NotPlain {
            what: "rules file",
            name: rules_name.to_string(),
        });
    }
    let scratch = tempfile::tempdir().map_err(ToolError::Scratch)?;
    std::fs::write(scratch.path().join(rules_name), rules).map_err(ToolError::Scratch)?;
    let file = scratch.path().join("rules.test.yml");
    std::fs::write(&file, tests).map_err(ToolError::Scratch)?;
    run(
        Tool::Promtool,
        [OsStr::new("test"), OsStr::new("rules"), file.as_os_str()],
    )
    .map_err(ToolError::Run)
}
