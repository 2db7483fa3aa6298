//! Demo exposition for the GPU Charts services: every catalogue family with
//! realistic labels and values that move over time, as the services' Rust
//! `prometheus` crate writes them (text format 0.0.4).

pub mod server;

use std::fmt::Write;

use crate::catalogue::{Catalogue, CatalogueFamily, ServiceFamilies};

/// Fault switches to rehearse failures.
#[derive(Debug, Clone, Copy, Default)]
pub struct Faults {
    pub slow_ms: u64,
    pub fail_health: bool,
    pub malformed: bool,
}

pub const TEXT_CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

fn values_for(label: &str, catalogue: &Catalogue) -> Vec<String> {
    let fixed: &[&str] = match label {
        "error_type" => &["timeout", "parse", "disconnect"],
        "method" => &["GET", "POST"],
        "endpoint" => &["/api/data", "/api/symbols"],
        "status" => &["200", "404", "500"],
        "protocol" => &["http", "websocket"],
        "cache_type" => &["memory", "disk"],
        "data_type" | "type" => &["price", "volume"],
        _ => &[],
    };
    if !fixed.is_empty() {
        return fixed.iter().map(|s| (*s).to_string()).collect();
    }
    let key = if label == "symbol" {
        "symbol_examples"
    } else {
        label
    };
    catalogue
        .label_values
        .get(key)
        .cloned()
        .unwrap_or_else(|| vec!["default".to_string()])
}

/// Every combination of the family's label values.
fn combinations(f: &CatalogueFamily, catalogue: &Catalogue) -> Vec<Vec<(String, String)>> {
    let mut out: Vec<Vec<(String, String)>> = vec![Vec::new()];
    for label in &f.labels {
        let values = values_for(label, catalogue);
        out = out
            .into_iter()
            .flat_map(|combo| {
                values.iter().map(move |v| {
                    let mut c = combo.clone();
                    c.push((label.clone(), v.clone()));
                    c
                })
            })
            .collect();
    }
    out
}

fn label_text(labels: &[(String, String)], extra: Option<(&str, &str)>) -> String {
    let mut parts: Vec<String> = labels.iter().map(|(k, v)| format!("{k}=\"{v}\"")).collect();
    if let Some((k, v)) = extra {
        parts.push(format!("{k}=\"{v}\""));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("{{{}}}", parts.join(","))
    }
}

/// A small deterministic per-series number in [0, 1).
fn jitter(seed: usize) -> f64 {
    let x = (seed as u64)
        .wrapping_mul(0x9e37_79b9_7f4a_7c15)
        .rotate_left(17);
    (x % 10_000) as f64 / 10_000.0
}

/// The exposition at `t` seconds after start (`now` is the Unix time).
pub fn render(
    service: &ServiceFamilies,
    catalogue: &Catalogue,
    t: f64,
    now: f64,
    faults: Faults,
) -> String {
    let mut out = String::with_capacity(16 << 10);
    for (fi, f) in service.families.iter().enumerate() {
        let _ = writeln!(out, "# HELP {} {}", f.name, f.help);
        let _ = writeln!(out, "# TYPE {} {}", f.name, f.kind);
        for (si, labels) in combinations(f, catalogue).iter().enumerate() {
            let j = jitter(fi * 1000 + si);
            let l = label_text(labels, None);
            match f.kind.as_str() {
                "counter" => {
                    let _ = writeln!(out, "{}{l} {:.0}", f.name, (1.0 + 50.0 * j) * (t + 1.0));
                }
                "histogram" => {
                    let count = ((5.0 + 20.0 * j) * (t + 1.0)).floor();
                    let mut sum_share = 0.0;
                    for (bi, b) in f.buckets.iter().enumerate() {
                        let share = ((bi + 1) as f64 / (f.buckets.len() + 1) as f64).powf(0.5 + j);
                        sum_share += share;
                        let le = label_text(labels, Some(("le", &b.to_string())));
                        let _ = writeln!(out, "{}_bucket{le} {}", f.name, (count * share).floor());
                    }
                    let inf = label_text(labels, Some(("le", "+Inf")));
                    let _ = writeln!(out, "{}_bucket{inf} {count}", f.name);
                    let mean = f.buckets.first().copied().unwrap_or(0.01) * (1.0 + sum_share);
                    let _ = writeln!(out, "{}_sum{l} {:.6}", f.name, count * mean);
                    let _ = writeln!(out, "{}_count{l} {count}", f.name);
                }
                _ => {
                    let value = match f.name.as_str() {
                        n if n.ends_with("connection_status") => {
                            f64::from(u8::from((t as usize + si) % 17 != 0))
                        }
                        n if n.ends_with("timestamp") => (now - 5.0 * j).floor(),
                        _ => ((t / 10.0 + 6.0 * j).sin() + 1.5) * 10.0 * (1.0 + j),
                    };
                    let _ = writeln!(out, "{}{l} {}", f.name, (value * 1000.0).round() / 1000.0);
                }
            }
        }
    }
    if faults.malformed {
        out.push_str("gpu_charts_demo_broken{exchange=\"coinbase\" 1\n");
    }
    out
}

/// The /health body the real services send.
pub fn health(service: &ServiceFamilies, faults: Faults) -> (u16, String) {
    if faults.fail_health {
        (
            503,
            format!("{{\"status\":\"error\",\"service\":\"{}\"}}", service.job),
        )
    } else {
        (
            200,
            format!("{{\"status\":\"ok\",\"service\":\"{}\"}}", service.job),
        )
    }
}
