//! The bodies of the fuzz targets in `fuzz/` (cargo-fuzz), kept in the
//! library so that `cargo test` runs the very same checks over every saved
//! crash (`fuzz/regressions/`) and a seeded mutation pass. Each function
//! takes arbitrary bytes and panics only when a property is violated.

use std::io::Read;
use std::str::FromStr;

use crate::expfmt::Format;
use crate::expfmt::lint::{LintOptions, Linter};
use crate::expfmt::split;
use crate::expfmt::stream::{ParseOutcome, parse_bytes, parse_reader};
use crate::promapi::types::{BuildInfo, QueryData, RuntimeInfo, TargetsData};
use crate::version::PromVersion;

/// A reader that hands out `data` in chunks of 1-64 bytes, sizes drawn from
/// a small generator seeded by the input itself.
struct Chunked<'a> {
    data: &'a [u8],
    state: u32,
}

impl Read for Chunked<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.state = self.state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        let want = 1 + (self.state >> 16) as usize % 64;
        let n = want.min(buf.len()).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

/// What a parse and its lint found, as one comparable text.
fn linted(outcome: Result<ParseOutcome, String>, linter: Linter) -> String {
    let report = linter.finish();
    let lines: Vec<usize> = report.families.iter().map(|f| f.first_line).collect();
    let json = serde_json::to_string(&report).unwrap_or_default();
    format!("{outcome:?}\n{json}\n{lines:?}")
}

/// First byte: format and chunking seed; the rest: the exposition. The
/// whole-buffer parse, the streaming parse over random chunk boundaries,
/// and (classic format) the parse in parts from any place a part may
/// start, or all of them at once, must find exactly the same.
pub fn exposition_agrees(data: &[u8]) {
    let Some((&control, body)) = data.split_first() else {
        return;
    };
    let format = if control & 1 == 0 {
        Format::Text
    } else {
        Format::OpenMetrics
    };
    let linter = || Linter::new(LintOptions::default(), format, PromVersion::V3);
    let mut sink = linter();
    let whole = parse_bytes(body, format, &mut sink).map_err(|e| e.to_string());
    let whole = linted(whole, sink);
    let mut sink = linter();
    let reader = Chunked {
        data: body,
        state: u32::from(control),
    };
    let streamed = parse_reader(reader, format, &mut sink).map_err(|e| e.to_string());
    assert_eq!(
        whole,
        linted(streamed, sink),
        "whole and streamed parses differ"
    );
    if format != Format::Text {
        return;
    }
    let starts = split::all_starts(body);
    let len = body.len() as u64;
    // Each of the first few alone, then up to eight at once.
    let many: Vec<u64> = starts
        .iter()
        .step_by(starts.len().div_ceil(8).max(1))
        .copied()
        .collect();
    let single = starts.iter().take(4).map(std::slice::from_ref);
    for starts in single.chain([many.as_slice()]) {
        let mut sink = linter();
        let parted = split::parse_from(body, len, format, starts, &mut sink);
        let parted = linted(parted.map_err(|e| e.to_string()), sink);
        assert_eq!(whole, parted, "the parse in parts from {starts:?} differs");
    }
}

/// How many places a classic-format input may be parsed in parts from.
pub fn part_starts(body: &[u8]) -> usize {
    split::all_starts(body).len()
}

/// The inventory loader on any text; what loads must also generate
/// (prometheus.yml and alertmanager.yml).
pub fn inventory(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(inv) = crate::inventory::Inventory::parse(text, None) {
        if let Ok(generated) = crate::promconfig::build(&inv) {
            let _ = crate::promconfig::render(&generated.config);
            let cluster = &inv.prometheus.cluster;
            for server in &cluster.servers {
                let _ = crate::promconfig::render(&crate::promconfig::cluster::server_config(
                    cluster,
                    &generated.config,
                    server,
                ));
            }
        }
        if let Ok(config) = crate::alertmanager::build(&inv) {
            let _ = crate::alertmanager::render(&config);
            let _ = crate::alertmanager::explain(&config);
        }
    }
}

/// Prometheus API answers of every kind we decode, and peer timestamps.
pub fn api_answers(data: &[u8]) {
    use crate::promapi::client::{check_envelope, decode_data};
    let url = "http://127.0.0.1:9092/api/v1/x";
    let _ = check_envelope(url, reqwest::StatusCode::OK, "application/json", data);
    if let Ok(q) = decode_data::<QueryData>(url, data) {
        let _ = crate::promapi::query::normalise(q);
    }
    if let Ok(t) = decode_data::<TargetsData>(url, data) {
        for target in &t.active_targets {
            let _ = crate::promapi::time::parse_rfc3339(&target.last_scrape);
        }
        // A peer's targets, as the cluster check sees them.
        let config = crate::promconfig::PrometheusConfig::default();
        let shard = |name: &str| crate::inventory::cluster::ServerSpec {
            name: name.into(),
            url: "http://127.0.0.1:1".into(),
            config_file: None,
            pid_file: None,
            role: crate::inventory::cluster::Role::Shard,
            group: None,
            shard: Some(0),
            shards: Some(2),
        };
        let observed = [
            crate::cluster::Observed::new(&shard("a"), &t, &config),
            crate::cluster::Observed::new(&shard("b"), &TargetsData::default(), &config),
        ];
        let _ = crate::cluster::check(&observed, "replica");
    }
    if let Ok(text) = std::str::from_utf8(data) {
        // Discovered targets (relabel, shard-plan) planned over 3 shards,
        // and any answer's series drawn as charts.
        if let Ok(targets) = crate::promconfig::relabel::discovered_targets(text) {
            let config = crate::promconfig::PrometheusConfig::default();
            let _ = crate::cluster::plan(&config, &targets, 3, crate::version::PromVersion::V3);
        }
    }
    if let Ok(q) = decode_data::<QueryData>(url, data) {
        let r = crate::promapi::query::normalise(q);
        let window = crate::promapi::query::Window {
            start: 0.0,
            end: 1e10,
            step: 1.0,
        };
        let (_, titles) = crate::output::chart::split_common(&r.series);
        let unit = crate::output::chart::Unit::of_query("x_seconds");
        let axis = crate::output::chart::Axis::shared(&r.series, unit);
        for (s, title) in r.series.iter().zip(&titles) {
            let _ = crate::output::chart::draw(title, s, window, 80, axis);
        }
    }
    let _ = decode_data::<RuntimeInfo>(url, data);
    let _ = decode_data::<BuildInfo>(url, data);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = crate::promapi::time::parse_rfc3339(text);
        let _ = crate::promapi::reload::state_from_metrics(text);
    }
}

/// Shared vocabulary parsers; a duration that parses must print as text
/// that parses back to the same value.
pub fn values(data: &[u8]) {
    use crate::values::{HostPort, PromDuration, check_label_name};
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(d) = PromDuration::from_str(text) {
        let again = PromDuration::from_str(&d.to_string());
        assert_eq!(again.ok(), Some(d), "{text:?} printed as {d}");
    }
    if let Ok(hp) = HostPort::from_str(text) {
        let _ = hp.to_string();
    }
    let _ = check_label_name(text);
    // Relabel regexes come from user configs: Go-syntax translation and
    // Go's expansion must never panic, and a translation must compile or
    // be refused, never both accepted and broken.
    if let Ok(t) = crate::promconfig::goregexp::translate(text, true)
        && let Ok(re) = regex::Regex::new(&t)
        && let Some(caps) = re.captures(text)
    {
        let names: Vec<Option<&str>> = re.capture_names().collect();
        let _ = crate::promconfig::goregexp::expand(text, &caps, &names);
    }
    let _ = crate::firewall::parse_source(text);
}

/// Any string survives the template escaping unchanged through a YAML
/// parser, and terminal and XML escaping leave no character they must not.
pub fn template_escaping(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let doc = format!("k: \"{}\"\n", crate::templates::yaml_quoted_content(&text));
    let parsed: crate::yaml::Value =
        crate::yaml::from_str(&doc).unwrap_or_else(|e| panic!("{e}: {doc:?}"));
    assert_eq!(parsed["k"].as_str(), Some(text.as_ref()), "{doc:?}");
    let shown = crate::text::terminal_safe(&text);
    assert!(
        !shown.chars().any(|c| c.is_control() && c != '\n'),
        "{shown:?}"
    );
    let xml = crate::text::xml_escape(&text);
    assert!(
        !xml.chars()
            .any(|c| ((c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r'))
                || c == '\u{fffe}'
                || c == '\u{ffff}'),
        "{xml:?}"
    );
}
