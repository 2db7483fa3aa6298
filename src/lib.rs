//! gpucharts-mon: operations toolkit for pull-based Prometheus monitoring of
//! the GPU Charts services. `main.rs` parses the command line
//! ([`cli::parse`]) and calls [`run`].
//!
//! The public API is what the binary, the integration tests and `fuzz/`
//! use, and nothing else: [`run`] and [`cli`] (the command line),
//! [`error`] (exit codes and the report of an error), [`commands`]
//! (completion scripts and man pages are generated from it), [`yaml`] and
//! [`values`] (the YAML reader and value types the tests check generated
//! files with), [`promconfig`] (prometheus.yml's model, its validation and
//! the relabel engine the differential tests run against Prometheus),
//! [`expfmt`] (the exposition parser and linter), [`rules`],
//! [`dashboards`] and [`catalogue`] (what is generated, for comparison),
//! [`version`], [`demo`] and [`output`] (the fault names and the
//! terminal width), and `fuzzing` (the fuzz bodies, with the `fuzzing`
//! feature). Every other module is `pub(crate)`.

/// A domain error that callers still passing text along may turn into its
/// message (`?` into a `Result<_, String>`, `error::usage(e)`). Defined
/// before the modules, so that every module can use it by name.
macro_rules! message_into_string {
    ($error:ty) => {
        impl From<$error> for String {
            fn from(e: $error) -> String {
                e.to_string()
            }
        }
    };
}

pub(crate) mod alertmanager;
pub(crate) mod budget;
pub mod catalogue;
pub mod cli;
pub(crate) mod cluster;
pub mod commands;
pub(crate) mod compose;
pub(crate) mod context;
pub mod dashboards;
pub mod demo;
pub(crate) mod doctor;
pub mod error;
pub mod expfmt;
pub(crate) mod firewall;
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
pub(crate) mod input;
pub(crate) mod inventory;
pub(crate) mod jq;
pub(crate) mod lifecycle;
pub(crate) mod migrate;
pub(crate) mod operator;
pub mod output;
pub(crate) mod probe;
pub(crate) mod process;
pub(crate) mod promapi;
pub mod promconfig;
pub(crate) mod promtool;
pub(crate) mod redact;
pub mod rules;
pub(crate) mod ruletest;
pub(crate) mod smoke;
pub(crate) mod stack;
pub(crate) mod targets;
pub(crate) mod templates;
pub(crate) mod text;
pub mod values;
pub mod version;
pub mod yaml;

use std::process::ExitCode;

use cli::{Cli, Command};
use inventory::Inventory;

/// Everything a subcommand needs that is resolved once: the inventory,
/// global presentation choices, and where each given value came from.
pub struct Ctx {
    pub inventory: Inventory,
    pub color: bool,
    pub sources: cli::Sources,
}

pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let ctx = || -> anyhow::Result<Ctx> {
        Ok(Ctx {
            inventory: Inventory::discover(cli.config.as_deref()).map_err(error::domain)?,
            color: output::use_color(cli.color),
            sources: cli.sources.clone(),
        })
    };
    let code = match cli.command {
        // init must work without (and before) any inventory
        Command::Init(args) => commands::init::run(&args),
        Command::Completions(args) => commands::completions::completions(args.shell),
        Command::Man(args) => commands::completions::man(&args),
        Command::GenConfig(args) => commands::gen_config::run(&args, &ctx()?),
        Command::GenRules(args) => commands::gen_rules::run(&args, &ctx()?),
        Command::GenAlertmanager(args) => commands::gen_alertmanager::run(&args, &ctx()?),
        Command::GenDashboards(args) => commands::gen_dashboards::run(&args, &ctx()?).await,
        Command::GenStack(args) => commands::gen_stack::run(&args, &ctx()?),
        Command::GenOperator(args) => commands::gen_operator::run(&args, &ctx()?),
        Command::Migrate(args) => commands::migrate::run(&args, &ctx()?).await,
        Command::GenCompose(args) => commands::gen_compose::run(&args, &ctx()?),
        Command::CheckTargets(args) => commands::check_targets::run(&args, &ctx()?).await,
        Command::Query(args) => commands::query::run(&args, &ctx()?).await,
        Command::Firewall(args) => commands::firewall::run(&args, &ctx()?),
        Command::Lint(args) => commands::lint::run(&args, &ctx()?),
        Command::TestPull(args) => commands::test_pull::run(&args, &ctx()?).await,
        Command::ServeDemo(args) => commands::serve_demo::run(&args, &ctx()?).await,
        Command::Demo(args) => commands::demo::run(&args, &ctx()?).await,
        Command::Reload(args) => commands::reload::run(&args, &ctx()?).await,
        Command::Doctor(args) => commands::doctor::run(&args, &ctx()?).await,
        Command::Relabel(args) => commands::relabel::run(&args, &ctx()?).await,
        Command::ShardPlan(args) => commands::shard_plan::run(&args, &ctx()?).await,
        Command::Smoke(args) => commands::smoke::run(&args, &ctx()?).await,
    };
    // The command's own error comes first; then any failure to write stdout.
    let flushed = output::finish_stdout();
    let code = code?;
    flushed?;
    Ok(code)
}
