//! Flags of the generators: init, gen-*, man and completions.

use super::*;

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write gpucharts-mon.1 and one gpucharts-mon-<command>.1 page per subcommand into DIR (else print the main page)
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
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
#[command(mut_args(api_names))]
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
