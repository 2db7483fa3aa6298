//! The command line: clap derive types only. Doc comments are the help text.
//! Shared groups (Prometheus access, writing, templates, Kubernetes, scrape
//! security) live here; each command group's flags in its own file.

use std::path::PathBuf;

use clap::builder::TypedValueParser;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::catalogue::ServiceRole;
use crate::dashboards::Which;
use crate::demo::Fault;
use crate::inventory::Discovery;
pub(crate) use crate::output::{ColorChoice, PullFormat, ReportFormat};
use crate::values::{HostPort, PromDuration, ScrapeProtocol};

mod check;
mod generate;
mod operate;
mod sources;

pub(crate) use check::*;
pub(crate) use generate::*;
pub(crate) use operate::*;
pub use sources::{Sources, parse};

#[derive(Debug, Parser)]
#[command(
    name = "gpucharts-mon",
    version,
    about = "Pull-based Prometheus monitoring for the GPU Charts services",
    long_about = "Generate Prometheus configuration, alert rules and a compose stack for the \
GPU Charts logger (port 9090) and server (port 9091), and check that scraping works.\n\n\
Exit codes: 0 ok, 1 a check failed, 2 usage or bad input, 3 a service was unreachable.",
    propagate_version = true
)]
pub struct Cli {
    /// Inventory file describing the deployment [default: ./gpucharts-mon.yaml if present]
    #[arg(
        short = 'c',
        long = "config",
        global = true,
        value_name = "FILE",
        env = "GPUCHARTS_MON_CONFIG"
    )]
    pub config: Option<PathBuf>,

    /// When to use colour
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,

    /// Where each given value came from (filled by [`parse`]).
    #[arg(skip)]
    pub sources: Sources,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write a fully commented example inventory (gpucharts-mon.yaml)
    Init(InitArgs),
    /// Generate prometheus.yml (static, multi-instance, Kubernetes, Docker or file_sd)
    GenConfig(Box<GenConfigArgs>),
    /// Generate Prometheus alerting rules for the GPU Charts services
    GenRules(GenRulesArgs),
    /// Generate alertmanager.yml: receivers (secrets by file), routes by severity, inhibition
    GenAlertmanager(GenAlertmanagerArgs),
    /// Generate Grafana dashboards (overview, logger, server) and their provisioning file
    GenDashboards(GenDashboardsArgs),
    /// Generate docker-compose.monitoring-pull.yml for the monitoring stack
    GenCompose(GenComposeArgs),
    /// Write the whole stack into a folder: prometheus.yml, rules and their tests, alertmanager.yml, Grafana, compose file
    GenStack(GenStackArgs),
    /// Generate prometheus-operator resources: a PodMonitor (or ServiceMonitor) per service, a PrometheusRule, RBAC
    GenOperator(GenOperatorArgs),
    /// Check that every GPU Charts target is scraped and healthy, through the Prometheus API
    CheckTargets(CheckTargetsArgs),
    /// Run an instant PromQL query and show the result
    Query(QueryArgs),
    /// From a Pushgateway to pull, step by step: what is done, what is not, the next command; deletes migrated groups
    Migrate(MigrateArgs),
    /// Reload Prometheus' configuration safely and confirm that it took
    Reload(ReloadArgs),
    /// Generate firewall rules so only the Prometheus server reaches the metrics ports
    Firewall(FirewallArgs),
    /// Parse and lint an exposition (file or stdin) the way Prometheus reads it
    Lint(LintArgs),
    /// Fetch, time, parse and lint /metrics and /health of every endpoint, concurrently
    TestPull(TestPullArgs),
    /// Serve demo logger and server endpoints with every catalogue family (until Ctrl-C)
    ServeDemo(ServeDemoArgs),
    /// With nothing running: start demo endpoints in-process and test-pull them
    Demo(DemoArgs),
    /// Walk the troubleshooting list for an endpoint and name the root cause
    Doctor(DoctorArgs),
    /// Show what a job's relabel rules do to discovered targets, as Prometheus would
    Relabel(RelabelArgs),
    /// The CI step in one command: config, rules, test-pull, and targets through Prometheus
    Smoke(SmokeArgs),
    /// Predict which of N hashmod shards scrapes each target, and the skew, before deploying
    ShardPlan(ShardPlanArgs),
    /// Print a shell completion script (also checked in under completions/)
    Completions(CompletionsArgs),
    /// Print the man page (roff), or write one page per subcommand with --dir
    Man(ManArgs),
}

/// `64MiB`, `512KiB`, `1GiB` or plain bytes.
fn parse_size(s: &str) -> Result<u64, String> {
    let (num, mult) = [
        ("GiB", 1u64 << 30),
        ("MiB", 1 << 20),
        ("KiB", 1 << 10),
        ("B", 1),
    ]
    .iter()
    .find_map(|(suf, m)| s.strip_suffix(suf).map(|n| (n, *m)))
    .unwrap_or((s, 1));
    num.trim()
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(mult))
        .filter(|n| *n > 0)
        .ok_or_else(|| format!("'{s}': expected a size such as 64MiB, 512KiB or 1048576"))
}

/// `logger` or `server`, parsed into the one service type (the possible
/// values stay visible to --help and completions).
/// The domain's enums as flag values: the names and help come from the
/// domain types (which know nothing of clap), the parsing from here.
fn discovery_mode() -> impl TypedValueParser<Value = Discovery> {
    clap::builder::PossibleValuesParser::new(Discovery::ALL.map(Discovery::name)).map(|s| {
        *Discovery::ALL
            .iter()
            .find(|d| d.name() == s)
            .expect("a listed value")
    })
}

fn dashboard() -> impl TypedValueParser<Value = Which> {
    clap::builder::PossibleValuesParser::new(Which::ALL.map(Which::name)).map(|s| {
        *Which::ALL
            .iter()
            .find(|w| w.name() == s)
            .expect("a listed value")
    })
}

fn fault() -> impl TypedValueParser<Value = Fault> {
    clap::builder::PossibleValuesParser::new(Fault::ALL.map(|f| {
        clap::builder::PossibleValue::new(f.name()).help(format!("{} ({})", f.what(), f.alert()))
    }))
    .map(|s| {
        *Fault::ALL
            .iter()
            .find(|f| f.name() == s)
            .expect("a listed value")
    })
}

fn service_role() -> impl TypedValueParser<Value = ServiceRole> {
    clap::builder::PossibleValuesParser::new(["logger", "server"])
        .try_map(|s| s.parse::<ServiceRole>())
}

/// How Prometheus scrapes the targets (and so how test-pull fetches them):
/// the same names as prometheus.yml. Secrets only by file.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Scrape security")]
pub struct ScrapeSecurityArgs {
    /// Scrape scheme
    #[arg(long, value_enum, value_name = "SCHEME")]
    pub scheme: Option<Scheme>,

    /// CA certificate file (PEM) to verify targets with
    #[arg(long = "ca-file", value_name = "FILE")]
    pub ca_file: Option<String>,

    /// Client certificate (PEM) presented to targets (needs --key-file)
    #[arg(long = "cert-file", value_name = "FILE", requires = "key_file")]
    pub cert_file: Option<String>,

    /// Private key (PEM) of the client certificate (needs --cert-file)
    #[arg(long = "key-file", value_name = "FILE", requires = "cert_file")]
    pub key_file: Option<String>,

    /// Server name to verify target certificates against
    #[arg(long, value_name = "NAME")]
    pub tls_server_name: Option<String>,

    /// Do not verify target certificates
    #[arg(long)]
    pub insecure_skip_verify: bool,

    /// Basic auth user for scrapes (needs --basic-auth-password-file)
    #[arg(long, value_name = "USER")]
    pub basic_auth_user: Option<String>,

    /// File holding the basic auth password (secrets only by file)
    #[arg(long, value_name = "FILE")]
    pub basic_auth_password_file: Option<String>,

    /// File holding a bearer token for scrapes
    #[arg(long, value_name = "FILE")]
    pub bearer_token_file: Option<String>,
}

/// How to authenticate to Prometheus' API: the same flags on every command
/// that talks to it.
#[derive(Debug, Clone, Default, Args)]
pub struct PrometheusAuthArgs {
    /// Basic auth user for the Prometheus API
    #[arg(
        long,
        value_name = "USER",
        env = "PROMETHEUS_USER",
        requires = "prometheus_password_file"
    )]
    pub prometheus_user: Option<String>,

    /// File holding the basic auth password for the Prometheus API
    #[arg(
        long,
        value_name = "FILE",
        env = "PROMETHEUS_PASSWORD_FILE",
        requires = "prometheus_user"
    )]
    pub prometheus_password_file: Option<PathBuf>,

    /// File holding a bearer token for the Prometheus API
    #[arg(
        long,
        value_name = "FILE",
        env = "PROMETHEUS_BEARER_TOKEN_FILE",
        conflicts_with = "prometheus_user"
    )]
    pub prometheus_bearer_token_file: Option<PathBuf>,
}

/// The report's form, one flag for every command that reports, over the
/// formats `F` that command has.
#[derive(Debug, Clone, Args)]
pub struct FormatArgs<F: ValueEnum + Default + Clone + Send + Sync + 'static> {
    /// Report format (`--output` is an old spelling)
    #[arg(
        id = "output_format",
        long = "output-format",
        alias = "output",
        value_enum,
        value_name = "FORMAT",
        default_value_t
    )]
    pub format: F,
}

/// Where Prometheus' API is and how to talk to it: one set of flags for
/// every command that talks to it. Each has the `prometheus-` prefix, since
/// test-pull, doctor, smoke and relabel also scrape (their `--timeout`,
/// `--ca-file`, `--max-body` are the scrape's); the commands whose only peer
/// is Prometheus take the short names too ([`api_names`]).
#[derive(Debug, Clone, Args)]
pub struct PrometheusArgs {
    /// Prometheus base URL [default: inventory, else http://localhost:9092; test-pull and relabel consult one only when given]; check-targets takes several
    #[arg(long = "prometheus", value_name = "URL", env = "PROMETHEUS_URL", action = clap::ArgAction::Append)]
    pub prometheus: Vec<String>,

    #[command(flatten)]
    pub auth: PrometheusAuthArgs,

    /// CA certificate (PEM) to verify Prometheus' certificate with
    #[arg(
        id = "prometheus_ca_file",
        long = "prometheus-ca-file",
        value_name = "FILE",
        env = "PROMETHEUS_CA_FILE"
    )]
    pub ca_file: Option<PathBuf>,

    /// Do not verify Prometheus' TLS certificate (warns; no variable: it is said on the command line)
    #[arg(id = "prometheus_insecure", long = "prometheus-insecure")]
    pub insecure: bool,

    /// Follow a redirect of the Prometheus API to another host or port (refused otherwise; credentials are never sent there)
    #[arg(
        id = "prometheus_follow_redirects",
        long = "prometheus-follow-redirects"
    )]
    pub follow_redirects: bool,

    /// Give up on a Prometheus request after this long [default: 10s; reload: 30s for the whole reload; doctor: its --timeout]
    #[arg(
        id = "prometheus_timeout",
        long = "prometheus-timeout",
        value_name = "DURATION",
        env = "PROMETHEUS_TIMEOUT"
    )]
    pub timeout: Option<PromDuration>,

    /// Largest API answer accepted, all answers read at once counted together (suffixes KiB, MiB, GiB); the default fits /api/v1/targets of ~200k targets
    #[arg(id = "prometheus_max_body", long = "prometheus-max-body", value_name = "SIZE", env = "PROMETHEUS_MAX_BODY", default_value_t = DEFAULT_API_MAX_BODY, value_parser = parse_size)]
    pub max_body: u64,
}

/// For a command whose only peer is Prometheus: its API flags under their
/// short names too (`--timeout` for `--prometheus-timeout`, and so on),
/// the short name first, as these commands have always spelled them.
pub(crate) fn api_names(arg: clap::Arg) -> clap::Arg {
    const SHORT: [&str; 5] = [
        "prometheus_ca_file",
        "prometheus_insecure",
        "prometheus_follow_redirects",
        "prometheus_timeout",
        "prometheus_max_body",
    ];
    if !SHORT.contains(&arg.get_id().as_str()) {
        return arg;
    }
    let Some(long) = arg.get_long().map(str::to_owned) else {
        return arg;
    };
    let short = long.trim_start_matches("prometheus-").to_owned();
    arg.long(short).visible_alias(long)
}

/// `--max-body` of the Prometheus API client: /api/v1/targets of ~200k
/// targets with their discovered labels, and keeps peak memory under 1 GiB
/// whatever the peers send (the answer, joined once, and its decoding).
pub(crate) const DEFAULT_API_MAX_BODY: u64 = 128 << 20;

/// `--mode kubernetes`: the inventory's `services.<svc>.kubernetes` keys,
/// for both services.
#[derive(Debug, Clone, Default, Args)]
pub struct K8sArgs {
    /// What to discover: pods, or a Service's endpoints [default: pod]
    #[arg(long = "k8s-role", value_enum, value_name = "ROLE")]
    pub k8s_role: Option<K8sRoleArg>,

    /// Namespace to discover in (repeatable) [default: all]
    #[arg(long = "k8s-namespace", value_name = "NS")]
    pub k8s_namespaces: Vec<String>,

    /// Also discover in the namespace Prometheus runs in
    #[arg(long)]
    pub k8s_own_namespace: bool,

    /// Label key whose value names the app (repeatable) [default: app and app.kubernetes.io/name]
    #[arg(long = "k8s-app-label", value_name = "KEY")]
    pub k8s_app_labels: Vec<String>,

    /// Scrape the container (or Service) port of this name [default: the service's port number]
    #[arg(long, value_name = "NAME")]
    pub k8s_port_name: Option<String>,

    /// Regex over the container name, for pods whose containers declare no port
    #[arg(long, value_name = "REGEX")]
    pub k8s_container: Option<String>,

    /// Ignore the prometheus.io/scrape, /port, /path and /scheme annotations
    #[arg(long)]
    pub k8s_no_annotations: bool,

    /// Label selector the API server applies, e.g. tier=backend
    #[arg(long, value_name = "SELECTOR")]
    pub k8s_label_selector: Option<String>,

    /// Field selector the API server applies, e.g. spec.nodeName=node-1
    #[arg(long, value_name = "SELECTOR")]
    pub k8s_field_selector: Option<String>,

    /// API server URL, for a Prometheus outside the cluster [default: in-cluster]
    #[arg(long, value_name = "URL")]
    pub k8s_api_server: Option<String>,

    /// kubeconfig file Prometheus reads the API server and credentials from
    #[arg(long, value_name = "FILE", conflicts_with = "k8s_api_server")]
    pub k8s_kubeconfig_file: Option<String>,

    /// CA certificate (PEM) to verify the API server with
    #[arg(long, value_name = "FILE")]
    pub k8s_ca_file: Option<String>,

    /// Client certificate (PEM) for the API server
    #[arg(long, value_name = "FILE", requires = "k8s_key_file")]
    pub k8s_cert_file: Option<String>,

    /// Client key (PEM) for the API server
    #[arg(long, value_name = "FILE", requires = "k8s_cert_file")]
    pub k8s_key_file: Option<String>,

    /// Do not verify the API server's certificate
    #[arg(long)]
    pub k8s_insecure_skip_verify: bool,

    /// File holding a bearer token for the API server
    #[arg(long, value_name = "FILE")]
    pub k8s_bearer_token_file: Option<String>,
}

/// `--k8s-role`, mirroring the inventory's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum K8sRoleArg {
    Pod,
    Endpoints,
    Endpointslice,
}

/// Where generated text goes.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Write to FILE instead of stdout (atomically; `-` is stdout)
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Replace an existing file, keeping the old one as FILE.bak
    #[arg(long)]
    pub force: bool,

    /// Print a unified diff against the existing file and write nothing
    #[arg(long, conflicts_with = "force")]
    pub diff: bool,
}

/// How a generator that writes a folder treats the files already there.
#[derive(Debug, Args)]
pub struct DirWriteArgs {
    /// Replace existing files, keeping each old one as FILE.bak
    #[arg(long)]
    pub force: bool,

    /// Print a unified diff against the existing files and write nothing
    #[arg(long, conflicts_with = "force")]
    pub diff: bool,
}

#[derive(Debug, Args)]
pub struct TemplateArgs {
    /// Directory whose files override the embedded templates of the same name
    #[arg(long = "templates", value_name = "DIR")]
    pub templates: Option<PathBuf>,
}

/// `KEY=VALUE`, split at the first `=`.
fn parse_protocol(s: &str) -> Result<ScrapeProtocol, String> {
    s.parse()
}

fn parse_key_value(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
        _ => Err(format!("'{s}': expected KEY=VALUE")),
    }
}

impl<'a> From<&'a OutputArgs> for crate::output::files::WriteOptions<'a> {
    fn from(out: &'a OutputArgs) -> Self {
        Self {
            output: out.output.as_deref(),
            force: out.force,
            diff: out.diff,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }
}
