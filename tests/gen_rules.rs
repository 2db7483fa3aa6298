//! gen-rules: golden output, promtool acceptance, every selected metric is in
//! the catalogue, job regexes match the generated job names, overrides.

use std::collections::BTreeSet;

use gpucharts_mon::catalogue::Catalogue;
use gpucharts_mon::values::anchored_regex;

use crate::support::{have, mon, outcome, promtool_accepts, stdout_of};

#[derive(serde::Deserialize)]
struct RuleFile {
    groups: Vec<Group>,
}

#[derive(serde::Deserialize)]
struct Group {
    rules: Vec<Rule>,
}

#[derive(serde::Deserialize)]
struct Rule {
    #[serde(default)]
    alert: String,
    #[serde(default)]
    record: String,
    expr: String,
    #[serde(rename = "for", default)]
    for_: String,
}

fn rules(args: &[&str]) -> (String, Vec<Rule>) {
    let dir = tempfile::tempdir().unwrap();
    let text = stdout_of(mon(dir.path()).arg("gen-rules").args(args));
    let file: RuleFile = gpucharts_mon::yaml::from_str(&text).unwrap();
    (
        text,
        file.groups.into_iter().flat_map(|g| g.rules).collect(),
    )
}

/// Metric names a PromQL expression selects: identifiers that are not
/// functions, keywords, label names inside braces or `by (...)` lists.
pub fn selected_metrics(expr: &str) -> BTreeSet<String> {
    let without_strings = regex::Regex::new(r#""[^"]*""#)
        .unwrap()
        .replace_all(expr, "\"\"");
    let without_groupings = regex::Regex::new(r"\b(by|without)\s*\([^)]*\)")
        .unwrap()
        .replace_all(&without_strings, "");
    let without_matchers = regex::Regex::new(r"\{[^}]*\}")
        .unwrap()
        .replace_all(&without_groupings, "");
    let without_ranges = regex::Regex::new(r"\[[^\]]*\]")
        .unwrap()
        .replace_all(&without_matchers, "");
    let ident = regex::Regex::new(r"[a-zA-Z_:][a-zA-Z0-9_:]*(\s*\()?").unwrap();
    ident
        .captures_iter(&without_ranges)
        .filter(|c| c.get(1).is_none()) // function calls
        .map(|c| c[0].trim().to_string())
        .filter(|n| !["sum", "by", "and", "or", "unless"].contains(&n.as_str()))
        .collect()
}

#[test]
fn golden_and_promtool() {
    let (text, _) = rules(&[]);
    insta::assert_snapshot!("rules_default", text);
    if have("promtool", "gen_rules::golden_and_promtool") {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("alerts.yml");
        std::fs::write(&path, &text).unwrap();
        promtool_accepts("rules", &path);
    }
}

#[test]
fn every_selected_metric_is_in_the_catalogue() {
    let catalogue = Catalogue::embedded().unwrap();
    let mut known: BTreeSet<String> = catalogue.families().map(|f| f.name.clone()).collect();
    known.insert("up".into());
    let (_, rules) = rules(&[]);
    assert!(rules.iter().filter(|r| !r.alert.is_empty()).count() >= 12);
    let mut covered = BTreeSet::new();
    let mut recorded_and_read = BTreeSet::new();
    for rule in &rules {
        let metrics = selected_metrics(&rule.expr);
        assert!(!metrics.is_empty(), "{}: selects nothing?", rule.alert);
        // A recorded series is known once its rule came earlier in the file.
        let (recorded, metrics): (Vec<String>, Vec<String>) = metrics
            .into_iter()
            .partition(|m| known.contains(m) && m.contains(':'));
        recorded_and_read.extend(recorded);
        for m in metrics {
            let family = ["_bucket", "_sum", "_count"]
                .iter()
                .find_map(|s| m.strip_suffix(s))
                .filter(|base| known.contains(*base))
                .map_or(m.clone(), str::to_string);
            assert!(
                known.contains(&family),
                "{}: {m} is not a catalogue family",
                rule.alert
            );
            covered.insert(family);
        }
        if !rule.record.is_empty() {
            assert!(
                rule.record.split(':').count() == 3,
                "{} is not level:metric:operations",
                rule.record
            );
            known.insert(rule.record.clone());
        }
    }
    assert!(covered.contains("gpu_charts_server_cache_misses_total"));
    // Every recorded series that an alert reads is one the rules record.
    let alert_reads: BTreeSet<String> = rules
        .iter()
        .filter(|r| !r.alert.is_empty())
        .flat_map(|r| selected_metrics(&r.expr))
        .filter(|m| m.contains(':'))
        .collect();
    assert!(alert_reads.len() >= 8, "{alert_reads:?}");
    assert!(alert_reads.is_subset(&recorded_and_read), "{alert_reads:?}");
}

#[test]
fn job_regex_matches_generated_jobs() {
    let dir = tempfile::tempdir().unwrap();
    let re_in_expr = regex::Regex::new(r#"job=~"((?:[^"\\]|\\.)*)""#).unwrap();
    for inventory in [
        "",
        "services:\n  logger: {job: feeds}\n  server: {job: api.v2}\n",
    ] {
        std::fs::write(dir.path().join("gpucharts-mon.yaml"), inventory).unwrap();
        let text = stdout_of(mon(dir.path()).arg("gen-rules"));
        let config = stdout_of(mon(dir.path()).arg("gen-config"));
        let cfg: gpucharts_mon::promconfig::PrometheusConfig =
            gpucharts_mon::yaml::from_str(&config).unwrap();
        let file: RuleFile = gpucharts_mon::yaml::from_str(&text).unwrap();
        let mut regexes = 0;
        for rule in file.groups.iter().flat_map(|g| &g.rules) {
            for caps in re_in_expr.captures_iter(&rule.expr) {
                regexes += 1;
                // undo the PromQL string escaping, then anchor like PromQL =~
                let re = anchored_regex(&caps[1].replace("\\\\", "\\")).unwrap();
                for job in &cfg.scrape_configs {
                    assert!(
                        re.is_match(&job.job_name),
                        "{} does not match job {}",
                        &caps[1],
                        job.job_name
                    );
                }
                assert!(!re.is_match("api-v2"), "escaped dot must stay literal");
            }
        }
        assert!(regexes >= 1);
        if have("promtool", "job_regex_matches_generated_jobs") {
            let path = dir.path().join("alerts.yml");
            std::fs::write(&path, &text).unwrap();
            promtool_accepts("rules", &path);
        }
    }
}

#[test]
fn overrides_from_flags_and_inventory() {
    let (_, rules) = rules(&[
        "--threshold",
        "ExchangeErrorRate=2.5",
        "--for",
        "MetricsEndpointDown=10m",
    ]);
    let get = |n: &str| rules.iter().find(|r| r.alert == n).unwrap();
    assert!(
        get("ExchangeErrorRate").expr.ends_with("> 2.5"),
        "{}",
        get("ExchangeErrorRate").expr
    );
    assert_eq!(get("MetricsEndpointDown").for_, "10m");

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("gpucharts-mon.yaml"),
        "rules:\n  StaleData: {threshold: 600, for: 1m}\n",
    )
    .unwrap();
    let text = stdout_of(mon(dir.path()).arg("gen-rules"));
    assert!(text.contains("> 600"), "{text}");
}

#[test]
fn bad_overrides_are_usage_errors() {
    for (args, needle) in [
        (
            vec!["--threshold", "NoSuchAlert=1"],
            "unknown alert 'NoSuchAlert'",
        ),
        (
            vec!["--threshold", "ExchangeErrorRate=lots"],
            "not a number",
        ),
        (vec!["--for", "StaleData=5minutes"], "5minutes"),
        (vec!["--threshold", "MetricsEndpointDown=1"], "no threshold"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        mon(dir.path())
            .arg("gen-rules")
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicates::str::contains(needle));
    }
}

#[test]
fn catalogue_copy_matches_shared() {
    let shared =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/gpu-charts/metrics.yaml");
    match std::fs::read_to_string(&shared) {
        Ok(text) => assert_eq!(
            text,
            gpucharts_mon::catalogue::SOURCE,
            "src/catalogue.yaml is stale; copy {}",
            shared.display()
        ),
        Err(_) => crate::support::skip(&format!(
            "catalogue_copy_matches_shared: {} not present",
            shared.display()
        )),
    }
}

/// Every alert has a severity the Alertmanager routes know, a summary and a
/// description; with --runbook-url, a runbook link per alert; and every job
/// has an `absent(up{job=…})` alert.
#[test]
fn every_alert_is_labelled_and_annotated() {
    let dir = tempfile::tempdir().unwrap();
    let text = stdout_of(mon(dir.path()).args([
        "gen-rules",
        "--runbook-url",
        "https://wiki.example.org/runbooks",
    ]));
    let doc: gpucharts_mon::yaml::Value = gpucharts_mon::yaml::from_str(&text).unwrap();
    let mut names = BTreeSet::new();
    let mut absent = Vec::new();
    for group in doc["groups"].as_sequence().unwrap() {
        for rule in group["rules"].as_sequence().unwrap() {
            let Some(name) = rule["alert"].as_str() else {
                assert!(rule["record"].as_str().is_some());
                continue;
            };
            names.insert(name.to_string());
            let severity = rule["labels"]["severity"].as_str().unwrap();
            assert!(["critical", "warning"].contains(&severity), "{name}");
            for key in ["summary", "description"] {
                assert!(
                    rule["annotations"][key]
                        .as_str()
                        .is_some_and(|v| v.len() > 10),
                    "{name}: no {key}"
                );
            }
            assert_eq!(
                rule["annotations"]["runbook_url"].as_str(),
                Some(format!("https://wiki.example.org/runbooks#{}", name.to_lowercase()).as_str()),
            );
            let service = rule["labels"]["service"].as_str();
            if name == "MetricsEndpointDown" {
                assert_eq!(service, None);
            } else {
                assert!(matches!(service, Some("logger" | "server")), "{name}");
            }
            if name == "MetricsJobAbsent" {
                absent.push(rule["expr"].as_str().unwrap().to_string());
            }
        }
    }
    let expected: BTreeSet<String> = gpucharts_mon::rules::ALERTS
        .iter()
        .map(|a| a.name.to_string())
        .collect();
    assert_eq!(names, expected);
    assert_eq!(
        absent,
        [
            "absent(up{job=\"gpu-charts-logger\"})",
            "absent(up{job=\"gpu-charts-server\"})"
        ]
    );
    let (code, _, err) = outcome(mon(dir.path()).args(["gen-rules", "--runbook-url", "x#y"]));
    assert_eq!(code, 2, "{err}");
}

fn promtool_test(dir: &std::path::Path, file: &str) -> (bool, String) {
    let out = std::process::Command::new("promtool")
        .args(["test", "rules", file])
        .current_dir(dir)
        .output()
        .unwrap();
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

/// `--tests`: every alert has a firing and a quiet test, promtool passes
/// them for the defaults and for renamed jobs with overrides, and the suite
/// fails once the rules stop doing what it predicts.
#[test]
fn rule_unit_tests_pass_in_promtool() {
    if !have("promtool", "rule_unit_tests_pass_in_promtool") {
        return;
    }
    for (inventory, args) in [
        ("", vec![]),
        (
            "services:\n  logger: {job: \"feeds\\\"x\"}\n  server: {job: api.v2}\nrules:\n  StaleData: {threshold: 4000, for: 90s}\n",
            vec![
                "--threshold",
                "ServerErrorRatioHigh=0.7",
                "--threshold",
                "ExchangeReconnectionLoop=0",
                "--for",
                "WebsocketLatencyHigh=0s",
                "--runbook-url",
                "https://wiki.example.org/rb",
            ],
        ),
        // The transition alert: on by the flag, or by an inventory that
        // still names a Pushgateway.
        (
            "",
            vec!["--pushgateway-alert", "--for", "PushedGroupStale=0s"],
        ),
        (
            "prometheus:\n  pushgateway: localhost:9091\n",
            vec!["--threshold", "PushedGroupStale=7200"],
        ),
    ] {
        let transition = inventory.contains("pushgateway") || args.contains(&"--pushgateway-alert");
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("gpucharts-mon.yaml"), inventory).unwrap();
        mon(dir.path())
            .args(["gen-rules", "-o", "rules.yml", "--tests", "rules.test.yml"])
            .args(&args)
            .args(["--check"])
            .assert()
            .success();
        let suite: gpucharts_mon::yaml::Value = gpucharts_mon::yaml::from_str(
            &std::fs::read_to_string(dir.path().join("rules.test.yml")).unwrap(),
        )
        .unwrap();
        assert_eq!(suite["rule_files"][0].as_str(), Some("rules.yml"));
        let names: Vec<&str> = suite["tests"]
            .as_sequence()
            .unwrap()
            .iter()
            .map(|t| t["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            names.len(),
            2 * gpucharts_mon::rules::alert_set(transition).count(),
            "{names:?}"
        );
        for alert in gpucharts_mon::rules::alert_set(transition) {
            for kind in ["fires", "stays quiet on healthy input"] {
                let name = format!("{} {kind}", alert.name);
                assert!(names.contains(&name.as_str()), "{name} missing: {names:?}");
            }
        }
        let (ok, out) = promtool_test(dir.path(), "rules.test.yml");
        assert!(ok, "{out}");
        assert!(out.contains("SUCCESS"), "{out}");
    }
    // The suite is a real test: a rule that no longer matches fails it.
    let dir = tempfile::tempdir().unwrap();
    mon(dir.path())
        .args(["gen-rules", "-o", "rules.yml", "--tests", "t.yml"])
        .assert()
        .success();
    let rules = std::fs::read_to_string(dir.path().join("rules.yml")).unwrap();
    for (from, to, alert) in [
        ("> 0.05", "> 0.6", "ServerErrorRatioHigh"),
        ("has not been updated", "is old", "StaleData"),
    ] {
        std::fs::write(dir.path().join("rules.yml"), rules.replacen(from, to, 1)).unwrap();
        let (ok, out) = promtool_test(dir.path(), "t.yml");
        assert!(!ok && out.contains(alert), "{out}");
    }
}

#[test]
fn rule_unit_test_usage_errors() {
    for (args, needle) in [
        (vec!["--tests", "t.yml"], "needs -o FILE"),
        (
            vec!["-o", "r.yml", "--tests", "../t.yml"],
            "plain file name",
        ),
        (vec!["-o", "r.yml", "--tests", "r.yml"], "plain file name"),
        (
            vec![
                "-o",
                "r.yml",
                "--tests",
                "t.yml",
                "--threshold",
                "SlowDataQueries=0.5",
            ],
            "the alert could never fire",
        ),
        (
            vec![
                "-o",
                "r.yml",
                "--tests",
                "t.yml",
                "--threshold",
                "CacheHitRatioLow=0",
            ],
            "CacheHitRatioLow cannot be tested",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        mon(dir.path())
            .arg("gen-rules")
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicates::str::contains(needle));
        assert!(
            !dir.path().join("r.yml").exists(),
            "{args:?} wrote the rules"
        );
    }
}

/// Ratio thresholds may be written as percentages, on the command line and
/// in the inventory; the rule compares with the ratio.
#[test]
fn ratio_thresholds_take_percentages() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("inv.yaml"),
        "rules:\n  CacheHitRatioLow: {threshold: \"80%\"}\n",
    )
    .unwrap();
    let out = crate::support::stdout_of(crate::support::mon(d).args([
        "-c",
        "inv.yaml",
        "gen-rules",
        "--threshold",
        "ServerErrorRatioHigh=5%",
    ]));
    assert!(out.contains("ratio_rate5m > 0.05\n"), "{out}");
    assert!(out.contains("ratio_rate10m < 0.8\n"), "{out}");
    let (code, _, err) = crate::support::outcome(crate::support::mon(d).args([
        "gen-rules",
        "--threshold",
        "ServerErrorRatioHigh=500%",
    ]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("ratio from 0 to 1"), "{err}");
}

/// A latency threshold at or above the histogram's largest finite bucket
/// is refused: histogram_quantile reports a quantile in the +Inf bucket as
/// that bound, so the alert could never fire. promtool shows the cap: every
/// observation above 5s still gives a 0.95 quantile of exactly 5.
#[test]
fn latency_thresholds_are_checked_against_the_buckets() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for (flag, top) in [
        ("WebsocketLatencyHigh=5", "5s"),
        ("ServerRequestLatencyHigh=7.5", "5s"),
        ("SlowDataQueries=0.5", "0.5s"),
    ] {
        let (code, _, err) = outcome(mon(d).args(["gen-rules", "--threshold", flag]));
        assert_eq!(code, 2, "{flag}: {err}");
        assert!(
            err.contains(&format!("largest bucket is {top}")),
            "{flag}: {err}"
        );
    }
    let (code, _, err) = outcome(mon(d).args(["gen-rules", "--threshold", "SlowDataQueries=0.4"]));
    assert_eq!(code, 0, "{err}");
    if !have("promtool", "gen_rules::latency_thresholds") {
        return;
    }
    std::fs::write(d.join("r.yml"), "groups: []\n").unwrap();
    std::fs::write(
        d.join("t.yml"),
        "rule_files: [r.yml]\nevaluation_interval: 1m\ntests:\n- interval: 1m\n  input_series:\n  - series: 'x_seconds_bucket{le=\"1\"}'\n    values: '0+0x10'\n  - series: 'x_seconds_bucket{le=\"5\"}'\n    values: '0+0x10'\n  - series: 'x_seconds_bucket{le=\"+Inf\"}'\n    values: '0+60x10'\n  promql_expr_test:\n  - expr: histogram_quantile(0.95, rate(x_seconds_bucket[5m]))\n    eval_time: 10m\n    exp_samples:\n    - labels: '{}'\n      value: 5\n",
    )
    .unwrap();
    let out = std::process::Command::new("promtool")
        .args(["test", "rules", "t.yml"])
        .current_dir(d)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// Every flag that shapes the rules is read: each of these, left out in
/// turn, changes the output.
#[test]
fn each_rules_flag_is_read() {
    let set: [&[&str]; 5] = [
        &["--threshold", "ExchangeErrorRate=2"],
        &["--for", "StaleData=10m"],
        &["--runbook-url", "https://wiki.example.org/rb"],
        &["--pushgateway-alert"],
        &["--threshold", "PushedGroupStale=1200"],
    ];
    let run = |skip: Option<usize>| {
        let args: Vec<&str> = set
            .iter()
            .enumerate()
            .filter(|(i, _)| Some(*i) != skip)
            .flat_map(|(_, g)| g.iter().copied())
            .collect();
        let dir = tempfile::tempdir().unwrap();
        stdout_of(mon(dir.path()).arg("gen-rules").args(&args))
    };
    let all = run(None);
    assert!(
        all.contains("PushedGroupStale") && all.contains("> 1200"),
        "{all}"
    );
    for (i, group) in set.iter().enumerate() {
        assert_ne!(run(Some(i)), all, "{group:?} changes nothing");
    }
}
