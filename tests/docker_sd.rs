//! Docker discovery end to end: a fake Docker Engine API on loopback (ping
//! with version negotiation, containers, networks), a real Prometheus
//! running `gen-config --mode docker` against it, and the demo services
//! behind the "containers". Exactly the logger and server containers are
//! scraped on their metrics ports, and the relabel engine, run on the
//! labels Prometheus discovered, agrees with what Prometheus kept.

use std::collections::BTreeSet;
use std::process::{Child, Command, Stdio};

use gpucharts_mon::promconfig::PrometheusConfig;
use gpucharts_mon::promconfig::relabel::{LabelSet, target_labels};
use gpucharts_mon::version::PromVersion;

use crate::support::http::{Response, TestServer, closed_port, get};
use crate::support::prometheus::Prometheus;
use crate::support::{mon, outcome};

struct Demo(Child);

impl Drop for Demo {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Containers as the Engine API lists them. The logger and server
/// "containers" are the demo endpoints on 127.0.0.1; the server has a second
/// port; a database, a container without ports and one on the host network
/// complete the picture.
fn containers(logger: u16, server: u16) -> serde_json::Value {
    let c = |id: &str, name: &str, service: &str, ports: serde_json::Value, mode: &str| {
        serde_json::json!({
            "Id": id,
            "Names": [format!("/{name}")],
            "Labels": {"com.docker.compose.service": service, "com.docker.compose.project": "stack"},
            "Ports": ports,
            "HostConfig": {"NetworkMode": mode},
            "NetworkSettings": {"Networks": {"stack_default": {"NetworkID": "net1", "IPAddress": "127.0.0.1"}}}
        })
    };
    serde_json::json!([
        c(
            "a1",
            "stack-logger-1",
            "logger",
            serde_json::json!([{"PrivatePort": logger, "PublicPort": logger, "Type": "tcp", "IP": "0.0.0.0"}]),
            "stack_default"
        ),
        c(
            "a2",
            "stack-server-1",
            "server",
            serde_json::json!([{"PrivatePort": server, "Type": "tcp"}, {"PrivatePort": 8080, "Type": "tcp"},
                             {"PrivatePort": 5353, "Type": "udp"}]),
            "stack_default"
        ),
        c(
            "a3",
            "stack-postgres-1",
            "postgres",
            serde_json::json!([{"PrivatePort": 5432, "Type": "tcp"}]),
            "stack_default"
        ),
        c(
            "a4",
            "stack-worker-1",
            "worker",
            serde_json::json!([]),
            "stack_default"
        ),
        c(
            "a5",
            "stack-agent-1",
            "agent",
            serde_json::json!([{"PrivatePort": 9100, "Type": "tcp"}]),
            "host"
        ),
    ])
}

fn fake_engine(logger: u16, server: u16) -> TestServer {
    let containers = containers(logger, server).to_string();
    let networks = serde_json::json!([{"Name": "stack_default", "Id": "net1", "Scope": "local",
        "Driver": "bridge", "Internal": false, "Ingress": false, "Labels": {}}])
    .to_string();
    TestServer::start(move |_, path| {
        let json = |body: &str| {
            Response::new(200, "application/json", body.to_string()).header("Api-Version", "1.41")
        };
        if path.starts_with("/_ping") {
            Response::new(200, "text/plain", "OK").header("Api-Version", "1.41")
        } else if path.contains("/containers/json") {
            json(&containers)
        } else if path.contains("/networks") {
            json(&networks)
        } else {
            Response::new(404, "application/json", "{\"message\":\"page not found\"}")
        }
    })
}

#[test]
fn generated_docker_config_discovers_exactly_the_services() {
    let (l, s) = (closed_port(), closed_port());
    let demo = Demo(
        Command::new(assert_cmd::cargo::cargo_bin("gpucharts-mon"))
            .args([
                "serve-demo",
                "--logger-port",
                &l.to_string(),
                "--server-port",
                &s.to_string(),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let engine = fake_engine(l, s);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("inv.yaml"),
        format!(
            "services:\n  logger:\n    port: {l}\n    discovery: docker\n  server:\n    port: {s}\n    discovery: docker\nprometheus:\n  scrape_interval: 1s\n"
        ),
    )
    .unwrap();
    let host = format!("tcp://{}", engine.addr);
    let (code, config, err) =
        outcome(mon(d).args(["-c", "inv.yaml", "gen-config", "--docker-host", &host]));
    assert_eq!(code, 0, "{err}");
    let Some(prom) = Prometheus::start(&config, "docker_sd::e2e") else {
        return;
    };
    let (code, out, err) = outcome(mon(d).args([
        "-c",
        "inv.yaml",
        "check-targets",
        "--prometheus",
        &prom.url,
        "--wait",
        "30s",
        "--expect",
        "gpu-charts-logger=1",
        "--expect",
        "gpu-charts-server=1",
        "--output-format",
        "json",
    ]));
    assert_eq!(code, 0, "{out}{err}\n{}", prom.log());
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let urls: BTreeSet<String> = v["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["scrape_url"].as_str().unwrap().to_string())
        .collect();
    let want: BTreeSet<String> = [
        format!("http://127.0.0.1:{l}/metrics"),
        format!("http://127.0.0.1:{s}/metrics"),
    ]
    .into();
    assert_eq!(urls, want, "exactly the two metrics ports");
    for t in v["targets"].as_array().unwrap() {
        assert!(
            t["labels"]["container"]
                .as_str()
                .unwrap()
                .starts_with("stack-"),
            "{t}"
        );
    }

    // The engine, on the labels Prometheus discovered, agrees target for target.
    let parsed: PrometheusConfig = gpucharts_mon::yaml::from_str(&config).unwrap();
    let (_, body) = get(&format!("{}/api/v1/targets", prom.url)).unwrap();
    let api: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let mut checked = 0;
    for key in ["activeTargets", "droppedTargets"] {
        for t in api["data"][key].as_array().unwrap() {
            let discovered: LabelSet =
                serde_json::from_value(t["discoveredLabels"].clone()).unwrap();
            let pool = t["scrapePool"]
                .as_str()
                .or_else(|| discovered.get("job").map(String::as_str))
                .unwrap_or_else(|| panic!("no job for {t}"));
            let job = parsed
                .scrape_configs
                .iter()
                .find(|j| j.job_name == pool)
                .unwrap_or_else(|| panic!("no job {pool}"));
            let engine = target_labels(job, &discovered, "1s", "1s", PromVersion::V2).unwrap();
            match (key, engine) {
                ("activeTargets", Some(mut labels)) => {
                    labels.remove("__address__");
                    let got: LabelSet = serde_json::from_value(t["labels"].clone()).unwrap();
                    assert_eq!(labels, got, "{discovered:?}");
                }
                ("droppedTargets", None) => {}
                (k, other) => panic!("{k}: engine says {other:?} for {discovered:?}"),
            }
            checked += 1;
        }
    }
    // Per job: 2 containers x their TCP ports, plus fallbacks.
    assert!(checked >= 10, "only {checked} discovered targets");

    // The relabel command on the saved API answer, with the semantics of
    // the Prometheus in use (2.x here), keeps exactly the logger container.
    std::fs::write(d.join("prometheus.yml"), &config).unwrap();
    std::fs::write(d.join("targets.json"), &body).unwrap();
    let (code, out, err) = outcome(mon(d).args([
        "relabel",
        "--config-file",
        "prometheus.yml",
        "--job",
        "gpu-charts-logger",
        "--targets",
        "targets.json",
        "--prometheus",
        &prom.url,
        "--expect-kept",
        "1",
    ]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains(&format!("http://127.0.0.1:{l}/metrics")),
        "{out}"
    );
    drop(demo);
}
