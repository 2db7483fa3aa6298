//! Tables (comfy-table) and machine output (JSON/YAML), obeying the one
//! colour decision.

use comfy_table::presets::UTF8_BORDERS_ONLY;
use comfy_table::{Cell, Color, ContentArrangement, Row, Table};
use serde::Serialize;

use super::{OutputError, ReportFormat};

pub(crate) fn new_table(headers: &[&str], color: bool) -> Table {
    let mut table = Table::new();
    let mut header: Row = headers.iter().map(cell).collect::<Vec<_>>().into();
    header.max_height(1);
    table
        .load_preset(UTF8_BORDERS_ONLY)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(header);
    if !color {
        table.force_no_tty();
    } else {
        table.enforce_styling();
    }
    table
}

/// The width tables are drawn for: the terminal's (stdout), else
/// `COLUMNS`, else none (a pipe keeps full values).
pub(crate) fn output_width() -> Option<u16> {
    terminal_size::terminal_size_of(std::io::stdout())
        .map(|(w, _)| w.0)
        .or_else(|| std::env::var("COLUMNS").ok()?.trim().parse().ok())
        .filter(|w| *w > 0)
        .map(|w: u16| w.max(20))
}

/// `text` wrapped at word boundaries to `output_width`, continuation
/// lines indented by `indent` spaces; unchanged without a width.
pub(crate) fn wrap(text: &str, indent: usize) -> String {
    wrap_to(text, indent, output_width().map(usize::from))
}

fn wrap_to(text: &str, indent: usize, width: Option<usize>) -> String {
    let Some(width) = width.filter(|w| *w > indent + 10) else {
        return text.to_string();
    };
    let mut out = String::new();
    let mut line = 0;
    for word in text.split(' ') {
        let len = word.chars().count();
        if line > indent && line + 1 + len > width {
            out.push('\n');
            out.push_str(&" ".repeat(indent));
            line = indent;
        } else if !out.is_empty() {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += len;
    }
    out
}

/// The widest line of `table` drawn without a width limit, in characters
/// on screen (colour escapes are not).
fn natural_width(table: &Table) -> usize {
    let mut t = table.clone();
    t.set_content_arrangement(ContentArrangement::Disabled);
    t.lines().map(|l| screen_width(&l)).max().unwrap_or(0)
}

/// The characters of `line` on screen: colour escapes take none.
pub fn screen_width(line: &str) -> usize {
    let mut n = 0;
    let mut escape = false;
    for c in line.chars() {
        match (escape, c) {
            (false, '\u{1b}') => escape = true,
            (true, 'm') => escape = false,
            (true, _) => {}
            (false, _) => n += 1,
        }
    }
    n
}

/// `table` drawn for `output_width`: while it is too wide, the columns
/// in `drop` (least useful first) are left out; then every cell is cut to
/// one line, ending in `…`, and the columns share the width. Without a
/// width the table keeps its full values; `--output-format json` always
/// does.
pub fn fit(mut table: Table, drop: &[usize]) -> String {
    fit_to(&mut table, drop, output_width());
    table.to_string()
}

fn fit_to(table: &mut Table, drop: &[usize], width: Option<u16>) {
    let Some(width) = width else {
        return;
    };
    for &col in drop {
        if natural_width(table) <= usize::from(width) {
            break;
        }
        if let Some(c) = table.column_mut(col) {
            c.set_constraint(comfy_table::ColumnConstraint::Hidden);
        }
    }
    if natural_width(table) > usize::from(width) {
        for row in table.row_iter_mut() {
            row.max_height(1);
        }
        table
            .set_width(width)
            .set_truncation_indicator("…")
            .set_content_arrangement(ContentArrangement::Dynamic);
    }
}

/// The most characters a table cell shows; the full value stays in the
/// JSON and YAML output. Layout is quadratic in a cell's length, and an
/// 8 MiB label value or `lastError` would take seconds to wrap.
pub(crate) const MAX_CELL_CHARS: usize = 512;

/// A table cell holding text that may come from a peer: cut to
/// `MAX_CELL_CHARS` (with `…`) before layout, and escaped for the
/// terminal (see `crate::text::terminal_safe`).
pub fn cell(text: impl std::fmt::Display) -> Cell {
    let text = text.to_string();
    let cut = match text.char_indices().nth(MAX_CELL_CHARS) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text,
    };
    Cell::new(crate::text::terminal_safe(&cut))
}

/// How a status reads, whatever its words: the colour it gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tone {
    /// Green: up, passed, kept.
    Good,
    /// Yellow: a warning, skipped, unknown.
    Warn,
    /// Red: down, failed.
    Bad,
    /// Uncoloured: nothing to judge.
    Plain,
}

/// A status, coloured by its verdict (`tone`) when colour is on, so
/// `ok (gpu-charts-logger)` is as green as `ok`.
pub(crate) fn status_cell(status: &str, tone: Tone, color: bool) -> Cell {
    let cell = cell(status);
    match (color, tone) {
        (false, _) | (_, Tone::Plain) => cell,
        (true, Tone::Good) => cell.fg(Color::Green),
        (true, Tone::Warn) => cell.fg(Color::Yellow),
        (true, Tone::Bad) => cell.fg(Color::Red),
    }
}

/// Print a report as JSON (pretty, stable snake_case fields) or YAML.
pub(crate) fn print_machine<T: Serialize>(
    value: &T,
    format: ReportFormat,
) -> Result<(), OutputError> {
    match format {
        ReportFormat::Yaml => crate::out!("{}", yaml_text(value)?),
        // Streamed: a large report is never held twice in memory.
        _ => {
            let mut out = std::io::BufWriter::with_capacity(64 << 10, crate::output::Stdout);
            serde_json::to_writer_pretty(&mut out, value)
                .map_err(|e| OutputError::Encode(e.to_string()))?;
            std::io::Write::write_all(&mut out, b"\n")
                .and_then(|()| std::io::Write::flush(&mut out))
                .map_err(|e| OutputError::Stdout(e.to_string()))?;
        }
    }
    Ok(())
}

/// A report as YAML, peer text shown as tables show it: a YAML scalar may
/// be plain or single-quoted, where no escape exists for `\r` or a bidi
/// override, so such characters become visible `\u{..}`.
fn yaml_text<T: Serialize>(value: &T) -> Result<String, OutputError> {
    let mut tree = crate::yaml::to_value(value).map_err(|e| OutputError::Encode(e.to_string()))?;
    crate::yaml::map_strings(&mut tree, &|s| {
        let safe = s
            .chars()
            .all(|c| c == '\n' || !crate::text::terminal_unsafe(c));
        (!safe).then(|| crate::text::terminal_safe(s).into_owned())
    });
    crate::yaml::to_string(&tree).map_err(|e| OutputError::Encode(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_wraps_at_words() {
        assert_eq!(
            wrap_to("root cause: tcp refused -> start it", 2, Some(16)),
            "root cause: tcp\n  refused ->\n  start it"
        );
        assert_eq!(wrap_to("a b", 2, None), "a b");
    }

    #[test]
    fn huge_cells_are_cut_before_layout() {
        let big = "x".repeat(8 << 20);
        let start = std::time::Instant::now();
        let mut t = new_table(&["a", "b"], false);
        t.add_row(vec![cell(&big), cell("y")]);
        let shown = t.to_string();
        assert_eq!(shown.matches('x').count(), MAX_CELL_CHARS, "{shown}");
        assert!(shown.contains('…'));
        assert!(start.elapsed() < std::time::Duration::from_secs(2));
    }

    #[test]
    fn yaml_and_xml_show_unsafe_characters_as_tables_do() {
        let hostile = "ok\r\u{202e}evil\u{1b}[2J";
        let text = yaml_text(&std::collections::BTreeMap::from([(hostile, hostile)])).unwrap();
        let xml = crate::text::xml_escape(hostile);
        for out in [&text, &xml] {
            assert!(!out.contains(['\r', '\u{202e}', '\u{1b}']), "{out:?}");
            assert!(out.contains("\\u{202e}"), "{out:?}");
        }
    }

    #[test]
    fn cells_never_carry_control_characters() {
        let mut t = new_table(&["a"], false);
        t.add_row(vec![cell("x\u{1b}[2J\ry\u{202e}z")]);
        let shown = t.to_string();
        assert!(!shown.contains('\u{1b}') && !shown.contains('\r') && !shown.contains('\u{202e}'));
        assert!(shown.contains("\\u{1b}[2J\\u{d}y\\u{202e}z"), "{shown}");
    }
}
