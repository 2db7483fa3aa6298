//! A large classic-format input parsed in parts, one thread per core, with
//! the same result as one pass.
//!
//! A part may start only where one pass would start a new family anyway: at
//! a `# HELP n` or `# TYPE n` line right after a sample whose name does not
//! start with `n`. There the one pass closes the family it was in and opens
//! `n` fresh, so nothing of the parser's state crosses the boundary except
//! which names earlier families took (it decides only whether `n` counts as
//! a new family) and what the linter gathered; [`Divisible::absorb`] and
//! [`Parser::absorb`] add those up in input order, moving the later part's
//! line numbers past the earlier part's lines. Where no such line is near,
//! or the input is OpenMetrics (whose `# EOF` and family order rules look
//! across the whole input), it is read in one stream as before.

use std::io::Read;

use super::parser::{Parser, Sink};
use super::stream::{ParseOutcome, StreamError, parse_part, parse_reader};
use super::{Format, ParseError};

/// Below this, one stream is as fast as starting threads.
const MIN_PART: u64 = 2 << 20;
/// How far past its share a part's start is looked for.
const SEARCH: u64 = 4 << 20;
const WINDOW: usize = 64 << 10;

/// Random access to an input of known length (a regular file, or bytes).
pub(crate) trait ReadAt: Sync {
    fn read_at(&self, buf: &mut [u8], offset: u64) -> std::io::Result<usize>;
}

impl ReadAt for std::fs::File {
    fn read_at(&self, buf: &mut [u8], offset: u64) -> std::io::Result<usize> {
        std::os::unix::fs::FileExt::read_at(self, buf, offset)
    }
}

impl ReadAt for [u8] {
    fn read_at(&self, buf: &mut [u8], offset: u64) -> std::io::Result<usize> {
        let start = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(self.len());
        let n = buf.len().min(self.len() - start);
        buf[..n].copy_from_slice(&self[start..start + n]);
        Ok(n)
    }
}

/// The bytes `[at, end)` of an input, as a reader.
struct Part<'a, R: ?Sized> {
    input: &'a R,
    at: u64,
    end: u64,
}

impl<R: ReadAt + ?Sized> Read for Part<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let want = buf
            .len()
            .min(usize::try_from(self.end - self.at).unwrap_or(usize::MAX));
        let n = self.input.read_at(&mut buf[..want], self.at)?;
        self.at += n as u64;
        Ok(n)
    }
}

/// A sink that can gather a later part of the input on its own and be
/// joined with it afterwards.
pub(crate) trait Divisible: Sink + Send + Sized {
    /// An empty sink with the same settings, for a later part.
    fn fork(&self) -> Self;
    /// Add what `later` gathered on the part after this one's, whose line
    /// numbers start after `lines` lines.
    fn absorb(&mut self, later: Self, lines: usize);
}

/// The metric name a plain `# HELP` / `# TYPE` line declares.
fn declared_name(line: &[u8]) -> Option<&[u8]> {
    let rest = line
        .strip_prefix(b"# HELP ")
        .or_else(|| line.strip_prefix(b"# TYPE "))?;
    let len = super::line::metric_name_len(rest);
    let after = rest.get(len).copied();
    (len > 0 && matches!(after, None | Some(b' ' | b'\t' | b'\n'))).then(|| &rest[..len])
}

/// The metric name a sample line starts with, written plainly at its start.
fn sample_name(line: &[u8]) -> Option<&[u8]> {
    let len = super::line::metric_name_len(line);
    (len > 0).then(|| &line[..len])
}

/// Offsets (each the start of a line) in `window` where a part may start.
fn starts_in(window: &[u8]) -> impl Iterator<Item = usize> + '_ {
    memchr::memmem::find_iter(window, b"\n# ").filter_map(move |nl| {
        let line = &window[nl + 1..];
        let line = &line[..memchr::memchr(b'\n', line).unwrap_or(line.len())];
        let name = declared_name(line)?;
        let previous_start = memchr::memrchr(b'\n', &window[..nl])? + 1;
        let previous = sample_name(&window[previous_start..nl])?;
        (!previous.starts_with(name)).then_some(nl + 1)
    })
}

/// The place nearest `target` where a part may start, after `after` and
/// before `until`: windows are read outwards from `target`, one on each
/// side in turn, up to [`SEARCH`] bytes away.
fn start_near(input: &(impl ReadAt + ?Sized), target: u64, after: u64, until: u64) -> Option<u64> {
    // Each window is read with the bytes before it, so that a candidate
    // near its start has its previous line.
    const OVERLAP: u64 = 4 << 10;
    let mut buf = vec![0u8; WINDOW + OVERLAP as usize];
    let width = WINDOW as u64;
    for k in 0..SEARCH / width {
        let sides = [
            target.checked_add(k * width),
            target.checked_sub((k + 1) * width),
        ];
        for from in sides.into_iter().flatten() {
            if from >= until || from + width <= after {
                continue;
            }
            let read_from = from.saturating_sub(OVERLAP);
            let want = (from - read_from + width) as usize;
            let n = input.read_at(&mut buf[..want], read_from).ok()?;
            let nearest = starts_in(&buf[..n])
                .map(|i| read_from + i as u64)
                .filter(|&s| s >= from && s < from + width && s > after && s < until)
                .min_by_key(|&s| s.abs_diff(target));
            if nearest.is_some() {
                return nearest;
            }
        }
    }
    None
}

/// Where the parts after the first (at 0) start, for `parts` parts of
/// `len` bytes: each near its share's start, in increasing order.
fn starts(input: &(impl ReadAt + ?Sized), len: u64, parts: usize) -> Vec<u64> {
    let mut out: Vec<u64> = Vec::new();
    for i in 1..parts as u64 {
        let after = out.last().copied().unwrap_or(0);
        if let Some(s) = start_near(input, len / parts as u64 * i, after, len) {
            out.push(s);
        }
    }
    out
}

/// How many parts to parse `len` bytes of `format` in, on this machine.
pub(crate) fn parts_for(len: u64, format: Format) -> usize {
    if format != Format::Text {
        return 1;
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    cores
        .min(usize::try_from(len / MIN_PART).unwrap_or(usize::MAX))
        .clamp(1, 8)
}

/// Parse `len` bytes of `input` in up to `parts` parts at once, exactly as
/// one pass would.
pub(crate) fn parse_in_parts<S: Divisible>(
    input: &(impl ReadAt + ?Sized),
    len: u64,
    format: Format,
    parts: usize,
    sink: &mut S,
) -> Result<ParseOutcome, StreamError> {
    let starts = if parts > 1 && format == Format::Text {
        starts(input, len, parts)
    } else {
        Vec::new()
    };
    parse_from(input, len, format, &starts, sink)
}

/// Bytes and lines read, and whether the part ended with a newline.
type PartResult = Result<(u64, usize, bool), StreamError>;

fn parse_one(
    input: &(impl ReadAt + ?Sized),
    (at, end): (u64, u64),
    format: Format,
    sink: &mut impl Sink,
) -> (Parser, PartResult) {
    let mut parser = Parser::for_part(format);
    let result = parse_part(Part { input, at, end }, &mut parser, sink);
    (parser, result)
}

/// Parse with later parts starting at `starts` (increasing, each the start
/// of a line where [`starts_in`] allows one).
pub(crate) fn parse_from<S: Divisible>(
    input: &(impl ReadAt + ?Sized),
    len: u64,
    format: Format,
    starts: &[u64],
    sink: &mut S,
) -> Result<ParseOutcome, StreamError> {
    if starts.is_empty() {
        return parse_reader(
            Part {
                input,
                at: 0,
                end: len,
            },
            format,
            sink,
        );
    }
    let bounds: Vec<(u64, u64)> = std::iter::once(0)
        .chain(starts.iter().copied())
        .zip(starts.iter().copied().chain(std::iter::once(len)))
        .collect();
    // Every part gathers into a sink of its own; `sink` (which may hold
    // findings from before the parse) takes them all in input order.
    let mut first_sink = sink.fork();
    let forks: Vec<S> = bounds[1..].iter().map(|_| sink.fork()).collect();
    let parts: Vec<_> = std::thread::scope(|scope| {
        let handles: Vec<_> = bounds[1..]
            .iter()
            .zip(forks)
            .map(|(&b, mut fork)| {
                scope.spawn(move || {
                    let (parser, result) = parse_one(input, b, format, &mut fork);
                    (parser, fork, result)
                })
            })
            .collect();
        let (parser, result) = parse_one(input, bounds[0], format, &mut first_sink);
        std::iter::once(Ok((parser, first_sink, result)))
            .chain(handles.into_iter().map(|h| h.join()))
            .collect()
    });
    let mut merged = Parser::new(format);
    let (mut bytes, mut lines, mut ends_with_newline) = (0u64, 0usize, true);
    let mut parts = parts.into_iter().peekable();
    while let Some(part) = parts.next() {
        // A panic on a part's thread is a bug, reported as this input's
        // failure, never as "ok".
        let (mut parser, mut part_sink, result) = part.map_err(|_| {
            StreamError::Parse(ParseError::new(
                lines + 1,
                1,
                "internal error while parsing this input (please report it); the input is not accepted",
            ))
        })?;
        // One pass closes this part's last family on the next part's first
        // line, unless that line fails before it declares a family; the
        // last part's at the end of the input.
        let closes = match parts.peek() {
            Some(Ok((next, _, _))) => next.started_a_family(),
            _ => true,
        };
        let result = result.and_then(|(b, l, newline)| {
            if closes {
                parser.finish(l, &mut part_sink)?;
            }
            Ok((b, l, newline))
        });
        sink.absorb(part_sink, lines);
        merged.absorb(parser);
        match result {
            Ok((b, l, newline)) => {
                bytes += b;
                lines += l;
                ends_with_newline = newline;
            }
            Err(StreamError::Parse(mut e)) => {
                e.line += lines;
                return Err(e.into());
            }
            Err(e) => return Err(e),
        }
    }
    super::stream::final_newline(format, ends_with_newline, lines, sink);
    Ok(ParseOutcome {
        format,
        families: merged.families,
        samples: merged.samples,
        bytes,
        lines,
    })
}

/// Every place in `data` where a part may start (for tests and fuzzing).
#[cfg(any(test, feature = "fuzzing"))]
pub(crate) fn all_starts(data: &[u8]) -> Vec<u64> {
    starts_in(data).map(|i| i as u64).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_start_only_where_a_new_family_begins() {
        let text = b"# HELP a x\na 1\n# HELP b y\nb 1\n# TYPE b_x gauge\nb_x 2\n# HELP b_x_y z\n";
        let starts: Vec<&[u8]> = all_starts(text)
            .iter()
            .map(|&s| &text[s as usize..s as usize + 6])
            .collect();
        // Each declared name is not a prefix of the sample before it, so
        // that sample's family (a prefix of its name) is another one.
        assert_eq!(starts, [&b"# HELP"[..], b"# TYPE", b"# HELP"]);
        // A declaration of the family the sample belongs to is not a start.
        assert!(all_starts(b"a_bucket 1\n# HELP a x\n").is_empty());
        assert!(all_starts(b"  a 1\n# HELP b x\n").is_empty());
        assert!(all_starts(b"# c\n# HELP b x\n").is_empty());
    }
}
