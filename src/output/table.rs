//! Tables (comfy-table) and machine output (JSON/YAML), obeying the one
//! colour decision.

use comfy_table::presets::UTF8_BORDERS_ONLY;
use comfy_table::{Cell, Color, ContentArrangement, Table};
use serde::Serialize;

use super::ReportFormat;

pub fn new_table(headers: &[&str], color: bool) -> Table {
    let mut table = Table::new();
    table
        .load_preset(UTF8_BORDERS_ONLY)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(headers.iter().map(cell));
    if !color {
        table.force_no_tty();
    } else {
        table.enforce_styling();
    }
    table
}

/// The most characters a table cell shows; the full value stays in the
/// JSON and YAML output. Layout is quadratic in a cell's length, and an
/// 8 MiB label value or `lastError` would take seconds to wrap.
pub const MAX_CELL_CHARS: usize = 512;

/// A table cell holding text that may come from a peer: cut to
/// [`MAX_CELL_CHARS`] (with `…`) before layout, and escaped for the
/// terminal (see [`crate::text::terminal_safe`]).
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
pub enum Tone {
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
pub fn status_cell(status: &str, tone: Tone, color: bool) -> Cell {
    let cell = cell(status);
    match (color, tone) {
        (false, _) | (_, Tone::Plain) => cell,
        (true, Tone::Good) => cell.fg(Color::Green),
        (true, Tone::Warn) => cell.fg(Color::Yellow),
        (true, Tone::Bad) => cell.fg(Color::Red),
    }
}

/// Print a report as JSON (pretty, stable snake_case fields) or YAML.
pub fn print_machine<T: Serialize>(value: &T, format: ReportFormat) -> anyhow::Result<()> {
    match format {
        ReportFormat::Yaml => crate::out!("{}", yaml_text(value)?),
        // Streamed: a large report is never held twice in memory.
        _ => {
            let mut out = std::io::BufWriter::with_capacity(64 << 10, crate::output::Stdout);
            serde_json::to_writer_pretty(&mut out, value)?;
            std::io::Write::write_all(&mut out, b"\n")?;
            std::io::Write::flush(&mut out)?;
        }
    }
    Ok(())
}

/// A report as YAML, peer text shown as tables show it: a YAML scalar may
/// be plain or single-quoted, where no escape exists for `\r` or a bidi
/// override, so such characters become visible `\u{..}`.
fn yaml_text<T: Serialize>(value: &T) -> anyhow::Result<String> {
    let mut tree = crate::yaml::to_value(value).map_err(anyhow::Error::msg)?;
    crate::yaml::map_strings(&mut tree, &|s| {
        let safe = s
            .chars()
            .all(|c| c == '\n' || !crate::text::terminal_unsafe(c));
        (!safe).then(|| crate::text::terminal_safe(s).into_owned())
    });
    crate::yaml::to_string(&tree).map_err(anyhow::Error::msg)
}

#[cfg(test)]
mod tests {
    use super::*;

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
