//! test-pull's settings: the endpoints its flags, a prometheus.yml and the
//! inventory name, and the check options.

use std::path::Path;

use reqwest::Url;

use super::{
    lint_options, prometheus_major, role_endpoints, scrape_inventory, scrape_security,
    service_addresses,
};
use crate::catalogue::ServiceRole;
use crate::cli::TestPullArgs;
use crate::error;
use crate::inventory::Inventory;
use crate::probe::config::static_endpoints;
use crate::probe::fetch::FetchOptions;
use crate::probe::pull::MAX_REDIRECTS;
use crate::probe::{CheckOptions, Endpoint};
use crate::promconfig::validate::read_config;

/// Every endpoint the flags, the config file and the inventory name.
pub fn endpoints(args: &TestPullArgs, inv: &Inventory) -> anyhow::Result<Vec<Endpoint>> {
    let urls: Vec<&str> = args
        .logger
        .iter()
        .chain(&args.server)
        .map(String::as_str)
        .chain(args.targets.iter().map(|(_, url)| url.as_str()))
        .collect();
    let inv = scrape_inventory(inv, &args.security, &urls)?;
    let mut out = Vec::new();
    let explicit = !args.logger.is_empty()
        || !args.server.is_empty()
        || !args.targets.is_empty()
        || args.from_config.is_some();
    for role in ServiceRole::ALL {
        let flags = match role {
            ServiceRole::Logger => &args.logger,
            ServiceRole::Server => &args.server,
        };
        let addrs: Vec<String> = if !flags.is_empty() {
            flags.clone()
        } else if explicit {
            Vec::new()
        } else {
            service_addresses(&inv, role)
        };
        out.extend(role_endpoints(&inv, role, &addrs)?);
    }
    if !args.targets.is_empty() {
        // Other targets are fetched with the same scrape security.
        let security = scrape_security(&inv, ServiceRole::Logger)?;
        for (name, url) in &args.targets {
            let u = Url::parse(url)
                .ok()
                .filter(|u| matches!(u.scheme(), "http" | "https"))
                .ok_or_else(|| {
                    error::usage(format!(
                        "--target {name}={}: not an http(s) URL",
                        crate::redact::url_text(url)
                    ))
                })?;
            out.push(Endpoint {
                name: name.clone(),
                role: None,
                metrics_url: u,
                health_url: None,
                follow_redirects: true,
                security: security.clone(),
                fallback: None,
            });
        }
    }
    if let Some(file) = &args.from_config {
        let config = read_config(file).map_err(error::domain)?;
        let base = file
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let role_of = |job: &str| {
            ServiceRole::ALL
                .into_iter()
                .find(|r| inv.service(*r).job.value == job)
        };
        let found = static_endpoints(&config, base, role_of)
            .map_err(|e| error::usage(format!("{}: {e}", file.display())))?;
        let shared: std::collections::BTreeSet<&String> = found
            .iter()
            .flat_map(|e| &e.security.shared_secrets)
            .collect();
        for w in shared {
            error::warn(w);
        }
        out.extend(found);
    }
    if out.is_empty() {
        return Err(error::usage("no endpoints to test"));
    }
    Ok(out)
}

pub(crate) fn check_options(args: &TestPullArgs, inv: &Inventory) -> anyhow::Result<CheckOptions> {
    if args.timeout.as_millis() == 0 {
        return Err(error::usage("--timeout must be greater than 0"));
    }
    Ok(CheckOptions {
        fetch: FetchOptions {
            timeout: args.timeout.as_std(),
            max_body: args.max_body,
            max_redirects: MAX_REDIRECTS,
            follow_redirects: !args.no_follow_redirects,
        },
        version: prometheus_major(args.prometheus_version, inv),
        count: args.count as usize,
        slow: args.slow.as_std(),
        lint: lint_options(&args.lint, None)?,
        strict: args.lint.strict,
        require_families: args.require_families,
    })
}
