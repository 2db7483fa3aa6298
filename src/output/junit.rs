//! JUnit XML, the one writer for every report CI systems read (test-pull,
//! check-targets, smoke): suites of cases that pass, fail or are skipped
//! with a reason. A pure function; text is escaped for XML 1.0.

use std::fmt::Write;

use super::xml_escape;

pub struct Suite {
    pub name: String,
    pub cases: Vec<Case>,
}

pub struct Case {
    /// JUnit's classname: what kind of thing was checked.
    pub class: String,
    pub name: String,
    pub seconds: f64,
    pub status: CaseStatus,
}

pub enum CaseStatus {
    Pass,
    /// The failure messages; the first is the summary.
    Fail(Vec<String>),
    /// Why the case could not run (never reported as passed).
    Skip(String),
}

pub fn render(suites: &[Suite]) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
    for suite in suites {
        let failures = suite
            .cases
            .iter()
            .filter(|c| matches!(c.status, CaseStatus::Fail(_)))
            .count();
        let skipped = suite
            .cases
            .iter()
            .filter(|c| matches!(c.status, CaseStatus::Skip(_)))
            .count();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" skipped=\"{skipped}\">",
            xml_escape(&suite.name),
            suite.cases.len()
        );
        for case in &suite.cases {
            let open = format!(
                "    <testcase classname=\"{}\" name=\"{}\" time=\"{:.3}\"",
                xml_escape(&case.class),
                xml_escape(&case.name),
                case.seconds
            );
            let _ = match &case.status {
                CaseStatus::Pass => writeln!(out, "{open}/>"),
                CaseStatus::Skip(why) => writeln!(
                    out,
                    "{open}><skipped message=\"{}\"/></testcase>",
                    xml_escape(why)
                ),
                CaseStatus::Fail(messages) => writeln!(
                    out,
                    "{open}><failure message=\"{}\">{}</failure></testcase>",
                    xml_escape(messages.first().map_or("failed", String::as_str)),
                    xml_escape(&messages.join("\n"))
                ),
            };
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// check-targets' verdicts as a suite: one case per matched target (up or
/// not), one per `--expect`, and one for each problem not about a target
/// (e.g. nothing matched).
pub fn targets_suite(name: &str, report: &crate::promapi::health::TargetReport) -> Suite {
    let mut cases: Vec<Case> = report
        .targets
        .iter()
        .map(|t| Case {
            class: t.job.clone(),
            name: t.instance.clone(),
            seconds: t.last_scrape_duration_seconds,
            status: if t.health == "up" {
                CaseStatus::Pass
            } else if t.last_error.is_empty() {
                CaseStatus::Fail(vec![format!("{} (not scraped yet)", t.health)])
            } else {
                CaseStatus::Fail(vec![t.last_error.clone()])
            },
        })
        .collect();
    for e in &report.expectations {
        cases.push(Case {
            class: "expect".into(),
            name: format!("{} >= {}", e.job, e.min),
            seconds: 0.0,
            status: if e.ok {
                CaseStatus::Pass
            } else {
                CaseStatus::Fail(vec![format!("found {} active target(s)", e.found)])
            },
        });
    }
    if report.targets.is_empty() {
        cases.push(Case {
            class: "targets".into(),
            name: "matching targets".into(),
            seconds: 0.0,
            status: CaseStatus::Fail(report.problems.clone()),
        });
    }
    Suite {
        name: name.to_string(),
        cases,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suites_count_failures_and_skips() {
        let x = render(&[Suite {
            name: "config".into(),
            cases: vec![
                Case {
                    class: "stage".into(),
                    name: "a".into(),
                    seconds: 0.0,
                    status: CaseStatus::Pass,
                },
                Case {
                    class: "stage".into(),
                    name: "b <&>".into(),
                    seconds: 1.5,
                    status: CaseStatus::Fail(vec!["bad \u{1b}".into()]),
                },
                Case {
                    class: "stage".into(),
                    name: "c".into(),
                    seconds: 0.0,
                    status: CaseStatus::Skip("promtool missing".into()),
                },
            ],
        }]);
        assert!(
            x.contains("tests=\"3\" failures=\"1\" skipped=\"1\""),
            "{x}"
        );
        assert!(
            x.contains("b &lt;&amp;&gt;") && !x.contains('\u{1b}'),
            "{x}"
        );
        assert!(x.contains("<skipped message=\"promtool missing\"/>"), "{x}");
    }
}
