//! A `promtool test rules` suite for the generated rules: for every alert,
//! synthetic series that must fire it and healthy series that must not.
//!
//! The expected labels and annotations are not copied from the template: they
//! are read from the rendered rules, and each annotation's Go template is
//! expanded here for the synthetic alert (`$labels.NAME`, `$value`, and the
//! `humanize*`/`printf` functions the rules use), so the suite proves the
//! text an operator will read.

use std::collections::BTreeMap;

use serde::Serialize;

mod gotemplate;
mod scenarios;

/// What [`rules_and_tests`] makes the rules with.
pub(crate) use crate::rules::RuleOptions;
pub(crate) use gotemplate::expand;

use crate::catalogue::{Catalogue, ServiceRole};
use crate::rules::AlertParams;
use crate::values::{PromDuration, promql_string};
use scenarios::{Deployment, Series, constant, scenarios};

/// One alerting rule as rendered: what the suite needs to predict its alert.
#[derive(Debug, Clone)]
pub(crate) struct AlertRule {
    pub name: String,
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
}

/// Why rule tests cannot be built: rules that do not parse, a template that does not expand.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub(crate) enum RuleTestError {
    #[error("{0}")]
    Rules(String),
    #[error("{0}")]
    Template(String),
    #[error("{0}")]
    Scenario(String),
    #[error(transparent)]
    Generate(#[from] crate::rules::RulesError),
}

message_into_string!(RuleTestError);

impl crate::error::Classify for RuleTestError {
    /// The rules and their tests come from what the user gave: the
    /// inventory, its overrides and flags, and --templates.
    fn kind(&self) -> crate::error::Kind {
        crate::error::Kind::Usage
    }
}

/// The names of a rules file and of the promtool unit tests beside it.
pub(crate) struct TestFiles<'a> {
    /// The rules file's name, as the tests refer to it.
    pub rules: &'a str,
    /// The tests file's name.
    pub tests: &'a str,
}

/// Alerting rules and, when `files` names them, their unit tests.
pub(crate) struct RulesAndTests {
    pub rules: String,
    pub tests: Option<String>,
}

/// gen-rules' file for the inventory (see `rules::generate`) and, with
/// `files`, the promtool unit tests of every alert in it.
pub(crate) fn rules_and_tests(
    inv: &crate::inventory::Inventory,
    overrides: &crate::rules::Overrides,
    options: &crate::rules::RuleOptions,
    files: Option<TestFiles>,
) -> Result<RulesAndTests, RuleTestError> {
    let generated = crate::rules::generate(inv, overrides, options)?;
    let tests = files
        .map(|f| {
            suite_text(f.rules, f.tests, &generated.text, &generated.params, inv)
                .map_err(|e| RuleTestError::Scenario(format!("rule tests: {e}")))
        })
        .transpose()?;
    Ok(RulesAndTests {
        rules: generated.text,
        tests,
    })
}

/// The alerting rules of a rendered rules file, in file order.
pub(crate) fn alert_rules(rules_yaml: &str) -> Result<Vec<AlertRule>, RuleTestError> {
    alert_rules_text(rules_yaml).map_err(RuleTestError::Rules)
}

fn alert_rules_text(rules_yaml: &str) -> Result<Vec<AlertRule>, String> {
    #[derive(serde::Deserialize)]
    struct File {
        groups: Vec<Group>,
    }
    #[derive(serde::Deserialize)]
    struct Group {
        rules: Vec<Rule>,
    }
    #[derive(serde::Deserialize)]
    struct Rule {
        alert: Option<String>,
        #[serde(default)]
        labels: BTreeMap<String, String>,
        #[serde(default)]
        annotations: BTreeMap<String, String>,
    }
    let file: File = crate::yaml::from_str(rules_yaml)?;
    Ok(file
        .groups
        .into_iter()
        .flat_map(|g| g.rules)
        .filter_map(|r| {
            Some(AlertRule {
                name: r.alert?,
                labels: r.labels,
                annotations: r.annotations,
            })
        })
        .collect())
}

/// The test file, as `promtool test rules` reads it.
#[derive(Debug, Serialize)]
pub(crate) struct RuleTestSuite {
    rule_files: Vec<String>,
    evaluation_interval: String,
    tests: Vec<TestGroup>,
}

#[derive(Debug, Serialize)]
struct TestGroup {
    name: String,
    interval: String,
    input_series: Vec<InputSeries>,
    alert_rule_test: Vec<AlertTest>,
}

#[derive(Debug, Serialize)]
struct InputSeries {
    series: String,
    values: String,
}

#[derive(Debug, Serialize)]
struct AlertTest {
    eval_time: String,
    alertname: String,
    exp_alerts: Vec<ExpAlert>,
}

#[derive(Debug, Serialize)]
struct ExpAlert {
    exp_labels: BTreeMap<String, String>,
    exp_annotations: BTreeMap<String, String>,
}

/// What the suite knows of the deployment: job names and the catalogue's
/// histogram buckets.
fn series_text(s: &Series) -> String {
    let labels: Vec<String> = s
        .labels
        .iter()
        .map(|(k, v)| format!("{k}={}", promql_string(v)))
        .collect();
    format!("{}{{{}}}", s.name, labels.join(", "))
}

/// The suite for `rules_yaml` (written to `rules_file`, the name the suite
/// refers to it by), with the parameters it was rendered with.
fn build(
    rules_file: &str,
    rules_yaml: &str,
    params: &BTreeMap<String, AlertParams>,
    dep: &Deployment,
) -> Result<RuleTestSuite, String> {
    let rules = alert_rules(rules_yaml)?;
    let job_of: BTreeMap<String, String> = [
        (
            ServiceRole::Logger.name().to_string(),
            dep.logger_job.to_string(),
        ),
        (
            ServiceRole::Server.name().to_string(),
            dep.server_job.to_string(),
        ),
    ]
    .into();
    let mut tests = Vec::new();
    // Alerts with several rules (one per job) are tested once, expecting
    // every rule's alert.
    let mut names: Vec<&str> = rules.iter().map(|r| r.name.as_str()).collect();
    names.dedup();
    for name in names {
        let same: Vec<&AlertRule> = rules.iter().filter(|r| r.name == name).collect();
        let p = params
            .get(name)
            .ok_or_else(|| format!("no parameters for alert {name}"))?;
        let mut fire_series = Vec::new();
        let mut healthy_series = Vec::new();
        let mut expected = Vec::new();
        let mut minutes = 0;
        for rule in &same {
            let (fire, healthy, m) = scenarios(rule, p, dep, &job_of)?;
            minutes = m;
            for alert_labels in &fire.alerts {
                let mut exp_labels = rule.labels.clone();
                exp_labels.extend(alert_labels.clone());
                let exp_annotations = rule
                    .annotations
                    .iter()
                    .map(|(k, text)| {
                        expand(text, alert_labels, fire.value)
                            .map(|v| (k.clone(), v))
                            .map_err(|e| format!("{name}: annotation {k}: {e}"))
                    })
                    .collect::<Result<_, _>>()?;
                expected.push(ExpAlert {
                    exp_labels,
                    exp_annotations,
                });
            }
            fire_series.extend(fire.series);
            if same.len() == 1 || healthy_series.is_empty() {
                healthy_series = healthy.series;
            }
        }
        // MetricsJobAbsent: healthy means every job has a target.
        if same.len() > 1 {
            healthy_series = job_of
                .values()
                .map(|job| Series {
                    name: "up",
                    labels: vec![("job", job.clone()), ("instance", "x:1".into())],
                    values: constant(1.0, minutes),
                })
                .collect();
            fire_series.truncate(1);
        }
        let eval_time = PromDuration::from_secs(minutes * 60).to_string();
        for (kind, series, exp_alerts) in [
            ("fires", fire_series, expected),
            ("stays quiet on healthy input", healthy_series, vec![]),
        ] {
            tests.push(TestGroup {
                name: format!("{name} {kind}"),
                interval: "1m".into(),
                input_series: series
                    .iter()
                    .map(|s| InputSeries {
                        series: series_text(s),
                        values: s.values.clone(),
                    })
                    .collect(),
                alert_rule_test: vec![AlertTest {
                    eval_time: eval_time.clone(),
                    alertname: name.to_string(),
                    exp_alerts,
                }],
            });
        }
    }
    Ok(RuleTestSuite {
        rule_files: vec![rules_file.to_string()],
        evaluation_interval: "1m".into(),
        tests,
    })
}

/// The suite as the file `tests_name` beside `rules_name`, for the
/// inventory's jobs and the embedded catalogue.
pub(crate) fn suite_text(
    rules_name: &str,
    tests_name: &str,
    rules_yaml: &str,
    params: &BTreeMap<String, AlertParams>,
    inv: &crate::inventory::Inventory,
) -> Result<String, RuleTestError> {
    suite_text_text(rules_name, tests_name, rules_yaml, params, inv)
        .map_err(RuleTestError::Scenario)
}

fn suite_text_text(
    rules_name: &str,
    tests_name: &str,
    rules_yaml: &str,
    params: &BTreeMap<String, AlertParams>,
    inv: &crate::inventory::Inventory,
) -> Result<String, String> {
    let catalogue = Catalogue::embedded()?;
    let deployment = Deployment {
        logger_job: &inv.service(ServiceRole::Logger).job.value,
        server_job: &inv.service(ServiceRole::Server).job.value,
        catalogue: &catalogue,
    };
    let suite = build(rules_name, rules_yaml, params, &deployment)?;
    Ok(format!(
        "# promtool test rules {tests_name}: every alert of {rules_name} fires on synthetic input and\n# stays quiet on healthy input. Generated by gpucharts-mon gen-rules --tests.\n{}",
        crate::yaml::to_string(&suite)?
    ))
}
