//! `migrate --pushgateway URL`: the seed's five steps from push to pull,
//! each judged against the live system (the endpoints, the running
//! Prometheus, the Pushgateway's `/api/v1/metrics`), with its evidence and
//! the next command.
//!
//! 1. deployed: every inventory endpoint passes the test-pull checks;
//! 2. configured: the running Prometheus has the pull jobs, targets up;
//! 3. collected: each pushed GPU Charts group's families arrive by pull
//!    from the matching target (by target metadata, so series the
//!    Pushgateway job brings in under the same labels do not count);
//!    families only pushed are listed; a pushed series that is the same
//!    series as a pulled one (the Pushgateway scraped with `honor_labels`)
//!    or whose value differs from what the service serves now is named;
//! 4. push configuration removed: no scrape job of the Pushgateway left in
//!    the running config, no push-only labels in the rules it evaluates nor
//!    in the rule files and dashboards given;
//! 5. decommission: no GPU Charts group pushed within `quiet_for`, and no
//!    other job's group left.
//!
//! Pushed groups never expire; with `delete`, the GPU Charts groups whose
//! families are all collected by pull are deleted through the Pushgateway
//! API (never another job's), and their absence is confirmed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Serialize;

use crate::inventory::Inventory;
use crate::probe::pull::PullReport;
use crate::probe::security::ScrapeSecurity;
use crate::promapi::client::{ApiError, PromClient, family_key};
use crate::promapi::types::{ActiveTarget, RuleGroup};

/// The Pushgateway's own families in every group.
const PUSH_META: [&str; 2] = ["push_time_seconds", "push_failure_time_seconds"];
/// What only pushed series carry, in rules and dashboards.
const PUSH_ONLY: [&str; 3] = ["exported_job", "exported_instance", "push_time_seconds"];

/// A pushed sample: its labels and value (histograms and summaries have
/// no single value).
pub(crate) type PushedSample = (BTreeMap<String, String>, Option<f64>);

/// One pushed group, as `/api/v1/metrics` lists it.
#[derive(Debug, Clone)]
pub struct Group {
    pub labels: BTreeMap<String, String>,
    pub last_push: Option<f64>,
    /// Family name -> its samples.
    pub families: BTreeMap<String, Vec<PushedSample>>,
}

/// Groups from the Pushgateway's `/api/v1/metrics` `data`.
fn parse_groups(data: &serde_json::Value) -> Result<Vec<Group>, String> {
    let list = data
        .as_array()
        .ok_or("data is not a list of groups".to_string())?;
    let labels_of = |v: &serde_json::Value| -> BTreeMap<String, String> {
        v.as_object()
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut groups = Vec::new();
    for g in list {
        let object = g.as_object().ok_or("a group is not an object")?;
        let mut group = Group {
            labels: labels_of(&g["labels"]),
            last_push: None,
            families: BTreeMap::new(),
        };
        for (name, family) in object {
            let Some(metrics) = family.get("metrics").and_then(|m| m.as_array()) else {
                continue;
            };
            let samples: Vec<_> = metrics
                .iter()
                .map(|m| {
                    let value = m
                        .get("value")
                        .and_then(|v| v.as_str())
                        .and_then(|v| v.parse::<f64>().ok());
                    (labels_of(&m["labels"]), value)
                })
                .collect();
            if name == "push_time_seconds" {
                group.last_push = samples.first().and_then(|(_, v)| *v);
            }
            if !PUSH_META.contains(&name.as_str()) {
                group.families.insert(name.clone(), samples);
            }
        }
        groups.push(group);
    }
    Ok(groups)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepStatus {
    Done,
    NotYet,
    Blocked,
}

impl MigrateStep {
    /// A step that is done, or not yet with `next` to do.
    fn judged(step: &'static str, done: bool, evidence: Vec<String>, next: &str) -> MigrateStep {
        MigrateStep {
            step,
            status: if done {
                StepStatus::Done
            } else {
                StepStatus::NotYet
            },
            evidence,
            next: (!done).then(|| next.to_string()),
        }
    }
}

impl StepStatus {
    pub fn name(self) -> &'static str {
        match self {
            StepStatus::Done => "done",
            StepStatus::NotYet => "not yet",
            StepStatus::Blocked => "blocked",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct MigrateStep {
    pub step: &'static str,
    pub status: StepStatus,
    pub evidence: Vec<String>,
    pub next: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum GroupVerdict {
    /// Every pushed family arrives by pull.
    Collected,
    /// Some pushed families do not arrive by pull (they would be lost).
    NotCollected,
    /// Another job's group: not GPU Charts', never deleted.
    OtherJob,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupReport {
    pub labels: BTreeMap<String, String>,
    pub last_push: Option<f64>,
    pub families: Vec<String>,
    pub verdict: GroupVerdict,
    /// Pushed, not pulled.
    pub not_pulled: Vec<String>,
    /// Pushed series that are pulled series too (same job and instance,
    /// the Pushgateway scraped with honor_labels).
    pub collisions: Vec<String>,
    /// Pushed values that differ from what the service serves now.
    pub stale: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub ready: bool,
    pub steps: Vec<MigrateStep>,
    pub groups: Vec<GroupReport>,
    /// DELETE requests made (or, with a dry run, that would be).
    pub deletes: Vec<String>,
    pub dry_run: bool,
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum MigrateError {
    #[error("Pushgateway: {0}")]
    Pushgateway(String),
    #[error("{0}")]
    Prometheus(ApiError),
}

impl crate::error::Classify for MigrateError {
    fn kind(&self) -> crate::error::Kind {
        match self {
            MigrateError::Pushgateway(_) => crate::error::Kind::Unreachable,
            MigrateError::Prometheus(e) => crate::error::Classify::kind(e),
        }
    }
}

message_into_string!(MigrateError);

fn pushgateway_error(e: ApiError) -> MigrateError {
    MigrateError::Pushgateway(e.to_string().replace("Prometheus", "the Pushgateway"))
}

/// What the assessment reads besides the live system.
pub(crate) struct Inputs<'a> {
    pub inventory: &'a Inventory,
    pub pushgateway: &'a PromClient,
    pub prometheus: &'a PromClient,
    /// The inventory's endpoints, which step 1 checks as test-pull does
    /// (with the semantics of the inventory's Prometheus version).
    pub endpoints: &'a [crate::probe::Endpoint],
    /// Whose scrape semantics step 1 checks with.
    pub version: crate::version::PromVersion,
    /// TLS and auth to fetch a pull target's current values with.
    pub security: &'a ScrapeSecurity,
    pub rule_files: &'a [PathBuf],
    pub dashboards: Option<&'a Path>,
    pub quiet_for: Duration,
    /// Unix seconds.
    pub now: f64,
    pub delete: bool,
    pub dry_run: bool,
}

async fn groups(pushgateway: &PromClient) -> Result<Vec<Group>, MigrateError> {
    let data: serde_json::Value = pushgateway
        .get("api/v1/metrics", &[])
        .await
        .map_err(pushgateway_error)?;
    parse_groups(&data).map_err(|e| MigrateError::Pushgateway(format!("/api/v1/metrics: {e}")))
}

/// Walk the five steps.
pub(crate) async fn assess(i: &Inputs<'_>) -> Result<Report, MigrateError> {
    let jobs: Vec<String> = i
        .inventory
        .services()
        .iter()
        .map(|s| s.job.value.clone())
        .collect();
    let pushed = groups(i.pushgateway).await?;
    let mut steps = Vec::new();
    let options = crate::probe::CheckOptions {
        version: i.version,
        ..crate::probe::pull::default_options()
    };
    let pull = crate::probe::pull::run_checks(i.endpoints.to_vec(), options, 16, None, None).await;
    steps.push(deployed(&pull));
    let targets = i
        .prometheus
        .targets(Some("active"), None)
        .await
        .map_err(MigrateError::Prometheus)?
        .active_targets;
    steps.push(configured(&jobs, &targets));
    let config = i
        .prometheus
        .config()
        .await
        .map_err(MigrateError::Prometheus)?;
    let push_jobs = pushgateway_jobs(&config.yaml, i.pushgateway.base_url());
    let honoured = push_jobs.iter().any(|(_, honor)| *honor);
    let mut reports = Vec::new();
    for g in &pushed {
        reports.push(judge(i, g, &jobs, &targets, honoured).await?);
    }
    steps.push(collected(&reports));
    let loaded = i
        .prometheus
        .rules()
        .await
        .map_err(MigrateError::Prometheus)?
        .groups;
    steps.push(push_removed(
        &push_jobs,
        &loaded,
        i.rule_files,
        i.dashboards,
    ));

    let mut deletes = Vec::new();
    if i.delete {
        for (g, r) in pushed.iter().zip(&reports) {
            if r.verdict != GroupVerdict::Collected {
                continue;
            }
            let path = group_path(&g.labels);
            deletes.push(format!("DELETE {}", i.pushgateway.endpoint(&path)));
            if !i.dry_run {
                let (status, _, body) = i
                    .pushgateway
                    .send(reqwest::Method::DELETE, &path, &[])
                    .await
                    .map_err(pushgateway_error)?;
                if !status.is_success() {
                    return Err(MigrateError::Pushgateway(format!(
                        "DELETE {path} answered {status}: {}",
                        crate::text::terminal_safe(&String::from_utf8_lossy(&body))
                    )));
                }
            }
        }
    }
    // Step 5 judges what is left: after deleting, read the groups again
    // (that also confirms the deleted ones are gone).
    let left = if i.delete && !i.dry_run && !deletes.is_empty() {
        let left = groups(i.pushgateway).await?;
        for (g, r) in pushed.iter().zip(&reports) {
            if r.verdict == GroupVerdict::Collected && left.iter().any(|l| l.labels == g.labels) {
                return Err(MigrateError::Pushgateway(format!(
                    "group {} is still there after its DELETE",
                    show_labels(&g.labels)
                )));
            }
        }
        left
    } else {
        pushed.clone()
    };
    let earlier_done = steps.iter().all(|s| s.status == StepStatus::Done);
    steps.push(decommission(i, &left, &jobs, earlier_done));
    let ready = steps.iter().all(|s| s.status == StepStatus::Done);
    Ok(Report {
        ready,
        steps,
        groups: reports,
        deletes,
        dry_run: i.dry_run,
    })
}

fn show_labels(labels: &BTreeMap<String, String>) -> String {
    let inner: Vec<String> = labels
        .iter()
        .map(|(k, v)| format!("{k}={:?}", crate::text::terminal_safe(v)))
        .collect();
    format!("{{{}}}", inner.join(","))
}

fn deployed(pull: &PullReport) -> MigrateStep {
    let failing: Vec<String> = pull
        .endpoints()
        .filter(|e| !e.ok)
        .map(|e| match e.errors.first() {
            Some(err) => format!("{} ({}): {err}", e.name, e.url),
            None => format!("{} ({}) fails a check", e.name, e.url),
        })
        .collect();
    if failing.is_empty() {
        MigrateStep {
            step: "deployed",
            status: StepStatus::Done,
            evidence: vec![format!(
                "{} endpoint(s) serve /metrics and /health with the catalogue's families",
                pull.len()
            )],
            next: None,
        }
    } else {
        MigrateStep {
            step: "deployed",
            status: StepStatus::NotYet,
            evidence: failing,
            next: Some("deploy the services with their metrics endpoints; gpucharts-mon test-pull shows each check".into()),
        }
    }
}

fn configured(jobs: &[String], targets: &[ActiveTarget]) -> MigrateStep {
    let mut evidence = Vec::new();
    let mut done = true;
    for job in jobs {
        let of_job: Vec<&ActiveTarget> = targets.iter().filter(|t| &t.scrape_pool == job).collect();
        let up = of_job.iter().filter(|t| t.health == "up").count();
        if of_job.is_empty() || up < of_job.len() {
            done = false;
        }
        evidence.push(format!("job {job}: {up} of {} target(s) up", of_job.len()));
    }
    MigrateStep::judged(
        "configured",
        done,
        evidence,
        "gpucharts-mon gen-config --into /etc/prometheus/prometheus.yml --force --check && gpucharts-mon reload; then gpucharts-mon check-targets",
    )
}

/// The scrape jobs of the running config that scrape the Pushgateway
/// (a static target on its port, on its host or loopback), with whether
/// they honour labels.
fn pushgateway_jobs(yaml: &str, url: &reqwest::Url) -> Vec<(String, bool)> {
    let Ok(config) = crate::yaml::from_str::<crate::yaml::Value>(yaml) else {
        return Vec::new();
    };
    let port = url.port_or_known_default().unwrap_or(0).to_string();
    let host = url.host_str().unwrap_or_default().trim_matches(['[', ']']);
    let loopback = |h: &str| matches!(h, "localhost" | "127.0.0.1" | "::1");
    let same_host = |h: &str| h == host || (loopback(h) && loopback(host));
    let mut out = Vec::new();
    for job in config
        .get("scrape_configs")
        .and_then(|s| s.as_sequence())
        .into_iter()
        .flatten()
    {
        let scrapes_it = job
            .get("static_configs")
            .and_then(|s| s.as_sequence())
            .into_iter()
            .flatten()
            .filter_map(|sc| sc.get("targets").and_then(|t| t.as_sequence()))
            .flatten()
            .filter_map(|t| t.as_str())
            .any(|t| {
                t.rsplit_once(':')
                    .is_some_and(|(h, p)| p == port && same_host(h.trim_matches(['[', ']'])))
            });
        if scrapes_it {
            let name = job
                .get("job_name")
                .and_then(|n| n.as_str())
                .unwrap_or_default()
                .to_string();
            let honor = job
                .get("honor_labels")
                .and_then(|h| h.as_bool())
                .unwrap_or(false);
            out.push((name, honor));
        }
    }
    out
}

/// The verdict on one pushed group.
async fn judge(
    i: &Inputs<'_>,
    g: &Group,
    jobs: &[String],
    targets: &[ActiveTarget],
    honoured: bool,
) -> Result<GroupReport, MigrateError> {
    let job = g.labels.get("job").cloned().unwrap_or_default();
    let families: Vec<String> = g.families.keys().cloned().collect();
    let ours = jobs.contains(&job)
        || (!families.is_empty() && families.iter().all(|f| f.starts_with("gpu_charts_")));
    let mut report = GroupReport {
        labels: g.labels.clone(),
        last_push: g.last_push,
        families: families.clone(),
        verdict: GroupVerdict::OtherJob,
        not_pulled: Vec::new(),
        collisions: Vec::new(),
        stale: Vec::new(),
    };
    if !ours {
        return Ok(report);
    }
    // The pull targets this group corresponds to: the job's target with
    // the group's instance, else every target of the job.
    let of_job: Vec<&ActiveTarget> = targets.iter().filter(|t| t.scrape_pool == job).collect();
    let instance = g.labels.get("instance");
    let matching: Vec<&ActiveTarget> = match of_job
        .iter()
        .filter(|t| t.labels.get("instance") == instance)
        .copied()
        .collect::<Vec<_>>()
    {
        same if !same.is_empty() && instance.is_some() => same,
        _ => of_job,
    };
    // What those targets expose, by their metadata (the Pushgateway's
    // target is another target, whatever labels its series carry).
    let mut pulled = BTreeSet::new();
    for t in &matching {
        let instance = t.labels.get("instance").map_or("", String::as_str);
        pulled.extend(
            i.prometheus
                .target_families(&job, instance)
                .await
                .map_err(MigrateError::Prometheus)?,
        );
    }
    report.not_pulled = families
        .iter()
        .filter(|f| !pulled.contains(family_key(f)))
        .cloned()
        .collect();
    report.verdict = if report.not_pulled.is_empty() {
        GroupVerdict::Collected
    } else {
        GroupVerdict::NotCollected
    };
    let both: Vec<&String> = families
        .iter()
        .filter(|f| pulled.contains(family_key(f)))
        .collect();
    if honoured
        && matching
            .iter()
            .any(|t| t.labels.get("instance") == instance)
    {
        for f in &both {
            report.collisions.push(format!(
                "{f}{{job={job:?},instance={:?}}} is pushed and pulled under the same labels (the Pushgateway is scraped with honor_labels)",
                instance.map_or("", String::as_str)
            ));
        }
    }
    // Pushed values against what the service serves now.
    if let Some(t) = matching.first()
        && let Ok(url) = reqwest::Url::parse(&t.scrape_url)
    {
        let live = live_values(&url, i.security).await;
        let grouping: BTreeSet<&String> = g.labels.keys().collect();
        for f in &both {
            for (labels, value) in &g.families[*f] {
                let Some(pushed) = value else { continue };
                let own: BTreeMap<&String, &String> = labels
                    .iter()
                    .filter(|(k, _)| !grouping.contains(k))
                    .collect();
                let now = live.iter().find(|(name, l, _)| {
                    name == *f
                        && own.iter().all(|(k, v)| l.get(*k) == Some(*v))
                        && l.len() == own.len()
                });
                if let Some((_, _, pulled)) = now
                    && pulled != pushed
                    && !(pulled.is_nan() && pushed.is_nan())
                {
                    let age = g.last_push.map(|p| (i.now - p).max(0.0));
                    report.stale.push(format!(
                        "{f}{}: pushed {pushed}, served now {pulled}{}",
                        show_labels(
                            &own.iter()
                                .map(|(k, v)| ((*k).clone(), (*v).clone()))
                                .collect()
                        ),
                        age.map(|a| format!(" (pushed {}s ago)", a.round()))
                            .unwrap_or_default()
                    ));
                }
            }
        }
    }
    Ok(report)
}

/// (sample name, labels, value) of what `url` serves now; empty when it
/// cannot be read.
async fn live_values(
    url: &reqwest::Url,
    security: &ScrapeSecurity,
) -> Vec<(String, BTreeMap<String, String>, f64)> {
    let opts = crate::probe::pull::default_options().fetch;
    let Ok(fetched) =
        crate::probe::fetch::fetch(url, "text/plain;version=0.0.4", opts, security).await
    else {
        return Vec::new();
    };
    let text = String::from_utf8_lossy(&fetched.body);
    let mut out = Vec::new();
    let (mut labels, mut exemplar) = (Vec::new(), Vec::new());
    for (n, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if let Ok(s) =
            crate::expfmt::line::parse_sample(line, n + 1, false, "", &mut labels, &mut exemplar)
        {
            let map = labels
                .iter()
                .map(|l| (l.name.to_string(), l.value().into_owned()))
                .collect();
            out.push((s.name.to_string(), map, s.value));
        }
    }
    out
}

fn collected(reports: &[GroupReport]) -> MigrateStep {
    let ours: Vec<&GroupReport> = reports
        .iter()
        .filter(|r| r.verdict != GroupVerdict::OtherJob)
        .collect();
    let mut evidence = Vec::new();
    for r in &ours {
        let group = show_labels(&r.labels);
        if r.not_pulled.is_empty() {
            evidence.push(format!(
                "{group}: all {} pushed families arrive by pull",
                r.families.len()
            ));
        } else {
            evidence.push(format!(
                "{group}: pushed but not pulled (would be lost): {}",
                r.not_pulled.join(", ")
            ));
        }
        evidence.extend(
            r.collisions
                .iter()
                .map(|c| format!("{group}: collision: {c}")),
        );
        evidence.extend(r.stale.iter().map(|s| format!("{group}: stale: {s}")));
    }
    if ours.is_empty() {
        evidence.push("no GPU Charts group is pushed".into());
    }
    let done = ours
        .iter()
        .all(|r| r.verdict == GroupVerdict::Collected && r.collisions.is_empty());
    MigrateStep::judged(
        "collected",
        done,
        evidence,
        "expose the families listed on /metrics (the catalogue names them), and stop scraping the Pushgateway with honor_labels; then run migrate again",
    )
}

fn push_removed(
    push_jobs: &[(String, bool)],
    loaded: &[RuleGroup],
    rule_files: &[PathBuf],
    dashboards: Option<&Path>,
) -> MigrateStep {
    let mut evidence: Vec<String> = push_jobs
        .iter()
        .map(|(job, honor)| {
            format!(
                "job {job}{} still scrapes the Pushgateway",
                if *honor { " (honor_labels: true)" } else { "" }
            )
        })
        .collect();
    // The rules the running Prometheus evaluates, whatever file they came
    // from (gen-rules' transition alerts among them).
    for group in loaded {
        for rule in &group.rules {
            if let Some(word) = PUSH_ONLY.iter().find(|w| rule.query.contains(*w)) {
                evidence.push(format!(
                    "the running Prometheus evaluates {} (group {}, {}), which uses {word}",
                    crate::text::terminal_safe(&rule.name),
                    crate::text::terminal_safe(&group.name),
                    crate::text::terminal_safe(&group.file)
                ));
            }
        }
    }
    let mut files: Vec<PathBuf> = rule_files.to_vec();
    if let Some(dir) = dashboards
        && let Ok(entries) = std::fs::read_dir(dir)
    {
        let mut found: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        found.sort();
        files.extend(found);
    }
    for file in &files {
        match crate::input::read_text(crate::input::Purpose::Config, file) {
            Ok(text) => {
                for (n, line) in text.lines().enumerate() {
                    if let Some(word) = PUSH_ONLY.iter().find(|w| line.contains(*w)) {
                        evidence.push(format!(
                            "{}:{}: uses {word}, which only pushed series have",
                            file.display(),
                            n + 1
                        ));
                    }
                }
            }
            Err(e) => evidence.push(format!("{}: {e}", file.display())),
        }
    }
    let done = evidence.is_empty();
    if done {
        evidence.push(format!(
            "no scrape job of the Pushgateway; {} file(s) checked for push-only labels",
            files.len()
        ));
    }
    MigrateStep::judged(
        "push configuration removed",
        done,
        evidence,
        "remove the Pushgateway job from prometheus.yml (gen-config without --pushgateway, then gpucharts-mon reload), use job/instance instead of the push-only labels, and drop the transition alerts (gen-rules without --pushgateway-alert)",
    )
}

fn decommission(
    i: &Inputs<'_>,
    left: &[Group],
    jobs: &[String],
    earlier_done: bool,
) -> MigrateStep {
    let mut evidence = Vec::new();
    let mut recent = false;
    let mut others = Vec::new();
    for g in left {
        let job = g.labels.get("job").map_or("", String::as_str);
        let ours = jobs.iter().any(|j| j == job)
            || (!g.families.is_empty() && g.families.keys().all(|f| f.starts_with("gpu_charts_")));
        if !ours {
            others.push(show_labels(&g.labels));
            continue;
        }
        match g.last_push {
            Some(p) if i.now - p < i.quiet_for.as_secs_f64() => {
                recent = true;
                evidence.push(format!(
                    "{} was pushed {}s ago (within --quiet-for {}s): something still pushes",
                    show_labels(&g.labels),
                    (i.now - p).max(0.0).round(),
                    i.quiet_for.as_secs()
                ));
            }
            _ => evidence.push(format!(
                "{} is left (quiet, never expires); --delete-migrated deletes it once collected",
                show_labels(&g.labels)
            )),
        }
    }
    let ours_left = left.len() - others.len();
    if !others.is_empty() {
        evidence.push(format!("other jobs still push: {}", others.join(", ")));
        return MigrateStep {
            step: "decommission",
            status: StepStatus::Blocked,
            evidence,
            next: Some(
                "move the other jobs off the Pushgateway first (or keep it for them)".into(),
            ),
        };
    }
    let done = earlier_done && !recent && ours_left == 0;
    if done {
        evidence.push("no group is left on the Pushgateway".into());
    } else if !earlier_done {
        evidence.push("the steps above are not done".into());
    }
    MigrateStep {
        step: "decommission",
        status: if done { StepStatus::Done } else { StepStatus::NotYet },
        evidence,
        next: (!done).then(|| {
            if recent {
                "stop the pushing job, then run migrate again".to_string()
            } else {
                "gpucharts-mon migrate --delete-migrated (--dry-run first), then stop the Pushgateway".to_string()
            }
        }),
    }
}

/// `/metrics/job@base64/…/label@base64/…`: every value base64url-encoded,
/// so `/` and empty values survive the path.
fn group_path(labels: &BTreeMap<String, String>) -> String {
    let mut path = format!(
        "metrics/job@base64/{}",
        base64url(labels.get("job").map_or("", String::as_str))
    );
    for (k, v) in labels.iter().filter(|(k, _)| k.as_str() != "job") {
        path.push_str(&format!("/{k}@base64/{}", base64url(v)));
    }
    path
}

/// RFC 4648 base64url with padding (`=` for an empty value, as the
/// Pushgateway documents).
fn base64url(s: &str) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    if s.is_empty() {
        return "=".into();
    }
    let mut out = String::new();
    for chunk in s.as_bytes().chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_matches_rfc4648() {
        assert_eq!(base64url(""), "=");
        assert_eq!(base64url("f"), "Zg==");
        assert_eq!(base64url("fo"), "Zm8=");
        assert_eq!(base64url("foo"), "Zm9v");
        assert_eq!(base64url("a/b?"), "YS9iPw==");
        assert_eq!(base64url("\u{fb}\u{ff}"), "w7vDvw==");
    }
}
