//! serve-demo's data against the generated rules in a real Prometheus:
//! the default data fires nothing, and each `--fault` fires its alert, on its
//! own instance, and no other.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::{Duration, Instant};

use gpucharts_mon::demo::Fault;
use gpucharts_mon::rules::{ALERTS, AlertService};

use crate::support::demo::{Running, fast_config, spawn};
use crate::support::http::{closed_port, get};
use crate::support::prometheus::Prometheus;
use crate::support::{have, mon, outcome};

/// Alerts in Prometheus' `ALERTS` series: (alertname, instance, state).
fn alerts(prom: &Prometheus) -> BTreeSet<(String, String, String)> {
    let (status, body) = get(&format!("{}/api/v1/query?query=ALERTS", prom.url)).unwrap();
    assert_eq!(status, 200);
    let doc: serde_json::Value = serde_json::from_slice(&body).unwrap();
    doc["data"]["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let m = &s["metric"];
            let text = |k: &str| m[k].as_str().unwrap_or_default().to_string();
            (text("alertname"), text("instance"), text("alertstate"))
        })
        .collect()
}

#[test]
fn healthy_demo_fires_nothing_and_each_fault_fires_its_alert() {
    let test = "demo_alerts::healthy_and_faults";
    if !have("prometheus", test) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut running: Vec<Running> = Vec::new();
    let mut loggers = Vec::new();
    let mut servers = Vec::new();
    // instance → the one alert expected there (none for the healthy ones)
    let mut expected: BTreeMap<String, Option<&str>> = BTreeMap::new();
    let mut serve = |service: &str, fault: Option<Fault>| {
        let port = closed_port();
        let p = port.to_string();
        let mut args = vec!["--only", service, "--logger-port", &p, "--server-port", &p];
        let name = fault.map(|f| f.name().to_string());
        if let Some(name) = &name {
            args.extend(["--fault", name]);
        }
        running.push(spawn(Path::new("."), &args, &[], &[port]));
        let addr = format!("127.0.0.1:{port}");
        // gen-config names instances `<service>-<n>` in the order given.
        let list = if service == "logger" {
            &mut loggers
        } else {
            &mut servers
        };
        list.push(addr);
        expected.insert(format!("{service}-{}", list.len()), fault.map(Fault::alert));
    };
    serve("logger", None);
    serve("server", None);
    for fault in &Fault::ALL {
        let spec = ALERTS.iter().find(|a| a.name == fault.alert()).unwrap();
        let service = match spec.service {
            AlertService::Only(role) => role.name(),
            AlertService::Unlabelled | AlertService::EachService => "logger",
        };
        serve(service, Some(*fault));
    }

    let mut rules = vec!["gen-rules".to_string(), "-o".into(), "alerts.yml".into()];
    // MetricsJobAbsent keeps its 5m: right after start, before the first
    // scrape, every job is absent (no fault rehearses it: it is config).
    for a in ALERTS.iter().filter(|a| a.name != "MetricsJobAbsent") {
        rules.extend(["--for".into(), format!("{}=0s", a.name)]);
    }
    let (code, _, err) = outcome(mon(d).args(&rules));
    assert_eq!(code, 0, "{err}");
    let text = fast_config(d, &loggers, &servers, &d.join("alerts.yml"), &[]);
    let Some(prom) = Prometheus::start(&text, test) else {
        return;
    };

    // Before the first scrapes every job is absent: start watching once
    // both jobs have targets up and an evaluation or two has passed.
    let start = Instant::now();
    loop {
        let (_, body) = get(&format!(
            "{}/api/v1/query?query=count+by+(job)+(up)",
            prom.url
        ))
        .unwrap();
        let doc: serde_json::Value = serde_json::from_slice(&body).unwrap();
        if doc["data"]["result"]
            .as_array()
            .is_some_and(|r| r.len() == 2)
        {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "no scrapes: {}",
            prom.log()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    std::thread::sleep(Duration::from_secs(3));

    // Watch for 30 s at least, until every fault has fired: nothing else
    // may be pending or firing at any time.
    let start = Instant::now();
    loop {
        let now = alerts(&prom);
        for (alert, instance, state) in &now {
            assert_eq!(
                expected.get(instance).copied().flatten(),
                Some(alert.as_str()),
                "unexpected {alert} ({state}) on {instance}; all: {now:?}"
            );
        }
        let firing: BTreeSet<(&str, &str)> = now
            .iter()
            .filter(|(_, _, s)| s == "firing")
            .map(|(a, i, _)| (a.as_str(), i.as_str()))
            .collect();
        let missing: Vec<(&str, &str)> = expected
            .iter()
            .filter_map(|(i, a)| a.map(|a| (a, i.as_str())))
            .filter(|p| !firing.contains(p))
            .collect();
        if missing.is_empty() && start.elapsed() > Duration::from_secs(30) {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(90),
            "not firing after 90 s: {missing:?}\n{}",
            prom.log()
        );
        std::thread::sleep(Duration::from_millis(500));
    }
    drop(running);
}
