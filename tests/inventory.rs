//! The inventory: init, discovery (-c, env, ./gpucharts-mon.yaml), precedence.

use std::os::unix::fs::FileTypeExt;

use crate::support::{mon, stdout_of};

#[test]
fn init_writes_a_valid_example_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    mon(dir.path()).arg("init").assert().success();
    let text = std::fs::read_to_string(dir.path().join("gpucharts-mon.yaml")).unwrap();
    assert!(
        text.lines()
            .filter(|l| l.trim_start().starts_with('#'))
            .count()
            > 20
    );
    // the example describes today's setup: same config as no inventory at all
    let with = stdout_of(mon(dir.path()).arg("gen-config"));
    let empty = tempfile::tempdir().unwrap();
    let without = stdout_of(mon(empty.path()).arg("gen-config"));
    assert_eq!(with, without);
    mon(dir.path())
        .arg("init")
        .assert()
        .code(2)
        .stderr(predicates::str::contains("already exists"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("gpucharts-mon.yaml")).unwrap(),
        text
    );
}

#[test]
fn found_by_flag_env_and_current_directory() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.yaml"), "environment: from-flag\n").unwrap();
    std::fs::write(dir.path().join("b.yaml"), "environment: from-env\n").unwrap();
    std::fs::write(
        dir.path().join("gpucharts-mon.yaml"),
        "environment: from-cwd\n",
    )
    .unwrap();
    let env_of = |text: String| text.contains("environment: from-");
    let flag = stdout_of(mon(dir.path()).args(["-c", "a.yaml", "gen-config"]));
    assert!(env_of(flag.clone()) && flag.contains("from-flag"));
    let env = stdout_of(
        mon(dir.path())
            .env("GPUCHARTS_MON_CONFIG", "b.yaml")
            .arg("gen-config"),
    );
    assert!(env.contains("from-env"));
    let cwd = stdout_of(mon(dir.path()).arg("gen-config"));
    assert!(cwd.contains("from-cwd"));
    // flags override the file
    let over = stdout_of(mon(dir.path()).args(["gen-config", "--environment", "cli"]));
    assert!(over.contains("environment: cli"));
}

#[test]
fn missing_or_malformed_inventory_is_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    mon(dir.path())
        .args(["-c", "nope.yaml", "gen-config"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("nope.yaml"));
    for (text, needle) in [
        ("services:\n  logger:\n    prot: 9090\n", "prot"),
        ("prometheus:\n  scrape_interval: often\n", "often"),
        ("environment: [\n", "line"),
        ("unknown_top: 1\n", "unknown_top"),
    ] {
        std::fs::write(dir.path().join("bad.yaml"), text).unwrap();
        let out = mon(dir.path())
            .args(["-c", "bad.yaml", "gen-config"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{text}: {stderr}");
        assert!(
            stderr.contains(needle) && stderr.contains("bad.yaml"),
            "{text}: {stderr}"
        );
        assert_eq!(stderr.trim().lines().count(), 1, "one-line error: {stderr}");
    }
}

#[test]
fn version_and_help() {
    let dir = tempfile::tempdir().unwrap();
    let v = stdout_of(mon(dir.path()).arg("--version"));
    assert!(v.starts_with("gpucharts-mon "));
    let help = stdout_of(mon(dir.path()).arg("--help"));
    for cmd in ["init", "gen-config", "gen-rules", "gen-compose"] {
        assert!(help.contains(cmd), "{help}");
    }
}

/// Every flag of init is read: `-o` names the file written (`-` is
/// stdout), and `--templates` replaces the embedded example.
#[test]
fn each_init_flag_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (code, _, err) = crate::support::outcome(mon(d).args(["init", "-o", "mine.yaml"]));
    assert_eq!(code, 0, "{err}");
    assert!(d.join("mine.yaml").is_file() && !d.join("gpucharts-mon.yaml").exists());
    let plain = stdout_of(mon(d).args(["init", "-o", "-"]));
    let tpl = crate::support::template_override(
        d,
        "gpucharts-mon.yaml.j2",
        "environment: production",
        "environment: staging",
    );
    let (code, out, err) =
        crate::support::outcome(mon(d).args(["init", "-o", "-", "--templates"]).arg(&tpl));
    assert_eq!(code, 0, "{err}");
    assert_ne!(out, plain, "--templates changed nothing");
    assert!(out.contains("environment: staging"), "{out}");
}

/// `man --dir DIR` writes the pages there; without it, the main page goes
/// to stdout. `demo --output-format` is the report's format.
#[test]
fn man_dir_and_demo_format_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let page = stdout_of(mon(d).arg("man"));
    assert!(page.contains(".TH"), "{page}");
    let (code, out, err) = crate::support::outcome(mon(d).args(["man", "--dir", "pages"]));
    assert_eq!(code, 0, "{err}");
    assert_ne!(out, page);
    assert!(d.join("pages/gpucharts-mon.1").is_file());
    assert!(d.join("pages/gpucharts-mon-init.1").is_file());
    // A page that is a symbolic link to a file is replaced (the link kept
    // as .bak), never written through; one to a character device is
    // written in place, as `-o /dev/stdout` is (the writing rules of
    // docs/generate.md), and the device stays a device. A FIFO where the
    // folder should be is refused.
    std::fs::write(d.join("victim"), "victim\n").unwrap();
    std::fs::create_dir(d.join("linked")).unwrap();
    std::os::unix::fs::symlink(d.join("victim"), d.join("linked/gpucharts-mon.1")).unwrap();
    std::os::unix::fs::symlink("/dev/null", d.join("linked/gpucharts-mon-init.1")).unwrap();
    let (code, _, err) = crate::support::outcome(mon(d).args(["man", "--dir", "linked"]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        std::fs::read_to_string(d.join("victim")).unwrap(),
        "victim\n"
    );
    let page = std::fs::symlink_metadata(d.join("linked/gpucharts-mon.1")).unwrap();
    assert!(page.file_type().is_file());
    assert!(
        std::fs::symlink_metadata(d.join("linked/gpucharts-mon.1.bak"))
            .unwrap()
            .is_symlink()
    );
    assert!(
        std::fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device()
    );
    let fifo = d.join("fifo");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let (code, _, err) = crate::support::outcome(mon(d).args(["man", "--dir", "fifo"]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("is not a directory"), "{err}");
    let table = stdout_of(mon(d).arg("demo"));
    let junit = stdout_of(mon(d).args(["demo", "--output-format", "junit"]));
    assert_ne!(table, junit);
    assert!(junit.starts_with("<?xml"), "{junit}");
}
