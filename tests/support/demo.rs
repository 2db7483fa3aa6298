//! `gpucharts-mon serve-demo` as a child process, killed by PID on drop.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Demo(Child);

impl Drop for Demo {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// serve-demo on loopback `logger` and `server` ports, once both listen.
pub fn serve_demo(logger: u16, server: u16) -> Demo {
    let child = Command::new(assert_cmd::cargo::cargo_bin("gpucharts-mon"))
        .args(["serve-demo", "--logger-port", &logger.to_string()])
        .args(["--server-port", &server.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let demo = Demo(child);
    let start = Instant::now();
    for port in [logger, server] {
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "serve-demo did not listen"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    demo
}
