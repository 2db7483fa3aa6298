//! Writing generated files safely: never half-written (temp file in the same
//! directory, then rename), never overwritten without `--force` (and then the
//! old one is kept as `<file>.bak`), or only diffed.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::error;

/// A set of files to write together: the main output plus files it refers to
/// by relative path (file_sd targets, Grafana provisioning).
pub struct Bundle {
    pub main: String,
    pub side_files: Vec<(String, String)>,
}

/// Where and how to write a bundle.
pub struct WriteOptions<'a> {
    /// `None` or `-` means stdout.
    pub output: Option<&'a Path>,
    pub force: bool,
    pub diff: bool,
}

impl<'a> From<&'a crate::cli::OutputArgs> for WriteOptions<'a> {
    fn from(out: &'a crate::cli::OutputArgs) -> Self {
        Self {
            output: out.output.as_deref(),
            force: out.force,
            diff: out.diff,
        }
    }
}

impl WriteOptions<'_> {
    fn target(&self) -> Option<&Path> {
        self.output.filter(|p| p.as_os_str() != "-")
    }

    /// Directory that side files go into: beside the output, or the current
    /// directory when writing to stdout.
    pub fn side_dir(&self) -> PathBuf {
        self.target()
            .and_then(Path::parent)
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
    }
}

/// Write (or diff) a bundle. Every refusal is checked before the first byte is
/// written, so a refused run leaves the directory untouched.
pub fn write_bundle(bundle: &Bundle, opts: &WriteOptions) -> anyhow::Result<()> {
    let dir = opts.side_dir();
    let mut files: Vec<(PathBuf, &str)> = bundle
        .side_files
        .iter()
        .map(|(name, text)| (dir.join(name), text.as_str()))
        .collect();
    if let Some(main) = opts.target() {
        files.insert(0, (main.to_path_buf(), bundle.main.as_str()));
    }
    if opts.diff {
        if opts.target().is_none() {
            return Err(error::usage("--diff needs -o FILE to compare against"));
        }
        for (path, text) in &files {
            print!("{}", unified_diff(path, text)?);
        }
        return Ok(());
    }
    if !opts.force {
        if let Some((path, _)) = files.iter().find(|(p, _)| p.exists()) {
            return Err(error::classified(
                error::Kind::Usage,
                format!("{} exists; not overwriting it", path.display()),
                Some("use --force to replace it (the old file is kept as .bak), or --diff to compare".into()),
            ));
        }
    }
    for (path, text) in &files {
        write_atomic(path, text.as_bytes(), opts.force)?;
    }
    if opts.target().is_none() {
        print!("{}", bundle.main);
    }
    Ok(())
}

/// Write through a temporary file in the same directory and rename it into
/// place; with `force`, keep any previous file as `<file>.bak`.
pub fn write_atomic(path: &Path, bytes: &[u8], force: bool) -> anyhow::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".gpucharts-mon.")
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    tmp.write_all(bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .with_context(|| format!("cannot write {}", path.display()))?;
    if path.exists() {
        if !force {
            return Err(error::usage(format!(
                "{} exists; not overwriting it",
                path.display()
            )));
        }
        let bak = backup_path(path);
        std::fs::copy(path, &bak)
            .with_context(|| format!("cannot keep the old file as {}", bak.display()))?;
    }
    tmp.persist(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

pub fn backup_path(path: &Path) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(".bak");
    PathBuf::from(s)
}

/// `diff -u` of the file on disk (or nothing) against the new text.
fn unified_diff(path: &Path, new: &str) -> anyhow::Result<String> {
    let old = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    };
    let name = path.display().to_string();
    Ok(similar::TextDiff::from_lines(old.as_str(), new)
        .unified_diff()
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_then_forces_with_backup() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("p.yml");
        let bundle = |s: &str| Bundle {
            main: s.into(),
            side_files: vec![],
        };
        let opts = |force| WriteOptions {
            output: Some(&out),
            force,
            diff: false,
        };
        write_bundle(&bundle("one\n"), &opts(false)).unwrap();
        let err = write_bundle(&bundle("two\n"), &opts(false)).unwrap_err();
        assert_eq!(error::exit_code(&err), 2);
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "one\n");
        write_bundle(&bundle("two\n"), &opts(true)).unwrap();
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "two\n");
        assert_eq!(std::fs::read_to_string(backup_path(&out)).unwrap(), "one\n");
        // no temporary files left behind
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 2);
    }
}
