//! `gpucharts-mon smoke`: the CI step in one command. Stages in order —
//! the config (own checks and promtool), the rule files (promtool), every
//! inventory endpoint (test-pull), and the targets through Prometheus
//! (check-targets --wait with an --expect per job) — each a JUnit suite. A
//! stage that cannot run is skipped with the reason, never passed.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use crate::Ctx;
use crate::catalogue::ServiceRole;
use crate::cli::SmokeArgs;
use crate::context::{
    inventory_endpoints, prometheus_client_at, scrape_inventory, service_addresses,
};
use crate::error;
use crate::inventory::Inventory;
use crate::output::junit::{Case, CaseStatus, Suite, render, targets_suite};
use crate::output::table::{cell, new_table, status_cell};
use crate::probe::fetch::FetchOptions;
use crate::probe::pull::{MAX_REDIRECTS, default_options, run_checks};
use crate::promapi::health::{Criteria, Expectation, wait_for_targets};
use crate::promconfig::validate;
use crate::promtool::{self, Verdict};
use crate::values::anchored_regex;

pub async fn run(args: &SmokeArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let inv = scrape_inventory(&ctx.inventory, &args.security, &[])?;
    let config_file = args
        .config_file
        .clone()
        .or_else(|| inv.prometheus.config_file.clone());
    let skip = |stage: &str| args.skip.iter().any(|s| s == stage);
    let (config_suite, rule_files) = config_stage(config_file.as_deref(), &args.rule_files);
    let mut suites = vec![config_suite, rules_stage(&rule_files)];
    suites.push(if skip("test-pull") {
        skipped("test-pull")
    } else {
        pull_stage(&inv, args).await?
    });
    suites.push(if skip("targets") {
        skipped("targets")
    } else {
        targets_stage(&inv, args).await?
    });
    for s in &mut suites {
        if skip(&s.name) {
            *s = skipped(&s.name);
        } else {
            fail_unrun(s);
        }
    }
    crate::out!("{}", summary(&suites, ctx.color));
    if let Some(file) = &args.junit {
        crate::output::files::write_file(file, render(&suites).as_bytes(), true)?;
        eprintln!("wrote {}", file.display());
    }
    let failed = suites
        .iter()
        .flat_map(|s| &s.cases)
        .any(|c| matches!(c.status, CaseStatus::Fail(_)));
    Ok(if failed {
        ExitCode::from(error::Kind::Failed.code())
    } else {
        ExitCode::SUCCESS
    })
}

fn case(class: &str, name: impl Into<String>, started: Instant, status: CaseStatus) -> Case {
    Case {
        class: class.to_string(),
        name: name.into(),
        seconds: started.elapsed().as_secs_f64(),
        status,
    }
}

fn promtool_status(verdict: std::io::Result<Verdict>) -> CaseStatus {
    match verdict {
        Ok(Verdict::Passed(_)) => CaseStatus::Pass,
        Ok(Verdict::Rejected(out)) => CaseStatus::Fail(vec![out.trim().replace('\n', " | ")]),
        Ok(Verdict::Missing) => CaseStatus::Skip("promtool is not installed".into()),
        Err(e) => CaseStatus::Fail(vec![format!("cannot run promtool: {e}")]),
    }
}

/// The config: readable, our checks, promtool. Also the rule files it
/// names (relative to its directory), when none were given.
fn config_stage(file: Option<&Path>, given_rules: &[PathBuf]) -> (Suite, Vec<PathBuf>) {
    let mut cases = Vec::new();
    let mut rules = given_rules.to_vec();
    let Some(file) = file else {
        cases.push(Case {
            class: "config".into(),
            name: "prometheus.yml".into(),
            seconds: 0.0,
            status: CaseStatus::Skip(
                "no config file: give --config-file or prometheus.config_file in the inventory"
                    .into(),
            ),
        });
        return (suite("config", cases), rules);
    };
    let started = Instant::now();
    let name = file.display().to_string();
    match crate::input::read_text(crate::input::Purpose::Config, file) {
        Err(e) => cases.push(case(
            "config",
            format!("{name} checks"),
            started,
            CaseStatus::Fail(vec![format!("cannot read it: {e}")]),
        )),
        Ok(text) => match validate::check_config_text(&text) {
            Err(why) => cases.push(case(
                "config",
                format!("{name} checks"),
                started,
                CaseStatus::Fail(vec![why]),
            )),
            Ok(config) => {
                cases.push(case(
                    "config",
                    format!("{name} checks"),
                    started,
                    CaseStatus::Pass,
                ));
                if rules.is_empty() {
                    let dir = file.parent().unwrap_or(Path::new("."));
                    rules = config.rule_files.iter().map(|r| dir.join(r)).collect();
                }
                let started = Instant::now();
                cases.push(case(
                    "config",
                    format!("{name} promtool"),
                    started,
                    promtool_status(promtool::check("config", file)),
                ));
            }
        },
    }
    (suite("config", cases), rules)
}

fn rules_stage(files: &[PathBuf]) -> Suite {
    if files.is_empty() {
        return suite(
            "rules",
            vec![Case {
                class: "rules".into(),
                name: "rule files".into(),
                seconds: 0.0,
                status: CaseStatus::Skip(
                    "no rule files (--rule-file or the config's rule_files)".into(),
                ),
            }],
        );
    }
    let cases = files
        .iter()
        .map(|f| {
            let started = Instant::now();
            case(
                "rules",
                f.display().to_string(),
                started,
                promtool_status(promtool::check("rules", f)),
            )
        })
        .collect();
    suite("rules", cases)
}

/// test-pull on the inventory's endpoints.
async fn pull_stage(inv: &Inventory, args: &SmokeArgs) -> anyhow::Result<Suite> {
    let endpoints = inventory_endpoints(inv)?;
    let options = crate::probe::CheckOptions {
        fetch: FetchOptions {
            timeout: args.timeout.as_std(),
            max_body: 64 << 20,
            max_redirects: MAX_REDIRECTS,
            follow_redirects: true,
        },
        ..default_options()
    };
    let bar = crate::output::endpoints_bar(endpoints.len(), options.count);
    let report = run_checks(endpoints, options, 16, None, bar).await;
    Ok(crate::output::pull::suite("test-pull", &report))
}

/// check-targets --wait through Prometheus, expecting every configured job
/// with as many active targets as the inventory lists.
async fn targets_stage(inv: &Inventory, args: &SmokeArgs) -> anyhow::Result<Suite> {
    let url = args
        .prometheus
        .clone()
        .or_else(|| inv.prometheus.url.as_ref().map(|u| u.value.clone()));
    let Some(url) = url else {
        return Ok(suite(
            "targets",
            vec![Case {
                class: "targets".into(),
                name: "Prometheus targets".into(),
                seconds: 0.0,
                status: CaseStatus::Skip(
                    "no Prometheus: give --prometheus, PROMETHEUS_URL or prometheus.url".into(),
                ),
            }],
        ));
    };
    let prom = prometheus_client_at(
        &url,
        &args.prometheus_auth,
        inv,
        crate::promapi::REQUEST_TIMEOUT,
    )?;
    let job = anchored_regex(&inv.job_regex()).map_err(error::usage)?;
    let expects: Vec<Expectation> = ServiceRole::ALL
        .into_iter()
        .map(|r| Expectation {
            job: inv.service(r).job.value.clone(),
            min: service_addresses(inv, r).len().max(1),
        })
        .collect();
    let criteria = Criteria {
        job: &job,
        expects: &expects,
        dropped: false,
    };
    let started = Instant::now();
    Ok(
        match wait_for_targets(&prom, &criteria, Some(args.wait.as_std())).await {
            Ok(report) => targets_suite("targets", &report),
            Err(e) => suite(
                "targets",
                vec![case(
                    "targets",
                    "Prometheus targets",
                    started,
                    CaseStatus::Fail(vec![e.to_string()]),
                )],
            ),
        },
    )
}

/// A stage skipped with `--skip`.
fn skipped(stage: &str) -> Suite {
    suite(
        stage,
        vec![Case {
            class: stage.into(),
            name: stage.into(),
            seconds: 0.0,
            status: CaseStatus::Skip(format!("--skip {stage}")),
        }],
    )
}

/// A case that could not run is a failure (a silent hole in a CI step)
/// unless its stage was skipped on purpose.
fn fail_unrun(s: &mut Suite) {
    let stage = s.name.clone();
    for c in &mut s.cases {
        if let CaseStatus::Skip(why) = &c.status {
            c.status = CaseStatus::Fail(vec![format!(
                "cannot run: {why} (pass --skip {stage} to skip this stage on purpose)"
            )]);
        }
    }
}

fn suite(name: &str, cases: Vec<Case>) -> Suite {
    Suite {
        name: name.to_string(),
        cases,
    }
}

/// One line per stage: pass, fail (with the first failure) or skipped.
fn summary(suites: &[Suite], color: bool) -> String {
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
        table.add_row(vec![cell(&s.name), status_cell(word, color), cell(detail)]);
    }
    format!("{table}\n")
}
