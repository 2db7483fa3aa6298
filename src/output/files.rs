//! Writing generated files safely.
//!
//! What this module guarantees (README "Writing files" says the same):
//! - never half-written: bytes go to a temporary file in the target's
//!   directory, are synced, and only then take the target's name;
//! - modes like `cp`/`install`: a new file gets `0666 & ~umask`; a replaced
//!   file keeps its mode, and its owner and group when running as root. The
//!   temporary file has that mode before it is renamed, so the target never
//!   has the wrong one;
//! - no clobbering, even under races: without `--force` the file is created
//!   by hard-linking the temporary file to the name, which fails if the name
//!   appeared in the meantime (of two concurrent writers exactly one wins);
//! - with `--force`, the old file becomes `<file>.bak` by hard link (never a
//!   copy) and a rename over any old `.bak`, so a `.bak` that is a symlink is
//!   replaced as a link, never written through. Running out of space leaves
//!   the old file and old `.bak` intact;
//! - side files (file_sd targets, Grafana provisioning) go only beside the
//!   output, under plain file names, with the same rules, all checked before
//!   the first byte is written; `--diff` writes nothing at all.

use std::fs::{File, Permissions};
use std::io::{ErrorKind, Write};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::error;

/// A set of files to write together: the main output plus files it refers to
/// by relative path (file_sd targets, Grafana provisioning).
pub struct Bundle {
    pub main: String,
    pub side_files: Vec<(String, String)>,
}

impl Bundle {
    /// One file, referring to no other.
    pub fn single(main: String) -> Self {
        Self {
            main,
            side_files: vec![],
        }
    }
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

    /// Does the output go to stdout (no `-o`, or `-o -`)?
    pub fn to_stdout(&self) -> bool {
        self.target().is_none()
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

/// Is `name` a plain file name: no directory part, not `.` or `..`, not
/// hidden behind a NUL? Side files must be, so they land beside the output.
pub fn is_plain_file_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && !name.contains(['/', '\0'])
        && name.len() <= 255
}

/// Write (or diff) a bundle. Every refusal is checked before the first byte is
/// written, so a refused run leaves the directory untouched.
pub fn write_bundle(bundle: &Bundle, opts: &WriteOptions) -> anyhow::Result<()> {
    if let Some((bad, _)) = bundle
        .side_files
        .iter()
        .find(|(n, _)| !is_plain_file_name(n))
    {
        return Err(error::usage(format!(
            "side file name {bad:?} is not a plain file name; side files are written only beside the output"
        )));
    }
    let dir = opts.side_dir();
    let mut files: Vec<(PathBuf, &str)> = bundle
        .side_files
        .iter()
        .map(|(name, text)| (dir.join(name), text.as_str()))
        .collect();
    if let Some(main) = opts.target() {
        files.insert(0, (main.to_path_buf(), bundle.main.as_str()));
    }
    if opts.diff && opts.target().is_none() {
        return Err(error::usage("--diff needs -o FILE to compare against"));
    }
    write_set(&files, opts.force, opts.diff)?;
    if opts.target().is_none() {
        crate::out!("{}", bundle.main);
    }
    Ok(())
}

/// Write (or, with `diff`, diff) several files as one: every refusal is
/// checked before the first byte, and a failure removes the files this run
/// created.
pub fn write_set(files: &[(PathBuf, &str)], force: bool, diff: bool) -> anyhow::Result<()> {
    if diff {
        for (path, text) in files {
            crate::out!("{}", unified_diff(path, text)?);
        }
        return Ok(());
    }
    for (path, _) in files {
        preflight(path, force)?;
    }
    let mut created: Vec<&Path> = Vec::new();
    for (path, text) in files {
        match write_file(path, text.as_bytes(), force) {
            Ok(WriteKind::Created) => created.push(path),
            Ok(WriteKind::Replaced) => {}
            Err(e) => {
                // Undo the files this run created, so a refused or failed
                // set does not leave half a deployment behind.
                for p in created {
                    let _ = std::fs::remove_file(p);
                }
                return Err(e);
            }
        }
    }
    Ok(())
}

/// Write `files` into `dir`, each named by plain path components
/// (`name` or `folder/name`), creating `dir` and its folders (not `dir`'s
/// parents) when missing, under the same rules as [`write_set`]; folders
/// this run created are removed again when it fails.
pub fn write_dir(
    dir: &Path,
    files: &[(String, String)],
    force: bool,
    diff: bool,
) -> anyhow::Result<()> {
    if let Some((bad, _)) = files
        .iter()
        .find(|(n, _)| !n.split('/').all(is_plain_file_name))
    {
        return Err(error::usage(format!(
            "{bad:?} is not a relative path of plain names"
        )));
    }
    let paths: Vec<(PathBuf, &str)> = files
        .iter()
        .map(|(n, t)| (dir.join(n), t.as_str()))
        .collect();
    let mut made: Vec<PathBuf> = Vec::new();
    if !diff {
        let mut folders: Vec<PathBuf> = vec![dir.to_path_buf()];
        folders.extend(
            paths
                .iter()
                .filter_map(|(p, _)| p.parent().map(Path::to_path_buf)),
        );
        folders.dedup();
        for folder in folders {
            if folder.exists() {
                continue;
            }
            if let Err(e) = std::fs::create_dir(&folder) {
                for m in made.iter().rev() {
                    let _ = std::fs::remove_dir(m);
                }
                return Err(error::usage(format!(
                    "cannot create directory {}: {e}",
                    folder.display()
                )));
            }
            made.push(folder);
        }
    }
    let result = write_set(&paths, force, diff);
    if result.is_err() {
        for m in made.iter().rev() {
            let _ = std::fs::remove_dir(m);
        }
    }
    result
}

/// Refusals that need no write: a missing directory (bad input, exit 2), a
/// directory where the file should be, an existing file without `--force`.
fn preflight(path: &Path, force: bool) -> anyhow::Result<()> {
    let dir = parent_dir(path);
    match std::fs::metadata(dir) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => {
            return Err(error::usage(format!(
                "cannot write {}: {} is not a directory",
                path.display(),
                dir.display()
            )));
        }
        Err(e) => {
            return Err(error::usage(format!(
                "cannot write {}: directory {}: {e}",
                path.display(),
                dir.display()
            )));
        }
    }
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => Err(error::usage(format!(
            "{} is a directory; give a file name",
            path.display()
        ))),
        Ok(_) if !force => Err(exists_error(path)),
        _ => Ok(()),
    }
}

fn exists_error(path: &Path) -> anyhow::Error {
    error::classified(
        error::Kind::Usage,
        format!("{} exists; not overwriting it", path.display()),
        Some(
            "use --force to replace it (the old file is kept as .bak), or --diff to compare".into(),
        ),
    )
}

fn parent_dir(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// What [`write_file`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteKind {
    Created,
    Replaced,
}

/// Write one file atomically with the guarantees in the module comment.
pub fn write_file(path: &Path, bytes: &[u8], force: bool) -> anyhow::Result<WriteKind> {
    let dir = parent_dir(path);
    // The file being replaced, if any (a symlink counts as the file it names:
    // its mode is what Prometheus reads through it).
    let old = if force {
        std::fs::metadata(path).ok().filter(|m| m.is_file())
    } else {
        None
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".gpucharts-mon.");
    if old.is_none() {
        // open(2) applies the umask: 0666 & ~umask, as cp and install do.
        builder.permissions(Permissions::from_mode(0o666));
    }
    let mut tmp = builder
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    if let Some(old) = &old {
        keep_mode_and_owner(tmp.as_file(), old).with_context(|| {
            format!("cannot give the new {} the old file's mode", path.display())
        })?;
    }
    tmp.write_all(bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .with_context(|| format!("cannot write {}", path.display()))?;
    if !force {
        // link(2) never replaces: if the name appeared since the pre-flight
        // check, this fails and the other writer's file stays.
        return match std::fs::hard_link(tmp.path(), path) {
            Ok(()) => Ok(WriteKind::Created),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => Err(exists_error(path)),
            Err(e) => Err(e).with_context(|| format!("cannot write {}", path.display())),
        };
        // `tmp` is removed on drop: the link under `path` remains.
    }
    let replaced = std::fs::symlink_metadata(path).is_ok();
    if replaced {
        make_backup(path, dir)?;
    }
    tmp.persist(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(if replaced {
        WriteKind::Replaced
    } else {
        WriteKind::Created
    })
}

/// The old file's mode, and its owner and group when we may set them (root).
fn keep_mode_and_owner(tmp: &File, old: &std::fs::Metadata) -> std::io::Result<()> {
    if nix_is_root() {
        std::os::unix::fs::fchown(tmp, Some(old.uid()), Some(old.gid()))?;
    }
    // After chown, which clears set-id bits.
    tmp.set_permissions(Permissions::from_mode(old.mode() & 0o7777))
}

fn nix_is_root() -> bool {
    nix::unistd::geteuid().is_root()
}

/// `<file>.bak` as a hard link of the current file, swapped in by rename so
/// the previous `.bak` stays until the new one exists, and a `.bak` symlink is
/// replaced rather than followed.
fn make_backup(path: &Path, dir: &Path) -> anyhow::Result<()> {
    let bak = backup_path(path);
    let staging = tempfile::Builder::new()
        .prefix(".gpucharts-mon.bak.")
        .make_in(dir, |p| std::fs::hard_link(path, p))
        .with_context(|| format!("cannot keep the old file as {}", bak.display()))?;
    staging
        .persist(&bak)
        .with_context(|| format!("cannot keep the old file as {}", bak.display()))?;
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
        Err(e) if e.kind() == ErrorKind::NotFound => String::new(),
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

    fn bundle(s: &str) -> Bundle {
        Bundle::single(s.into())
    }

    fn opts(out: &Path, force: bool) -> WriteOptions<'_> {
        WriteOptions {
            output: Some(out),
            force,
            diff: false,
        }
    }

    fn mode(p: &Path) -> u32 {
        std::fs::metadata(p).unwrap().mode() & 0o7777
    }

    #[test]
    fn refuses_then_forces_with_backup() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("p.yml");
        write_bundle(&bundle("one\n"), &opts(&out, false)).unwrap();
        let err = write_bundle(&bundle("two\n"), &opts(&out, false)).unwrap_err();
        assert_eq!(error::exit_code(&err), 2);
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "one\n");
        write_bundle(&bundle("two\n"), &opts(&out, true)).unwrap();
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "two\n");
        assert_eq!(std::fs::read_to_string(backup_path(&out)).unwrap(), "one\n");
        // no temporary files left behind
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 2);
    }

    #[test]
    fn force_keeps_the_mode_of_the_replaced_file() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("p.yml");
        std::fs::write(&out, "old\n").unwrap();
        std::fs::set_permissions(&out, Permissions::from_mode(0o640)).unwrap();
        write_bundle(&bundle("new\n"), &opts(&out, true)).unwrap();
        assert_eq!(mode(&out), 0o640);
        std::fs::set_permissions(&out, Permissions::from_mode(0o604)).unwrap();
        write_bundle(&bundle("newer\n"), &opts(&out, true)).unwrap();
        assert_eq!(mode(&out), 0o604);
    }

    #[test]
    fn backup_symlink_is_replaced_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("p.yml");
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "precious\n").unwrap();
        std::fs::write(&out, "old\n").unwrap();
        std::os::unix::fs::symlink(&victim, backup_path(&out)).unwrap();
        write_bundle(&bundle("new\n"), &opts(&out, true)).unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
        let bak = backup_path(&out);
        assert!(!std::fs::symlink_metadata(&bak).unwrap().is_symlink());
        assert_eq!(std::fs::read_to_string(&bak).unwrap(), "old\n");
    }

    #[test]
    fn side_file_names_must_be_plain() {
        for bad in ["../x.json", "/etc/x.json", "a/b.json", "..", ".", ""] {
            assert!(!is_plain_file_name(bad), "{bad}");
        }
        assert!(is_plain_file_name("gpu-charts-logger.json"));
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("p.yml");
        let b = Bundle {
            main: "x\n".into(),
            side_files: vec![("../escape.json".into(), "[]".into())],
        };
        let err = write_bundle(&b, &opts(&out, true)).unwrap_err();
        assert_eq!(error::exit_code(&err), 2);
        assert!(!out.exists());
    }

    #[test]
    fn missing_directory_is_bad_input() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("nope/p.yml");
        let err = write_bundle(&bundle("x\n"), &opts(&out, false)).unwrap_err();
        assert_eq!(error::exit_code(&err), 2);
    }

    #[test]
    fn diff_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("p.yml");
        let b = Bundle {
            main: "x\n".into(),
            side_files: vec![("t.json".into(), "[]".into())],
        };
        let o = WriteOptions {
            output: Some(&out),
            force: false,
            diff: true,
        };
        write_bundle(&b, &o).unwrap();
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn concurrent_writers_exactly_one_wins() {
        for round in 0..20 {
            let dir = tempfile::tempdir().unwrap();
            let out = dir.path().join("p.yml");
            let barrier = std::sync::Arc::new(std::sync::Barrier::new(2));
            let handles: Vec<_> = (0..2)
                .map(|i| {
                    let out = out.clone();
                    let barrier = barrier.clone();
                    std::thread::spawn(move || {
                        barrier.wait();
                        write_file(&out, format!("writer {i}\n").as_bytes(), false).is_ok()
                    })
                })
                .collect();
            let wins = handles
                .into_iter()
                .map(|h| h.join().unwrap())
                .filter(|ok| *ok)
                .count();
            assert_eq!(wins, 1, "round {round}");
        }
    }
}
