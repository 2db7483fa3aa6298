//! gen-dashboards `--preview`: every panel drawn as terminal charts.

use crate::dashboards::Preview;
use crate::promapi::query::Window;

use super::chart;

/// Charts per query in a preview; the rest are counted.
const MAX_SERIES: usize = 6;

/// Each dashboard's panels, a chart per series (at most `MAX_SERIES` per
/// query), `width` columns wide.
pub(crate) fn print_preview(previews: &[Preview], window: Window, width: usize) {
    for d in previews {
        crate::outln!("━━ {} ━━", d.title);
        for panel in &d.panels {
            crate::outln!("▌ {}", panel.title);
            for q in &panel.queries {
                let series = &q.result.series;
                if series.is_empty() {
                    crate::outln!("  (no data) {}", q.query);
                }
                let shown = &series[..series.len().min(MAX_SERIES)];
                let axis = chart::Axis::shared(shown, chart::Unit::of_query(&q.query));
                for s in shown {
                    crate::out!(
                        "{}",
                        chart::draw(&chart::legend(Some(q.legend), s), s, window, width, axis)
                    );
                }
                if series.len() > MAX_SERIES {
                    crate::outln!(
                        "  … and {} more series (gpucharts-mon query --range shows them all)",
                        series.len() - MAX_SERIES
                    );
                }
            }
        }
    }
}
