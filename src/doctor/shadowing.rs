//! The Pushgateway step: the target's families also scraped from a Pushgateway (shadowing).

use super::*;

/// The families of target `t` that a Pushgateway Prometheus scrapes serves
/// too (pushed groups never expire): rules and dashboards then see the
/// pushed series beside, or instead of, the pulled ones. The Pushgateway
/// targets are those whose metadata has `push_time_seconds`.
pub(super) async fn shadowing_step(
    prom: &PromClient,
    t: &crate::promapi::types::ActiveTarget,
) -> Option<DoctorStep> {
    let gateways = prom.targets_with("push_time_seconds").await.ok()?;
    let label = |k: &str| t.labels.get(k).map_or("", String::as_str);
    let own = prom
        .target_families(label("job"), label("instance"))
        .await
        .ok()?;
    for (job, instance) in &gateways {
        let pushed = prom.target_families(job, instance).await.ok()?;
        let both: Vec<&String> = own.intersection(&pushed).collect();
        if !both.is_empty() {
            return Some(
                DoctorStep::new(
                    "pushgateway",
                    CheckVerdict::Warn,
                    format!(
                        "{} of this target's families are also pushed, and scraped from the Pushgateway (job {job}, {instance}): {}; rules and dashboards see the pushed series too",
                        both.len(),
                        both.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
                    ),
                )
                .fix(format!("gpucharts-mon migrate --pushgateway http://{instance} names the groups; --delete-migrated removes the collected ones")),
            );
        }
    }
    None
}
