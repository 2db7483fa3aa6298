//! `gpucharts-mon serve-demo` (and other children) as processes killed by
//! PID on drop, also when a test panics.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::http::closed_port;

/// A child process, killed and reaped when dropped.
pub struct Running(pub Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// serve-demo with `args`, run in `dir` with `env` added, once each of
/// `ports` on loopback accepts connections.
pub fn spawn(dir: &Path, args: &[&str], env: &[(&str, String)], ports: &[u16]) -> Running {
    let child = Command::new(assert_cmd::cargo::cargo_bin("gpucharts-mon"))
        .arg("serve-demo")
        .args(args)
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let running = Running(child);
    let start = Instant::now();
    for port in ports {
        while std::net::TcpStream::connect(("127.0.0.1", *port)).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "serve-demo did not listen on {port}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    running
}

/// serve-demo's logger and server on fresh loopback ports.
pub struct Demo {
    _running: Running,
    pub logger: u16,
    pub server: u16,
}

impl Demo {
    pub fn logger_addr(&self) -> String {
        format!("127.0.0.1:{}", self.logger)
    }

    pub fn server_addr(&self) -> String {
        format!("127.0.0.1:{}", self.server)
    }
}

/// serve-demo on two fresh ports, with `extra` flags (fault switches).
pub fn serve_demo(extra: &[&str]) -> Demo {
    let (logger, server) = (closed_port(), closed_port());
    let (l, s) = (logger.to_string(), server.to_string());
    let mut args = vec!["--logger-port", &l, "--server-port", &s];
    args.extend_from_slice(extra);
    Demo {
        _running: spawn(Path::new("."), &args, &[], &[logger, server]),
        logger,
        server,
    }
}

/// A prometheus.yml from gen-config (run in `dir`) that scrapes `loggers`
/// and `servers` every second, evaluates every second and loads `rules`
/// (absolute), with `extra` gen-config flags.
pub fn fast_config(
    dir: &Path,
    loggers: &[String],
    servers: &[String],
    rules: &Path,
    extra: &[&str],
) -> String {
    let mut cmd = super::mon(dir);
    cmd.args([
        "gen-config",
        "--scrape-interval",
        "1s",
        "--evaluation-interval",
        "1s",
    ]);
    for l in loggers {
        cmd.args(["--logger", l]);
    }
    for s in servers {
        cmd.args(["--server", s]);
    }
    cmd.arg("--rule-file").arg(rules).args(extra);
    let (code, out, err) = super::outcome(&mut cmd);
    assert_eq!(code, 0, "gen-config: {err}");
    out
}
