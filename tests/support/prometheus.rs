//! The real-Prometheus harness: starts a real Prometheus (Debian stable's
//! `/usr/bin/prometheus`, 2.42, or Debian testing's 3.x that `.ci/run`
//! fetches) on a free loopback port with a temporary config and data
//! directory, waits for `/-/ready`, and kills it by PID when dropped (also
//! when a test panics).

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::http::{closed_port, get_with};

/// The Prometheus versions the suite proves against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// Debian stable's package on PATH (2.42).
    Stable,
    /// Debian testing's 3.x (the 3.5 LTS line), fetched by
    /// `.ci/debian-testing.sh` into `GPUCHARTS_MON_PROM3_BIN`.
    Three,
}

impl Version {
    pub const ALL: [Version; 2] = [Version::Stable, Version::Three];

    /// The version every test that does not name one runs against:
    /// `.ci/run` runs the suite once with each (GPUCHARTS_MON_SUITE_VERSION=3
    /// and 3.x first on PATH, so promtool and amtool are 3.x's too).
    pub fn suite() -> Version {
        match std::env::var("GPUCHARTS_MON_SUITE_VERSION").as_deref() {
            Ok("3") => Version::Three,
            _ => Version::Stable,
        }
    }

    /// 2 or 3, for `--prometheus-version`.
    pub fn major(self) -> &'static str {
        match self {
            Version::Stable => "2",
            Version::Three => "3",
        }
    }

    /// The folder holding this version's binaries; `None` for PATH.
    /// Debian stable's are in /usr/bin, also when the suite's second pass
    /// puts 3.x first on PATH (`.ci/run`: GPUCHARTS_MON_SUITE_VERSION=3).
    fn dir(self) -> Option<PathBuf> {
        match self {
            Version::Stable => {
                let debian = PathBuf::from("/usr/bin");
                debian.join("prometheus").is_file().then_some(debian)
            }
            Version::Three => Some(std::env::var_os("GPUCHARTS_MON_PROM3_BIN").map_or_else(
                || {
                    let home = std::env::var_os("HOME").unwrap_or_default();
                    PathBuf::from(home).join(".cache/gpucharts-mon/debian-testing/root/usr/bin")
                },
                PathBuf::from,
            )),
        }
    }

    /// This version's `tool` (prometheus, promtool, amtool, …), when present.
    pub fn tool(self, tool: &str, test: &str) -> Option<PathBuf> {
        match self.dir() {
            None => super::have(tool, test).then(|| PathBuf::from(tool)),
            Some(d) => {
                let path = d.join(tool);
                if path.is_file() {
                    Some(path)
                } else {
                    let how = match self {
                        Version::Stable => "apt-get install prometheus",
                        Version::Three => {
                            "bash .ci/debian-testing.sh fetches it; set GPUCHARTS_MON_PROM3_BIN"
                        }
                    };
                    crate::support::skip(&format!("{test}: {} is missing ({how})", path.display()));
                    None
                }
            }
        }
    }

    /// `flags` as this version spells them (3.x: `--agent`).
    fn flags(self, flags: &[&str]) -> Vec<String> {
        flags
            .iter()
            .map(|f| match (self, *f) {
                (Version::Three, "--enable-feature=agent") => "--agent".to_string(),
                _ => f.to_string(),
            })
            .collect()
    }

    /// `prometheus --version`'s first line, e.g. `prometheus, version 3.5.3+ds1 …`.
    pub fn describe(self, test: &str) -> Option<String> {
        let bin = self.tool("prometheus", test)?;
        let out = Command::new(bin).arg("--version").output().ok()?;
        Some(
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .next()
                .unwrap_or_default()
                .to_string(),
        )
    }
}

pub struct Prometheus {
    child: Child,
    /// `Authorization: …\r\n` when the API needs it (basic auth).
    auth_header: String,
    pub url: String,
    pub dir: tempfile::TempDir,
}

impl Prometheus {
    /// Start with `config` (prometheus.yml text) and the lifecycle API on.
    /// `None`, with a visible skip line, when prometheus is not installed.
    pub fn start(config: &str, test: &str) -> Option<Self> {
        Self::start_with(config, true, test)
    }

    pub fn start_with(config: &str, lifecycle: bool, test: &str) -> Option<Self> {
        Self::start_flags(config, lifecycle, &[], test)
    }

    /// Start the suite's version ([`Version::suite`]) with extra
    /// command-line flags (`--enable-feature=agent` runs agent mode, spelled
    /// `--agent` for 3.x, with its own storage flag).
    pub fn start_flags(config: &str, lifecycle: bool, flags: &[&str], test: &str) -> Option<Self> {
        Self::start_version(Version::suite(), config, lifecycle, flags, test)
    }

    /// Start `version` with `config`; `None`, with a visible skip line (a
    /// failure under CI), when that version is not installed.
    pub fn start_version(
        version: Version,
        config: &str,
        lifecycle: bool,
        flags: &[&str],
        test: &str,
    ) -> Option<Self> {
        let program = version.tool("prometheus", test)?;
        let dir = tempfile::tempdir().expect("tempdir");
        let config_path = dir.path().join("prometheus.yml");
        std::fs::write(&config_path, config).expect("write config");
        Some(Self::launch(
            dir,
            &config_path,
            lifecycle,
            None,
            &version.flags(flags),
            &program,
            "",
        ))
    }

    /// Start the suite's version with its API behind basic auth (`user`,
    /// `password`, through `--web.config.file`).
    pub fn start_with_basic_auth(
        config: &str,
        user: &str,
        password: &str,
        test: &str,
    ) -> Option<Self> {
        let version = Version::suite();
        let program = version.tool("prometheus", test)?;
        let dir = tempfile::tempdir().expect("tempdir");
        let config_path = dir.path().join("prometheus.yml");
        std::fs::write(&config_path, config).expect("write config");
        let web = dir.path().join("web.yml");
        let hash = bcrypt::hash(password, 4).expect("bcrypt");
        std::fs::write(&web, format!("basic_auth_users:\n  {user}: '{hash}'\n"))
            .expect("web config");
        let header = format!(
            "Authorization: Basic {}\r\n",
            base64(&format!("{user}:{password}"))
        );
        let flags = [format!("--web.config.file={}", web.display())];
        Some(Self::launch(
            dir,
            &config_path,
            false,
            None,
            &flags,
            &program,
            &header,
        ))
    }

    /// Start as Debian's unprivileged `prometheus` user (via setpriv), as the
    /// package runs it, reading `config_path` (which that user must be able
    /// to read). `None`, with a skip line, without root, setpriv or the user.
    pub fn start_as_prometheus_user(config_path: &std::path::Path, test: &str) -> Option<Self> {
        let version = Version::suite();
        let mut program = version.tool("prometheus", test)?;
        if !super::have("setpriv", test) {
            return None;
        }
        let is_root = Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| o.stdout.trim_ascii() == b"0");
        let has_user = Command::new("id")
            .arg("prometheus")
            .output()
            .is_ok_and(|o| o.status.success());
        if !is_root || !has_user {
            crate::support::skip(&format!(
                "{test}: needs root and the `prometheus` user (apt-get install prometheus)"
            ));
            return None;
        }
        let dir = tempfile::tempdir().expect("tempdir");
        let chown = Command::new("chown")
            .args(["-R", "prometheus:prometheus"])
            .arg(dir.path())
            .status()
            .expect("chown runs");
        assert!(chown.success());
        if version == Version::Three {
            // The cache folder under root's home is not the prometheus
            // user's to read: run a copy from the test's own folder.
            let copy = dir.path().join("prometheus");
            std::fs::copy(&program, &copy).expect("copy prometheus");
            program = copy;
        }
        Some(Self::launch(
            dir,
            config_path,
            true,
            Some("prometheus"),
            &[],
            &program,
            "",
        ))
    }

    fn launch(
        dir: tempfile::TempDir,
        config_path: &std::path::Path,
        lifecycle: bool,
        user: Option<&str>,
        flags: &[String],
        program: &std::path::Path,
        auth_header: &str,
    ) -> Self {
        let log = std::fs::File::create(dir.path().join("prometheus.log")).expect("log");
        let port = closed_port();
        let mut cmd = match user {
            Some(u) => {
                let mut c = Command::new("setpriv");
                c.args([
                    &format!("--reuid={u}"),
                    &format!("--regid={u}"),
                    "--init-groups",
                    "--",
                ]);
                c.arg(program);
                c
            }
            None => Command::new(program),
        };
        let storage = if flags
            .iter()
            .any(|f| f == "--enable-feature=agent" || f == "--agent")
        {
            "--storage.agent.path"
        } else {
            "--storage.tsdb.path"
        };
        cmd.arg(format!("--config.file={}", config_path.display()))
            .arg(format!("{storage}={}", dir.path().join("data").display()))
            .args(flags)
            .arg(format!("--web.listen-address=127.0.0.1:{port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log);
        if lifecycle {
            cmd.arg("--web.enable-lifecycle");
        }
        let child = cmd.spawn().expect("prometheus starts");
        let mut prom = Self {
            child,
            auth_header: auth_header.to_string(),
            url: format!("http://127.0.0.1:{port}"),
            dir,
        };
        assert!(
            prom.wait_ready(Duration::from_secs(30)),
            "prometheus did not become ready; log:\n{}",
            prom.log()
        );
        prom
    }

    fn wait_ready(&mut self, limit: Duration) -> bool {
        let start = Instant::now();
        while start.elapsed() < limit {
            if let Ok(Some(_)) = self.child.try_wait() {
                return false;
            }
            if let Ok((200, _)) = get_with(&format!("{}/-/ready", self.url), &self.auth_header) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        false
    }

    /// The `Authorization` header line its API needs (empty without auth).
    pub fn auth_header(&self) -> &str {
        &self.auth_header
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// The config file Prometheus was started with.
    pub fn config_path(&self) -> std::path::PathBuf {
        self.dir.path().join("prometheus.yml")
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("prometheus.log")).unwrap_or_default()
    }
}

impl Drop for Prometheus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Standard base64 with padding, for a test's Authorization header.
pub fn base64(s: &str) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let b = s.as_bytes();
    let mut out = String::new();
    for chunk in b.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &c)| n | u32::from(c) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(T[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}
