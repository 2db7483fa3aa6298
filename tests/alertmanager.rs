//! gen-alertmanager: amtool accepts every generated file, `--explain`
//! agrees with `amtool config routes test` for every alert, and inventory
//! mistakes are one-line usage errors that write nothing and echo no secret.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command as StdCommand, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::support::demo::{fast_config, serve_demo};
use crate::support::http::{closed_port, get};
use crate::support::prometheus::Prometheus;
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

/// Inventories covering each routing shape: severity split three ways,
/// critical then by service, one severity routed, only a default, and no
/// receiver at all.
const INVENTORIES: [&str; 5] = [
    FULL,
    "alertmanager:\n  receivers: [{name: pager, webhook_url: 'http://127.0.0.1:1/'}, {name: feeds, webhook_url: 'http://127.0.0.1:2/'}, {name: api, webhook_url: 'http://127.0.0.1:3/'}, {name: rest, webhook_url: 'http://127.0.0.1:4/'}]\n  routes: {default: rest, critical: pager, logger: feeds, server: api}\n",
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
        // One line per alert, and per service for an alert written per service.
        assert!(
            lines.len() >= gpucharts_mon::rules::ALERTS.len(),
            "{explained}"
        );
        for line in &lines {
            let (left, ours) = line
                .split_once(" -> ")
                .unwrap_or_else(|| panic!("{line:?}"));
            let ours = ours.split(' ').next().unwrap();
            let mut words = left.split_whitespace();
            let alert = words.next().unwrap();
            let mut labels = vec![format!("alertname={alert}")];
            labels.extend(words.map(str::to_string));
            let out = StdCommand::new("amtool")
                .args(["config", "routes", "test", "--config.file"])
                .arg(&file)
                .args(&labels)
                .output()
                .unwrap();
            let theirs = String::from_utf8_lossy(&out.stdout).trim().to_string();
            assert_eq!(ours, theirs, "inventory {i}: {labels:?}: {line}");
        }
        let listed: std::collections::BTreeSet<&str> = lines
            .iter()
            .map(|l| l.split_whitespace().next().unwrap())
            .collect();
        assert_eq!(
            listed.len(),
            gpucharts_mon::rules::ALERTS.len(),
            "{explained}"
        );
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

/// A webhook receiver on loopback that keeps every POST body.
struct Webhook {
    addr: std::net::SocketAddr,
    bodies: Arc<Mutex<Vec<String>>>,
}

impl Webhook {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let bodies = Arc::new(Mutex::new(Vec::new()));
        let kept = bodies.clone();
        // The thread ends with the test process; it only ever accepts.
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let kept = kept.clone();
                std::thread::spawn(move || {
                    let mut reader = BufReader::new(stream.try_clone().unwrap());
                    let mut length = 0;
                    let mut line = String::new();
                    while reader.read_line(&mut line).unwrap_or(0) > 0 && line.trim() != "" {
                        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                            length = v.trim().parse().unwrap_or(0);
                        }
                        line.clear();
                    }
                    let mut body = vec![0; length.min(1 << 20)];
                    if reader.read_exact(&mut body).is_ok() {
                        kept.lock()
                            .unwrap()
                            .push(String::from_utf8_lossy(&body).into_owned());
                    }
                    let mut stream = stream;
                    let _ = stream.write_all(
                        b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                    );
                });
            }
        });
        Self { addr, bodies }
    }

    /// Every alert notified so far, as its labels.
    fn alerts(&self) -> Vec<serde_json::Value> {
        self.bodies
            .lock()
            .unwrap()
            .iter()
            .filter_map(|b| serde_json::from_str::<serde_json::Value>(b).ok())
            .flat_map(|n| n["alerts"].as_array().cloned().unwrap_or_default())
            .map(|a| a["labels"].clone())
            .collect()
    }
}

/// Debian's Alertmanager on a free loopback port, killed by PID on drop.
struct Alertmanager {
    child: Child,
    url: String,
    _dir: tempfile::TempDir,
}

impl Drop for Alertmanager {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Alertmanager {
    fn start(config: &Path) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let port = closed_port();
        let child = StdCommand::new("prometheus-alertmanager")
            .arg(format!("--config.file={}", config.display()))
            .arg(format!("--storage.path={}", dir.path().display()))
            .arg(format!("--web.listen-address=127.0.0.1:{port}"))
            .arg("--cluster.listen-address=")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let url = format!("http://127.0.0.1:{port}");
        let start = Instant::now();
        while !get(&format!("{url}/-/ready")).is_ok_and(|(code, _)| code == 200) {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "alertmanager did not become ready"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Self {
            child,
            url,
            _dir: dir,
        }
    }

    /// POST alerts to /api/v2/alerts, as Prometheus does.
    fn post(&self, alerts: &str) {
        let out = StdCommand::new("curl")
            .args([
                "-sS",
                "-f",
                "-H",
                "Content-Type: application/json",
                "--data",
            ])
            .arg(alerts)
            .arg(format!("{}/api/v2/alerts", self.url))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

fn wait_for(what: &str, webhook: &Webhook, found: impl Fn(&[serde_json::Value]) -> bool) {
    let start = Instant::now();
    while !found(&webhook.alerts()) {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "{what}: not notified within 60 s; notified: {:?}",
            webhook.alerts()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn has(alerts: &[serde_json::Value], name: &str, instance: &str) -> bool {
    alerts
        .iter()
        .any(|a| a["alertname"] == name && a["instance"] == instance)
}

/// serve-demo → a real Prometheus with the generated config and rules → a
/// real Alertmanager with the generated alertmanager.yml → a webhook on
/// loopback: the 5xx alert arrives with its labels. And inhibition: an
/// instance whose endpoint is down has its other alerts suppressed while
/// another instance's same alert still notifies.
#[test]
fn alerts_travel_prometheus_to_alertmanager_to_a_webhook_and_are_inhibited() {
    let test = "alertmanager::notification_e2e";
    if !have("prometheus-alertmanager", test) || !have("curl", test) || !have("promtool", test) {
        return;
    }
    let webhook = Webhook::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("inv.yaml"),
        format!(
            "alertmanager:\n  receivers:\n    - {{name: team, webhook_url: 'http://{}/hook'}}\n  routes: {{group_wait: 1s, group_interval: 1s, repeat_interval: 1h}}\n",
            webhook.addr
        ),
    )
    .unwrap();
    let (code, _, err) = outcome(mon(d).args([
        "-c",
        "inv.yaml",
        "gen-alertmanager",
        "--check",
        "-o",
        "alertmanager.yml",
    ]));
    assert_eq!(code, 0, "{err}");
    let am = Alertmanager::start(&d.join("alertmanager.yml"));

    // Inhibition, on alerts posted as Prometheus posts them.
    am.post(
        r#"[
        {"labels": {"alertname": "MetricsEndpointDown", "severity": "critical", "job": "gpu-charts-logger", "instance": "10.0.0.1:9090"}},
        {"labels": {"alertname": "ExchangeDisconnected", "severity": "critical", "exchange": "coinbase", "instance": "10.0.0.1:9090"}},
        {"labels": {"alertname": "ExchangeDisconnected", "severity": "critical", "exchange": "coinbase", "instance": "10.0.0.2:9090"}}
        ]"#,
    );
    wait_for("the uninhibited alerts", &webhook, |a| {
        has(a, "MetricsEndpointDown", "10.0.0.1:9090")
            && has(a, "ExchangeDisconnected", "10.0.0.2:9090")
    });
    let (_, body) = get(&format!("{}/api/v2/alerts", am.url)).unwrap();
    let state: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let inhibited: Vec<&serde_json::Value> = state
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| {
            a["status"]["inhibitedBy"]
                .as_array()
                .is_some_and(|v| !v.is_empty())
        })
        .collect();
    assert_eq!(inhibited.len(), 1, "{state}");
    assert_eq!(inhibited[0]["labels"]["instance"], "10.0.0.1:9090");
    assert_eq!(inhibited[0]["labels"]["alertname"], "ExchangeDisconnected");
    assert!(
        !has(&webhook.alerts(), "ExchangeDisconnected", "10.0.0.1:9090"),
        "an inhibited alert was notified: {:?}",
        webhook.alerts()
    );

    // The whole path: the demo's 5xx fault fires ServerErrorRatioHigh.
    let demo = serve_demo(&["--fault", "5xx"]);
    let (code, _, err) = outcome(mon(d).args([
        "gen-rules",
        "--for",
        "ServerErrorRatioHigh=0s",
        "-o",
        "alerts.yml",
    ]));
    assert_eq!(code, 0, "{err}");
    let am_addr = am.url.trim_start_matches("http://").to_string();
    let config = fast_config(
        d,
        &[demo.logger_addr()],
        &[demo.server_addr()],
        &d.join("alerts.yml"),
        &["--alertmanager", &am_addr],
    );
    let Some(prom) = Prometheus::start(&config, test) else {
        return;
    };
    let start = Instant::now();
    loop {
        let alerts = webhook.alerts();
        // gen-config names static targets: instance="server-1".
        if let Some(a) = alerts
            .iter()
            .find(|a| a["alertname"] == "ServerErrorRatioHigh" && a["instance"] == "server-1")
        {
            assert_eq!(a["severity"], "critical", "{a}");
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "ServerErrorRatioHigh not notified in 60 s; notified {alerts:?}\n{}",
            prom.log()
        );
        std::thread::sleep(Duration::from_millis(250));
    }
}

/// gen-alertmanager's own flags reach the result: --explain prints the
/// routes instead of the file, --check says what amtool found.
#[test]
fn each_alertmanager_flag_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| outcome(mon(dir.path()).arg("gen-alertmanager").args(args));
    let baseline = run(&[]);
    assert_eq!(baseline.0, 0, "{baseline:?}");
    for args in [&["--explain"][..], &["--check"]] {
        let changed = run(args);
        assert_eq!(changed.0, 0, "{args:?}: {changed:?}");
        assert_ne!(
            (&changed.1, &changed.2),
            (&baseline.1, &baseline.2),
            "{args:?} changed nothing"
        );
    }
}
