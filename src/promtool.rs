//! Running the real `promtool` when it is installed, for `--check`.

use std::path::Path;
use std::process::Command;

#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    /// promtool is not on PATH.
    Missing,
    /// promtool accepted the file; its output.
    Passed(String),
    /// promtool rejected the file; its output.
    Rejected(String),
}

/// `promtool check <what> <file>`, e.g. what = "config" or "rules".
pub fn check(what: &str, file: &Path) -> std::io::Result<Verdict> {
    let out = match Command::new("promtool")
        .arg("check")
        .arg(what)
        .arg(file)
        .output()
    {
        Ok(out) => out,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Verdict::Missing),
        Err(e) => return Err(e),
    };
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(if out.status.success() {
        Verdict::Passed(text)
    } else {
        Verdict::Rejected(text)
    })
}

/// Check `text` as promtool would see it at `dest` (so relative paths such as
/// file_sd targets and rule files resolve the same): it is written to a
/// temporary file in dest's directory, checked, and removed.
pub fn check_text(what: &str, text: &str, dest_dir: &Path) -> anyhow::Result<Verdict> {
    use std::io::Write;
    let mut tmp = tempfile::Builder::new()
        .prefix(".gpucharts-mon-check.")
        .suffix(".yml")
        .tempfile_in(dest_dir)?;
    tmp.write_all(text.as_bytes())?;
    tmp.flush()?;
    Ok(check(what, tmp.path())?)
}

/// Turn a verdict into the user-facing outcome shared by every `--check`:
/// a note on stderr when promtool is missing or passes, an exit-1 error when
/// it rejects.
pub fn enforce(verdict: Verdict) -> anyhow::Result<()> {
    match verdict {
        Verdict::Missing => {
            eprintln!(
                "gpucharts-mon: note: promtool is not on PATH; skipped `promtool check` (install the prometheus package)"
            );
            Ok(())
        }
        Verdict::Passed(_) => {
            eprintln!("gpucharts-mon: promtool check passed");
            Ok(())
        }
        Verdict::Rejected(out) => Err(crate::error::failed(format!(
            "promtool rejected the result; nothing was written: {}",
            out.trim().replace('\n', " | ")
        ))),
    }
}
