//! `gpucharts-mon lint`: parse and lint an exposition from a file or stdin.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::process::ExitCode;
use std::time::Instant;

use serde::Serialize;

use crate::Ctx;
use crate::cli::{ExpositionFormat, LintArgs, ReportFormat};
use crate::context::lint_options;
use crate::error;
use crate::expfmt::lint::{LintOptions, LintReport, Linter, Severity};
use crate::expfmt::stream::{Outcome, StreamError, parse_reader};
use crate::expfmt::{Format, ParseError, Refs};
use crate::output::table::{cell, new_table, print_machine, status_cell};
use crate::probe::fetch::content_type_refusal;
use crate::version::PromVersion;

/// Whether a report fails: errors always, warnings with --strict.
pub fn fails(report: &LintReport, strict: bool) -> bool {
    report.errors() > 0 || (strict && report.warnings() > 0)
}

#[derive(Serialize)]
struct LintOutput<'a> {
    ok: bool,
    source: String,
    format: Format,
    families: usize,
    samples: usize,
    series: usize,
    bytes: u64,
    seconds: f64,
    parse_error: Option<&'a ParseError>,
    #[serde(flatten)]
    report: &'a LintReport,
}

pub fn run(args: &LintArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let opts = lint_options(&args.lint, args.service)?;
    let stdin = args.file.as_os_str() == "-";
    let source = if stdin {
        "stdin".to_string()
    } else {
        args.file.display().to_string()
    };
    let start = Instant::now();
    let input: Box<dyn Read + Send> = if stdin {
        Box::new(std::io::stdin())
    } else {
        let meta = std::fs::metadata(&args.file)
            .map_err(|e| error::usage(format!("cannot open {source}: {e}")))?;
        if meta.is_dir() {
            return Err(error::usage(format!(
                "{source} is a directory; give an exposition file or - for stdin"
            )));
        }
        Box::new(
            File::open(&args.file)
                .map_err(|e| error::usage(format!("cannot open {source}: {e}")))?,
        )
    };
    let version = crate::context::prometheus_major(args.prometheus_version, &ctx.inventory);
    let scrape = args.content_type.as_deref().map(|ct| {
        let refusal = content_type_refusal(PromVersion::V3, ct);
        (Format::from_content_type(ct), refusal)
    });
    let chosen = match (&scrape, args.format) {
        (Some((format, _)), _) => Some(*format),
        (None, ExpositionFormat::Text) => Some(Format::Text),
        (None, ExpositionFormat::Openmetrics) => Some(Format::OpenMetrics),
        (None, ExpositionFormat::Auto) => None,
    };
    let refusal = scrape.and_then(|(_, r)| r);
    let lint_stream = |input, format| lint_stream(input, format, opts, version, refusal);
    let (format, outcome, report) = match chosen {
        Some(format) => lint_stream(input, format),
        // OpenMetrics ends with `# EOF`: the end decides, wherever the input
        // comes from. A regular file is read at both ends; a pipe or stdin is
        // read whole first (up to a cap), so both detect the same way.
        None => match regular_file(&args.file, stdin)? {
            Some(mut file) => {
                let format = sniff_file(&mut file)?;
                lint_stream(Box::new(file), format)
            }
            None => {
                let mut body = Vec::new();
                input
                    .take(MAX_PIPED + 1)
                    .read_to_end(&mut body)
                    .map_err(|e| error::usage(format!("cannot read {source}: {e}")))?;
                if body.len() as u64 > MAX_PIPED {
                    return Err(error::usage(format!(
                        "{source} is larger than {} MiB: give --format text|openmetrics to stream it, or a regular file",
                        MAX_PIPED >> 20
                    )));
                }
                let tail = &body[body.len().saturating_sub(16)..];
                let format = Format::sniff(&body, tail);
                lint_stream(Box::new(std::io::Cursor::new(body)), format)
            }
        },
    };
    let (outcome, parse_error) = match outcome {
        Ok(o) => (Some(o), None),
        Err(StreamError::Parse(e)) => (None, Some(e)),
        Err(StreamError::Io(e)) => return Err(error::usage(format!("cannot read {source}: {e}"))),
    };
    let ok = parse_error.is_none() && !fails(&report, args.lint.strict);
    let out = LintOutput {
        ok,
        source,
        format,
        families: outcome.map_or(report.families.len(), |o| o.families),
        samples: outcome.map_or(0, |o| o.samples),
        series: report.series,
        bytes: outcome.map_or(0, |o| o.bytes),
        seconds: start.elapsed().as_secs_f64(),
        parse_error: parse_error.as_ref(),
        report: &report,
    };
    match args.output {
        ReportFormat::Table => print_table(&out, version, ctx.color),
        format => print_machine(&out, format)?,
    }
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(error::Kind::Failed.code())
    })
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

/// Format detection of a pipe reads it whole; past this, `--format` is needed.
const MAX_PIPED: u64 = 256 << 20;

/// The file, when `path` is a regular (seekable) file; `None` for stdin,
/// pipes, `<(...)` and devices.
fn regular_file(path: &std::path::Path, stdin: bool) -> anyhow::Result<Option<File>> {
    if stdin {
        return Ok(None);
    }
    let file = File::open(path)
        .map_err(|e| error::usage(format!("cannot open {}: {e}", path.display())))?;
    Ok(file.metadata().is_ok_and(|m| m.is_file()).then_some(file))
}

/// OpenMetrics when the file ends with `# EOF` (or starts with it).
fn sniff_file(file: &mut File) -> anyhow::Result<Format> {
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

fn lint_stream(
    input: Box<dyn Read + Send>,
    format: Format,
    opts: LintOptions,
    version: PromVersion,
    refusal: Option<String>,
) -> (Format, Result<Outcome, StreamError>, LintReport) {
    let mut linter = Linter::new(opts, format, version);
    if let Some(why) = refusal {
        linter.refused("content-type", why, Refs::PROMETHEUS_3);
    }
    let outcome = parse_reader(input, format, &mut linter);
    (format, outcome, linter.finish())
}

fn print_table(out: &LintOutput<'_>, version: PromVersion, color: bool) {
    let report = out.report;
    if !report.findings.is_empty() {
        let mut table = new_table(&["SEVERITY", "METRIC", "CHECK", "LINE", "FINDING"], color);
        for f in &report.findings {
            let sev = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "info",
            };
            table.add_row(vec![
                status_cell(sev, color),
                cell(&f.metric),
                cell(f.check.as_ref()),
                cell(f.line.map_or_else(String::new, |l| l.to_string())),
                cell(&f.message),
            ]);
        }
        crate::outln!("{table}");
    }
    let mut biggest: Vec<_> = report.families.iter().collect();
    biggest.sort_by_key(|f| std::cmp::Reverse(f.series));
    if biggest.first().is_some_and(|f| f.series > 1) {
        let mut table = new_table(
            &["FAMILY", "TYPE", "SERIES", "LABELS BY DISTINCT VALUES"],
            color,
        );
        for f in biggest.iter().take(5) {
            let labels: Vec<String> = f
                .top_labels
                .iter()
                .map(|l| format!("{}={}", l.label, l.distinct_values))
                .collect();
            table.add_row(vec![
                cell(&f.name),
                cell(f.kind.name()),
                cell(f.series),
                cell(labels.join(" ")),
            ]);
        }
        crate::outln!("{table}");
    }
    if let Some(e) = out.parse_error {
        crate::outln!(
            "parse error: {} ({})",
            crate::text::terminal_safe(&e.to_string()),
            e.consequence(version)
        );
    }
    if report.suppressed > 0 {
        crate::outln!("({} more findings not shown)", report.suppressed);
    }
    crate::outln!(
        "{}: {} families, {} samples, {} series, {} ({}) in {:.0} ms: {} errors, {} warnings",
        out.source,
        out.families,
        out.samples,
        out.series,
        crate::text::human::bytes(out.bytes),
        out.format.name(),
        out.seconds * 1000.0,
        report.errors() + usize::from(out.parse_error.is_some()),
        report.warnings()
    );
}
