//! Checks run before anything is written. Each error names the offending
//! value and where it came from (flag, inventory key or default).

use std::collections::BTreeMap;

use super::model::PrometheusConfig;
use super::relabel;
use crate::inventory::{Discovery, Inventory};

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ConfigError {
    #[error("{0}")]
    Invalid(String),
    #[error("internal: {0}")]
    Internal(String),
    #[error("cannot read {file}: {why}")]
    Unreadable { file: String, why: String },
    /// A prometheus.yml that fails the checks of `check_config_text`.
    #[error("{file}: {why}")]
    InFile { file: String, why: String },
}

impl ConfigError {
    pub fn internal(msg: String) -> Self {
        ConfigError::Internal(msg)
    }
}

message_into_string!(ConfigError);

impl crate::error::Classify for ConfigError {
    /// An invalid inventory or file is bad input (exit 2); anything else is
    /// ours.
    fn kind(&self) -> crate::error::Kind {
        match self {
            ConfigError::Internal(_) => crate::error::Kind::Failed,
            _ => crate::error::Kind::Usage,
        }
    }
}

/// A prometheus.yml the user names, read under the config cap and put
/// through `check_config_text`.
pub(crate) fn read_config(file: &std::path::Path) -> Result<PrometheusConfig, ConfigError> {
    let shown = || file.display().to_string();
    let text = crate::input::read_text(crate::input::Purpose::Config, file).map_err(|e| {
        ConfigError::Unreadable {
            file: shown(),
            why: e.to_string(),
        }
    })?;
    check_config_text(&text).map_err(|why| ConfigError::InFile {
        file: shown(),
        why: why.to_string(),
    })
}

fn invalid(msg: String) -> Result<(), ConfigError> {
    Err(ConfigError::Invalid(msg))
}

pub(crate) fn check_inventory(inv: &Inventory) -> Result<(), ConfigError> {
    let p = &inv.prometheus;
    p.cluster
        .validate()
        .map_err(|e| ConfigError::Invalid(e.to_string()))?;
    if inv.environment.value.is_empty() {
        return invalid(format!(
            "environment is empty ({}): Prometheus drops labels with empty values",
            inv.environment.origin
        ));
    }
    for d in [&p.scrape_interval, &p.evaluation_interval] {
        if d.value.as_millis() == 0 {
            return invalid(format!(
                "interval {} ({}) must be greater than 0",
                d.value, d.origin
            ));
        }
    }
    if let Some(t) = &p.scrape_timeout {
        if t.value > p.scrape_interval.value {
            return invalid(format!(
                "scrape timeout {} ({}) is longer than the scrape interval {} ({}); Prometheus rejects this",
                t.value, t.origin, p.scrape_interval.value, p.scrape_interval.origin
            ));
        }
        if t.value.as_millis() == 0 {
            return invalid(format!(
                "scrape timeout 0 ({}) must be greater than 0",
                t.origin
            ));
        }
    }
    // 3.x takes any UTF-8 label name (`k8s.cluster`); 2.x only legacy ones.
    let legacy = p.version.as_ref().is_some_and(|v| v.value == 2);
    for name in p.external_labels.keys() {
        crate::values::check_label_name_for(name, legacy)
            .map_err(|e| ConfigError::Invalid(format!("external label {e}")))?;
    }
    check_protocols(inv, legacy)?;
    check_jobs(inv)?;
    check_security(inv)
}

/// `scrape_protocols` and `fallback_scrape_protocol` as Prometheus 3
/// checks them (no empty list, no repeats); 2.42, the 2.x this tool is
/// proven against, has neither key and refuses the file.
fn check_protocols(inv: &Inventory, legacy: bool) -> Result<(), ConfigError> {
    let p = &inv.prometheus;
    let services = inv.services();
    let lists = std::iter::once(p.scrape_protocols.as_ref())
        .chain(services.iter().map(|s| s.scrape_protocols.as_ref()))
        .flatten();
    let fallbacks = std::iter::once(p.fallback_scrape_protocol.as_ref())
        .chain(services.iter().map(|s| s.fallback_scrape_protocol.as_ref()))
        .flatten();
    let origins = lists
        .clone()
        .map(|l| l.origin.as_str())
        .chain(fallbacks.map(|f| f.origin.as_str()));
    if legacy && let Some(origin) = origins.into_iter().next() {
        return invalid(format!(
            "{origin}: Prometheus 2.42 has no scrape_protocols or fallback_scrape_protocol (they need 3.x; prometheus.version is 2)"
        ));
    }
    for list in lists {
        if list.value.is_empty() {
            return invalid(format!("{}: scrape_protocols cannot be empty", list.origin));
        }
        for (i, proto) in list.value.iter().enumerate() {
            if list.value[..i].contains(proto) {
                return invalid(format!(
                    "{}: duplicated protocol {} in scrape_protocols",
                    list.origin,
                    proto.name()
                ));
            }
        }
    }
    Ok(())
}

/// The `kubernetes` settings of a service, as Prometheus and the API
/// server would refuse them.
fn check_kubernetes(
    svc: &crate::inventory::Service,
    version: crate::version::PromVersion,
) -> Result<(), ConfigError> {
    use crate::inventory::kubernetes::K8sRole;
    let k = &svc.kubernetes;
    let what = format!("services.{}.kubernetes", svc.role.name());
    for regex in [&k.app, &k.container].into_iter().flatten() {
        // As Prometheus compiles it: Go's RE2, anchored per version.
        super::relabel::relabel_regex(&regex.value, version)
            .map_err(|e| ConfigError::Invalid(format!("{e} ({})", regex.origin)))?;
    }
    if k.app_labels.is_empty() || k.app_labels.iter().any(|l| l.trim().is_empty()) {
        return invalid(format!(
            "{what}.app_labels (--k8s-app-label): the app label keys of the {} cannot be empty",
            svc.role.name()
        ));
    }
    if let Some(name) = &k.port_name
        && !is_port_name(&name.value)
    {
        return invalid(format!(
            "{}: port name {:?} is not a Kubernetes port name (1-15 of a-z, 0-9 and '-', a letter among them, no '-' at either end or twice in a row)",
            name.origin,
            crate::text::terminal_safe(&name.value)
        ));
    }
    if let Some(c) = &k.container
        && k.role != K8sRole::Pod
    {
        return invalid(format!(
            "{}: a container applies to role pod, not {}",
            c.origin,
            k.role.name()
        ));
    }
    if k.namespaces.iter().any(|n| n.trim().is_empty()) {
        return invalid(format!("{what}.namespaces: a namespace cannot be empty"));
    }
    let a = &k.api;
    if let Some(url) = &a.api_server {
        let ok = reqwest::Url::parse(&url.value)
            .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
        if !ok {
            return invalid(format!(
                "{}: API server {:?} is not an http(s) URL, e.g. https://10.0.0.1:6443",
                url.origin,
                crate::redact::url_text(&url.value)
            ));
        }
    }
    if a.kubeconfig_file.is_some() && a.api_server.is_some() {
        return invalid(format!(
            "{what}: kubeconfig_file and api_server cannot both be set (Prometheus refuses it); the kubeconfig names its server"
        ));
    }
    if a.kubeconfig_file.is_some() && a.has_client_options() {
        return invalid(format!(
            "{what}: kubeconfig_file carries its own credentials; ca_file, cert_file, key_file, insecure_skip_verify and bearer_token_file cannot be set beside it (Prometheus refuses it)"
        ));
    }
    if k.own_namespace && (a.api_server.is_some() || a.kubeconfig_file.is_some()) {
        return invalid(format!(
            "{what}: own_namespace is the namespace of an in-cluster Prometheus; it cannot be set beside api_server or kubeconfig_file (Prometheus refuses it)"
        ));
    }
    if a.cert_file.is_some() != a.key_file.is_some() {
        return invalid(format!(
            "{what}: cert_file and key_file go together (a client certificate needs its key)"
        ));
    }
    Ok(())
}

/// A Kubernetes port name (IANA_SVC_NAME), as the API server checks it.
fn is_port_name(name: &str) -> bool {
    (1..=15).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && name.bytes().any(|b| b.is_ascii_lowercase())
        && !name.starts_with('-')
        && !name.ends_with('-')
        && !name.contains("--")
}

fn check_jobs(inv: &Inventory) -> Result<(), ConfigError> {
    let version = crate::version::PromVersion::of_flag(
        inv.prometheus.version.as_ref().map_or(3, |v| v.value),
    );
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    if inv.prometheus.self_scrape.is_some() {
        seen.insert("prometheus", "--self-scrape");
    }
    if inv.prometheus.pushgateway.is_some() {
        seen.insert(super::build::PUSHGATEWAY_JOB, "--pushgateway");
    }
    for svc in inv.services() {
        let job = &svc.job;
        if job.value.trim().is_empty() {
            return invalid(format!(
                "job name of the {} is empty ({})",
                svc.role.name(),
                job.origin
            ));
        }
        if let Some(first) = seen.insert(&job.value, &job.origin) {
            return invalid(format!(
                "duplicate job name '{}' ({} and {}); Prometheus requires unique job names",
                job.value, first, job.origin
            ));
        }
        match svc.discovery {
            Discovery::Kubernetes => check_kubernetes(svc, version)?,
            Discovery::Docker => {
                let host = &svc.docker_host;
                let scheme_ok = ["unix://", "tcp://", "http://", "https://"]
                    .iter()
                    .any(|p| host.strip_prefix(p).is_some_and(|rest| !rest.is_empty()));
                if !scheme_ok {
                    return invalid(format!(
                        "Docker host '{}' of the {} (--docker-host or services.{}.docker.host) must be a URL such as unix:///var/run/docker.sock or tcp://host:2375",
                        crate::text::terminal_safe(host),
                        svc.role.name(),
                        svc.role.name()
                    ));
                }
                let s = &svc.docker_service;
                super::relabel::relabel_regex(&s.value, version)
                    .map_err(|e| ConfigError::Invalid(format!("{e} ({})", s.origin)))?;
            }
            Discovery::Static | Discovery::FileSd => {
                let instances = svc.instances();
                if instances.value.is_empty() {
                    return invalid(format!(
                        "the {} has no instances ({})",
                        svc.role.name(),
                        instances.origin
                    ));
                }
            }
        }
    }
    Ok(())
}

fn check_security(inv: &Inventory) -> Result<(), ConfigError> {
    let s = &inv.scrape;
    let scheme = s.scheme.as_deref().unwrap_or("http");
    if scheme != "http" && scheme != "https" {
        return invalid(format!(
            "scheme '{}' ({}): must be http or https",
            crate::values::excerpt(scheme),
            s.origin("scheme")
        ));
    }
    let tls_keys = [
        "ca_file",
        "cert_file",
        "tls_server_name",
        "insecure_skip_verify",
    ];
    if let Some(key) = tls_keys.into_iter().find(|k| s.origins.contains_key(k))
        && scheme != "https"
    {
        let why = match s.origins.get("scheme") {
            Some(origin) => format!("the scheme is {scheme} ({origin})"),
            None => "the scheme is http by default".into(),
        };
        return invalid(format!(
            "{} needs --scheme https (scrape.scheme: https); {why}",
            s.origin(key)
        ));
    }
    if s.cert_file.is_some() != s.key_file.is_some() {
        let given = if s.cert_file.is_some() {
            "cert_file"
        } else {
            "key_file"
        };
        return invalid(format!(
            "a client certificate needs both a certificate and its key; only {} is given",
            s.origin(given)
        ));
    }
    if s.insecure_skip_verify && s.ca_file.is_some() {
        return invalid(format!(
            "{} and {} conflict: skipping verification makes the CA unused",
            s.origin("insecure_skip_verify"),
            s.origin("ca_file")
        ));
    }
    match (&s.basic_auth_user, &s.basic_auth_password_file) {
        (Some(_), None) => {
            return invalid(format!(
                "{} needs a password file too (--basic-auth-password-file or scrape.basic_auth_password_file; passwords only by file)",
                s.origin("basic_auth_user")
            ));
        }
        (None, Some(_)) => {
            return invalid(format!(
                "{} needs a user too (--basic-auth-user or scrape.basic_auth_user)",
                s.origin("basic_auth_password_file")
            ));
        }
        (Some(user), Some(_)) if user.is_empty() => {
            return invalid(format!(
                "the basic auth user is empty ({})",
                s.origin("basic_auth_user")
            ));
        }
        _ => {}
    }
    if s.basic_auth_user.is_some() && s.bearer_token_file.is_some() {
        return invalid(format!(
            "basic auth ({}) and a bearer token ({}) conflict: Prometheus allows only one per job",
            s.origin("basic_auth_user"),
            s.origin("bearer_token_file")
        ));
    }
    Ok(())
}

/// Every relabel rule must compile, as Prometheus would compile it.
pub(crate) fn check_relabelling(config: &PrometheusConfig) -> Result<(), ConfigError> {
    for job in &config.scrape_configs {
        relabel::compile_all(job, crate::version::PromVersion::V3)
            .map_err(|e| ConfigError::Invalid(e.to_string()))?;
    }
    Ok(())
}

/// Two jobs scraping one address is almost always a mistake: e.g. a
/// self-scrape on localhost:9090 next to the logger, which also defaults to 9090.
pub(crate) fn address_clashes(config: &PrometheusConfig) -> Vec<String> {
    let mut by_address: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for job in &config.scrape_configs {
        for group in &job.static_configs {
            for t in &group.targets {
                let jobs = by_address.entry(t.as_str()).or_default();
                if !jobs.contains(&job.job_name.as_str()) {
                    jobs.push(&job.job_name);
                }
            }
        }
    }
    by_address
        .into_iter()
        .filter(|(_, jobs)| jobs.len() > 1)
        .map(|(addr, jobs)| {
            format!(
                "jobs {} all scrape {addr}; they will read the same endpoint",
                jobs.join(", ")
            )
        })
        .collect()
}

/// The checks gpucharts-mon runs on any prometheus.yml (e.g. before a
/// reload): it parses, job names are unique, no scrape timeout exceeds its
/// interval, every relabel rule compiles.
pub(crate) fn check_config_text(text: &str) -> Result<PrometheusConfig, ConfigError> {
    check_config_for(text, crate::version::PromVersion::V3)
}

/// `check_config_text` with `version`'s rules, as that version's promtool
/// checks: the relabel rules validated and compiled as that version does,
/// and every static target run through its job's relabelling (a target
/// left without an address makes the config invalid).
pub fn check_config_for(
    text: &str,
    version: crate::version::PromVersion,
) -> Result<PrometheusConfig, ConfigError> {
    check_config_for_text(text, version).map_err(ConfigError::Invalid)
}

fn check_config_for_text(
    text: &str,
    version: crate::version::PromVersion,
) -> Result<PrometheusConfig, String> {
    let config: PrometheusConfig = crate::yaml::from_str(text)?;
    let g = &config.global;
    if let Some(t) = g.scrape_timeout
        && t > g.scrape_interval
    {
        return Err(format!(
            "global scrape_timeout {t} is longer than scrape_interval {}",
            g.scrape_interval
        ));
    }
    let mut seen = std::collections::BTreeSet::new();
    for job in &config.scrape_configs {
        if !seen.insert(job.job_name.as_str()) {
            return Err(format!("duplicate job name '{}'", job.job_name));
        }
        let interval = job.scrape_interval.unwrap_or(g.scrape_interval);
        // Only an explicit job timeout can clash: Prometheus shortens an
        // inherited global one to the job's interval.
        if let Some(t) = job.scrape_timeout
            && t > interval
        {
            return Err(format!(
                "job '{}': scrape_timeout {t} is longer than scrape_interval {interval}",
                job.job_name
            ));
        }
    }
    for job in &config.scrape_configs {
        let rules = relabel::compile_all(job, version)?;
        let (interval, timeout) = config.job_timing(job);
        let (interval, timeout) = (interval.to_string(), timeout.to_string());
        for (gi, group) in job.static_configs.iter().enumerate() {
            for (ti, address) in group.targets.iter().enumerate() {
                let mut discovered: relabel::LabelSet = group.labels.clone();
                discovered.insert("__address__".into(), address.clone());
                let t = relabel::trace(
                    job,
                    &rules,
                    &discovered,
                    &interval,
                    &timeout,
                    version,
                    false,
                );
                if let Err(e) = t.outcome {
                    return Err(format!(
                        "job '{}': instance {ti} in group {gi}: {e}",
                        job.job_name
                    ));
                }
            }
        }
    }
    Ok(config)
}
