//! `gpucharts-mon lint`: parse and lint an exposition from a file or stdin.

use std::process::ExitCode;
use std::time::Instant;

use crate::Ctx;
use crate::cli::{ExpositionFormat, LintArgs, ReportFormat};
use crate::context::lint_options;
use crate::error;
use crate::expfmt::Format;
use crate::expfmt::source::{Choice, lint_path};
use crate::output::lint::{LintOutput, fails, print_table};
use crate::output::table::print_machine;

pub fn run(args: &LintArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let opts = lint_options(&args.lint, args.service)?;
    let source = if args.file.as_os_str() == "-" {
        "stdin".to_string()
    } else {
        args.file.display().to_string()
    };
    let version = crate::context::prometheus_major(args.prometheus_version, &ctx.inventory);
    let choice = match (&args.content_type, args.format) {
        (Some(ct), _) => Choice::ContentType(ct.clone()),
        (None, ExpositionFormat::Text) => Choice::Given(Format::Text),
        (None, ExpositionFormat::Openmetrics) => Choice::Given(Format::OpenMetrics),
        (None, ExpositionFormat::Auto) => Choice::Detect,
    };
    let start = Instant::now();
    let linted = lint_path(&args.file, &source, choice, opts, version)
        .map_err(|e| error::usage(e.to_string()))?;
    let report = &linted.report;
    let (outcome, parse_error) = match &linted.outcome {
        Ok(o) => (Some(o), None),
        Err(e) => (None, Some(e)),
    };
    let ok = parse_error.is_none() && !fails(report, args.lint.strict);
    let out = LintOutput {
        ok,
        source,
        format: linted.format,
        families: outcome.map_or(report.families.len(), |o| o.families),
        samples: outcome.map_or(0, |o| o.samples),
        series: report.series,
        bytes: outcome.map_or(0, |o| o.bytes),
        seconds: start.elapsed().as_secs_f64(),
        parse_error,
        report,
    };
    match args.output.format {
        ReportFormat::Table => print_table(&out, version, ctx.color),
        format => print_machine(&out, format)?,
    }
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(error::Kind::Failed.code())
    })
}
