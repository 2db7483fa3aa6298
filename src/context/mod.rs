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

pub(crate) use generate::{
    alertmanager_config, firewall_scope, gen_config_inventory, prometheus_addresses, spliced_into,
};
pub use prometheus::prometheus_client;
pub(crate) use prometheus::{
    cluster_servers, consulted_prometheus, prometheus_major, pushgateway_client, relabel_version,
    server_clients,
};
pub(crate) use scrape::{
    inventory_endpoints, named_endpoints, role_endpoints, scrape_inventory, scrape_security,
    service_addresses,
};

use crate::catalogue::{Catalogue, ServiceRole};
use crate::cli::{JqArgs, LintFlags};
use crate::error;
use crate::expfmt::lint::LintOptions;
use crate::inventory::Inventory;
use crate::jq::{Jq, JqOutput};

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
