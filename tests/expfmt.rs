//! The exposition parser: the OpenMetrics conformance suite, the classic
//! format's leniency, and lint findings.

use std::path::Path;

use gpucharts_mon::expfmt::Format;
use gpucharts_mon::expfmt::lint::{LintOptions, Linter};
use gpucharts_mon::expfmt::stream::parse_bytes;
use gpucharts_mon::version::PromVersion;

fn parses(text: &[u8], format: Format) -> Result<(), String> {
    let mut sink = Linter::new(LintOptions::default(), format, PromVersion::V3);
    parse_bytes(text, format, &mut sink)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// Every case in shared/conformance/openmetrics: shouldParse true must
/// parse, false must be rejected.
#[test]
fn openmetrics_conformance_suite() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance/openmetrics");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        crate::support::skip(&format!(
            "openmetrics_conformance_suite: {} not present",
            dir.display()
        ));
        return;
    };
    let mut failures = Vec::new();
    let mut cases = 0;
    for entry in entries {
        let case = entry.unwrap().path();
        let Ok(meta) = std::fs::read_to_string(case.join("test.json")) else {
            continue;
        };
        let meta: serde_json::Value = serde_json::from_str(&meta).unwrap();
        let file = case.join(meta["file"].as_str().unwrap());
        let text = std::fs::read(&file).unwrap();
        let should = meta["shouldParse"].as_bool().unwrap();
        cases += 1;
        match (parses(&text, Format::OpenMetrics), should) {
            (Ok(()), true) | (Err(_), false) => {}
            (Ok(()), false) => {
                failures.push(format!("{}: accepted, should be rejected", case.display()))
            }
            (Err(e), true) => {
                failures.push(format!("{}: rejected ({e}), should parse", case.display()))
            }
        }
    }
    assert!(cases > 200, "only {cases} cases found");
    assert!(
        failures.is_empty(),
        "{} of {cases} cases wrong:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
