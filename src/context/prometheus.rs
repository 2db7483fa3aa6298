//! Where Prometheus (and the Pushgateway) is and how to talk to it: the
//! API clients of every command that asks one, the servers of a cluster,
//! and whose semantics a check follows.

use std::time::Duration;

use reqwest::Url;

use crate::Ctx;
use crate::cli::{ClusterKind, PrometheusArgs};
use crate::error;
use crate::inventory::Inventory;
use crate::inventory::cluster::{Role, ServerSpec};
use crate::promapi::DEFAULT_URL as DEFAULT_PROMETHEUS_URL;
use crate::promapi::{ClientConfig, PromClient, REQUEST_TIMEOUT};
use crate::values::PromDuration;

/// `args` whose API timeout, when no flag or variable gives one, is
/// `default` rather than the API client's own (reload's covers the whole
/// reload; doctor's is its `--timeout`).
pub(crate) fn api_timeout_or(args: &PrometheusArgs, default: Duration) -> PrometheusArgs {
    let mut args = args.clone();
    args.timeout
        .get_or_insert(PromDuration::from_millis(default.as_millis() as u64));
    args
}

/// The Prometheus API client: `--prometheus`/`PROMETHEUS_URL`, else the
/// inventory's `prometheus.url`, else the default; flags for auth and TLS;
/// `--timeout` or the API client's own default.
pub(crate) fn prometheus_client(args: &PrometheusArgs, ctx: &Ctx) -> anyhow::Result<PromClient> {
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
    prometheus_client_for(args, &raw, &origin)
}

/// A client for the Prometheus at `raw` (named by `origin` in errors), with
/// the API auth, TLS and limits of `args`.
pub(crate) fn prometheus_client_for(
    args: &PrometheusArgs,
    raw: &str,
    origin: &str,
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
    let timeout = args.timeout.map_or(REQUEST_TIMEOUT, |t| t.as_std());
    if timeout.is_zero() {
        return Err(error::usage(
            "the Prometheus API timeout (--timeout, --prometheus-timeout or PROMETHEUS_TIMEOUT) must be greater than 0",
        ));
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
    PromClient::new(&cfg).map_err(error::domain)
}

/// A client for the Pushgateway's API at `raw` (its `/api/v1` has
/// Prometheus' envelope), with the API client's timeout and answer cap.
pub(crate) fn pushgateway_client(
    raw: &str,
    api: &PrometheusArgs,
    ctx: &Ctx,
) -> anyhow::Result<PromClient> {
    let timeout = api.timeout.map_or(REQUEST_TIMEOUT, |t| t.as_std());
    let max_body = api.max_body;
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
    args: &PrometheusArgs,
    ctx: &Ctx,
    from_inventory: bool,
) -> anyhow::Result<Option<PromClient>> {
    if args.prometheus.is_empty() && !(from_inventory && ctx.inventory.prometheus.url.is_some()) {
        return Ok(None);
    }
    prometheus_client(args, ctx).map(Some)
}

/// Whose rules a check follows: `--prometheus-version`, else the
/// inventory's `prometheus.version`, else 3 (the current LTS line).
pub(crate) fn prometheus_major(flag: Option<u8>, inv: &Inventory) -> crate::version::PromVersion {
    let major = flag
        .or_else(|| inv.prometheus.version.as_ref().map(|v| v.value))
        .unwrap_or(3);
    crate::version::PromVersion::of_flag(major)
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
    args: &PrometheusArgs,
    ctx: &Ctx,
) -> anyhow::Result<crate::version::PromVersion> {
    use crate::version::PromVersion;
    let prom = match consulted_prometheus(args, ctx, false)? {
        Some(prom) if flag.is_none() => prom,
        _ => return Ok(prometheus_major(flag, &ctx.inventory)),
    };
    let url = crate::redact::url_text(prom.base_url().as_str());
    let build = prom.build_info().await.map_err(error::domain)?;
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

/// A client for each of the cluster's servers, all built before any is
/// asked (a bad URL in the last one stops before the first is touched);
/// errors name the server.
pub(crate) fn server_clients(
    args: &PrometheusArgs,
    servers: &[ServerSpec],
) -> anyhow::Result<Vec<crate::targets::watch::Server>> {
    servers
        .iter()
        .map(|spec| {
            let origin = format!("server {}", spec.name);
            let prom = prometheus_client_for(args, &spec.url, &origin)?;
            Ok(crate::targets::watch::Server {
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

    fn inventory(text: &str) -> Inventory {
        Inventory::parse(text, Some(std::path::Path::new("inv.yaml"))).unwrap()
    }

    #[test]
    fn prometheus_url_resolves_flag_over_inventory_over_default() {
        let args = |u: Option<&str>| PrometheusArgs {
            prometheus: u.map(str::to_string).into_iter().collect(),
            auth: PrometheusAuthArgs::default(),
            ca_file: None,
            insecure: false,
            follow_redirects: false,
            timeout: None,
            max_body: crate::cli::DEFAULT_API_MAX_BODY,
        };
        let ctx = |inventory| Ctx {
            inventory,
            color: false,
            sources: crate::cli::Sources::default(),
        };
        let inv = ctx(inventory("prometheus:\n  url: not-a-url\n"));
        let err = prometheus_client(&args(None), &inv)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("inventory inv.yaml: prometheus.url (line 2)"),
            "{err}"
        );
        let ok = prometheus_client(&args(Some("http://127.0.0.1:9")), &inv).unwrap();
        assert_eq!(ok.base_url().as_str(), "http://127.0.0.1:9/");
        let default = prometheus_client(&args(None), &ctx(Inventory::defaults())).unwrap();
        assert_eq!(
            default.base_url().as_str(),
            format!("{DEFAULT_PROMETHEUS_URL}/")
        );
    }
}
