//! Driving the parser over a byte stream in chunks: memory stays bounded by
//! the chunk size (plus the longest line), whatever the payload size.

use std::io::Read;

use super::line::Label;
use super::parser::{Parser, Sink};
use super::{Format, ParseError};

const CHUNK: usize = 1 << 20;
/// A single line longer than this is refused rather than buffered forever.
const MAX_LINE: usize = 16 << 20;

/// What a successful parse saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    pub format: Format,
    pub families: usize,
    pub samples: usize,
    pub bytes: u64,
    pub lines: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum StreamError {
    #[error("{0}")]
    Parse(#[from] ParseError),
    #[error("cannot read input: {0}")]
    Io(#[from] std::io::Error),
}

/// Feeds complete lines of successive chunks to a parser.
struct Feeder<'p, S: Sink> {
    parser: &'p mut Parser,
    sink: &'p mut S,
    line_no: usize,
    bytes: u64,
}

impl<S: Sink> Feeder<'_, S> {
    /// Parse every line in `text` (each ends with '\n' except, at the very
    /// end of input, possibly the last).
    fn lines(&mut self, data: &[u8], last: bool) -> Result<(), ParseError> {
        let text = std::str::from_utf8(data).map_err(|e| {
            let line = self.line_no
                + 1
                + data[..e.valid_up_to()]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count();
            ParseError::new(line, 1, "input is not valid UTF-8")
        })?;
        let (mut labels, mut exemplar): (Vec<Label<'_>>, Vec<Label<'_>>) =
            (Vec::with_capacity(8), Vec::new());
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', data) {
            self.line_no += 1;
            self.parser.line(
                &text[start..end],
                self.line_no,
                &mut labels,
                &mut exemplar,
                self.sink,
            )?;
            start = end + 1;
        }
        if last && start < text.len() {
            self.line_no += 1;
            self.parser.line(
                &text[start..],
                self.line_no,
                &mut labels,
                &mut exemplar,
                self.sink,
            )?;
        }
        Ok(())
    }
}

/// Parse everything `reader` yields.
pub fn parse_reader(
    mut reader: impl Read,
    format: Format,
    sink: &mut impl Sink,
) -> Result<Outcome, StreamError> {
    let mut parser = Parser::new(format);
    let mut feeder = Feeder {
        parser: &mut parser,
        sink,
        line_no: 0,
        bytes: 0,
    };
    // buf[..filled] holds unparsed bytes; reads go into buf[filled..].
    let mut buf: Vec<u8> = vec![0; CHUNK];
    let mut filled = 0;
    loop {
        if buf.len() - filled < CHUNK / 4 {
            if filled >= MAX_LINE {
                return Err(ParseError::new(
                    feeder.line_no + 1,
                    1,
                    format!("a line longer than {} MiB", MAX_LINE >> 20),
                )
                .into());
            }
            buf.resize(buf.len() + CHUNK, 0);
        }
        let n = loop {
            match reader.read(&mut buf[filled..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e.into()),
            }
        };
        feeder.bytes += n as u64;
        if n == 0 {
            feeder.lines(&buf[..filled], true)?;
            break;
        }
        let end = filled + n;
        match memchr::memrchr(b'\n', &buf[filled..end]) {
            Some(i) => {
                let last_nl = filled + i;
                feeder.lines(&buf[..=last_nl], false)?;
                buf.copy_within(last_nl + 1..end, 0);
                filled = end - last_nl - 1;
            }
            None => filled = end,
        }
    }
    let (lines, bytes) = (feeder.line_no, feeder.bytes);
    parser.finish(lines, sink)?;
    Ok(Outcome {
        format,
        families: parser.families,
        samples: parser.samples,
        bytes,
        lines,
    })
}

/// Parse an in-memory payload.
pub fn parse_bytes(
    data: &[u8],
    format: Format,
    sink: &mut impl Sink,
) -> Result<Outcome, ParseError> {
    parse_reader(data, format, sink).map_err(|e| match e {
        StreamError::Parse(p) => p,
        StreamError::Io(io) => ParseError::new(0, 0, io.to_string()),
    })
}
