//! `gpucharts-mon lint`: parse and lint an exposition from a file or stdin.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::process::ExitCode;
use std::time::Instant;

use serde::Serialize;

use crate::Ctx;
use crate::catalogue::Catalogue;
use crate::cli::{ExpositionFormat, LintArgs, LintFlags, ReportFormat, Service};
use crate::error;
use crate::expfmt::lint::{LintOptions, LintReport, Linter, Severity};
use crate::expfmt::stream::{Outcome, StreamError, parse_reader};
use crate::expfmt::{Format, ParseError};
use crate::output::table::{cell, new_table, print_machine, status_cell};

/// Lint options from flags and, for a GPU Charts service, the catalogue.
pub fn lint_options(flags: &LintFlags, service: Option<&str>) -> anyhow::Result<LintOptions> {
    let mut opts = LintOptions {
        prefixes: flags.prefixes.clone(),
        max_series: flags.max_series,
        max_family_series: flags.max_family_series,
        top_labels: 3,
        ..LintOptions::default()
    };
    if let Some(service) = service {
        let catalogue = Catalogue::embedded().map_err(anyhow::Error::msg)?;
        if let Some(s) = catalogue.services.get(service) {
            if opts.prefixes.is_empty() {
                opts.prefixes.push(s.quick_test_prefix.clone());
            }
            opts.known.extend(s.families.iter().map(|f| f.name.clone()));
        }
    }
    Ok(opts)
}

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
    let service = args.service.map(|s| match s {
        Service::Logger => "logger",
        Service::Server => "server",
    });
    let opts = lint_options(&args.lint, service)?;
    let stdin = args.file.as_os_str() == "-";
    let source = if stdin {
        "stdin".to_string()
    } else {
        args.file.display().to_string()
    };
    let start = Instant::now();
    let (format, outcome, report) = if stdin {
        let mut input = std::io::stdin();
        let mut head = vec![0u8; 64 << 10];
        let n = read_full(&mut input, &mut head)?;
        head.truncate(n);
        let complete = n < (64 << 10);
        let format = choose(args.format, &head, complete.then_some(&head[..]));
        lint_stream(std::io::Cursor::new(head).chain(input), format, opts)
    } else {
        let mut file = File::open(&args.file)
            .map_err(|e| error::usage(format!("cannot open {}: {e}", args.file.display())))?;
        let format = match args.format {
            ExpositionFormat::Auto => {
                let mut head = vec![0u8; 4096];
                let n = read_full(&mut file, &mut head)?;
                head.truncate(n);
                let len = file.seek(SeekFrom::End(0))?;
                let mut tail = vec![0u8; len.min(16) as usize];
                file.seek(SeekFrom::End(-(tail.len() as i64)))?;
                file.read_exact(&mut tail)?;
                file.seek(SeekFrom::Start(0))?;
                choose(args.format, &head, Some(&tail))
            }
            _ => choose(args.format, &[], None),
        };
        let size_hint = file.metadata().map_or(0, |m| m.len());
        lint_stream(file, format, LintOptions { size_hint, ..opts })
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
        ReportFormat::Table => print_table(&out, ctx.color),
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

/// `auto`: OpenMetrics when the input ends with `# EOF`, or (when the end is
/// not known) its start uses OpenMetrics-only metadata.
fn choose(flag: ExpositionFormat, head: &[u8], tail: Option<&[u8]>) -> Format {
    match flag {
        ExpositionFormat::Text => Format::Text,
        ExpositionFormat::Openmetrics => Format::OpenMetrics,
        ExpositionFormat::Auto => match tail {
            Some(t) => Format::sniff(head, t),
            None if memchr::memmem::find(head, b"\n# UNIT ").is_some()
                || head.starts_with(b"# UNIT ") =>
            {
                Format::OpenMetrics
            }
            None => Format::Text,
        },
    }
}

fn lint_stream(
    input: impl Read + Send,
    format: Format,
    opts: LintOptions,
) -> (Format, Result<Outcome, StreamError>, LintReport) {
    let mut linter = Linter::new(opts, format);
    let outcome = parse_reader(input, format, &mut linter);
    (format, outcome, linter.finish())
}

fn print_table(out: &LintOutput<'_>, color: bool) {
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
                cell(f.check),
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
            "parse error: {} (Prometheus would fail the whole scrape)",
            crate::output::terminal_safe(&e.to_string())
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
        human_bytes(out.bytes),
        out.format.name(),
        out.seconds * 1000.0,
        report.errors() + usize::from(out.parse_error.is_some()),
        report.warnings()
    );
}

pub fn human_bytes(n: u64) -> String {
    match n {
        n if n >= 1 << 20 => format!("{:.1} MiB", n as f64 / f64::from(1 << 20)),
        n if n >= 1 << 10 => format!("{:.1} KiB", n as f64 / 1024.0),
        n => format!("{n} B"),
    }
}
