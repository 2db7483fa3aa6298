//! Shared helpers for the integration tests.

use std::path::Path;
use std::process::Command as StdCommand;

use assert_cmd::Command;

/// The binary, run in `dir`, with no inventory coming from the environment.
pub fn mon(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("gpucharts-mon").expect("binary builds");
    cmd.current_dir(dir)
        .env_remove("GPUCHARTS_MON_CONFIG")
        .env_remove("PROMETHEUS_URL")
        .env_remove("PROMETHEUS_USER")
        .env_remove("PROMETHEUS_PASSWORD_FILE")
        .env_remove("PROMETHEUS_BEARER_TOKEN_FILE")
        .env_remove("PROMETHEUS_CA_FILE")
        .env_remove("PROMETHEUS_TIMEOUT")
        .env_remove("PROMETHEUS_MAX_BODY")
        .env("NO_COLOR", "1");
    cmd
}

/// Say that a test cannot run here, and why. Under CI (`CI` set) a test
/// that cannot run fails: CI installs everything, so a skip there is a hole.
pub fn skip(why: &str) {
    assert!(
        std::env::var_os("CI").is_none(),
        "cannot run under CI: {why}"
    );
    eprintln!("SKIPPED {why}");
}

/// Exit code, stdout and stderr of a run.
pub fn outcome(cmd: &mut Command) -> (i32, String, String) {
    let out = cmd.output().expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// [`outcome`] with stdout parsed as JSON (a run that prints anything else
/// fails the test, showing what it printed).
pub fn json_outcome(cmd: &mut Command) -> (i32, serde_json::Value, String) {
    let (code, out, err) = outcome(cmd);
    let v = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}\n{err}"));
    (code, v, err)
}

/// stdout of a successful run.
pub fn stdout_of(cmd: &mut Command) -> String {
    let out = cmd.output().expect("runs");
    assert!(
        out.status.success(),
        "command failed ({:?}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// Is `tool` on PATH? When not, print a visible skip line.
pub fn have(tool: &str, test: &str) -> bool {
    let found = StdCommand::new("sh")
        .arg("-c")
        .arg(format!("command -v {tool}"))
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        crate::support::skip(&format!(
            "{test}: `{tool}` is not installed (apt-get install prometheus)"
        ));
    }
    found
}

/// Run `promtool check <what> <file>` and assert it passes.
pub fn promtool_accepts(what: &str, file: &Path) {
    let out = StdCommand::new("promtool")
        .args(["check", what])
        .arg(file)
        .output()
        .expect("promtool runs");
    assert!(
        out.status.success(),
        "promtool check {what} rejected {}:\n{}{}",
        file.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

pub fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Every file below `dir`, by its path relative to `dir`, with its text,
/// sorted: what a generator wrote, to compare one run with another.
pub fn folder_files(dir: &Path) -> Vec<(String, String)> {
    let mut files = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else {
                let name = path.strip_prefix(dir).unwrap().display().to_string();
                files.push((name, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

/// `gpucharts-mon SUBCOMMAND -o OUT ARGS…`, run in `dir` (it must
/// succeed): the files it wrote below `out`, and what it said with `out`
/// shown as OUT.
pub fn written_by(
    dir: &Path,
    subcommand: &str,
    out: &Path,
    args: &[&str],
) -> (Vec<(String, String)>, String) {
    let (code, _, err) = outcome(
        mon(dir)
            .args([subcommand, "-o", out.to_str().unwrap()])
            .args(args),
    );
    assert_eq!(code, 0, "{subcommand} {args:?}: {err}");
    (folder_files(out), err.replace(out.to_str().unwrap(), "OUT"))
}

/// A `--templates` folder in `dir` whose `name` is the embedded template
/// with `from` replaced by `to`; returns the folder.
pub fn template_override(dir: &Path, name: &str, from: &str, to: &str) -> std::path::PathBuf {
    let embedded = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("templates")
            .join(name),
    )
    .unwrap();
    assert!(embedded.contains(from), "{name} has no {from:?}");
    let folder = dir.join("tpl");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join(name), embedded.replace(from, to)).unwrap();
    folder
}

/// A JSON report without what differs from run to run: the timing
/// objects, and durations inside texts ("90 B in 8 ms").
pub fn untimed(v: &mut serde_json::Value) {
    use serde_json::Value;
    match v {
        Value::Object(m) => {
            m.remove("timing_ms");
            m.remove("phases_ms");
            m.remove("seconds");
            m.values_mut().for_each(untimed);
        }
        Value::Array(a) => a.iter_mut().for_each(untimed),
        Value::String(s) => *s = untimed_text(s),
        _ => {}
    }
}

/// `text` with its durations ("8 ms", "1.5s") made one.
pub fn untimed_text(text: &str) -> String {
    let re = regex::Regex::new(r"\b\d+(\.\d+)? ?(ms|µs|s)\b").unwrap();
    re.replace_all(text, "N s").into_owned()
}

pub mod demo;
pub mod fakeprom;
pub mod http;
pub mod kubeapi;
pub mod prometheus;
