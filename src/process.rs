//! Finding the local Prometheus process and sending it SIGHUP. Only a process
//! whose executable name is exactly `prometheus` is ever signalled.

use std::path::Path;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub pid: i32,
    pub cmdline: String,
}

fn read_trimmed(path: &Path) -> Option<String> {
    std::fs::read_to_string(path)
        .ok()
        .map(|s| s.trim_end().to_string())
}

/// Is `pid` a process named exactly `prometheus`? `comm` must say so and,
/// where `/proc/PID/exe` is readable, so must the executable's file name.
pub fn is_prometheus(pid: i32) -> Option<Candidate> {
    let dir = Path::new("/proc").join(pid.to_string());
    if read_trimmed(&dir.join("comm"))? != "prometheus" {
        return None;
    }
    if let Ok(exe) = std::fs::read_link(dir.join("exe")) {
        let name = exe.file_name()?.to_string_lossy().into_owned();
        if name != "prometheus" && name != "prometheus (deleted)" {
            return None;
        }
    }
    let cmdline = std::fs::read(dir.join("cmdline"))
        .map(|b| {
            b.split(|c| *c == 0)
                .filter(|p| !p.is_empty())
                .map(|p| String::from_utf8_lossy(p).into_owned())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default();
    Some(Candidate { pid, cmdline })
}

/// Every local process named exactly `prometheus`.
pub fn find_prometheus() -> Vec<Candidate> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    let mut found: Vec<Candidate> = entries
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
        .filter_map(is_prometheus)
        .collect();
    found.sort_by_key(|c| c.pid);
    found
}

/// The PID in a PID file.
pub fn read_pid_file(path: &Path) -> Result<i32, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read PID file {}: {e}", path.display()))?;
    text.trim()
        .parse::<i32>()
        .ok()
        .filter(|p| *p > 0)
        .ok_or_else(|| {
            format!(
                "PID file {} does not hold a PID: {:?}",
                path.display(),
                text.trim()
            )
        })
}

pub fn send_sighup(pid: i32) -> Result<(), String> {
    use nix::sys::signal::{Signal, kill};
    use nix::unistd::Pid;
    kill(Pid::from_raw(pid), Signal::SIGHUP)
        .map_err(|e| format!("cannot send SIGHUP to PID {pid}: {e}"))
}
