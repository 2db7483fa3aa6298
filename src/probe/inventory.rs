//! Endpoints from the inventory: where each service is scraped, fetched as
//! its job says (scheme, path, TLS, auth), for test-pull, doctor, smoke
//! and migrate alike. What others on the host can read of a job's secret
//! files is in each endpoint's [`ScrapeSecurity::shared_secrets`], for the
//! command to say.

use std::sync::Arc;

use reqwest::Url;

use super::Endpoint;
use super::security::{ScrapeSecurity, SecurityError};
use crate::catalogue::ServiceRole;
use crate::inventory::{Discovery, Inventory};
use crate::promconfig::build::scrape_job;
use crate::promconfig::model::ScrapeConfig;

#[derive(Debug, thiserror::Error)]
pub(crate) enum AddressError {
    /// Not `HOST:PORT` or an http(s) URL (the text shown redacted).
    #[error("'{0}' is not HOST:PORT or an http(s) URL")]
    NotAnAddress(String),
    #[error(transparent)]
    Security(#[from] SecurityError),
}

impl crate::error::Classify for AddressError {
    fn kind(&self) -> crate::error::Kind {
        crate::error::Kind::Usage
    }
}

/// `HOST:PORT` or a URL; the base URL of a service (its /metrics and /health).
pub(crate) fn base_url(addr: &str, scheme: &str) -> Result<Url, AddressError> {
    let text = if addr.contains("://") {
        addr.to_string()
    } else {
        format!("{scheme}://{addr}")
    };
    Url::parse(&text)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
        .ok_or_else(|| AddressError::NotAnAddress(crate::redact::url_text(addr)))
}

/// A service's endpoint, fetched as its job says.
fn service_endpoint(
    role: ServiceRole,
    addr: &str,
    index: usize,
    job: &ScrapeConfig,
    security: &Arc<ScrapeSecurity>,
) -> Result<Endpoint, AddressError> {
    let base = base_url(addr, job.scheme.as_deref().unwrap_or("http"))?;
    let mut metrics = base.clone();
    if base.path() == "/" || base.path().is_empty() {
        metrics.set_path(job.metrics_path.as_deref().unwrap_or("/metrics"));
    }
    let mut health = metrics.clone();
    health.set_path("/health");
    health.set_query(None);
    Ok(Endpoint {
        name: format!("{}-{}", role.name(), index + 1),
        role: Some(role),
        metrics_url: metrics,
        health_url: Some(health),
        follow_redirects: true,
        security: security.clone(),
        fallback: None,
    })
}

/// The inventory's job for `role`, and how it scrapes (TLS, auth).
fn scraping(
    inv: &Inventory,
    role: ServiceRole,
) -> Result<(ScrapeConfig, Arc<ScrapeSecurity>), AddressError> {
    let job = scrape_job(inv, inv.service(role));
    let security = ScrapeSecurity::from_job(&job, std::path::Path::new("."))?;
    Ok((job, security))
}

/// How the inventory's job for `role` scrapes (TLS, auth).
pub(crate) fn job_security(
    inv: &Inventory,
    role: ServiceRole,
) -> Result<Arc<ScrapeSecurity>, AddressError> {
    Ok(scraping(inv, role)?.1)
}

/// Where a service is scraped, as the inventory says: its instances
/// (static, file_sd), or `localhost:<port>` for discovered modes.
pub(crate) fn service_addresses(inv: &Inventory, role: ServiceRole) -> Vec<String> {
    let svc = inv.service(role);
    match svc.discovery {
        Discovery::Static | Discovery::FileSd => svc
            .instances()
            .value
            .iter()
            .map(ToString::to_string)
            .collect(),
        _ => vec![format!("localhost:{}", svc.port)],
    }
}

/// Endpoints of a service at `addrs`, fetched with its job's scheme, path,
/// TLS and auth.
pub(crate) fn role_endpoints(
    inv: &Inventory,
    role: ServiceRole,
    addrs: &[String],
) -> Result<Vec<Endpoint>, AddressError> {
    if addrs.is_empty() {
        return Ok(Vec::new());
    }
    let (job, security) = scraping(inv, role)?;
    addrs
        .iter()
        .enumerate()
        .map(|(i, a)| service_endpoint(role, a, i, &job, &security))
        .collect()
}

/// Every inventory endpoint of both services.
pub(crate) fn inventory_endpoints(inv: &Inventory) -> Result<Vec<Endpoint>, AddressError> {
    let mut out = Vec::new();
    for role in ServiceRole::ALL {
        out.extend(role_endpoints(inv, role, &service_addresses(inv, role))?);
    }
    Ok(out)
}

/// doctor's targets: `logger`/`server` (the inventory's instances),
/// `HOST:PORT`, a URL, or (`None`) every inventory target. An address on a
/// service's port is that service; another is fetched with the inventory's
/// scrape security too, and has no /health.
pub(crate) fn named_endpoints(
    target: Option<&str>,
    inv: &Inventory,
) -> Result<Vec<Endpoint>, AddressError> {
    let Some(text) = target else {
        return inventory_endpoints(inv);
    };
    if let Ok(role) = text.parse::<ServiceRole>() {
        return role_endpoints(inv, role, &service_addresses(inv, role));
    }
    let port = base_url(text, "http")?.port_or_known_default();
    let role = ServiceRole::ALL
        .into_iter()
        .find(|r| Some(inv.service(*r).port) == port);
    let job_role = role.unwrap_or(ServiceRole::Logger);
    let (job, security) = scraping(inv, job_role)?;
    let mut e = service_endpoint(job_role, text, 0, &job, &security)?;
    e.name = text.to_string();
    e.role = role;
    if role.is_none() {
        e.health_url = None;
    }
    Ok(vec![e])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_named_target_is_a_service_by_its_port_or_just_an_address() {
        let inv = Inventory::defaults();
        let server = named_endpoints(Some("127.0.0.1:9091"), &inv).unwrap();
        assert_eq!(server[0].role, Some(ServiceRole::Server));
        assert_eq!(
            server[0].health_url.as_ref().map(Url::as_str),
            Some("http://127.0.0.1:9091/health")
        );
        let other = named_endpoints(Some("https://x:1234/m"), &inv).unwrap();
        assert_eq!((other[0].role, other[0].health_url.is_none()), (None, true));
        assert_eq!(other[0].metrics_url.as_str(), "https://x:1234/m");
        let logger = named_endpoints(Some("logger"), &inv).unwrap();
        assert_eq!(
            logger[0].metrics_url.as_str(),
            "http://localhost:9090/metrics"
        );
        assert_eq!(named_endpoints(None, &inv).unwrap().len(), 2);
        let bad = named_endpoints(Some("ftp://u:secret@x"), &inv).unwrap_err();
        assert!(matches!(bad, AddressError::NotAnAddress(_)), "{bad}");
        assert!(!bad.to_string().contains("secret"), "{bad}");
    }
}
