//! The one place where failures become exit codes and stderr lines.
//!
//! Exit codes (the same for every subcommand, listed in docs/reference.md):
//! 0 success, 1 a check ran and failed, 2 usage or bad input, 3 a required
//! service could not be reached or did not answer like itself.

use std::fmt;
use std::process::ExitCode;

/// What kind of failure an error is; decides the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A check ran and something failed (exit 1).
    Failed,
    /// Bad flags, files or values (exit 2).
    Usage,
    /// A required service was unreachable or answered nonsense (exit 3).
    Unreachable,
}

impl Kind {
    pub fn code(self) -> u8 {
        match self {
            Kind::Failed => 1,
            Kind::Usage => 2,
            Kind::Unreachable => 3,
        }
    }
}

/// An error that knows its exit code and, where one exists, a hint.
#[derive(Debug)]
pub(crate) struct Classified {
    pub kind: Kind,
    pub message: String,
    pub hint: Option<String>,
}

impl fmt::Display for Classified {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Classified {}

/// A domain error that knows what kind of failure it is: every domain
/// module's error enum implements it, and [`domain`] is the one place it
/// becomes an exit code.
pub trait Classify: std::error::Error {
    fn kind(&self) -> Kind;
    fn hint(&self) -> Option<String> {
        None
    }
}

/// A domain error as the command layer's error, keeping its kind and hint.
pub fn domain<E: Classify>(err: E) -> anyhow::Error {
    classified(err.kind(), err.to_string(), err.hint())
}

/// A usage / bad-input error (exit 2).
pub fn usage(message: impl Into<String>) -> anyhow::Error {
    classified(Kind::Usage, message, None)
}

/// A failed check (exit 1).
pub fn failed(message: impl Into<String>) -> anyhow::Error {
    classified(Kind::Failed, message, None)
}

/// An unreachable or misbehaving service (exit 3).
pub fn unreachable(message: impl Into<String>) -> anyhow::Error {
    classified(Kind::Unreachable, message, None)
}

pub(crate) fn classified(
    kind: Kind,
    message: impl Into<String>,
    hint: Option<String>,
) -> anyhow::Error {
    anyhow::Error::new(Classified {
        kind,
        message: message.into(),
        hint,
    })
}

/// Attach a hint to a classified error (no-op on others).
pub fn with_hint(err: anyhow::Error, hint: impl Into<String>) -> anyhow::Error {
    match err.downcast::<Classified>() {
        Ok(mut c) => {
            c.hint = Some(hint.into());
            anyhow::Error::new(c)
        }
        Err(other) => other,
    }
}

/// The exit code an error maps to: the first classified error in the chain
/// decides; anything unclassified (I/O on our own files, ...) is a failure.
pub(crate) fn exit_code(err: &anyhow::Error) -> u8 {
    err.chain()
        .find_map(|e| e.downcast_ref::<Classified>())
        .map_or(Kind::Failed.code(), |c| c.kind.code())
}

/// Print `gpucharts-mon: error: what: cause: cause` on one line, then the hint.
pub fn report(err: &anyhow::Error) -> ExitCode {
    let chain: Vec<String> = err.chain().map(|e| e.to_string()).collect();
    // Errors quote peers (HTTP bodies, API errors): never raw to a terminal.
    eprintln!(
        "gpucharts-mon: error: {}",
        crate::text::terminal_safe(&chain.join(": "))
    );
    if let Some(hint) = err
        .chain()
        .find_map(|e| e.downcast_ref::<Classified>())
        .and_then(|c| c.hint.as_deref())
    {
        eprintln!("hint: {}", crate::text::terminal_safe(hint));
    }
    ExitCode::from(exit_code(err))
}

/// A failed check on stderr (the command still prints its report and
/// exits 1); peer text in it is escaped like every error.
pub(crate) fn check_failed(message: impl fmt::Display) {
    eprintln!(
        "gpucharts-mon: check failed: {}",
        crate::text::terminal_safe(&message.to_string())
    );
}

/// A warning line on stderr, in the same voice as errors.
pub fn warn(message: impl fmt::Display) {
    eprintln!(
        "gpucharts-mon: warning: {}",
        crate::text::terminal_safe(&message.to_string())
    );
}

/// A note on stderr: where a value came from, what was assumed.
pub(crate) fn note(message: impl fmt::Display) {
    eprintln!(
        "gpucharts-mon: note: {}",
        crate::text::terminal_safe(&message.to_string())
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    #[test]
    fn classified_error_decides_code_through_context() {
        let err = Err::<(), _>(usage("bad port"))
            .context("reading flags")
            .unwrap_err();
        assert_eq!(exit_code(&err), 2);
        assert_eq!(exit_code(&anyhow::anyhow!("plain")), 1);
        assert_eq!(exit_code(&unreachable("down")), 3);
    }

    #[test]
    fn hint_survives() {
        let err = with_hint(failed("x"), "try y");
        let c = err.downcast_ref::<Classified>().unwrap();
        assert_eq!(c.hint.as_deref(), Some("try y"));
    }
}
