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
        .set_header(headers.iter().map(Cell::new));
    if !color {
        table.force_no_tty();
    } else {
        table.enforce_styling();
    }
    table
}

/// A status word, coloured green/red/yellow when colour is on.
pub fn status_cell(status: &str, color: bool) -> Cell {
    let cell = Cell::new(status);
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
    let text = match format {
        ReportFormat::Yaml => crate::yaml::to_string(value).map_err(anyhow::Error::msg)?,
        _ => serde_json::to_string_pretty(value)? + "\n",
    };
    crate::out!("{text}");
    Ok(())
}
