//! doctor's report as a table per target, then the root cause.

use std::fmt::Write;

use super::table::{Tone, cell, fit, new_table, status_cell, wrap};
use crate::doctor::{CheckVerdict, Diagnosis};

/// The checks of each target in order, then the verdict line.
pub fn table(targets: &[Diagnosis], color: bool) -> String {
    let mut out = String::new();
    for d in targets {
        let _ = writeln!(out, "{}", crate::text::terminal_safe(&d.target));
        let mut table = new_table(&["CHECK", "RESULT", "EVIDENCE", "FIX"], color);
        for s in &d.checks {
            let (word, tone) = match s.status {
                CheckVerdict::Pass => ("pass", Tone::Good),
                CheckVerdict::Warn => ("warn", Tone::Warn),
                CheckVerdict::Fail => ("fail", Tone::Bad),
                CheckVerdict::Skip => ("skip", Tone::Plain),
            };
            table.add_row(vec![
                cell(s.name),
                status_cell(word, tone, color),
                cell(&s.evidence),
                cell(&s.fix),
            ]);
        }
        let _ = writeln!(out, "{}", fit(table, &[]));
        match &d.root_cause {
            Some(cause) => {
                let line = format!("root cause: {}", crate::text::terminal_safe(cause));
                let _ = writeln!(out, "{}\n", wrap(&line, 2));
            }
            None => {
                let _ = writeln!(out, "healthy\n");
            }
        }
    }
    out
}
