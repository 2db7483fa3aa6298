//! Reading the files a user names: each is opened without blocking, checked
//! to be a regular file by the descriptor actually opened (no race between
//! a check and the open), and read with a cap sized to its purpose. So
//! `-c /dev/zero`, a FIFO nobody writes, or a 1 PiB sparse file is a clear
//! error within milliseconds, never gigabytes of memory or a hang.

use std::fmt;
use std::io::Read;
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::Path;

/// What a file is read for; decides its size cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Purpose {
    /// Inventory, prometheus.yml, rule files, target lists: 64 MiB, far
    /// beyond any real one (a 200k-target file_sd list is ~40 MiB).
    Config,
    /// Passwords, tokens, keys and certificates: 1 MiB.
    Secret,
    /// A pid file: a number and a newline.
    PidFile,
}

impl Purpose {
    pub fn limit(self) -> u64 {
        match self {
            Purpose::Config => 64 << 20,
            Purpose::Secret => 1 << 20,
            Purpose::PidFile => 64,
        }
    }
}

/// Why a named file could not be read. Never quotes the file's content.
#[derive(Debug)]
pub(crate) enum ReadError {
    Missing,
    /// What it is instead: "directory", "FIFO", "character device", …
    NotRegular(&'static str),
    TooLarge(u64),
    NotUtf8,
    Io(std::io::Error),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Missing => f.write_str("no such file"),
            ReadError::NotRegular(kind) => write!(f, "is a {kind}, not a regular file"),
            ReadError::TooLarge(limit) if *limit >= 1 << 20 => write!(
                f,
                "is larger than {} MiB; that is not a file of this kind",
                limit >> 20
            ),
            ReadError::TooLarge(limit) => write!(
                f,
                "is larger than {limit} bytes; that is not a file of this kind"
            ),
            ReadError::NotUtf8 => f.write_str("is not UTF-8 text"),
            ReadError::Io(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for ReadError {}

/// What kind of file this is, in words, when it is not a regular one.
pub(crate) fn kind_name(t: std::fs::FileType) -> Option<&'static str> {
    if t.is_file() {
        None
    } else if t.is_dir() {
        Some("directory")
    } else if t.is_fifo() {
        Some("FIFO")
    } else if t.is_char_device() {
        Some("character device")
    } else if t.is_block_device() {
        Some("block device")
    } else if t.is_socket() {
        Some("socket")
    } else {
        Some("special file")
    }
}

/// Open `path` for reading if it is a regular file (following links).
pub(crate) fn open_regular(path: &Path) -> Result<std::fs::File, ReadError> {
    let file = std::fs::OpenOptions::new()
        .read(true)
        // A FIFO with no writer would block open(2) forever.
        .custom_flags(nix::libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => ReadError::Missing,
            _ => ReadError::Io(e),
        })?;
    let meta = file.metadata().map_err(ReadError::Io)?;
    if let Some(kind) = kind_name(meta.file_type()) {
        return Err(ReadError::NotRegular(kind));
    }
    Ok(file)
}

/// The bytes of a regular file, at most `purpose`'s cap.
pub(crate) fn read_bytes(purpose: Purpose, path: impl AsRef<Path>) -> Result<Vec<u8>, ReadError> {
    let file = open_regular(path.as_ref())?;
    let limit = purpose.limit();
    // A regular file's size is known: over the cap is refused unread, and
    // the buffer is sized once (never doubled past the cap). Files whose
    // size says 0 (procfs) still read, up to the cap.
    let size = file.metadata().map_or(0, |m| m.len());
    if size > limit {
        return Err(ReadError::TooLarge(limit));
    }
    read_capped(file, limit, size as usize + 1)
}

/// At most `limit` bytes of `r`; more is [`ReadError::TooLarge`].
fn read_capped(r: impl Read, limit: u64, capacity: usize) -> Result<Vec<u8>, ReadError> {
    let mut out = Vec::with_capacity(capacity);
    r.take(limit + 1)
        .read_to_end(&mut out)
        .map_err(ReadError::Io)?;
    if out.len() as u64 > limit {
        return Err(ReadError::TooLarge(limit));
    }
    Ok(out)
}

/// The text of a regular file, at most `purpose`'s cap.
pub(crate) fn read_text(purpose: Purpose, path: impl AsRef<Path>) -> Result<String, ReadError> {
    String::from_utf8(read_bytes(purpose, path)?).map_err(|_| ReadError::NotUtf8)
}

/// Standard input as text, at most `purpose`'s cap (for `-`).
pub(crate) fn read_stdin(purpose: Purpose) -> Result<String, ReadError> {
    let bytes = read_capped(std::io::stdin(), purpose.limit(), 0)?;
    String::from_utf8(bytes).map_err(|_| ReadError::NotUtf8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_fifos_and_folders_are_refused_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::from_bits_truncate(0o600)).unwrap();
        let t = std::time::Instant::now();
        assert!(matches!(
            read_text(Purpose::Config, &fifo),
            Err(ReadError::NotRegular("FIFO"))
        ));
        assert!(matches!(
            read_text(Purpose::Config, dir.path()),
            Err(ReadError::NotRegular("directory"))
        ));
        assert!(t.elapsed() < std::time::Duration::from_secs(1));
        assert!(matches!(
            read_text(Purpose::Config, dir.path().join("none")),
            Err(ReadError::Missing)
        ));
    }

    #[test]
    fn caps_by_purpose_and_never_quotes() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("pid");
        std::fs::write(&f, "1".repeat(100)).unwrap();
        let err = read_text(Purpose::PidFile, &f).unwrap_err();
        assert!(matches!(err, ReadError::TooLarge(64)));
        assert!(!err.to_string().contains("111"));
        // A sparse file far over the cap costs no memory and no time.
        let big = dir.path().join("sparse");
        std::fs::File::create(&big)
            .unwrap()
            .set_len(1 << 40)
            .unwrap();
        assert!(matches!(
            read_bytes(Purpose::Config, &big),
            Err(ReadError::TooLarge(_))
        ));
    }
}
