//! `gpucharts-mon test-pull`: the old quick test script (`curl | grep -c`,
//! `time curl`, `curl /api/v1/targets`), done properly and concurrently.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;
use serde::Serialize;

use crate::Ctx;
use crate::catalogue::Catalogue;
use crate::cli::{PrometheusArgs, PullFormat, TestPullArgs};
use crate::commands::lint::{human_bytes, lint_options};
use crate::commands::prometheus::{REQUEST_TIMEOUT, api_error, client};
use crate::error;
use crate::inventory::{Discovery, Inventory, Role};
use crate::output::table::{cell, new_table, status_cell};
use crate::output::{terminal_safe, xml_escape};
use crate::probe::fetch::FetchOptions;
use crate::probe::{CheckOptions, Endpoint, EndpointReport, PrometheusView, check};
use crate::promapi::types::ActiveTarget;

#[derive(Debug, Serialize)]
pub struct PullReport {
    pub ok: bool,
    pub endpoints: Vec<EndpointReport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prometheus_active_targets: Option<usize>,
}

/// `HOST:PORT` or a URL; the base URL of a service (its /metrics and /health).
fn base_url(addr: &str) -> anyhow::Result<Url> {
    let text = if addr.contains("://") {
        addr.to_string()
    } else {
        format!("http://{addr}")
    };
    Url::parse(&text)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
        .ok_or_else(|| {
            error::usage(format!(
                "'{}' is not HOST:PORT or an http(s) URL",
                crate::redact::url_text(addr)
            ))
        })
}

fn service_endpoint(role: Role, addr: &str, index: usize) -> anyhow::Result<Endpoint> {
    let base = base_url(addr)?;
    let with_path = |p: &str| {
        let mut u = base.clone();
        if base.path() == "/" || base.path().is_empty() {
            u.set_path(p);
        }
        u
    };
    let metrics = with_path("/metrics");
    let mut health = metrics.clone();
    health.set_path("/health");
    health.set_query(None);
    Ok(Endpoint {
        name: format!("{}-{}", role.name(), index + 1),
        role: role.name().to_string(),
        metrics_url: metrics,
        health_url: Some(health),
        follow_redirects: true,
    })
}

/// Every endpoint the flags, the config file and the inventory name.
fn endpoints(args: &TestPullArgs, inv: &Inventory) -> anyhow::Result<Vec<Endpoint>> {
    let mut out = Vec::new();
    let explicit = !args.logger.is_empty()
        || !args.server.is_empty()
        || !args.targets.is_empty()
        || args.from_config.is_some();
    for role in Role::ALL {
        let flags = match role {
            Role::Logger => &args.logger,
            Role::Server => &args.server,
        };
        let addrs: Vec<String> = if !flags.is_empty() {
            flags.clone()
        } else if explicit {
            Vec::new()
        } else {
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
        };
        for (i, a) in addrs.iter().enumerate() {
            out.push(service_endpoint(role, a, i)?);
        }
    }
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
            role: "target".into(),
            metrics_url: u,
            health_url: None,
            follow_redirects: true,
        });
    }
    if let Some(file) = &args.from_config {
        out.extend(from_config(file, inv)?);
    }
    if out.is_empty() {
        return Err(error::usage("no endpoints to test"));
    }
    Ok(out)
}

/// Static targets of every job in a prometheus.yml.
fn from_config(file: &std::path::Path, inv: &Inventory) -> anyhow::Result<Vec<Endpoint>> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| error::usage(format!("cannot read {}: {e}", file.display())))?;
    let config = crate::promconfig::validate::check_config_text(&text)
        .map_err(|e| error::usage(format!("{}: {e}", file.display())))?;
    let mut out = Vec::new();
    for job in &config.scrape_configs {
        let role = Role::ALL
            .into_iter()
            .find(|r| inv.service(*r).job.value == job.job_name);
        let scheme = job.scheme.as_deref().unwrap_or("http");
        let path = job.metrics_path.as_deref().unwrap_or("/metrics");
        for (i, target) in job
            .static_configs
            .iter()
            .flat_map(|g| g.targets.iter())
            .enumerate()
        {
            let metrics = Url::parse(&format!("{scheme}://{target}{path}")).map_err(|e| {
                error::usage(format!(
                    "{}: job {} target {target}: {e}",
                    file.display(),
                    job.job_name
                ))
            })?;
            let health = role.map(|_| {
                let mut h = metrics.clone();
                h.set_path("/health");
                h
            });
            out.push(Endpoint {
                name: format!("{}/{}", job.job_name, i + 1),
                role: role.map_or("target", Role::name).to_string(),
                metrics_url: metrics,
                health_url: health,
                follow_redirects: job.follow_redirects.unwrap_or(true),
            });
        }
    }
    Ok(out)
}

/// Check every endpoint, at most `concurrency` at once.
pub async fn run_checks(
    endpoints: Vec<Endpoint>,
    opts: CheckOptions,
    concurrency: usize,
    targets: Option<&[ActiveTarget]>,
) -> PullReport {
    let catalogue = Arc::new(Catalogue::embedded().unwrap_or_else(|_| Catalogue {
        services: Default::default(),
        label_values: Default::default(),
    }));
    let total = endpoints.len();
    let bar = (total * opts.count > 8 && std::io::stderr().is_terminal()).then(|| {
        let b = indicatif::ProgressBar::new(total as u64);
        b.set_message("endpoints");
        b
    });
    let semaphore = Arc::new(tokio::sync::Semaphore::new(concurrency.max(1)));
    let opts = Arc::new(opts);
    let mut tasks = Vec::with_capacity(total);
    for e in endpoints {
        let (sem, opts, catalogue) = (semaphore.clone(), opts.clone(), catalogue.clone());
        let endpoint = e.clone();
        tasks.push((
            endpoint,
            tokio::spawn(async move {
                let _permit = sem.acquire_owned().await;
                check(&e, &opts, &catalogue).await
            }),
        ));
    }
    let mut reports = Vec::with_capacity(total);
    for (endpoint, t) in tasks {
        // A check that panicked is a failed row, never a missing one.
        reports.push(t.await.unwrap_or_else(|e| {
            EndpointReport::aborted(
                &endpoint,
                &format!("internal error ({e}); please report it"),
            )
        }));
        if let Some(b) = &bar {
            b.inc(1);
        }
    }
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    if let Some(targets) = targets {
        for r in &mut reports {
            let found = targets
                .iter()
                .find(|t| same_endpoint(&t.scrape_url, &r.url));
            r.prometheus = Some(PrometheusView {
                scraped: found.is_some(),
                job: found.and_then(|t| t.labels.get("job").cloned()),
                health: found.map(|t| t.health.clone()),
                last_error: found
                    .map(|t| t.last_error.clone())
                    .filter(|e| !e.is_empty()),
            });
        }
    }
    PullReport {
        ok: reports.iter().all(|r| r.ok),
        endpoints: reports,
        prometheus_active_targets: targets.map(<[ActiveTarget]>::len),
    }
}

/// Scrape URLs match when scheme, port, path and host agree, treating
/// localhost and 127.0.0.1 as the same host.
fn same_endpoint(a: &str, b: &str) -> bool {
    let (Ok(a), Ok(b)) = (Url::parse(a), Url::parse(b)) else {
        return false;
    };
    let host = |u: &Url| match u.host_str() {
        Some("localhost") | Some("[::1]") => "127.0.0.1".to_string(),
        Some(h) => h.to_string(),
        None => String::new(),
    };
    a.scheme() == b.scheme()
        && a.port_or_known_default() == b.port_or_known_default()
        && a.path() == b.path()
        && host(&a) == host(&b)
}

pub async fn run(args: &TestPullArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let endpoints = endpoints(args, &ctx.inventory)?;
    let opts = check_options(args)?;
    let targets = match &args.prometheus {
        Some(url) => {
            let prom_args = PrometheusArgs {
                prometheus: Some(url.clone()),
                prometheus_user: None,
                prometheus_password_file: None,
                prometheus_bearer_token_file: None,
                ca_file: None,
                insecure: false,
                timeout: None,
                max_body: crate::cli::DEFAULT_API_MAX_BODY,
            };
            let prom = client(&prom_args, &ctx.inventory, REQUEST_TIMEOUT)?;
            Some(
                prom.targets(Some("active"), None)
                    .await
                    .map_err(api_error)?
                    .active_targets,
            )
        }
        None => None,
    };
    let report = run_checks(
        endpoints,
        opts,
        args.concurrency as usize,
        targets.as_deref(),
    )
    .await;
    print_report(&report, args.output, ctx.color)?;
    Ok(if report.ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(error::Kind::Failed.code())
    })
}

fn check_options(args: &TestPullArgs) -> anyhow::Result<CheckOptions> {
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
        count: args.count as usize,
        slow: args.slow.as_std(),
        lint: lint_options(&args.lint, None)?,
        strict: args.lint.strict,
        require_families: args.require_families,
    })
}

/// Go's HTTP client (and so Prometheus) follows at most 10 redirects.
const MAX_REDIRECTS: usize = 10;

/// Defaults for `demo`: one fetch per endpoint, Prometheus' timeouts.
pub fn default_options() -> CheckOptions {
    CheckOptions {
        fetch: FetchOptions {
            timeout: Duration::from_secs(10),
            max_body: 64 << 20,
            max_redirects: MAX_REDIRECTS,
            follow_redirects: true,
        },
        count: 1,
        slow: Duration::from_secs(1),
        lint: Default::default(),
        strict: false,
        require_families: false,
    }
}

pub fn print_report(report: &PullReport, format: PullFormat, color: bool) -> anyhow::Result<()> {
    match format {
        PullFormat::Json => crate::out!("{}", serde_json::to_string_pretty(report)? + "\n"),
        PullFormat::Junit => crate::out!("{}", junit(report)),
        PullFormat::Table => print_table(report, color),
    }
    Ok(())
}

fn print_table(report: &PullReport, color: bool) {
    let mut table = new_table(
        &[
            "ENDPOINT",
            "URL",
            "HTTP",
            "HEALTH",
            "TIME (median/p95)",
            "SIZE",
            "FORMAT",
            "FAMILIES",
            "SAMPLES",
            "PREFIX",
            "LINT",
            "RESULT",
        ],
        color,
    );
    for r in &report.endpoints {
        let health = match (r.health_ok, &r.health_service) {
            (Some(true), Some(s)) => format!("ok ({s})"),
            (Some(true), None) => "ok".into(),
            (Some(false), _) => "fail".into(),
            (None, _) => "-".into(),
        };
        let time = r.timing_ms.map_or_else(
            || "-".to_string(),
            |t| format!("{:.1}/{:.1} ms", t.median, t.p95),
        );
        let errors = r
            .lint
            .iter()
            .filter(|l| l.severity == crate::expfmt::lint::Severity::Error)
            .count();
        let warnings = r.lint.len() - errors;
        table.add_row(vec![
            cell(&r.name),
            cell(match &r.final_url {
                Some(f) => format!("{} -> {f}", r.url),
                None => r.url.clone(),
            }),
            cell(
                r.http_status
                    .map_or_else(|| "-".to_string(), |s| s.to_string()),
            ),
            status_cell(&health, color),
            cell(time),
            cell(human_bytes(r.bytes)),
            cell(r.format.map_or("-", |f| f.name())),
            cell(format!(
                "{}{}",
                r.families,
                if r.missing_families.is_empty() {
                    String::new()
                } else {
                    format!(" ({} absent)", r.missing_families.len())
                }
            )),
            cell(r.samples),
            cell(r.prefix_samples),
            cell(format!("{errors}E {warnings}W")),
            status_cell(if r.ok { "pass" } else { "fail" }, color),
        ]);
    }
    crate::outln!("{table}");
    for r in &report.endpoints {
        for e in &r.errors {
            crate::outln!("{}: error: {}", terminal_safe(&r.name), terminal_safe(e));
        }
        for w in &r.warnings {
            crate::outln!("{}: warning: {}", terminal_safe(&r.name), terminal_safe(w));
        }
        for l in r
            .lint
            .iter()
            .filter(|l| l.severity != crate::expfmt::lint::Severity::Info)
            .take(10)
        {
            crate::outln!(
                "{}: lint {:?}: {} {}",
                terminal_safe(&r.name),
                l.severity,
                terminal_safe(&l.metric),
                terminal_safe(&l.message)
            );
        }
        if let Some(p) = &r.prometheus {
            match (&p.job, &p.health) {
                (Some(job), Some(h)) => {
                    crate::outln!(
                        "{}: Prometheus scrapes it as job {}, health {}",
                        terminal_safe(&r.name),
                        terminal_safe(job),
                        terminal_safe(h)
                    )
                }
                _ => crate::outln!(
                    "{}: Prometheus does not scrape this endpoint",
                    terminal_safe(&r.name)
                ),
            }
        }
    }
    if let Some(n) = report.prometheus_active_targets {
        crate::outln!("Prometheus active targets: {n}");
    }
    let passed = report.endpoints.iter().filter(|r| r.ok).count();
    crate::outln!(
        "{} endpoints: {passed} passed, {} failed",
        report.endpoints.len(),
        report.endpoints.len() - passed
    );
}

/// JUnit XML: one test case per endpoint check, for CI systems.
fn junit(report: &PullReport) -> String {
    let mut cases = Vec::new();
    for r in &report.endpoints {
        let lint_errors: Vec<String> = r
            .lint
            .iter()
            .filter(|l| l.severity == crate::expfmt::lint::Severity::Error)
            .map(|l| format!("{} {}", l.metric, l.message))
            .collect();
        let fetch_errors: Vec<&String> = r
            .errors
            .iter()
            .filter(|e| e.starts_with("GET") && !e.contains("/health"))
            .collect();
        let mut checks: Vec<(&str, Vec<String>)> = vec![
            (
                "reachable",
                fetch_errors.iter().map(|e| (*e).clone()).collect(),
            ),
            (
                "parse",
                r.errors
                    .iter()
                    .filter(|e| e.starts_with("exposition"))
                    .cloned()
                    .collect(),
            ),
            ("lint", lint_errors),
        ];
        if r.health_ok.is_some() {
            checks.push((
                "health",
                r.errors
                    .iter()
                    .filter(|e| e.contains("/health"))
                    .cloned()
                    .collect(),
            ));
        }
        for (check, failures) in checks {
            let t = r.timing_ms.map_or(0.0, |t| t.median / 1000.0);
            let mut case = format!(
                "    <testcase classname=\"{}\" name=\"{} {check}\" time=\"{t:.3}\"",
                xml_escape(&r.role),
                xml_escape(&r.name)
            );
            if failures.is_empty() {
                case.push_str("/>");
            } else {
                case.push_str(&format!(
                    "><failure message=\"{}\">{}</failure></testcase>",
                    xml_escape(&failures[0]),
                    xml_escape(&failures.join("\n"))
                ));
            }
            cases.push((failures.is_empty(), case));
        }
    }
    let failures = cases.iter().filter(|(ok, _)| !ok).count();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n  <testsuite name=\"gpucharts-mon test-pull\" tests=\"{}\" failures=\"{failures}\">\n{}\n  </testsuite>\n</testsuites>\n",
        cases.len(),
        cases
            .into_iter()
            .map(|(_, c)| c)
            .collect::<Vec<_>>()
            .join("\n")
    )
}
