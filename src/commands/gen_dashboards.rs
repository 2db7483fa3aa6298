//! `gpucharts-mon gen-dashboards`: Grafana dashboards and their provisioning
//! file, or (`--preview`) every panel drawn from a running Prometheus.

use std::process::ExitCode;

use crate::Ctx;
use crate::cli::GenDashboardsArgs;
use crate::context::prometheus_client;
use crate::dashboards::{self, Dashboard, Which};
use crate::error;
use crate::output::chart;
use crate::output::files::write_dir;
use crate::promapi::query::{Window, range};

pub async fn run(args: &GenDashboardsArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let which: Vec<Which> = if args.dashboards.is_empty() {
        Which::ALL.to_vec()
    } else {
        let mut w = args.dashboards.clone();
        w.dedup();
        w
    };
    let boards: Vec<Dashboard> = which
        .iter()
        .map(|w| dashboards::build(*w, &ctx.inventory))
        .collect();
    if args.preview {
        return preview(args, ctx, &boards).await;
    }
    match &args.output {
        None => {
            let [one] = boards.as_slice() else {
                return Err(error::usage(
                    "give -o DIR to write every dashboard and dashboards.yml, or one --dashboard NAME to print it",
                ));
            };
            crate::out!("{}", dashboards::to_text(one)?);
        }
        Some(dir) => {
            let mut files = Vec::new();
            for d in &boards {
                files.push((d.which.file_name(), dashboards::to_text(d)?));
            }
            files.push((
                dashboards::PROVISIONING_FILE.to_string(),
                dashboards::provisioning(&args.grafana_path),
            ));
            write_dir(dir, &files, args.write.force, args.write.diff).map_err(error::domain)?;
            if !args.write.diff {
                let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
                eprintln!("wrote {} into {}", names.join(", "), dir.display());
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Charts per query in a preview; the rest are counted.
const MAX_SERIES: usize = 6;

/// Every panel's queries, as Grafana would send them with "All" selected,
/// drawn as terminal charts. Exit 1 when a query returns nothing.
async fn preview(
    args: &GenDashboardsArgs,
    ctx: &Ctx,
    boards: &[Dashboard],
) -> anyhow::Result<ExitCode> {
    let prom = prometheus_client(&args.prometheus, ctx)?;
    let width = chart::terminal_width();
    let window = Window::last(
        args.range.as_millis() as f64 / 1000.0,
        None,
        width.saturating_sub(11),
    );
    // Grafana's $__rate_interval is at least four scrape intervals.
    let rate_interval = format!("{}s", (window.step * 4.0).max(60.0) as u64);
    let mut empty = Vec::new();
    for d in boards {
        crate::outln!("━━ {} ━━", d.which.title());
        for panel in &d.panels {
            crate::outln!("▌ {}", panel.title);
            for (expr, legend) in &panel.queries {
                let q = dashboards::substitute(expr, &d.job_regex, &rate_interval);
                let (_, result) = range(&prom, &q, window).await.map_err(error::domain)?;
                if result.series.is_empty() {
                    crate::outln!("  (no data) {q}");
                    empty.push(format!("{} / {}", d.which.title(), panel.title));
                }
                let shown = &result.series[..result.series.len().min(MAX_SERIES)];
                let axis = chart::Axis::shared(shown, chart::Unit::of_query(&q));
                for s in shown {
                    crate::out!(
                        "{}",
                        chart::draw(&chart::legend(Some(legend), s), s, window, width, axis)
                    );
                }
                if result.series.len() > MAX_SERIES {
                    crate::outln!(
                        "  … and {} more series (gpucharts-mon query --range shows them all)",
                        result.series.len() - MAX_SERIES
                    );
                }
            }
        }
    }
    if empty.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        error::check_failed(format!(
            "{} panel(s) returned no data: {}",
            empty.len(),
            empty.join("; ")
        ));
        Ok(ExitCode::from(error::Kind::Failed.code()))
    }
}
