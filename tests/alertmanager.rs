//! gen-alertmanager: amtool accepts every generated file, `--explain`
//! agrees with `amtool config routes test` for every alert, and inventory
//! mistakes are one-line usage errors that write nothing and echo no secret.

use std::process::Command as StdCommand;

use crate::support::{have, mon, names_in, outcome, stdout_of};

const FULL: &str = "alertmanager:
  receivers:
    - name: team
      webhook_url: http://127.0.0.1:5001/hook
    - name: pager
      pagerduty_routing_key_file: /etc/alertmanager/pd.key
      slack_api_url_file: /etc/alertmanager/slack.url
      slack_channel: '#oncall'
    - name: mail
      email_to: ops@example.org
      email_from: am@example.org
      email_smarthost: smtp.example.org:587
      email_auth_username: am
      email_auth_password_file: /etc/alertmanager/smtp.pw
  routes: {default: team, critical: pager, warning: mail}
";

/// Inventories covering each routing shape: severity split three ways, one
/// severity routed, only a default, and no receiver at all.
const INVENTORIES: [&str; 4] = [
    FULL,
    "alertmanager:\n  receivers: [{name: a, webhook_url: 'http://127.0.0.1:1/'}, {name: b, webhook_url: 'http://127.0.0.1:2/'}]\n  routes: {critical: b}\n",
    "alertmanager:\n  receivers: [{name: only, webhook_url: 'https://127.0.0.1:3/x'}]\n",
    "",
];

#[test]
fn explain_agrees_with_amtool_for_every_alert_and_amtool_accepts_the_file() {
    if !have("amtool", "gen_alertmanager_agrees_with_amtool") {
        return;
    }
    for (i, inventory) in INVENTORIES.iter().enumerate() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("inv.yaml"), inventory).unwrap();
        let explained = stdout_of(mon(dir.path()).args([
            "--config",
            "inv.yaml",
            "gen-alertmanager",
            "--check",
            "--explain",
            "-o",
            "alertmanager.yml",
        ]));
        let file = dir.path().join("alertmanager.yml");
        let check = StdCommand::new("amtool")
            .arg("check-config")
            .arg(&file)
            .output()
            .unwrap();
        assert!(
            check.status.success(),
            "inventory {i}: amtool rejected: {}",
            String::from_utf8_lossy(&check.stdout)
        );
        let lines: Vec<&str> = explained.lines().collect();
        assert_eq!(
            lines.len(),
            gpucharts_mon::rules::ALERTS.len(),
            "{explained}"
        );
        for (line, (alert, _, _, _, severity)) in lines.iter().zip(gpucharts_mon::rules::ALERTS) {
            let ours = line
                .split(" -> ")
                .nth(1)
                .and_then(|r| r.split(' ').next())
                .unwrap_or_else(|| panic!("unexpected line {line:?}"));
            let out = StdCommand::new("amtool")
                .args(["config", "routes", "test", "--config.file"])
                .arg(&file)
                .arg(format!("alertname={alert}"))
                .arg(format!("severity={severity}"))
                .output()
                .unwrap();
            let theirs = String::from_utf8_lossy(&out.stdout).trim().to_string();
            assert_eq!(ours, theirs, "inventory {i}, alert {alert}: {line}");
            assert!(line.starts_with(alert), "{line}");
        }
    }
}

#[test]
fn inventory_mistakes_are_usage_errors_that_write_nothing() {
    for (inventory, needle) in [
        (
            "alertmanager:\n  receivers: [{name: s, slack_api_url: 'https://hooks.example/T0/SECRET'}]\n",
            "set slack_api_url_file instead",
        ),
        (
            "alertmanager:\n  receivers: [{name: p, pagerduty_routing_key: SECRETKEY}]\n",
            "pagerduty_routing_key_file",
        ),
        (
            "alertmanager:\n  receivers: [{name: a}]\n  routes: {warning: nobody}\n",
            "alertmanager.routes.warning: no receiver is named \"nobody\"",
        ),
        (
            "alertmanager:\n  receivers: [{name: a, email_to: x@y, email_from: a@b, email_smarthost: smtp}]\n",
            "HOST:PORT",
        ),
        (
            "alertmanager:\n  receivers: [{name: a, webhok_url: 'http://127.0.0.1/'}]\n",
            "webhok_url",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("inv.yaml"), inventory).unwrap();
        let (code, stdout, stderr) = outcome(mon(dir.path()).args([
            "--config",
            "inv.yaml",
            "gen-alertmanager",
            "-o",
            "alertmanager.yml",
        ]));
        assert_eq!(code, 2, "{inventory}: {stderr}");
        assert!(stdout.is_empty());
        assert!(stderr.contains(needle), "{inventory}: {stderr}");
        assert!(!stderr.contains("SECRET"), "secret echoed: {stderr}");
        assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
        assert_eq!(names_in(dir.path()), ["inv.yaml"]);
    }
}
