//! migrate's report: each step with its status, evidence and next
//! command; the pushed groups; the DELETE requests.

use crate::migrate::{GroupVerdict, Report, StepStatus};

/// The report as lines that fit a terminal: a step per paragraph.
pub fn text(report: &Report, color: bool) -> String {
    let mut out = String::new();
    for (n, step) in report.steps.iter().enumerate() {
        let status = paint(step.status, color);
        out.push_str(&format!("{}. {}: {status}\n", n + 1, step.step));
        for e in &step.evidence {
            out.push_str(&format!("   {}\n", crate::text::terminal_safe(e)));
        }
        if let Some(next) = &step.next {
            out.push_str(&format!("   next: {next}\n"));
        }
    }
    let verbs = if report.dry_run { "would send" } else { "sent" };
    for d in &report.deletes {
        out.push_str(&format!("{verbs}: {d}\n"));
    }
    let groups = report.groups.len();
    let ours = report
        .groups
        .iter()
        .filter(|g| g.verdict != GroupVerdict::OtherJob)
        .count();
    out.push_str(&format!(
        "{groups} pushed group(s), {ours} of GPU Charts; {}\n",
        if report.ready {
            "the Pushgateway can be decommissioned"
        } else {
            "the Pushgateway is still needed"
        }
    ));
    out
}

/// The status word, green, yellow or red when colour is on.
fn paint(s: StepStatus, color: bool) -> String {
    let code = match s {
        StepStatus::Done => 32,
        StepStatus::NotYet => 33,
        StepStatus::Blocked => 31,
    };
    if color {
        format!("\x1b[{code}m{}\x1b[0m", s.name())
    } else {
        s.name().to_string()
    }
}
