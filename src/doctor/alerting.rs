//! The alerting step: rules loaded and healthy, Alertmanagers discovered.

use super::*;

/// Rule files loaded and healthy; an Alertmanager connected.
pub(super) async fn alerting_steps(prom: &PromClient, steps: &mut Vec<DoctorStep>) {
    steps.push(match prom.rules().await {
        Ok(r) if r.groups.is_empty() => DoctorStep::new(
            "rules",
            CheckVerdict::Warn,
            "no rule groups loaded",
        )
        .fix(
            "gpucharts-mon gen-rules -o alerts.yml, list it under rule_files, gpucharts-mon reload",
        ),
        Ok(r) => {
            let bad: Vec<String> = r
                .groups
                .iter()
                .flat_map(|g| g.rules.iter())
                .filter(|rule| {
                    !rule.health.is_empty() && rule.health != "ok" && rule.health != "unknown"
                })
                .map(|rule| format!("{}: {}", rule.name, rule.last_error))
                .collect();
            if bad.is_empty() {
                DoctorStep::new(
                    "rules",
                    CheckVerdict::Pass,
                    format!("{} rule group(s) loaded", r.groups.len()),
                )
            } else {
                DoctorStep::new(
                    "rules",
                    CheckVerdict::Warn,
                    format!("unhealthy rules: {}", bad.join("; ")),
                )
            }
        }
        Err(err) => DoctorStep::new(
            "rules",
            CheckVerdict::Skip,
            format!("cannot read rules: {err}"),
        ),
    });
    steps.push(match prom.alertmanagers().await {
        Ok(a) if a.active_alertmanagers.is_empty() => DoctorStep::new(
            "alertmanager",
            CheckVerdict::Warn,
            "no Alertmanager connected: alerts go nowhere",
        )
        .fix("gpucharts-mon gen-config --alertmanager HOST:9093 …, then gpucharts-mon reload"),
        Ok(a) => DoctorStep::new(
            "alertmanager",
            CheckVerdict::Pass,
            format!("{} Alertmanager(s) connected", a.active_alertmanagers.len()),
        ),
        Err(err) => DoctorStep::new(
            "alertmanager",
            CheckVerdict::Skip,
            format!("cannot ask: {err}"),
        ),
    });
}
