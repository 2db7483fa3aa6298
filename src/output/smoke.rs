//! smoke's outcome: a summary line per stage, and one JUnit suite per stage.

use crate::output::junit::{Case, CaseStatus, JunitSuite, targets_suite};
use crate::output::table::{Tone, cell, fit, new_table, status_cell};
use crate::smoke::{SmokeOutcome, Stage, StageStatus};

/// One JUnit suite per stage; a check that could not run is a failure that
/// says how to skip the stage on purpose.
pub(crate) fn suites(stages: &[Stage]) -> Vec<JunitSuite> {
    stages.iter().map(suite).collect()
}

fn suite(stage: &Stage) -> JunitSuite {
    let name = stage.name;
    let cases = match &stage.outcome {
        SmokeOutcome::Skipped => vec![Case {
            class: name.into(),
            name: name.into(),
            seconds: 0.0,
            status: CaseStatus::Skip(format!("--skip {name}")),
        }],
        SmokeOutcome::Checks(checks) => checks
            .iter()
            .map(|c| Case {
                class: name.into(),
                name: c.name.clone(),
                seconds: c.seconds,
                status: match &c.status {
                    StageStatus::Pass => CaseStatus::Pass,
                    StageStatus::Fail(messages) => CaseStatus::Fail(messages.clone()),
                    StageStatus::CannotRun(why) => CaseStatus::Fail(vec![format!(
                        "cannot run: {why} (pass --skip {name} to skip this stage on purpose)"
                    )]),
                },
            })
            .collect(),
        // A check not run after an earlier failure is a failure here too:
        // smoke never reports a skip nobody asked for.
        SmokeOutcome::Pull(report) => {
            let mut suite = crate::output::pull::suite(name, report);
            for case in &mut suite.cases {
                if let CaseStatus::Skip(why) = &case.status {
                    case.status = CaseStatus::Fail(vec![why.clone()]);
                }
            }
            return suite;
        }
        SmokeOutcome::Targets(report) => return targets_suite(name, report),
    };
    JunitSuite {
        name: name.to_string(),
        cases,
    }
}

/// One line per stage: pass, fail (with the first failure) or skipped.
pub fn summary(suites: &[JunitSuite], color: bool) -> String {
    let mut table = new_table(&["STAGE", "RESULT", "DETAIL"], color);
    for s in suites {
        let failures: Vec<(&Case, &Vec<String>)> = s
            .cases
            .iter()
            .filter_map(|c| match &c.status {
                CaseStatus::Fail(messages) => Some((c, messages)),
                _ => None,
            })
            .collect();
        let all_skipped = s
            .cases
            .iter()
            .all(|c| matches!(c.status, CaseStatus::Skip(_)));
        let (word, detail) = if let Some((first, messages)) = failures.first() {
            (
                "fail",
                format!(
                    "{} of {} failed; {}: {}",
                    failures.len(),
                    s.cases.len(),
                    first.name,
                    messages.first().map_or("", String::as_str)
                ),
            )
        } else if all_skipped {
            let why = match s.cases.first().map(|c| &c.status) {
                Some(CaseStatus::Skip(why)) => why.clone(),
                _ => String::new(),
            };
            ("skipped", why)
        } else {
            ("pass", format!("{} checks passed", s.cases.len()))
        };
        let tone = match word {
            "pass" => Tone::Good,
            "skipped" => Tone::Warn,
            _ => Tone::Bad,
        };
        table.add_row(vec![
            cell(&s.name),
            status_cell(word, tone, color),
            cell(detail),
        ]);
    }
    format!("{}\n", fit(table, &[]))
}
