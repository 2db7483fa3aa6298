//! The command line: clap derive types only. Doc comments are the help text.

use std::path::PathBuf;

use clap::builder::TypedValueParser;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::catalogue::ServiceRole;
use crate::dashboards::Which;
use crate::demo::Fault;
use crate::inventory::Discovery;
pub use crate::output::{ColorChoice, PullFormat, ReportFormat};
use crate::values::{HostPort, PromDuration, ScrapeProtocol};

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

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct TestPullArgs {
    /// A logger endpoint, HOST:PORT or URL (repeatable) [default: inventory, else localhost:9090]
    #[arg(long = "logger", value_name = "ADDR")]
    pub logger: Vec<String>,

    /// A server endpoint, HOST:PORT or URL (repeatable) [default: inventory, else localhost:9091]
    #[arg(long = "server", value_name = "ADDR")]
    pub server: Vec<String>,

    /// Any exporter's metrics URL, NAME=URL (repeatable)
    #[arg(long = "target", value_name = "NAME=URL", value_parser = parse_key_value)]
    pub targets: Vec<(String, String)>,

    /// Every static target of every job in this prometheus.yml
    #[arg(long, value_name = "FILE")]
    pub from_config: Option<PathBuf>,

    /// At most this many endpoints at once
    #[arg(long, value_name = "N", default_value_t = 64, value_parser = clap::value_parser!(u32).range(1..=4096))]
    pub concurrency: u32,

    /// Fetch each /metrics N times (min/median/p95/max)
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub count: u32,

    /// Warn when the median fetch is slower than this
    #[arg(long, value_name = "DURATION", default_value = "1s")]
    pub slow: PromDuration,

    /// Fail a fetch after this long (Prometheus' default scrape timeout)
    #[arg(long, value_name = "DURATION", default_value = "10s")]
    pub timeout: PromDuration,

    /// Largest body accepted, all endpoints read at once counted together (suffixes KiB, MiB, GiB)
    #[arg(long, value_name = "SIZE", default_value = "64MiB", value_parser = parse_size)]
    pub max_body: u64,

    /// Scrape as this Prometheus does: its Accept header, and 3's refusal of a missing or unknown Content-Type [default: the inventory's prometheus.version, else 3]
    #[arg(long, value_name = "2|3", value_parser = clap::value_parser!(u8).range(2..=3))]
    pub prometheus_version: Option<u8>,

    /// Do not follow redirects: a 3xx answer fails, as with Prometheus' `follow_redirects: false`
    #[arg(long)]
    pub no_follow_redirects: bool,

    /// Fail when a catalogue family is absent (informational by default)
    #[arg(long)]
    pub require_families: bool,

    // Also ask a Prometheus whether it scrapes each endpoint
    #[command(flatten)]
    pub prometheus: ConsultedPrometheusArgs,

    /// Report format (`--output` is an old spelling)
    #[arg(long = "output-format", alias = "output", value_enum, value_name = "FORMAT", default_value_t = PullFormat::Table)]
    pub output: PullFormat,

    #[command(flatten)]
    pub security: ScrapeSecurityArgs,

    #[command(flatten)]
    pub lint: LintFlags,
}

#[derive(Debug, Args)]
pub struct ServeDemoArgs {
    /// Port of the demo logger
    #[arg(long, value_name = "PORT", default_value_t = 9090)]
    pub logger_port: u16,

    /// Port of the demo server
    #[arg(long, value_name = "PORT", default_value_t = 9091)]
    pub server_port: u16,

    /// Address to listen on
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,

    /// Delay every answer by this many milliseconds
    #[arg(long, value_name = "MS", default_value_t = 0)]
    pub slow: u64,

    /// Answer /health with 503 and status "error"
    #[arg(long)]
    pub fail_health: bool,

    /// Append a line that does not parse to /metrics
    #[arg(long)]
    pub malformed: bool,

    /// Make one generated alert fire, the rest of the data staying healthy (repeatable)
    #[arg(long = "fault", value_name = "FAULT", value_parser = fault())]
    pub faults: Vec<Fault>,

    /// Serve only this service, on METRICS_PORT when set (as the services do)
    #[arg(long, value_name = "SERVICE", value_parser = service_role())]
    pub only: Option<ServiceRole>,

    /// The port of the --only service, as the GPU Charts services read it
    #[arg(
        long = "metrics-port",
        env = "METRICS_PORT",
        value_name = "PORT",
        requires = "only"
    )]
    pub metrics_port: Option<u16>,

    /// Serve HTTPS with this certificate chain (PEM; needs --tls-key)
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,

    /// Private key (PEM) of --tls-cert
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,

    /// Require client certificates signed by this CA (PEM; needs --tls-cert)
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    pub tls_client_ca: Option<PathBuf>,

    /// Require HTTP basic auth with this user (needs --basic-auth-password-file)
    #[arg(long, value_name = "USER", requires = "basic_auth_password_file")]
    pub basic_auth_user: Option<String>,

    /// File holding the basic auth password
    #[arg(long, value_name = "FILE", requires = "basic_auth_user")]
    pub basic_auth_password_file: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Report format (`--output` is an old spelling)
    #[arg(long = "output-format", alias = "output", value_enum, value_name = "FORMAT", default_value_t = PullFormat::Table)]
    pub output: PullFormat,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExpositionFormat {
    /// OpenMetrics when the input ends with `# EOF` or uses OpenMetrics-only metadata
    Auto,
    /// Prometheus text format 0.0.4
    Text,
    /// OpenMetrics 1.0 text
    Openmetrics,
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

/// Lint settings shared by lint and test-pull.
#[derive(Debug, Clone, Args)]
pub struct LintFlags {
    /// Fail on warnings too, not only on errors
    #[arg(long)]
    pub strict: bool,

    /// Fail when the exposition has more series than this
    #[arg(long, value_name = "N")]
    pub max_series: Option<usize>,

    /// Fail when one family has more series than this
    #[arg(long, value_name = "N")]
    pub max_family_series: Option<usize>,

    /// Expected metric name prefix (repeatable) [default: the service's, from the catalogue]
    #[arg(long = "prefix", value_name = "PREFIX")]
    pub prefixes: Vec<String>,
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Exposition file, or - for standard input
    #[arg(value_name = "FILE", default_value = "-")]
    pub file: PathBuf,

    /// Input format
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = ExpositionFormat::Auto)]
    pub format: ExpositionFormat,

    /// The Content-Type the endpoint answers with (e.g. from `curl -sI`): the format is chosen from it as Prometheus chooses, and 3.x's refusal of a blank or unknown one is reported
    #[arg(long, value_name = "TYPE", conflicts_with = "format")]
    pub content_type: Option<String>,

    /// Judge as this Prometheus does: which problems fail its scrape (e.g. UTF-8 names are fine for 3) [default: the inventory's prometheus.version, else 3]
    #[arg(long, value_name = "2|3", value_parser = clap::value_parser!(u8).range(2..=3))]
    pub prometheus_version: Option<u8>,

    /// Check names against this GPU Charts service's prefix and families
    #[arg(long, value_name = "SERVICE", value_parser = service_role())]
    pub service: Option<ServiceRole>,

    /// Report format (`--output` is an old spelling)
    #[arg(long = "output-format", alias = "output", value_enum, value_name = "FORMAT", default_value_t = ReportFormat::Table)]
    pub output: ReportFormat,

    #[command(flatten)]
    pub lint: LintFlags,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReloadMethod {
    /// POST /-/reload (needs --web.enable-lifecycle)
    Http,
    /// SIGHUP to the Prometheus process
    Signal,
    /// http, falling back to signal on 403 when exactly one local Prometheus runs
    Auto,
}

#[derive(Debug, Args)]
pub struct ReloadArgs {
    /// How to ask Prometheus to reload
    #[arg(long, value_enum, value_name = "METHOD", default_value_t = ReloadMethod::Auto)]
    pub method: ReloadMethod,

    /// PID of the Prometheus process to signal
    #[arg(long, value_name = "PID", conflicts_with = "pid_file")]
    pub pid: Option<i32>,

    /// File holding the PID of the Prometheus process [default: inventory]
    #[arg(long, value_name = "FILE")]
    pub pid_file: Option<PathBuf>,

    /// The prometheus.yml Prometheus runs, validated before reloading [default: inventory]
    #[arg(long, value_name = "FILE")]
    pub config_file: Option<PathBuf>,

    /// Reload even when the config file fails validation
    #[arg(long)]
    pub no_check: bool,

    /// Validate and say what would be done; send nothing
    #[arg(long)]
    pub dry_run: bool,

    #[command(flatten)]
    pub prometheus: PrometheusArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FirewallFormat {
    /// A shell script of iptables/ip6tables commands (idempotent)
    Iptables,
    /// A shell script loading one family with iptables-restore --noflush, atomically
    IptablesRestore,
    /// A shell script loading one inet table with nft -f (checks the table is the tool's own)
    Nft,
    /// A bare nft -f ruleset, for include from /etc/nftables.conf (no checks possible)
    NftRuleset,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum IpFamily {
    #[value(name = "4")]
    V4,
    #[value(name = "6")]
    V6,
}

#[derive(Debug, Args)]
pub struct FirewallArgs {
    /// Source allowed to reach the metrics ports, ADDR or ADDR/PREFIX (repeatable) [default: inventory]
    #[arg(long = "allow", value_name = "ADDR[/PREFIX]")]
    pub allow: Vec<String>,

    /// Port to protect (repeatable) [default: the services' metrics ports, 9090 and 9091]
    #[arg(long = "port", value_name = "PORT")]
    pub ports: Vec<u32>,

    /// Output format
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = FirewallFormat::Iptables)]
    pub format: FirewallFormat,

    /// The tool's own chain (iptables) or table (nft, lower-cased) name; never a built-in or Docker's
    #[arg(long, value_name = "NAME", default_value = "GPUCHARTS-METRICS")]
    pub chain: String,

    /// Protect ports that Docker publishes: rules hook into DOCKER-USER (forwarded, DNAT-ed traffic), not INPUT
    #[arg(long)]
    pub docker: bool,

    /// Only filter traffic arriving on this interface
    #[arg(long, value_name = "IFACE")]
    pub interface: Option<String>,

    /// Only this address family [default: both; iptables-restore: 4]
    #[arg(long, value_enum, value_name = "4|6")]
    pub family: Option<IpFamily>,

    /// Emit exactly what undoes the rules
    #[arg(long)]
    pub remove: bool,

    /// Allow sources that together cover all of IPv4 or IPv6 (otherwise refused as meaningless)
    #[arg(long)]
    pub allow_any: bool,

    #[command(flatten)]
    pub out: OutputArgs,
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

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// logger, server, HOST:PORT or a URL [default: every inventory target]
    #[arg(value_name = "TARGET")]
    pub target: Option<String>,

    // The Prometheus asked about the target [default: the inventory's prometheus.url]
    #[command(flatten)]
    pub prometheus: ConsultedPrometheusArgs,

    /// Bound on every check (DNS, connect, fetch, Prometheus)
    #[arg(long, value_name = "DURATION", default_value = "5s")]
    pub timeout: PromDuration,

    /// Judge the scrape as this Prometheus does (its Accept header; 3 refuses a missing or unknown Content-Type) [default: the inventory's prometheus.version, else 3]
    #[arg(long, value_name = "2|3", value_parser = clap::value_parser!(u8).range(2..=3))]
    pub prometheus_version: Option<u8>,

    /// Report format (`--output` is an old spelling)
    #[arg(long = "output-format", alias = "output", value_enum, value_name = "FORMAT", default_value_t = ReportFormat::Table)]
    pub output: ReportFormat,

    #[command(flatten)]
    pub security: ScrapeSecurityArgs,
}

#[derive(Debug, Args)]
pub struct SmokeArgs {
    /// prometheus.yml to validate [default: the inventory's prometheus.config_file]
    #[arg(long, value_name = "FILE")]
    pub config_file: Option<PathBuf>,

    /// Rule file to check with promtool (repeatable) [default: the config's rule_files]
    #[arg(long = "rule-file", value_name = "FILE")]
    pub rule_files: Vec<PathBuf>,

    // The Prometheus the targets are checked through [default: the inventory's prometheus.url]
    #[command(flatten)]
    pub prometheus: ConsultedPrometheusArgs,

    /// How long the targets may take to be scraped and up
    #[arg(long, value_name = "DURATION", default_value = "60s")]
    pub wait: PromDuration,

    /// Skip a stage on purpose (repeatable): a stage that cannot run (no config file, promtool missing, no Prometheus) fails unless skipped
    #[arg(long = "skip", value_name = "STAGE", value_parser = clap::builder::PossibleValuesParser::new(crate::smoke::STAGES))]
    pub skip: Vec<String>,

    /// Fail a fetch of an endpoint after this long
    #[arg(long, value_name = "DURATION", default_value = "10s")]
    pub timeout: PromDuration,

    /// Write one JUnit report, a suite per stage, to FILE (replaced if it exists)
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,

    #[command(flatten)]
    pub security: ScrapeSecurityArgs,
}

#[derive(Debug, Args)]
pub struct RelabelArgs {
    /// The prometheus.yml holding the job (`--config` is the inventory)
    #[arg(long = "config-file", value_name = "FILE")]
    pub config_file: PathBuf,

    /// The job whose relabel_configs to run
    #[arg(long, value_name = "JOB")]
    pub job: String,

    /// Discovered label sets: a JSON/YAML list of label maps, or a saved /api/v1/targets answer (`-` for stdin)
    #[arg(
        long,
        value_name = "FILE",
        conflicts_with = "example",
        required_unless_present = "example"
    )]
    pub targets: Option<PathBuf>,

    /// Built-in discovered label sets for the generated discovery modes
    #[arg(long, value_enum, value_name = "KIND")]
    pub example: Option<RelabelExample>,

    /// Show the labels after every rule
    #[arg(long)]
    pub trace: bool,

    /// Prometheus semantics (2: ^(?:re)$, default ports; 3: ^(?s:re)$, UTF-8 names) [default: --prometheus's version, else the inventory's prometheus.version, else 3]
    #[arg(long, value_name = "2|3", value_parser = clap::value_parser!(u8).range(2..=3))]
    pub prometheus_version: Option<u8>,

    // Take the semantics from a Prometheus' version (its build info)
    #[command(flatten)]
    pub prometheus: ConsultedPrometheusArgs,

    /// Fail (exit 1) unless exactly N targets are kept
    #[arg(long, value_name = "N")]
    pub expect_kept: Option<usize>,

    /// Report format (`--output` is an old spelling)
    #[arg(long = "output-format", alias = "output", value_enum, value_name = "FORMAT", default_value_t = ReportFormat::Table)]
    pub output: ReportFormat,
}

#[derive(Debug, Args)]
pub struct ShardPlanArgs {
    /// How many shards [default: the inventory's shard servers]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=4096))]
    pub shards: Option<u64>,

    /// Discovered targets: a JSON/YAML list of label maps, or a saved /api/v1/targets answer (`-` for stdin) [default: ask Prometheus]
    #[arg(long, value_name = "FILE")]
    pub targets: Option<PathBuf>,

    /// The prometheus.yml whose jobs' relabelling runs before sharding [default: the config gen-config writes for the inventory]
    #[arg(long = "config-file", value_name = "FILE")]
    pub config_file: Option<PathBuf>,

    /// Prometheus semantics (2: ^(?:re)$, default ports; 3: ^(?s:re)$, UTF-8 names) [default: the inventory's prometheus.version, else 3]
    #[arg(long, value_name = "2|3", value_parser = clap::value_parser!(u8).range(2..=3))]
    pub prometheus_version: Option<u8>,

    /// Report format
    #[arg(long = "output-format", alias = "output", value_enum, value_name = "FORMAT", default_value_t = ReportFormat::Table)]
    pub output: ReportFormat,

    #[command(flatten)]
    pub prometheus: PrometheusArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RelabelExample {
    /// Pods of the logger, the server (one on IPv6) and another app
    KubernetesPod,
    /// Compose containers of the logger, the server (two ports) and a database
    DockerContainer,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write gpucharts-mon.1 and one gpucharts-mon-<command>.1 page per subcommand into DIR (else print the main page)
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// How to authenticate to Prometheus' API: the same flags on every command
/// that talks to it.
#[derive(Debug, Clone, Default, Args)]
pub struct PrometheusAuthArgs {
    /// Basic auth user for the Prometheus API
    #[arg(long, value_name = "USER", requires = "prometheus_password_file")]
    pub prometheus_user: Option<String>,

    /// File holding the basic auth password for the Prometheus API
    #[arg(long, value_name = "FILE", requires = "prometheus_user")]
    pub prometheus_password_file: Option<PathBuf>,

    /// File holding a bearer token for the Prometheus API
    #[arg(long, value_name = "FILE", conflicts_with = "prometheus_user")]
    pub prometheus_bearer_token_file: Option<PathBuf>,
}

/// The one Prometheus a command that scrapes or explains consults, and how
/// to authenticate to it. Its TLS, timeout and size flags would clash with
/// the scrape's own, so it has only the URL and the API auth.
#[derive(Debug, Clone, Args)]
pub struct ConsultedPrometheusArgs {
    /// Prometheus base URL to consult
    #[arg(long = "prometheus", value_name = "URL", env = "PROMETHEUS_URL")]
    pub prometheus: Option<String>,

    #[command(flatten)]
    pub auth: PrometheusAuthArgs,
}

/// Where Prometheus' API is and how to talk to it.
#[derive(Debug, Clone, Args)]
pub struct PrometheusArgs {
    /// Prometheus base URL [default: inventory, else http://localhost:9092]; check-targets takes several
    #[arg(long = "prometheus", value_name = "URL", env = "PROMETHEUS_URL", action = clap::ArgAction::Append)]
    pub prometheus: Vec<String>,

    #[command(flatten)]
    pub auth: PrometheusAuthArgs,

    /// CA certificate (PEM) to verify Prometheus' certificate with
    #[arg(long = "ca-file", value_name = "FILE")]
    pub ca_file: Option<PathBuf>,

    /// Do not verify Prometheus' TLS certificate (warns)
    #[arg(long)]
    pub insecure: bool,

    /// Follow a redirect of the Prometheus API to another host or port (refused otherwise; credentials are never sent there)
    #[arg(long)]
    pub follow_redirects: bool,

    /// Give up after this long [default: 10s; reload: 30s for the whole reload]
    #[arg(long, value_name = "DURATION")]
    pub timeout: Option<PromDuration>,

    /// Largest API answer accepted, all answers read at once counted together (suffixes KiB, MiB, GiB); the default fits /api/v1/targets of ~200k targets
    #[arg(long = "max-body", value_name = "SIZE", default_value_t = DEFAULT_API_MAX_BODY, value_parser = parse_size)]
    pub max_body: u64,
}

/// `--max-body` of the Prometheus API client: /api/v1/targets of ~200k
/// targets with their discovered labels, and keeps peak memory under 1 GiB
/// whatever the peers send (the answer, joined once, and its decoding).
pub const DEFAULT_API_MAX_BODY: u64 = 128 << 20;

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

/// How the Prometheus servers given by URL relate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ClusterKind {
    /// Hashmod shards: every target scraped by exactly one
    Shards,
    /// One HA group: the same targets everywhere
    Replicas,
}

/// check-targets' report: the report formats, and JUnit for CI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TargetsFormat {
    Table,
    Json,
    Yaml,
    Junit,
}

/// jq filtering of the raw API answer.
#[derive(Debug, Args)]
pub struct JqArgs {
    /// Run a jq filter on the raw API answer and print its results as jq does
    #[arg(long = "jq", value_name = "FILTER")]
    pub jq: Option<String>,

    /// With --jq: print strings without quotes (jq -r)
    #[arg(short = 'r', long = "raw-output", requires = "jq")]
    pub raw_output: bool,

    /// With --jq: one compact line per value (jq -c)
    #[arg(short = 'C', long = "compact-output", requires = "jq")]
    pub compact_output: bool,
}

#[derive(Debug, Args)]
pub struct CheckTargetsArgs {
    /// Only targets whose job matches this regex (anchored, like PromQL =~) [default: the inventory's job names]
    #[arg(long = "job", value_name = "REGEX")]
    pub job: Option<String>,

    /// Require a job with at least N active targets, JOB or JOB=N (repeatable)
    #[arg(long = "expect", value_name = "JOB[=N]")]
    pub expect: Vec<String>,

    /// Poll until the checks pass or this much time has passed
    #[arg(long, value_name = "DURATION")]
    pub wait: Option<PromDuration>,

    /// Also list dropped targets with their discovered labels
    #[arg(long)]
    pub dropped: bool,

    /// Report format (`--output` is an old spelling)
    #[arg(long = "output-format", alias = "output", value_enum, value_name = "FORMAT", default_value_t = TargetsFormat::Table, conflicts_with = "jq")]
    pub output: TargetsFormat,

    /// How several --prometheus URLs relate (the inventory's prometheus.servers say it otherwise)
    #[arg(long, value_enum, value_name = "KIND")]
    pub cluster: Option<ClusterKind>,

    #[command(flatten)]
    pub jq: JqArgs,

    #[command(flatten)]
    pub prometheus: PrometheusArgs,
}

#[derive(Debug, Args)]
pub struct QueryArgs {
    /// PromQL expression [default: up of the inventory's jobs, e.g. up{job=~"gpu-charts.*"}]
    #[arg(value_name = "PROMQL")]
    pub promql: Option<String>,

    /// Exit 1 when the result is empty
    #[arg(long)]
    pub fail_empty: bool,

    /// Query the last DURATION (a range query) and draw each series as a chart
    #[arg(long, value_name = "DURATION")]
    pub range: Option<PromDuration>,

    /// With --range: seconds between points [default: the range over the chart width]
    #[arg(long, value_name = "DURATION", requires = "range")]
    pub step: Option<PromDuration>,

    /// Report format (`--output` is an old spelling)
    #[arg(long = "output-format", alias = "output", value_enum, value_name = "FORMAT", default_value_t = ReportFormat::Table, conflicts_with = "jq")]
    pub output: ReportFormat,

    #[command(flatten)]
    pub jq: JqArgs,

    #[command(flatten)]
    pub prometheus: PrometheusArgs,
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

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to write the example inventory (`-` for stdout)
    #[arg(
        short = 'o',
        long = "output",
        value_name = "FILE",
        default_value = "gpucharts-mon.yaml"
    )]
    pub output: PathBuf,

    #[command(flatten)]
    pub templates: TemplateArgs,
}

#[derive(Debug, Args)]
pub struct GenConfigArgs {
    /// Splice the GPU Charts jobs into this existing prometheus.yml, leaving its other jobs, sections and comments as they are (written back with --force, compared with --diff); for an inventory of several servers, a folder of NAME.yml
    #[arg(long, value_name = "FILE", conflicts_with = "output")]
    pub into: Option<PathBuf>,

    /// With --into: replace a job of a managed job's name that gpucharts-mon did not write (else exit 2)
    #[arg(long, requires = "into")]
    pub adopt: bool,

    /// Discovery mode for both services (the inventory can set one per service)
    #[arg(long, value_name = "MODE", value_parser = discovery_mode())]
    pub mode: Option<Discovery>,

    /// A logger instance to scrape (repeatable)
    #[arg(long = "logger", value_name = "HOST:PORT")]
    pub logger: Vec<HostPort>,

    /// A server instance to scrape (repeatable)
    #[arg(long = "server", value_name = "HOST:PORT")]
    pub server: Vec<HostPort>,

    /// Value of the `environment` label
    #[arg(long, value_name = "NAME")]
    pub environment: Option<String>,

    /// global.scrape_interval [default: 15s]
    #[arg(long, value_name = "DURATION")]
    pub scrape_interval: Option<PromDuration>,

    /// global.evaluation_interval [default: 15s]
    #[arg(long, value_name = "DURATION")]
    pub evaluation_interval: Option<PromDuration>,

    /// global.scrape_timeout (not longer than the scrape interval)
    #[arg(long, value_name = "DURATION")]
    pub scrape_timeout: Option<PromDuration>,

    /// An external label, KEY=VALUE (repeatable)
    #[arg(long = "external-label", value_name = "KEY=VALUE", value_parser = parse_key_value)]
    pub external_labels: Vec<(String, String)>,

    /// global.scrape_protocols, in order, comma-separated (Prometheus 3), e.g. PrometheusText1.0.0,PrometheusText0.0.4
    #[arg(long, value_name = "LIST", value_delimiter = ',', value_parser = parse_protocol)]
    pub scrape_protocols: Vec<ScrapeProtocol>,

    /// Every GPU Charts job's fallback_scrape_protocol (Prometheus 3): how to read answers with a blank or unknown Content-Type
    #[arg(long, value_name = "PROTOCOL", value_parser = parse_protocol)]
    pub fallback_scrape_protocol: Option<ScrapeProtocol>,

    /// Add the `pushgateway` transition job (honor_labels: true) scraping HOST:PORT, while pushing continues; drop the flag (and --into again) when migrate says it may go
    #[arg(long, value_name = "HOST:PORT")]
    pub pushgateway: Option<HostPort>,

    /// Add the `prometheus` self-monitoring job scraping HOST:PORT
    #[arg(long, value_name = "HOST:PORT")]
    pub self_scrape: Option<HostPort>,

    /// An Alertmanager to send alerts to (repeatable)
    #[arg(long = "alertmanager", value_name = "HOST:PORT")]
    pub alertmanagers: Vec<HostPort>,

    /// A rule file for rule_files (repeatable)
    #[arg(long = "rule-file", value_name = "PATH")]
    pub rule_files: Vec<String>,

    #[command(flatten)]
    pub k8s: K8sArgs,

    /// Docker daemon address for docker_sd_configs [default: unix:///var/run/docker.sock]
    #[arg(long, value_name = "URL")]
    pub docker_host: Option<String>,

    /// Compose service name of the logger [default: logger]
    #[arg(long, value_name = "NAME")]
    pub docker_logger_service: Option<String>,

    /// Compose service name of the server [default: server]
    #[arg(long, value_name = "NAME")]
    pub docker_server_service: Option<String>,

    #[command(flatten)]
    pub security: ScrapeSecurityArgs,

    /// Also run `promtool check config` on the result (when promtool is on PATH)
    #[arg(long)]
    pub check: bool,

    /// Show what each job's relabel rules do to example discovered targets (kept or dropped, address, labels); with -o the config is written too
    #[arg(long)]
    pub explain: bool,

    /// The config of this server of the inventory's prometheus.servers (without it, -o DIR writes NAME.yml for each)
    #[arg(long, value_name = "NAME")]
    pub server_name: Option<String>,

    #[command(flatten)]
    pub out: OutputArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Scheme {
    Http,
    Https,
}

#[derive(Debug, Args)]
pub struct GenRulesArgs {
    /// Override an alert's threshold, ALERT=NUMBER or ALERT=PERCENT% for the ratio alerts (repeatable; see docs/generate.md for names)
    #[arg(long = "threshold", value_name = "ALERT=NUMBER", value_parser = parse_key_value)]
    pub thresholds: Vec<(String, String)>,

    /// Override an alert's `for` duration, ALERT=DURATION (repeatable)
    #[arg(long = "for", value_name = "ALERT=DURATION", value_parser = parse_key_value)]
    pub fors: Vec<(String, String)>,

    /// Runbook base URL: every alert gets the annotation runbook_url=URL#alertname (lower case)
    #[arg(long, value_name = "URL")]
    pub runbook_url: Option<String>,

    /// Also write, beside -o FILE, a `promtool test rules` suite named NAME: each alert fires on synthetic input and stays quiet on healthy input
    #[arg(long, value_name = "NAME")]
    pub tests: Option<String>,

    /// Also run `promtool check rules` (and `promtool test rules` on --tests) on the result (when promtool is on PATH)
    #[arg(long)]
    pub check: bool,

    /// Add PushedGroupStale for the push→pull transition: a GPU Charts group left in the Pushgateway that nothing pushes any more (on by itself when the inventory names prometheus.pushgateway)
    #[arg(long)]
    pub pushgateway_alert: bool,

    #[command(flatten)]
    pub templates: TemplateArgs,

    #[command(flatten)]
    pub out: OutputArgs,
}

#[derive(Debug, Args)]
pub struct GenDashboardsArgs {
    /// Only this dashboard (repeatable) [default: all three]
    #[arg(long = "dashboard", value_name = "NAME", value_parser = dashboard())]
    pub dashboards: Vec<Which>,

    /// Write the dashboards and dashboards.yml into DIR (created if missing); without it, one --dashboard is printed
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    pub output: Option<PathBuf>,

    #[command(flatten)]
    pub write: DirWriteArgs,

    /// The dashboards' folder inside the Grafana container, for dashboards.yml
    #[arg(long, value_name = "PATH", default_value = crate::dashboards::CONTAINER_DIR)]
    pub grafana_path: String,

    /// Draw every panel's queries from a running Prometheus in the terminal instead of writing
    #[arg(long, conflicts_with_all = ["output", "diff", "force"])]
    pub preview: bool,

    /// With --preview: how far back to draw
    #[arg(
        long,
        value_name = "DURATION",
        default_value = "1h",
        requires = "preview"
    )]
    pub range: PromDuration,

    #[command(flatten)]
    pub prometheus: PrometheusArgs,
}

#[derive(Debug, Args)]
pub struct GenStackArgs {
    /// The folder to write the stack into (created if missing)
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    pub output: PathBuf,

    #[command(flatten)]
    pub write: DirWriteArgs,

    /// Run promtool (config, rules, rule tests) and amtool on the stack before writing
    #[arg(long)]
    pub check: bool,

    /// Host port Prometheus is published on
    #[arg(long, value_name = "PORT", default_value_t = 9092, value_parser = clap::value_parser!(u16).range(1..))]
    pub prometheus_port: u16,

    /// Runbook base URL for the alerts' runbook_url annotation
    #[arg(long, value_name = "URL")]
    pub runbook_url: Option<String>,

    /// The stack's prometheus.yml is this existing file with the stack's jobs, rule file and Alertmanager spliced in (its other jobs, sections and comments kept); FILE itself is not changed unless it is DIR/prometheus.yml
    #[arg(long, value_name = "FILE")]
    pub into: Option<PathBuf>,

    /// With --into: replace a job of a managed job's name that gpucharts-mon did not write (else exit 2)
    #[arg(long, requires = "into")]
    pub adopt: bool,

    #[command(flatten)]
    pub templates: TemplateArgs,
}

#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// The Pushgateway's base URL, e.g. http://localhost:9091
    #[arg(long, value_name = "URL", env = "PUSHGATEWAY_URL")]
    pub pushgateway: String,

    #[command(flatten)]
    pub prometheus: PrometheusArgs,

    /// A GPU Charts group pushed within this long means something still pushes [default: 3 scrape intervals]
    #[arg(long, value_name = "DURATION")]
    pub quiet_for: Option<PromDuration>,

    /// Delete the GPU Charts groups whose families all arrive by pull (never another job's), then confirm they are gone
    #[arg(long)]
    pub delete_migrated: bool,

    /// With --delete-migrated: list the DELETE requests, send none
    #[arg(long, requires = "delete_migrated")]
    pub dry_run: bool,

    /// A rule file to check for push-only labels (repeatable)
    #[arg(long = "rule-file", value_name = "FILE")]
    pub rule_files: Vec<PathBuf>,

    /// A folder of Grafana dashboards (*.json) to check for push-only labels
    #[arg(long, value_name = "DIR")]
    pub dashboards: Option<PathBuf>,

    /// Report format
    #[arg(long = "output-format", value_enum, value_name = "FORMAT", default_value_t = ReportFormat::Table)]
    pub output: ReportFormat,
}

#[derive(Debug, Args)]
pub struct GenOperatorArgs {
    /// The folder to write the resources into (created if missing)
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    pub output: PathBuf,

    #[command(flatten)]
    pub write: DirWriteArgs,

    /// ServiceMonitors: scrape each service through its Service's endpoints
    #[arg(long)]
    pub via_service: bool,

    /// The namespace the resources are created in [default: kubectl's]
    #[arg(long, value_name = "NS")]
    pub namespace: Option<String>,

    /// A label on every resource, KEY=VALUE (repeatable): what the Prometheus resource's podMonitorSelector and ruleSelector pick
    #[arg(long = "label", value_name = "KEY=VALUE", value_parser = parse_key_value)]
    pub labels: Vec<(String, String)>,

    /// Also write rbac.yaml: ServiceAccount and (Cluster)Role(Binding) for a Prometheus run without the operator
    #[arg(long)]
    pub rbac: bool,

    /// Run promtool check rules on the PrometheusRule's groups before writing
    #[arg(long)]
    pub check: bool,

    /// Runbook base URL for the alerts' runbook_url annotation
    #[arg(long, value_name = "URL")]
    pub runbook_url: Option<String>,

    #[command(flatten)]
    pub templates: TemplateArgs,
}

#[derive(Debug, Args)]
pub struct GenAlertmanagerArgs {
    /// Also run `amtool check-config` on the result (when amtool is on PATH)
    #[arg(long)]
    pub check: bool,

    /// Print which receiver each generated alert reaches (as `amtool config routes test` would); with -o the file is written too
    #[arg(long)]
    pub explain: bool,

    #[command(flatten)]
    pub out: OutputArgs,
}

#[derive(Debug, Args)]
pub struct GenComposeArgs {
    /// Add Grafana (port 3000) and its datasource provisioning file
    #[arg(long)]
    pub with_grafana: bool,

    /// Add Alertmanager (port 9093)
    #[arg(long)]
    pub with_alertmanager: bool,

    /// Host port Prometheus is published on
    #[arg(long, value_name = "PORT", default_value_t = 9092, value_parser = clap::value_parser!(u16).range(1..))]
    pub prometheus_port: u16,

    /// prometheus.yml to mount, relative to the compose file
    #[arg(long, value_name = "PATH", default_value = "./prometheus.yml")]
    pub prometheus_config: String,

    /// alertmanager.yml to mount with --with-alertmanager (write it with gen-alertmanager)
    #[arg(long, value_name = "PATH", default_value = "./alertmanager.yml")]
    pub alertmanager_config: String,

    /// A rules file (gen-rules) to mount beside prometheus.yml, for `gen-config --rule-file NAME`
    #[arg(long, value_name = "PATH")]
    pub rules: Option<String>,

    /// With --with-grafana: a gen-dashboards folder to mount (its dashboards.yml and the dashboards)
    #[arg(long, value_name = "DIR")]
    pub dashboards: Option<String>,

    #[command(flatten)]
    pub templates: TemplateArgs,

    #[command(flatten)]
    pub out: OutputArgs,
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
