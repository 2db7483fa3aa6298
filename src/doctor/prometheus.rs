//! The running Prometheus's view of the target: its job, health, last error, and the rule that dropped it.

use super::*;

/// Prometheus' view: the target's health, or why it is not scraped; false
/// when Prometheus could not be asked.
pub(super) async fn prometheus_steps(
    e: &Endpoint,
    prom: &PromClient,
    job: Option<&str>,
    steps: &mut Vec<DoctorStep>,
) -> bool {
    let url = e.metrics_url.to_string();
    let targets = match prom.targets(None, None).await {
        Ok(t) => t,
        Err(err) => {
            steps.push(
                DoctorStep::new(
                    "prometheus",
                    CheckVerdict::Fail,
                    format!("cannot ask Prometheus: {err}"),
                )
                .fix("check --prometheus / PROMETHEUS_URL"),
            );
            return false;
        }
    };
    let same = |t: &&crate::promapi::types::ActiveTarget| same_endpoint(&t.scrape_url, &url);
    let of_job = |t: &&crate::promapi::types::ActiveTarget| {
        job.is_none_or(|j| t.labels.get("job").map(String::as_str) == Some(j))
    };
    let found = targets
        .active_targets
        .iter()
        .find(|t| same(t) && of_job(t))
        .or_else(|| targets.active_targets.iter().find(same));
    if let Some(t) = found {
        let job_name = t.labels.get("job").cloned().unwrap_or_default();
        steps.push(match t.health.as_str() {
            "up" => DoctorStep::new(
                "prometheus",
                CheckVerdict::Pass,
                format!(
                    "scraped as job {job_name}, up, last scrape took {}",
                    crate::text::human::seconds(t.last_scrape_duration)
                ),
            ),
            "down" => DoctorStep::new(
                "prometheus",
                CheckVerdict::Fail,
                format!("scraped as job {job_name} but down: {}", t.last_error),
            )
            .fix("Prometheus cannot scrape what this host can: check the firewall on the path from the Prometheus host"),
            _ => DoctorStep::new("prometheus", CheckVerdict::Warn, format!("job {job_name}: not scraped yet"))
                .fix("wait one scrape interval"),
        });
        if let Some(step) = shadowing_step(prom, t).await {
            steps.push(step);
        }
    } else {
        steps.push(absent_target(e, prom, job, &targets).await);
    }
    alerting_steps(prom, steps).await;
    true
}

/// Why Prometheus does not scrape the endpoint: dropped by relabelling, the
/// job missing from the running config, or no such target in the job.
pub(super) async fn absent_target(
    e: &Endpoint,
    prom: &PromClient,
    job: Option<&str>,
    targets: &crate::promapi::types::TargetsData,
) -> DoctorStep {
    let address = format!(
        "{}:{}",
        e.metrics_url.host_str().unwrap_or_default(),
        e.metrics_url.port_or_known_default().unwrap_or(80)
    );
    let running: Option<crate::promconfig::PrometheusConfig> = match prom.config().await {
        Ok(c) => crate::yaml::from_str(&c.yaml).ok(),
        Err(_) => None,
    };
    if let Some(d) = targets
        .dropped_targets
        .iter()
        .find(|d| d.discovered_labels.get("__address__") == Some(&address))
    {
        let labels: Vec<String> = d
            .discovered_labels
            .iter()
            .filter(|(k, _)| !k.starts_with("__meta_"))
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        let rule = dropping_rule(running.as_ref(), &d.discovered_labels);
        return DoctorStep::new(
            "prometheus",
            CheckVerdict::Fail,
            format!(
                "the target was dropped by relabelling{rule} (discovered labels: {})",
                labels.join(", ")
            ),
        )
        .fix("check the job's relabel_configs (gpucharts-mon relabel --config-file … --job … shows every step)");
    }
    let running_jobs: Vec<String> = running
        .map(|cfg| cfg.scrape_configs.into_iter().map(|j| j.job_name).collect())
        .unwrap_or_default();
    match job {
        Some(job) if !running_jobs.iter().any(|j| j == job) => DoctorStep::new(
            "prometheus",
            CheckVerdict::Fail,
            format!(
                "job {job} is not in the running config (running jobs: {})",
                if running_jobs.is_empty() {
                    "none".to_string()
                } else {
                    running_jobs.join(", ")
                }
            ),
        )
        .fix("regenerate the config (gpucharts-mon gen-config -o … --force) and apply it: gpucharts-mon reload"),
        Some(job) => {
            let discovered = targets
                .active_targets
                .iter()
                .filter(|t| t.labels.get("job").map(String::as_str) == Some(job))
                .count()
                + targets
                    .dropped_targets
                    .iter()
                    .filter(|d| d.discovered_labels.get("job").map(String::as_str) == Some(job))
                    .count();
            if discovered == 0 {
                DoctorStep::new(
                    "prometheus",
                    CheckVerdict::Fail,
                    format!("job {job} is running but its service discovery produces no target at all"),
                )
                .fix("check the job's discovery (static targets, file_sd files, Kubernetes or Docker access)")
            } else {
                DoctorStep::new(
                    "prometheus",
                    CheckVerdict::Fail,
                    format!("job {job} is running with {discovered} target(s), but not {address}"),
                )
                .fix("add the address to the job (inventory instances), regenerate and gpucharts-mon reload")
            }
        }
        // "My metrics do not appear": the endpoint may serve fine, but what
        // Prometheus does not scrape is not monitored.
        None => DoctorStep::new(
            "prometheus",
            CheckVerdict::Fail,
            format!("Prometheus does not scrape {address}: its metrics never reach Prometheus"),
        )
        .fix("add it to the inventory (services.<logger|server>.instances), regenerate the config (gpucharts-mon gen-config -o … --force) and apply it: gpucharts-mon reload"),
    }
}

/// Which rule of the running config dropped these discovered labels, by
/// the relabel engine (Prometheus 2.x semantics for 2.x servers is close
/// enough to name the rule): ` by rule N (description)`, or nothing.
pub(super) fn dropping_rule(
    running: Option<&crate::promconfig::PrometheusConfig>,
    discovered: &std::collections::BTreeMap<String, String>,
) -> String {
    use crate::promconfig::relabel::{compile_all, describe, trace};
    use crate::version::PromVersion;
    let Some(config) = running else {
        return String::new();
    };
    let Some(job) = discovered
        .get("job")
        .and_then(|j| config.scrape_configs.iter().find(|s| &s.job_name == j))
    else {
        return String::new();
    };
    let Ok(rules) = compile_all(job, PromVersion::V2) else {
        return String::new();
    };
    let (interval, timeout) = config.job_timing(job);
    let t = trace(
        job,
        &rules,
        discovered,
        &interval.to_string(),
        &timeout.to_string(),
        PromVersion::V2,
        false,
    );
    t.dropped_by.map_or_else(String::new, |i| {
        format!(" by rule {i} ({})", describe(&job.relabel_configs[i]))
    })
}
