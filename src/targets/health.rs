//! Judging target health: which active targets match, are they up, are the
//! expected jobs there. Pure functions over the API answer, so they are
//! testable without a Prometheus.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use regex::Regex;
use serde::Serialize;

use crate::promapi::time::{now_unix, parse_rfc3339};
use crate::promapi::types::{ActiveTarget, TargetsData};
use crate::promapi::{ApiError, PromClient, poll_interval};

/// `--expect JOB[=N]`: a job with at least `min` active targets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expectation {
    pub job: String,
    pub min: usize,
}

impl std::str::FromStr for Expectation {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let (job, min) = match s.split_once('=') {
            Some((j, n)) => (
                j,
                n.parse::<usize>()
                    .ok()
                    .filter(|n| *n >= 1)
                    .ok_or_else(|| format!("--expect '{s}': N must be a whole number >= 1"))?,
            ),
            None => (s, 1),
        };
        if job.is_empty() {
            return Err(format!("--expect '{s}': the job name is empty"));
        }
        Ok(Self {
            job: job.to_string(),
            min,
        })
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct TargetRow {
    pub job: String,
    pub instance: String,
    pub health: String,
    pub scrape_pool: String,
    pub scrape_url: String,
    pub last_error: String,
    /// RFC 3339 as Prometheus reported it; null before the first scrape.
    pub last_scrape: Option<String>,
    pub last_scrape_age_seconds: Option<f64>,
    pub last_scrape_duration_seconds: f64,
    pub scrape_interval: Option<String>,
    pub scrape_timeout: Option<String>,
    /// last_scrape_duration / scrape_timeout, when the timeout is known.
    pub timeout_share: Option<f64>,
    pub labels: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DroppedRow {
    pub job: String,
    pub address: String,
    pub discovered_labels: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub targets: usize,
    pub up: usize,
    pub down: usize,
    pub unknown: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExpectationResult {
    pub job: String,
    pub min: usize,
    pub found: usize,
    pub ok: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct TargetReport {
    pub ok: bool,
    pub summary: Summary,
    pub targets: Vec<TargetRow>,
    pub expectations: Vec<ExpectationResult>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dropped: Option<Vec<DroppedRow>>,
    /// Why the check failed, in operator terms.
    pub problems: Vec<String>,
    /// Seconds waited, without --wait, for a Prometheus that had only just
    /// started to discover and scrape its targets.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waited_for_startup: Option<f64>,
}

fn row(t: &ActiveTarget, now: f64) -> TargetRow {
    let scraped = parse_rfc3339(&t.last_scrape);
    let timeout = t
        .scrape_timeout
        .as_deref()
        .and_then(|s| s.parse::<crate::values::PromDuration>().ok())
        .map(|d| d.as_millis() as f64 / 1000.0);
    let health = match t.health.as_str() {
        "up" | "down" => t.health.clone(),
        _ => "unknown".to_string(),
    };
    TargetRow {
        job: t
            .labels
            .get("job")
            .cloned()
            .unwrap_or_else(|| t.scrape_pool.clone()),
        instance: t.labels.get("instance").cloned().unwrap_or_default(),
        health,
        scrape_pool: t.scrape_pool.clone(),
        scrape_url: t.scrape_url.clone(),
        last_error: t.last_error.clone(),
        last_scrape: scraped.map(|_| t.last_scrape.clone()),
        last_scrape_age_seconds: scraped.map(|s| (now - s).max(0.0)),
        last_scrape_duration_seconds: t.last_scrape_duration,
        scrape_interval: t.scrape_interval.clone(),
        scrape_timeout: t.scrape_timeout.clone(),
        timeout_share: timeout
            .filter(|t| *t > 0.0)
            .map(|to| t.last_scrape_duration / to),
        labels: t.labels.clone(),
    }
}

/// Judge the targets: passes only when at least one target matches `job`,
/// every matching target is up, and every expectation holds.
pub(crate) fn evaluate(
    data: &TargetsData,
    job: &Regex,
    expects: &[Expectation],
    with_dropped: bool,
) -> TargetReport {
    let now = now_unix();
    let targets: Vec<TargetRow> = data
        .active_targets
        .iter()
        .map(|t| row(t, now))
        .filter(|r| job.is_match(&r.job))
        .collect();
    let summary = summarise(&targets);
    let per_job = active_per_job(data);
    let expectations: Vec<ExpectationResult> = expects
        .iter()
        .map(|e| {
            let found = per_job.get(e.job.as_str()).copied().unwrap_or(0);
            ExpectationResult {
                job: e.job.clone(),
                min: e.min,
                found,
                ok: found >= e.min,
            }
        })
        .collect();
    let dropped = dropped_rows(data, job);
    let mut problems = Vec::new();
    if targets.is_empty() {
        problems.push(nothing_matched(job, &per_job, &dropped));
    }
    for t in targets.iter().filter(|t| t.health != "up") {
        let why = if t.last_error.is_empty() {
            "not scraped yet".to_string()
        } else {
            t.last_error.clone()
        };
        problems.push(format!("{} {} is {}: {why}", t.job, t.instance, t.health));
    }
    for e in expectations.iter().filter(|e| !e.ok) {
        problems.push(format!(
            "expected job {} with at least {} active target(s), found {}",
            e.job, e.min, e.found
        ));
    }
    TargetReport {
        ok: problems.is_empty(),
        summary,
        targets,
        expectations,
        dropped: with_dropped.then_some(dropped),
        problems,
        waited_for_startup: None,
    }
}

fn summarise(targets: &[TargetRow]) -> Summary {
    let mut summary = Summary {
        targets: targets.len(),
        ..Summary::default()
    };
    for t in targets {
        match t.health.as_str() {
            "up" => summary.up += 1,
            "down" => summary.down += 1,
            _ => summary.unknown += 1,
        }
    }
    summary
}

/// Active targets per job (the scrape pool when a target has no job label).
fn active_per_job(data: &TargetsData) -> BTreeMap<&str, usize> {
    let mut per_job: BTreeMap<&str, usize> = BTreeMap::new();
    for t in &data.active_targets {
        let j = t
            .labels
            .get("job")
            .map_or(t.scrape_pool.as_str(), String::as_str);
        *per_job.entry(j).or_default() += 1;
    }
    per_job
}

fn dropped_rows(data: &TargetsData, job: &Regex) -> Vec<DroppedRow> {
    data.dropped_targets
        .iter()
        .map(|d| DroppedRow {
            job: d.discovered_labels.get("job").cloned().unwrap_or_default(),
            address: d
                .discovered_labels
                .get("__address__")
                .cloned()
                .unwrap_or_default(),
            discovered_labels: d.discovered_labels.clone(),
        })
        .filter(|d| job.is_match(&d.job))
        .collect()
}

/// Why nothing matched, and where to look: the active jobs, a reload, or
/// relabelling that dropped the targets.
fn nothing_matched(job: &Regex, per_job: &BTreeMap<&str, usize>, dropped: &[DroppedRow]) -> String {
    let seen: Vec<&str> = per_job.keys().copied().collect();
    let seen = if seen.is_empty() {
        "none".to_string()
    } else {
        seen.join(", ")
    };
    let mut hint = format!(
        "no active target's job matches '{}' (active jobs: {seen}); check the job names, whether Prometheus reloaded its config",
        job.as_str()
            .trim_start_matches("^(?:")
            .trim_end_matches(")$")
    );
    if dropped.is_empty() {
        hint.push_str(", or whether relabelling dropped the targets (try --dropped)");
    } else {
        hint.push_str(&format!(
            "; {} matching target(s) were dropped by relabelling (see --dropped)",
            dropped.len()
        ));
    }
    hint
}

/// What the targets are checked against.
pub(crate) struct Criteria<'a> {
    pub job: &'a regex::Regex,
    pub expects: &'a [Expectation],
    pub dropped: bool,
}

/// How long after its start a Prometheus may not yet have discovered or
/// scraped its targets: discovery hands targets over on a 5 s tick (3.x
/// also waits for its first discovery), and each target's first scrape
/// comes within its interval's offset.
pub(crate) const STARTUP_GRACE: Duration = Duration::from_secs(15);

/// Ask once; without --wait that is the answer, unless Prometheus started
/// less than [`STARTUP_GRACE`] ago and has not yet scraped what is asked
/// for: then it is waited for until the grace ends. With --wait, poll until the
/// checks pass or time runs out, riding out a Prometheus that is still
/// starting (refused) or loading its TSDB (503); no request outlives the
/// deadline by more than a moment (the request timeout alone could add 10 s).
pub(crate) async fn wait_for_targets(
    prom: &PromClient,
    criteria: &Criteria<'_>,
    wait: Option<Duration>,
) -> Result<TargetReport, ApiError> {
    let mut deadline = wait.map(|w| Instant::now() + w);
    let mut startup: Option<Instant> = None;
    let state = if criteria.dropped {
        None
    } else {
        Some("active")
    };
    let report = loop {
        let attempt = match deadline {
            Some(d) => {
                let limit = d + Duration::from_millis(500);
                tokio::time::timeout_at(limit.into(), prom.targets(state, None))
                    .await
                    .unwrap_or_else(|_| {
                        Err(ApiError::Timeout {
                            url: format!("{}api/v1/targets", prom.shown_url()),
                            secs: wait.map_or(0.0, |w| w.as_secs_f64()),
                        })
                    })
            }
            None => prom.targets(state, None).await,
        };
        let now = Instant::now();
        let out_of_time = deadline.is_none_or(|d| now >= d);
        match attempt {
            Ok(data) => {
                let mut report = assess(prom, data, criteria).await;
                let unscraped = report.targets.is_empty() || report.summary.unknown > 0;
                if out_of_time
                    && !report.ok
                    && unscraped
                    && wait.is_none()
                    && startup.is_none()
                    && let Some(left) = startup_left(prom).await
                {
                    startup = Some(now);
                    deadline = Some(now + left);
                    tokio::time::sleep(poll_interval(left)).await;
                    continue;
                }
                if report.ok || out_of_time {
                    report.waited_for_startup = startup.map(|s| s.elapsed().as_secs_f64());
                    break report;
                }
            }
            Err(e) if out_of_time => return Err(e),
            Err(_) => {}
        }
        if let Some(d) = deadline {
            tokio::time::sleep(poll_interval(d.saturating_duration_since(now))).await;
        }
    };
    Ok(report)
}

/// How much of [`STARTUP_GRACE`] is left for a Prometheus that started
/// recently; `None` for one running longer (or that does not say).
async fn startup_left(prom: &PromClient) -> Option<Duration> {
    let info = prom.runtime_info().await.ok()?;
    let started = parse_rfc3339(info.start_time.as_deref()?)?;
    let age = (now_unix() - started).max(0.0);
    let left = STARTUP_GRACE.as_secs_f64() - age;
    (left > 0.0).then(|| Duration::from_secs_f64(left))
}

/// Evaluate one answer. When nothing matched, ask for the dropped targets
/// too, so the hint can say whether relabelling threw them away.
async fn assess(prom: &PromClient, mut data: TargetsData, c: &Criteria<'_>) -> TargetReport {
    let report = evaluate(&data, c.job, c.expects, c.dropped);
    if !report.targets.is_empty() || c.dropped {
        return report;
    }
    match prom.targets(Some("dropped"), None).await {
        Ok(dropped) => {
            data.dropped_targets = dropped.dropped_targets;
            evaluate(&data, c.job, c.expects, false)
        }
        Err(_) => report,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::values::anchored_regex;

    fn target(job: &str, health: &str) -> ActiveTarget {
        ActiveTarget {
            labels: [
                ("job".to_string(), job.to_string()),
                ("instance".into(), "i".into()),
            ]
            .into(),
            health: health.into(),
            scrape_timeout: Some("10s".into()),
            last_scrape_duration: 0.5,
            last_scrape: "2024-01-01T00:00:00Z".into(),
            ..Default::default()
        }
    }

    #[test]
    fn judges() {
        let re = anchored_regex("gpu-charts.*").unwrap();
        let data = TargetsData {
            active_targets: vec![
                target("gpu-charts-logger", "up"),
                target("prometheus", "down"),
            ],
            dropped_targets: vec![],
        };
        let r = evaluate(&data, &re, &[], false);
        assert!(r.ok);
        assert_eq!(r.summary.targets, 1);
        assert_eq!(r.targets[0].timeout_share, Some(0.05));
        let r = evaluate(&data, &re, &["gpu-charts-server".parse().unwrap()], false);
        assert!(!r.ok);
        let none = evaluate(&TargetsData::default(), &re, &[], false);
        assert!(!none.ok && none.problems[0].contains("--dropped"));
        assert!("x=0".parse::<Expectation>().is_err());
        assert_eq!("x=3".parse::<Expectation>().unwrap().min, 3);
    }
}
