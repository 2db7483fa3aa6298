//! The troubleshooting list, walked in order for one endpoint: name
//! resolution, TCP, TLS and auth, `/metrics` (status, time, parse, lint,
//! cardinality), `/health`, then Prometheus' side (is the target scraped,
//! is its job in the running config, was it dropped) and alerting. Each
//! check has a verdict, its evidence and the fix; the first failure is the
//! root cause.

use std::net::SocketAddr;
use std::time::Duration;

use serde::Serialize;

use crate::catalogue::{Catalogue, ServiceRole};
use crate::expfmt::lint::Severity;
use crate::probe::pull::same_endpoint;
use crate::probe::{CheckKind, CheckOptions, CheckStatus, Endpoint, EndpointReport, check};
use crate::process::Credentials;
use crate::promapi::PromClient;

mod alerting;
mod config_file;
mod endpoint;
mod network;
mod prometheus;
mod shadowing;

use alerting::*;
use config_file::*;
use endpoint::*;
use network::*;
use prometheus::*;
use shadowing::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckVerdict {
    Pass,
    Warn,
    Fail,
    Skip,
}

/// One step of the list.
#[derive(Debug, Clone, Serialize)]
pub struct DoctorStep {
    pub name: &'static str,
    pub status: CheckVerdict,
    pub evidence: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub fix: String,
}

impl DoctorStep {
    fn new(name: &'static str, status: CheckVerdict, evidence: impl Into<String>) -> Self {
        Self {
            name,
            status,
            evidence: evidence.into(),
            fix: String::new(),
        }
    }

    fn fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = fix.into();
        self
    }
}

/// The diagnosis of one endpoint.
#[derive(Debug, Clone, Serialize)]
pub struct Diagnosis {
    pub ok: bool,
    pub target: String,
    pub checks: Vec<DoctorStep>,
    /// The first failure, and what to do about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub root_cause: Option<String>,
    /// Did the endpoint or Prometheus answer at all (else there was nothing
    /// to diagnose)?
    #[serde(skip)]
    pub reached: bool,
}

/// What doctor needs besides the endpoint.
pub struct Setup<'a> {
    pub options: &'a CheckOptions,
    pub catalogue: &'a Catalogue,
    pub prometheus: Option<&'a PromClient>,
    /// The job the endpoint belongs to, when it is a GPU Charts service.
    pub job: Option<&'a str>,
    /// The hosts Prometheus scrapes from, for the firewall hint.
    pub allowed_sources: &'a [String],
    /// Prometheus' config file on this host, when the inventory names it.
    pub config_file: Option<&'a std::path::Path>,
}

/// Walk the list for `e`.
pub async fn diagnose(e: &Endpoint, setup: &Setup<'_>) -> Diagnosis {
    let timeout = setup.options.fetch.timeout;
    let mut steps = Vec::new();
    let reached = network(e, timeout, setup, &mut steps).await;
    if reached {
        let report = check(e, setup.options, setup.catalogue).await;
        endpoint_steps(e, &report, setup.options, &mut steps);
    } else {
        for name in ["tls-auth", "metrics", "health"] {
            steps.push(DoctorStep::new(name, CheckVerdict::Skip, "not reachable"));
        }
    }
    let mut prometheus_answered = false;
    if let Some(prom) = setup.prometheus {
        prometheus_answered = prometheus_steps(e, prom, setup.job, &mut steps).await;
        if let (true, Some(file)) = (prometheus_answered, setup.config_file) {
            steps.push(config_file_step(prom, file).await);
        }
    }
    let root_cause = steps
        .iter()
        .find(|s| s.status == CheckVerdict::Fail)
        .map(|s| {
            if s.fix.is_empty() {
                format!("{}: {}", s.name, s.evidence)
            } else {
                format!("{}: {} -> {}", s.name, s.evidence, s.fix)
            }
        });
    Diagnosis {
        ok: root_cause.is_none(),
        target: crate::redact::url(&e.metrics_url),
        checks: steps,
        root_cause,
        reached: reached || prometheus_answered,
    }
}

/// The job name of a GPU Charts service endpoint (for the Prometheus side).
pub(crate) fn job_of(
    role: Option<ServiceRole>,
    inv: &crate::inventory::Inventory,
) -> Option<String> {
    role.map(|r| inv.service(r).job.value.clone())
}

/// doctor's answer: every target, diagnosed in order.
#[derive(Serialize)]
pub struct DoctorReport {
    pub ok: bool,
    pub targets: Vec<Diagnosis>,
}

/// Walk the list for each endpoint. An address the inventory does not name
/// is first recognised by the catalogue families it serves, so its /health
/// is checked too.
pub async fn diagnose_all(
    mut endpoints: Vec<Endpoint>,
    inv: &crate::inventory::Inventory,
    options: &CheckOptions,
    prometheus: Option<&PromClient>,
) -> Result<DoctorReport, crate::yaml::YamlError> {
    let catalogue = Catalogue::embedded()?;
    let mut report = DoctorReport {
        ok: true,
        targets: Vec::new(),
    };
    for e in &mut endpoints {
        if e.role.is_none()
            && let Some(role) = crate::probe::identify(e, options, &catalogue).await
        {
            e.role = Some(role);
            e.health_url = e.metrics_url.join("/health").ok();
        }
    }
    for e in &endpoints {
        let job = job_of(e.role, inv);
        let setup = Setup {
            options,
            catalogue: &catalogue,
            prometheus,
            job: job.as_deref(),
            allowed_sources: &inv.prometheus.allowed_sources.value,
            config_file: inv.prometheus.config_file.as_deref(),
        };
        let d = diagnose(e, &setup).await;
        report.ok &= d.ok;
        report.targets.push(d);
    }
    Ok(report)
}
