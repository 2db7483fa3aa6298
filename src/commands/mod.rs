//! One module per subcommand: glue from parsed arguments to the domain modules.

pub mod check_targets;
pub mod completions;
pub mod demo;
pub mod doctor;
pub mod firewall;
pub mod gen_alertmanager;
pub mod gen_compose;
pub mod gen_config;
pub mod gen_dashboards;
pub mod gen_operator;
pub mod gen_rules;
pub mod gen_stack;
pub mod init;
pub mod lint;
pub mod migrate;
pub mod query;
pub mod relabel;
pub mod reload;
pub mod serve_demo;
pub mod shard_plan;
pub mod smoke;
pub mod test_pull;
