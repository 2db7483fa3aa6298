//! Everything that decides how results look or land: files, tables, colour.

pub mod alertmanager;
pub mod chart;
pub mod dashboards;
pub mod doctor;
pub mod files;
pub mod gate;
pub mod gen_config;
pub mod junit;
pub mod lint;
pub mod migrate;
pub mod pull;
pub mod query;
pub mod relabel;
pub mod reload;
pub mod shard_plan;
pub mod smoke;
pub mod table;
pub mod targets;

use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// When to colour output (`--color`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Output of commands that report results (`--output-format`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    #[default]
    Table,
    Json,
    Yaml,
}

/// test-pull's and demo's report formats: the report formats but YAML, and JUnit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum PullFormat {
    #[default]
    Table,
    Json,
    Junit,
}

/// The one colour decision: `auto` means stdout is a terminal, `NO_COLOR` is
/// unset or empty, and `TERM` is not `dumb`.
pub(crate) fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => {
            // The terminal library reads NO_COLOR itself and would write
            // empty styles (`ESC[m`); the flag wins over the variable.
            crossterm::style::force_color_output(true);
            true
        }
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
        }
    }
}

/// A progress bar on stderr, only when stderr is a terminal.
pub(crate) fn progress_bar(len: u64, message: &str) -> Option<indicatif::ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(len);
    bar.set_message(message.to_string());
    Some(bar)
}

/// A spinner on stderr, only when stderr is a terminal.
/// The bar of a pull check: shown when the endpoints times the fetches
/// per endpoint are more than a glance's worth.
pub(crate) fn endpoints_bar(endpoints: usize, count: usize) -> Option<indicatif::ProgressBar> {
    (endpoints * count > 8)
        .then(|| progress_bar(endpoints as u64, "endpoints"))
        .flatten()
}

pub(crate) fn spinner(message: &str) -> Option<indicatif::ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_message(message.to_string());
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    Some(bar)
}

/// Set once stdout's reader has gone away (`| head`): later output is dropped.
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);
/// The first stdout failure other than a closed pipe (a full disk behind
/// `> file`), reported when the command ends.
static STDOUT_ERROR: Mutex<Option<String>> = Mutex::new(None);

/// Standard output that survives a closed pipe: once the reader has gone
/// (`| head`), further output is dropped silently and the command still exits
/// with its own outcome, as users of `cat` or `grep` expect (`print!` would
/// panic). Any other failure (a full disk behind `> file`) is kept and
/// reported by [`finish_stdout`].
pub(crate) struct Stdout;

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if !STDOUT_CLOSED.load(Ordering::Relaxed)
            && let Err(e) = std::io::stdout().lock().write_all(buf)
        {
            note_stdout_error(&e);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if !STDOUT_CLOSED.load(Ordering::Relaxed)
            && let Err(e) = std::io::stdout().lock().flush()
        {
            note_stdout_error(&e);
        }
        Ok(())
    }
}

/// What the [`out!`] and [`outln!`] macros call.
pub(crate) fn write_stdout(args: std::fmt::Arguments) {
    // `Stdout` never returns an error: failures are noted for finish_stdout.
    let _ = Stdout.write_fmt(args);
}

fn note_stdout_error(e: &std::io::Error) {
    STDOUT_CLOSED.store(true, Ordering::Relaxed);
    if e.kind() != std::io::ErrorKind::BrokenPipe {
        let mut slot = STDOUT_ERROR.lock().unwrap_or_else(|p| p.into_inner());
        slot.get_or_insert_with(|| e.to_string());
    }
}

/// Why a report could not be printed: stdout failed, the report could not
/// be encoded, or a `--jq` filter failed on the answer. Unclassified, so a
/// failure (exit 1) each, as jq's own runtime errors are.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("cannot write to standard output: {0}")]
    Stdout(String),
    #[error("cannot encode the report: {0}")]
    Encode(String),
    #[error("{0}")]
    Filter(String),
}

/// Flush stdout and turn a real write failure into an error (a closed pipe
/// is not one).
pub(crate) fn finish_stdout() -> Result<(), OutputError> {
    let _ = Stdout.flush();
    let slot = STDOUT_ERROR.lock().unwrap_or_else(|p| p.into_inner());
    match slot.as_deref() {
        Some(e) => Err(OutputError::Stdout(e.to_string())),
        None => Ok(()),
    }
}

/// `print!` that survives a closed pipe: see `write_stdout`.
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => { $crate::output::write_stdout(format_args!($($arg)*)) };
}

/// `println!` that survives a closed pipe: see `write_stdout`.
#[macro_export]
macro_rules! outln {
    () => { $crate::output::write_stdout(format_args!("\n")) };
    ($($arg:tt)*) => {
        $crate::output::write_stdout(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// Run a compiled filter over a raw answer onto stdout; a runtime error in
/// the filter is a failure (1), as with jq.
pub(crate) fn print_jq(
    jq: &crate::jq::Jq,
    opts: crate::jq::JqOutput,
    body: &[u8],
) -> Result<(), OutputError> {
    let mut out = std::io::BufWriter::new(Stdout);
    jq.run(body, opts, &mut out)
        .map_err(|e| OutputError::Filter(e.to_string()))?;
    std::io::Write::flush(&mut out).map_err(|e| OutputError::Stdout(e.to_string()))
}
