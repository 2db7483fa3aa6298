//! `gen-config --into FILE`: the GPU Charts jobs managed inside a shared
//! Prometheus' existing prometheus.yml; every other line stays.

use std::os::unix::fs::FileTypeExt;
use std::path::Path;

use crate::support::{mon, outcome};

/// A shared Prometheus' config as people write it: comments, a node
/// exporter job, self-scrape, a Pushgateway job, remote_write, rule files.
const SHARED: &str = "\
# Shared Prometheus on host-7: node, self and the GPU Charts services.
global:
  scrape_interval: 30s   # site standard
  external_labels:
    site: fra1

rule_files:
  - node-rules.yml

# Remote storage
remote_write:
  - url: http://127.0.0.1:19291/api/v1/receive

scrape_configs:
  # Prometheus itself
  - job_name: prometheus
    static_configs:
      - targets: ['localhost:9090']

  # Node exporter on every host
  - job_name: node
    static_configs:
      - targets: ['host-7:9100', 'host-8:9100']   # keep in sync with inventory

  - job_name: pushgateway
    honor_labels: true
    static_configs:
      - targets: ['localhost:9091']
";

const ARGS: [&str; 8] = [
    "--logger",
    "10.0.0.1:9090",
    "--server",
    "10.0.0.2:9091",
    "--rule-file",
    "alerts.yml",
    "--alertmanager",
    "127.0.0.1:9093",
];

fn into(dir: &Path, extra: &[&str]) -> (i32, String, String) {
    outcome(
        mon(dir)
            .args(["gen-config", "--into", "prometheus.yml"])
            .args(ARGS)
            .args(extra),
    )
}

/// `text` parsed, after asserting that its jobs are SHARED's, then the two
/// GPU Charts jobs.
fn spliced_jobs(text: &str) -> gpucharts_mon::promconfig::PrometheusConfig {
    let config: gpucharts_mon::promconfig::PrometheusConfig =
        gpucharts_mon::yaml::from_str(text).unwrap();
    let jobs: Vec<&str> = config
        .scrape_configs
        .iter()
        .map(|j| j.job_name.as_str())
        .collect();
    assert_eq!(
        jobs,
        [
            "prometheus",
            "node",
            "pushgateway",
            "gpu-charts-logger",
            "gpu-charts-server"
        ]
    );
    config
}

/// `old`'s lines appear in `new` in order: nothing of the file was lost or
/// rewritten, only lines added.
fn is_subsequence(old: &str, new: &str) -> bool {
    let mut new_lines = new.lines();
    old.lines().all(|l| new_lines.any(|n| n == l))
}

#[test]
fn into_changes_only_the_managed_jobs_and_a_second_run_is_a_no_op() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("prometheus.yml"), SHARED).unwrap();
    std::fs::write(d.join("node-rules.yml"), "groups: []\n").unwrap();
    std::fs::write(d.join("alerts.yml"), "groups: []\n").unwrap();
    // Without --force the file is not touched.
    let (code, _, err) = into(d, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not overwriting"), "{err}");
    // --diff shows only additions: the two jobs, the rule file, the Alertmanager.
    let (code, diff, err) = into(d, &["--diff"]);
    assert_eq!(code, 0, "{err}");
    let removed: Vec<&str> = diff
        .lines()
        .filter(|l| l.starts_with('-') && !l.starts_with("---"))
        .collect();
    assert!(removed.is_empty(), "{diff}");
    assert_eq!(
        std::fs::read_to_string(d.join("prometheus.yml")).unwrap(),
        SHARED
    );
    let check = if crate::support::have("promtool", "coexist::into") {
        "--check"
    } else {
        "--force"
    };
    let (code, _, err) = into(d, &["--force", check]);
    assert_eq!(code, 0, "{err}");
    for said in [
        "job gpu-charts-logger: added",
        "job gpu-charts-server: added",
        "rule_files: added alerts.yml",
        "alerting: added Alertmanager 127.0.0.1:9093",
    ] {
        assert!(err.contains(said), "{said}: {err}");
    }
    let merged = std::fs::read_to_string(d.join("prometheus.yml")).unwrap();
    assert!(is_subsequence(SHARED, &merged), "{merged}");
    assert_eq!(
        std::fs::read_to_string(d.join("prometheus.yml.bak")).unwrap(),
        SHARED
    );
    let config = spliced_jobs(&merged);
    assert_eq!(config.rule_files, ["node-rules.yml", "alerts.yml"]);
    assert_eq!(config.remote_write.len(), 1);
    assert!(merged.contains("- job_name: gpu-charts-logger  # managed by gpucharts-mon"));
    // The same inventory again: nothing to do, nothing written.
    let (code, _, err) = into(d, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("up to date"), "{err}");
    assert_eq!(
        std::fs::read_to_string(d.join("prometheus.yml")).unwrap(),
        merged
    );
    // A second logger: only the logger job's lines change.
    let (code, diff, err) = outcome(
        mon(d)
            .args(["gen-config", "--into", "prometheus.yml", "--diff"])
            .args(ARGS)
            .args(["--logger", "10.0.0.3:9090"]),
    );
    assert_eq!(code, 0, "{err}");
    assert!(diff.contains("+      - 10.0.0.3:9090"), "{diff}");
    assert!(!diff.contains("node"), "{diff}");
    assert!(err.contains("job gpu-charts-logger: replaced"), "{err}");
    assert!(!err.contains("gpu-charts-server"), "{err}");
}

#[test]
fn unmarked_jobs_of_a_managed_name_conflict_unless_adopted() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let hand = SHARED.replace("job_name: node", "job_name: gpu-charts-logger");
    std::fs::write(d.join("prometheus.yml"), &hand).unwrap();
    let (code, _, err) = into(d, &["--force"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("job \"gpu-charts-logger\" (line 21)") && err.contains("--adopt"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert_eq!(
        std::fs::read_to_string(d.join("prometheus.yml")).unwrap(),
        hand
    );
    let (code, _, err) = into(d, &["--force", "--adopt"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("job gpu-charts-logger: adopted"), "{err}");
    let merged = std::fs::read_to_string(d.join("prometheus.yml")).unwrap();
    // Its comment above stays; its own lines are the generated job's.
    assert!(
        merged.contains(
            "  # Node exporter on every host\n  - job_name: gpu-charts-logger  # managed"
        ),
        "{merged}"
    );
    assert!(!merged.contains("host-7:9100"), "{merged}");
}

#[test]
fn marked_jobs_that_left_the_inventory_are_removed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("prometheus.yml"), SHARED).unwrap();
    let (code, _, err) = into(d, &["--force"]);
    assert_eq!(code, 0, "{err}");
    // The logger's job is renamed in the inventory: the old marked job goes.
    std::fs::write(
        d.join("gpucharts-mon.yaml"),
        "services:\n  logger:\n    job: feeds-logger\n",
    )
    .unwrap();
    let (code, _, err) = into(d, &["--force"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("job gpu-charts-logger: removed"), "{err}");
    assert!(err.contains("job feeds-logger: added"), "{err}");
    let merged = std::fs::read_to_string(d.join("prometheus.yml")).unwrap();
    assert!(is_subsequence(SHARED, &merged), "{merged}");
    assert!(!merged.contains("gpu-charts-logger"), "{merged}");
}

#[test]
fn layouts_the_splicer_cannot_split_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for (text, says) in [
        (
            "scrape_configs: [{job_name: a, static_configs: [{targets: ['x:1']}]}]\n",
            "block sequence",
        ),
        ("- just\n- a list\n", "not a YAML mapping"),
        (
            "rule_files: [a.yml]\nscrape_configs:\n- job_name: a\n",
            "written inline",
        ),
    ] {
        std::fs::write(d.join("prometheus.yml"), text).unwrap();
        let (code, _, err) = into(d, &["--force"]);
        assert_eq!(code, 2, "{text}: {err}");
        assert!(err.contains(says), "{text}: {err}");
        assert_eq!(
            std::fs::read_to_string(d.join("prometheus.yml")).unwrap(),
            text
        );
    }
    // An empty file, or one without jobs, gets the jobs.
    std::fs::write(d.join("prometheus.yml"), "global:\n  scrape_interval: 1m\n").unwrap();
    let (code, _, err) = into(d, &["--force"]);
    assert_eq!(code, 0, "{err}");
    let merged = std::fs::read_to_string(d.join("prometheus.yml")).unwrap();
    assert!(
        merged.starts_with("global:\n  scrape_interval: 1m\n"),
        "{merged}"
    );
    assert!(
        merged.contains("scrape_configs:\n- job_name: gpu-charts-logger"),
        "{merged}"
    );
}

/// The transition: `--pushgateway` adds the Pushgateway job (honor_labels)
/// beside the pull jobs; once migrate says it may go, the same --into
/// without the flag removes it, since gpucharts-mon wrote it.
#[test]
fn the_pushgateway_transition_job_comes_and_goes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let shared = SHARED.replace("  - job_name: pushgateway\n    honor_labels: true\n    static_configs:\n      - targets: ['localhost:9091']\n", "");
    std::fs::write(d.join("prometheus.yml"), &shared).unwrap();
    let (code, _, err) = into(d, &["--force", "--pushgateway", "127.0.0.1:9091"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("job pushgateway: added"), "{err}");
    let config: gpucharts_mon::promconfig::PrometheusConfig =
        gpucharts_mon::yaml::from_str(&std::fs::read_to_string(d.join("prometheus.yml")).unwrap())
            .unwrap();
    let job = config
        .scrape_configs
        .iter()
        .find(|j| j.job_name == "pushgateway")
        .unwrap();
    assert_eq!(job.honor_labels, Some(true));
    assert_eq!(job.static_configs[0].targets, ["127.0.0.1:9091"]);
    let (code, _, err) = into(d, &["--force"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("job pushgateway: removed"), "{err}");
    let merged = std::fs::read_to_string(d.join("prometheus.yml")).unwrap();
    assert!(!merged.contains("pushgateway"), "{merged}");
    assert!(is_subsequence(&shared, &merged), "{merged}");
}

/// What --into reads is bounded and checked like every input: a FIFO, a
/// device, a non-UTF-8 file, control characters in job names: exit 2 with
/// one line, or a splice that keeps them out of the terminal; the file is
/// never replaced.
#[test]
fn hostile_into_files_are_refused_and_never_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (code, _, err) = outcome(mon(d).args(["gen-config", "--into", "/dev/zero", "--force"]));
    assert_eq!(code, 2, "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    let fifo = d.join("fifo.yml");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let (code, _, err) = outcome(
        mon(d)
            .args(["gen-config", "--into"])
            .arg(&fifo)
            .args(["--force"])
            .timeout(std::time::Duration::from_secs(20)),
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo()
    );
    std::fs::write(
        d.join("prometheus.yml"),
        b"scrape_configs:\n- job_name: \xff\xfe\n",
    )
    .unwrap();
    let (code, _, err) = into(d, &["--force"]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(!d.join("prometheus.yml.bak").exists());
    let evil = "scrape_configs:\n- job_name: \"gpu-charts-logger\\e[2J\"\n  static_configs: [{targets: ['x:1']}]\n";
    std::fs::write(d.join("prometheus.yml"), evil).unwrap();
    let (code, _, err) = into(d, &["--diff"]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains('\u{1b}'), "{err:?}");
    // gen-stack reads its --into the same way: a device or a FIFO is exit 2
    // with one line, and no stack is written.
    for bad in [std::path::Path::new("/dev/zero"), fifo.as_path()] {
        let (code, _, err) = outcome(
            mon(d)
                .args(["gen-stack", "-o", "stack", "--into"])
                .arg(bad)
                .timeout(std::time::Duration::from_secs(20)),
        );
        assert_eq!(code, 2, "{err}");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(!d.join("stack").exists());
    }
    // A cluster's folder where one NAME.yml is a FIFO: refused before any
    // file of the folder is written.
    std::fs::write(d.join("inv.yaml"), crate::cluster::CLUSTER).unwrap();
    let (code, _, err) = outcome(mon(d).args(["-c", "inv.yaml", "gen-config", "-o", "out"]));
    assert_eq!(code, 0, "{err}");
    let first = std::fs::read_to_string(d.join("out/prom-a.yml")).unwrap();
    std::fs::remove_file(d.join("out/shard-0.yml")).unwrap();
    std::fs::rename(&fifo, d.join("out/shard-0.yml")).unwrap();
    let inv = crate::cluster::CLUSTER.replace(
        "services:\n",
        "services:\n  logger: {instances: ['10.0.0.9:9090']}\n",
    );
    std::fs::write(d.join("inv.yaml"), inv).unwrap();
    let (code, _, err) = outcome(
        mon(d)
            .args(["-c", "inv.yaml", "gen-config", "--into", "out", "--force"])
            .timeout(std::time::Duration::from_secs(20)),
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("shard-0.yml"), "{err}");
    assert_eq!(
        std::fs::read_to_string(d.join("out/prom-a.yml")).unwrap(),
        first
    );
}

/// gen-stack's prometheus.yml from an existing file: the stack's jobs, its
/// rule file and Alertmanager spliced in, the rest as the file has it; the
/// file given is not touched (unless it is the stack's own).
#[test]
fn gen_stack_into_keeps_the_shared_config() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("shared.yml"), SHARED).unwrap();
    let (code, _, err) = outcome(mon(d).args(["gen-stack", "-o", "stack", "--into", "shared.yml"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("prometheus.yml from shared.yml: job gpu-charts-logger: added"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(d.join("shared.yml")).unwrap(),
        SHARED
    );
    let stacked = std::fs::read_to_string(d.join("stack/prometheus.yml")).unwrap();
    assert!(is_subsequence(SHARED, &stacked), "{stacked}");
    let config = spliced_jobs(&stacked);
    let logger = &config.scrape_configs[3];
    assert_eq!(logger.static_configs[0].targets, ["logger:9090"]);
    assert_eq!(config.rule_files, ["node-rules.yml", "rules.yml"]);
    assert!(stacked.contains("alertmanager:9093"), "{stacked}");
    if crate::support::have("promtool", "coexist::gen_stack_into") {
        std::fs::write(d.join("stack/node-rules.yml"), "groups: []\n").unwrap();
        crate::support::promtool_accepts("config", &d.join("stack/prometheus.yml"));
    }
    // In place, the stack's own file: a second run changes nothing.
    let (code, _, err) = outcome(mon(d).args([
        "gen-stack",
        "-o",
        "stack",
        "--into",
        "stack/prometheus.yml",
        "--force",
    ]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        std::fs::read_to_string(d.join("stack/prometheus.yml")).unwrap(),
        stacked
    );
    // A hand-written job of a managed name: refused, or adopted.
    let hand = SHARED.replace("job_name: node", "job_name: gpu-charts-server");
    std::fs::write(d.join("hand.yml"), &hand).unwrap();
    let (code, _, err) = outcome(mon(d).args(["gen-stack", "-o", "s2", "--into", "hand.yml"]));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("\"gpu-charts-server\"") && err.contains("--adopt"),
        "{err}"
    );
    assert!(!d.join("s2").exists());
    let (code, _, err) =
        outcome(mon(d).args(["gen-stack", "-o", "s2", "--into", "hand.yml", "--adopt"]));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("job gpu-charts-server: adopted"), "{err}");
    let adopted = std::fs::read_to_string(d.join("s2/prometheus.yml")).unwrap();
    assert!(!adopted.contains("host-7:9100"), "{adopted}");
    assert!(adopted.contains("- job_name: gpu-charts-server  # managed by gpucharts-mon"));
}

/// A cluster's per-server configs: `--into DIR` splices into each NAME.yml
/// (an agent's checked as one), says what the file keeps against the
/// inventory, and writes nothing when one file is missing.
#[test]
fn per_server_configs_are_spliced_into_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("inv.yaml"), crate::cluster::CLUSTER).unwrap();
    let (code, _, err) = outcome(mon(d).args(["-c", "inv.yaml", "gen-config", "-o", "out"]));
    assert_eq!(code, 0, "{err}");
    // The site's own job and its own replica label in prom-a.yml.
    let a = std::fs::read_to_string(d.join("out/prom-a.yml")).unwrap();
    assert!(a.contains("__replica__: prom-a"), "{a}");
    let edited = a
        .replace(
            "scrape_configs:\n",
            "scrape_configs:\n# the site's own\n- job_name: node\n  static_configs:\n  - targets: ['host-7:9100']\n",
        )
        .replace("__replica__: prom-a", "__replica__: a");
    std::fs::write(d.join("out/prom-a.yml"), &edited).unwrap();
    // The edge agent's remote storage, moved by hand.
    let edge = std::fs::read_to_string(d.join("out/edge-1.yml")).unwrap();
    assert!(
        edge.contains("url: http://127.0.0.1:9201/api/v1/write"),
        "{edge}"
    );
    std::fs::write(
        d.join("out/edge-1.yml"),
        edge.replace("127.0.0.1:9201/api/v1/write", "127.0.0.1:9202/api/v1/write"),
    )
    .unwrap();
    let inv = crate::cluster::CLUSTER.replace(
        "services:\n",
        "services:\n  logger: {instances: ['10.0.0.9:9090']}\n",
    );
    std::fs::write(d.join("inv.yaml"), inv).unwrap();
    let check = if crate::support::have("promtool", "coexist::per_server") {
        "--check"
    } else {
        "--force"
    };
    let (code, _, err) = outcome(mon(d).args([
        "-c",
        "inv.yaml",
        "gen-config",
        "--into",
        "out",
        "--force",
        check,
    ]));
    assert_eq!(code, 0, "{err}");
    if check == "--check" {
        assert_eq!(err.matches("promtool check passed").count(), 5, "{err}");
    }
    for name in ["prom-a", "prom-b", "shard-0", "shard-1", "edge-1"] {
        let text = std::fs::read_to_string(d.join(format!("out/{name}.yml"))).unwrap();
        assert!(text.contains("10.0.0.9:9090"), "{name}: {text}");
    }
    let a = std::fs::read_to_string(d.join("out/prom-a.yml")).unwrap();
    assert!(a.contains("# the site's own\n- job_name: node\n"), "{a}");
    assert!(a.contains("__replica__: a"), "{a}");
    assert!(
        err.contains("out/prom-a.yml: global.external_labels.__replica__ is \"a\" in the file, \"prom-a\" in the inventory"),
        "{err}"
    );
    assert!(
        err.contains("out/edge-1.yml: remote_write http://127.0.0.1:9201/api/v1/write is in the inventory, not in the file"),
        "{err}"
    );
    let edge = std::fs::read_to_string(d.join("out/edge-1.yml")).unwrap();
    assert!(edge.contains("127.0.0.1:9202/api/v1/write"), "{edge}");
    // One file missing: exit 2 naming it, and no file changes.
    std::fs::remove_file(d.join("out/shard-1.yml")).unwrap();
    let before = std::fs::read_to_string(d.join("out/prom-a.yml")).unwrap();
    let inv = std::fs::read_to_string(d.join("inv.yaml"))
        .unwrap()
        .replace("10.0.0.9:9090", "10.0.0.10:9090");
    std::fs::write(d.join("inv.yaml"), inv).unwrap();
    let (code, _, err) =
        outcome(mon(d).args(["-c", "inv.yaml", "gen-config", "--into", "out", "--force"]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("shard-1.yml"), "{err}");
    assert_eq!(
        std::fs::read_to_string(d.join("out/prom-a.yml")).unwrap(),
        before
    );
}

/// The operator's loop on a running shared Prometheus: `--into` its own
/// config file, then `reload` confirms; the site's job is still scraped
/// beside the GPU Charts jobs.
#[test]
fn reload_confirms_a_config_spliced_into_the_running_file() {
    use crate::support::prometheus::Prometheus;
    let demo = crate::support::demo::serve_demo(&[]);
    let shared = "global:\n  scrape_interval: 1s\n\n# the site's own jobs\nscrape_configs:\n  - job_name: node   # nothing listens here\n    static_configs:\n      - targets: ['127.0.0.1:9']\n";
    let Some(prom) = Prometheus::start(shared, "coexist::reload") else {
        return;
    };
    let file = prom.config_path();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (code, _, err) = outcome(mon(d).args([
        "gen-config",
        "--into",
        file.to_str().unwrap(),
        "--force",
        "--logger",
        &demo.logger_addr(),
        "--server",
        &demo.server_addr(),
    ]));
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = outcome(mon(d).args([
        "reload",
        "--prometheus",
        &prom.url,
        "--method",
        "http",
        "--config-file",
        file.to_str().unwrap(),
    ]));
    assert_eq!(code, 0, "{out}{err}\n{}", prom.log());
    assert!(out.contains("reload confirmed"), "{out}");
    let (code, out, err) =
        outcome(mon(d).args(["check-targets", "--prometheus", &prom.url, "--wait", "30s"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("2 targets: 2 up"), "{out}");
    let (_, body) =
        crate::support::http::get(&format!("{}/api/v1/targets?state=active", prom.url)).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let mut jobs: Vec<&str> = v["data"]["activeTargets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["labels"]["job"].as_str().unwrap())
        .collect();
    jobs.sort_unstable();
    assert_eq!(jobs, ["gpu-charts-logger", "gpu-charts-server", "node"]);
}
