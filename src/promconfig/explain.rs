//! What a job's relabelling does to discovered label sets, target by
//! target: kept or dropped (by which rule), the final labels, the scrape
//! URL, and with a trace the labels after every rule.

use serde::Serialize;

use super::PrometheusConfig;
use super::model::ScrapeConfig;
use super::relabel::{self, LabelSet, compile_all, describe};
use crate::version::PromVersion;

#[derive(Debug, Serialize)]
pub struct ExplainedTarget {
    pub discovered: LabelSet,
    pub kept: bool,
    pub dropped_by: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dropped_by_rule: Option<String>,
    pub labels: LabelSet,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scrape_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<LabelSet>,
}

#[derive(Debug, Serialize)]
pub struct RelabelReport {
    pub job: String,
    pub kept: usize,
    pub targets: Vec<ExplainedTarget>,
}

#[derive(Debug, thiserror::Error)]
pub enum ExplainError {
    #[error("no job {job:?} in the config (jobs: {jobs})")]
    NoJob { job: String, jobs: String },
    #[error("{0}")]
    Rules(#[from] super::relabel::RelabelError),
}

impl crate::error::Classify for ExplainError {
    fn kind(&self) -> crate::error::Kind {
        crate::error::Kind::Usage
    }
}

/// The job named `job` in `config`.
pub fn job<'a>(config: &'a PrometheusConfig, job: &str) -> Result<&'a ScrapeConfig, ExplainError> {
    config
        .scrape_configs
        .iter()
        .find(|j| j.job_name == job)
        .ok_or_else(|| ExplainError::NoJob {
            job: job.to_string(),
            jobs: config
                .scrape_configs
                .iter()
                .map(|j| j.job_name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        })
}

/// Run `scrape`'s rules over every discovered label set as `version` does.
pub fn explain(
    config: &PrometheusConfig,
    scrape: &ScrapeConfig,
    discovered: Vec<LabelSet>,
    version: PromVersion,
    trace: bool,
) -> Result<RelabelReport, ExplainError> {
    let rules = compile_all(scrape, version)?;
    let (interval, timeout) = config.job_timing(scrape);
    let (interval, timeout) = (interval.to_string(), timeout.to_string());
    let targets: Vec<ExplainedTarget> = discovered
        .into_iter()
        .map(|d| {
            let t = relabel::trace(scrape, &rules, &d, &interval, &timeout, version, trace);
            let (kept, labels, error) = match t.outcome {
                Ok(Some(labels)) => (true, labels, None),
                Ok(None) => (false, LabelSet::new(), None),
                Err(e) => (false, LabelSet::new(), Some(e)),
            };
            ExplainedTarget {
                discovered: d,
                kept,
                dropped_by: t.dropped_by,
                dropped_by_rule: t.dropped_by.map(|i| describe(&scrape.relabel_configs[i])),
                labels,
                scrape_url: t.scrape_url,
                error: error.map(|e| e.to_string()),
                steps: t.steps,
            }
        })
        .collect();
    Ok(RelabelReport {
        job: scrape.job_name.clone(),
        kept: targets.iter().filter(|t| t.kept).count(),
        targets,
    })
}

/// A generated job, with what its rules do to the built-in example targets
/// of its discovery mode (`None`: static targets, scraped as written).
pub struct JobExample<'a> {
    pub job: &'a ScrapeConfig,
    pub examples: Option<RelabelReport>,
}

/// Every job of a generated config against the examples of its discovery
/// mode, with 3.x semantics.
pub(crate) fn examples_of(config: &PrometheusConfig) -> Vec<JobExample<'_>> {
    use super::relabel::{DiscoveryExample, examples};
    config
        .scrape_configs
        .iter()
        .map(|job| {
            let kind = if !job.kubernetes_sd_configs.is_empty() {
                Some(DiscoveryExample::KubernetesPod)
            } else if !job.docker_sd_configs.is_empty() {
                Some(DiscoveryExample::DockerContainer)
            } else {
                None
            };
            let examples =
                kind.and_then(|k| explain(config, job, examples(k), PromVersion::V3, false).ok());
            JobExample { job, examples }
        })
        .collect()
}
