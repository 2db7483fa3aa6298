//! check-targets and query against a real Prometheus: all up, some down,
//! some never discovered; unreachable and non-Prometheus endpoints.

use std::process::Command as StdCommand;

use crate::support::http::{Response, TestServer, closed_port, get};
use crate::support::prometheus::Prometheus;
use crate::support::{have, mon, outcome};

const METRICS: &str = "# HELP gpu_charts_exchange_messages_total Total messages\n# TYPE gpu_charts_exchange_messages_total counter\ngpu_charts_exchange_messages_total{exchange=\"coinbase\",message_type=\"trade\"} 42\n";

fn exporter() -> TestServer {
    TestServer::start(|_, path| match path {
        "/metrics" => Response::new(200, "text/plain; version=0.0.4", METRICS),
        _ => Response::new(404, "text/plain", "not found"),
    })
}

fn config(up: &TestServer, down_port: u16) -> String {
    format!(
        r#"global: {{scrape_interval: 1s, scrape_timeout: 1s}}
scrape_configs:
  - job_name: gpu-charts-logger
    static_configs: [{{targets: ["{up}"], labels: {{instance: logger-1}}}}]
  - job_name: gpu-charts-server
    static_configs: [{{targets: ["127.0.0.1:{down_port}"], labels: {{instance: server-1}}}}]
  - job_name: gpu-charts-canary
    static_configs: [{{targets: ["127.0.0.1:{down_port}"]}}]
    relabel_configs: [{{action: drop, source_labels: [__address__], regex: ".*"}}]
"#,
        up = up.addr
    )
}

fn run(prom: &Prometheus, args: &[&str]) -> (i32, String, String) {
    outcome(
        mon(std::env::temp_dir().as_path())
            .args(args)
            .args(["--prometheus", &prom.url]),
    )
}

/// One Prometheus for the whole scenario: starting one costs seconds.
#[test]
fn up_down_dropped_against_real_prometheus() {
    let up = exporter();
    let Some(prom) = Prometheus::start(
        &config(&up, closed_port()),
        "up_down_dropped_against_real_prometheus",
    ) else {
        return;
    };

    // --wait across discovery and the first scrape (targets start `unknown`).
    let (code, out, err) = run(
        &prom,
        &[
            "check-targets",
            "--job",
            "gpu-charts-logger",
            "--wait",
            "30s",
        ],
    );
    assert_eq!(code, 0, "{out}{err}\n{}", prom.log());
    assert!(out.contains("1 targets: 1 up, 0 down, 0 unknown"), "{out}");
    assert!(
        out.starts_with("Prometheus 2.") || out.starts_with("Prometheus 3."),
        "{out}"
    );
    assert!(
        out.contains("logger-1") && out.contains("/metrics"),
        "{out}"
    );

    // Wait for the server target's first (failing) scrape too.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let (code, out, _) = run(
            &prom,
            &[
                "check-targets",
                "--job",
                "gpu-charts-server",
                "--output",
                "json",
            ],
        );
        assert_eq!(code, 1, "{out}");
        if out.contains("\"health\": \"down\"") {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "server target never scraped: {out}"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }

    // Some down: exit 1, the reason visible.
    let (code, out, err) = run(&prom, &["check-targets"]);
    assert_eq!(code, 1);
    assert!(out.contains("2 targets: 1 up, 1 down, 0 unknown"), "{out}");
    assert!(out.contains("connection refused"), "{out}");
    assert!(err.contains("gpu-charts-server server-1 is down"), "{err}");

    // JSON fields.
    let (code, out, _) = run(&prom, &["check-targets", "--output", "json"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["ok"], false);
    assert_eq!(v["summary"]["targets"], 2);
    assert_eq!(v["summary"]["up"], 1);
    assert_eq!(v["summary"]["down"], 1);
    let logger = v["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["job"] == "gpu-charts-logger")
        .unwrap();
    for field in [
        "job",
        "instance",
        "health",
        "scrape_url",
        "last_error",
        "last_scrape",
        "last_scrape_duration_seconds",
        "scrape_interval",
        "scrape_timeout",
        "labels",
    ] {
        assert!(logger.get(field).is_some(), "missing {field} in {logger}");
    }
    assert_eq!(logger["health"], "up");
    assert_eq!(logger["instance"], "logger-1");
    assert_eq!(logger["scrape_interval"], "1s");
    assert!(logger["last_scrape_duration_seconds"].as_f64().unwrap() > 0.0);
    let server = v["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["job"] == "gpu-charts-server")
        .unwrap();
    assert!(
        server["last_error"]
            .as_str()
            .unwrap()
            .contains("connection refused")
    );

    // YAML output parses too.
    let (_, out, _) = run(&prom, &["check-targets", "--output", "yaml"]);
    let y: gpucharts_mon::yaml::Value = gpucharts_mon::yaml::from_str(&out).unwrap();
    assert_eq!(y["summary"]["targets"], 2);

    // Never discovered: dropped by relabelling, with the hint and --dropped.
    let (code, _, err) = run(&prom, &["check-targets", "--job", "gpu-charts-canary"]);
    assert_eq!(code, 1);
    assert!(err.contains("dropped by relabelling"), "{err}");
    let (code, out, _) = run(
        &prom,
        &["check-targets", "--job", "gpu-charts-canary", "--dropped"],
    );
    assert_eq!(code, 1);
    assert!(
        out.contains("gpu-charts-canary") && out.contains("__scheme__=http"),
        "{out}"
    );

    // --expect of a job that does not exist; and one that does.
    let (code, out, err) = run(
        &prom,
        &[
            "check-targets",
            "--job",
            "gpu-charts-logger",
            "--expect",
            "gpu-charts-missing",
        ],
    );
    assert_eq!(code, 1, "{out}");
    assert!(
        err.contains("expected job gpu-charts-missing with at least 1"),
        "{err}"
    );
    let (code, _, _) = run(
        &prom,
        &[
            "check-targets",
            "--job",
            "gpu-charts-logger",
            "--expect",
            "gpu-charts-logger=1",
        ],
    );
    assert_eq!(code, 0);
    let (code, _, _) = run(
        &prom,
        &[
            "check-targets",
            "--job",
            "gpu-charts-logger",
            "--expect",
            "gpu-charts-logger=2",
        ],
    );
    assert_eq!(code, 1);

    // --jq prints what `curl .../api/v1/targets | jq FILTER` prints.
    let filter = ".data.activeTargets[] | {job: .labels.job, health: .health}";
    let (code, ours, err) = run(&prom, &["check-targets", "--jq", filter]);
    assert_eq!(code, 0, "{err}");
    if have("jq", "check_targets --jq comparison") {
        let (_, raw) = get(&format!("{}/api/v1/targets", prom.url)).unwrap();
        let theirs = pipe_through_jq(filter, &raw, &[]);
        assert_eq!(ours, theirs);
        let (_, ours_raw, _) = run(
            &prom,
            &[
                "check-targets",
                "--jq",
                ".data.activeTargets[].labels.job",
                "-r",
            ],
        );
        assert_eq!(
            ours_raw,
            pipe_through_jq(".data.activeTargets[].labels.job", &raw, &["-r"])
        );
    }
    assert!(ours.contains("\"health\": \"up\""), "{ours}");
    let (code, _, err) = run(&prom, &["check-targets", "--jq", ".data | {"]);
    assert_eq!(code, 2);
    assert!(err.contains("jq filter"), "{err}");

    // query: table, JSON, --fail-empty, bad PromQL.
    let (code, out, _) = run(&prom, &["query"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("gpu-charts-logger") && out.contains("gpu-charts-server"),
        "{out}"
    );
    let (code, out, _) = run(
        &prom,
        &["query", "up{job=\"gpu-charts-logger\"}", "--output", "json"],
    );
    assert_eq!(code, 0);
    let q: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(q["result_type"], "vector");
    assert_eq!(q["series"][0]["samples"][0][1], "1");
    let (code, out, _) = run(&prom, &["query", "scalar(vector(3))", "--output", "json"]);
    assert_eq!(code, 0);
    assert!(out.contains("\"scalar\""), "{out}");
    let (code, _, _) = run(&prom, &["query", "up{job=\"nope\"}", "--fail-empty"]);
    assert_eq!(code, 1);
    let (code, _, err) = run(&prom, &["query", "up{"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("bad_data"), "{err}");
    let (code, out, _) = run(&prom, &["query", "--jq", ".data.result | length"]);
    assert_eq!((code, out.trim()), (0, "2"));
    // PromQL longer than a URL can carry goes as a POST form, as the UI does.
    let long = format!("scalar(vector(3)){}", " + scalar(vector(0))".repeat(4000));
    assert!(long.len() > 64 << 10);
    let (code, out, err) = run(&prom, &["query", &long, "--output", "json"]);
    assert_eq!(code, 0, "{err}");
    let q: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(q["series"][0]["samples"][0][1], "3", "{out}");
}

fn pipe_through_jq(filter: &str, input: &[u8], flags: &[&str]) -> String {
    use std::io::Write;
    let mut child = StdCommand::new("jq")
        .args(flags)
        .arg(filter)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    String::from_utf8(child.wait_with_output().unwrap().stdout).unwrap()
}

#[test]
fn unreachable_and_not_prometheus_exit_3() {
    let dir = tempfile::tempdir().unwrap();
    let closed = format!("http://127.0.0.1:{}", closed_port());
    mon(dir.path())
        .args(["check-targets", "--prometheus", &closed])
        .assert()
        .code(3)
        .stderr(
            predicates::str::contains("cannot reach Prometheus")
                .and(predicates::str::contains("hint:")),
        );

    // --wait keeps polling a Prometheus that is not there yet, then gives up with 3.
    let start = std::time::Instant::now();
    mon(dir.path())
        .args(["check-targets", "--prometheus", &closed, "--wait", "1500ms"])
        .assert()
        .code(3);
    assert!(start.elapsed() >= std::time::Duration::from_millis(1500));

    let html = TestServer::start(|_, _| {
        Response::new(200, "text/html", "<html><body>Grafana</body></html>")
    });
    for cmd in ["check-targets", "query"] {
        mon(dir.path())
            .args([cmd, "--prometheus", &html.url()])
            .assert()
            .code(3)
            .stderr(predicates::str::contains(
                "does not look like the Prometheus API",
            ));
    }
    // JSON, but not Prometheus' envelope.
    let json = TestServer::start(|_, _| Response::new(200, "application/json", "{\"hello\": 1}"));
    mon(dir.path())
        .args(["check-targets", "--prometheus", &json.url()])
        .assert()
        .code(3);
    // An API error status is shown with its type.
    let err = TestServer::start(|_, _| {
        Response::new(
            503,
            "application/json",
            r#"{"status":"error","errorType":"unavailable","error":"TSDB not ready"}"#,
        )
    });
    mon(dir.path())
        .args(["check-targets", "--prometheus", &err.url()])
        .assert()
        .code(3)
        .stderr(predicates::str::contains("unavailable: TSDB not ready"));
}

#[test]
fn times_out_instead_of_hanging() {
    let dir = tempfile::tempdir().unwrap();
    let slow = TestServer::start(|_, _| {
        std::thread::sleep(std::time::Duration::from_secs(5));
        Response::new(200, "application/json", "{}")
    });
    let start = std::time::Instant::now();
    mon(dir.path())
        .args([
            "check-targets",
            "--prometheus",
            &slow.url(),
            "--timeout",
            "500ms",
        ])
        .assert()
        .code(3)
        .stderr(predicates::str::contains("did not answer within 0.5s"));
    assert!(start.elapsed() < std::time::Duration::from_secs(4));
    // --wait is honoured within a second, whatever the request timeout.
    let start = std::time::Instant::now();
    mon(dir.path())
        .args(["check-targets", "--prometheus", &slow.url(), "--wait", "1s"])
        .assert()
        .code(3);
    assert!(
        start.elapsed() < std::time::Duration::from_millis(2500),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn bad_flags_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    for (args, needle) in [
        (
            vec!["check-targets", "--prometheus", "localhost:9092"],
            "not an http(s) URL",
        ),
        (vec!["check-targets", "--job", "("], "--job"),
        (vec!["check-targets", "--expect", "x=0"], "--expect"),
        (
            vec!["check-targets", "--jq", "nosuchfunction"],
            "nosuchfunction",
        ),
        (vec!["query", "--timeout", "soon"], "soon"),
    ] {
        mon(dir.path())
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicates::str::contains(needle));
    }
}

use predicates::prelude::PredicateBooleanExt;

/// An answer that never ends, or announces 2 GB, is refused at the cap
/// (exit 3, naming --max-body), quickly and without holding it.
#[test]
fn api_answers_are_capped() {
    use crate::support::http::{Response, TestServer};
    let endless = TestServer::start(|_, _| {
        Response::new(
            200,
            "application/json",
            "{\"status\":\"success\",\"data\":[".repeat(1000),
        )
        .endless()
    });
    let huge = TestServer::start(|_, _| {
        Response::new(200, "application/json", vec![b' '; 65536])
            .header("Content-Length", "2000000000")
            .endless()
    });
    let dir = tempfile::tempdir().unwrap();
    for server in [&endless, &huge] {
        let start = std::time::Instant::now();
        let (code, _, err) = crate::support::outcome(crate::support::mon(dir.path()).args([
            "check-targets",
            "--prometheus",
            &server.url(),
            "--max-body",
            "4MiB",
        ]));
        assert_eq!(code, 3, "{err}");
        assert!(err.contains("--max-body"), "{err}");
        assert!(start.elapsed() < std::time::Duration::from_secs(5));
    }
}

/// Jobs renamed in the inventory: check-targets and query follow the
/// inventory's names with no --job flag (and fail without the inventory).
#[test]
fn renamed_jobs_are_checked_without_flags() {
    let up = exporter();
    let config = format!(
        "global: {{scrape_interval: 1s, scrape_timeout: 1s}}\nscrape_configs:\n  - job_name: mkt-logger\n    static_configs: [{{targets: [\"{a}\"]}}]\n  - job_name: api\n    static_configs: [{{targets: [\"{a}\"]}}]\n",
        a = up.addr
    );
    let Some(prom) = Prometheus::start(&config, "check_targets::renamed_jobs") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("inv.yaml"),
        "services:\n  logger:\n    job: mkt-logger\n  server:\n    job: api\n",
    )
    .unwrap();
    let with_inventory = |args: &[&str]| {
        outcome(
            mon(dir.path())
                .args(["-c", "inv.yaml"])
                .args(args)
                .args(["--prometheus", &prom.url]),
        )
    };
    let (code, out, err) = with_inventory(&["check-targets", "--wait", "20s"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("mkt-logger") && out.contains("api"), "{out}");
    let (code, out, err) = with_inventory(&["query", "--output", "json", "--fail-empty"]);
    assert_eq!(code, 0, "{out}{err}");
    let q: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(q["series"].as_array().unwrap().len(), 2, "{out}");
    assert_eq!(q["query"], "up{job=~\"mkt-logger|api\"}", "{out}");
    let (code, out, _) = with_inventory(&["check-targets", "--output-format", "junit"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("name=\"gpucharts-mon check-targets\" tests=\"2\" failures=\"0\""),
        "{out}"
    );
    let (code, out, _) = run(&prom, &["check-targets", "--output-format", "junit"]);
    assert_eq!(code, 1, "the default gpu-charts.* jobs are not there");
    assert!(out.contains("<failure message=\"no active target"), "{out}");
}

/// A bad Prometheus URL names where it came from: the flag, the
/// environment variable, or the inventory key and line.
#[test]
fn a_bad_prometheus_url_names_its_origin() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("inv.yaml"), "prometheus:\n  url: \"bad url\"\n").unwrap();
    let cases: [(&[&str], Option<&str>, &str); 7] = [
        (
            &["check-targets", "--prometheus", "ftp://x"],
            Some("nope"),
            "(--prometheus)",
        ),
        (&["check-targets"], Some("nope"), "(PROMETHEUS_URL)"),
        // The same value from both: the flag wins and is named.
        (
            &["check-targets", "--prometheus=nope"],
            Some("nope"),
            "(--prometheus)",
        ),
        // `--prometheus` as a PromQL expression is not the flag: the value
        // came from the variable (clap's record, not a scan of argv).
        (
            &["query", "--", "--prometheus"],
            Some("nope"),
            "(PROMETHEUS_URL)",
        ),
        (&["doctor", "logger"], Some("nope"), "(PROMETHEUS_URL)"),
        (
            &["migrate", "--pushgateway", "http://127.0.0.1:9"],
            Some("nope"),
            "(PROMETHEUS_URL)",
        ),
        (
            &["-c", "inv.yaml", "check-targets"],
            None,
            "prometheus.url (line 2)",
        ),
    ];
    // The Pushgateway's URL, from its variable.
    let mut cmd = crate::support::mon(d);
    cmd.args(["migrate", "--prometheus", "http://127.0.0.1:9"])
        .env("PUSHGATEWAY_URL", "ftp://pg");
    let (code, _, err) = crate::support::outcome(&mut cmd);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("(PUSHGATEWAY_URL)"), "{err}");
    for (args, env, origin) in cases {
        let mut cmd = crate::support::mon(d);
        cmd.args(args).env_remove("PROMETHEUS_URL");
        if let Some(v) = env {
            cmd.env("PROMETHEUS_URL", v);
        }
        let (code, _, err) = crate::support::outcome(&mut cmd);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(origin), "{args:?}: {err}");
    }
}

/// Right after Prometheus starts, before its first discovery and scrapes,
/// check-targets (no --wait) waits out the start-up instead of failing on
/// "0 targets", and says so.
#[test]
fn a_prometheus_that_just_started_is_waited_for() {
    let demo = crate::support::demo::serve_demo(&[]);
    let dir = tempfile::tempdir().unwrap();
    let config = crate::support::demo::fast_config(
        dir.path(),
        &[demo.logger_addr()],
        &[demo.server_addr()],
        &dir.path().join("none.yml"),
        &[],
    )
    .replace("rule_files:\n- ", "rule_files: []\n# - ");
    let Some(prom) = crate::support::prometheus::Prometheus::start(&config, "just_started") else {
        return;
    };
    let started = std::time::Instant::now();
    let (code, out, err) = crate::support::outcome(crate::support::mon(dir.path()).args([
        "check-targets",
        "--prometheus",
        &prom.url,
        "--output-format",
        "json",
    ]));
    assert_eq!(code, 0, "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["summary"]["up"], 2, "{v}");
    assert!(v["waited_for_startup"].as_f64().unwrap() > 0.0, "{v}");
    assert!(started.elapsed() < std::time::Duration::from_secs(16));
    // A job that never appears still fails, once the grace is over.
    let (code, _, err) = crate::support::outcome(crate::support::mon(dir.path()).args([
        "check-targets",
        "--prometheus",
        &prom.url,
        "--job",
        "no-such-job",
    ]));
    assert_eq!(code, 1, "{err}");
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
}

/// Every flag of query reaches the request or the result: against a small
/// API on loopback that answers with the path it was asked for, each flag
/// given a value other than its default changes what is printed or the
/// exit code. (Auth and TLS flags: tests/secured.rs.)
#[test]
fn each_query_flag_is_read() {
    let api = TestServer::start(|_, path| {
        let data = if path.contains("query=empty") {
            r#"{"resultType":"vector","result":[]}"#.to_string()
        } else if path.starts_with("/api/v1/query_range") {
            format!(
                r#"{{"resultType":"matrix","result":[{{"metric":{{"path":"{path}"}},"values":[[1,"1"],[2,"2"]]}}]}}"#
            )
        } else {
            format!(
                r#"{{"resultType":"vector","result":[{{"metric":{{"path":"{path}"}},"value":[1,"1"]}}]}}"#
            )
        };
        Response::new(
            200,
            "application/json",
            format!(r#"{{"status":"success","data":{data}}}"#),
        )
    });
    let dir = tempfile::tempdir().unwrap();
    let url = api.url();
    let run = |args: &[&str]| {
        let ran = outcome(
            mon(dir.path())
                .args(["query", "--prometheus", &url])
                .args(args),
        );
        // A usage error would change the result for the wrong reason.
        assert_ne!(ran.0, 2, "{args:?}: {ran:?}");
        ran
    };
    let json = ["up", "--output-format", "json"];
    let base = run(&json);
    assert_eq!(base.0, 0, "{base:?}");
    let range = run(&["up", "--output-format", "json", "--range", "5m"]);
    let jq = run(&["up", "--jq", ".data.result[0].metric.path"]);
    let jq_data = run(&["up", "--jq", ".data"]);
    for (what, changed, against) in [
        ("--range", &range, &base),
        (
            "--step",
            &run(&[
                "up",
                "--output-format",
                "json",
                "--range",
                "5m",
                "--step",
                "30s",
            ]),
            &range,
        ),
        (
            "--fail-empty",
            &run(&["empty", "--fail-empty"]),
            &run(&["empty"]),
        ),
        (
            "--output-format",
            &run(&["up", "--output-format", "yaml"]),
            &base,
        ),
        ("--jq", &jq, &base),
        (
            "--raw-output",
            &run(&["up", "--jq", ".data.result[0].metric.path", "-r"]),
            &jq,
        ),
        (
            "--compact-output",
            &run(&["up", "--jq", ".data", "-C"]),
            &jq_data,
        ),
        (
            "--max-body",
            &run(&["up", "--output-format", "json", "--max-body", "16"]),
            &base,
        ),
    ] {
        assert_ne!(changed, against, "{what} changed nothing");
    }
}

/// Every flag of check-targets reaches the request or the report: against
/// a stand-in API on loopback, each flag given a value other than its
/// default changes what is printed or the exit code, and none is a usage
/// error. (Auth and TLS flags: tests/secured.rs.)
#[test]
fn each_check_targets_flag_is_read() {
    // The server target is up from the third ask of /api/v1/targets on.
    let api = crate::support::fakeprom::start(2);
    let stuck = crate::support::fakeprom::start(usize::MAX);
    let slow = TestServer::start(|_, _| {
        std::thread::sleep(std::time::Duration::from_millis(1500));
        Response::new(200, "application/json", "{}")
    });
    let target = stuck.url();
    let moved = TestServer::start(move |_, path| {
        Response::new(302, "text/plain", "").header("Location", &format!("{target}{path}"))
    });
    let dir = tempfile::tempdir().unwrap();
    let run = |url: &str, args: &[&str]| {
        let ran = outcome(
            mon(dir.path())
                .args(["check-targets", "--prometheus", url])
                .args(args),
        );
        assert_ne!(ran.0, 2, "{args:?}: {ran:?}");
        ran
    };
    let stuck_url = stuck.url();
    let on = |args: &[&str]| run(&stuck_url, args);
    let json = ["--output-format", "json"];
    let base = on(&json);
    assert_eq!(base.0, 1, "the server target is not scraped: {base:?}");
    let jq = on(&["--jq", ".data.activeTargets[0].labels.job"]);
    let jq_data = on(&["--jq", ".data.droppedTargets"]);
    let two = |kind: &str| {
        outcome(mon(dir.path()).args([
            "check-targets",
            "--prometheus",
            &stuck_url,
            "--prometheus",
            &api.url(),
            "--cluster",
            kind,
            "--output-format",
            "json",
        ]))
    };
    let shards = two("shards");
    assert_ne!(shards.0, 2, "{shards:?}");
    for (what, changed, against) in [
        (
            "--job",
            &on(&["--output-format", "json", "--job", "gpu-charts-logger"]),
            &base,
        ),
        (
            "--expect",
            &on(&[
                "--output-format",
                "json",
                "--job",
                "gpu-charts-logger",
                "--expect",
                "gpu-charts-logger=2",
            ]),
            &on(&["--output-format", "json", "--job", "gpu-charts-logger"]),
        ),
        (
            "--wait",
            &run(&api.url(), &["--output-format", "json", "--wait", "20s"]),
            &run(&crate::support::fakeprom::start(2).url(), &json),
        ),
        (
            "--dropped",
            &on(&["--output-format", "json", "--dropped"]),
            &base,
        ),
        ("--output-format", &on(&["--output-format", "yaml"]), &base),
        ("--cluster", &two("replicas"), &shards),
        ("--jq", &jq, &base),
        (
            "--raw-output",
            &on(&["--jq", ".data.activeTargets[0].labels.job", "-r"]),
            &jq,
        ),
        (
            "--compact-output",
            &on(&["--jq", ".data.droppedTargets", "-C"]),
            &jq_data,
        ),
        (
            "--max-body",
            &on(&["--output-format", "json", "--max-body", "16"]),
            &base,
        ),
        (
            "--timeout",
            &run(&slow.url(), &["--jq", ".", "--timeout", "300ms"]),
            &run(&slow.url(), &["--jq", "."]),
        ),
        (
            "--follow-redirects",
            &run(
                &moved.url(),
                &["--output-format", "json", "--follow-redirects"],
            ),
            &run(&moved.url(), &json),
        ),
    ] {
        assert_ne!(changed, against, "{what} changed nothing");
    }
}
