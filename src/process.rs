//! Finding the local Prometheus process that serves a given URL, and sending
//! it SIGHUP. A process is only ever signalled when it is Prometheus itself:
//! its executable is a file named `prometheus` whose Go build information
//! (the ELF section `.go.buildinfo`) names Prometheus' server as its main
//! package, which promtool's and any other program's do not, and which
//! bytes appended to another program cannot fake; checked by reading the
//! file, never by running it.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::Path;

/// The main package of the Prometheus server, as the Go linker records it
/// in the executable's `.go.buildinfo` section (Debian's build included).
/// Bytes appended to another program do not make such a section.
const PROMETHEUS_MAIN: &str = "github.com/prometheus/prometheus/cmd/prometheus";

/// A verified local Prometheus process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Candidate {
    pub pid: i32,
    pub cmdline: String,
    /// The TCP addresses it listens on, from its sockets when readable,
    /// else from its `--web.listen-address` flags.
    pub listen: Vec<SocketAddr>,
    /// Does it share our network namespace (so its ports are our ports)?
    pub same_netns: bool,
    /// Who it runs as (effective IDs and supplementary groups), from
    /// `/proc/PID/status`; `None` when unreadable.
    pub credentials: Option<Credentials>,
}

/// The effective user, group and supplementary groups of a process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Credentials {
    pub uid: u32,
    pub gid: u32,
    pub groups: Vec<u32>,
}

impl Credentials {
    /// From `/proc/PID/status` text: the second (effective) ID of the
    /// `Uid:` and `Gid:` lines, and `Groups:`.
    pub(crate) fn from_status(status: &str) -> Option<Credentials> {
        let field = |key: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(key))
                .map(|rest| {
                    rest.split_whitespace()
                        .filter_map(|n| n.parse::<u32>().ok())
                        .collect::<Vec<_>>()
                })
        };
        let (uids, gids) = (field("Uid:")?, field("Gid:")?);
        Some(Credentials {
            uid: *uids.get(1)?,
            gid: *gids.get(1)?,
            groups: field("Groups:").unwrap_or_default(),
        })
    }

    /// Can this process read a file of `mode`, owned by `owner`:`group`?
    /// Root reads everything (CAP_DAC_OVERRIDE); otherwise the owner,
    /// group or other read bit that applies, as the kernel picks it.
    pub(crate) fn can_read(&self, mode: u32, owner: u32, group: u32) -> bool {
        if self.uid == 0 {
            true
        } else if self.uid == owner {
            mode & 0o400 != 0
        } else if self.gid == group || self.groups.contains(&group) {
            mode & 0o040 != 0
        } else {
            mode & 0o004 != 0
        }
    }
}

impl Candidate {
    /// Does this process serve `addr` (an address of this host)?
    pub fn serves(&self, addr: SocketAddr) -> bool {
        self.same_netns
            && self.listen.iter().any(|l| {
                l.port() == addr.port() && (l.ip().is_unspecified() || l.ip() == addr.ip())
            })
    }

    /// Its listen addresses for messages: `127.0.0.1:9090, [::]:9091`.
    pub(crate) fn listen_text(&self) -> String {
        if self.listen.is_empty() {
            return "no listening socket found".into();
        }
        let mut s: Vec<String> = self.listen.iter().map(ToString::to_string).collect();
        s.dedup();
        let mut text = format!("listens on {}", s.join(", "));
        if !self.same_netns {
            text.push_str(" in another network namespace");
        }
        text
    }
}

fn proc_dir(pid: i32) -> std::path::PathBuf {
    Path::new("/proc").join(pid.to_string())
}

/// Why a process may not be signalled, or a signal failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub(crate) enum ProcessError {
    /// Not the Prometheus server, not running, or not readable by us.
    #[error("{0}")]
    Refused(String),
    #[error("{0}")]
    PidFile(String),
    #[error("{0}")]
    Signal(String),
}

message_into_string!(ProcessError);

/// The Prometheus server running as `pid`, or why it is not one we may
/// signal.
pub(crate) fn inspect(pid: i32) -> Result<Candidate, ProcessError> {
    inspect_text(pid).map_err(ProcessError::Refused)
}

fn inspect_text(pid: i32) -> Result<Candidate, String> {
    if pid <= 0 {
        return Err(format!("PID {pid} is not a process ID"));
    }
    let dir = proc_dir(pid);
    let exe = std::fs::read_link(dir.join("exe")).map_err(|e| {
        if dir.exists() {
            format!("cannot read the executable of PID {pid} ({e}); run as its user or root")
        } else {
            format!("PID {pid} is not a running process")
        }
    })?;
    let name = exe
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if name != "prometheus" && name != "prometheus (deleted)" {
        return Err(format!(
            "PID {pid} runs {}, not a file named 'prometheus'",
            exe.display()
        ));
    }
    // /proc/PID/exe opens the very file the process runs, even if replaced.
    let main = go_main_package(&dir.join("exe")).map_err(|e| {
        format!("cannot read the executable of PID {pid} ({e}); run as its user or root")
    })?;
    if main.as_deref() != Some(PROMETHEUS_MAIN) {
        return Err(format!(
            "PID {pid} runs {}, which is named 'prometheus' but is not the Prometheus server (its Go build information names {})",
            exe.display(),
            main.map_or_else(
                || "no main package".to_string(),
                |m| crate::text::terminal_safe(&m).into_owned()
            )
        ));
    }
    let cmdline = std::fs::read(dir.join("cmdline"))
        .map(|b| {
            b.split(|c| *c == 0)
                .filter(|p| !p.is_empty())
                .map(|p| String::from_utf8_lossy(p).into_owned())
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let listen = listening_sockets(pid).unwrap_or_else(|| listen_flags(&cmdline));
    let netns = |p: &Path| std::fs::read_link(p.join("ns/net")).ok();
    let same_netns = netns(&dir) == netns(Path::new("/proc/self")) && netns(&dir).is_some();
    let credentials = std::fs::read_to_string(dir.join("status"))
        .ok()
        .and_then(|s| Credentials::from_status(&s));
    Ok(Candidate {
        pid,
        cmdline: cmdline.join(" "),
        listen,
        same_netns,
        credentials,
    })
}

/// The main package path a Go executable's build information names (the
/// `path` line of the module info in the ELF section `.go.buildinfo`, Go
/// 1.18 and later); `None` for anything else. Reads only the ELF headers
/// and that section, each under a small cap, whatever the file holds.
pub(crate) fn go_main_package(path: &Path) -> std::io::Result<Option<String>> {
    use std::os::unix::fs::FileExt;
    let file = std::fs::File::open(path)?;
    let read = |off: u64, len: usize| -> std::io::Result<Vec<u8>> {
        let mut buf = vec![0u8; len];
        file.read_exact_at(&mut buf, off)?;
        Ok(buf)
    };
    let Ok(head) = read(0, 64) else {
        return Ok(None);
    };
    if &head[..4] != b"\x7fELF" || !(1..=2).contains(&head[4]) || !(1..=2).contains(&head[5]) {
        return Ok(None);
    }
    let wide = head[4] == 2;
    let big = head[5] == 2;
    let num = |b: &[u8]| -> u64 {
        let mut v = 0u64;
        let mut bytes = b.to_vec();
        if !big {
            bytes.reverse();
        }
        for x in bytes {
            v = (v << 8) | u64::from(x);
        }
        v
    };
    let (shoff, entsize, count, names) = if wide {
        (
            num(&head[0x28..0x30]),
            num(&head[0x3a..0x3c]),
            num(&head[0x3c..0x3e]),
            num(&head[0x3e..0x40]),
        )
    } else {
        (
            num(&head[0x20..0x24]),
            num(&head[0x2e..0x30]),
            num(&head[0x30..0x32]),
            num(&head[0x32..0x34]),
        )
    };
    let min_entry = if wide { 0x40 } else { 0x28 };
    if count == 0 || count > 4096 || entsize < min_entry || entsize > 256 || names >= count {
        return Ok(None);
    }
    let Ok(table) = read(shoff, (entsize * count) as usize) else {
        return Ok(None);
    };
    // (name offset, file offset, size) of section `i`.
    let section = |i: u64| -> (u64, u64, u64) {
        let e = &table[(i * entsize) as usize..((i + 1) * entsize) as usize];
        if wide {
            (num(&e[0..4]), num(&e[0x18..0x20]), num(&e[0x20..0x28]))
        } else {
            (num(&e[0..4]), num(&e[0x10..0x14]), num(&e[0x14..0x18]))
        }
    };
    let (_, str_off, str_size) = section(names);
    if str_size > 1 << 20 {
        return Ok(None);
    }
    let Ok(strtab) = read(str_off, str_size as usize) else {
        return Ok(None);
    };
    let name_of = |at: u64| -> &[u8] {
        let rest = strtab.get(at as usize..).unwrap_or_default();
        &rest[..rest.iter().position(|b| *b == 0).unwrap_or(rest.len())]
    };
    let Some((_, off, size)) = (0..count)
        .map(section)
        .find(|(name, _, _)| name_of(*name) == b".go.buildinfo")
    else {
        return Ok(None);
    };
    let Ok(info) = read(off, size.min(1 << 20) as usize) else {
        return Ok(None);
    };
    Ok(parse_buildinfo(&info))
}

/// The `path` of a `.go.buildinfo` section in the inline-string layout
/// (32-byte header with flag 2, then the version and the module info,
/// each a uvarint length and bytes).
fn parse_buildinfo(info: &[u8]) -> Option<String> {
    if info.len() < 32 || !info.starts_with(b"\xff Go buildinf:") || info[15] & 2 == 0 {
        return None;
    }
    let mut at = 32;
    let mut field = || -> Option<&[u8]> {
        let (mut len, mut shift) = (0usize, 0);
        loop {
            let b = *info.get(at)?;
            at += 1;
            len |= usize::from(b & 0x7f).checked_shl(shift)?;
            shift += 7;
            if b & 0x80 == 0 || shift > 28 {
                break;
            }
        }
        let s = info.get(at..at.checked_add(len)?)?;
        at += len;
        Some(s)
    };
    let _version = field()?;
    // The module info sits between two 16-byte sentinels.
    let modinfo = field()?;
    let modinfo = String::from_utf8_lossy(modinfo.get(16..modinfo.len().checked_sub(16)?)?);
    modinfo
        .lines()
        .find_map(|l| l.strip_prefix("path\t"))
        .map(str::to_string)
}

/// Every local process whose command name is `prometheus` and that passes
/// [`inspect`]; the ones that fail are returned with the reason.
pub(crate) fn find_prometheus() -> (Vec<Candidate>, Vec<(i32, ProcessError)>) {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return (Vec::new(), Vec::new());
    };
    let mut found = Vec::new();
    let mut refused = Vec::new();
    let mut pids: Vec<i32> = entries
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
        .collect();
    pids.sort_unstable();
    for pid in pids {
        let comm = std::fs::read_to_string(proc_dir(pid).join("comm")).unwrap_or_default();
        if comm.trim_end() != "prometheus" {
            continue;
        }
        match inspect(pid) {
            Ok(c) => found.push(c),
            Err(why) => refused.push((pid, why)),
        }
    }
    (found, refused)
}

/// The TCP sockets `pid` listens on, from its open file descriptors and its
/// network namespace's socket tables; `None` when its descriptors cannot be
/// read (another user's process without root).
fn listening_sockets(pid: i32) -> Option<Vec<SocketAddr>> {
    let dir = proc_dir(pid);
    let inodes: std::collections::HashSet<u64> = std::fs::read_dir(dir.join("fd"))
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|e| {
            let target = std::fs::read_link(e.path()).ok()?;
            let t = target.to_str()?;
            t.strip_prefix("socket:[")?.strip_suffix(']')?.parse().ok()
        })
        .collect();
    let mut out = Vec::new();
    for table in ["net/tcp", "net/tcp6"] {
        let Ok(text) = std::fs::read_to_string(dir.join(table)) else {
            continue;
        };
        out.extend(
            parse_listeners(&text)
                .into_iter()
                .filter(|(_, inode)| inodes.contains(inode))
                .map(|(addr, _)| addr),
        );
    }
    out.sort_unstable();
    Some(out)
}

/// LISTEN entries of a /proc/net/tcp{,6} table: (address, socket inode).
/// Addresses are hex in the kernel's byte order (32-bit words, host-endian).
fn parse_listeners(table: &str) -> Vec<(SocketAddr, u64)> {
    table
        .lines()
        .skip(1)
        .filter_map(|line| {
            let f: Vec<&str> = line.split_whitespace().collect();
            if f.len() < 10 || f[3] != "0A" {
                return None;
            }
            let (ip_hex, port_hex) = f[1].split_once(':')?;
            let port = u16::from_str_radix(port_hex, 16).ok()?;
            let words: Vec<u32> = (0..ip_hex.len() / 8)
                .map(|i| u32::from_str_radix(ip_hex.get(i * 8..i * 8 + 8)?, 16).ok())
                .collect::<Option<_>>()?;
            let ip = match words.as_slice() {
                [w] => IpAddr::V4(Ipv4Addr::from(w.to_ne_bytes())),
                [a, b, c, d] => {
                    let mut bytes = [0u8; 16];
                    for (i, w) in [a, b, c, d].into_iter().enumerate() {
                        bytes[i * 4..i * 4 + 4].copy_from_slice(&w.to_ne_bytes());
                    }
                    IpAddr::V6(Ipv6Addr::from(bytes))
                }
                _ => return None,
            };
            Some((SocketAddr::new(ip, port), f[9].parse().ok()?))
        })
        .collect()
}

/// `--web.listen-address` values from a command line (repeatable in 3.x);
/// Prometheus' default `0.0.0.0:9090` when absent.
fn listen_flags(cmdline: &[String]) -> Vec<SocketAddr> {
    let mut values = Vec::new();
    let mut args = cmdline.iter().skip(1);
    while let Some(a) = args.next() {
        let a = a.trim_start_matches('-');
        if let Some(v) = a.strip_prefix("web.listen-address=") {
            values.push(v.to_string());
        } else if a == "web.listen-address" {
            values.extend(args.next().cloned());
        }
    }
    if values.is_empty() {
        values.push("0.0.0.0:9090".into());
    }
    values
        .iter()
        .filter_map(|v| {
            let v = if v.starts_with(':') {
                format!("0.0.0.0{v}")
            } else {
                v.clone()
            };
            v.parse().ok().or_else(|| {
                // host:port with a name: only the port is known
                let port = v.rsplit_once(':')?.1.parse().ok()?;
                Some(SocketAddr::new(Ipv4Addr::UNSPECIFIED.into(), port))
            })
        })
        .collect()
}

/// Is `ip` an address of this host (loopback, or one we can bind to)?
pub(crate) fn is_local(ip: IpAddr) -> bool {
    ip.is_loopback() || std::net::UdpSocket::bind(SocketAddr::new(ip, 0)).is_ok()
}

/// The PID in a PID file.
pub(crate) fn read_pid_file(path: &Path) -> Result<i32, ProcessError> {
    let text = crate::input::read_text(crate::input::Purpose::PidFile, path).map_err(|e| {
        ProcessError::PidFile(format!("cannot read PID file {}: {e}", path.display()))
    })?;
    let t = text.trim();
    t.parse::<i32>().ok().filter(|p| *p > 0).ok_or_else(|| {
        // Never quote much of a file that is not what it claims to be.
        let excerpt: String = t.chars().take(20).collect();
        ProcessError::PidFile(format!(
            "PID file {} does not hold a PID: {excerpt:?}",
            path.display()
        ))
    })
}

pub(crate) fn send_sighup(pid: i32) -> Result<(), ProcessError> {
    use nix::sys::signal::{Signal, kill};
    use nix::unistd::Pid;
    kill(Pid::from_raw(pid), Signal::SIGHUP)
        .map_err(|e| ProcessError::Signal(format!("cannot send SIGHUP to PID {pid}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_decide_readability_as_the_kernel_does() {
        let status = "Name:\tprometheus\nUid:\t998\t998\t998\t998\nGid:\t997\t997\t997\t997\nGroups:\t4 997 \n";
        let c = Credentials::from_status(status).unwrap();
        assert_eq!((c.uid, c.gid, c.groups.clone()), (998, 997, vec![4, 997]));
        assert!(c.can_read(0o600, 998, 0));
        assert!(
            !c.can_read(0o044, 998, 0),
            "the owner bits apply to the owner"
        );
        assert!(c.can_read(0o640, 0, 4), "a supplementary group");
        assert!(!c.can_read(0o600, 0, 0));
        let root = Credentials::from_status("Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n").unwrap();
        assert!(root.can_read(0o000, 1, 1), "root reads anything");
    }

    #[test]
    fn parses_proc_net_tcp_listeners() {
        let v4 = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n   0: 0100007F:2384 00000000:0000 0A 00000000:00000000 00:00000000 00000000   102        0 4242 1 0000000000000000 100 0 0 10 0\n   1: 0100007F:2384 0100007F:C350 01 00000000:00000000 00:00000000 00000000   102        0 4243 1\n";
        let got = parse_listeners(v4);
        assert_eq!(got, [("127.0.0.1:9092".parse().unwrap(), 4242)]);
        let v6 = "header\n   0: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 77 1\n";
        assert_eq!(parse_listeners(v6), [("[::1]:8080".parse().unwrap(), 77)]);
        assert!(parse_listeners("h\n garbage é\n").is_empty());
    }

    #[test]
    fn listen_flags_and_default() {
        let args = |a: &[&str]| a.iter().map(ToString::to_string).collect::<Vec<_>>();
        assert_eq!(
            listen_flags(&args(&[
                "prometheus",
                "--web.listen-address=127.0.0.1:9092"
            ])),
            ["127.0.0.1:9092".parse().unwrap()]
        );
        assert_eq!(
            listen_flags(&args(&["prometheus", "--web.listen-address", ":9093"])),
            ["0.0.0.0:9093".parse().unwrap()]
        );
        assert_eq!(
            listen_flags(&args(&["prometheus"])),
            ["0.0.0.0:9090".parse().unwrap()]
        );
    }

    #[test]
    fn our_own_process_is_not_prometheus() {
        let err = inspect(std::process::id() as i32).unwrap_err().to_string();
        assert!(err.contains("not a file named 'prometheus'"), "{err}");
        assert!(inspect(0).is_err());
    }
}

#[cfg(test)]
mod buildinfo_tests {
    use super::*;

    #[test]
    fn only_a_go_build_of_prometheus_names_its_main_package() {
        // This test binary is no Go program: no build information.
        let me = std::env::current_exe().unwrap();
        assert_eq!(go_main_package(&me).unwrap(), None);
        // The strings appended to a copy do not make a section.
        let dir = tempfile::tempdir().unwrap();
        let fake = dir.path().join("prometheus");
        let mut bytes = std::fs::read(&me).unwrap();
        bytes.extend_from_slice(b"\xff Go buildinf:\x08\x02");
        bytes.extend_from_slice(b"path\tgithub.com/prometheus/prometheus/cmd/prometheus\n");
        bytes.extend_from_slice(b"github.com/prometheus/prometheus/web");
        std::fs::write(&fake, bytes).unwrap();
        assert_eq!(go_main_package(&fake).unwrap(), None);
        // Not ELF at all, cut short, or with headers that point anywhere.
        std::fs::write(&fake, b"\x7fELF\x02\x01").unwrap();
        assert_eq!(go_main_package(&fake).unwrap(), None);
        for (shoff, entsize, count, names) in [
            (u64::MAX, 64u16, 4u16, 1u16),
            (64, 64, 65535, 1),
            (64, 64, 2, 9),
            (64, 1, 2, 0),
            (0, 64, 1, 0),
        ] {
            let mut head = vec![0u8; 64];
            head[..6].copy_from_slice(b"\x7fELF\x02\x01");
            head[0x28..0x30].copy_from_slice(&shoff.to_le_bytes());
            head[0x3a..0x3c].copy_from_slice(&entsize.to_le_bytes());
            head[0x3c..0x3e].copy_from_slice(&count.to_le_bytes());
            head[0x3e..0x40].copy_from_slice(&names.to_le_bytes());
            head.extend(std::iter::repeat_n(0xffu8, 512));
            std::fs::write(&fake, &head).unwrap();
            assert_eq!(go_main_package(&fake).unwrap(), None);
        }
        // The real server, where installed.
        if let Ok(out) = std::process::Command::new("sh")
            .args(["-c", "command -v prometheus"])
            .output()
            && out.status.success()
        {
            let path = String::from_utf8_lossy(&out.stdout).trim().to_string();
            assert_eq!(
                go_main_package(Path::new(&path)).unwrap().as_deref(),
                Some(PROMETHEUS_MAIN)
            );
        }
    }
}
