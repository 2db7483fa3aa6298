//! The config-file step: can the Prometheus process's user read the file it runs.

use super::*;

/// The config file on disk against the running config: changed since the
/// last reload (→ reload), different from what runs, or unreadable by the
/// user Prometheus runs as (the mode problem).
pub(super) async fn config_file_step(prom: &PromClient, file: &std::path::Path) -> DoctorStep {
    use std::os::unix::fs::MetadataExt;
    let shown = file.display();
    let meta = match std::fs::metadata(file) {
        Ok(m) => m,
        Err(e) => {
            return DoctorStep::new("config-file", CheckVerdict::Fail, format!("{shown}: {e}"))
                .fix("fix prometheus.config_file in the inventory");
        }
    };
    // Judged for the user the running Prometheus has (root reads
    // anything), else for the `prometheus` account.
    let reader = prometheus_process(prom.base_url())
        .map(|(pid, c)| {
            (
                format!("uid {}, the user Prometheus (PID {pid}) runs as", c.uid),
                c,
            )
        })
        .or_else(|| passwd_user("prometheus").map(|c| ("the prometheus user".to_string(), c)));
    if let Some((who, cred)) = reader
        && !cred.can_read(meta.mode(), meta.uid(), meta.gid())
    {
        return DoctorStep::new(
            "config-file",
            CheckVerdict::Fail,
            format!(
                "{shown} (mode {:04o}, owner {}:{}) cannot be read by {who}",
                meta.mode() & 0o7777,
                meta.uid(),
                meta.gid()
            ),
        )
        .fix(format!(
            "chmod 0644 {shown} (gpucharts-mon writes 0666 & ~umask and keeps the mode on --force)"
        ));
    }
    let state = prom.reload_state().await.ok();
    let modified = meta.modified().ok().and_then(|t| {
        t.duration_since(std::time::UNIX_EPOCH)
            .ok()
            .map(|d| d.as_secs_f64())
    });
    if let (Some(m), Some(loaded)) = (modified, state.as_ref().and_then(|s| s.last_config_time))
        && m > loaded + 1.0
    {
        return DoctorStep::new(
            "config-file",
            CheckVerdict::Fail,
            format!("{shown} changed after Prometheus last loaded its config"),
        )
        .fix("gpucharts-mon reload");
    }
    let differs = match (
        crate::input::read_text(crate::input::Purpose::Config, file),
        prom.config().await,
    ) {
        (Ok(text), Ok(running)) => {
            let parse = |t: &str| crate::yaml::from_str::<crate::yaml::Value>(t).ok();
            match (parse(&text), parse(&running.yaml)) {
                (Some(f), Some(r)) => crate::promconfig::compare::differences(&f, &r),
                _ => Vec::new(),
            }
        }
        _ => Vec::new(),
    };
    if differs.is_empty() {
        DoctorStep::new(
            "config-file",
            CheckVerdict::Pass,
            format!("Prometheus runs {shown}"),
        )
    } else {
        DoctorStep::new(
            "config-file",
            CheckVerdict::Warn,
            format!(
                "Prometheus runs a different config than {shown} (differs at {})",
                differs
                    .iter()
                    .take(3)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
        .fix("gpucharts-mon reload, or check Prometheus' --config.file")
    }
}

/// The uid of a local user, from /etc/passwd.
/// The account `name` from /etc/passwd: its user and primary group.
pub(super) fn passwd_user(name: &str) -> Option<Credentials> {
    let passwd = crate::input::read_text(crate::input::Purpose::Config, "/etc/passwd").ok()?;
    passwd.lines().find_map(|line| {
        let fields: Vec<&str> = line.split(':').collect();
        (fields.first() == Some(&name)).then(|| {
            Some(Credentials {
                uid: fields.get(2)?.parse().ok()?,
                gid: fields.get(3)?.parse().ok()?,
                groups: Vec::new(),
            })
        })?
    })
}

/// The local process serving the Prometheus at `url`, and who it runs as.
pub(super) fn prometheus_process(url: &reqwest::Url) -> Option<(i32, Credentials)> {
    let port = url.port_or_known_default()?;
    let ip: std::net::IpAddr = match url.host_str()?.trim_matches(['[', ']']) {
        "localhost" => std::net::Ipv4Addr::LOCALHOST.into(),
        literal => literal.parse().ok()?,
    };
    let (found, _) = crate::process::find_prometheus();
    found
        .into_iter()
        .find(|c| c.serves(SocketAddr::new(ip, port)))
        .and_then(|c| Some((c.pid, c.credentials?)))
}
