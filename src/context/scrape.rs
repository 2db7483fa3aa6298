//! How a command that fetches endpoints (test-pull, doctor, smoke) fetches
//! them: the scrape-security flags over the inventory's `scrape:` section,
//! and the endpoints of each service with their job's TLS and auth.

use std::sync::Arc;

use crate::catalogue::ServiceRole;
use crate::cli::{Scheme, ScrapeSecurityArgs};
use crate::error;
use crate::inventory::{FileScrape, Inventory};
use crate::probe::Endpoint;
use crate::probe::security::ScrapeSecurity;

/// Scrape-security flags over the inventory's `scrape:` section (flags win),
/// for gen-config and test-pull alike.
pub(crate) fn apply_scrape_flags(s: &mut FileScrape, a: &ScrapeSecurityArgs) {
    let mut flagged: Vec<&'static str> = Vec::new();
    if let Some(scheme) = a.scheme {
        s.scheme = Some(match scheme {
            Scheme::Http => "http".into(),
            Scheme::Https => "https".into(),
        });
        flagged.push("scheme");
    }
    let mut set = |slot: &mut Option<String>, v: &Option<String>, key: &'static str| {
        if v.is_some() {
            slot.clone_from(v);
            flagged.push(key);
        }
    };
    set(&mut s.ca_file, &a.ca_file, "ca_file");
    set(&mut s.cert_file, &a.cert_file, "cert_file");
    set(&mut s.key_file, &a.key_file, "key_file");
    set(
        &mut s.tls_server_name,
        &a.tls_server_name,
        "tls_server_name",
    );
    set(
        &mut s.basic_auth_user,
        &a.basic_auth_user,
        "basic_auth_user",
    );
    set(
        &mut s.basic_auth_password_file,
        &a.basic_auth_password_file,
        "basic_auth_password_file",
    );
    set(
        &mut s.bearer_token_file,
        &a.bearer_token_file,
        "bearer_token_file",
    );
    if a.insecure_skip_verify {
        s.insecure_skip_verify = true;
        flagged.push("insecure_skip_verify");
    }
    for key in flagged {
        s.origins
            .insert(key, format!("--{}", key.replace('_', "-")));
    }
}

/// The inventory with the scrape-security flags applied, validated as
/// gen-config validates it: how every command that fetches an endpoint
/// (test-pull, doctor) must fetch it.
pub(crate) fn scrape_inventory(
    inv: &Inventory,
    security: &ScrapeSecurityArgs,
    urls: &[&str],
) -> anyhow::Result<Inventory> {
    let mut inv = inv.clone();
    apply_scrape_flags(&mut inv.scrape, security);
    // A URL names its own scheme; say so rather than drop --scheme silently.
    if let Some(scheme) = &inv.scrape.scheme
        && security.scheme.is_some()
        && let Some(url) = urls.iter().find(|u| {
            u.split_once("://")
                .is_some_and(|(s, _)| !s.eq_ignore_ascii_case(scheme))
        })
    {
        error::warn(format!(
            "--scheme {scheme} does not apply to {}: a URL names its own scheme",
            crate::redact::url_text(url)
        ));
    }
    // Endpoints given as https:// URLs say the scheme themselves, so TLS
    // flags (--ca-file, …) apply without a separate --scheme https; only
    // when every endpoint given is one (the scheme is for all of them).
    let https: Vec<&&str> = urls
        .iter()
        .filter(|u| {
            u.get(..8)
                .is_some_and(|p| p.eq_ignore_ascii_case("https://"))
        })
        .collect();
    if inv.scrape.scheme.is_none() && !https.is_empty() && https.len() == urls.len() {
        inv.scrape.scheme = Some("https".into());
        inv.scrape.origins.insert(
            "scheme",
            format!("the URL {}", crate::redact::url_text(https[0])),
        );
    }
    crate::promconfig::validate::check_inventory(&inv).map_err(crate::error::domain)?;
    Ok(inv)
}

pub(crate) use crate::probe::inventory::service_addresses;

/// Endpoints, after saying once per job what others on the host can read
/// of its secret files.
fn said(endpoints: Vec<Endpoint>) -> Vec<Endpoint> {
    let mut told: Vec<&Arc<ScrapeSecurity>> = Vec::new();
    for e in &endpoints {
        if !told.iter().any(|t| Arc::ptr_eq(t, &e.security)) {
            told.push(&e.security);
            for w in &e.security.shared_secrets {
                error::warn(w);
            }
        }
    }
    endpoints
}

/// Endpoints of a service at `addrs`, fetched with its job's scheme, path,
/// TLS and auth (test-pull, doctor and smoke alike).
pub(crate) fn role_endpoints(
    inv: &Inventory,
    role: ServiceRole,
    addrs: &[String],
) -> anyhow::Result<Vec<Endpoint>> {
    crate::probe::inventory::role_endpoints(inv, role, addrs)
        .map(said)
        .map_err(error::domain)
}

/// Every inventory endpoint of both services.
pub(crate) fn inventory_endpoints(inv: &Inventory) -> anyhow::Result<Vec<Endpoint>> {
    crate::probe::inventory::inventory_endpoints(inv)
        .map(said)
        .map_err(error::domain)
}

/// doctor's `TARGET`: a service, an address, or every inventory target.
pub(crate) fn named_endpoints(
    target: Option<&str>,
    inv: &Inventory,
) -> anyhow::Result<Vec<Endpoint>> {
    crate::probe::inventory::named_endpoints(target, inv)
        .map(said)
        .map_err(error::domain)
}

/// How the inventory's job for `role` scrapes (TLS, auth), said once: a
/// secret file others on the host can read is warned about.
pub(crate) fn scrape_security(
    inv: &Inventory,
    role: ServiceRole,
) -> anyhow::Result<Arc<ScrapeSecurity>> {
    let security = crate::probe::inventory::job_security(inv, role).map_err(error::domain)?;
    for w in &security.shared_secrets {
        error::warn(w);
    }
    Ok(security)
}

/// test-pull's fetch defaults (64 MiB, redirects followed as Prometheus
/// follows them) with `timeout` per request.
pub(crate) fn fetch_options(timeout: std::time::Duration) -> crate::probe::fetch::FetchOptions {
    crate::probe::fetch::FetchOptions {
        timeout,
        ..crate::probe::pull::default_options().fetch
    }
}

/// doctor's checks: test-pull's, with `--timeout` for every request (and
/// the consulted Prometheus), and the semantics of `--prometheus-version`.
pub(crate) fn doctor_options(
    timeout: crate::values::PromDuration,
    prometheus_version: Option<u8>,
    inv: &Inventory,
) -> anyhow::Result<crate::probe::CheckOptions> {
    let timeout = timeout.as_std();
    if timeout.is_zero() {
        return Err(error::usage("--timeout must be greater than 0"));
    }
    Ok(crate::probe::CheckOptions {
        fetch: fetch_options(timeout),
        version: super::prometheus_major(prometheus_version, inv),
        ..crate::probe::pull::default_options()
    })
}

/// The logger job's TLS and auth, which migrate fetches a pull target's
/// current values with.
pub(crate) fn logger_security(inv: &Inventory) -> anyhow::Result<Arc<ScrapeSecurity>> {
    scrape_security(inv, ServiceRole::Logger)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::promconfig::validate::{ConfigError, check_inventory};

    fn inventory(text: &str) -> Inventory {
        Inventory::parse(text, Some(std::path::Path::new("inv.yaml"))).unwrap()
    }

    fn security_error(inv: &Inventory) -> String {
        match check_inventory(inv) {
            Err(ConfigError::Invalid(msg)) => msg,
            other => panic!("expected an error, got {other:?}"),
        }
    }

    #[test]
    fn scrape_settings_resolve_flag_over_inventory_and_name_their_source() {
        let inv = inventory("environment: prod\nscrape:\n  scheme: http\n  ca_file: /etc/ca.pem\n");
        let err = security_error(&inv);
        assert!(
            err.contains("inventory inv.yaml: scrape.ca_file (line 4)"),
            "{err}"
        );
        assert!(err.contains("scrape.scheme (line 3)"), "{err}");
        // A flag wins over the inventory and is named as the flag.
        let mut flagged = inv.clone();
        apply_scrape_flags(
            &mut flagged.scrape,
            &ScrapeSecurityArgs {
                ca_file: Some("/flag/ca.pem".into()),
                ..Default::default()
            },
        );
        assert_eq!(flagged.scrape.ca_file.as_deref(), Some("/flag/ca.pem"));
        let err = security_error(&flagged);
        assert!(err.starts_with("--ca-file needs"), "{err}");
        apply_scrape_flags(
            &mut flagged.scrape,
            &ScrapeSecurityArgs {
                scheme: Some(Scheme::Https),
                ..Default::default()
            },
        );
        assert!(check_inventory(&flagged).is_ok());
    }
}
