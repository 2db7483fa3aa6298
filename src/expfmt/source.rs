//! Linting a whole input as `lint` reads it: a file, a pipe or stdin; the
//! format given, chosen from a Content-Type as Prometheus chooses it, or
//! detected the same way wherever the input comes from (OpenMetrics ends
//! with `# EOF`: a regular file is read at both ends, a pipe is read whole
//! first, up to a cap).

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use super::lint::{LintOptions, LintReport, Linter};
use super::split;
use super::stream::{ParseOutcome, StreamError, parse_reader};
use super::{Format, Refs};
use crate::version::PromVersion;

/// Format detection of a pipe reads it whole; past this, a format is needed
/// (`--format` streams any size in bounded memory).
pub(crate) const MAX_PIPED: u64 = 64 << 20;

/// How to pick the grammar.
#[derive(Debug, Clone)]
pub(crate) enum Choice {
    Given(Format),
    /// As a scraper reads a response with this Content-Type (3.x's refusal
    /// of a blank or unknown one becomes a finding).
    ContentType(String),
    /// By the input's end (`# EOF`).
    Detect,
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum SourceError {
    #[error("cannot open {0}: {1}")]
    Open(String, std::io::Error),
    #[error("{0} is a directory; give an exposition file or - for stdin")]
    Directory(String),
    #[error("cannot read {0}: {1}")]
    Read(String, std::io::Error),
    #[error("{0} is larger than {mib} MiB: give --format text|openmetrics to stream it, or a regular file", mib = MAX_PIPED >> 20)]
    TooLargeToDetect(String),
}

/// What linting an input found. `outcome` is `Err` with a parse error when
/// the input does not parse (the report holds what was found before it).
pub(crate) struct Linted {
    pub format: Format,
    pub outcome: Result<ParseOutcome, super::ParseError>,
    pub report: LintReport,
}

/// Lint `path` (`-`: stdin), named `source` in errors, for a Prometheus
/// `version`.
pub(crate) fn lint_path(
    path: &Path,
    source: &str,
    choice: Choice,
    opts: LintOptions,
    version: PromVersion,
) -> Result<Linted, SourceError> {
    let stdin = path.as_os_str() == "-";
    let mut refusal = None;
    let format = match choice {
        Choice::Given(f) => Some(f),
        Choice::ContentType(ct) => {
            refusal = super::content_type_refusal(PromVersion::V3, &ct);
            Some(Format::from_content_type(&ct))
        }
        Choice::Detect => None,
    };
    let open = || -> Result<File, SourceError> {
        let meta = std::fs::metadata(path).map_err(|e| SourceError::Open(source.to_string(), e))?;
        if meta.is_dir() {
            return Err(SourceError::Directory(source.to_string()));
        }
        File::open(path).map_err(|e| SourceError::Open(source.to_string(), e))
    };
    let read_err = |e| SourceError::Read(source.to_string(), e);
    let run = |input: Input, format: Format| {
        let mut linter = Linter::new(opts, format, version);
        if let Some(why) = refusal {
            linter.refused("content-type", why, Refs::PROMETHEUS_3);
        }
        let outcome = match input {
            Input::Stream(reader) => parse_reader(reader, format, &mut linter),
            // A regular file is read in parts at once, one per core.
            Input::File(file, len) => {
                let parts = split::parts_for(len, format);
                split::parse_in_parts(&file, len, format, parts, &mut linter)
            }
        };
        (format, outcome, linter.finish())
    };
    let (format, outcome, report) = match format {
        Some(format) if stdin => run(Input::Stream(Box::new(std::io::stdin())), format),
        Some(format) => run(Input::of(open()?).map_err(read_err)?, format),
        None => {
            let file = if stdin { None } else { Some(open()?) };
            match file {
                Some(mut file) if file.metadata().is_ok_and(|m| m.is_file()) => {
                    let format = sniff_file(&mut file).map_err(read_err)?;
                    run(Input::of(file).map_err(read_err)?, format)
                }
                // A pipe, `<(…)` or a device: the handle already open.
                other => {
                    let input: Box<dyn Read + Send> = match other {
                        Some(pipe) => Box::new(pipe),
                        None => Box::new(std::io::stdin()),
                    };
                    let body = read_capped(input, MAX_PIPED + 1).map_err(read_err)?;
                    if body.len() as u64 > MAX_PIPED {
                        return Err(SourceError::TooLargeToDetect(source.to_string()));
                    }
                    let tail = &body[body.len().saturating_sub(16)..];
                    let format = Format::sniff(&body, tail);
                    run(Input::Stream(Box::new(std::io::Cursor::new(body))), format)
                }
            }
        }
    };
    let outcome = match outcome {
        Ok(o) => Ok(o),
        Err(StreamError::Parse(e)) => Err(e),
        Err(StreamError::Io(e)) => return Err(read_err(e)),
    };
    Ok(Linted {
        format,
        outcome,
        report,
    })
}

/// What is read: a regular file (of this length, as opened), or a stream.
enum Input {
    File(File, u64),
    Stream(Box<dyn Read + Send>),
}

impl Input {
    fn of(file: File) -> std::io::Result<Self> {
        let meta = file.metadata()?;
        Ok(if meta.is_file() {
            Input::File(file, meta.len())
        } else {
            Input::Stream(Box::new(file))
        })
    }
}

/// Up to `cap` bytes of `input`, into one buffer reserved up front: only
/// the pages read are touched, and it never regrows (doubling a growing
/// buffer costs up to three times the input at the peak).
fn read_capped(input: impl Read, cap: u64) -> std::io::Result<Vec<u8>> {
    let mut body = Vec::with_capacity(usize::try_from(cap).unwrap_or(usize::MAX));
    input.take(cap).read_to_end(&mut body)?;
    Ok(body)
}

fn read_full(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// OpenMetrics when the file ends with `# EOF` (or starts with it).
fn sniff_file(file: &mut File) -> std::io::Result<Format> {
    let mut head = vec![0u8; 16];
    let n = read_full(file, &mut head)?;
    head.truncate(n);
    let len = file.seek(SeekFrom::End(0))?;
    let mut tail = vec![0u8; len.min(16) as usize];
    file.seek(SeekFrom::End(-(tail.len() as i64)))?;
    file.read_exact(&mut tail)?;
    file.seek(SeekFrom::Start(0))?;
    Ok(Format::sniff(&head, &tail))
}
