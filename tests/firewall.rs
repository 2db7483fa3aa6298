//! firewall: every format loaded by the real tools inside network namespaces
//! the test creates (never the host's own ruleset), idempotence, --remove,
//! and enforcement across a veth pair. Needs root, ip, iptables, nft, curl.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::support::{have, mon, outcome, stdout_of};

static NEXT: AtomicUsize = AtomicUsize::new(0);

/// A network namespace of our own, deleted on drop.
struct Netns {
    name: String,
}

impl Netns {
    fn new() -> Self {
        let name = format!(
            "gcm{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::SeqCst)
        );
        sh(&["ip", "netns", "add", &name]);
        sh(&[
            "ip", "netns", "exec", &name, "ip", "link", "set", "lo", "up",
        ]);
        Self { name }
    }

    /// Run a command inside; (exit code, stdout+stderr).
    fn run(&self, cmd: &[&str], stdin: Option<&Path>) -> (i32, String) {
        let mut c = Command::new("ip");
        c.args(["netns", "exec", &self.name]).args(cmd);
        if let Some(f) = stdin {
            c.stdin(std::fs::File::open(f).unwrap());
        }
        let out = c.output().unwrap();
        (
            out.status.code().unwrap_or(-1),
            format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        )
    }

    fn ok(&self, cmd: &[&str], stdin: Option<&Path>) -> String {
        let (code, out) = self.run(cmd, stdin);
        assert_eq!(code, 0, "{cmd:?} failed in {}: {out}", self.name);
        out
    }

    fn spawn(&self, cmd: &[&str]) -> Child {
        Command::new("ip")
            .args(["netns", "exec", &self.name])
            .args(cmd)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    }

    /// Both families' rules as the tools list them.
    fn iptables_rules(&self) -> String {
        format!(
            "{}{}",
            self.ok(&["iptables", "-S"], None),
            self.ok(&["ip6tables", "-S"], None)
        )
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        let _ = Command::new("ip")
            .args(["netns", "del", &self.name])
            .status();
    }
}

fn sh(cmd: &[&str]) {
    let st = Command::new(cmd[0]).args(&cmd[1..]).status().unwrap();
    assert!(st.success(), "{cmd:?}");
}

/// Root and every tool present, and namespaces can be made; else a visible skip.
fn can_run(test: &str) -> bool {
    if !nix_is_root() {
        crate::support::skip(&format!("{test}: needs root to create network namespaces"));
        return false;
    }
    if ![
        "ip",
        "iptables",
        "ip6tables",
        "iptables-restore",
        "ip6tables-restore",
        "nft",
        "curl",
        "python3",
    ]
    .iter()
    .all(|t| have(t, test))
    {
        return false;
    }
    let probe = format!("gcmprobe{}", std::process::id());
    let ok = Command::new("ip")
        .args(["netns", "add", &probe])
        .status()
        .is_ok_and(|s| s.success());
    let _ = Command::new("ip").args(["netns", "del", &probe]).status();
    if !ok {
        crate::support::skip(&format!("{test}: `ip netns add` is not permitted here"));
    }
    ok
}

fn nix_is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout == b"0\n")
}

fn generate(dir: &Path, name: &str, args: &[&str]) -> std::path::PathBuf {
    let text = stdout_of(mon(dir).arg("firewall").args(args));
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

const ALLOW: &[&str] = &[
    "--allow",
    "192.0.2.2",
    "--allow",
    "2001:db8::2/128",
    "--port",
    "9090",
    "--port",
    "9091",
];

#[test]
fn iptables_restore_loads_lists_and_removes() {
    if !can_run("firewall::iptables_restore") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let ns = Netns::new();
    let empty = ns.iptables_rules();
    for (family, tool, list) in [
        ("4", "iptables-restore", "iptables"),
        ("6", "ip6tables-restore", "ip6tables"),
    ] {
        let mut args = ALLOW.to_vec();
        args.extend(["--format", "iptables-restore", "--family", family]);
        let add = generate(dir.path(), &format!("add{family}"), &args);
        args.push("--remove");
        let remove = generate(dir.path(), &format!("remove{family}"), &args);
        // The script pipes its input to the real tool.
        assert!(
            std::fs::read_to_string(&add)
                .unwrap()
                .contains(&format!("| {tool} -w --noflush")),
            "{tool}"
        );
        ns.ok(&["sh", add.to_str().unwrap()], None);
        // Loaded twice: the chain is refilled, the jumps not doubled.
        ns.ok(&["sh", add.to_str().unwrap()], None);
        let rules = ns.ok(&[list, "-S"], None);
        assert_eq!(
            rules.matches("-A GPUCHARTS-METRICS -s").count(),
            1,
            "{rules}"
        );
        assert_eq!(rules.matches("-j GPUCHARTS-METRICS").count(), 2, "{rules}");
        assert!(rules.contains("-N GPUCHARTS-METRICS"), "{rules}");
        let allowed = if family == "4" {
            "192.0.2.2/32"
        } else {
            "2001:db8::2/128"
        };
        assert!(
            rules.contains(&format!("-A GPUCHARTS-METRICS -s {allowed}")),
            "{rules}"
        );
        assert!(
            rules.contains("--dport 9091") && rules.contains("-j DROP"),
            "{rules}"
        );
        // The remove form is a script that deletes every copy of the jumps.
        ns.ok(&["sh", remove.to_str().unwrap()], None);
        let after = ns.ok(&[list, "-S"], None);
        assert!(!after.contains("GPUCHARTS"), "{after}");
    }
    assert_eq!(
        ns.iptables_rules(),
        empty,
        "--remove must leave the ruleset as it was"
    );
}

#[test]
fn iptables_script_is_idempotent_and_removable() {
    if !can_run("firewall::iptables_script") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let ns = Netns::new();
    let empty = ns.iptables_rules();
    let add = generate(dir.path(), "add.sh", ALLOW);
    let mut remove_args = ALLOW.to_vec();
    remove_args.push("--remove");
    let remove = generate(dir.path(), "remove.sh", &remove_args);
    let script = add.to_str().unwrap();
    ns.ok(&["sh", script], None);
    let once = ns.iptables_rules();
    assert!(
        once.contains("192.0.2.2/32") && once.contains("2001:db8::2/128"),
        "{once}"
    );
    ns.ok(&["sh", script], None);
    assert_eq!(
        ns.iptables_rules(),
        once,
        "running the script twice changed the rules"
    );
    ns.ok(&["sh", remove.to_str().unwrap()], None);
    assert_eq!(ns.iptables_rules(), empty);
    ns.ok(&["sh", remove.to_str().unwrap()], None);
    assert_eq!(ns.iptables_rules(), empty, "--remove twice is harmless");
}

#[test]
fn nft_checks_loads_idempotently_and_removes() {
    if !can_run("firewall::nft") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let ns = Netns::new();
    let empty = ns.ok(&["nft", "list", "ruleset"], None);
    let mut args = ALLOW.to_vec();
    args.extend(["--format", "nft"]);
    let add = generate(dir.path(), "add.nft", &args);
    args.push("--remove");
    let remove = generate(dir.path(), "remove.nft", &args);
    let add_path = add.to_str().unwrap();
    let text = std::fs::read_to_string(&add).unwrap();
    // The nft program inside the script passes `nft -c`.
    let program = text
        .split("<<'EOF'\n")
        .nth(1)
        .and_then(|rest| rest.split("\nEOF\n").next())
        .expect("script embeds an nft program");
    let program_file = dir.path().join("program.nft");
    std::fs::write(&program_file, format!("{program}\n")).unwrap();
    ns.ok(&["nft", "-c", "-f", program_file.to_str().unwrap()], None);
    ns.ok(&["sh", add_path], None);
    let once = ns.ok(&["nft", "list", "ruleset"], None);
    assert!(
        once.contains("table inet gpucharts_metrics")
            && once.contains("192.0.2.2")
            && once.contains("managed by gpucharts-mon"),
        "{once}"
    );
    ns.ok(&["sh", add_path], None);
    assert_eq!(ns.ok(&["nft", "list", "ruleset"], None), once);
    ns.ok(&["sh", remove.to_str().unwrap()], None);
    assert_eq!(ns.ok(&["nft", "list", "ruleset"], None), empty);
    ns.ok(&["sh", remove.to_str().unwrap()], None);
    assert_eq!(ns.ok(&["nft", "list", "ruleset"], None), empty);
}

/// A table of the same name that the tool did not make is never replaced
/// or deleted.
#[test]
fn nft_never_touches_a_table_it_did_not_make() {
    if !can_run("firewall::nft_foreign_table") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let ns = Netns::new();
    ns.ok(&["nft", "add", "table", "inet", "gpucharts_metrics"], None);
    ns.ok(
        &["nft", "add", "chain", "inet", "gpucharts_metrics", "mine"],
        None,
    );
    let before = ns.ok(&["nft", "list", "ruleset"], None);
    let mut args = ALLOW.to_vec();
    args.extend(["--format", "nft"]);
    let add = generate(dir.path(), "add.nft", &args);
    args.push("--remove");
    let remove = generate(dir.path(), "remove.nft", &args);
    for script in [&add, &remove] {
        let (code, out) = ns.run(&["sh", script.to_str().unwrap()], None);
        assert_ne!(code, 0, "{out}");
        assert!(out.contains("was not made by gpucharts-mon"), "{out}");
        assert_eq!(ns.ok(&["nft", "list", "ruleset"], None), before);
    }
}

/// Two namespaces joined by veth: a server on a metrics port in one, a
/// client with an allowed and a not-allowed address in the other.
#[test]
fn only_the_allowed_source_gets_through() {
    if !can_run("firewall::enforcement") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let server = Netns::new();
    let client = Netns::new();
    link(&server, "192.0.2.1/24", &client, "192.0.2.2/24");
    client.ok(&["ip", "addr", "add", "192.0.2.3/32", "dev", "lo"], None);
    let mut http = serve_http(&server, "192.0.2.1", "9090", dir.path());
    let url = "http://192.0.2.1:9090/";
    wait_until_served(&client, url);
    let reaches = |from: &str| fetches(&client, from, url);
    assert!(reaches("192.0.2.3"));

    for format in ["iptables", "iptables-restore", "nft", "nft-ruleset"] {
        let args = ["--allow", "192.0.2.2", "--port", "9090", "--format", format];
        let (add, remove) = add_and_remove(dir.path(), format, &args);
        let load = |file: &Path| load(&server, format, file);
        load(&add);
        assert!(
            reaches("192.0.2.2"),
            "{format}: the allowed source was blocked"
        );
        assert!(
            !reaches("192.0.2.3"),
            "{format}: another source got through"
        );
        load(&remove);
        assert!(
            reaches("192.0.2.2") && reaches("192.0.2.3"),
            "{format}: --remove left a block"
        );
    }
    let _ = http.kill();
    let _ = http.wait();
}

/// A chain of the tool's name that the host made (ufw's, accepting SSH and
/// HTTP) is never flushed: every iptables format, and `--remove`, refuse
/// with exit 1 and leave every rule as it was.
#[test]
fn iptables_never_flushes_a_chain_it_did_not_make() {
    if !can_run("firewall::iptables_foreign_chain") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let ns = Netns::new();
    ns.ok(&["iptables", "-N", "ufw-user-input"], None);
    for port in ["22", "80"] {
        ns.ok(
            &[
                "iptables",
                "-A",
                "ufw-user-input",
                "-p",
                "tcp",
                "--dport",
                port,
                "-j",
                "ACCEPT",
            ],
            None,
        );
    }
    ns.ok(&["iptables", "-A", "INPUT", "-j", "ufw-user-input"], None);
    let before = ns.iptables_rules();
    for format in ["iptables", "iptables-restore"] {
        for remove in [false, true] {
            let mut args = vec![
                "--allow",
                "10.99.0.5",
                "--chain",
                "ufw-user-input",
                "--family",
                "4",
                "--format",
                format,
            ];
            if remove {
                args.push("--remove");
            }
            let script = generate(dir.path(), &format!("{format}-{remove}"), &args);
            let (code, out) = ns.run(&["sh", script.to_str().unwrap()], None);
            assert_eq!(code, 1, "{format} remove={remove}: {out}");
            assert!(
                out.contains("was not made by gpucharts-mon") && out.contains("nothing changed"),
                "{out}"
            );
            assert_eq!(ns.iptables_rules(), before, "{format} remove={remove}");
        }
    }
    // The tool's own chain carries the mark, so a second run and --remove
    // work on it.
    let add = generate(
        dir.path(),
        "own",
        &["--allow", "10.99.0.5", "--family", "4"],
    );
    ns.ok(&["sh", add.to_str().unwrap()], None);
    let rules = ns.ok(&["iptables", "-S", "GPUCHARTS-METRICS"], None);
    let first = rules.lines().nth(1).unwrap_or("");
    assert!(first.contains("gpucharts-mon: owned chain"), "{rules}");
    ns.ok(&["sh", add.to_str().unwrap()], None);
}

/// Loopback stays open in every format, even when the host's own `-i lo`
/// accept comes after the tool's jumps; a non-allowed source is still
/// dropped.
#[test]
fn loopback_stays_open() {
    if !can_run("firewall::loopback") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let ns = Netns::new();
    let mut http = serve_http(&ns, "127.0.0.1", "9090", dir.path());
    let url = "http://127.0.0.1:9090/";
    let start = Instant::now();
    while !fetches(&ns, "127.0.0.1", url) {
        assert!(start.elapsed() < Duration::from_secs(15), "never served");
        std::thread::sleep(Duration::from_millis(200));
    }
    ns.ok(
        &["iptables", "-A", "INPUT", "-i", "lo", "-j", "ACCEPT"],
        None,
    );
    for format in ["iptables", "iptables-restore", "nft", "nft-ruleset"] {
        let args = [
            "--allow",
            "10.99.0.5",
            "--port",
            "9090",
            "--family",
            "4",
            "--format",
            format,
        ];
        let (add, remove) = add_and_remove(dir.path(), format, &args);
        let load = |file: &Path| load(&ns, format, file);
        load(&add);
        assert!(fetches(&ns, "127.0.0.1", url), "{format}: loopback blocked");
        load(&remove);
    }
    let _ = http.kill();
    let _ = http.wait();
}

/// `--docker` on a host without DOCKER-USER applies nothing and says so
/// with a non-zero exit, in every format.
#[test]
fn docker_without_docker_user_fails_loudly() {
    if !can_run("firewall::docker_missing") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let ns = Netns::new();
    let before = ns.iptables_rules();
    for format in ["iptables", "iptables-restore"] {
        let args = [
            "--allow",
            "10.99.0.5",
            "--docker",
            "--family",
            "4",
            "--format",
            format,
        ];
        let script = generate(dir.path(), &format!("{format}.docker"), &args);
        let (code, out) = ns.run(&["sh", script.to_str().unwrap()], None);
        assert_ne!(code, 0, "{format}: {out}");
        assert!(out.contains("Docker must be running"), "{format}: {out}");
        assert_eq!(out.trim().lines().count(), 1, "{out}");
        assert_eq!(ns.iptables_rules(), before);
    }
}

/// The add and the `--remove` form of `args` in `format`, as files.
fn add_and_remove(dir: &Path, format: &str, args: &[&str]) -> (PathBuf, PathBuf) {
    let add = generate(dir, &format!("{format}.add"), args);
    let mut undo = args.to_vec();
    undo.push("--remove");
    (add, generate(dir, &format!("{format}.remove"), &undo))
}

/// Load a generated file into `ns`: the bare ruleset is `nft -f` input,
/// every other format a script.
fn load(ns: &Netns, format: &str, file: &Path) -> String {
    match format {
        "nft-ruleset" => ns.ok(&["nft", "-f", file.to_str().unwrap()], None),
        _ => ns.ok(&["sh", file.to_str().unwrap()], None),
    }
}

/// A veth pair between two namespaces, each end addressed and up.
fn link(a: &Netns, a_addr: &str, b: &Netns, b_addr: &str) {
    let (ea, eb) = (
        format!("ga{}", NEXT.fetch_add(1, Ordering::SeqCst)),
        format!("gb{}", NEXT.fetch_add(1, Ordering::SeqCst)),
    );
    sh(&[
        "ip", "link", "add", &ea, "netns", &a.name, "type", "veth", "peer", "name", &eb, "netns",
        &b.name,
    ]);
    a.ok(&["ip", "addr", "add", a_addr, "dev", &ea], None);
    a.ok(&["ip", "link", "set", &ea, "up"], None);
    b.ok(&["ip", "addr", "add", b_addr, "dev", &eb], None);
    b.ok(&["ip", "link", "set", &eb, "up"], None);
}

/// A static HTTP server (python3) on `addr:port` inside `ns`.
fn serve_http(ns: &Netns, addr: &str, port: &str, dir: &Path) -> Child {
    ns.spawn(&[
        "python3",
        "-m",
        "http.server",
        port,
        "--bind",
        addr,
        "--directory",
        dir.to_str().unwrap(),
    ])
}

/// Wait (at most 15 s) until the client's first address fetches `url`.
fn wait_until_served(client: &Netns, url: &str) {
    let start = Instant::now();
    while !fetches(client, "192.0.2.2", url) {
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "test server never answered"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Can `from` fetch `url` (HTTP 200 within 2 s)?
fn fetches(client: &Netns, from: &str, url: &str) -> bool {
    let (code, out) = client.run(
        &[
            "curl",
            "-s",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            "--max-time",
            "2",
            "--interface",
            from,
            url,
        ],
        None,
    );
    code == 0 && out == "200"
}

/// Docker's published ports, rebuilt by hand: a "host" namespace DNATs its
/// port 9090 (the metrics port) and 9999 (another container's port) to a
/// "container" namespace's 8080 and forwards through FORWARD -> DOCKER-USER,
/// as Docker does. INPUT rules would never see this traffic; the `--docker`
/// rules must let the allowed source through, stop the other, and leave the
/// other published port alone; after `--remove` both reach it again.
#[test]
fn docker_published_ports_are_protected_in_docker_user() {
    if !can_run("firewall::docker") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let client = Netns::new();
    let host = Netns::new();
    let container = Netns::new();
    link(&client, "192.0.2.2/24", &host, "192.0.2.1/24");
    client.ok(&["ip", "addr", "add", "192.0.2.3/32", "dev", "lo"], None);
    link(&host, "198.51.100.1/24", &container, "198.51.100.2/24");
    container.ok(
        &["ip", "route", "add", "default", "via", "198.51.100.1"],
        None,
    );
    client.ok(
        &["ip", "route", "add", "198.51.100.0/24", "via", "192.0.2.1"],
        None,
    );
    host.ok(&["sysctl", "-qw", "net.ipv4.ip_forward=1"], None);
    for port in ["9090", "9999"] {
        host.ok(
            &[
                "iptables",
                "-t",
                "nat",
                "-A",
                "PREROUTING",
                "-p",
                "tcp",
                "--dport",
                port,
                "-j",
                "DNAT",
                "--to-destination",
                "198.51.100.2:8080",
            ],
            None,
        );
    }
    host.ok(&["iptables", "-N", "DOCKER-USER"], None);
    host.ok(&["iptables", "-A", "FORWARD", "-j", "DOCKER-USER"], None);
    let mut http = container.spawn(&[
        "python3",
        "-m",
        "http.server",
        "8080",
        "--bind",
        "198.51.100.2",
        "--directory",
        dir.path().to_str().unwrap(),
    ]);
    let metrics = "http://192.0.2.1:9090/";
    let other = "http://192.0.2.1:9999/";
    let start = Instant::now();
    while !fetches(&client, "192.0.2.2", metrics) {
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "container never answered"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(fetches(&client, "192.0.2.3", metrics));

    for format in ["iptables", "iptables-restore", "nft"] {
        let args = [
            "--allow",
            "192.0.2.2",
            "--port",
            "9090",
            "--docker",
            "--family",
            "4",
            "--format",
            format,
        ];
        let (add, remove) = add_and_remove(dir.path(), format, &args);
        load(&host, format, &add);
        assert!(
            fetches(&client, "192.0.2.2", metrics),
            "{format}: allowed source blocked"
        );
        assert!(
            !fetches(&client, "192.0.2.3", metrics),
            "{format}: other source got through"
        );
        assert!(
            fetches(&client, "192.0.2.3", other),
            "{format}: another container's port was blocked"
        );
        host.ok(&["sh", remove.to_str().unwrap()], None);
        assert!(
            fetches(&client, "192.0.2.2", metrics) && fetches(&client, "192.0.2.3", metrics),
            "{format}: --remove left a block"
        );
        let rules = host.ok(&["iptables", "-S"], None);
        assert!(!rules.contains("GPUCHARTS"), "{format}: {rules}");
        assert!(
            rules.contains("-N DOCKER-USER"),
            "{format}: Docker's chain must stay"
        );
    }
    let _ = http.kill();
    let _ = http.wait();
}

#[test]
fn bad_input_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    for (args, needle) in [
        (vec!["--allow", "10.0.0.300"], "10.0.0.300"),
        (vec!["--allow", "10.0.0.1/40"], "/40"),
        (vec!["--allow", "0.0.0.0/0"], "--allow-any"),
        (vec!["--allow", "::/0"], "--allow-any"),
        (vec!["--allow", "10.0.0.1", "--port", "0"], "--port 0"),
        (vec!["--allow", "10.0.0.1", "--port", "65536"], "65536"),
        (
            vec!["--allow", "10.0.0.1", "--chain", "bad chain"],
            "--chain",
        ),
        (
            vec!["--allow", "10.0.0.5", "--chain", "INPUT", "--family", "4"],
            "built-in",
        ),
        (
            vec!["--allow", "10.0.0.5", "--chain", "DOCKER-USER"],
            "built-in",
        ),
        (vec!["--allow", "10.0.0.5", "--chain=-F"], "--chain"),
        (
            vec![
                "--allow", "10.0.0.5", "--format", "nft", "--chain", "filter",
            ],
            "nft table 'filter'",
        ),
        (
            vec!["--allow", "0.0.0.0/1", "--allow", "128.0.0.0/1"],
            "cover all of IPv4",
        ),
        (vec![], "no allowed sources"),
        (
            vec![
                "--allow",
                "fd00::1",
                "--format",
                "iptables-restore",
                "--family",
                "4",
            ],
            "no allowed source",
        ),
    ] {
        mon(dir.path())
            .arg("firewall")
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicates::str::contains(needle));
    }
    // normalised host bits and merged duplicates are said, not silent
    mon(dir.path())
        .args([
            "firewall",
            "--allow",
            "10.0.0.5/24",
            "--allow",
            "10.0.0.0/24",
        ])
        .assert()
        .success()
        .stderr(
            predicates::str::contains("using 10.0.0.0/24").and(predicates::str::contains("merged")),
        );
    // The inventory's own Prometheus left out of --allow is said.
    std::fs::write(
        dir.path().join("gpucharts-mon.yaml"),
        "prometheus:\n  url: http://10.0.0.9:9092\n  allowed_sources: [10.0.0.9, 10.0.0.10]\n",
    )
    .unwrap();
    mon(dir.path())
        .args(["firewall", "--allow", "10.0.0.10"])
        .assert()
        .success()
        .stderr(
            predicates::str::contains("10.0.0.9 (inventory").and(predicates::str::contains(
                "is not among the allowed sources",
            )),
        );
    mon(dir.path())
        .args(["firewall"])
        .assert()
        .success()
        .stderr(predicates::str::contains("not among the allowed").not());
    std::fs::remove_file(dir.path().join("gpucharts-mon.yaml")).unwrap();
    // --allow-any lets it through
    mon(dir.path())
        .args(["firewall", "--allow", "0.0.0.0/0", "--allow-any"])
        .assert()
        .success();
}

use predicates::prelude::PredicateBooleanExt;

/// Every flag of the firewall plan reaches it: each one, given a value
/// other than its default, changes the rules printed (or the refusal).
/// Printing only: nothing is applied.
#[test]
fn each_firewall_flag_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        outcome(
            mon(dir.path())
                .args(["firewall", "--allow", "10.0.0.5"])
                .args(args),
        )
    };
    let baseline = run(&[]);
    assert_eq!(baseline.0, 0, "{baseline:?}");
    for args in [
        &["--allow", "10.0.0.0/24"][..],
        &["--port", "9100"],
        &["--format", "nft"],
        &["--chain", "OTHER-CHAIN"],
        &["--docker"],
        &["--interface", "eth1"],
        &["--family", "4"],
        &["--remove"],
    ] {
        let changed = run(args);
        assert_eq!(changed.0, 0, "{args:?}: {changed:?}");
        assert_ne!(changed, baseline, "{args:?} changed nothing");
    }
    // Sources covering all of IPv4 are refused, unless --allow-any says so.
    let everyone = ["firewall", "--allow", "0.0.0.0/0", "--family", "4"];
    let refused = outcome(mon(dir.path()).args(everyone));
    let allowed = outcome(mon(dir.path()).args(everyone).arg("--allow-any"));
    assert_eq!((refused.0, allowed.0), (2, 0), "{refused:?} {allowed:?}");
}
