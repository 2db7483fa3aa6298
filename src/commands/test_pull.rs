//! `gpucharts-mon test-pull`: the old quick test script (`curl | grep -c`,
//! `time curl`, `curl /api/v1/targets`), done properly and concurrently.

use std::path::Path;
use std::process::ExitCode;

use reqwest::Url;

use crate::Ctx;
use crate::catalogue::ServiceRole;
use crate::cli::TestPullArgs;
use crate::context::{
    lint_options, prometheus_client_at, role_endpoints, scrape_inventory, service_addresses,
};
use crate::error;
use crate::expfmt::Format;
use crate::inventory::Inventory;
use crate::probe::fetch::FetchOptions;
use crate::probe::pull::{MAX_REDIRECTS, run_checks};
use crate::probe::security::ScrapeSecurity;
use crate::probe::{CheckOptions, Endpoint};
use crate::promapi::classify;
use crate::promconfig::build::scrape_job;
use crate::values::ScrapeProtocol;

/// Every endpoint the flags, the config file and the inventory name.
fn endpoints(args: &TestPullArgs, inv: &Inventory) -> anyhow::Result<Vec<Endpoint>> {
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
        let job = scrape_job(&inv, inv.service(ServiceRole::Logger));
        let security = ScrapeSecurity::from_job(&job, Path::new(".")).map_err(error::usage)?;
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
        out.extend(from_config(file, &inv)?);
    }
    if out.is_empty() {
        return Err(error::usage("no endpoints to test"));
    }
    Ok(out)
}

/// Static targets of every job in a prometheus.yml, fetched with each job's
/// scheme, path, params, TLS and auth (relative files resolved against the
/// config's directory, as Prometheus does).
fn from_config(file: &Path, inv: &Inventory) -> anyhow::Result<Vec<Endpoint>> {
    let config = crate::promconfig::validate::read_config(file).map_err(error::domain)?;
    let base = file
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut out = Vec::new();
    for job in &config.scrape_configs {
        let role = ServiceRole::ALL
            .into_iter()
            .find(|r| inv.service(*r).job.value == job.job_name);
        let security = ScrapeSecurity::from_job(job, base)
            .map_err(|e| error::usage(format!("{}: job {}: {e}", file.display(), job.job_name)))?;
        let scheme = job.scheme.as_deref().unwrap_or("http");
        let path = job.metrics_path.as_deref().unwrap_or("/metrics");
        for (i, target) in job
            .static_configs
            .iter()
            .flat_map(|g| g.targets.iter())
            .enumerate()
        {
            let mut metrics = Url::parse(&format!("{scheme}://{target}{path}")).map_err(|e| {
                error::usage(format!(
                    "{}: job {} target {target}: {e}",
                    file.display(),
                    job.job_name
                ))
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
                fallback: job.fallback_scrape_protocol.map(|p| match p {
                    ScrapeProtocol::OpenMetricsText001 | ScrapeProtocol::OpenMetricsText100 => {
                        Format::OpenMetrics
                    }
                    _ => Format::Text,
                }),
            });
        }
    }
    Ok(out)
}

pub async fn run(args: &TestPullArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let endpoints = endpoints(args, &ctx.inventory)?;
    let opts = check_options(args, &ctx.inventory)?;
    let targets = match &args.prometheus {
        Some(url) => {
            let prom = prometheus_client_at(
                url,
                &args.prometheus_auth,
                &ctx.inventory,
                crate::promapi::REQUEST_TIMEOUT,
            )?;
            Some(
                prom.targets(Some("active"), None)
                    .await
                    .map_err(classify)?
                    .active_targets,
            )
        }
        None => None,
    };
    let bar = crate::output::endpoints_bar(endpoints.len(), opts.count);
    let report = run_checks(
        endpoints,
        opts,
        args.concurrency as usize,
        targets.as_deref(),
        bar,
    )
    .await;
    crate::output::pull::print(&report, args.output, ctx.color)?;
    Ok(if report.ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(error::Kind::Failed.code())
    })
}

fn check_options(args: &TestPullArgs, inv: &Inventory) -> anyhow::Result<CheckOptions> {
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
        version: crate::context::prometheus_major(args.prometheus_version, inv),
        count: args.count as usize,
        slow: args.slow.as_std(),
        lint: lint_options(&args.lint, None)?,
        strict: args.lint.strict,
        require_families: args.require_families,
    })
}
