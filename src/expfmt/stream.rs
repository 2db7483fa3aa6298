//! Driving the parser over bytes. In memory: one pass. From a reader: a
//! two-stage pipeline over 512 KiB chunks, so memory stays bounded whatever
//! the payload size and both cores work: one thread reads, checks UTF-8 and
//! lexes lines; the caller's thread applies them to the family state machine
//! and the sink (linter).

use std::io::Read;
use std::sync::mpsc;

use super::line::{Exemplar, Label, SampleLine};
use super::parser::{Lexed, Parser, Sink, label_hash, lex};
use super::{Format, ParseError};

use super::parser::{MAX_LINE, too_long};

const CHUNK: usize = 256 << 10;

/// What a successful parse saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParseOutcome {
    pub format: Format,
    pub families: usize,
    pub samples: usize,
    pub bytes: u64,
    pub lines: usize,
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum StreamError {
    #[error("{0}")]
    Parse(#[from] ParseError),
    #[error("cannot read input: {0}")]
    Io(#[from] std::io::Error),
}

/// `data` as text; when it is not valid UTF-8, the complete lines before
/// the first invalid one (to be parsed first, so that the first error in
/// line order is the one reported, wherever chunks or parts begin) and
/// the error for that line.
fn utf8(data: &[u8], first_line: usize) -> Result<&str, (&str, ParseError)> {
    std::str::from_utf8(data).map_err(|e| {
        let valid = &data[..e.valid_up_to()];
        let line = first_line + valid.iter().filter(|&&b| b == b'\n').count();
        let line_start = memchr::memrchr(b'\n', valid).map_or(0, |i| i + 1);
        let before = std::str::from_utf8(&data[..line_start]).unwrap_or_default();
        // Both references skip comment lines byte-wise (promtool and
        // Prometheus accept invalid UTF-8 there); elsewhere it is an error.
        let error = if data[line_start..].starts_with(b"#")
            && !data[line_start..].starts_with(b"# TYPE")
            && !data[line_start..].starts_with(b"# HELP")
        {
            ParseError::new(line, 1, "invalid UTF-8 in a comment").rejected_by(super::Refs::NONE)
        } else {
            ParseError::new(line, 1, "input is not valid UTF-8")
        };
        (before, error)
    })
}

/// Classic format: promtool (Go's expfmt) insists on a final newline;
/// Prometheus' scraper does not.
pub(super) fn final_newline(
    format: Format,
    ends_with_newline: bool,
    last_line: usize,
    sink: &mut impl Sink,
) {
    if format == Format::Text && !ends_with_newline {
        sink.violation(
            "format",
            "",
            last_line,
            "no newline at the end of the input".into(),
            super::Refs::PROMTOOL,
        );
    }
}

/// Each line of `text` (the last one may lack its newline).
fn lines(text: &str) -> impl Iterator<Item = &str> {
    // Every line ends at a newline, except perhaps the last; a text that is
    // only "\n" is one blank line (which OpenMetrics must reject).
    let mut rest = Some(text).filter(|t| !t.is_empty());
    std::iter::from_fn(move || {
        let r = rest?;
        match memchr::memchr(b'\n', r.as_bytes()) {
            Some(i) => {
                rest = Some(&r[i + 1..]).filter(|t| !t.is_empty());
                Some(&r[..i])
            }
            None => {
                rest = None;
                Some(r)
            }
        }
    })
}

/// Parse an in-memory payload in one pass.
pub fn parse_bytes(
    data: &[u8],
    format: Format,
    sink: &mut impl Sink,
) -> Result<ParseOutcome, ParseError> {
    parse_bytes_until(data, format, sink, None)
}

/// [`parse_bytes`] that gives up once `deadline` has passed (checked every
/// few thousand lines), so a timeout covers parsing as well as fetching.
pub(crate) fn parse_bytes_until(
    data: &[u8],
    format: Format,
    sink: &mut impl Sink,
    deadline: Option<std::time::Instant>,
) -> Result<ParseOutcome, ParseError> {
    let (text, invalid) = match utf8(data, 1) {
        Ok(text) => (text, None),
        Err((before, e)) => (before, Some(e)),
    };
    let mut parser = Parser::new(format);
    let (mut labels, mut exemplar) = (Vec::with_capacity(8), Vec::new());
    let mut line_no = 0;
    for line in lines(text) {
        line_no += 1;
        if line_no % 4096 == 0 && deadline.is_some_and(|d| std::time::Instant::now() > d) {
            return Err(ParseError::new(
                line_no,
                1,
                "parsing did not finish within the timeout",
            ));
        }
        parser.line(line, line_no, &mut labels, &mut exemplar, sink)?;
    }
    if let Some(e) = invalid {
        return Err(e);
    }
    parser.finish(line_no, sink)?;
    final_newline(
        format,
        data.is_empty() || data.ends_with(b"\n"),
        line_no,
        sink,
    );
    Ok(ParseOutcome {
        format,
        families: parser.families,
        samples: parser.samples,
        bytes: data.len() as u64,
        lines: line_no,
    })
}

/// Parse what `reader` yields on this thread, in chunks: one part of an
/// input [`super::split`] parses in parts (which finishes the parser when
/// one pass would). Returns the bytes and lines read, and whether the last
/// byte was a newline.
pub(super) fn parse_part(
    reader: impl Read,
    parser: &mut Parser,
    sink: &mut impl Sink,
) -> Result<(u64, usize, bool), StreamError> {
    let mut input = Chunks::new(reader);
    let mut buf: Vec<u8> = Vec::with_capacity(CHUNK);
    let mut line_no = 0usize;
    loop {
        let (cut, at_end) = input.fill(&mut buf, line_no + 1)?;
        {
            let (text, invalid) = match utf8(&buf[..cut], line_no + 1) {
                Ok(text) => (text, None),
                Err((before, e)) => (before, Some(e)),
            };
            let (mut labels, mut exemplar) = (Vec::with_capacity(8), Vec::new());
            for line in lines(text) {
                line_no += 1;
                parser.line(line, line_no, &mut labels, &mut exemplar, sink)?;
            }
            if let Some(e) = invalid {
                return Err(e.into());
            }
        }
        buf.drain(..cut);
        if at_end {
            return Ok((input.bytes, line_no, input.ends_with_newline));
        }
    }
}

/// An input read in chunks of complete lines: what both readers share.
struct Chunks<R> {
    reader: R,
    bytes: u64,
    /// Did the input so far end with a newline (true for an empty input)?
    ends_with_newline: bool,
}

impl<R: Read> Chunks<R> {
    fn new(reader: R) -> Self {
        Self {
            reader,
            bytes: 0,
            ends_with_newline: true,
        }
    }

    /// Read into `buf` until it holds a complete line past what it held,
    /// or the input ends: `(cut, at_end)`, where `buf[..cut]` is complete
    /// lines (at the end: everything). `line` names the line being read in
    /// the error for one longer than [`MAX_LINE`].
    fn fill(&mut self, buf: &mut Vec<u8>, line: usize) -> Result<(usize, bool), StreamError> {
        loop {
            if buf.capacity() - buf.len() < CHUNK / 4 {
                if buf.len() >= MAX_LINE {
                    return Err(too_long(line).into());
                }
                buf.reserve(CHUNK);
            }
            let filled = buf.len();
            buf.resize(buf.capacity(), 0);
            let n = loop {
                match self.reader.read(&mut buf[filled..]) {
                    Ok(n) => break n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => {
                        buf.truncate(filled);
                        return Err(e.into());
                    }
                }
            };
            buf.truncate(filled + n);
            self.bytes += n as u64;
            if n == 0 {
                return Ok((buf.len(), true));
            }
            self.ends_with_newline = buf[filled + n - 1] == b'\n';
            if let Some(i) = memchr::memrchr(b'\n', &buf[filled..]) {
                return Ok((filled + i + 1, false));
            }
        }
    }
}

/// A lexed line, with offsets into its batch instead of references, so it
/// can cross threads.
enum Record {
    Blank,
    Comment(u32, u32),
    Sample {
        name: (u32, u32),
        value: f64,
        timestamp: Option<f64>,
        exemplar: Option<Box<Exemplar>>,
        labels: (u32, u32),
        quoted: super::line::Quoted,
    },
    Error(ParseError),
}

/// Complete lines of input, lexed.
struct Batch {
    text: String,
    first_line: usize,
    records: Vec<Record>,
    /// (name start, name end, value start, value end) per label.
    labels: Vec<[u32; 4]>,
    /// [`label_hash`] per label, computed here to unload the parser's thread.
    hashes: Vec<u64>,
}

fn offset(base: &str, part: &str) -> u32 {
    (part.as_ptr() as usize - base.as_ptr() as usize) as u32
}

/// Lex `text` into `batch` (whose buffers are reused from earlier batches).
fn lex_batch(text: String, first_line: usize, format: Format, mut batch: Batch) -> Batch {
    batch.records.clear();
    batch.labels.clear();
    batch.hashes.clear();
    let Batch {
        records,
        labels: all_labels,
        hashes,
        ..
    } = &mut batch;
    let (mut labels, mut exemplar) = (Vec::with_capacity(8), Vec::new());
    let mut hint = "";
    for (i, line) in lines(&text).enumerate() {
        let line_no = first_line + i;
        let record = match lex(line, line_no, format, hint, &mut labels, &mut exemplar) {
            Ok(Lexed::Blank) => Record::Blank,
            Ok(Lexed::Comment(c)) => {
                Record::Comment(offset(&text, c), offset(&text, c) + c.len() as u32)
            }
            Ok(Lexed::Sample(s)) => {
                hint = s.name;
                let start = all_labels.len() as u32;
                hashes.extend(labels.iter().map(label_hash));
                all_labels.extend(labels.iter().map(|l: &Label<'_>| {
                    let (n, v) = (offset(&text, l.name), offset(&text, l.raw_value));
                    [n, n + l.name.len() as u32, v, v + l.raw_value.len() as u32]
                }));
                Record::Sample {
                    name: (
                        offset(&text, s.name),
                        offset(&text, s.name) + s.name.len() as u32,
                    ),
                    value: s.value,
                    timestamp: s.timestamp,
                    exemplar: s.exemplar.map(Box::new),
                    labels: (start, all_labels.len() as u32),
                    quoted: s.quoted,
                }
            }
            Err(e) => Record::Error(e),
        };
        records.push(record);
    }
    batch.text = text;
    batch.first_line = first_line;
    batch
}

/// Stage one: read chunks, cut them at the last newline, check UTF-8, lex.
/// Stage one also takes back used batches (`spare`) and reuses their
/// buffers: no allocation per chunk, and memory freed on the other thread is
/// not left waiting in the allocator.
fn read_and_lex(
    reader: impl Read,
    format: Format,
    out: &mpsc::SyncSender<Result<Batch, StreamError>>,
    spare: &mpsc::Receiver<Batch>,
) -> (u64, bool) {
    let mut input = Chunks::new(reader);
    let mut buf: Vec<u8> = Vec::with_capacity(CHUNK);
    let mut line_no = 1;
    loop {
        let (cut, at_end) = match input.fill(&mut buf, line_no) {
            Ok(filled) => filled,
            Err(e) => {
                let _ = out.send(Err(e));
                return (input.bytes, input.ends_with_newline);
            }
        };
        let mut recycled = spare.try_recv().unwrap_or_else(|_| Batch {
            text: String::new(),
            first_line: 0,
            records: Vec::new(),
            labels: Vec::new(),
            hashes: Vec::new(),
        });
        let mut rest = std::mem::take(&mut recycled.text).into_bytes();
        rest.clear();
        rest.reserve(CHUNK);
        rest.extend_from_slice(&buf[cut..]);
        buf.truncate(cut);
        let chunk = std::mem::replace(&mut buf, rest);
        let batch = match String::from_utf8(chunk) {
            Ok(text) => {
                let complete = memchr::memchr_iter(b'\n', text.as_bytes()).count();
                let unterminated = usize::from(at_end && !text.is_empty() && !text.ends_with('\n'));
                let first = line_no;
                line_no += complete + unterminated;
                Ok(lex_batch(text, first, format, recycled))
            }
            Err(e) => {
                let (before, error) = utf8(e.as_bytes(), line_no).err().unwrap_or_else(|| {
                    ("", ParseError::new(line_no, 1, "input is not valid UTF-8"))
                });
                // The lines before the invalid one are parsed first.
                if !before.is_empty() {
                    let lexed = lex_batch(before.to_string(), line_no, format, recycled);
                    if out.send(Ok(lexed)).is_err() {
                        return (input.bytes, input.ends_with_newline);
                    }
                }
                Err(error.into())
            }
        };
        let failed = batch.is_err();
        if out.send(batch).is_err() || failed || at_end {
            return (input.bytes, input.ends_with_newline);
        }
    }
}

/// Stage two: replay a batch's records through the parser.
fn apply_batch(
    parser: &mut Parser,
    batch: &Batch,
    line_no: &mut usize,
    sink: &mut impl Sink,
) -> Result<(), ParseError> {
    let text = batch.text.as_str();
    let mut labels: Vec<Label<'_>> = Vec::with_capacity(8);
    for (i, record) in batch.records.iter().enumerate() {
        *line_no = batch.first_line + i;
        labels.clear();
        let mut hashes = None;
        let lexed = match record {
            Record::Blank => Ok(Lexed::Blank),
            Record::Comment(a, b) => Ok(Lexed::Comment(&text[*a as usize..*b as usize])),
            Record::Error(e) => Err(e.clone()),
            Record::Sample {
                name,
                value,
                timestamp,
                exemplar,
                labels: (from, to),
                quoted,
            } => {
                let range = *from as usize..*to as usize;
                hashes = Some(&batch.hashes[range.clone()]);
                labels.extend(batch.labels[range].iter().map(|[a, b, c, d]| Label {
                    name: &text[*a as usize..*b as usize],
                    raw_value: &text[*c as usize..*d as usize],
                }));
                Ok(Lexed::Sample(SampleLine {
                    name: &text[name.0 as usize..name.1 as usize],
                    value: *value,
                    timestamp: *timestamp,
                    exemplar: exemplar.as_deref().cloned(),
                    quoted: *quoted,
                }))
            }
        };
        parser.apply(lexed, &labels, hashes, *line_no, sink)?;
    }
    Ok(())
}

/// Parse everything `reader` yields, reading and lexing on a second thread.
pub(crate) fn parse_reader(
    reader: impl Read + Send,
    format: Format,
    sink: &mut impl Sink,
) -> Result<ParseOutcome, StreamError> {
    let mut parser = Parser::new(format);
    let (tx, rx) = mpsc::sync_channel::<Result<Batch, StreamError>>(1);
    let (give_back, spare) = mpsc::channel::<Batch>();
    std::thread::scope(|scope| {
        let reader_thread = scope.spawn(move || read_and_lex(reader, format, &tx, &spare));
        let mut line_no = 0;
        let result = (|| -> Result<(), StreamError> {
            for batch in rx.iter() {
                let batch = batch?;
                apply_batch(&mut parser, &batch, &mut line_no, sink)?;
                // Back to the reader thread for reuse; it may have finished.
                let _ = give_back.send(batch);
            }
            Ok(())
        })();
        drop(rx);
        // A panic on the reading thread is a bug, but it is reported as a
        // failure of this input, never swallowed into "ok".
        let (bytes, ends_with_newline) = reader_thread.join().map_err(|_| {
            StreamError::Parse(ParseError::new(
                line_no.max(1),
                1,
                "internal error while lexing this input (please report it); the input is not accepted",
            ))
        })?;
        result?;
        parser.finish(line_no, sink)?;
        final_newline(format, ends_with_newline, line_no, sink);
        Ok(ParseOutcome {
            format,
            families: parser.families,
            samples: parser.samples,
            bytes,
            lines: line_no,
        })
    })
}
