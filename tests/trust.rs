//! Trust, round two: the binary against hostile files, devices and peers.
//! Every run here is bounded in time and, where memory is the question,
//! measured: peak RSS of the child (python's getrusage of its only child).

use std::net::TcpListener;
use std::os::unix::fs::FileTypeExt;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::support::http::{Response, TestServer};
use crate::support::{mon, outcome};

/// Exit code, peak RSS in MiB and stderr of the binary run with `args` in
/// `dir`, measured by a python3 parent that has no other child.
fn measured(dir: &Path, args: &[&str]) -> (i32, u64, String) {
    let bin = assert_cmd::cargo::cargo_bin("gpucharts-mon");
    let out = Command::new("python3")
        .args([
            "-c",
            "import resource, subprocess, sys\n\
             r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n\
             sys.stderr.write(r.stderr.decode('utf-8', 'replace'))\n\
             print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)",
        ])
        .arg(&bin)
        .args(args)
        .current_dir(dir)
        .env_remove("GPUCHARTS_MON_CONFIG")
        .env_remove("PROMETHEUS_URL")
        .env("NO_COLOR", "1")
        .output()
        .expect("python3 runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let mut it = text.split_whitespace();
    let code = it.next().and_then(|c| c.parse().ok()).unwrap_or(-1);
    let mib = it.next().and_then(|c| c.parse().ok()).unwrap_or(u64::MAX);
    (code, mib, String::from_utf8_lossy(&out.stderr).into_owned())
}

fn is_root() -> bool {
    nix::unistd::geteuid().is_root()
}

/// A character device node of our own (never the real /dev).
fn char_device(path: &Path, major: u64, minor: u64) -> bool {
    nix::sys::stat::mknod(
        path,
        nix::sys::stat::SFlag::S_IFCHR,
        nix::sys::stat::Mode::from_bits_truncate(0o666),
        nix::sys::stat::makedev(major, minor),
    )
    .is_ok()
}

#[test]
fn devices_given_as_outputs_stay_devices() {
    if !is_root() {
        crate::support::skip("trust::devices_given_as_outputs_stay_devices: mknod needs root");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let null = dir.path().join("null");
    assert!(char_device(&null, 1, 3));
    let stdout_link = dir.path().join("stdout");
    std::os::unix::fs::symlink(&null, &stdout_link).unwrap();
    for args in [
        vec!["gen-config", "-o", "null", "--force"],
        vec!["gen-config", "-o", "null"],
        vec!["gen-config", "-o", "stdout", "--force"],
        vec![
            "smoke",
            "--prometheus",
            "http://127.0.0.1:1",
            "--wait",
            "1s",
            "--junit",
            "null",
        ],
    ] {
        let _ = outcome(mon(dir.path()).args(&args));
        let t = std::fs::symlink_metadata(&null).unwrap().file_type();
        assert!(t.is_char_device(), "{args:?} replaced the device");
        assert!(
            std::fs::symlink_metadata(&stdout_link)
                .unwrap()
                .file_type()
                .is_symlink(),
            "{args:?}"
        );
        assert!(!dir.path().join("null.bak").exists(), "{args:?}");
    }
    // A full device is an error, and still a device.
    let full = dir.path().join("full");
    assert!(char_device(&full, 1, 7));
    let (code, _, err) = outcome(mon(dir.path()).args(["gen-config", "-o", "full", "--force"]));
    assert_ne!(code, 0, "{err}");
    assert!(
        std::fs::symlink_metadata(&full)
            .unwrap()
            .file_type()
            .is_char_device()
    );
}

#[test]
fn named_files_that_are_not_files_are_refused_within_a_second() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo");
    nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::from_bits_truncate(0o600)).unwrap();
    let mut names = vec!["fifo", "."];
    if is_root() && char_device(&dir.path().join("zero"), 1, 5) {
        names.push("zero");
    }
    let sparse = dir.path().join("sparse");
    std::fs::File::create(&sparse)
        .unwrap()
        .set_len(1 << 40)
        .unwrap();
    names.push("sparse");
    for name in names {
        for args in [
            vec!["-c", name, "gen-config"],
            vec!["relabel", "--config-file", name, "--job", "x"],
            vec!["test-pull", "--from-config", name],
            vec!["reload", "--config-file", name, "--dry-run"],
            vec![
                "shard-plan",
                "--config-file",
                name,
                "--shards",
                "2",
                "--targets",
                name,
            ],
            vec![
                "check-targets",
                "--prometheus-user",
                "u",
                "--prometheus-password-file",
                name,
            ],
            vec!["reload", "--pid-file", name, "--dry-run"],
        ] {
            let start = Instant::now();
            let (code, mib, err) = measured(dir.path(), &args);
            assert_eq!(code, 2, "{args:?}: {err}");
            assert!(start.elapsed() < Duration::from_secs(2), "{args:?}");
            assert!(mib < 100, "{args:?}: {mib} MiB");
            assert_eq!(
                err.trim().lines().filter(|l| l.contains("error")).count(),
                1,
                "{err}"
            );
        }
    }
}

#[test]
fn lint_of_a_sparse_petabyte_file_allocates_nothing_for_it() {
    let dir = tempfile::tempdir().unwrap();
    let sparse = dir.path().join("huge.prom");
    // As large as the file system allows: 1 PiB where it can, 16 TiB on ext4.
    let file = std::fs::File::create(&sparse).unwrap();
    if file.set_len(1 << 50).is_err() {
        file.set_len((1 << 44) - 4096).unwrap();
    }
    let start = Instant::now();
    let (code, mib, err) = measured(dir.path(), &["lint", "huge.prom"]);
    assert!(code == 1 || code == 2, "{code}: {err}");
    assert!(mib < 100, "{mib} MiB");
    assert!(start.elapsed() < Duration::from_secs(10));
}

#[test]
fn eight_endless_peers_cost_what_one_costs() {
    let dir = tempfile::tempdir().unwrap();
    let servers: Vec<TestServer> = (0..8)
        .map(|_| {
            TestServer::start(|_, _| {
                Response::new(200, "application/json", vec![b' '; 1 << 20]).endless()
            })
        })
        .collect();
    let mut args = vec![
        "check-targets".to_string(),
        "--cluster".into(),
        "shards".into(),
    ];
    for s in &servers {
        args.push("--prometheus".into());
        args.push(s.url());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, mib, err) = measured(dir.path(), &args);
    assert!(code == 1 || code == 3, "{code}: {err}");
    eprintln!("check-targets, 8 endless servers: peak {mib} MiB");
    assert!(mib < 400, "8 endless servers: {mib} MiB");
    // test-pull over 64 endpoints whose /health never ends.
    let metrics = TestServer::start(|_, path| {
        if path.starts_with("/health") {
            Response::new(200, "text/plain", vec![b'o'; 1 << 20]).endless()
        } else {
            Response::new(200, "text/plain; version=0.0.4", "up 1\n")
        }
    });
    let mut args = vec!["test-pull".to_string(), "--timeout".into(), "5s".into()];
    for i in 0..64 {
        args.push("--logger".into());
        args.push(format!("{}/?n={i}", metrics.url()));
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, mib, err) = measured(dir.path(), &args);
    assert_eq!(code, 1, "{err}");
    eprintln!("test-pull, 64 endless /health: peak {mib} MiB");
    assert!(mib < 400, "64 endless /health: {mib} MiB");
}

/// A peer that accepts connections and never says anything, for `secs`.
fn silent_peer(secs: u64) -> (u16, std::thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    listener.set_nonblocking(true).unwrap();
    let handle = std::thread::spawn(move || {
        let mut held = Vec::new();
        let end = Instant::now() + Duration::from_secs(secs);
        while Instant::now() < end {
            if let Ok((s, _)) = listener.accept() {
                held.push(s);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    });
    (port, handle)
}

#[test]
fn doctor_says_a_silent_tls_peer_never_completed_the_handshake() {
    let dir = tempfile::tempdir().unwrap();
    let (port, peer) = silent_peer(8);
    let start = Instant::now();
    let (code, out, err) = outcome(mon(dir.path()).args([
        "doctor",
        &format!("https://127.0.0.1:{port}/metrics"),
        "--timeout",
        "1s",
        "--output-format",
        "json",
    ]));
    assert_eq!(code, 1, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let tls = v["targets"][0]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "tls-auth")
        .unwrap()
        .clone();
    assert_eq!(tls["status"], "fail", "{tls}");
    assert!(
        tls["evidence"]
            .as_str()
            .unwrap()
            .contains("did not complete"),
        "{tls}"
    );
    // Prometheus behind a silent port: --timeout bounds its steps too.
    let (prom_port, prom) = silent_peer(8);
    let (code, _, err) = outcome(mon(dir.path()).args([
        "doctor",
        &format!("http://127.0.0.1:{port}/metrics"),
        "--prometheus",
        &format!("http://127.0.0.1:{prom_port}"),
        "--timeout",
        "1s",
    ]));
    assert_ne!(code, 0, "{err}");
    assert!(
        start.elapsed() < Duration::from_secs(7),
        "{:?}",
        start.elapsed()
    );
    peer.join().unwrap();
    prom.join().unwrap();
}

/// CPU seconds (user + system) a process has used so far.
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |(_, rest)| rest)
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 (11 and 12 after the name).
    (ticks(11) + ticks(12)) / 100.0
}

#[test]
fn serve_demo_survives_slow_clients_with_few_descriptors() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let (logger, server) = (
        crate::support::http::closed_port(),
        crate::support::http::closed_port(),
    );
    let child = Command::new("sh")
        .arg("-c")
        .arg("ulimit -n 256 && exec \"$0\" serve-demo --logger-port \"$1\" --server-port \"$2\"")
        .arg(assert_cmd::cargo::cargo_bin("gpucharts-mon"))
        .arg(logger.to_string())
        .arg(server.to_string())
        .current_dir(dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let demo = crate::support::demo::Running(child);
    let url = format!("http://127.0.0.1:{logger}/metrics");
    let start = Instant::now();
    while crate::support::http::get(&url).is_err() {
        assert!(start.elapsed() < Duration::from_secs(10), "never listened");
        std::thread::sleep(Duration::from_millis(50));
    }
    // 400 slowloris clients: a request line, then a header line every 5 s,
    // for 8 s; then they go away.
    let slow = std::thread::spawn(move || {
        let mut conns: Vec<std::net::TcpStream> = (0..400)
            .filter_map(|_| std::net::TcpStream::connect(("127.0.0.1", logger)).ok())
            .collect();
        for c in &mut conns {
            let _ = c.write_all(b"GET /metrics HTTP/1.1\r\nHost: x\r\n");
        }
        let end = Instant::now() + Duration::from_secs(8);
        while Instant::now() < end {
            std::thread::sleep(Duration::from_secs(5).min(end - Instant::now()));
            for c in &mut conns {
                let _ = c.write_all(b"X-Slow: 1\r\n");
            }
        }
    });
    std::thread::sleep(Duration::from_millis(1500));
    let cpu_before = cpu_seconds(demo.0.id());
    let wall = Instant::now();
    for _ in 0..4 {
        let t = Instant::now();
        let (status, body) = crate::support::http::get(&url).expect("a fresh request is answered");
        assert_eq!(status, 200);
        assert!(!body.is_empty());
        assert!(
            t.elapsed() < Duration::from_secs(1),
            "a fresh request took {:?}",
            t.elapsed()
        );
        std::thread::sleep(Duration::from_millis(500));
    }
    let cpu = cpu_seconds(demo.0.id()) - cpu_before;
    let share = cpu / wall.elapsed().as_secs_f64();
    assert!(share < 0.5, "serve-demo used {:.0}% CPU", share * 100.0);
    slow.join().unwrap();
    // And afterwards, as before.
    assert_eq!(crate::support::http::get(&url).unwrap().0, 200);
}

/// A one-shot-per-connection HTTP server on loopback that answers with
/// `answer(path)` and records every request head it saw.
fn recording_server(
    answer: fn(&str) -> String,
) -> (u16, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use std::io::{BufRead, Write};
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = seen.clone();
    listener.set_nonblocking(true).unwrap();
    std::thread::spawn(move || {
        let end = Instant::now() + Duration::from_secs(20);
        while Instant::now() < end {
            let Ok((mut s, _)) = listener.accept() else {
                std::thread::sleep(Duration::from_millis(10));
                continue;
            };
            let _ = s.set_nonblocking(false);
            let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
            let mut head = String::new();
            let mut r = std::io::BufReader::new(s.try_clone().unwrap());
            let mut line = String::new();
            while r.read_line(&mut line).is_ok_and(|n| n > 2) {
                head.push_str(&line);
                line.clear();
            }
            let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
            log.lock().unwrap().push(head);
            let _ = s.write_all(answer(&path).as_bytes());
        }
    });
    (port, seen)
}

static REDIRECT_TO: std::sync::atomic::AtomicU16 = std::sync::atomic::AtomicU16::new(0);

fn redirect_answer(path: &str) -> String {
    let port = REDIRECT_TO.load(std::sync::atomic::Ordering::SeqCst);
    format!(
        "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:{port}{path}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
}

fn metrics_answer(_: &str) -> String {
    let body = "up 1\n";
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

#[test]
fn credentials_never_follow_a_redirect_to_another_port() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("pw"), "s3cret\n").unwrap();
    let (other, seen_other) = recording_server(metrics_answer);
    REDIRECT_TO.store(other, std::sync::atomic::Ordering::SeqCst);
    let (first, seen_first) = recording_server(redirect_answer);
    // test-pull follows the scrape as Prometheus does, without the password.
    let (code, out, err) = outcome(mon(dir.path()).args([
        "test-pull",
        "--target",
        &format!("x=http://127.0.0.1:{first}/metrics"),
        "--basic-auth-user",
        "u",
        "--basic-auth-password-file",
        "pw",
        "--output-format",
        "json",
    ]));
    let sent_first = seen_first.lock().unwrap().join("");
    let sent_other = seen_other.lock().unwrap().join("");
    assert!(
        sent_first
            .to_ascii_lowercase()
            .contains("authorization: basic"),
        "{sent_first}"
    );
    assert!(!sent_other.is_empty(), "{code} {out} {err}");
    assert!(
        !sent_other.to_ascii_lowercase().contains("authorization"),
        "{sent_other}"
    );
    assert!(out.contains("redirected to another host or port"), "{out}");
    // The Prometheus API client refuses the hop unless told to follow it.
    let api = |extra: &[&str]| {
        let prom = format!("http://127.0.0.1:{first}");
        let mut args = vec![
            "check-targets",
            "--prometheus",
            &prom,
            "--prometheus-user",
            "u",
            "--prometheus-password-file",
            "pw",
        ];
        args.extend_from_slice(extra);
        outcome(mon(dir.path()).args(&args))
    };
    let (code, _, err) = api(&[]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("redirects to another host or port"), "{err}");
    let before = seen_other.lock().unwrap().len();
    let (_, _, err) = api(&["--follow-redirects"]);
    let after = seen_other.lock().unwrap()[before..].join("");
    assert!(!after.is_empty(), "{err}");
    assert!(
        !after.to_ascii_lowercase().contains("authorization"),
        "{after}"
    );
    assert!(!err.contains("s3cret"), "{err}");
    // The hop is said, once, by the command layer's printer.
    assert_eq!(err.matches("was redirected to").count(), 1, "{err}");
}

#[test]
fn smaller_items_each_fixed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let run = |args: &[&str]| outcome(mon(d).args(args));
    // authorization without `type` is Bearer, as in Prometheus.
    let (port, seen) = recording_server(metrics_answer);
    std::fs::write(d.join("tok"), "t0ken\n").unwrap();
    std::fs::write(
        d.join("p.yml"),
        format!(
            "scrape_configs:\n  - job_name: x\n    authorization: {{credentials_file: tok}}\n    static_configs: [{{targets: ['127.0.0.1:{port}']}}]\n"
        ),
    )
    .unwrap();
    let (code, out, err) = run(&["test-pull", "--from-config", "p.yml"]);
    assert_eq!(code, 0, "{out}{err}");
    let heads = seen.lock().unwrap().join("");
    assert!(
        heads.contains("authorization: Bearer t0ken")
            || heads.contains("Authorization: Bearer t0ken"),
        "{heads}"
    );
    // A cluster whose servers do not answer is waited for, then exit 3.
    let start = Instant::now();
    let (code, _, err) = run(&[
        "check-targets",
        "--cluster",
        "shards",
        "--prometheus",
        "http://127.0.0.1:1",
        "--prometheus",
        "http://127.0.0.1:2",
        "--wait",
        "3s",
    ]);
    assert_eq!(code, 3, "{err}");
    assert!(
        start.elapsed() >= Duration::from_secs(3),
        "{:?}",
        start.elapsed()
    );
    // Values that make broken rules or files are refused without --tests.
    for (args, needle) in [
        (
            vec!["gen-rules", "--runbook-url", "https://w/{{ query \"s\" }}"],
            "template braces",
        ),
        (
            vec!["gen-rules", "--threshold", "ServerErrorRatioHigh=5"],
            "ratio from 0 to 1",
        ),
        (
            vec!["gen-rules", "--threshold", "StaleData=-1"],
            "must not be negative",
        ),
        (
            vec!["gen-compose", "--rules", "/:/host:rw,"],
            "compose mount source",
        ),
    ] {
        let (code, _, err) = run(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
    }
    // --dry-run shows the URLs really used.
    let api = TestServer::start(|_, _| {
        Response::new(
            200,
            "application/json",
            r#"{"status":"success","data":{"web.enable-lifecycle":"true"}}"#,
        )
    });
    let base = format!("{}/runtime-mb-", api.url());
    let (code, out, err) = run(&["reload", "--dry-run", "--prometheus", &base]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(&format!("{base}/-/reload")), "{out}");
    assert!(
        out.contains(&format!("{base}/api/v1/status/runtimeinfo")),
        "{out}"
    );
    // Inventory errors name the key and line at fault.
    for (yaml, needle) in [
        (
            "prometheus:\n  url: http://localhost:9092\n  scrape_interval: 5x\n",
            "prometheus.scrape_interval: ",
        ),
        (
            "services:\n  logger:\n    port: 0\n",
            "services.logger.port: ",
        ),
    ] {
        std::fs::write(d.join("inv.yaml"), yaml).unwrap();
        let (code, _, err) = run(&["-c", "inv.yaml", "gen-config"]);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains(needle) && err.contains("line 3"), "{err}");
    }
}

/// A Prometheus peer whose targets answer drops our target and whose
/// running config is hostile: rules that double a label 34 times, or a
/// YAML alias bomb. Checks that read that config stay small and quick.
#[test]
fn a_hostile_running_config_costs_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let rule = "{source_labels: [__address__], regex: '(.*)', target_label: __address__, replacement: '$1$1'}";
    let doubling = format!(
        "scrape_configs:\n- job_name: gpu-charts-logger\n  relabel_configs: [{}, {{source_labels: [__address__], regex: nomatch, action: keep}}]\n",
        vec![rule; 34].join(", ")
    );
    let bomb = format!(
        "global: {{scrape_interval: &s \"{}\"}}\nscrape_configs:\n- job_name: x\n  params: {{a: [{}]}}\n",
        "1".repeat(1 << 20),
        vec!["*s"; 900].join(", ")
    );
    for config in [doubling, bomb] {
        let yaml = serde_json::to_string(&config).unwrap();
        let server = TestServer::start(move |_, path| {
            let body = if path.starts_with("/api/v1/status/config") {
                format!("{{\"status\":\"success\",\"data\":{{\"yaml\":{yaml}}}}}")
            } else if path.starts_with("/api/v1/targets") {
                "{\"status\":\"success\",\"data\":{\"activeTargets\":[],\"droppedTargets\":[{\"discoveredLabels\":{\"__address__\":\"127.0.0.1:1\",\"job\":\"gpu-charts-logger\"}}]}}".to_string()
            } else {
                "{\"status\":\"success\",\"data\":{}}".to_string()
            };
            Response::new(200, "application/json", body)
        });
        let url = server.url();
        for args in [
            vec![
                "doctor",
                "127.0.0.1:1",
                "--prometheus",
                url.as_str(),
                "--timeout",
                "1s",
            ],
            vec![
                "check-targets",
                "--cluster",
                "replicas",
                "--prometheus",
                url.as_str(),
                "--prometheus",
                url.as_str(),
            ],
        ] {
            let start = Instant::now();
            let (code, mib, err) = measured(dir.path(), &args);
            assert!((1..=3).contains(&code), "{args:?}: {code} {err}");
            assert!(mib < 200, "{args:?}: {mib} MiB");
            assert!(
                start.elapsed() < Duration::from_secs(6),
                "{args:?}: {:?}",
                start.elapsed()
            );
        }
    }
}

/// lint's inputs as this change reads them (quoted names, Content-Types,
/// pipes and devices): hostile text is a one-line verdict, never a panic or
/// a hang; a device streams with a given format and is refused by size
/// when the format must be detected.
#[test]
fn lint_takes_hostile_quoted_names_pipes_and_devices() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let hostile: [&[u8]; 7] = [
        b"{\"a",
        b"{\"a\\",
        b"{\"\\\xc3\xa9\"} 1\n",
        b"{\"a\x1b[31m\",\"b\x00\"=\"v\"} 1\n",
        b"# TYPE \"\xff\xfe\" gauge\n",
        b"{\"a\",\"a\"} 1\n{} 1\n",
        b"{\"a\"=\"v\"=\"w\"} 1\n",
    ];
    for body in hostile {
        for ct in [
            "text/plain; version=0.0.4",
            "application/openmetrics-text",
            "\x07bell",
        ] {
            let start = Instant::now();
            let out = mon(d)
                .args(["lint", "--content-type", ct, "-"])
                .write_stdin(body)
                .output()
                .unwrap();
            let code = out.status.code();
            assert!(matches!(code, Some(0..=2)), "{body:?} {ct:?}: {out:?}");
            assert!(start.elapsed() < Duration::from_secs(5), "{body:?}");
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(
                !text.contains('\u{1b}'),
                "a control character reached the terminal: {text}"
            );
        }
    }
    // An endless device: with a format it streams and stops at the first
    // bad line; to detect the format it is read up to the cap and refused.
    let start = Instant::now();
    let (code, _, err) = outcome(mon(d).args(["lint", "--format", "text", "/dev/zero"]));
    assert_eq!(code, 1, "{err}");
    assert!(start.elapsed() < Duration::from_secs(10));
    let (code, mib, err) = measured(d, &["lint", "/dev/urandom"]);
    assert!(code == 1 || code == 2, "{code}: {err}");
    // The 64 MiB read, once, plus the program (was 551 MiB: a doubling
    // buffer up to a 256 MiB cap).
    assert!(mib < 128, "{mib} MiB");
    assert!(err.contains("larger than 64 MiB"), "{err}");
}
