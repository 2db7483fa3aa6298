//! Files the tool writes: modes Prometheus' user can read, writes that stay
//! where the user pointed, no clobbering under races, `.bak` never through a
//! symlink, and closed pipes that end output quietly.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::Command as StdCommand;

use crate::support::{mon, names_in, outcome};

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().mode() & 0o7777
}

/// The binary under a shell with the given umask.
fn with_umask(dir: &Path, umask: &str, args: &str) -> std::process::Output {
    let bin = assert_cmd::cargo::cargo_bin("gpucharts-mon");
    StdCommand::new("sh")
        .arg("-c")
        .arg(format!("umask {umask}; exec {} {args}", bin.display()))
        .current_dir(dir)
        .env_remove("GPUCHARTS_MON_CONFIG")
        .output()
        .unwrap()
}

#[test]
fn new_files_follow_the_umask_and_side_files_too() {
    let dir = tempfile::tempdir().unwrap();
    let out = with_umask(dir.path(), "022", "gen-config --mode file-sd -o p.yml");
    assert!(out.status.success(), "{out:?}");
    for f in ["p.yml", "gpu-charts-logger.json", "gpu-charts-server.json"] {
        assert_eq!(mode(&dir.path().join(f)), 0o644, "{f}");
    }
    let out = with_umask(dir.path(), "027", "gen-rules -o alerts.yml");
    assert!(out.status.success(), "{out:?}");
    assert_eq!(mode(&dir.path().join("alerts.yml")), 0o640);
}

#[test]
fn force_keeps_mode_and_the_backup_is_the_old_inode() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("prometheus.yml");
    std::fs::write(&p, "old: 1\n").unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
    let old_inode = std::fs::metadata(&p).unwrap().ino();
    let out = with_umask(dir.path(), "077", "gen-config -o prometheus.yml --force");
    assert!(out.status.success(), "{out:?}");
    assert_eq!(mode(&p), 0o644, "umask 077 must not narrow a replaced file");
    let bak = dir.path().join("prometheus.yml.bak");
    assert_eq!(std::fs::read_to_string(&bak).unwrap(), "old: 1\n");
    assert_eq!(
        std::fs::metadata(&bak).unwrap().ino(),
        old_inode,
        ".bak is the old file itself (a link), not a copy"
    );
}

#[test]
fn backup_symlink_is_not_written_through() {
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, "precious\n").unwrap();
    std::fs::write(dir.path().join("p.yml"), "old\n").unwrap();
    std::os::unix::fs::symlink(&victim, dir.path().join("p.yml.bak")).unwrap();
    mon(dir.path())
        .args(["gen-config", "-o", "p.yml", "--force"])
        .assert()
        .success();
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("p.yml.bak")).unwrap(),
        "old\n"
    );
}

#[test]
fn side_files_never_escape_the_output_directory() {
    let root = tempfile::tempdir().unwrap();
    let work = root.path().join("work");
    std::fs::create_dir(&work).unwrap();
    for (name, value) in [
        ("dotdot", "../escaped.json"),
        ("absolute", &*root.path().join("abs.json").to_string_lossy()),
        ("subdir", "sub/x.json"),
    ] {
        std::fs::write(
            work.join("inv.yaml"),
            format!(
                "services:\n  logger:\n    discovery: file-sd\n    file_sd:\n      file: {value:?}\n"
            ),
        )
        .unwrap();
        for extra in [&["--check"][..], &["--diff"], &["--check", "--diff"], &[]] {
            let (code, _, err) = outcome(
                mon(&work)
                    .args(["-c", "inv.yaml", "gen-config", "-o", "p.yml"])
                    .args(extra),
            );
            assert_eq!(code, 2, "{name} {extra:?}: {err}");
            assert!(err.contains("services.logger.file_sd.file"), "{err}");
        }
        assert_eq!(names_in(root.path()), ["work"], "{name}");
        assert_eq!(names_in(&work), ["inv.yaml"], "{name}");
    }
    // A job name that would make a path is refused the same way.
    std::fs::write(
        work.join("inv.yaml"),
        "services:\n  server:\n    discovery: file-sd\n    job: ../../api\n",
    )
    .unwrap();
    let (code, _, err) = outcome(mon(&work).args(["-c", "inv.yaml", "gen-config", "--check"]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("services.server.job"), "{err}");
    assert_eq!(names_in(root.path()), ["work"]);
}

#[test]
fn check_and_diff_write_nothing_beside_the_output() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.yml"), "old\n").unwrap();
    let (code, out, err) = outcome(mon(dir.path()).args([
        "gen-config",
        "--mode",
        "file-sd",
        "-o",
        "p.yml",
        "--diff",
        "--check",
    ]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("gpu-charts-logger.json"), "{out}");
    assert_eq!(names_in(dir.path()), ["p.yml"]);
    let (code, out, err) =
        outcome(mon(dir.path()).args(["gen-alertmanager", "-o", "p.yml", "--diff", "--check"]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("+route:"), "{out}");
    assert_eq!(names_in(dir.path()), ["p.yml"]);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("p.yml")).unwrap(),
        "old\n"
    );
}

#[test]
fn side_files_obey_no_clobber_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("gpu-charts-server.json"), "mine\n").unwrap();
    let (code, _, err) =
        outcome(mon(dir.path()).args(["gen-config", "--mode", "file-sd", "-o", "p.yml"]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("gpu-charts-server.json exists"), "{err}");
    assert_eq!(names_in(dir.path()), ["gpu-charts-server.json"]);
    mon(dir.path())
        .args(["gen-config", "--mode", "file-sd", "-o", "p.yml", "--force"])
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(dir.path().join("gpu-charts-server.json.bak")).unwrap(),
        "mine\n"
    );
}

#[test]
fn of_concurrent_writers_exactly_one_succeeds() {
    for round in 0..10 {
        let dir = tempfile::tempdir().unwrap();
        let wins = concurrently(dir.path(), 4, &["gen-rules", "-o", "alerts.yml"])
            .iter()
            .filter(|s| s.success())
            .count();
        assert_eq!(wins, 1, "round {round}");
        assert_eq!(names_in(dir.path()), ["alerts.yml"]);
    }
}

#[test]
fn missing_directory_is_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = outcome(mon(dir.path()).args(["gen-rules", "-o", "nope/alerts.yml"]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("nope"), "{err}");
}

#[test]
fn init_dash_means_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = outcome(mon(dir.path()).args(["init", "-o", "-"]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("services:"), "{out}");
    assert!(names_in(dir.path()).is_empty());
}

/// Out of space: a tiny tmpfs (needs root to mount; skipped otherwise).
#[test]
fn out_of_space_leaves_old_file_and_backup_intact() {
    if !nix_is_root("out_of_space_leaves_old_file_and_backup_intact") {
        return;
    }
    let mnt = tempfile::tempdir().unwrap();
    let ok = StdCommand::new("mount")
        .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
        .arg(mnt.path())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        crate::support::skip("out_of_space_leaves_old_file_and_backup_intact: cannot mount tmpfs");
        return;
    }
    let run = || {
        let p = mnt.path().join("p.yml");
        std::fs::write(&p, "old\n")?;
        std::fs::write(mnt.path().join("p.yml.bak"), "older\n")?;
        // Fill the file system so the new file cannot be written.
        let filler = vec![b'x'; 4096];
        let mut f = std::fs::File::create(mnt.path().join("filler"))?;
        while std::io::Write::write_all(&mut f, &filler).is_ok() {}
        drop(f);
        let (code, _, err) =
            outcome(mon(mnt.path()).args(["gen-config", "-o", "p.yml", "--force"]));
        assert_ne!(code, 0, "{err}");
        assert_eq!(std::fs::read_to_string(&p)?, "old\n");
        assert_eq!(
            std::fs::read_to_string(mnt.path().join("p.yml.bak"))?,
            "older\n"
        );
        assert_eq!(names_in(mnt.path()), ["filler", "p.yml", "p.yml.bak"]);
        std::io::Result::Ok(())
    };
    let result = run();
    let _ = StdCommand::new("umount").arg(mnt.path()).status();
    result.unwrap();
}

pub fn nix_is_root(test: &str) -> bool {
    let root = StdCommand::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0");
    if !root {
        crate::support::skip(&format!("{test}: needs root"));
    }
    root
}

/// `| head -c 1`: the reader goes away before we write; the command ends
/// quietly with its own exit status (0 for generators), no panic, nothing on
/// stderr.
#[test]
fn closed_pipe_ends_output_quietly() {
    let bin = assert_cmd::cargo::cargo_bin("gpucharts-mon");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("am.yaml"),
        "alertmanager:\n  receivers: [{name: team, webhook_url: 'http://127.0.0.1:1/'}]\n",
    )
    .unwrap();
    for args in [
        &["gen-rules"][..],
        &["-c", "am.yaml", "gen-alertmanager"],
        &["-c", "am.yaml", "gen-alertmanager", "--explain"],
        &["gen-config"],
        &["gen-compose", "--with-grafana", "--with-alertmanager"],
        &["completions", "bash"],
        &["man"],
        &["init", "-o", "-"],
        &["firewall", "--allow", "10.0.0.5"],
    ] {
        let mut child = StdCommand::new(&bin)
            .args(args)
            .current_dir(dir.path())
            .env_remove("GPUCHARTS_MON_CONFIG")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(stderr.is_empty(), "{args:?}: {stderr}");
    }
}

/// The real deployment: Debian's Prometheus runs as its own user. It must
/// read a config written by `gen-config -o`, and one replaced by `--force`
/// (kept 0640 root:prometheus even under umask 077), and `reload` confirms
/// the second.
#[test]
fn prometheus_as_its_own_user_reads_what_we_write() {
    let test = "prometheus_as_its_own_user_reads_what_we_write";
    let cfg_dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(cfg_dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let config = cfg_dir.path().join("prometheus.yml");
    let out = with_umask(
        cfg_dir.path(),
        "022",
        "gen-config --self-scrape localhost:9092 -o prometheus.yml",
    );
    assert!(out.status.success(), "{out:?}");
    let Some(prom) =
        crate::support::prometheus::Prometheus::start_as_prometheus_user(&config, test)
    else {
        return;
    };
    let chgrp = StdCommand::new("chown")
        .arg("root:prometheus")
        .arg(&config)
        .status()
        .unwrap();
    assert!(chgrp.success());
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o640)).unwrap();
    let out = with_umask(
        cfg_dir.path(),
        "077",
        "gen-config --self-scrape localhost:9092 --scrape-interval 30s -o prometheus.yml --force",
    );
    assert!(out.status.success(), "{out:?}");
    let meta = std::fs::metadata(&config).unwrap();
    assert_eq!(meta.mode() & 0o7777, 0o640);
    assert_eq!(meta.uid(), 0);
    let (code, stdout, err) = outcome(mon(cfg_dir.path()).args([
        "reload",
        "--method",
        "http",
        "--prometheus",
        &prom.url,
        "--config-file",
        "prometheus.yml",
        "--timeout",
        "15s",
    ]));
    assert_eq!(code, 0, "{stdout}{err}\nprometheus log:\n{}", prom.log());
    assert!(stdout.contains("reload confirmed"), "{stdout}");
    let (_, body) =
        crate::support::http::get(&format!("{}/api/v1/status/config", prom.url)).unwrap();
    assert!(
        String::from_utf8_lossy(&body).contains("scrape_interval: 30s"),
        "Prometheus does not run the replaced config"
    );
}

/// `n` copies of the binary with `args`, started at once in `dir`; their
/// exit statuses.
fn concurrently(dir: &Path, n: usize, args: &[&str]) -> Vec<std::process::ExitStatus> {
    let bin = assert_cmd::cargo::cargo_bin("gpucharts-mon");
    let children: Vec<_> = (0..n)
        .map(|_| {
            StdCommand::new(&bin)
                .args(args)
                .current_dir(dir)
                .env_remove("GPUCHARTS_MON_CONFIG")
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    children
        .into_iter()
        .map(|mut c| c.wait().unwrap())
        .collect()
}

#[test]
fn thirty_concurrent_force_writers_all_succeed_and_leave_no_staging_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.yml"), "old\n").unwrap();
    let failed = concurrently(dir.path(), 30, &["gen-config", "-o", "p.yml", "--force"])
        .iter()
        .filter(|s| !s.success())
        .count();
    assert_eq!(failed, 0);
    assert_eq!(names_in(dir.path()), ["p.yml", "p.yml.bak"]);
}

#[test]
fn outputs_that_name_one_file_are_refused_before_writing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("out2")).unwrap();
    for (yaml, args) in [
        // The targets file of a service is the config itself.
        (
            "services:\n  logger:\n    discovery: file-sd\n    file_sd: {file: out.yml}\n",
            vec!["gen-config", "-o", "out2/out.yml", "--force"],
        ),
        // Two services share one targets file.
        (
            "services:\n  logger:\n    discovery: file-sd\n    file_sd: {file: t.json}\n  server:\n    discovery: file-sd\n    file_sd: {file: t.json}\n",
            vec!["gen-config", "-o", "out2/p.yml", "--force"],
        ),
    ] {
        std::fs::write(dir.path().join("inv.yaml"), yaml).unwrap();
        let mut full = vec!["-c", "inv.yaml"];
        full.extend(args);
        let (code, _, err) = outcome(mon(dir.path()).args(&full));
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("the same file"), "{err}");
        assert!(names_in(&dir.path().join("out2")).is_empty());
    }
}

/// gen-stack over a folder where one file cannot be replaced (immutable):
/// nothing changes, every file keeps its old content, no staging file stays.
#[test]
fn a_stack_that_cannot_be_written_whole_is_not_written_at_all() {
    if !nix::unistd::geteuid().is_root() {
        crate::support::skip("writing::stack_all_or_nothing: chattr +i needs root");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let stack = dir.path().join("stack");
    let (code, _, err) = outcome(mon(dir.path()).args(["gen-stack", "-o", "stack"]));
    assert_eq!(code, 0, "{err}");
    let snapshot = |d: &Path| -> Vec<(String, Vec<u8>)> {
        let mut all = Vec::new();
        for n in names_in(d) {
            let p = d.join(&n);
            if p.is_dir() {
                all.extend(snapshot_dir(&p, &n));
            } else {
                all.push((n, std::fs::read(p).unwrap()));
            }
        }
        all
    };
    let before = snapshot(&stack);
    let locked = stack.join("rules.yml");
    let st = StdCommand::new("chattr").arg("+i").arg(&locked).status();
    if !st.is_ok_and(|s| s.success()) {
        crate::support::skip("writing::stack_all_or_nothing: chattr +i is not supported here");
        return;
    }
    // A different stack, so every file would change.
    let (code, _, err) = outcome(mon(dir.path()).args([
        "gen-stack",
        "-o",
        "stack",
        "--force",
        "--prometheus-port",
        "9099",
    ]));
    let _ = StdCommand::new("chattr").arg("-i").arg(&locked).status();
    assert_ne!(code, 0);
    assert!(err.contains("nothing was changed"), "{err}");
    assert_eq!(snapshot(&stack), before);
}

fn snapshot_dir(dir: &Path, prefix: &str) -> Vec<(String, Vec<u8>)> {
    names_in(dir)
        .into_iter()
        .map(|n| {
            (
                format!("{prefix}/{n}"),
                std::fs::read(dir.join(&n)).unwrap(),
            )
        })
        .collect()
}
