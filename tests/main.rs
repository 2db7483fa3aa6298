//! Integration tests: one crate, one module per topic. They drive the real
//! binary and, where installed, the real promtool (Debian package
//! `prometheus`); tests that need a missing tool say so and skip.

mod support;

mod agreement;
mod alertmanager;
mod check_targets;
mod cluster;
mod coexist;
mod completions;
mod dashboards;
mod demo_alerts;
mod docker_sd;
mod doctor;
mod expfmt;
mod firewall;
#[cfg(feature = "fuzzing")]
mod fuzz_regressions;
/// Without the feature the crash replays cannot run: a failure under CI.
#[cfg(not(feature = "fuzzing"))]
#[test]
fn fuzz_regressions_need_the_fuzzing_feature() {
    assert!(
        std::env::var_os("CI").is_none(),
        "the fuzz crash replays need `cargo test --features fuzzing`"
    );
}
mod gen_compose;
mod gen_config;
mod gen_rules;
mod gen_stack;
mod hostile_cluster;
mod injection;
mod inventory;
mod kubernetes;
mod layering;
mod lint;
mod matrix;
mod migrate;
mod operator;
mod relabel;
mod reload;
mod secrets;
mod secured;
mod stack;
mod terminal;
mod test_pull;
mod trust;
mod writing;
