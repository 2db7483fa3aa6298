//! relabel's table: a row per discovered target (kept with its scrape URL,
//! or the rule that dropped it), then the trace of every rule.

use crate::output::table::{Tone, cell, fit, new_table, status_cell};
use crate::promconfig::explain::RelabelReport;
use crate::promconfig::model::RelabelConfig;
use crate::promconfig::relabel::{LabelSet, describe};

pub fn table(report: &RelabelReport, rules: &[RelabelConfig], color: bool) -> String {
    let show = |l: &LabelSet| {
        l.iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let mut t = new_table(
        &["TARGET", "RESULT", "DROPPED BY / SCRAPE URL", "LABELS"],
        color,
    );
    for r in &report.targets {
        let name = r.discovered.get("__address__").cloned().unwrap_or_default();
        let (word, why) = match (r.kept, r.dropped_by, &r.error) {
            (true, _, _) => ("kept", r.scrape_url.clone().unwrap_or_default()),
            (false, Some(i), _) => ("dropped", format!("rule {i}: {}", describe(&rules[i]))),
            (false, None, Some(e)) => ("invalid", e.clone()),
            (false, None, None) => ("dropped", String::new()),
        };
        t.add_row(vec![
            cell(name),
            if r.kept {
                status_cell("ok", Tone::Good, color)
            } else {
                status_cell("fail", Tone::Warn, color)
            },
            cell(format!("{word}: {why}")),
            cell(show(&r.labels)),
        ]);
    }
    let mut out = format!("{}\n", fit(t, &[]));
    for (i, r) in report.targets.iter().enumerate() {
        for (step, labels) in r.steps.iter().enumerate() {
            let title = if step == 0 {
                "before the rules".to_string()
            } else {
                format!("after rule {}: {}", step - 1, describe(&rules[step - 1]))
            };
            out.push_str(&format!(
                "target {i}, {title}:\n  {}\n",
                show(labels).replace('\n', " ")
            ));
        }
    }
    out.push_str(&format!(
        "job {}: {} of {} target(s) kept\n",
        report.job,
        report.kept,
        report.targets.len()
    ));
    out
}
