//! The generators' settings: gen-config's flags over the inventory, the
//! file it splices into, the Alertmanager config, and what the firewall
//! rules let through.

use crate::catalogue::ServiceRole;
use crate::cli::{GenConfigArgs, K8sArgs, K8sRoleArg};
use crate::error;
use crate::inventory::kubernetes::{K8sRole, Kubernetes};
use crate::inventory::{Inventory, Sourced};

use super::scrape::apply_scrape_flags;

/// gen-config's flags over the inventory, which is over the defaults; each
/// value set by a flag remembers the flag.
pub(crate) fn gen_config_inventory(mut inv: Inventory, a: &GenConfigArgs) -> Inventory {
    if let Some(e) = &a.environment {
        inv.environment = Sourced::new(e.clone(), "--environment");
    }
    let p = &mut inv.prometheus;
    if let Some(d) = a.scrape_interval {
        p.scrape_interval = Sourced::new(d, "--scrape-interval");
    }
    if let Some(d) = a.evaluation_interval {
        p.evaluation_interval = Sourced::new(d, "--evaluation-interval");
    }
    if let Some(d) = a.scrape_timeout {
        p.scrape_timeout = Some(Sourced::new(d, "--scrape-timeout"));
    }
    p.external_labels.extend(a.external_labels.iter().cloned());
    if !a.scrape_protocols.is_empty() {
        p.scrape_protocols = Some(Sourced::new(
            a.scrape_protocols.clone(),
            "--scrape-protocols",
        ));
    }
    if let Some(f) = a.fallback_scrape_protocol {
        p.fallback_scrape_protocol = Some(Sourced::new(f, "--fallback-scrape-protocol"));
    }
    if a.pushgateway.is_some() {
        p.pushgateway.clone_from(&a.pushgateway);
    }
    if a.self_scrape.is_some() {
        p.self_scrape.clone_from(&a.self_scrape);
    }
    p.rule_files.extend(a.rule_files.iter().cloned());
    if !a.alertmanagers.is_empty() {
        inv.alertmanagers.clone_from(&a.alertmanagers);
    }
    for role in ServiceRole::ALL {
        let (instances, flag, docker_service, docker_flag) = match role {
            ServiceRole::Logger => (
                &a.logger,
                "--logger",
                &a.docker_logger_service,
                "--docker-logger-service",
            ),
            ServiceRole::Server => (
                &a.server,
                "--server",
                &a.docker_server_service,
                "--docker-server-service",
            ),
        };
        let svc = inv.service_mut(role);
        if let Some(mode) = a.mode {
            svc.discovery = mode;
        }
        if !instances.is_empty() {
            svc.instances = Some(Sourced::new(instances.clone(), flag));
        }
        apply_k8s_flags(&mut svc.kubernetes, &a.k8s);
        if let Some(h) = &a.docker_host {
            svc.docker_host.clone_from(h);
        }
        if let Some(s) = docker_service {
            svc.docker_service = Sourced::new(s.clone(), docker_flag);
        }
    }
    apply_scrape_flags(&mut inv.scrape, &a.security);
    // Secrets are referenced by file; when such a file is on this host too,
    // say if others can read it.
    let s = &inv.scrape;
    for (file, what) in [
        (&s.basic_auth_password_file, "scrape password file"),
        (&s.bearer_token_file, "scrape bearer token file"),
    ] {
        if let Some(w) = file
            .as_deref()
            .and_then(|f| crate::redact::shared_secret(std::path::Path::new(f), what))
        {
            error::warn(w);
        }
    }
    inv
}

/// The `--k8s-*` flags over a service's `kubernetes` settings.
fn apply_k8s_flags(k: &mut Kubernetes, a: &K8sArgs) {
    let flag = |name: &str, v: &String| Sourced::new(v.clone(), name);
    if let Some(role) = a.k8s_role {
        k.role = match role {
            K8sRoleArg::Pod => K8sRole::Pod,
            K8sRoleArg::Endpoints => K8sRole::Endpoints,
            K8sRoleArg::Endpointslice => K8sRole::EndpointSlice,
        };
    }
    if !a.k8s_namespaces.is_empty() {
        k.namespaces.clone_from(&a.k8s_namespaces);
    }
    k.own_namespace |= a.k8s_own_namespace;
    if !a.k8s_app_labels.is_empty() {
        k.app_labels.clone_from(&a.k8s_app_labels);
    }
    if let Some(p) = &a.k8s_port_name {
        k.port_name = Some(flag("--k8s-port-name", p));
    }
    if let Some(c) = &a.k8s_container {
        k.container = Some(flag("--k8s-container", c));
    }
    k.annotations &= !a.k8s_no_annotations;
    let set = |to: &mut Option<String>, v: &Option<String>| {
        if v.is_some() {
            to.clone_from(v);
        }
    };
    set(&mut k.label_selector, &a.k8s_label_selector);
    set(&mut k.field_selector, &a.k8s_field_selector);
    if let Some(u) = &a.k8s_api_server {
        k.api.api_server = Some(flag("--k8s-api-server", u));
        k.api.kubeconfig_file = None;
    }
    if a.k8s_kubeconfig_file.is_some() {
        k.api.api_server = None;
    }
    set(&mut k.api.kubeconfig_file, &a.k8s_kubeconfig_file);
    set(&mut k.api.ca_file, &a.k8s_ca_file);
    set(&mut k.api.cert_file, &a.k8s_cert_file);
    set(&mut k.api.key_file, &a.k8s_key_file);
    k.api.insecure_skip_verify |= a.k8s_insecure_skip_verify;
    set(&mut k.api.bearer_token_file, &a.k8s_bearer_token_file);
}

/// The text of an existing prometheus.yml (`--into FILE`).
pub(crate) fn into_text(file: &std::path::Path) -> anyhow::Result<String> {
    crate::input::read_text(crate::input::Purpose::Config, file)
        .map_err(|e| error::usage(format!("--into {}: {e}", file.display())))
}

/// An existing prometheus.yml (`--into FILE`) with `config`'s jobs spliced
/// in: its text as read, and the result; what the splice leaves to the
/// file's owner is said once, here.
pub(crate) fn spliced_into(
    file: &std::path::Path,
    config: &crate::promconfig::PrometheusConfig,
    adopt: bool,
) -> anyhow::Result<(String, crate::promconfig::splice::Spliced)> {
    let existing = into_text(file)?;
    let spliced = crate::promconfig::splice::splice(&existing, config, adopt)
        .map_err(|e| error::usage(format!("--into {}: {e}", file.display())))?;
    for w in &spliced.left {
        error::warn(format!("{}: {w}", file.display()));
    }
    Ok((existing, spliced))
}

/// The Alertmanager config of the inventory: a bad inventory is a usage
/// error naming its file, and one without receivers is warned about.
pub(crate) fn alertmanager_config(inv: &Inventory) -> anyhow::Result<crate::alertmanager::Config> {
    let file = inv.source_name();
    let config =
        crate::alertmanager::build(inv).map_err(|e| error::usage(format!("{file}: {e}")))?;
    if inv.receivers.is_empty() {
        error::warn(format!(
            "{file} lists no alertmanager.receivers: alerts are grouped and inhibited but notify nobody"
        ));
    }
    Ok(config)
}

/// The sources and ports the firewall rules let through: flags, else the
/// inventory's `prometheus.allowed_sources` and the services' ports.
pub(crate) fn firewall_scope(
    allow: &[String],
    ports: &[u32],
    inv: &Inventory,
) -> (Sourced<Vec<String>>, Vec<u32>) {
    let allow = if allow.is_empty() {
        inv.prometheus.allowed_sources.clone()
    } else {
        Sourced::new(allow.to_vec(), "--allow")
    };
    let ports = if ports.is_empty() {
        inv.services().iter().map(|s| u32::from(s.port)).collect()
    } else {
        ports.to_vec()
    };
    (allow, ports)
}

/// An address the inventory gives for a Prometheus server.
pub(crate) struct PrometheusAddress {
    pub ip: std::net::IpAddr,
    pub origin: String,
}

/// Every address the inventory gives for its Prometheus servers: the IP
/// literals of `prometheus.url` and the servers' URLs, and
/// `prometheus.allowed_sources` (their network addresses). Host names are
/// not resolved (no DNS lookups from a generator).
pub(crate) fn prometheus_addresses(inv: &Inventory) -> Vec<PrometheusAddress> {
    let mut urls: Vec<(String, String)> = Vec::new();
    if let Some(u) = &inv.prometheus.url {
        urls.push((u.value.clone(), u.origin.clone()));
    }
    for s in &inv.prometheus.cluster.servers {
        urls.push((s.url.clone(), format!("prometheus.servers {}", s.name)));
    }
    let mut out: Vec<PrometheusAddress> = urls
        .iter()
        .filter_map(|(url, origin)| {
            let host = reqwest::Url::parse(url).ok()?.host_str()?.to_string();
            let ip = host.trim_matches(['[', ']']).parse().ok()?;
            Some(PrometheusAddress {
                ip,
                origin: origin.clone(),
            })
        })
        .collect();
    let sources = &inv.prometheus.allowed_sources;
    out.extend(sources.value.iter().filter_map(|s| {
        let (src, _) = crate::firewall::parse_source(s.trim()).ok()?;
        Some(PrometheusAddress {
            ip: src.addr,
            origin: sources.origin.clone(),
        })
    }));
    out
}

/// gen-rules' overrides: the inventory's `rules:`, then each `--threshold
/// NAME=VALUE` and `--for NAME=DURATION` (which name the flag as source).
pub(crate) fn rule_overrides(
    thresholds: &[(String, String)],
    fors: &[(String, String)],
    inv: &Inventory,
) -> anyhow::Result<crate::rules::Overrides> {
    let mut overrides = crate::rules::inventory_overrides(inv);
    for (name, value) in thresholds {
        let t = crate::values::parse_threshold(value)
            .map_err(|e| error::usage(format!("--threshold {name}={value}: {e}")))?;
        let entry = overrides.entry(name.clone()).or_default();
        entry.0.threshold = Some(t);
        entry.1 = format!("--threshold {name}={value}");
    }
    for (name, value) in fors {
        let d: crate::values::PromDuration = value
            .parse()
            .map_err(|e| error::usage(format!("--for {name}={value}: {e}")))?;
        let entry = overrides.entry(name.clone()).or_default();
        entry.0.for_ = Some(d);
        entry.1 = format!("--for {name}={value}");
    }
    Ok(overrides)
}

/// gen-rules `--tests NAME`: (the rules file's name, NAME), the tests
/// written beside the rules; it needs `-o FILE`, and a plain NAME other
/// than the rules file's.
pub(crate) fn rule_test_files(
    tests: Option<&str>,
    output: &crate::output::files::WriteOptions,
) -> anyhow::Result<Option<(String, String)>> {
    let Some(tests) = tests else {
        return Ok(None);
    };
    let rules_name = output
        .output
        .filter(|_| !output.to_stdout())
        .and_then(|p| p.file_name())
        .and_then(|n| n.to_str())
        .ok_or_else(|| {
            error::usage(format!(
                "--tests {tests}: needs -o FILE, the rules file the tests refer to"
            ))
        })?;
    if !crate::values::is_plain_file_name(tests) || tests == rules_name {
        return Err(error::usage(format!(
            "--tests {tests:?}: expected a plain file name other than the rules file; it is written beside the rules"
        )));
    }
    Ok(Some((rules_name.to_string(), tests.to_string())))
}
