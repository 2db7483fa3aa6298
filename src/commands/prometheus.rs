//! Shared by every command that talks to Prometheus: resolve where it is
//! (flag/env > inventory > default) and map API errors to exit codes.

use std::time::Duration;

use reqwest::Url;

use crate::cli::{JqArgs, PrometheusArgs};
use crate::error;
use crate::inventory::{DEFAULT_PROMETHEUS_URL, Inventory};
use crate::jq::{Jq, JqOutput};
use crate::promapi::{ApiError, ClientConfig, PromClient};

pub fn client(
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
    PromClient::new(&cfg).map_err(api_error)
}

/// Setup problems and PromQL mistakes are bad input (2); everything else
/// means Prometheus is unreachable or not answering like Prometheus (3).
pub fn api_error(err: ApiError) -> anyhow::Error {
    let kind = match &err {
        ApiError::Setup(_) => error::Kind::Usage,
        ApiError::Api { error_type, .. } if error_type == "bad_data" => error::Kind::Usage,
        _ => error::Kind::Unreachable,
    };
    let hint = match &err {
        ApiError::Unreachable { .. } | ApiError::Timeout { .. } => Some(format!(
            "is Prometheus running there? Set --prometheus URL or PROMETHEUS_URL (the generated compose publishes it on {DEFAULT_PROMETHEUS_URL}; 9090 is the logger)"
        )),
        ApiError::NotPrometheus { .. } => Some(
            "the URL answers, but not as Prometheus does; is it the logger's port 9090?"
                .to_string(),
        ),
        _ => None,
    };
    error::classified(kind, err.to_string(), hint)
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

/// Run a compiled filter over a raw answer onto stdout; a runtime error in
/// the filter is a failure (1), as with jq.
pub fn print_jq(jq: &Jq, opts: JqOutput, body: &[u8]) -> anyhow::Result<()> {
    let mut out = std::io::BufWriter::new(crate::output::Stdout);
    jq.run(body, opts, &mut out).map_err(error::failed)?;
    std::io::Write::flush(&mut out)?;
    Ok(())
}

/// Per-request timeout when `--timeout` is not given (Prometheus' own
/// default scrape timeout).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// The pause between polls, never past the deadline.
pub fn poll_interval(remaining: Duration) -> Duration {
    remaining.min(Duration::from_secs(1))
}
