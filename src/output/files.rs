//! Writing generated files safely.
//!
//! What this module guarantees (docs "Writing files" says the same):
//! - never half-written: bytes go to a temporary file in the target's
//!   directory, are synced, and only then take the target's name;
//! - the kind of file at the path decides how it is written: nothing there,
//!   a new file; a regular file, replaced by rename (with `--force`); a
//!   character device or FIFO (also through a link, like `/dev/stdout`),
//!   written in place as a shell redirection would, never renamed or backed
//!   up (a FIFO nobody reads is an error, not a hang); a block device or a
//!   socket, refused (exit 2); a symbolic link to a file, replaced by a new
//!   file with `--force` (the link is kept as `.bak`; its target is never
//!   written and lends neither owner nor mode);
//! - modes like `cp`/`install`: a new file gets `0666 & ~umask`; a replaced
//!   regular file keeps its mode, and its owner and group when running as
//!   root. The temporary file has that mode before it is renamed;
//! - no clobbering, even under races: without `--force` the file is created
//!   by hard-linking the temporary file to the name, which fails if the name
//!   appeared in the meantime (of two concurrent writers exactly one wins);
//!   writers take turns per directory (flock), so concurrent `--force` runs
//!   all succeed and leave no staging file;
//! - with `--force`, the old file becomes `<file>.bak` by hard link (never a
//!   copy) and a rename over any old `.bak`;
//! - a set of files (side files, folders of files) is all or nothing: outputs
//!   that name one file are refused before anything is written; when any
//!   file fails, every replaced file gets its old content and old `.bak`
//!   back, every new file is removed, and the error says so;
//! - side files go only beside the output, under plain file names; inside
//!   an output folder, a folder that is a symbolic link is refused; `--diff`
//!   writes nothing at all.

use crate::values::is_plain_file_name;
use std::fs::{File, Permissions};
use std::io::{ErrorKind, Write};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use crate::error::{self, Classify, Kind};

/// Why a file was not written. Refusals (bad paths, an existing file
/// without `--force`) are bad input (exit 2); a failing write or a checker
/// that rejects the result is a failure (exit 1).
#[derive(Debug, thiserror::Error)]
pub(crate) enum FileError {
    /// The output cannot be written as asked; nothing was written.
    #[error("{0}")]
    Refused(String),
    /// The output exists and `--force` was not given.
    #[error("{} exists; not overwriting it", .0.display())]
    Exists(PathBuf),
    /// The system refused a write.
    #[error("{what}: {error}")]
    Io { what: String, error: std::io::Error },
    /// promtool or amtool could not be run on the result.
    #[error(transparent)]
    Checker(#[from] crate::promtool::ToolError),
    /// promtool or amtool rejected the result.
    #[error("{program} rejected the result; nothing was written: {output}")]
    Rejected { program: String, output: String },
    /// A set of files failed part-way; `undone` says what was put back.
    #[error("{undone}: {cause}")]
    RolledBack {
        undone: String,
        cause: Box<FileError>,
    },
}

impl Classify for FileError {
    fn kind(&self) -> Kind {
        match self {
            FileError::Refused(_) | FileError::Exists(_) => Kind::Usage,
            FileError::Io { .. } | FileError::Checker(_) | FileError::Rejected { .. } => {
                Kind::Failed
            }
            FileError::RolledBack { cause, .. } => cause.kind(),
        }
    }

    fn hint(&self) -> Option<String> {
        match self {
            FileError::Exists(_) => Some(
                "use --force to replace it (the old file is kept as .bak), or --diff to compare"
                    .into(),
            ),
            FileError::RolledBack { cause, .. } => cause.hint(),
            _ => None,
        }
    }
}

/// An I/O error with what was being done.
fn io(what: impl std::fmt::Display) -> impl FnOnce(std::io::Error) -> FileError {
    move |error| FileError::Io {
        what: what.to_string(),
        error,
    }
}

/// A set of files to write together: the main output plus files it refers to
/// by relative path (file_sd targets, Grafana provisioning).
pub(crate) struct Bundle {
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
pub(crate) struct WriteOptions<'a> {
    /// `None` or `-` means stdout.
    pub output: Option<&'a Path>,
    pub force: bool,
    pub diff: bool,
}

impl WriteOptions<'_> {
    fn target(&self) -> Option<&Path> {
        self.output.filter(|p| p.as_os_str() != "-")
    }

    /// Does the output go to stdout (no `-o`, or `-o -`)?
    pub(crate) fn to_stdout(&self) -> bool {
        self.target().is_none()
    }

    /// Directory that side files go into: beside the output, or the current
    /// directory when writing to stdout.
    pub(crate) fn side_dir(&self) -> PathBuf {
        self.target()
            .and_then(Path::parent)
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
    }
}

/// Write (or diff) a bundle. Every refusal is checked before the first byte is
/// written, so a refused run leaves the directory untouched.
pub(crate) fn write_bundle(bundle: &Bundle, opts: &WriteOptions) -> Result<(), FileError> {
    if let Some((bad, _)) = bundle
        .side_files
        .iter()
        .find(|(n, _)| !is_plain_file_name(n))
    {
        return Err(FileError::Refused(format!(
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
        return Err(FileError::Refused(
            "--diff needs -o FILE to compare against".into(),
        ));
    }
    write_set(&files, opts.force, opts.diff)?;
    if opts.target().is_none() {
        crate::out!("{}", bundle.main);
    }
    Ok(())
}

/// What is at an output path now, and so how it is written.
enum Target {
    /// Nothing: created by hard-linking a finished temporary file to the name.
    New,
    /// A regular file: replaced by rename, kept as `.bak`, its mode and
    /// owner carried over.
    Regular(std::fs::Metadata),
    /// A symbolic link to a regular file (or to nothing): with `--force` the
    /// link itself is replaced by a new file and kept as `.bak`; the link's
    /// target is never written and lends neither owner nor mode.
    Link,
    /// A character device or FIFO (also through a link, e.g. `/dev/stdout`):
    /// written in place, as a shell redirection would; never renamed or
    /// backed up.
    InPlace,
}

impl Target {
    fn replaces(&self) -> bool {
        matches!(self, Target::Regular(_) | Target::Link)
    }
}

/// Look at `path` without following it, and decide how it may be written.
fn classify(path: &Path, force: bool) -> Result<Target, FileError> {
    use std::os::unix::fs::FileTypeExt;
    let meta = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Target::New),
        Err(e) => {
            return Err(FileError::Refused(format!(
                "cannot write {}: {e}",
                path.display()
            )));
        }
    };
    // For a link, what it names decides between in place and replace.
    let seen = if meta.file_type().is_symlink() {
        std::fs::metadata(path).ok()
    } else {
        Some(meta.clone())
    };
    let kind = seen.as_ref().map(std::fs::Metadata::file_type);
    match kind {
        Some(t) if t.is_dir() => Err(FileError::Refused(format!(
            "{} is a directory; give a file name",
            path.display()
        ))),
        Some(t) if t.is_char_device() || t.is_fifo() => Ok(Target::InPlace),
        Some(t) if t.is_block_device() || t.is_socket() => Err(FileError::Refused(format!(
            "{} is a {}, not a file; refusing to write to it",
            path.display(),
            if t.is_socket() {
                "socket"
            } else {
                "block device"
            }
        ))),
        // `/dev/stdout` and friends name whatever the descriptor is, a
        // regular file included: they are written through, never replaced.
        _ if meta.file_type().is_symlink() && in_kernel_tree(path) => Ok(Target::InPlace),
        _ if !force => Err(FileError::Exists(path.into())),
        _ if meta.file_type().is_symlink() => Ok(Target::Link),
        _ => Ok(Target::Regular(meta)),
    }
}

/// Is the link in `/dev` or `/proc`, where links name descriptors and
/// devices rather than files one may replace?
fn in_kernel_tree(path: &Path) -> bool {
    std::fs::canonicalize(parent_dir(path))
        .is_ok_and(|d| d.starts_with("/dev") || d.starts_with("/proc"))
}

/// Write (or, with `diff`, diff) several files as one: every refusal is
/// checked before the first byte, and it is all or nothing: when any file
/// fails, every file this run replaced gets its old content back and every
/// file it created is removed.
pub(crate) fn write_set(
    files: &[(PathBuf, &str)],
    force: bool,
    diff: bool,
) -> Result<(), FileError> {
    refuse_collisions(files)?;
    if diff {
        for (path, text) in files {
            crate::out!("{}", unified_diff(path, text)?);
        }
        return Ok(());
    }
    let mut plan = Vec::with_capacity(files.len());
    for (path, text) in files {
        preflight_dir(path)?;
        plan.push((path.as_path(), text.as_bytes(), classify(path, force)?));
    }
    // Writers in one directory take turns (flock on the directory), so
    // concurrent `--force` runs neither lose a backup nor leave staging
    // files; the lock goes with the process, whatever ends it.
    let _locks = lock_dirs(plan.iter().map(|(p, _, _)| *p))?;
    let mut staged = Vec::with_capacity(plan.len());
    for (path, bytes, target) in &plan {
        if matches!(target, Target::InPlace) {
            continue;
        }
        let old = match target {
            Target::Regular(m) => Some(m),
            _ => None,
        };
        staged.push((*path, stage(path, bytes, old)?, target.replaces()));
    }
    let mut done: Vec<Committed> = Vec::with_capacity(staged.len());
    for (path, tmp, replaces) in staged {
        match commit(path, tmp, replaces) {
            Ok(c) => done.push(c),
            Err(e) => return Err(roll_back(done, e)),
        }
    }
    // Devices last: they cannot be rolled back, so they are written only
    // once every regular file is in place.
    for (path, bytes, target) in &plan {
        if matches!(target, Target::InPlace)
            && let Err(e) = write_in_place(path, bytes)
        {
            return Err(roll_back(done, e));
        }
    }
    for c in done {
        c.finish();
    }
    Ok(())
}

/// Two outputs of one run that name the same file (`-o out.yml` and a side
/// file `out.yml`, two services sharing one targets file) would overwrite
/// each other: bad input, refused before anything is written.
fn refuse_collisions(files: &[(PathBuf, &str)]) -> Result<(), FileError> {
    let key = |p: &Path| -> PathBuf {
        let dir = std::fs::canonicalize(parent_dir(p)).unwrap_or_else(|_| parent_dir(p).into());
        dir.join(p.file_name().unwrap_or_default())
    };
    let mut seen: std::collections::HashMap<PathBuf, &Path> = std::collections::HashMap::new();
    for (path, _) in files {
        let k = key(path);
        for name in [k.clone(), backup_path(&k)] {
            if let Some(first) = seen.get(&name) {
                return Err(FileError::Refused(format!(
                    "{} and {} are the same file: one output would overwrite the other",
                    first.display(),
                    path.display()
                )));
            }
        }
        seen.insert(k, path);
    }
    for (path, _) in files {
        if let Some(first) = seen.get(&backup_path(&key(path))) {
            return Err(FileError::Refused(format!(
                "{} is where the backup of {} goes; give the outputs other names",
                first.display(),
                path.display()
            )));
        }
    }
    Ok(())
}

/// The directory must exist and be one (a missing one is bad input, exit 2).
fn preflight_dir(path: &Path) -> Result<(), FileError> {
    let dir = parent_dir(path);
    match std::fs::metadata(dir) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) => Err(FileError::Refused(format!(
            "cannot write {}: {} is not a directory",
            path.display(),
            dir.display()
        ))),
        Err(e) => Err(FileError::Refused(format!(
            "cannot write {}: directory {}: {e}",
            path.display(),
            dir.display()
        ))),
    }
}

fn lock_dirs<'a>(paths: impl Iterator<Item = &'a Path>) -> Result<Vec<File>, FileError> {
    let mut dirs: Vec<PathBuf> = paths
        .map(|p| std::fs::canonicalize(parent_dir(p)).unwrap_or_else(|_| parent_dir(p).into()))
        .collect();
    // One order for every writer, so two runs over the same folders cannot
    // wait on each other.
    dirs.sort();
    dirs.dedup();
    dirs.iter()
        .map(|d| {
            let f = File::open(d).map_err(io(format_args!("cannot open {}", d.display())))?;
            f.lock()
                .map_err(io(format_args!("cannot lock {}", d.display())))?;
            Ok(f)
        })
        .collect()
}

/// A finished temporary file beside `path`: the bytes, synced, with the
/// mode (and, as root, the owner) the result must have.
fn stage(
    path: &Path,
    bytes: &[u8],
    old: Option<&std::fs::Metadata>,
) -> Result<tempfile::NamedTempFile, FileError> {
    let dir = parent_dir(path);
    let mut builder = tempfile::Builder::new();
    builder.prefix(".gpucharts-mon.");
    if old.is_none() {
        // open(2) applies the umask: 0666 & ~umask, as cp and install do.
        builder.permissions(Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir).map_err(io(format_args!(
        "cannot create a temporary file in {}",
        dir.display()
    )))?;
    if let Some(old) = old {
        keep_mode_and_owner(tmp.as_file(), old).map_err(io(format_args!(
            "cannot give the new {} the old file's mode",
            path.display()
        )))?;
    }
    tmp.write_all(bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(io(format_args!("cannot write {}", path.display())))?;
    Ok(tmp)
}

/// One file put in place, with what it takes to undo it.
struct Committed {
    path: PathBuf,
    /// The `.bak` that existed before this run, kept under a staging name
    /// until the run succeeds (restored when it does not).
    previous_backup: Option<tempfile::TempPath>,
    replaced: bool,
}

impl Committed {
    fn finish(self) {
        // Dropping the staging name removes only that extra link.
        drop(self.previous_backup);
    }

    fn undo(self) -> std::io::Result<()> {
        if self.replaced {
            let bak = backup_path(&self.path);
            std::fs::rename(&bak, &self.path)?;
            if let Some(prev) = self.previous_backup {
                prev.persist(&bak).map_err(|e| e.error)?;
            }
            Ok(())
        } else {
            std::fs::remove_file(&self.path)
        }
    }
}

fn commit(
    path: &Path,
    tmp: tempfile::NamedTempFile,
    replaces: bool,
) -> Result<Committed, FileError> {
    if !replaces {
        // link(2) never replaces: if the name appeared since the check, this
        // fails and the other file stays. `tmp` is removed on drop.
        return match std::fs::hard_link(tmp.path(), path) {
            Ok(()) => Ok(Committed {
                path: path.into(),
                previous_backup: None,
                replaced: false,
            }),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => Err(FileError::Exists(path.into())),
            Err(e) => Err(io(format_args!("cannot write {}", path.display()))(e)),
        };
    }
    let dir = parent_dir(path);
    let bak = backup_path(path);
    let previous_backup = match std::fs::symlink_metadata(&bak) {
        Ok(m) if !m.is_dir() => Some(
            link_to_staging(&bak, dir)
                .map_err(io(format_args!("cannot keep {}", bak.display())))?,
        ),
        _ => None,
    };
    // The old file (or link: link(2) does not follow it) becomes `.bak`.
    link_to_staging(path, dir)
        .and_then(|staging| staging.persist(&bak).map_err(|e| e.error))
        .map_err(io(format_args!(
            "cannot keep the old file as {}",
            bak.display()
        )))?;
    let rollback = Committed {
        path: path.into(),
        previous_backup,
        replaced: true,
    };
    match tmp.persist(path) {
        Ok(_) => Ok(rollback),
        Err(e) => {
            let err = io(format_args!("cannot write {}", path.display()))(e.error);
            // Nothing replaced yet: put the previous `.bak` back.
            if let Some(prev) = rollback.previous_backup {
                let _ = prev.persist(&bak);
            }
            Err(err)
        }
    }
}

/// A second name for `path` in `dir`, removed again when dropped.
fn link_to_staging(path: &Path, dir: &Path) -> std::io::Result<tempfile::TempPath> {
    tempfile::Builder::new()
        .prefix(".gpucharts-mon.bak.")
        .make_in(dir, |p| std::fs::hard_link(path, p))
        .map(tempfile::NamedTempFile::into_temp_path)
}

/// Undo what this run put in place (newest first) and say so in the error.
fn roll_back(done: Vec<Committed>, err: FileError) -> FileError {
    let (mut restored, mut removed, mut stuck) = (0, 0, Vec::new());
    for c in done.into_iter().rev() {
        let (replaced, path) = (c.replaced, c.path.clone());
        match c.undo() {
            Ok(()) if replaced => restored += 1,
            Ok(()) => removed += 1,
            Err(e) => stuck.push(format!("{}: {e}", path.display())),
        }
    }
    let what = if stuck.is_empty() {
        format!(
            "nothing was changed ({restored} replaced file(s) restored, {removed} new file(s) removed)"
        )
    } else {
        format!("could not undo: {}", stuck.join(", "))
    };
    FileError::RolledBack {
        undone: what,
        cause: Box::new(err),
    }
}

/// A device or FIFO, opened for writing and written like `>` would. A FIFO
/// is opened without blocking, so one that nobody reads is an error now,
/// not a hang.
fn write_in_place(path: &Path, bytes: &[u8]) -> Result<(), FileError> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .custom_flags(nix::libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| {
            if e.raw_os_error() == Some(nix::libc::ENXIO) {
                FileError::Refused(format!(
                    "cannot write {}: nothing reads from it",
                    path.display()
                ))
            } else {
                io(format_args!("cannot write {}", path.display()))(e)
            }
        })?;
    nix::fcntl::fcntl(
        &file,
        nix::fcntl::FcntlArg::F_SETFL(nix::fcntl::OFlag::empty()),
    )
    .map_err(|e| io(format_args!("cannot write {}", path.display()))(e.into()))?;
    file.write_all(bytes)
        .map_err(io(format_args!("cannot write {}", path.display())))
}

/// Write `spliced` back to `path`, the existing file it was made from
/// (`existing`), with `side_files` beside it, under `opts`' rules; an
/// unchanged file is left alone and said to be up to date.
pub(crate) fn write_spliced(
    path: &Path,
    existing: &str,
    spliced: crate::promconfig::splice::Spliced,
    side_files: Vec<(String, String)>,
    opts: &WriteOptions,
) -> Result<(), FileError> {
    let file = path.display();
    if spliced.text == existing && side_files.is_empty() {
        error::note(format!("{file}: up to date"));
        return Ok(());
    }
    let target = WriteOptions {
        output: Some(path),
        ..*opts
    };
    let bundle = Bundle {
        main: spliced.text,
        side_files,
    };
    write_bundle(&bundle, &target)?;
    for change in &spliced.changes {
        error::note(format!("{file}: {change}"));
    }
    Ok(())
}

/// Write `files` into `dir`, each named by plain path components
/// (`name` or `folder/name`), creating `dir` and its folders (not `dir`'s
/// parents) when missing, under the same rules as [`write_set`]; folders
/// this run created are removed again when it fails. A folder inside `dir`
/// that is a symbolic link is refused: nothing is written outside `dir`.
pub(crate) fn write_dir(
    dir: &Path,
    files: &[(String, String)],
    force: bool,
    diff: bool,
) -> Result<(), FileError> {
    if let Some((bad, _)) = files
        .iter()
        .find(|(n, _)| !n.split('/').all(is_plain_file_name))
    {
        return Err(FileError::Refused(format!(
            "{bad:?} is not a relative path of plain names"
        )));
    }
    for (name, _) in files {
        let mut at = dir.to_path_buf();
        let parts: Vec<&str> = name.split('/').collect();
        for part in &parts[..parts.len() - 1] {
            at.push(part);
            if std::fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink()) {
                return Err(FileError::Refused(format!(
                    "{} is a symbolic link; refusing to write through it outside {}",
                    at.display(),
                    dir.display()
                )));
            }
        }
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
                return Err(FileError::Refused(format!(
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

fn parent_dir(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Write one file with the guarantees in the module comment.
pub(crate) fn write_file(path: &Path, text: &str, force: bool) -> Result<(), FileError> {
    write_set(&[(path.to_path_buf(), text)], force, false)
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

pub(crate) fn backup_path(path: &Path) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(".bak");
    PathBuf::from(s)
}

/// `diff -u` of the file on disk (or nothing) against the new text. Only a
/// regular file is read, and only up to the config cap.
fn unified_diff(path: &Path, new: &str) -> Result<String, FileError> {
    let old = match crate::input::read_text(crate::input::Purpose::Config, path) {
        Ok(t) => t,
        Err(crate::input::ReadError::Missing) => String::new(),
        Err(crate::input::ReadError::NotRegular(_)) => String::new(),
        Err(e) => {
            return Err(FileError::Refused(format!(
                "cannot compare with {}: {e}",
                path.display()
            )));
        }
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
        assert_eq!(err.kind().code(), 2);
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
        assert_eq!(err.kind().code(), 2);
        assert!(!out.exists());
    }

    #[test]
    fn missing_directory_is_bad_input() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("nope/p.yml");
        let err = write_bundle(&bundle("x\n"), &opts(&out, false)).unwrap_err();
        assert_eq!(err.kind().code(), 2);
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
                        write_file(&out, &format!("writer {i}\n"), false).is_ok()
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

    #[test]
    fn concurrent_force_writers_all_succeed_and_leave_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("p.yml");
        std::fs::write(&out, "first\n").unwrap();
        let handles: Vec<_> = (0..16)
            .map(|i| {
                let out = out.clone();
                std::thread::spawn(move || write_file(&out, &format!("w{i}\n"), true))
            })
            .collect();
        for h in handles {
            h.join().unwrap().unwrap();
        }
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["p.yml", "p.yml.bak"]);
    }

    fn mknod_char(path: &Path) -> bool {
        // The same device numbers as /dev/null, made by the test itself.
        nix::sys::stat::mknod(
            path,
            nix::sys::stat::SFlag::S_IFCHR,
            nix::sys::stat::Mode::from_bits_truncate(0o666),
            nix::sys::stat::makedev(1, 3),
        )
        .is_ok()
    }

    #[test]
    fn a_device_is_written_in_place_never_renamed_or_backed_up() {
        let dir = tempfile::tempdir().unwrap();
        let dev = dir.path().join("null");
        if !mknod_char(&dev) {
            assert!(std::env::var_os("CI").is_none(), "mknod needs root in CI");
            eprintln!("skipped: mknod needs root");
            return;
        }
        for force in [false, true] {
            write_bundle(&bundle("x\n"), &opts(&dev, force)).unwrap();
            let t = std::fs::symlink_metadata(&dev).unwrap().file_type();
            use std::os::unix::fs::FileTypeExt;
            assert!(t.is_char_device());
            assert!(!backup_path(&dev).exists());
        }
        // Through a link too (like /dev/stdout): the link stays a link.
        let link = dir.path().join("stdout");
        std::os::unix::fs::symlink(&dev, &link).unwrap();
        write_bundle(&bundle("x\n"), &opts(&link, true)).unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    }

    #[test]
    fn a_fifo_without_reader_is_an_error_not_a_hang() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::from_bits_truncate(0o600)).unwrap();
        let err = write_bundle(&bundle("x\n"), &opts(&fifo, true)).unwrap_err();
        assert_eq!(err.kind().code(), 2, "{err:#}");
        assert!(format!("{err:#}").contains("nothing reads"));
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
        };
        // Wait until the reader has the FIFO open.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        loop {
            match write_bundle(&bundle("through\n"), &opts(&fifo, false)) {
                Ok(()) => break,
                Err(_) if std::time::Instant::now() < deadline => {
                    std::thread::sleep(std::time::Duration::from_millis(10));
                }
                Err(e) => panic!("{e:#}"),
            }
        }
        assert_eq!(reader.join().unwrap(), "through\n");
    }

    #[test]
    fn sockets_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let sock = dir.path().join("s");
        let _l = std::os::unix::net::UnixListener::bind(&sock).unwrap();
        let err = write_bundle(&bundle("x\n"), &opts(&sock, true)).unwrap_err();
        assert_eq!(err.kind().code(), 2);
    }

    #[test]
    fn a_symlink_is_replaced_and_its_target_lends_neither_content_nor_mode() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "precious\n").unwrap();
        std::fs::set_permissions(&victim, Permissions::from_mode(0o604)).unwrap();
        let out = dir.path().join("p.yml");
        std::os::unix::fs::symlink(&victim, &out).unwrap();
        let err = write_bundle(&bundle("new\n"), &opts(&out, false)).unwrap_err();
        assert_eq!(err.kind().code(), 2);
        write_bundle(&bundle("new\n"), &opts(&out, true)).unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
        let m = std::fs::symlink_metadata(&out).unwrap();
        assert!(m.is_file());
        assert_ne!(m.mode() & 0o7777, 0o604);
        assert!(
            std::fs::symlink_metadata(backup_path(&out))
                .unwrap()
                .is_symlink()
        );
    }

    #[test]
    fn colliding_outputs_are_refused_before_writing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out.yml");
        let b = Bundle {
            main: "config\n".into(),
            side_files: vec![("out.yml".into(), "[]".into())],
        };
        let err = write_bundle(&b, &opts(&out, true)).unwrap_err();
        assert_eq!(err.kind().code(), 2);
        let b = Bundle {
            main: "config\n".into(),
            side_files: vec![
                ("t.json".into(), "[1]".into()),
                ("t.json".into(), "[2]".into()),
            ],
        };
        assert!(write_bundle(&b, &opts(&out, true)).is_err());
        let b = Bundle {
            main: "config\n".into(),
            side_files: vec![("out.yml.bak".into(), "[]".into())],
        };
        assert!(write_bundle(&b, &opts(&out, true)).is_err());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_failed_set_restores_every_file_and_removes_new_ones() {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in [
            ("a.yml", "old a\n"),
            ("c.yml", "old c\n"),
            ("a.yml.bak", "older a\n"),
        ] {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        // c.yml.bak is a non-empty folder: keeping c's backup fails late,
        // after a.yml was replaced and b.yml created.
        std::fs::create_dir(dir.path().join("c.yml.bak")).unwrap();
        std::fs::write(dir.path().join("c.yml.bak/x"), "").unwrap();
        let files = [
            ("a.yml".to_string(), "new a\n".to_string()),
            ("b.yml".to_string(), "new b\n".to_string()),
            ("c.yml".to_string(), "new c\n".to_string()),
        ];
        let err = write_dir(dir.path(), &files, true, false).unwrap_err();
        let msg = format!("{err:#}");
        assert!(msg.contains("nothing was changed"), "{msg}");
        let read = |n: &str| std::fs::read_to_string(dir.path().join(n)).unwrap();
        assert_eq!(read("a.yml"), "old a\n");
        assert_eq!(read("a.yml.bak"), "older a\n");
        assert_eq!(read("c.yml"), "old c\n");
        assert!(!dir.path().join("b.yml").exists());
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["a.yml", "a.yml.bak", "c.yml", "c.yml.bak"]);
    }

    #[test]
    fn a_symlinked_folder_inside_the_output_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(elsewhere.path(), dir.path().join("dashboards")).unwrap();
        let files = [("dashboards/x.json".to_string(), "{}".to_string())];
        let err = write_dir(dir.path(), &files, true, false).unwrap_err();
        assert_eq!(err.kind().code(), 2);
        assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 0);
    }
}
