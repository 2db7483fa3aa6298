//! gen-config's `--explain`: each job's rules, and what they do to the
//! example targets of its discovery mode.

use crate::promconfig::explain::JobExample;
use crate::promconfig::relabel::describe;

pub fn explain(jobs: &[JobExample<'_>]) -> String {
    let mut out = String::new();
    for JobExample { job, examples } in jobs {
        out.push_str(&format!("job {}:\n", job.job_name));
        for (i, rule) in job.relabel_configs.iter().enumerate() {
            out.push_str(&format!("  rule {i}: {}\n", describe(rule)));
        }
        let Some(report) = examples else {
            if job.kubernetes_sd_configs.is_empty() && job.docker_sd_configs.is_empty() {
                out.push_str("  static targets, no relabelling: scraped as written\n");
            }
            continue;
        };
        for t in &report.targets {
            let from = t.discovered.get("__address__").cloned().unwrap_or_default();
            let line = match (t.kept, t.dropped_by, &t.error) {
                (true, _, _) => format!(
                    "kept   {from} -> {} {}",
                    t.scrape_url.clone().unwrap_or_default(),
                    t.labels
                        .iter()
                        .filter(|(k, _)| *k != "__address__")
                        .map(|(k, v)| format!("{k}={v}"))
                        .collect::<Vec<_>>()
                        .join(",")
                ),
                (_, Some(i), _) => format!("drop   {from} by rule {i}"),
                (_, _, Some(e)) => format!("error  {from}: {e}"),
                _ => format!("drop   {from}"),
            };
            out.push_str(&format!("  {line}\n"));
        }
    }
    out
}
