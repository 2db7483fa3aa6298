//! `gpucharts-mon gen-dashboards`: Grafana dashboards and their provisioning
//! file, or (`--preview`) every panel drawn from a running Prometheus.

use std::process::ExitCode;

use crate::Ctx;
use crate::cli::GenDashboardsArgs;
use crate::context::{prometheus_client, range_window};
use crate::dashboards::{self, Dashboard, Preview, Which};
use crate::error;
use crate::output::chart::terminal_width;
use crate::output::dashboards::print_preview;
use crate::output::files::write_dir;

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

/// Every panel's queries, as Grafana would send them with "All" selected,
/// drawn as terminal charts. Exit 1 when a query returns nothing.
async fn preview(
    args: &GenDashboardsArgs,
    ctx: &Ctx,
    boards: &[Dashboard],
) -> anyhow::Result<ExitCode> {
    let prom = prometheus_client(&args.prometheus, ctx)?;
    let width = terminal_width();
    let window = range_window(args.range, None, width)?;
    let previews = dashboards::preview(&prom, boards, window)
        .await
        .map_err(error::domain)?;
    print_preview(&previews, window, width);
    let empty = Preview::empty_panels(&previews);
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
