//! Endpoints from a prometheus.yml: every static target of every job,
//! fetched as that job says (scheme, path, params, TLS, auth, redirects,
//! fallback protocol), relative files resolved against the config's
//! directory as Prometheus does.

use std::path::Path;

use reqwest::Url;

use super::Endpoint;
use super::security::ScrapeSecurity;
use crate::catalogue::ServiceRole;
use crate::expfmt::Format;
use crate::promconfig::PrometheusConfig;
use crate::values::ScrapeProtocol;

#[derive(Debug, thiserror::Error)]
#[error("job {job}{}: {why}", target.as_ref().map(|t| format!(" target {t}")).unwrap_or_default())]
pub(crate) struct EndpointError {
    pub job: String,
    pub target: Option<String>,
    pub why: String,
}

impl crate::error::Classify for EndpointError {
    fn kind(&self) -> crate::error::Kind {
        crate::error::Kind::Usage
    }
}

/// The static targets of `config`'s jobs; `role_of` names the GPU Charts
/// service a job scrapes (its targets' `/health` is checked too).
pub(crate) fn static_endpoints(
    config: &PrometheusConfig,
    base: &Path,
    role_of: impl Fn(&str) -> Option<ServiceRole>,
) -> Result<Vec<Endpoint>, EndpointError> {
    let mut out = Vec::new();
    for job in &config.scrape_configs {
        let role = role_of(&job.job_name);
        let security = ScrapeSecurity::from_job(job, base).map_err(|why| EndpointError {
            job: job.job_name.clone(),
            target: None,
            why: why.to_string(),
        })?;
        let scheme = job.scheme.as_deref().unwrap_or("http");
        let path = job.metrics_path.as_deref().unwrap_or("/metrics");
        let fallback = job.fallback_scrape_protocol.map(|p| match p {
            ScrapeProtocol::OpenMetricsText001 | ScrapeProtocol::OpenMetricsText100 => {
                Format::OpenMetrics
            }
            _ => Format::Text,
        });
        let targets = job.static_configs.iter().flat_map(|g| g.targets.iter());
        for (i, target) in targets.enumerate() {
            let mut metrics =
                Url::parse(&format!("{scheme}://{target}{path}")).map_err(|e| EndpointError {
                    job: job.job_name.clone(),
                    target: Some(target.clone()),
                    why: e.to_string(),
                })?;
            if !job.params.is_empty() {
                let mut q = metrics.query_pairs_mut();
                for (k, values) in &job.params {
                    for v in values {
                        q.append_pair(k, v);
                    }
                }
            }
            let health = role.map(|_| {
                let mut h = metrics.clone();
                h.set_path("/health");
                h.set_query(None);
                h
            });
            out.push(Endpoint {
                name: format!("{}/{}", job.job_name, i + 1),
                role,
                metrics_url: metrics,
                health_url: health,
                follow_redirects: job.follow_redirects.unwrap_or(true),
                security: security.clone(),
                fallback,
            });
        }
    }
    Ok(out)
}
