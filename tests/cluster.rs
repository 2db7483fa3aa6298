//! Beyond one Prometheus: per-server configs from one inventory (HA
//! replicas, hashmod shards, agents with remote_write, federation).

use std::path::Path;

use crate::support::demo::serve_demo;
use crate::support::http::get;
use crate::support::prometheus::Prometheus;
use crate::support::{have, mon, outcome};

pub const CLUSTER: &str = r#"prometheus:
  replica_label: __replica__
  servers:
    - {name: prom-a, url: "http://127.0.0.1:19301", role: replica, group: main}
    - {name: prom-b, url: "http://127.0.0.1:19302", role: replica, group: main}
    - {name: shard-0, url: "http://127.0.0.1:19303", role: shard, shard: 0, shards: 2}
    - {name: shard-1, url: "http://127.0.0.1:19304", role: shard, shard: 1, shards: 2}
    - {name: edge-1, url: "http://127.0.0.1:19305", role: agent}
  remote_write:
    - {url: "http://127.0.0.1:9201/api/v1/write", basic_auth_user: edge, basic_auth_password_file: /etc/gpucharts/rw.pass, max_shards: 4}
  federate:
    - {name: federate-central, targets: ["127.0.0.1:9999"], match: ['{job=~"gpu-charts.*"}']}
services:
  server: {every_shard: true}
"#;

fn yaml(path: &Path) -> gpucharts_mon::yaml::Value {
    gpucharts_mon::yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn one_config_per_server() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("inv.yaml"), CLUSTER).unwrap();
    let (code, _, err) =
        outcome(mon(d).args(["-c", "inv.yaml", "gen-config", "-o", "out", "--check"]));
    assert_eq!(code, 0, "{err}");
    if have("promtool", "cluster::one_config_per_server") {
        assert_eq!(err.matches("promtool check passed").count(), 5, "{err}");
    }
    let a = yaml(&d.join("out/prom-a.yml"));
    let b = yaml(&d.join("out/prom-b.yml"));
    // Replicas: the same config but for the replica label.
    assert_eq!(
        a["global"]["external_labels"]["cluster"].as_str(),
        Some("main")
    );
    assert_eq!(
        a["global"]["external_labels"]["__replica__"].as_str(),
        Some("prom-a")
    );
    assert_eq!(
        b["global"]["external_labels"]["__replica__"].as_str(),
        Some("prom-b")
    );
    assert_eq!(a["scrape_configs"], b["scrape_configs"]);
    assert_eq!(
        a["remote_write"][0]["basic_auth"]["password_file"].as_str(),
        Some("/etc/gpucharts/rw.pass")
    );
    // Shards: hashmod of __address__ and a keep rule for the index; the
    // every-shard service opts out.
    for (name, i) in [("shard-0", 0), ("shard-1", 1)] {
        let s = yaml(&d.join(format!("out/{name}.yml")));
        for job in s["scrape_configs"].as_sequence().unwrap() {
            let rules = job["relabel_configs"].as_sequence().unwrap();
            let n = rules.len();
            assert_eq!(rules[n - 2]["action"].as_str(), Some("hashmod"));
            assert_eq!(rules[n - 2]["modulus"].as_u64(), Some(2));
            assert_eq!(
                rules[n - 1]["regex"].as_str(),
                Some(format!("{i};|.+;.+").as_str())
            );
            let opts_out = rules
                .iter()
                .any(|r| r["target_label"].as_str() == Some("__tmp_disable_sharding"));
            assert_eq!(
                opts_out,
                job["job_name"].as_str() == Some("gpu-charts-server")
            );
        }
    }
    // Agent: no rules, no alerting, remote_write.
    let e = yaml(&d.join("out/edge-1.yml"));
    assert!(e["rule_files"].is_null() && e["alerting"].is_null());
    assert_eq!(
        e["global"]["external_labels"]["agent"].as_str(),
        Some("edge-1")
    );
    assert!(e["remote_write"][0]["url"].as_str().is_some());
    // Federation: /federate, match[], honor_labels.
    let fed = a["scrape_configs"]
        .as_sequence()
        .unwrap()
        .iter()
        .find(|j| j["job_name"].as_str() == Some("federate-central"))
        .unwrap();
    assert_eq!(fed["metrics_path"].as_str(), Some("/federate"));
    assert_eq!(fed["honor_labels"].as_bool(), Some(true));
    assert_eq!(
        fed["params"]["match[]"][0].as_str(),
        Some(r#"{job=~"gpu-charts.*"}"#)
    );

    // One server to stdout; several need a directory.
    let (code, one, _) =
        outcome(mon(d).args(["-c", "inv.yaml", "gen-config", "--server-name", "shard-1"]));
    assert_eq!(code, 0);
    assert!(one.contains("shard: '1'"), "{one}");
    mon(d)
        .args(["-c", "inv.yaml", "gen-config"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "give --server-name NAME, or -o DIR",
        ));
    // The single-server inventory is unchanged: no cluster keys appear.
    let (_, single, _) = outcome(mon(d).arg("gen-config"));
    assert!(!single.contains("remote_write") && !single.contains("__tmp_hash"));
}

#[test]
fn cluster_mistakes_are_usage_errors() {
    for (extra, needle) in [
        (
            "    - {name: s, url: 'http://127.0.0.1:1', role: shard, shard: 0, shards: 2}\n",
            "no server is shard 1 of 2",
        ),
        (
            "    - {name: r, url: 'http://127.0.0.1:1', role: replica}\n",
            "needs group",
        ),
        (
            "    - {name: g, url: 'http://127.0.0.1:1', role: agent}\n",
            "remote_write",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("inv.yaml"),
            format!("prometheus:\n  servers:\n{extra}"),
        )
        .unwrap();
        mon(dir.path())
            .args(["-c", "inv.yaml", "gen-config", "-o", "out"])
            .assert()
            .code(2)
            .stderr(predicates::str::contains(needle));
        assert!(!dir.path().join("out").exists());
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("inv.yaml"),
        "prometheus:\n  remote_write:\n    - {url: 'http://127.0.0.1:1/w', basic_auth_user: u, basic_auth_password: hunter2}\n",
    )
    .unwrap();
    let (code, _, err) = outcome(mon(dir.path()).args(["-c", "inv.yaml", "gen-config"]));
    assert_eq!(code, 2);
    assert!(err.contains("inline") && !err.contains("hunter2"), "{err}");
}

/// Three real shards over the same file_sd targets (200 loopback addresses,
/// plus a server job every shard scrapes): the cluster check passes and
/// the union of their targets is the target list; shard-plan predicts each
/// shard's targets exactly; two shards with the same index are a gap and an
/// overlap (exit 1); an HA pair is identical.
#[test]
fn real_shards_replicas_and_the_plan() {
    let test = "cluster::real_shards";
    if !have("prometheus", test) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let addrs: Vec<String> = (0..200)
        .map(|i| format!("127.0.{}.{}:9", 10 + i / 100, 1 + i % 100))
        .collect();
    let servers = |urls: &[String]| -> String {
        let mut s = String::new();
        for (i, u) in urls.iter().take(3).enumerate() {
            s.push_str(&format!(
                "    - {{name: shard-{i}, url: '{u}', role: shard, shard: {i}, shards: 3}}\n"
            ));
        }
        s.push_str(&format!(
            "    - {{name: prom-a, url: '{}', role: replica, group: main}}\n    - {{name: prom-b, url: '{}', role: replica, group: main}}\n",
            urls.get(3).cloned().unwrap_or("http://127.0.0.1:1".into()),
            urls.get(4).cloned().unwrap_or("http://127.0.0.1:2".into()),
        ));
        format!(
            "prometheus:\n  scrape_interval: 1s\n  servers:\n{s}services:\n  logger:\n    discovery: file-sd\n    instances: [{}]\n  server:\n    instances: ['127.0.0.1:9']\n    every_shard: true\n",
            addrs.join(", ")
        )
    };
    let dummy: Vec<String> = (0..3)
        .map(|i| format!("http://127.0.0.1:{}", 20 + i))
        .collect();
    std::fs::write(d.join("inv.yaml"), servers(&dummy)).unwrap();
    let (code, _, err) = outcome(mon(d).args(["-c", "inv.yaml", "gen-config", "-o", "cfg"]));
    assert_eq!(code, 0, "{err}");
    let sd = d.join("cfg/gpu-charts-logger.json");
    let config = |name: &str| {
        std::fs::read_to_string(d.join(format!("cfg/{name}.yml")))
            .unwrap()
            .replace("- gpu-charts-logger.json", &format!("- {}", sd.display()))
    };
    let start = |name: &str| Prometheus::start(&config(name), test).unwrap();
    let proms: Vec<Prometheus> = ["shard-0", "shard-1", "shard-2", "prom-a", "prom-b"]
        .iter()
        .map(|n| start(n))
        .collect();
    let urls: Vec<String> = proms.iter().map(|p| p.url.clone()).collect();
    std::fs::write(d.join("inv.yaml"), servers(&urls)).unwrap();

    // The cluster as the inventory describes it. Its targets are loopback
    // addresses nothing listens on: the split is right, and the check must
    // still fail (exit 1) because every target is down. Poll until every
    // shard has scraped them all.
    let start_poll = std::time::Instant::now();
    let (code, out, err, report) = loop {
        let (code, out, err) =
            outcome(mon(d).args(["-c", "inv.yaml", "check-targets", "--output-format", "json"]));
        let report: serde_json::Value = serde_json::from_str(&out).unwrap_or_default();
        let settled = report["coverage"]["targets"] == 201
            && report["down"].as_array().is_some_and(|d| d.len() == 203);
        if settled || start_poll.elapsed() > std::time::Duration::from_secs(30) {
            break (code, out, err, report);
        }
        std::thread::sleep(std::time::Duration::from_millis(500));
    };
    assert_eq!(code, 1, "{err}\n{out}");
    assert_eq!(report["ok"], false, "{report}");
    assert!(
        report["problems"][0]
            .as_str()
            .is_some_and(|p| p.starts_with("down: 127.0.")),
        "{report}"
    );
    let cov = &report["coverage"];
    assert_eq!(cov["targets"], 201, "{report}");
    assert!(cov["gaps"].as_array().unwrap().is_empty());
    assert!(cov["overlaps"].as_array().unwrap().is_empty());
    let per: Vec<u64> = cov["per_shard"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .collect();
    // Every logger target once, the server target on every shard.
    assert_eq!(per.iter().sum::<u64>(), 200 + 3, "{per:?}");
    assert_eq!(report["replicas"][0]["same_targets"], true, "{report}");
    assert_eq!(report["replicas"][0]["same_external_labels"], true);

    // shard-plan, from shard 0's own answer and config, equals what each
    // shard scrapes.
    let (_, targets) = get(&format!("{}/api/v1/targets?state=any", urls[0])).unwrap();
    std::fs::write(d.join("targets.json"), &targets).unwrap();
    let (code, out, err) = outcome(mon(d).args([
        "-c",
        "inv.yaml",
        "shard-plan",
        "--targets",
        "targets.json",
        "--config-file",
        "cfg/shard-0.yml",
        "--prometheus-version",
        "2",
        "--output-format",
        "json",
    ]));
    assert_eq!(code, 0, "{err}");
    let plan: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(plan["shards"], 3);
    for (i, url) in urls[..3].iter().enumerate() {
        let (_, body) = get(&format!("{url}/api/v1/targets?state=active")).unwrap();
        let real: serde_json::Value = serde_json::from_slice(&body).unwrap();
        let mut real: Vec<String> = real["data"]["activeTargets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                t["discoveredLabels"]["__address__"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        real.sort();
        let mut predicted: Vec<String> = plan["targets"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t["shard"].as_u64() == Some(i as u64) || t["every_shard"] == true)
            .map(|t| t["address"].as_str().unwrap().to_string())
            .collect();
        predicted.sort();
        assert_eq!(predicted, real, "shard {i}");
        assert_eq!(plan["per_shard"][i].as_u64(), Some(real.len() as u64));
    }
    // Without --targets, shard-plan asks the inventory's shard servers (the
    // union of what they discovered), says so, and plans the same split.
    let (code, out, err) = outcome(mon(d).args([
        "-c",
        "inv.yaml",
        "shard-plan",
        "--config-file",
        "cfg/shard-0.yml",
        "--prometheus-version",
        "2",
        "--output-format",
        "json",
    ]));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("from the inventory's shard servers"), "{err}");
    let from_servers: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(from_servers["per_shard"], plan["per_shard"], "{err}");

    // Two servers running shard 0: shard 1's targets are a gap, shard 0's
    // an overlap.
    let twin = start("shard-0");
    let (code, out, err) = outcome(mon(d).args([
        "check-targets",
        "--cluster",
        "shards",
        "--prometheus",
        &urls[0],
        "--prometheus",
        &twin.url,
        "--prometheus",
        &urls[2],
        "--wait",
        "5s",
    ]));
    assert_eq!(code, 1, "{out}\n{err}");
    assert!(
        err.contains("gap: 127.0.") && err.contains("overlap: 127.0."),
        "{err}"
    );
    assert!(out.contains("coverage: 201 targets discovered"), "{out}");
    // Replicas compared by URL: a shard is not a replica of the whole.
    let (code, _, err) = outcome(mon(d).args([
        "check-targets",
        "--cluster",
        "replicas",
        "--prometheus",
        &urls[3],
        "--prometheus",
        &urls[0],
    ]));
    assert_eq!(code, 1);
    assert!(err.contains("only "), "{err}");
    // Bare URLs need --cluster.
    mon(d)
        .args([
            "check-targets",
            "--prometheus",
            &urls[0],
            "--prometheus",
            &urls[1],
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--cluster"));
}

/// Two agents (`--enable-feature=agent`) with their generated configs
/// remote-write into a third Prometheus (`--web.enable-remote-write-receiver`):
/// `query` on the receiver sees both, told apart by their external labels.
#[test]
fn agents_remote_write_into_a_receiver() {
    let test = "cluster::agents";
    if !have("prometheus", test) {
        return;
    }
    let receiver = Prometheus::start_flags(
        "global: {scrape_interval: 1m}\n",
        false,
        &["--web.enable-remote-write-receiver"],
        test,
    )
    .unwrap();
    let demo = serve_demo(&[]);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("inv.yaml"),
        format!(
            "prometheus:\n  scrape_interval: 1s\n  servers:\n    - {{name: edge-1, url: 'http://127.0.0.1:1', role: agent}}\n    - {{name: edge-2, url: 'http://127.0.0.1:2', role: agent}}\n  remote_write:\n    - {{url: '{}/api/v1/write', batch_send_deadline: 1s}}\nservices:\n  logger: {{instances: ['{}']}}\n  server: {{instances: ['{}']}}\n",
            receiver.url,
            demo.logger_addr(),
            demo.server_addr()
        ),
    )
    .unwrap();
    let (code, _, err) =
        outcome(mon(d).args(["-c", "inv.yaml", "gen-config", "-o", "cfg", "--check"]));
    assert_eq!(code, 0, "{err}");
    let agents: Vec<Prometheus> = ["edge-1", "edge-2"]
        .iter()
        .map(|n| {
            let text = std::fs::read_to_string(d.join(format!("cfg/{n}.yml"))).unwrap();
            Prometheus::start_flags(&text, false, &["--enable-feature=agent"], test).unwrap()
        })
        .collect();
    let start = std::time::Instant::now();
    loop {
        let (code, out, err) = outcome(mon(d).args([
            "query",
            "--prometheus",
            &receiver.url,
            "--output-format",
            "json",
            "count by (agent, job) (up == 1)",
        ]));
        assert_eq!(code, 0, "{err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let seen: std::collections::BTreeSet<(String, String)> = v["series"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["labels"]["agent"]
                        .as_str()
                        .unwrap_or_default()
                        .to_string(),
                    s["labels"]["job"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect();
        let want: std::collections::BTreeSet<(String, String)> = ["edge-1", "edge-2"]
            .iter()
            .flat_map(|a| {
                ["gpu-charts-logger", "gpu-charts-server"].map(|j| (a.to_string(), j.to_string()))
            })
            .collect();
        if seen == want {
            break;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(60),
            "after 60 s the receiver has {seen:?}\n{}\n{}",
            agents[0].log(),
            receiver.log()
        );
        std::thread::sleep(std::time::Duration::from_millis(500));
    }
}

/// The running config's scrape interval, as Prometheus reports it.
fn running_interval(prom: &Prometheus) -> String {
    let (_, body) = get(&format!("{}/api/v1/status/config", prom.url)).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let yaml: gpucharts_mon::yaml::Value =
        gpucharts_mon::yaml::from_str(v["data"]["yaml"].as_str().unwrap()).unwrap();
    yaml["global"]["scrape_interval"]
        .as_str()
        .unwrap()
        .to_string()
}

/// `reload` over the inventory's three servers goes one at a time,
/// confirming each; when the second is given a broken config it stops there
/// and says who runs the new config and who the old.
#[test]
fn rolling_reload_stops_at_the_first_failure() {
    let test = "cluster::rolling_reload";
    let proms: Vec<Prometheus> = (0..3)
        .filter_map(|_| Prometheus::start("global: {scrape_interval: 15s}\n", test))
        .collect();
    if proms.len() < 3 {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut inv = String::from("prometheus:\n  servers:\n");
    for (i, p) in proms.iter().enumerate() {
        inv.push_str(&format!(
            "    - {{name: prom-{}, url: '{}', role: replica, group: main, config_file: '{}'}}\n",
            i + 1,
            p.url,
            p.config_path().display()
        ));
    }
    std::fs::write(d.join("inv.yaml"), inv).unwrap();
    for p in &proms {
        std::fs::write(p.config_path(), "global: {scrape_interval: 30s}\n").unwrap();
    }
    let (code, out, err) = outcome(mon(d).args(["-c", "inv.yaml", "reload"]));
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(
        out.contains("[1/3] prom-1") && out.contains("[3/3] prom-3"),
        "{out}"
    );
    assert_eq!(out.matches("reload confirmed").count(), 3, "{out}");
    assert!(proms.iter().all(|p| running_interval(p) == "30s"));

    std::fs::write(proms[0].config_path(), "global: {scrape_interval: 45s}\n").unwrap();
    std::fs::write(proms[1].config_path(), "global: [\n").unwrap();
    std::fs::write(proms[2].config_path(), "global: {scrape_interval: 45s}\n").unwrap();
    let (code, out, err) = outcome(mon(d).args(["-c", "inv.yaml", "reload"]));
    assert_eq!(code, 1, "{out}\n{err}");
    assert!(!out.contains("[3/3]"), "{out}");
    assert!(
        err.contains("prom-2:")
            && err.contains("prom-1 run(s) the new config")
            && err.contains("prom-3 still run(s) the old one"),
        "{err}"
    );
    assert_eq!(running_interval(&proms[0]), "45s");
    assert_eq!(running_interval(&proms[1]), "30s");
    assert_eq!(running_interval(&proms[2]), "30s");
}

/// shard-plan from the inventory: the shard count and the rules its shards
/// run (the every-shard service on all of them); usage errors.
#[test]
fn shard_plan_from_the_inventory() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("inv.yaml"), CLUSTER).unwrap();
    let targets: Vec<serde_json::Value> = (0..40)
        .map(|i| serde_json::json!({"__address__": format!("10.1.0.{i}:9090"), "job": "gpu-charts-logger"}))
        .chain([serde_json::json!({"__address__": "10.2.0.1:9091", "job": "gpu-charts-server"})])
        .collect();
    std::fs::write(d.join("t.json"), serde_json::to_string(&targets).unwrap()).unwrap();
    let (code, out, err) = outcome(mon(d).args([
        "-c",
        "inv.yaml",
        "shard-plan",
        "--targets",
        "t.json",
        "--output-format",
        "json",
    ]));
    assert_eq!(code, 0, "{err}");
    let plan: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(plan["shards"], 2);
    let every: Vec<&serde_json::Value> = plan["targets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["every_shard"] == true)
        .collect();
    assert_eq!(every.len(), 1);
    assert_eq!(every[0]["job"], "gpu-charts-server");
    let per: Vec<u64> = plan["per_shard"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    assert_eq!(per.iter().sum::<u64>(), 40 + 2);
    let (code, out, _) =
        outcome(mon(d).args(["-c", "inv.yaml", "shard-plan", "--targets", "t.json"]));
    assert_eq!(code, 0);
    assert!(out.contains("41 targets over 2 shards; skew "), "{out}");
    assert!(out.contains("every shard"), "{out}");
    // Without shards anywhere, and with a target file that is not one.
    mon(d)
        .args(["shard-plan", "--targets", "t.json"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--shards N"));
    std::fs::write(d.join("bad.json"), "{\"data\": 5}").unwrap();
    mon(d)
        .args(["shard-plan", "--shards", "2", "--targets", "bad.json"])
        .assert()
        .code(2);
    mon(d)
        .args([
            "check-targets",
            "--cluster",
            "shards",
            "--prometheus",
            "http://127.0.0.1:1",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("several --prometheus"));
}

/// Per-server configs follow the writing rules: no clobber, `--force`
/// keeps `.bak`, and a server name cannot put a file outside the folder.
#[test]
fn per_server_configs_cannot_clobber_or_escape() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("inv.yaml"), CLUSTER).unwrap();
    mon(d)
        .args(["-c", "inv.yaml", "gen-config", "-o", "out"])
        .assert()
        .success();
    std::fs::write(d.join("out/prom-a.yml"), "mine\n").unwrap();
    mon(d)
        .args(["-c", "inv.yaml", "gen-config", "-o", "out"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("exists"));
    assert_eq!(
        std::fs::read_to_string(d.join("out/prom-a.yml")).unwrap(),
        "mine\n"
    );
    mon(d)
        .args(["-c", "inv.yaml", "gen-config", "-o", "out", "--force"])
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(d.join("out/prom-a.yml.bak")).unwrap(),
        "mine\n"
    );
    for name in ["../escape", "a/b", ".hidden", "x\u{1b}y"] {
        std::fs::write(
            d.join("bad.yaml"),
            format!(
                "prometheus:\n  servers:\n    - {{name: {:?}, url: 'http://127.0.0.1:1', role: replica, group: g}}\n",
                name
            ),
        )
        .unwrap();
        let (code, _, err) = outcome(mon(d).args(["-c", "bad.yaml", "gen-config", "-o", "out2"]));
        assert_eq!(code, 2, "{name}: {err}");
        assert!(!err.contains('\u{1b}'), "{err:?}");
        assert!(!d.join("out2").exists() && !d.join("escape.yml").exists());
    }
}

/// shard-plan's flags reach the plan offline (from saved targets): each
/// one, given a value other than its default, changes the plan or how it
/// is shown. (--prometheus asks a running server: tested above.)
#[test]
fn each_shard_plan_flag_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let target =
        |address: &str| format!(r#"{{"__address__": "{address}", "job": "gpu-charts-server"}}"#);
    let targets = ["10.0.0.1:9091", "10.0.0.2:9091", "10.0.0.3:9090", "host"].map(target);
    std::fs::write(d.join("targets.json"), format!("[{}]", targets.join(","))).unwrap();
    std::fs::write(
        d.join("drop.yml"),
        "scrape_configs:\n  - job_name: gpu-charts-server\n    relabel_configs:\n      - source_labels: [__address__]\n        regex: 10.0.0.3:9090\n        action: drop\n    static_configs:\n      - targets: [x]\n",
    )
    .unwrap();
    let run = |args: &[&str]| {
        let ran = outcome(
            mon(d)
                .args(["shard-plan", "--targets", "targets.json"])
                .args(args),
        );
        assert_eq!(ran.0, 0, "{args:?}: {ran:?}");
        ran
    };
    let baseline = run(&["--shards", "2"]);
    for args in [
        &["--shards", "3"][..],
        &["--shards", "2", "--config-file", "drop.yml"],
        // 2.x gives the portless address its default port (host:80).
        &["--shards", "2", "--prometheus-version", "2"],
        &["--shards", "2", "--output-format", "json"],
    ] {
        assert_ne!(run(args), baseline, "{args:?} changed nothing");
    }
}
