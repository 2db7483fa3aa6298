//! Series drawn as Unicode charts in the terminal: one small block chart per
//! series, as wide as the terminal, with its range and last value — enough
//! to see that a query returns data and how it moves, without Grafana.

use std::fmt::Write;

use crate::promapi::query::{Series, Window};
use crate::text::terminal_safe;

/// Eighths of a cell, bottom up.
const BLOCKS: [char; 9] = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// Rows per chart.
pub(crate) const HEIGHT: usize = 4;

/// The widest terminal drawn for: `COLUMNS=200000000` must not become
/// gigabytes of chart.
pub(crate) const MAX_WIDTH: usize = 1000;

/// The terminal's width: stdout's, else `COLUMNS`, else 80; 40 to
/// [`MAX_WIDTH`].
pub(crate) fn terminal_width() -> usize {
    terminal_size::terminal_size_of(std::io::stdout())
        .map(|(w, _)| usize::from(w.0))
        .or_else(|| std::env::var("COLUMNS").ok()?.parse().ok())
        .unwrap_or(80)
        .clamp(40, MAX_WIDTH)
}

/// What a query's values measure, read from its metric names as the
/// Prometheus naming conventions spell units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    Plain,
    Seconds,
    Bytes,
    /// A fraction, shown as a percentage.
    Ratio,
}

impl Unit {
    /// The unit of a metric name: `_seconds` (also `_seconds_bucket`,
    /// `_sum`, …), `_bytes`, or `ratio` (`…:ratio_rate5m`).
    pub(crate) fn of_name(name: &str) -> Unit {
        let words: Vec<&str> = name.split(['_', ':']).collect();
        if words.contains(&"seconds") {
            Unit::Seconds
        } else if words.contains(&"bytes") {
            Unit::Bytes
        } else if words
            .iter()
            .any(|w| *w == "ratio" || w.starts_with("ratio"))
        {
            Unit::Ratio
        } else {
            Unit::Plain
        }
    }

    /// The unit of the first metric name in `promql` that has one.
    pub(crate) fn of_query(promql: &str) -> Unit {
        promql
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
            .map(Unit::of_name)
            .find(|u| *u != Unit::Plain)
            .unwrap_or(Unit::Plain)
    }
}

/// The y axis a query's charts share: its unit, and one range over every
/// series, so equal values are equal heights (a flat 0 and a flat 1 sit
/// apart) as in one Grafana panel.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Axis {
    pub unit: Unit,
    pub range: Option<(f64, f64)>,
}

impl Axis {
    pub fn shared(series: &[Series], unit: Unit) -> Axis {
        let values = series
            .iter()
            .flat_map(|s| &s.samples)
            .filter_map(|(_, v)| v.parse::<f64>().ok())
            .filter(|v| v.is_finite());
        let range = values.fold(None, |acc: Option<(f64, f64)>, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        });
        Axis { unit, range }
    }
}

/// A number in at most 8 characters, in `unit`.
fn short(v: f64, unit: Unit) -> String {
    let a = v.abs();
    match unit {
        Unit::Plain => {}
        _ if v == 0.0 => return "0".into(),
        Unit::Seconds if a < 1e-3 => return format!("{:.0}µs", v * 1e6),
        Unit::Seconds if a < 1.0 => return format!("{:.1}ms", v * 1e3),
        Unit::Seconds if a < 60.0 => return format!("{v:.2}s"),
        Unit::Seconds if a < 3600.0 => return format!("{:.1}min", v / 60.0),
        Unit::Seconds => return format!("{:.1}h", v / 3600.0),
        Unit::Bytes if a < 1024.0 => return format!("{v:.0}B"),
        Unit::Bytes if a < 1024.0 * 1024.0 => return format!("{:.1}KiB", v / 1024.0),
        Unit::Bytes if a < 1024.0 * 1024.0 * 1024.0 => {
            return format!("{:.1}MiB", v / 1024.0 / 1024.0);
        }
        Unit::Bytes => return format!("{:.1}GiB", v / 1024.0 / 1024.0 / 1024.0),
        Unit::Ratio if a < 0.001 => return format!("{:.3}%", v * 100.0),
        Unit::Ratio => return format!("{:.1}%", v * 100.0),
    }
    if v == 0.0 {
        "0".into()
    } else if !(1e-3..1e6).contains(&a) {
        format!("{v:.2e}")
    } else if a >= 100.0 {
        format!("{v:.0}")
    } else if a >= 1.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.4}")
    }
}

/// `text` cut to `width` characters, ending in `…` when cut.
fn fit(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut out: String = text.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Clock time (UTC) of a Unix timestamp, `HH:MM:SS`.
fn clock(ts: f64) -> String {
    let s = ts.rem_euclid(86_400.0) as u64;
    format!("{:02}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60)
}

/// Columns of the series over `[start, end]`: the last finite value falling
/// in each column; a value holds for the columns up to its step's end, and
/// the rest (gaps, NaN, infinities) are `None`.
fn columns(
    samples: &[(f64, String)],
    start: f64,
    end: f64,
    step: f64,
    width: usize,
) -> Vec<Option<f64>> {
    let mut cols = vec![None; width];
    let span = (end - start).max(f64::MIN_POSITIVE);
    for (ts, text) in samples {
        let Ok(v) = text.parse::<f64>() else {
            continue;
        };
        if !v.is_finite() {
            continue;
        }
        let pos = ((ts - start) / span * (width as f64 - 1.0)).round();
        if pos >= 0.0 && pos < width as f64 {
            cols[pos as usize] = Some(v);
        }
    }
    let per_step = (step / span * (width as f64 - 1.0)).ceil() as usize;
    let mut held: Option<(f64, usize)> = None;
    for c in &mut cols {
        match (*c, held) {
            (Some(v), _) => held = Some((v, 1)),
            (None, Some((v, n))) if n < per_step => {
                *c = Some(v);
                held = Some((v, n + 1));
            }
            _ => held = None,
        }
    }
    cols
}

/// One series' chart over `window`: a title line with its own min, max
/// and last, `HEIGHT` rows of blocks on `axis` (its range on the left),
/// and the time axis.
pub(crate) fn draw(
    title: &str,
    series: &Series,
    window: Window,
    width: usize,
    axis: Axis,
) -> String {
    const GUTTER: usize = 10;
    let Window { start, end, step } = window;
    let plot = width.saturating_sub(GUTTER + 1).max(10);
    let cols = columns(&series.samples, start, end, step, plot);
    let values: Vec<f64> = cols.iter().flatten().copied().collect();
    let mut out = String::new();
    let title = terminal_safe(title);
    let Some(last) = values.last() else {
        let _ = writeln!(
            out,
            "{}  (no samples in range)",
            fit(&title, width.saturating_sub(22))
        );
        return out;
    };
    let unit = axis.unit;
    let own_lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let own_hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let stats = format!(
        "  min {}  max {}  last {}",
        short(own_lo, unit),
        short(own_hi, unit),
        short(*last, unit)
    );
    let (lo, hi) = axis
        .range
        .map_or((own_lo, own_hi), |(l, h)| (l.min(own_lo), h.max(own_hi)));
    let _ = writeln!(
        out,
        "{}{stats}",
        fit(&title, width.saturating_sub(stats.chars().count()))
    );
    // A flat series sits on the bottom row, at least one eighth high.
    let levels = (HEIGHT * 8) as f64;
    let height_of = |v: f64| -> usize {
        if hi > lo {
            (((v - lo) / (hi - lo)) * (levels - 1.0)).round() as usize + 1
        } else {
            1
        }
    };
    for row in (0..HEIGHT).rev() {
        let label = match row {
            r if r == HEIGHT - 1 => short(hi, unit),
            0 => short(lo, unit),
            _ => String::new(),
        };
        let _ = write!(out, "{label:>9} ┤");
        for c in &cols {
            let ch = match c {
                None => ' ',
                Some(v) => {
                    let h = height_of(*v);
                    let filled = h.saturating_sub(row * 8).min(8);
                    BLOCKS[filled]
                }
            };
            out.push(ch);
        }
        out.push('\n');
    }
    let _ = writeln!(out, "{:>9} └{}", "", "─".repeat(plot));
    let (a, b) = (clock(start), clock(end));
    let gap = plot.saturating_sub(a.len() + b.len() + 4);
    let _ = writeln!(out, "{:>10} {a}{}{b} UTC", "", " ".repeat(gap));
    out
}

/// A legend in Grafana's `{{label}}` form filled from the series' labels;
/// without a legend, the labels as PromQL writes them.
pub(crate) fn legend(format: Option<&str>, series: &Series) -> String {
    match format {
        Some(f) if !f.is_empty() => {
            let mut out = f.to_string();
            for (k, v) in &series.labels {
                out = out.replace(&format!("{{{{{k}}}}}"), v);
            }
            out
        }
        _ => {
            let name = series.labels.get("__name__").map_or("", String::as_str);
            let labels: Vec<String> = series
                .labels
                .iter()
                .filter(|(k, _)| *k != "__name__")
                .map(|(k, v)| format!("{k}=\"{v}\""))
                .collect();
            format!("{name}{{{}}}", labels.join(", "))
        }
    }
}

/// Titles for several series: the labels all of them share, written once,
/// and for each series the labels that tell it apart.
pub(crate) fn split_common(series: &[Series]) -> (String, Vec<String>) {
    let common: Vec<(&String, &String)> = match series {
        [] | [_] => vec![],
        [first, rest @ ..] => first
            .labels
            .iter()
            .filter(|(k, v)| rest.iter().all(|s| s.labels.get(k) == Some(v)))
            .collect(),
    };
    let strip = |s: &Series| Series {
        labels: s
            .labels
            .iter()
            .filter(|(k, _)| !common.iter().any(|(ck, _)| ck == k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        samples: vec![],
    };
    let shared = Series {
        labels: common
            .iter()
            .map(|(k, v)| ((*k).clone(), (*v).clone()))
            .collect(),
        samples: vec![],
    };
    let header = if common.is_empty() {
        String::new()
    } else {
        legend(None, &shared)
    };
    (
        header,
        series.iter().map(|s| legend(None, &strip(s))).collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(values: &[f64]) -> Series {
        Series {
            labels: [("job".to_string(), "a".to_string())].into_iter().collect(),
            samples: values
                .iter()
                .enumerate()
                .map(|(i, v)| (i as f64, v.to_string()))
                .collect(),
        }
    }

    #[test]
    fn draws_rising_series_bottom_to_top() {
        let s = series(&[0.0, 1.0, 2.0, 3.0]);
        let w = Window {
            start: 0.0,
            end: 3.0,
            step: 1.0,
        };
        let text = draw(
            "t",
            &s,
            w,
            51,
            Axis::shared(std::slice::from_ref(&s), Unit::Plain),
        );
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 1 + HEIGHT + 2, "{text}");
        assert!(
            lines[0].contains("min 0") && lines[0].contains("max 3.00"),
            "{text}"
        );
        // The top row is empty at the start and full at the end.
        let top: Vec<char> = lines[1].chars().collect();
        assert_eq!(*top.last().unwrap(), '█', "{text}");
        let bottom_first = lines[HEIGHT].chars().nth(11).unwrap();
        assert_eq!(bottom_first, '▁', "{text}");
        // Every line fits the width.
        assert!(lines.iter().all(|l| l.chars().count() <= 51), "{text}");
    }

    #[test]
    fn gaps_and_odd_values() {
        let mut s = series(&[1.0, f64::NAN, 1.0]);
        s.samples.push((2.5, "+Inf".into()));
        let w = Window {
            start: 0.0,
            end: 10.0,
            step: 1.0,
        };
        let text = draw(
            "flat",
            &s,
            w,
            60,
            Axis::shared(std::slice::from_ref(&s), Unit::Plain),
        );
        assert!(text.contains("min 1.00  max 1.00"), "{text}");
        // The NaN at t=1 leaves a gap; 1.0 holds for its own step only.
        let bottom: Vec<char> = text.lines().nth(HEIGHT).unwrap().chars().skip(11).collect();
        assert_eq!(bottom[0], '▁', "{text}");
        assert!(bottom[6..10].iter().all(|c| *c == ' '), "{text}");
        let empty = draw("none", &series(&[]), w, 60, Axis::shared(&[], Unit::Plain));
        assert!(empty.contains("no samples"), "{empty}");
    }

    /// Two flat series of one query sit at their own levels on the shared
    /// axis: a constant 0 on the bottom row, a constant 1 on the top.
    #[test]
    fn flat_series_at_distinct_levels() {
        let (zero, one) = (series(&[0.0, 0.0, 0.0]), series(&[1.0, 1.0, 1.0]));
        let w = Window {
            start: 0.0,
            end: 2.0,
            step: 1.0,
        };
        let axis = Axis::shared(&[zero.clone(), one.clone()], Unit::Plain);
        let top_row = |text: &str| text.lines().nth(1).unwrap().chars().nth(11).unwrap();
        let (a, b) = (draw("0", &zero, w, 60, axis), draw("1", &one, w, 60, axis));
        assert_eq!(top_row(&a), ' ', "{a}");
        assert_eq!(top_row(&b), '█', "{b}");
        assert_ne!(
            a.lines().skip(1).collect::<Vec<_>>(),
            b.lines().skip(1).collect::<Vec<_>>()
        );
    }

    #[test]
    fn units_from_metric_names() {
        assert_eq!(
            Unit::of_query(
                "histogram_quantile(0.99, sum by (le) (rate(gpu_charts_websocket_latency_seconds_bucket[5m])))"
            ),
            Unit::Seconds
        );
        assert_eq!(Unit::of_query("process_resident_memory_bytes"), Unit::Bytes);
        assert_eq!(
            Unit::of_query(
                "job_instance:gpu_charts_server_http_requests_5xx_per_request:ratio_rate5m"
            ),
            Unit::Ratio
        );
        assert_eq!(
            Unit::of_query("rate(gpu_charts_exchange_messages_total[5m])"),
            Unit::Plain
        );
        assert_eq!(short(4.07e-4, Unit::Seconds), "407µs");
        assert_eq!(short(0.25, Unit::Seconds), "250.0ms");
        assert_eq!(short(3.0 * 1024.0 * 1024.0, Unit::Bytes), "3.0MiB");
        assert_eq!(short(0.0407, Unit::Ratio), "4.1%");
        assert_eq!(short(4.07e-4, Unit::Plain), "4.07e-4");
    }

    #[test]
    fn common_labels_once() {
        let mut a = series(&[1.0]);
        a.labels.insert("instance".into(), "x".into());
        let mut b = series(&[1.0]);
        b.labels.insert("instance".into(), "y".into());
        let (common, each) = split_common(&[a.clone(), b]);
        assert_eq!(common, "{job=\"a\"}");
        assert_eq!(each, ["{instance=\"x\"}", "{instance=\"y\"}"]);
        assert_eq!(split_common(&[a]).0, "");
    }

    #[test]
    fn legends() {
        let s = series(&[1.0]);
        assert_eq!(legend(Some("{{job}} p{{quantile}}"), &s), "a p{{quantile}}");
        assert_eq!(legend(None, &s), "{job=\"a\"}");
    }
}
