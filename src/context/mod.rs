//! One resolution of what the command line, the environment and the
//! inventory say, for the settings several commands share: where Prometheus
//! is and how to talk to it, lint options, the --jq filter. Commands read
//! these; none merges flags with the inventory itself.

pub mod plan;
pub mod pull;

use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;

use crate::Ctx;
use crate::catalogue::{Catalogue, ServiceRole};
use crate::cli::{
    ClusterKind, ConsultedPrometheusArgs, GenConfigArgs, JqArgs, K8sArgs, K8sRoleArg, LintFlags,
    PrometheusArgs, Scheme, ScrapeSecurityArgs,
};
use crate::error;
use crate::expfmt::lint::LintOptions;
use crate::inventory::cluster::{Role, ServerSpec};
use crate::inventory::kubernetes::{K8sRole, Kubernetes};
use crate::inventory::{FileScrape, Inventory, Sourced};
use crate::jq::{Jq, JqOutput};
use crate::probe::Endpoint;
use crate::probe::security::ScrapeSecurity;
use crate::promapi::DEFAULT_URL as DEFAULT_PROMETHEUS_URL;
use crate::promapi::{ClientConfig, PromClient, classify};

/// The Prometheus API client: `--prometheus`/`PROMETHEUS_URL`, else the
/// inventory's `prometheus.url`, else the default; flags for auth and TLS.
pub fn prometheus_client(
    args: &PrometheusArgs,
    ctx: &Ctx,
    default_timeout: Duration,
) -> anyhow::Result<PromClient> {
    let (raw, origin) = match (args.prometheus.as_slice(), &ctx.inventory.prometheus.url) {
        ([u], _) => (u.clone(), ctx.sources.name("prometheus", "--prometheus")),
        ([], Some(u)) => (u.value.clone(), u.origin.clone()),
        ([], None) => (DEFAULT_PROMETHEUS_URL.to_string(), "default".to_string()),
        (many, _) => {
            return Err(error::usage(format!(
                "--prometheus is given {} times; this command talks to one Prometheus (check-targets takes several)",
                many.len()
            )));
        }
    };
    prometheus_client_for(args, &raw, &origin, default_timeout)
}

/// A client for the Prometheus at `raw` (named by `origin` in errors), with
/// the API auth, TLS and limits of `args`.
pub(crate) fn prometheus_client_for(
    args: &PrometheusArgs,
    raw: &str,
    origin: &str,
    default_timeout: Duration,
) -> anyhow::Result<PromClient> {
    let url = Url::parse(raw)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
        .ok_or_else(|| {
            error::usage(format!(
                "Prometheus URL '{}' ({origin}) is not an http(s) URL, e.g. http://localhost:9092",
                crate::redact::url_text(raw)
            ))
        })?;
    if args.insecure {
        error::warn(
            "--insecure / --prometheus-insecure: Prometheus' TLS certificate is not verified",
        );
    }
    let timeout = args.timeout.map_or(default_timeout, |t| t.as_std());
    if timeout.is_zero() {
        return Err(error::usage("--timeout must be greater than 0"));
    }
    let secrets = [
        (&args.auth.prometheus_password_file, "password file"),
        (&args.auth.prometheus_bearer_token_file, "bearer token file"),
    ];
    for (file, what) in secrets {
        if let Some(w) = file
            .as_deref()
            .and_then(|f| crate::redact::shared_secret(f, what))
        {
            error::warn(w);
        }
    }
    let cfg = ClientConfig {
        url,
        timeout,
        basic_auth: args
            .auth
            .prometheus_user
            .clone()
            .zip(args.auth.prometheus_password_file.clone()),
        bearer_token_file: args.auth.prometheus_bearer_token_file.clone(),
        ca_file: args.ca_file.clone(),
        insecure: args.insecure,
        follow_redirects: args.follow_redirects,
        max_body: args.max_body,
        warn: |w| error::warn(w),
    };
    PromClient::new(&cfg).map_err(classify)
}

/// A client for the Pushgateway's API at `raw` (its `/api/v1` has
/// Prometheus' envelope), with the API client's timeout and answer cap.
pub(crate) fn pushgateway_client(
    raw: &str,
    ctx: &Ctx,
    timeout: Duration,
    max_body: u64,
) -> anyhow::Result<PromClient> {
    let origin = ctx.sources.name("pushgateway", "--pushgateway");
    let url = Url::parse(raw)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
        .ok_or_else(|| {
            error::usage(format!(
                "Pushgateway URL '{}' ({origin}) is not an http(s) URL, e.g. http://localhost:9091",
                crate::redact::url_text(raw)
            ))
        })?;
    let cfg = ClientConfig {
        url,
        timeout,
        basic_auth: None,
        bearer_token_file: None,
        ca_file: None,
        insecure: false,
        follow_redirects: false,
        max_body,
        warn: |w| error::warn(w),
    };
    PromClient::new(&cfg).map_err(|e| error::usage(format!("{origin}: {e}")))
}

/// The Prometheus a scrape-side command consults: `--prometheus` or
/// PROMETHEUS_URL, else, when `from_inventory`, the inventory's
/// `prometheus.url`; `None` when neither names one.
pub(crate) fn consulted_prometheus(
    args: &ConsultedPrometheusArgs,
    ctx: &Ctx,
    timeout: Duration,
    from_inventory: bool,
) -> anyhow::Result<Option<PromClient>> {
    if args.prometheus.is_none() && !(from_inventory && ctx.inventory.prometheus.url.is_some()) {
        return Ok(None);
    }
    prometheus_client(&api_args(args), ctx, timeout).map(Some)
}

/// The consulted Prometheus' settings as the API client's: the URL (or
/// nothing: the inventory's or the default), the API auth and TLS, and the
/// client's own timeout and answer cap.
fn api_args(args: &ConsultedPrometheusArgs) -> PrometheusArgs {
    PrometheusArgs {
        prometheus: args.prometheus.iter().cloned().collect(),
        auth: args.auth.clone(),
        ca_file: args.ca_file.clone(),
        insecure: args.insecure,
        follow_redirects: false,
        timeout: None,
        max_body: crate::cli::DEFAULT_API_MAX_BODY,
    }
}

/// Lint options from flags and, for a GPU Charts service, the catalogue.
pub(crate) fn lint_options(
    flags: &LintFlags,
    service: Option<ServiceRole>,
) -> anyhow::Result<LintOptions> {
    let mut opts = LintOptions {
        prefixes: flags.prefixes.clone(),
        max_series: flags.max_series,
        max_family_series: flags.max_family_series,
        top_labels: 3,
        ..LintOptions::default()
    };
    if let Some(service) = service {
        let catalogue = Catalogue::embedded().map_err(anyhow::Error::msg)?;
        if let Some(s) = catalogue.service(service) {
            if opts.prefixes.is_empty() {
                opts.prefixes.push(s.quick_test_prefix.clone());
            }
            opts.known.extend(s.families.iter().map(|f| f.name.clone()));
        }
    }
    Ok(opts)
}

/// Compile the `--jq` filter up front: a bad filter is a usage error before
/// any request is sent.
pub(crate) fn compile_jq(args: &JqArgs) -> anyhow::Result<Option<(Jq, JqOutput)>> {
    args.jq
        .as_deref()
        .map(|code| {
            Jq::compile(code).map(|jq| {
                (
                    jq,
                    JqOutput {
                        raw: args.raw_output,
                        compact: args.compact_output,
                    },
                )
            })
        })
        .transpose()
        .map_err(error::usage)
}

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

/// An existing prometheus.yml (`--into FILE`) with `config`'s jobs spliced
/// in: its text as read, and the result; what the splice leaves to the
/// file's owner is said once, here.
pub(crate) fn spliced_into(
    file: &std::path::Path,
    config: &crate::promconfig::PrometheusConfig,
    adopt: bool,
) -> anyhow::Result<(String, crate::promconfig::splice::Spliced)> {
    let existing = crate::input::read_text(crate::input::Purpose::Config, file)
        .map_err(|e| error::usage(format!("--into {}: {e}", file.display())))?;
    let spliced = crate::promconfig::splice::splice(&existing, config, adopt)
        .map_err(|e| error::usage(format!("--into {}: {e}", file.display())))?;
    for w in &spliced.left {
        error::warn(format!("{}: {w}", file.display()));
    }
    Ok((existing, spliced))
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

/// Whose rules a check follows: `--prometheus-version`, else the
/// inventory's `prometheus.version`, else 3 (the current LTS line).
pub(crate) fn prometheus_major(flag: Option<u8>, inv: &Inventory) -> crate::version::PromVersion {
    let major = flag
        .or_else(|| inv.prometheus.version.as_ref().map(|v| v.value))
        .unwrap_or(3);
    crate::version::PromVersion::of_flag(major)
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

/// reload's config and PID files: flags, else the inventory's.
pub(crate) fn reload_files(
    config_file: Option<&std::path::Path>,
    pid_file: Option<&std::path::Path>,
    inv: &Inventory,
) -> (Option<std::path::PathBuf>, Option<std::path::PathBuf>) {
    (
        config_file
            .map(std::path::Path::to_path_buf)
            .or_else(|| inv.prometheus.config_file.clone()),
        pid_file
            .map(std::path::Path::to_path_buf)
            .or_else(|| inv.prometheus.pid_file.clone()),
    )
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

/// The servers to check as a cluster: several `--prometheus` URLs with
/// `--cluster`, or the inventory's `prometheus.servers`; `None` for one.
pub(crate) fn cluster_servers(
    args: &PrometheusArgs,
    cluster: Option<ClusterKind>,
    inv: &Inventory,
) -> anyhow::Result<Option<Vec<ServerSpec>>> {
    let urls = &args.prometheus;
    match (urls.len(), cluster) {
        (0, kind) => {
            let servers = &inv.prometheus.cluster.servers;
            if servers.is_empty() {
                if kind.is_some() {
                    return Err(error::usage(
                        "--cluster needs several --prometheus URLs (or prometheus.servers in the inventory)",
                    ));
                }
                return Ok(None);
            }
            Ok(Some(servers.clone()))
        }
        (1, None) => Ok(None),
        (1, Some(_)) => Err(error::usage("--cluster needs several --prometheus URLs")),
        (n, None) => Err(error::usage(format!(
            "{n} --prometheus URLs: say how they relate with --cluster shards or --cluster replicas"
        ))),
        (n, Some(kind)) => Ok(Some(
            urls.iter()
                .enumerate()
                .map(|(i, url)| ServerSpec {
                    name: reqwest::Url::parse(url)
                        .ok()
                        .and_then(|u| {
                            Some(format!("{}:{}", u.host_str()?, u.port_or_known_default()?))
                        })
                        .unwrap_or_else(|| url.clone()),
                    url: url.clone(),
                    config_file: None,
                    pid_file: None,
                    role: match kind {
                        ClusterKind::Shards => Role::Shard,
                        ClusterKind::Replicas => Role::Replica,
                    },
                    group: (kind == ClusterKind::Replicas).then(|| "replicas".to_string()),
                    shard: (kind == ClusterKind::Shards).then_some(i as u64),
                    shards: (kind == ClusterKind::Shards).then_some(n as u64),
                })
                .collect(),
        )),
    }
}

/// The semantics to relabel with: `--prometheus-version`, else the
/// consulted Prometheus' build information (said on stderr, with a warning
/// for a version the engine does not know), else the inventory's, else 3.
pub(crate) async fn relabel_version(
    flag: Option<u8>,
    args: &ConsultedPrometheusArgs,
    ctx: &Ctx,
) -> anyhow::Result<crate::version::PromVersion> {
    use crate::version::PromVersion;
    let prom = match consulted_prometheus(args, ctx, crate::promapi::REQUEST_TIMEOUT, false)? {
        Some(prom) if flag.is_none() => prom,
        _ => return Ok(prometheus_major(flag, &ctx.inventory)),
    };
    let url = crate::redact::url_text(prom.base_url().as_str());
    let build = prom.build_info().await.map_err(crate::promapi::classify)?;
    let version = PromVersion::of_release(&build.version);
    let shown = crate::text::terminal_safe(&build.version).into_owned();
    match version {
        Some(v) => {
            error::note(format!(
                "relabelling as Prometheus {shown} does (from {url})"
            ));
            Ok(v)
        }
        None => {
            error::warn(format!(
                "Prometheus {shown} at {url} is a version the relabel engine does not know; using 3.x semantics (--prometheus-version picks one)"
            ));
            Ok(PromVersion::V3)
        }
    }
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

/// A client for each of the cluster's servers, all built before any is
/// asked (a bad URL in the last one stops before the first is touched);
/// errors name the server.
pub(crate) fn server_clients(
    args: &PrometheusArgs,
    servers: &[ServerSpec],
    timeout: Duration,
) -> anyhow::Result<Vec<crate::cluster::watch::Server>> {
    servers
        .iter()
        .map(|spec| {
            let origin = format!("server {}", spec.name);
            let prom = prometheus_client_for(args, &spec.url, &origin, timeout)?;
            Ok(crate::cluster::watch::Server {
                spec: spec.clone(),
                prom,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::PrometheusAuthArgs;
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

    #[test]
    fn prometheus_url_resolves_flag_over_inventory_over_default() {
        let args = |u: Option<&str>| {
            api_args(&ConsultedPrometheusArgs {
                prometheus: u.map(str::to_string),
                auth: PrometheusAuthArgs::default(),
                ca_file: None,
                insecure: false,
            })
        };
        let ctx = |inventory| Ctx {
            inventory,
            color: false,
            sources: crate::cli::Sources::default(),
        };
        let inv = ctx(inventory("prometheus:\n  url: not-a-url\n"));
        let err = prometheus_client(&args(None), &inv, Duration::from_secs(1))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("inventory inv.yaml: prometheus.url (line 2)"),
            "{err}"
        );
        let ok = prometheus_client(
            &args(Some("http://127.0.0.1:9")),
            &inv,
            Duration::from_secs(1),
        )
        .unwrap();
        assert_eq!(ok.base_url().as_str(), "http://127.0.0.1:9/");
        let default = prometheus_client(
            &args(None),
            &ctx(Inventory::defaults()),
            Duration::from_secs(1),
        )
        .unwrap();
        assert_eq!(
            default.base_url().as_str(),
            format!("{DEFAULT_PROMETHEUS_URL}/")
        );
    }
}
