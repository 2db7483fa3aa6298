//! Tables (comfy-table) and machine output (JSON/YAML), obeying the one
//! colour decision.

use comfy_table::presets::UTF8_BORDERS_ONLY;
use comfy_table::{Cell, Color, ContentArrangement, Table};
use serde::Serialize;

use crate::cli::ReportFormat;

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

/// A table cell holding text that may come from a peer: escaped for the
/// terminal (see [`super::terminal_safe`]).
pub fn cell(text: impl std::fmt::Display) -> Cell {
    Cell::new(super::terminal_safe(&text.to_string()))
}

/// A status word, coloured green/red/yellow when colour is on.
pub fn status_cell(status: &str, color: bool) -> Cell {
    let cell = cell(status);
    if !color {
        return cell;
    }
    match status {
        "up" | "ok" | "pass" => cell.fg(Color::Green),
        "down" | "fail" | "error" => cell.fg(Color::Red),
        _ => cell.fg(Color::Yellow),
    }
}

/// Print a report as JSON (pretty, stable snake_case fields) or YAML.
pub fn print_machine<T: Serialize>(value: &T, format: ReportFormat) -> anyhow::Result<()> {
    match format {
        ReportFormat::Yaml => {
            let text = crate::yaml::to_string(value).map_err(anyhow::Error::msg)?;
            crate::out!("{text}");
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_never_carry_control_characters() {
        let mut t = new_table(&["a"], false);
        t.add_row(vec![cell("x\u{1b}[2J\ry\u{202e}z")]);
        let shown = t.to_string();
        assert!(!shown.contains('\u{1b}') && !shown.contains('\r') && !shown.contains('\u{202e}'));
        assert!(shown.contains("\\u{1b}[2J\\u{d}y\\u{202e}z"), "{shown}");
    }
}
