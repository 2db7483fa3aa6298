//! smoke's stages, in order — the config (own checks and promtool), the
//! rule files (promtool), every inventory endpoint (test-pull), and the
//! targets through Prometheus (a wait with an expectation per job) — and
//! their typed outcomes. A stage that cannot run is a failure unless it was
//! skipped on purpose: a skipped check in a CI step is a silent hole.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::probe::pull::{PullReport, run_checks};
use crate::probe::{CheckOptions, Endpoint};
use crate::promapi::PromClient;
use crate::promconfig::validate;
use crate::promtool::{self, ToolVerdict};
use crate::targets::health::{Criteria, Expectation, TargetReport, wait_for_targets};

/// smoke's stages, in order.
pub(crate) const STAGES: [&str; 4] = ["config", "rules", "test-pull", "targets"];

/// What to check, resolved by the command.
pub struct SmokePlan {
    pub config_file: Option<PathBuf>,
    /// Rule files given by the user; else the config's rule_files.
    pub rule_files: Vec<PathBuf>,
    /// Stages skipped on purpose (names from [`STAGES`]).
    pub skip: Vec<String>,
    pub endpoints: Vec<Endpoint>,
    pub pull_options: CheckOptions,
    pub bar: Option<indicatif::ProgressBar>,
    /// The Prometheus to ask, when one is named.
    pub prometheus: Option<PromClient>,
    pub job: regex::Regex,
    pub expects: Vec<Expectation>,
    pub wait: Duration,
}

pub struct Stage {
    pub name: &'static str,
    pub outcome: SmokeOutcome,
}

pub enum SmokeOutcome {
    /// Skipped on purpose with `--skip`.
    Skipped,
    /// File checks (config, rules).
    Checks(Vec<Check>),
    Pull(PullReport),
    Targets(TargetReport),
}

pub struct Check {
    pub name: String,
    pub seconds: f64,
    pub status: StageStatus,
}

pub enum StageStatus {
    Pass,
    Fail(Vec<String>),
    /// It could not run (no file, promtool missing): a failure too.
    CannotRun(String),
}

impl Stage {
    pub fn failed(&self) -> bool {
        match &self.outcome {
            SmokeOutcome::Skipped => false,
            SmokeOutcome::Checks(checks) => checks
                .iter()
                .any(|c| !matches!(c.status, StageStatus::Pass)),
            SmokeOutcome::Pull(report) => !report.ok,
            SmokeOutcome::Targets(report) => !report.ok,
        }
    }
}

/// Every stage, in order.
pub async fn run(plan: SmokePlan) -> Vec<Stage> {
    let skip = |stage: &str| plan.skip.iter().any(|s| s == stage);
    let stage = |name: &'static str, outcome: SmokeOutcome| Stage {
        name,
        outcome: if skip(name) {
            SmokeOutcome::Skipped
        } else {
            outcome
        },
    };
    let (config, rule_files) = config_checks(plan.config_file.as_deref(), &plan.rule_files);
    let rules = rules_checks(&rule_files);
    let pull = if skip("test-pull") {
        SmokeOutcome::Skipped
    } else {
        SmokeOutcome::Pull(run_checks(plan.endpoints, plan.pull_options, 16, None, plan.bar).await)
    };
    let targets = match (&plan.prometheus, skip("targets")) {
        (_, true) => SmokeOutcome::Skipped,
        (None, false) => SmokeOutcome::Checks(vec![check(
            TARGETS,
            Instant::now(),
            StageStatus::CannotRun(
                "no Prometheus: give --prometheus, PROMETHEUS_URL or prometheus.url".into(),
            ),
        )]),
        (Some(prom), false) => {
            let criteria = Criteria {
                job: &plan.job,
                expects: &plan.expects,
                dropped: false,
            };
            let started = Instant::now();
            match wait_for_targets(prom, &criteria, Some(plan.wait)).await {
                Ok(report) => SmokeOutcome::Targets(report),
                Err(e) => SmokeOutcome::Checks(vec![check(
                    TARGETS,
                    started,
                    StageStatus::Fail(vec![e.to_string()]),
                )]),
            }
        }
    };
    vec![
        stage("config", SmokeOutcome::Checks(config)),
        stage("rules", SmokeOutcome::Checks(rules)),
        stage("test-pull", pull),
        stage("targets", targets),
    ]
}

const TARGETS: &str = "Prometheus targets";

fn check(name: impl Into<String>, started: Instant, status: StageStatus) -> Check {
    Check {
        name: name.into(),
        seconds: started.elapsed().as_secs_f64(),
        status,
    }
}

fn promtool_status(verdict: std::io::Result<ToolVerdict>) -> StageStatus {
    match verdict {
        Ok(ToolVerdict::Passed(_)) => StageStatus::Pass,
        Ok(ToolVerdict::Rejected(out)) => StageStatus::Fail(vec![out.trim().replace('\n', " | ")]),
        Ok(ToolVerdict::Missing) => StageStatus::CannotRun("promtool is not installed".into()),
        Err(e) => StageStatus::Fail(vec![format!("cannot run promtool: {e}")]),
    }
}

/// The config: readable, our checks, promtool. Also the rule files it
/// names (relative to its directory), when none were given.
fn config_checks(file: Option<&Path>, given_rules: &[PathBuf]) -> (Vec<Check>, Vec<PathBuf>) {
    let mut rules = given_rules.to_vec();
    let Some(file) = file else {
        let why = "no config file: give --config-file or prometheus.config_file in the inventory";
        return (
            vec![check(
                "prometheus.yml",
                Instant::now(),
                StageStatus::CannotRun(why.into()),
            )],
            rules,
        );
    };
    let started = Instant::now();
    let name = file.display().to_string();
    let config = match validate::read_config(file) {
        Err(e) => {
            let failed = check(
                format!("{name} checks"),
                started,
                StageStatus::Fail(vec![e.to_string()]),
            );
            return (vec![failed], rules);
        }
        Ok(config) => config,
    };
    let mut checks = vec![check(format!("{name} checks"), started, StageStatus::Pass)];
    if rules.is_empty() {
        let dir = file.parent().unwrap_or(Path::new("."));
        rules = config.rule_files.iter().map(|r| dir.join(r)).collect();
    }
    let started = Instant::now();
    let status = promtool_status(promtool::check("config", file));
    checks.push(check(format!("{name} promtool"), started, status));
    (checks, rules)
}

fn rules_checks(files: &[PathBuf]) -> Vec<Check> {
    if files.is_empty() {
        let why = "no rule files (--rule-file or the config's rule_files)";
        return vec![check(
            "rule files",
            Instant::now(),
            StageStatus::CannotRun(why.into()),
        )];
    }
    files
        .iter()
        .map(|f| {
            let started = Instant::now();
            let status = promtool_status(promtool::check("rules", f));
            check(f.display().to_string(), started, status)
        })
        .collect()
}
