//! The version matrix: what the suite proves against Debian stable's
//! Prometheus 2.42 it also proves against Debian testing's Prometheus 3.x
//! (the 3.5 LTS line), promtool 3.x and Alertmanager 0.3x, fetched by
//! `.ci/debian-testing.sh`. Every test names the versions it ran.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use crate::support::prometheus::{Prometheus, Version};
use crate::support::{mon, outcome, stdout_of};

/// The exact versions in this run, printed so the test output records them;
/// a 3.x other than 3.5 is said plainly (the engine's 3.x rules were
/// written against 3.5).
#[test]
fn versions_in_the_matrix() {
    for v in Version::ALL {
        let Some(line) = v.describe("matrix::versions") else {
            continue;
        };
        eprintln!("matrix: {v:?}: {line}");
        if v == Version::Three && !line.contains("version 3.5.") {
            eprintln!(
                "matrix: NOTE: {line} is not the 3.5 line the relabel and scrape rules were proven on"
            );
        }
    }
}

fn checker_accepts(version: Version, tool: &str, args: &[&str], file: &Path, test: &str) {
    let Some(bin) = version.tool(tool, test) else {
        return;
    };
    let out = Command::new(&bin).args(args).arg(file).output().unwrap();
    assert!(
        out.status.success(),
        "{version:?} {} {args:?} rejected {}:\n{}{}",
        bin.display(),
        file.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Every discovery mode's prometheus.yml, the rules with their tests, and
/// alertmanager.yml pass promtool and amtool of both versions.
#[test]
fn generated_files_pass_both_checkers() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // (file, gen-config flags, versions whose promtool knows the config):
    // Debian's 2.42 is built without Kubernetes discovery, so its promtool
    // refuses `kubernetes_sd_configs`; 3.x checks that config.
    let configs: Vec<(&str, Vec<&str>, &[Version])> = vec![
        ("static.yml", vec![], &Version::ALL),
        (
            "multi.yml",
            vec!["--logger", "10.0.0.1:9090", "--logger", "10.0.0.2:9090"],
            &Version::ALL,
        ),
        (
            "k8s.yml",
            vec!["--mode", "kubernetes", "--k8s-namespace", "trading"],
            &[Version::Three],
        ),
        ("docker.yml", vec!["--mode", "docker"], &Version::ALL),
    ];
    for (name, extra, _) in &configs {
        let text = stdout_of(mon(d).arg("gen-config").args(extra));
        std::fs::write(d.join(name), text).unwrap();
    }
    let (code, _, err) =
        outcome(mon(d).args(["gen-rules", "-o", "rules.yml", "--tests", "rules.test.yml"]));
    assert_eq!(code, 0, "{err}");
    std::fs::write(
        d.join("inv.yaml"),
        "alertmanager:\n  receivers:\n    - {name: team, webhook_url: 'http://127.0.0.1:5001/hook'}\n  routes: {critical: team}\n",
    )
    .unwrap();
    let (code, _, err) =
        outcome(mon(d).args(["-c", "inv.yaml", "gen-alertmanager", "-o", "am.yml"]));
    assert_eq!(code, 0, "{err}");
    for v in Version::ALL {
        for (name, _, versions) in &configs {
            if versions.contains(&v) {
                let file = d.join(name);
                checker_accepts(
                    v,
                    "promtool",
                    &["check", "config"],
                    &file,
                    "matrix::configs",
                );
            }
        }
        checker_accepts(
            v,
            "promtool",
            &["check", "rules"],
            &d.join("rules.yml"),
            "matrix::rules",
        );
        checker_accepts(
            v,
            "promtool",
            &["test", "rules"],
            &d.join("rules.test.yml"),
            "matrix::rule_tests",
        );
        checker_accepts(
            v,
            "amtool",
            &["check-config"],
            &d.join("am.yml"),
            "matrix::alertmanager",
        );
        eprintln!("matrix: {v:?}: promtool and amtool accept every generated file");
    }
}

/// A real Prometheus of each version scrapes serve-demo through the
/// generated config; check-targets says both targets are up and names the
/// version it talked to; a reload is confirmed.
#[test]
fn a_real_prometheus_of_each_version_scrapes_the_demo() {
    let dir = tempfile::tempdir().unwrap();
    let demo = crate::support::demo::serve_demo(&[]);
    let rules = dir.path().join("rules.yml");
    let (code, _, err) = outcome(mon(dir.path()).args(["gen-rules", "-o"]).arg(&rules));
    assert_eq!(code, 0, "{err}");
    let config = crate::support::demo::fast_config(
        dir.path(),
        &[demo.logger_addr()],
        &[demo.server_addr()],
        &rules,
        &[],
    );
    for v in Version::ALL {
        let Some(prom) = Prometheus::start_version(v, &config, true, &[], "matrix::scrape") else {
            continue;
        };
        let start = Instant::now();
        let (code, out, err) = outcome(mon(dir.path()).args([
            "check-targets",
            "--prometheus",
            &prom.url,
            "--wait",
            "30s",
        ]));
        assert_eq!(code, 0, "{v:?}: {out}{err}\n{}", prom.log());
        assert!(out.contains("2 targets: 2 up"), "{v:?}: {out}");
        let want = match v {
            Version::Stable => "Prometheus 2.",
            Version::Three => "Prometheus 3.",
        };
        assert!(out.contains(want), "{v:?}: {out}");
        let (code, out, err) = outcome(mon(dir.path()).args([
            "reload",
            "--prometheus",
            &prom.url,
            "--method",
            "http",
            "--no-check",
        ]));
        assert_eq!(code, 0, "{v:?}: {out}{err}");
        assert!(out.contains("reload confirmed"), "{v:?}: {out}");
        eprintln!(
            "matrix: {v:?}: scraped, checked and reloaded in {:?}",
            start.elapsed()
        );
        drop(prom);
    }
}
