//! The Prometheus major version whose behaviour a check follows. A leaf:
//! relabelling, scrape verdicts, exposition linting and config generation
//! all take it, and it depends on nothing.

/// Which Prometheus' semantics to follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromVersion {
    /// Regexes `^(?:re)$`; legacy label names only; default ports appended.
    V2,
    /// Regexes `^(?s:re)$` (`.` matches a newline); any UTF-8 label name;
    /// no default port.
    V3,
}

impl PromVersion {
    /// The semantics of a Prometheus whose version string is `version`
    /// ("2.42.0+ds", "3.5.3"); `None` for a major version the engine does
    /// not know (0, 1, 4 and later), which callers must say.
    pub(crate) fn of_release(version: &str) -> Option<Self> {
        match version.split('.').next()?.trim_start_matches('v') {
            "2" => Some(PromVersion::V2),
            "3" => Some(PromVersion::V3),
            _ => None,
        }
    }

    /// 2 or 3.
    pub const fn major(self) -> u8 {
        match self {
            PromVersion::V2 => 2,
            PromVersion::V3 => 3,
        }
    }

    /// From `--prometheus-version 2|3`.
    pub(crate) fn of_flag(major: u8) -> Self {
        if major == 2 {
            PromVersion::V2
        } else {
            PromVersion::V3
        }
    }
}
