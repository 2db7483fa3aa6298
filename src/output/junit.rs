//! JUnit XML, the one writer for every report CI systems read (test-pull,
//! check-targets, smoke): suites of cases that pass, fail or are skipped
//! with a reason. A pure function; text is escaped for XML 1.0.

use std::fmt::Write;

use crate::text::xml_escape;

pub struct JunitSuite {
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

/// Cases of a suite by outcome, for its opening tag.
#[derive(Default)]
struct Counts {
    tests: usize,
    failures: usize,
    skipped: usize,
}

impl Counts {
    fn add(&mut self, case: &Case) {
        self.tests += 1;
        match case.status {
            CaseStatus::Fail(_) => self.failures += 1,
            CaseStatus::Skip(_) => self.skipped += 1,
            CaseStatus::Pass => {}
        }
    }
}

const HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n";
const TAIL: &str = "</testsuites>\n";

fn suite_open(name: &str, c: &Counts) -> String {
    format!(
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" skipped=\"{}\">\n",
        xml_escape(name),
        c.tests,
        c.failures,
        c.skipped
    )
}

fn case_text(case: &Case, out: &mut String) {
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

pub(crate) fn render(suites: &[JunitSuite]) -> String {
    let mut out = String::from(HEAD);
    for suite in suites {
        let mut counts = Counts::default();
        suite.cases.iter().for_each(|c| counts.add(c));
        out.push_str(&suite_open(&suite.name, &counts));
        for case in &suite.cases {
            case_text(case, &mut out);
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str(TAIL);
    out
}

/// One suite onto stdout, case by case: `cases` is run twice (to count for
/// the opening tag, then to write), so the cases are never all in memory.
pub(crate) fn print_streamed<I: Iterator<Item = Case>>(name: &str, cases: impl Fn() -> I) {
    let mut counts = Counts::default();
    cases().for_each(|c| counts.add(&c));
    crate::out!("{HEAD}{}", suite_open(name, &counts));
    let mut text = String::new();
    for case in cases() {
        text.clear();
        case_text(&case, &mut text);
        crate::out!("{text}");
    }
    crate::out!("  </testsuite>\n{TAIL}");
}

/// check-targets' verdicts as a suite: one case per matched target (up or
/// not), one per `--expect`, and one for each problem not about a target
/// (e.g. nothing matched).
pub(crate) fn targets_suite(
    name: &str,
    report: &crate::targets::health::TargetReport,
) -> JunitSuite {
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
    JunitSuite {
        name: name.to_string(),
        cases,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suites_count_failures_and_skips() {
        let x = render(&[JunitSuite {
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
