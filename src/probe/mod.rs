//! Checking one metrics endpoint the way Prometheus would scrape it: fetch
//! (timed, repeated), /health, parse, lint, catalogue families.

pub mod config;
pub mod fetch;
pub(crate) mod inventory;
pub mod pull;
pub mod security;

use std::collections::BTreeSet;
use std::time::Duration;

use reqwest::Url;
use serde::{Deserialize, Serialize};

use crate::catalogue::{Catalogue, ServiceRole};
use crate::expfmt::content_type_refusal;
use crate::expfmt::lint::{FamilyStats, Finding, LintOptions, Linter, Severity};
use crate::expfmt::parser::{Family, Sample, Sink};
use crate::expfmt::{Format, stream};
use fetch::{FetchOptions, Fetched, Phases, fetch, scrape_accept};

/// An endpoint to test.
#[derive(Debug, Clone)]
pub struct Endpoint {
    pub name: String,
    /// The GPU Charts service, or `None` for another target.
    pub role: Option<ServiceRole>,
    pub metrics_url: Url,
    /// Checked for the GPU Charts services only.
    pub health_url: Option<Url>,
    /// The job's `follow_redirects` (false only when a config says so).
    pub follow_redirects: bool,
    /// TLS and auth, as the job's scrape config says.
    pub security: std::sync::Arc<security::ScrapeSecurity>,
    /// The job's `fallback_scrape_protocol`, as the format it reads an
    /// answer with a blank or unknown Content-Type in (3.x).
    pub fallback: Option<Format>,
}

#[derive(Debug, Clone)]
pub struct CheckOptions {
    pub fetch: FetchOptions,
    /// Whose scrape rules apply: the Accept header sent, and whether the
    /// Content-Type is one that version takes.
    pub version: crate::version::PromVersion,
    pub count: usize,
    pub slow: Duration,
    pub lint: LintOptions,
    pub strict: bool,
    pub require_families: bool,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
pub struct Stats {
    pub min: f64,
    pub median: f64,
    pub p95: f64,
    pub max: f64,
}

impl Stats {
    pub fn of(samples: &[f64]) -> Option<Self> {
        let mut v = samples.to_vec();
        v.sort_by(f64::total_cmp);
        let at = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
        (!v.is_empty()).then(|| Stats {
            min: v[0],
            median: at(0.5),
            p95: at(0.95),
            max: v[v.len() - 1],
        })
    }
}

/// Whether Prometheus scrapes this endpoint, and how it sees it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PrometheusView {
    pub scraped: bool,
    pub job: Option<String>,
    pub health: Option<String>,
    pub last_error: Option<String>,
}

/// The checks test-pull runs on an endpoint, one JUnit case each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckKind {
    Reachable,
    /// TLS or authentication refused (only listed when it fails).
    Security,
    Health,
    Parse,
    Lint,
    Families,
}

impl CheckKind {
    pub fn name(self) -> &'static str {
        match self {
            CheckKind::Reachable => "reachable",
            CheckKind::Security => "security",
            CheckKind::Health => "health",
            CheckKind::Parse => "parse",
            CheckKind::Lint => "lint",
            CheckKind::Families => "families",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckStatus {
    Pass,
    Fail,
    /// Not run, because an earlier check failed (no body to parse).
    Skip,
}

/// The typed outcome of one check: what reports and JUnit are built from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckOutcome {
    pub check: CheckKind,
    pub status: CheckStatus,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failures: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EndpointReport {
    pub name: String,
    pub role: String,
    pub url: String,
    pub ok: bool,
    /// Where the body finally came from, when a redirect was followed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub final_url: Option<String>,
    /// Every URL that answered with a redirect, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub redirects: Vec<String>,
    pub http_status: Option<u16>,
    pub health_ok: Option<bool>,
    pub health_service: Option<String>,
    pub timing_ms: Option<Stats>,
    /// Phases of the first request.
    pub phases_ms: Option<Phases>,
    pub bytes: u64,
    pub wire_bytes: u64,
    pub format: Option<Format>,
    pub families: usize,
    pub samples: usize,
    /// Samples whose name starts with the service's quick-test prefix
    /// (what `curl | grep -c PREFIX` counted).
    pub prefix_samples: usize,
    pub present_families: Vec<String>,
    pub missing_families: Vec<String>,
    pub lint: Vec<Finding>,
    /// The three families with the most series, and their busiest labels.
    pub cardinality: Vec<FamilyStats>,
    pub errors: Vec<String>,
    pub warnings: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prometheus: Option<PrometheusView>,
    /// Each check's outcome, in the order they run.
    pub checks: Vec<CheckOutcome>,
}

impl EndpointReport {
    /// A failed report for an endpoint whose check could not complete
    /// (its task panicked): every requested endpoint gets exactly one row.
    pub(crate) fn aborted(e: &Endpoint, why: &str) -> Self {
        let mut r = Self::new(e);
        r.fail(CheckKind::Reachable, format!("check aborted: {why}"));
        r.settle(&[CheckKind::Reachable]);
        r
    }

    /// Record a failure of `check`; also listed in `errors`, except lint
    /// failures, which `lint` lists already.
    fn fail(&mut self, check: CheckKind, message: String) {
        if check != CheckKind::Lint {
            self.errors.push(message.clone());
        }
        match self.checks.iter_mut().find(|c| c.check == check) {
            Some(c) => c.failures.push(message),
            None => self.checks.push(CheckOutcome {
                check,
                status: CheckStatus::Fail,
                failures: vec![message],
            }),
        }
    }

    /// Give every check in `ran` an outcome (pass unless it failed), mark
    /// the others of `all` as skipped, and order them.
    fn settle(&mut self, ran: &[CheckKind]) {
        for &check in ran {
            if !self.checks.iter().any(|c| c.check == check) {
                self.checks.push(CheckOutcome {
                    check,
                    status: CheckStatus::Pass,
                    failures: Vec::new(),
                });
            }
        }
        self.checks.sort_by_key(|c| c.check);
        self.ok = self.checks.iter().all(|c| c.status != CheckStatus::Fail);
    }

    fn new(e: &Endpoint) -> Self {
        Self {
            name: e.name.clone(),
            role: e.role.map_or("target", ServiceRole::name).to_string(),
            url: crate::redact::url(&e.metrics_url),
            ok: false,
            final_url: None,
            redirects: Vec::new(),
            http_status: None,
            health_ok: None,
            health_service: None,
            timing_ms: None,
            phases_ms: None,
            bytes: 0,
            wire_bytes: 0,
            format: None,
            families: 0,
            samples: 0,
            prefix_samples: 0,
            present_families: Vec::new(),
            missing_families: Vec::new(),
            lint: Vec::new(),
            cardinality: Vec::new(),
            errors: Vec::new(),
            warnings: Vec::new(),
            prometheus: None,
            checks: Vec::new(),
        }
    }
}

/// Counts what the quick test counted and which families appear, and
/// forwards everything to the linter.
struct PullSink {
    linter: Linter,
    prefix: Option<String>,
    prefix_samples: usize,
    families: BTreeSet<String>,
}

impl Sink for PullSink {
    fn sample(&mut self, family: &Family, sample: &Sample<'_, '_>) {
        if self
            .prefix
            .as_deref()
            .is_some_and(|p| sample.line.name.starts_with(p))
        {
            self.prefix_samples += 1;
        }
        self.linter.sample(family, sample);
    }

    fn family_end(&mut self, family: &Family) {
        self.families.insert(family.name.clone());
        self.linter.family_end(family);
    }

    fn violation(
        &mut self,
        check: &'static str,
        family: &str,
        line: usize,
        message: String,
        refs: crate::expfmt::Refs,
    ) {
        self.linter.violation(check, family, line, message, refs);
    }

    fn tolerated(&mut self, family: &str, line: usize, message: String) {
        self.linter.tolerated(family, line, message);
    }
}

/// Fetch, time, parse and lint one endpoint.
pub async fn check(e: &Endpoint, opts: &CheckOptions, catalogue: &Catalogue) -> EndpointReport {
    let mut r = EndpointReport::new(e);
    let last = fetch_repeatedly(e, opts, &mut r).await;
    let mut ran = vec![CheckKind::Reachable];
    if let Some(url) = &e.health_url {
        check_health(url, opts, &e.security, &mut r).await;
        ran.push(CheckKind::Health);
    }
    if let Some((f, deadline)) = last {
        note_redirects(&e.metrics_url, &f, &mut r);
        r.http_status = Some(f.status);
        r.bytes = f.body.len() as u64;
        r.wire_bytes = f.wire_bytes;
        if let Some((kind, failure)) = status_failure(e, f.status) {
            r.fail(kind, failure);
        } else {
            analyse(
                &f.body,
                &f.content_type,
                deadline,
                e,
                opts,
                catalogue,
                &mut r,
            );
            ran.extend(judge_content(opts, &mut r));
        }
    }
    for skipped in [CheckKind::Parse, CheckKind::Lint] {
        if !ran.contains(&skipped) {
            r.checks.push(CheckOutcome {
                check: skipped,
                status: CheckStatus::Skip,
                failures: Vec::new(),
            });
        }
    }
    r.settle(&ran);
    r
}

/// `--count` fetches of /metrics: timings, the slow warning, and the last
/// answer with the deadline its parse must meet (--timeout covers both).
async fn fetch_repeatedly(
    e: &Endpoint,
    opts: &CheckOptions,
    r: &mut EndpointReport,
) -> Option<(Fetched, std::time::Instant)> {
    let mut totals = Vec::with_capacity(opts.count);
    let mut last = None;
    let fetch_opts = FetchOptions {
        follow_redirects: opts.fetch.follow_redirects && e.follow_redirects,
        ..opts.fetch
    };
    for i in 0..opts.count.max(1) {
        let deadline = std::time::Instant::now() + opts.fetch.timeout;
        match fetch(
            &e.metrics_url,
            scrape_accept(opts.version),
            fetch_opts,
            &e.security,
        )
        .await
        {
            Ok(f) => {
                totals.push(f.phases.total);
                if i == 0 {
                    r.phases_ms = Some(f.phases);
                }
                last = Some((f, deadline));
            }
            Err(err) => {
                let kind = match err {
                    fetch::FetchError::Tls(_) => CheckKind::Security,
                    _ => CheckKind::Reachable,
                };
                r.fail(
                    kind,
                    format!("GET {}: {err}", crate::redact::url(&e.metrics_url)),
                );
                break;
            }
        }
    }
    r.timing_ms = Stats::of(&totals);
    if let Some(stats) = r.timing_ms {
        let slow_ms = opts.slow.as_secs_f64() * 1000.0;
        if stats.median > slow_ms {
            r.warnings.push(format!(
                "slow: median {:.0} ms over --slow {:.0} ms",
                stats.median, slow_ms
            ));
        }
    }
    last
}

/// What a non-200 answer means, and which check it fails; `None` for 200.
fn status_failure(e: &Endpoint, status: u16) -> Option<(CheckKind, String)> {
    let url = crate::redact::url(&e.metrics_url);
    match status {
        200 => None,
        401 | 403 => {
            let hint = if e.security.authorization().is_some() {
                "the credentials sent were refused: check the basic auth user and password file, or the token"
            } else {
                "the endpoint wants credentials: give --basic-auth-user and --basic-auth-password-file, or --bearer-token-file (or the inventory's scrape: section)"
            };
            Some((
                CheckKind::Security,
                format!("GET {url}: authentication failed (HTTP {status}); {hint}"),
            ))
        }
        _ => Some((
            CheckKind::Reachable,
            format!("GET {url} answered HTTP {status}"),
        )),
    }
}

/// The lint and (with --require-families) families checks on a parsed body;
/// the checks that ran.
fn judge_content(opts: &CheckOptions, r: &mut EndpointReport) -> Vec<CheckKind> {
    let mut ran = vec![CheckKind::Parse, CheckKind::Lint];
    let failing: Vec<String> = r
        .lint
        .iter()
        .filter(|l| {
            l.severity == Severity::Error || (opts.strict && l.severity == Severity::Warning)
        })
        .map(|l| format!("{} {}", l.metric, l.message))
        .collect();
    for message in failing {
        r.fail(CheckKind::Lint, message);
    }
    if opts.require_families {
        ran.push(CheckKind::Families);
        if !r.missing_families.is_empty() {
            let missing = format!("absent families: {}", r.missing_families.join(", "));
            r.fail(CheckKind::Families, missing);
        }
    }
    ran
}

async fn check_health(
    url: &Url,
    opts: &CheckOptions,
    security: &security::ScrapeSecurity,
    r: &mut EndpointReport,
) {
    match fetch(url, "application/json", opts.fetch, security).await {
        Ok(f) if f.status == 200 => {
            let json: Option<serde_json::Value> = serde_json::from_slice(&f.body).ok();
            let status = json
                .as_ref()
                .and_then(|j| j.get("status")?.as_str().map(str::to_string));
            r.health_service = json
                .as_ref()
                .and_then(|j| j.get("service")?.as_str().map(str::to_string));
            let ok = status.as_deref() == Some("ok");
            if !ok {
                r.fail(
                    CheckKind::Health,
                    format!(
                        "GET {}: health status is {}, not \"ok\"",
                        crate::redact::url(url),
                        status.map_or_else(
                            || "missing (not JSON with a status field)".into(),
                            |s| format!("{s:?}")
                        )
                    ),
                );
            }
            r.health_ok = Some(ok);
        }
        Ok(f) => {
            r.health_ok = Some(false);
            r.fail(
                CheckKind::Health,
                format!("GET {} answered HTTP {}", crate::redact::url(url), f.status),
            );
        }
        Err(err) => {
            r.health_ok = Some(false);
            r.fail(
                CheckKind::Health,
                format!("GET {}: {err}", crate::redact::url(url)),
            );
        }
    }
}

/// Redirects are reported, never silent: the chain, the final URL, and a
/// warning when the body came from another host or port than the one named.
fn note_redirects(asked: &Url, f: &Fetched, r: &mut EndpointReport) {
    if f.redirects.is_empty() {
        return;
    }
    r.redirects = f.redirects.iter().map(crate::redact::url).collect();
    let final_url = crate::redact::url(&f.final_url);
    let moved = asked.host_str() != f.final_url.host_str()
        || asked.port_or_known_default() != f.final_url.port_or_known_default();
    if moved {
        r.warnings.push(format!(
            "redirected to another host or port: {} -> {final_url} (credentials are never sent there)",
            crate::redact::url(asked)
        ));
    }
    r.final_url = Some(final_url);
}

fn analyse(
    body: &[u8],
    content_type: &str,
    deadline: std::time::Instant,
    e: &Endpoint,
    opts: &CheckOptions,
    catalogue: &Catalogue,
    r: &mut EndpointReport,
) {
    let format = match opts.version {
        crate::version::PromVersion::V3 => crate::expfmt::scrape_format(content_type, e.fallback),
        crate::version::PromVersion::V2 => Format::from_content_type(content_type),
    };
    r.format = Some(format);
    if e.fallback.is_none()
        && let Some(why) = content_type_refusal(opts.version, content_type)
    {
        r.fail(CheckKind::Parse, why);
    }
    let service = e.role.and_then(|r| catalogue.service(r));
    let mut sink = PullSink {
        linter: Linter::new(opts.lint.clone(), format, opts.version),
        prefix: service.map(|s| s.quick_test_prefix.clone()),
        prefix_samples: 0,
        families: BTreeSet::new(),
    };
    match stream::parse_bytes_until(body, format, &mut sink, Some(deadline)) {
        Ok(outcome) => {
            r.families = outcome.families;
            r.samples = outcome.samples;
        }
        Err(err) => r.fail(
            CheckKind::Parse,
            format!(
                "exposition does not parse as {} ({err}); {}",
                format.name(),
                err.consequence(opts.version)
            ),
        ),
    }
    r.prefix_samples = sink.prefix_samples;
    if let Some(service) = service {
        for fam in &service.families {
            // OpenMetrics names counters without their _total suffix.
            let base = fam.name.strip_suffix("_total").unwrap_or(&fam.name);
            if sink.families.contains(&fam.name) || sink.families.contains(base) {
                r.present_families.push(fam.name.clone());
            } else {
                r.missing_families.push(fam.name.clone());
            }
        }
    }
    let report = sink.linter.finish();
    r.lint = report.findings;
    let mut families = report.families.into_vec();
    families.sort_by(|a, b| b.series.cmp(&a.series).then(a.name.cmp(&b.name)));
    families.truncate(3);
    r.cardinality = families;
}

/// Which GPU Charts service an endpoint is, by what it serves: the service
/// whose catalogue families its `/metrics` carries (most of them, at least
/// half). `None` when it answers with neither's, or not at all.
pub(crate) async fn identify(
    e: &Endpoint,
    opts: &CheckOptions,
    catalogue: &Catalogue,
) -> Option<ServiceRole> {
    let accept = scrape_accept(opts.version);
    let fetched = fetch(&e.metrics_url, accept, opts.fetch, &e.security)
        .await
        .ok()?;
    if fetched.status != 200 {
        return None;
    }
    let body = String::from_utf8_lossy(&fetched.body);
    let served: BTreeSet<&str> = body
        .lines()
        .filter_map(|l| l.strip_prefix("# TYPE "))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    ServiceRole::ALL
        .into_iter()
        .filter_map(|role| {
            let families = &catalogue.service(role)?.families;
            let found = families
                .iter()
                .filter(|f| {
                    let base = f.name.strip_suffix("_total").unwrap_or(&f.name);
                    served.contains(f.name.as_str()) || served.contains(base)
                })
                .count();
            (found * 2 >= families.len() && found > 0).then_some((found, role))
        })
        .max_by_key(|(found, _)| *found)
        .map(|(_, role)| role)
}
