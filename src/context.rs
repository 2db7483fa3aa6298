//! One resolution of what the command line, the environment and the
//! inventory say, for the settings several commands share: where Prometheus
//! is and how to talk to it, lint options, the --jq filter. Commands read
//! these; none merges flags with the inventory itself.

use std::time::Duration;

use reqwest::Url;

use crate::catalogue::{Catalogue, ServiceRole};
use crate::cli::{JqArgs, LintFlags, PrometheusArgs, Scheme, ScrapeSecurityArgs};
use crate::error;
use crate::expfmt::lint::LintOptions;
use crate::inventory::{DEFAULT_PROMETHEUS_URL, FileScrape, Inventory};
use crate::jq::{Jq, JqOutput};
use crate::promapi::{ClientConfig, PromClient, classify};

/// The Prometheus API client: `--prometheus`/`PROMETHEUS_URL`, else the
/// inventory's `prometheus.url`, else the default; flags for auth and TLS.
pub fn prometheus_client(
    args: &PrometheusArgs,
    inv: &Inventory,
    default_timeout: Duration,
) -> anyhow::Result<PromClient> {
    let (raw, origin) = match (&args.prometheus, &inv.prometheus.url) {
        (Some(u), _) => (u.clone(), "--prometheus / PROMETHEUS_URL".to_string()),
        (None, Some(u)) => (u.value.clone(), u.origin.clone()),
        (None, None) => (DEFAULT_PROMETHEUS_URL.to_string(), "default".to_string()),
    };
    let url = Url::parse(&raw)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
        .ok_or_else(|| {
            error::usage(format!(
                "Prometheus URL '{}' ({origin}) is not an http(s) URL, e.g. http://localhost:9092",
                crate::redact::url_text(&raw)
            ))
        })?;
    if args.insecure {
        error::warn("--insecure: Prometheus' TLS certificate is not verified");
    }
    let timeout = args.timeout.map_or(default_timeout, |t| t.as_std());
    if timeout.is_zero() {
        return Err(error::usage("--timeout must be greater than 0"));
    }
    let cfg = ClientConfig {
        url,
        timeout,
        basic_auth: args
            .prometheus_user
            .clone()
            .zip(args.prometheus_password_file.clone()),
        bearer_token_file: args.prometheus_bearer_token_file.clone(),
        ca_file: args.ca_file.clone(),
        insecure: args.insecure,
        max_body: args.max_body,
    };
    PromClient::new(&cfg).map_err(classify)
}

/// A client for a Prometheus given only by URL (test-pull's
/// `--prometheus`), with the default timeout and answer cap.
pub fn prometheus_client_at(url: &str, inv: &Inventory) -> anyhow::Result<PromClient> {
    let args = PrometheusArgs {
        prometheus: Some(url.to_string()),
        prometheus_user: None,
        prometheus_password_file: None,
        prometheus_bearer_token_file: None,
        ca_file: None,
        insecure: false,
        timeout: None,
        max_body: crate::cli::DEFAULT_API_MAX_BODY,
    };
    prometheus_client(&args, inv, crate::promapi::REQUEST_TIMEOUT)
}

/// Lint options from flags and, for a GPU Charts service, the catalogue.
pub fn lint_options(
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
pub fn compile_jq(args: &JqArgs) -> anyhow::Result<Option<(Jq, JqOutput)>> {
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
pub fn apply_scrape_flags(s: &mut FileScrape, a: &ScrapeSecurityArgs) {
    if let Some(scheme) = a.scheme {
        s.scheme = Some(match scheme {
            Scheme::Http => "http".into(),
            Scheme::Https => "https".into(),
        });
    }
    let set = |slot: &mut Option<String>, v: &Option<String>| {
        if v.is_some() {
            slot.clone_from(v);
        }
    };
    set(&mut s.ca_file, &a.ca_file);
    set(&mut s.cert_file, &a.cert_file);
    set(&mut s.key_file, &a.key_file);
    set(&mut s.tls_server_name, &a.tls_server_name);
    set(&mut s.basic_auth_user, &a.basic_auth_user);
    set(&mut s.basic_auth_password_file, &a.basic_auth_password_file);
    set(&mut s.bearer_token_file, &a.bearer_token_file);
    s.insecure_skip_verify |= a.insecure_skip_verify;
}
