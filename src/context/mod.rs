//! One resolution of what the command line, the environment and the
//! inventory say, for the settings several commands share: where Prometheus
//! is and how to talk to it ([`prometheus`]), how endpoints are fetched
//! ([`scrape`]), the generators' inputs ([`generate`]), lint options, the
//! --jq filter. Commands read these; none merges flags with the inventory
//! itself.

mod generate;
pub mod plan;
mod prometheus;
pub mod pull;
mod scrape;
pub(crate) mod smoke;

pub(crate) use generate::{
    alertmanager_config, firewall_scope, gen_config_inventory, into_text, prometheus_addresses,
    rule_overrides, rule_test_files, spliced_into,
};
pub(crate) use prometheus::{
    api_timeout_or, cluster_servers, consulted_prometheus, prometheus_client, prometheus_major,
    pushgateway_client, relabel_version, server_clients,
};
pub(crate) use scrape::{
    doctor_options, fetch_options, inventory_endpoints, logger_security, named_endpoints,
    role_endpoints, scrape_inventory, scrape_security, service_addresses,
};

use crate::catalogue::{Catalogue, ServiceRole};
use crate::cli::{JqArgs, LintFlags};
use crate::error;
use crate::expfmt::lint::LintOptions;
use crate::inventory::Inventory;
use crate::jq::{Jq, JqOutput};
use crate::promapi::query::Window;
use crate::values::PromDuration;

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

/// The port serve-demo serves `service` on: its own flag's; with `--only`,
/// only that service's, on METRICS_PORT when set (as the services do).
pub(crate) fn demo_port(args: &crate::cli::ServeDemoArgs, service: ServiceRole) -> Option<u16> {
    let own = match service {
        ServiceRole::Logger => args.logger_port,
        ServiceRole::Server => args.server_port,
    };
    match args.only {
        Some(only) if only != service => None,
        Some(_) => Some(args.metrics_port.unwrap_or(own)),
        None => Some(own),
    }
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

/// The window of a range query drawn `width` columns wide: the last
/// `range` at `step` (else one point per column). More points per series
/// than Prometheus answers is a usage error.
pub(crate) fn range_window(
    range: PromDuration,
    step: Option<PromDuration>,
    width: usize,
) -> anyhow::Result<Window> {
    let w = Window::last(
        range.as_millis() as f64 / 1000.0,
        step.map(|s| s.as_millis() as f64 / 1000.0),
        width.saturating_sub(11),
    );
    if w.step <= 0.0 || w.points() > 11_000.0 {
        return Err(error::usage(format!(
            "--range {range} --step {}: {:.0} points per series; Prometheus answers at most 11000 (use a larger --step)",
            PromDuration::from_millis((w.step * 1000.0) as u64),
            w.points()
        )));
    }
    Ok(w)
}

/// check-targets' criteria: `--job` (else the inventory's jobs) as an
/// anchored regex, and each `--expect JOB=N`.
pub(crate) fn target_criteria(
    job: Option<&str>,
    expect: &[String],
    inv: &Inventory,
) -> anyhow::Result<(regex::Regex, Vec<crate::targets::health::Expectation>)> {
    let job_text = job.map_or_else(|| inv.job_regex(), str::to_string);
    let job = crate::values::anchored_regex(&job_text)
        .map_err(|e| error::usage(format!("--job: {e}")))?;
    let expects = expect
        .iter()
        .map(|e| e.parse())
        .collect::<Result<Vec<_>, _>>()
        .map_err(error::usage)?;
    Ok((job, expects))
}
