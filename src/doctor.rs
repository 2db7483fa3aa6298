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

/// DNS and TCP; true when a connection was made.
async fn network(
    e: &Endpoint,
    timeout: Duration,
    setup: &Setup<'_>,
    steps: &mut Vec<DoctorStep>,
) -> bool {
    let host = e.metrics_url.host_str().unwrap_or_default();
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let port = e.metrics_url.port_or_known_default().unwrap_or(80);
    let addrs: Vec<SocketAddr> = match bare.parse::<std::net::IpAddr>() {
        Ok(ip) => {
            steps.push(DoctorStep::new(
                "dns",
                CheckVerdict::Pass,
                format!("{ip} is an address"),
            ));
            vec![SocketAddr::new(ip, port)]
        }
        Err(_) => {
            match tokio::time::timeout(timeout, tokio::net::lookup_host((bare, port))).await {
                Ok(Ok(found)) => {
                    let found: Vec<SocketAddr> = found.collect();
                    let shown: Vec<String> = found.iter().map(|a| a.ip().to_string()).collect();
                    steps.push(DoctorStep::new(
                        "dns",
                        CheckVerdict::Pass,
                        format!("{bare} resolves to {}", shown.join(", ")),
                    ));
                    found
                }
                Ok(Err(err)) => {
                    steps.push(
                    DoctorStep::new("dns", CheckVerdict::Fail, format!("{bare} does not resolve: {err}"))
                        .fix("check the host name in the inventory (services.<role>.instances) or /etc/hosts"),
                );
                    steps.push(DoctorStep::new("tcp", CheckVerdict::Skip, "no address"));
                    return false;
                }
                Err(_) => {
                    steps.push(
                        DoctorStep::new(
                            "dns",
                            CheckVerdict::Fail,
                            format!("resolving {bare} timed out"),
                        )
                        .fix("check the resolver (/etc/resolv.conf)"),
                    );
                    steps.push(DoctorStep::new("tcp", CheckVerdict::Skip, "no address"));
                    return false;
                }
            }
        }
    };
    let mut last = DoctorStep::new("tcp", CheckVerdict::Fail, "no address to connect to");
    for addr in addrs {
        match tokio::time::timeout(timeout, tokio::net::TcpStream::connect(addr)).await {
            Ok(Ok(_)) => {
                steps.push(DoctorStep::new(
                    "tcp",
                    CheckVerdict::Pass,
                    format!("connected to {addr}"),
                ));
                return true;
            }
            Ok(Err(err)) if err.kind() == std::io::ErrorKind::ConnectionRefused => {
                last = DoctorStep::new(
                    "tcp",
                    CheckVerdict::Fail,
                    format!("connection refused by {addr}: nothing listens on port {port}"),
                )
                .fix(refused_fix(e, port));
            }
            Ok(Err(err)) => {
                last = DoctorStep::new(
                    "tcp",
                    CheckVerdict::Fail,
                    format!("cannot connect to {addr}: {err}"),
                )
                .fix("check the route to the host and that it is up");
            }
            Err(_) => {
                last = DoctorStep::new(
                    "tcp",
                    CheckVerdict::Fail,
                    format!(
                        "timed out: packets to {addr} dropped (no answer within {:.1}s), usually a firewall",
                        timeout.as_secs_f64()
                    ),
                )
                .fix(firewall_fix(port, setup.allowed_sources));
            }
        }
    }
    steps.push(last);
    false
}

fn refused_fix(e: &Endpoint, port: u16) -> String {
    match e.role {
        Some(role) => format!(
            "start the {} (it listens on METRICS_PORT, {} by default; the inventory expects {port}), or fix services.{}.instances",
            role.default_job(),
            role.default_port(),
            role.name()
        ),
        None => format!("start the service on port {port}, or fix the address"),
    }
}

fn firewall_fix(port: u16, allowed: &[String]) -> String {
    let allow = if allowed.is_empty() {
        "<prometheus-host>".to_string()
    } else {
        allowed.join(" --allow ")
    };
    format!(
        "let the Prometheus host through: gpucharts-mon firewall --allow {allow} --port {port} | sh (for a port published by Docker add --docker: DOCKER-USER, not INPUT, sees that traffic)"
    )
}

/// TLS/auth, /metrics and /health from the probe's typed outcomes.
fn endpoint_steps(
    e: &Endpoint,
    r: &EndpointReport,
    opts: &CheckOptions,
    steps: &mut Vec<DoctorStep>,
) {
    let failures = |kind: CheckKind| {
        r.checks
            .iter()
            .find(|c| c.check == kind)
            .filter(|c| c.status == CheckStatus::Fail)
            .map(|c| c.failures.join("; "))
    };
    let security = failures(CheckKind::Security);
    let tls_failed = security.is_some();
    steps.push(match security {
        Some(f) => DoctorStep::new("tls-auth", CheckVerdict::Fail, f).fix(
            "scrape with the security Prometheus uses: --scheme, --ca-file, --cert-file/--key-file, --basic-auth-user/--basic-auth-password-file or the inventory's scrape: section",
        ),
        // No answer at all over https: the handshake never completed (a
        // peer that accepts TCP and never speaks), which is no pass.
        None if e.metrics_url.scheme() == "https" => match failures(CheckKind::Reachable)
            .filter(|_| r.http_status.is_none())
        {
            Some(f) => DoctorStep::new(
                "tls-auth",
                CheckVerdict::Fail,
                format!("the TLS handshake did not complete: {f}"),
            )
            .fix("check that the endpoint serves TLS on that port (openssl s_client -connect HOST:PORT) and that nothing in between holds the connection"),
            None => DoctorStep::new("tls-auth", CheckVerdict::Pass, "TLS handshake and authentication accepted"),
        },
        None => DoctorStep::new("tls-auth", CheckVerdict::Skip, "plain http"),
    });
    if tls_failed {
        steps.push(DoctorStep::new(
            "metrics",
            CheckVerdict::Skip,
            "not fetched: TLS or authentication failed",
        ));
    } else {
        steps.push(metrics_step(r, failures(CheckKind::Reachable), opts));
    }
    steps.push(match (&e.health_url, failures(CheckKind::Health)) {
        (None, _) => DoctorStep::new("health", CheckVerdict::Skip, "not a GPU Charts service"),
        (Some(_), Some(f)) => DoctorStep::new("health", CheckVerdict::Fail, f)
            .fix("the service reports itself unhealthy: see its log"),
        (Some(_), None) => DoctorStep::new(
            "health",
            CheckVerdict::Pass,
            format!(
                "status ok{}",
                r.health_service
                    .as_ref()
                    .map_or_else(String::new, |s| format!(" ({s})"))
            ),
        ),
    });
}

fn metrics_step(
    r: &EndpointReport,
    unreachable: Option<String>,
    opts: &CheckOptions,
) -> DoctorStep {
    if let Some(f) = unreachable {
        return DoctorStep::new("metrics", CheckVerdict::Fail, f);
    }
    if let Some(parse) = r.checks.iter().find(|c| c.check == CheckKind::Parse)
        && parse.status == CheckStatus::Fail
    {
        return DoctorStep::new("metrics", CheckVerdict::Fail, parse.failures.join("; "))
            .fix("fix the exposition at that line (gpucharts-mon lint shows every problem)");
    }
    let errors: Vec<String> = r
        .lint
        .iter()
        .filter(|l| l.severity == Severity::Error)
        .take(3)
        .map(|l| {
            let line = l.line.map_or_else(String::new, |n| format!(" (line {n})"));
            format!("{} {}{line}", l.metric, l.message)
        })
        .collect();
    let median_ms = r.timing_ms.map_or(0.0, |t| t.median);
    let slow_ms = opts.slow.as_secs_f64() * 1000.0;
    let summary = format!(
        "{} families, {} samples, {} in {:.0} ms",
        r.families,
        r.samples,
        crate::text::human::bytes(r.bytes),
        median_ms
    );
    if !errors.is_empty() {
        return DoctorStep::new(
            "metrics",
            CheckVerdict::Fail,
            format!("{summary}; lint errors: {}", errors.join("; ")),
        )
        .fix("fix these series (gpucharts-mon lint lists every finding)");
    }
    if median_ms > slow_ms {
        // dns, connect and tls are each phase's own time; the first byte
        // and the total are counted from the start.
        let slowest = r.phases_ms.map_or("body", |p| {
            [
                ("dns", p.dns),
                ("connect", p.connect),
                ("tls", p.tls),
                ("first byte", p.ttfb - p.dns - p.connect - p.tls),
                ("body", p.total - p.ttfb),
            ]
            .into_iter()
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map_or("body", |(name, _)| name)
        });
        // The advice follows the phase that took the time.
        let fix = match slowest {
            "dns" => "name resolution is slow: check the resolver (/etc/resolv.conf), or name the instance by IP in the inventory".to_string(),
            "connect" => "the TCP connect is slow: the network path or an overloaded host (check the latency to it and any rate-limiting firewall)".to_string(),
            "tls" => "the TLS handshake is slow: an overloaded endpoint or a long certificate chain; check the service's CPU".to_string(),
            "first byte" if r.bytes < 1 << 20 => format!(
                "the service takes long to start answering /metrics for a small body ({}): a slow collector in the service (a lock, a query per scrape); profile its handler, or raise scrape_timeout meanwhile",
                crate::text::human::bytes(r.bytes)
            ),
            _ => "a large body or many series: reduce label combinations (gpucharts-mon lint shows the biggest families), or raise scrape_timeout".to_string(),
        };
        return DoctorStep::new(
            "metrics",
            CheckVerdict::Warn,
            format!("{summary}: slower than {slow_ms:.0} ms (slowest phase: {slowest})"),
        )
        .fix(fix);
    }
    // The usual cause of high Prometheus memory: one family's label explosion.
    if let Some(f) = r.cardinality.first().filter(|f| f.series > 10_000) {
        let label = f.top_labels.first().map_or_else(String::new, |l| {
            format!(", label {} has {} values", l.label, l.distinct_values)
        });
        return DoctorStep::new(
            "metrics",
            CheckVerdict::Warn,
            format!("{summary}; {} has {} series{label}", f.name, f.series),
        )
        .fix("reduce that label's combinations (high cardinality drives Prometheus' memory)");
    }
    DoctorStep::new("metrics", CheckVerdict::Pass, summary)
}

/// Prometheus' view: the target's health, or why it is not scraped; false
/// when Prometheus could not be asked.
async fn prometheus_steps(
    e: &Endpoint,
    prom: &PromClient,
    job: Option<&str>,
    steps: &mut Vec<DoctorStep>,
) -> bool {
    let url = e.metrics_url.to_string();
    let targets = match prom.targets(None, None).await {
        Ok(t) => t,
        Err(err) => {
            steps.push(
                DoctorStep::new(
                    "prometheus",
                    CheckVerdict::Fail,
                    format!("cannot ask Prometheus: {err}"),
                )
                .fix("check --prometheus / PROMETHEUS_URL"),
            );
            return false;
        }
    };
    let same = |t: &&crate::promapi::types::ActiveTarget| same_endpoint(&t.scrape_url, &url);
    let of_job = |t: &&crate::promapi::types::ActiveTarget| {
        job.is_none_or(|j| t.labels.get("job").map(String::as_str) == Some(j))
    };
    let found = targets
        .active_targets
        .iter()
        .find(|t| same(t) && of_job(t))
        .or_else(|| targets.active_targets.iter().find(same));
    if let Some(t) = found {
        let job_name = t.labels.get("job").cloned().unwrap_or_default();
        steps.push(match t.health.as_str() {
            "up" => DoctorStep::new(
                "prometheus",
                CheckVerdict::Pass,
                format!(
                    "scraped as job {job_name}, up, last scrape took {}",
                    crate::text::human::seconds(t.last_scrape_duration)
                ),
            ),
            "down" => DoctorStep::new(
                "prometheus",
                CheckVerdict::Fail,
                format!("scraped as job {job_name} but down: {}", t.last_error),
            )
            .fix("Prometheus cannot scrape what this host can: check the firewall on the path from the Prometheus host"),
            _ => DoctorStep::new("prometheus", CheckVerdict::Warn, format!("job {job_name}: not scraped yet"))
                .fix("wait one scrape interval"),
        });
        if let Some(step) = shadowing_step(prom, t).await {
            steps.push(step);
        }
    } else {
        steps.push(absent_target(e, prom, job, &targets).await);
    }
    alerting_steps(prom, steps).await;
    true
}

/// The families of target `t` that a Pushgateway Prometheus scrapes serves
/// too (pushed groups never expire): rules and dashboards then see the
/// pushed series beside, or instead of, the pulled ones. The Pushgateway
/// targets are those whose metadata has `push_time_seconds`.
async fn shadowing_step(
    prom: &PromClient,
    t: &crate::promapi::types::ActiveTarget,
) -> Option<DoctorStep> {
    let gateways = prom.targets_with("push_time_seconds").await.ok()?;
    let label = |k: &str| t.labels.get(k).map_or("", String::as_str);
    let own = prom
        .target_families(label("job"), label("instance"))
        .await
        .ok()?;
    for (job, instance) in &gateways {
        let pushed = prom.target_families(job, instance).await.ok()?;
        let both: Vec<&String> = own.intersection(&pushed).collect();
        if !both.is_empty() {
            return Some(
                DoctorStep::new(
                    "pushgateway",
                    CheckVerdict::Warn,
                    format!(
                        "{} of this target's families are also pushed, and scraped from the Pushgateway (job {job}, {instance}): {}; rules and dashboards see the pushed series too",
                        both.len(),
                        both.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
                    ),
                )
                .fix(format!("gpucharts-mon migrate --pushgateway http://{instance} names the groups; --delete-migrated removes the collected ones")),
            );
        }
    }
    None
}

/// Why Prometheus does not scrape the endpoint: dropped by relabelling, the
/// job missing from the running config, or no such target in the job.
async fn absent_target(
    e: &Endpoint,
    prom: &PromClient,
    job: Option<&str>,
    targets: &crate::promapi::types::TargetsData,
) -> DoctorStep {
    let address = format!(
        "{}:{}",
        e.metrics_url.host_str().unwrap_or_default(),
        e.metrics_url.port_or_known_default().unwrap_or(80)
    );
    let running: Option<crate::promconfig::PrometheusConfig> = match prom.config().await {
        Ok(c) => crate::yaml::from_str(&c.yaml).ok(),
        Err(_) => None,
    };
    if let Some(d) = targets
        .dropped_targets
        .iter()
        .find(|d| d.discovered_labels.get("__address__") == Some(&address))
    {
        let labels: Vec<String> = d
            .discovered_labels
            .iter()
            .filter(|(k, _)| !k.starts_with("__meta_"))
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        let rule = dropping_rule(running.as_ref(), &d.discovered_labels);
        return DoctorStep::new(
            "prometheus",
            CheckVerdict::Fail,
            format!(
                "the target was dropped by relabelling{rule} (discovered labels: {})",
                labels.join(", ")
            ),
        )
        .fix("check the job's relabel_configs (gpucharts-mon relabel --config-file … --job … shows every step)");
    }
    let running_jobs: Vec<String> = running
        .map(|cfg| cfg.scrape_configs.into_iter().map(|j| j.job_name).collect())
        .unwrap_or_default();
    match job {
        Some(job) if !running_jobs.iter().any(|j| j == job) => DoctorStep::new(
            "prometheus",
            CheckVerdict::Fail,
            format!(
                "job {job} is not in the running config (running jobs: {})",
                if running_jobs.is_empty() {
                    "none".to_string()
                } else {
                    running_jobs.join(", ")
                }
            ),
        )
        .fix("regenerate the config (gpucharts-mon gen-config -o … --force) and apply it: gpucharts-mon reload"),
        Some(job) => {
            let discovered = targets
                .active_targets
                .iter()
                .filter(|t| t.labels.get("job").map(String::as_str) == Some(job))
                .count()
                + targets
                    .dropped_targets
                    .iter()
                    .filter(|d| d.discovered_labels.get("job").map(String::as_str) == Some(job))
                    .count();
            if discovered == 0 {
                DoctorStep::new(
                    "prometheus",
                    CheckVerdict::Fail,
                    format!("job {job} is running but its service discovery produces no target at all"),
                )
                .fix("check the job's discovery (static targets, file_sd files, Kubernetes or Docker access)")
            } else {
                DoctorStep::new(
                    "prometheus",
                    CheckVerdict::Fail,
                    format!("job {job} is running with {discovered} target(s), but not {address}"),
                )
                .fix("add the address to the job (inventory instances), regenerate and gpucharts-mon reload")
            }
        }
        // "My metrics do not appear": the endpoint may serve fine, but what
        // Prometheus does not scrape is not monitored.
        None => DoctorStep::new(
            "prometheus",
            CheckVerdict::Fail,
            format!("Prometheus does not scrape {address}: its metrics never reach Prometheus"),
        )
        .fix("add it to the inventory (services.<logger|server>.instances), regenerate the config (gpucharts-mon gen-config -o … --force) and apply it: gpucharts-mon reload"),
    }
}

/// The config file on disk against the running config: changed since the
/// last reload (→ reload), different from what runs, or unreadable by the
/// user Prometheus runs as (the mode problem).
async fn config_file_step(prom: &PromClient, file: &std::path::Path) -> DoctorStep {
    use std::os::unix::fs::MetadataExt;
    let shown = file.display();
    let meta = match std::fs::metadata(file) {
        Ok(m) => m,
        Err(e) => {
            return DoctorStep::new("config-file", CheckVerdict::Fail, format!("{shown}: {e}"))
                .fix("fix prometheus.config_file in the inventory");
        }
    };
    // Judged for the user the running Prometheus has (root reads
    // anything), else for the `prometheus` account.
    let reader = prometheus_process(prom.base_url())
        .map(|(pid, c)| {
            (
                format!("uid {}, the user Prometheus (PID {pid}) runs as", c.uid),
                c,
            )
        })
        .or_else(|| passwd_user("prometheus").map(|c| ("the prometheus user".to_string(), c)));
    if let Some((who, cred)) = reader
        && !cred.can_read(meta.mode(), meta.uid(), meta.gid())
    {
        return DoctorStep::new(
            "config-file",
            CheckVerdict::Fail,
            format!(
                "{shown} (mode {:04o}, owner {}:{}) cannot be read by {who}",
                meta.mode() & 0o7777,
                meta.uid(),
                meta.gid()
            ),
        )
        .fix(format!(
            "chmod 0644 {shown} (gpucharts-mon writes 0666 & ~umask and keeps the mode on --force)"
        ));
    }
    let state = prom.reload_state().await.ok();
    let modified = meta.modified().ok().and_then(|t| {
        t.duration_since(std::time::UNIX_EPOCH)
            .ok()
            .map(|d| d.as_secs_f64())
    });
    if let (Some(m), Some(loaded)) = (modified, state.as_ref().and_then(|s| s.last_config_time))
        && m > loaded + 1.0
    {
        return DoctorStep::new(
            "config-file",
            CheckVerdict::Fail,
            format!("{shown} changed after Prometheus last loaded its config"),
        )
        .fix("gpucharts-mon reload");
    }
    let differs = match (
        crate::input::read_text(crate::input::Purpose::Config, file),
        prom.config().await,
    ) {
        (Ok(text), Ok(running)) => {
            let parse = |t: &str| crate::yaml::from_str::<crate::yaml::Value>(t).ok();
            match (parse(&text), parse(&running.yaml)) {
                (Some(f), Some(r)) => crate::promconfig::compare::differences(&f, &r),
                _ => Vec::new(),
            }
        }
        _ => Vec::new(),
    };
    if differs.is_empty() {
        DoctorStep::new(
            "config-file",
            CheckVerdict::Pass,
            format!("Prometheus runs {shown}"),
        )
    } else {
        DoctorStep::new(
            "config-file",
            CheckVerdict::Warn,
            format!(
                "Prometheus runs a different config than {shown} (differs at {})",
                differs
                    .iter()
                    .take(3)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
        .fix("gpucharts-mon reload, or check Prometheus' --config.file")
    }
}

/// The uid of a local user, from /etc/passwd.
/// The account `name` from /etc/passwd: its user and primary group.
fn passwd_user(name: &str) -> Option<Credentials> {
    let passwd = crate::input::read_text(crate::input::Purpose::Config, "/etc/passwd").ok()?;
    passwd.lines().find_map(|line| {
        let fields: Vec<&str> = line.split(':').collect();
        (fields.first() == Some(&name)).then(|| {
            Some(Credentials {
                uid: fields.get(2)?.parse().ok()?,
                gid: fields.get(3)?.parse().ok()?,
                groups: Vec::new(),
            })
        })?
    })
}

/// The local process serving the Prometheus at `url`, and who it runs as.
fn prometheus_process(url: &reqwest::Url) -> Option<(i32, Credentials)> {
    let port = url.port_or_known_default()?;
    let ip: std::net::IpAddr = match url.host_str()?.trim_matches(['[', ']']) {
        "localhost" => std::net::Ipv4Addr::LOCALHOST.into(),
        literal => literal.parse().ok()?,
    };
    let (found, _) = crate::process::find_prometheus();
    found
        .into_iter()
        .find(|c| c.serves(SocketAddr::new(ip, port)))
        .and_then(|c| Some((c.pid, c.credentials?)))
}

/// Which rule of the running config dropped these discovered labels, by
/// the relabel engine (Prometheus 2.x semantics for 2.x servers is close
/// enough to name the rule): ` by rule N (description)`, or nothing.
fn dropping_rule(
    running: Option<&crate::promconfig::PrometheusConfig>,
    discovered: &std::collections::BTreeMap<String, String>,
) -> String {
    use crate::promconfig::relabel::{compile_all, describe, trace};
    use crate::version::PromVersion;
    let Some(config) = running else {
        return String::new();
    };
    let Some(job) = discovered
        .get("job")
        .and_then(|j| config.scrape_configs.iter().find(|s| &s.job_name == j))
    else {
        return String::new();
    };
    let Ok(rules) = compile_all(job, PromVersion::V2) else {
        return String::new();
    };
    let (interval, timeout) = config.job_timing(job);
    let t = trace(
        job,
        &rules,
        discovered,
        &interval.to_string(),
        &timeout.to_string(),
        PromVersion::V2,
        false,
    );
    t.dropped_by.map_or_else(String::new, |i| {
        format!(" by rule {i} ({})", describe(&job.relabel_configs[i]))
    })
}

/// Rule files loaded and healthy; an Alertmanager connected.
async fn alerting_steps(prom: &PromClient, steps: &mut Vec<DoctorStep>) {
    steps.push(match prom.rules().await {
        Ok(r) if r.groups.is_empty() => DoctorStep::new(
            "rules",
            CheckVerdict::Warn,
            "no rule groups loaded",
        )
        .fix(
            "gpucharts-mon gen-rules -o alerts.yml, list it under rule_files, gpucharts-mon reload",
        ),
        Ok(r) => {
            let bad: Vec<String> = r
                .groups
                .iter()
                .flat_map(|g| g.rules.iter())
                .filter(|rule| {
                    !rule.health.is_empty() && rule.health != "ok" && rule.health != "unknown"
                })
                .map(|rule| format!("{}: {}", rule.name, rule.last_error))
                .collect();
            if bad.is_empty() {
                DoctorStep::new(
                    "rules",
                    CheckVerdict::Pass,
                    format!("{} rule group(s) loaded", r.groups.len()),
                )
            } else {
                DoctorStep::new(
                    "rules",
                    CheckVerdict::Warn,
                    format!("unhealthy rules: {}", bad.join("; ")),
                )
            }
        }
        Err(err) => DoctorStep::new(
            "rules",
            CheckVerdict::Skip,
            format!("cannot read rules: {err}"),
        ),
    });
    steps.push(match prom.alertmanagers().await {
        Ok(a) if a.active_alertmanagers.is_empty() => DoctorStep::new(
            "alertmanager",
            CheckVerdict::Warn,
            "no Alertmanager connected: alerts go nowhere",
        )
        .fix("gpucharts-mon gen-config --alertmanager HOST:9093 …, then gpucharts-mon reload"),
        Ok(a) => DoctorStep::new(
            "alertmanager",
            CheckVerdict::Pass,
            format!("{} Alertmanager(s) connected", a.active_alertmanagers.len()),
        ),
        Err(err) => DoctorStep::new(
            "alertmanager",
            CheckVerdict::Skip,
            format!("cannot ask: {err}"),
        ),
    });
}

/// The job name of a GPU Charts service endpoint (for the Prometheus side).
pub fn job_of(role: Option<ServiceRole>, inv: &crate::inventory::Inventory) -> Option<String> {
    role.map(|r| inv.service(r).job.value.clone())
}
