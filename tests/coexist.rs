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
    let config: gpucharts_mon::promconfig::PrometheusConfig =
        gpucharts_mon::yaml::from_str(&merged).unwrap();
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
}
