//! check-targets' reports as tables: one server's targets (with dropped
//! ones and expectations), and the cluster view.

use super::table::{Tone, cell, fit, new_table, status_cell};
use crate::cluster::ClusterReport;
use crate::error;
use crate::targets::health::TargetReport;
use crate::text::human;

/// One server's targets, dropped targets and expectations; problems on stderr.
/// Which Prometheus answered, above the table, for the operator reading it.
pub(crate) fn print_answering(version: &str, url: &str) {
    crate::outln!(
        "Prometheus {} at {url}",
        crate::text::terminal_safe(version)
    );
}

pub(crate) fn print_targets(report: &TargetReport, color: bool) {
    if !report.targets.is_empty() {
        let mut table = new_table(
            &[
                "JOB",
                "INSTANCE",
                "HEALTH",
                "LAST SCRAPE",
                "DURATION",
                "URL",
                "ERROR",
            ],
            color,
        );
        for t in &report.targets {
            let age = t.last_scrape_age_seconds.map_or_else(
                || "never".to_string(),
                |a| format!("{} ago", human::seconds(a)),
            );
            let duration = match (t.timeout_share, &t.scrape_timeout) {
                (Some(share), Some(to)) => format!(
                    "{} ({} of {to})",
                    human::seconds(t.last_scrape_duration_seconds),
                    human::percent(share)
                ),
                _ => human::seconds(t.last_scrape_duration_seconds),
            };
            table.add_row(vec![
                cell(&t.job),
                cell(&t.instance),
                status_cell(
                    &t.health,
                    match t.health.as_str() {
                        "up" => Tone::Good,
                        "down" => Tone::Bad,
                        _ => Tone::Warn,
                    },
                    color,
                ),
                cell(age),
                cell(duration),
                cell(&t.scrape_url),
                cell(&t.last_error),
            ]);
        }
        // Least useful first: the duration, the scrape age.
        crate::outln!("{}", fit(table, &[4, 3]));
    }
    if let Some(dropped) = &report.dropped {
        if dropped.is_empty() {
            crate::outln!("no dropped targets match");
        } else {
            let mut table = new_table(&["DROPPED JOB", "ADDRESS", "DISCOVERED LABELS"], color);
            for d in dropped {
                let labels: Vec<String> = d
                    .discovered_labels
                    .iter()
                    .filter(|(k, _)| k.as_str() != "job" && k.as_str() != "__address__")
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect();
                table.add_row(vec![
                    cell(&d.job),
                    cell(&d.address),
                    cell(labels.join("\n")),
                ]);
            }
            crate::outln!("{}", fit(table, &[]));
        }
    }
    for e in &report.expectations {
        crate::outln!(
            "expect {} >= {}: found {} {}",
            e.job,
            e.min,
            e.found,
            if e.ok { "ok" } else { "FAILED" }
        );
    }
    if let Some(waited) = report.waited_for_startup {
        error::note(format!(
            "Prometheus had only just started: waited {waited:.1}s for its first discovery and scrapes (--wait waits longer)"
        ));
    }
    let s = &report.summary;
    crate::outln!(
        "{} targets: {} up, {} down, {} unknown",
        s.targets,
        s.up,
        s.down,
        s.unknown
    );
    for p in &report.problems {
        error::check_failed(p);
    }
}

/// The cluster view: servers, coverage, replica identity; problems on stderr.
pub(crate) fn print_cluster(report: &ClusterReport, color: bool) {
    let mut t = new_table(&["SERVER", "URL", "ROLE", "ACTIVE", "DISCOVERED"], color);
    for s in &report.servers {
        let role = match &s.group {
            Some(g) => format!("{} of {g}", s.role),
            None => s.role.to_string(),
        };
        t.add_row(vec![
            cell(&s.name),
            cell(crate::redact::url_text(&s.url)),
            cell(role),
            cell(s.active.to_string()),
            cell(s.discovered.to_string()),
        ]);
    }
    crate::outln!("{}", fit(t, &[4, 3]));
    if let Some(c) = &report.coverage {
        let per: Vec<String> = c
            .per_shard
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect();
        crate::outln!(
            "coverage: {} targets discovered, {} gaps, {} overlaps; per shard: {}; skew {}",
            c.targets,
            c.gaps.len(),
            c.overlaps.len(),
            per.join(", "),
            c.skew.map_or_else(
                || "∞ (a shard scrapes nothing)".to_string(),
                |s| format!("{s:.2}")
            )
        );
    }
    for r in &report.replicas {
        crate::outln!(
            "replicas of {} ({}): {}",
            r.group,
            r.members.join(", "),
            if r.same_targets && r.same_external_labels {
                "identical"
            } else {
                "DIFFER"
            }
        );
    }
    for p in &report.problems {
        error::check_failed(p);
    }
    if report.ok {
        crate::outln!("cluster ok");
    }
}
