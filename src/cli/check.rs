//! Flags of the checks: test-pull, lint, check-targets, query, doctor, smoke, relabel, shard-plan.

use super::*;

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
    pub prometheus: PrometheusArgs,

    #[command(flatten)]
    pub output: FormatArgs<PullFormat>,

    #[command(flatten)]
    pub security: ScrapeSecurityArgs,

    #[command(flatten)]
    pub lint: LintFlags,
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

    #[command(flatten)]
    pub output: FormatArgs<ReportFormat>,

    #[command(flatten)]
    pub lint: LintFlags,
}

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// logger, server, HOST:PORT or a URL [default: every inventory target]
    #[arg(value_name = "TARGET")]
    pub target: Option<String>,

    // The Prometheus asked about the target [default: the inventory's prometheus.url]
    #[command(flatten)]
    pub prometheus: PrometheusArgs,

    /// Bound on every check (DNS, connect, fetch, Prometheus)
    #[arg(long, value_name = "DURATION", default_value = "5s")]
    pub timeout: PromDuration,

    /// Judge the scrape as this Prometheus does (its Accept header; 3 refuses a missing or unknown Content-Type) [default: the inventory's prometheus.version, else 3]
    #[arg(long, value_name = "2|3", value_parser = clap::value_parser!(u8).range(2..=3))]
    pub prometheus_version: Option<u8>,

    #[command(flatten)]
    pub output: FormatArgs<ReportFormat>,

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
    pub prometheus: PrometheusArgs,

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
    pub prometheus: PrometheusArgs,

    /// Fail (exit 1) unless exactly N targets are kept
    #[arg(long, value_name = "N")]
    pub expect_kept: Option<usize>,

    #[command(flatten)]
    pub output: FormatArgs<ReportFormat>,
}

#[derive(Debug, Args)]
#[command(mut_args(api_names))]
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

    #[command(flatten)]
    pub output: FormatArgs<ReportFormat>,

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

/// How the Prometheus servers given by URL relate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ClusterKind {
    /// Hashmod shards: every target scraped by exactly one
    Shards,
    /// One HA group: the same targets everywhere
    Replicas,
}

/// check-targets' report: the report formats, and JUnit for CI.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum TargetsFormat {
    #[default]
    Table,
    Json,
    Yaml,
    Junit,
}

/// jq filtering of the raw API answer.
#[derive(Debug, Args)]
pub struct JqArgs {
    /// Run a jq filter on the raw API answer and print its results as jq does
    #[arg(long = "jq", value_name = "FILTER", conflicts_with = "output_format")]
    pub jq: Option<String>,

    /// With --jq: print strings without quotes (jq -r)
    #[arg(short = 'r', long = "raw-output", requires = "jq")]
    pub raw_output: bool,

    /// With --jq: one compact line per value (jq -c)
    #[arg(short = 'C', long = "compact-output", requires = "jq")]
    pub compact_output: bool,
}

#[derive(Debug, Args)]
#[command(mut_args(api_names))]
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

    #[command(flatten)]
    pub output: FormatArgs<TargetsFormat>,

    /// How several --prometheus URLs relate (the inventory's prometheus.servers say it otherwise)
    #[arg(long, value_enum, value_name = "KIND")]
    pub cluster: Option<ClusterKind>,

    #[command(flatten)]
    pub jq: JqArgs,

    #[command(flatten)]
    pub prometheus: PrometheusArgs,
}

#[derive(Debug, Args)]
#[command(mut_args(api_names))]
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

    #[command(flatten)]
    pub output: FormatArgs<ReportFormat>,

    #[command(flatten)]
    pub jq: JqArgs,

    #[command(flatten)]
    pub prometheus: PrometheusArgs,
}
