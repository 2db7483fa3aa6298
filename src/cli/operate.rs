//! Flags of the commands that act: reload, firewall, migrate, serve-demo, demo.

use super::*;

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
    #[command(flatten)]
    pub output: FormatArgs<PullFormat>,
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
#[command(mut_args(api_names))]
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

#[derive(Debug, Args)]
#[command(mut_args(api_names))]
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

    #[command(flatten)]
    pub output: FormatArgs<ReportFormat>,
}
