//! lint against the four references it speaks for: `promtool check metrics`
//! and Prometheus' scraper, each of 2.x (Debian stable) and 3.x (Debian
//! testing). Every case goes through all four — promtool on stdin, each
//! Prometheus scraping it from a loopback server with the case's
//! Content-Type — and through lint with that Content-Type for both target
//! versions. lint's `rejected_by` must name exactly the references that
//! reject the case, and lint must fail whatever the target's scraper fails.
//! The agreement table in docs/lint.md is this test's output: it fails when the
//! table differs (`GPUCHARTS_MON_BLESS=1` rewrites it), so the docs cannot
//! drift from what the binaries do, and a new Prometheus or promtool version
//! shows up as a changed table instead of passing as the old one.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use crate::support::http::{Response, TestServer, get};
use crate::support::mon;
use crate::support::prometheus::{Prometheus, Version};

const TEXT: &str = "text/plain; version=0.0.4";
const OM: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

struct Case {
    name: &'static str,
    /// What the table says the case is.
    what: &'static str,
    body: &'static [u8],
    content_type: &'static str,
}

const fn case(
    name: &'static str,
    what: &'static str,
    body: &'static [u8],
    content_type: &'static str,
) -> Case {
    Case {
        name,
        what,
        body,
        content_type,
    }
}

const CASES: &[Case] = &[
    case("no_final_newline", "no newline at the end", b"# TYPE a gauge\na 1", TEXT),
    case("help_after_samples", "first `# HELP` after the samples", b"# TYPE a gauge\na 1\n# HELP a late\n", TEXT),
    case("type_without_type", "`# TYPE a` with no type", b"# TYPE a\na 1\n", TEXT),
    case("le_not_a_number", "`le=\"abc\"`", b"# TYPE h histogram\nh_bucket{le=\"abc\"} 1\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n", TEXT),
    case("quantile_not_a_number", "`quantile=\"x\"`", b"# TYPE s summary\ns{quantile=\"x\"} 1\ns_sum 1\ns_count 1\n", TEXT),
    case("invalid_utf8_comment", "invalid UTF-8 in a comment", b"# a comment \xff\xfe\n# TYPE a gauge\na 1\n", TEXT),
    case("duplicate_type", "a second `# TYPE`", b"# TYPE a gauge\n# TYPE a gauge\na 1\n", TEXT),
    case("unknown_escape", "unknown escape `\\q` in a label value", b"# TYPE a gauge\na{x=\"\\q\"} 1\n", TEXT),
    case("duplicate_label_names", "duplicate label names", b"# TYPE a gauge\na{x=\"1\",x=\"2\"} 1\n", TEXT),
    case("float_out_of_range", "value `1e400`", b"# TYPE a gauge\na 1e400\n", TEXT),
    case("duplicate_series", "the same series twice", b"# TYPE a gauge\na{x=\"1\"} 1\na{x=\"1\"} 2\n", TEXT),
    case("histogram_no_inf", "histogram without `le=\"+Inf\"`", b"# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n", TEXT),
    case("histogram_count_mismatch", "histogram `_count` not the `+Inf` bucket", b"# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 3\n", TEXT),
    case("quoted_utf8_name", "quoted UTF-8 metric name `{\"gpu.charts.x\"}`", b"# TYPE \"gpu.charts.x\" gauge\n{\"gpu.charts.x\"} 1\n", TEXT),
    case("quoted_utf8_label", "quoted UTF-8 label name `a{\"k8s.cluster\"=\"x\"}`", b"# TYPE a gauge\na{\"k8s.cluster\"=\"x\"} 1\n", TEXT),
    case("quoted_legacy_name", "quoted legacy name `{\"abc\"}`", b"{\"abc\"} 1\n", TEXT),
    case("quoted_name_after_label", "quoted name after a label `{x=\"1\",\"a.b\"}`", b"{x=\"1\",\"a.b\"} 1\n", TEXT),
    case("quoted_empty_name", "empty quoted name `{\"\"}`", b"{\"\"} 1\n", TEXT),
    case("quoted_outside_braces", "quoted name before the braces `\"a.b\"{x=\"1\"}`", b"\"a.b\"{x=\"1\"} 1\n", TEXT),
    case("blank_content_type", "no Content-Type header", b"# TYPE a gauge\na 1\n", ""),
    case("unknown_content_type", "Content-Type `application/json`", b"# TYPE a gauge\na 1\n", "application/json"),
    case("om_without_eof", "OpenMetrics without `# EOF`", b"# TYPE a gauge\na 1\n", OM),
    case("om_total_family", "OpenMetrics `# TYPE a_total counter`, sample `a_total`", b"# TYPE a_total counter\na_total 1\n# EOF\n", OM),
    case("om_exemplar", "OpenMetrics exemplar", b"# TYPE a counter\na_total 1 # {trace_id=\"abc\"} 1.0\n# EOF\n", OM),
    case("om_unit_mismatch", "OpenMetrics `# UNIT` not a suffix", b"# TYPE a_seconds gauge\n# UNIT a_seconds milliseconds\na_seconds 1\n# EOF\n", OM),
];

const REFS: [&str; 4] = [
    "promtool 2.x",
    "promtool 3.x",
    "prometheus 2.x",
    "prometheus 3.x",
];

/// lint's verdict for one target version.
struct Lint {
    ok: bool,
    worst: &'static str,
    /// Every reference lint says rejects the input.
    rejected_by: BTreeSet<String>,
}

fn lint(c: &Case, version: u8) -> Lint {
    let dir = tempfile::tempdir().unwrap();
    let out = mon(dir.path())
        .args(["lint", "--content-type", c.content_type])
        .args(["--prometheus-version", &version.to_string()])
        .args(["--output-format", "json", "-"])
        .write_stdin(c.body)
        .output()
        .unwrap();
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{}: {e}: {out:?}", c.name));
    let mut rejected_by = BTreeSet::new();
    let mut add = |list: &serde_json::Value| {
        for r in list.as_array().into_iter().flatten() {
            rejected_by.insert(r.as_str().unwrap().to_string());
        }
    };
    add(&v["parse_error"]["rejected_by"]);
    let findings = v["findings"].as_array().unwrap();
    for f in findings {
        add(&f["rejected_by"]);
    }
    let has = |s: &str| findings.iter().any(|f| f["severity"] == s);
    let worst = if !v["parse_error"].is_null() {
        "parse error"
    } else if has("error") {
        "error"
    } else if has("warning") {
        "warning"
    } else {
        "ok"
    };
    Lint {
        ok: v["ok"].as_bool().unwrap(),
        worst,
        rejected_by,
    }
}

/// `promtool, version 2.42.0+ds (…)` → `2.42.0`.
fn version_of(program: &std::path::Path) -> String {
    let out = std::process::Command::new(program)
        .arg("--version")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let word = text.split_whitespace().nth(2).unwrap_or("?");
    word.split('+').next().unwrap().to_string()
}

/// Does `promtool check metrics` reject the case (exit 1: it does not
/// parse; 3 means lint problems only)?
fn promtool_rejects(program: &std::path::Path, c: &Case) -> bool {
    let mut child = std::process::Command::new(program)
        .args(["check", "metrics"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), c.body).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1 | 3)),
        "{} on {}: {out:?}",
        program.display(),
        c.name
    );
    out.status.code() == Some(1)
}

/// Per case: did this Prometheus fail the scrape (`health: down`)?
fn scrape_verdicts(version: Version, server: &TestServer) -> Option<BTreeMap<String, bool>> {
    let mut config =
        String::from("global: {scrape_interval: 1s, scrape_timeout: 1s}\nscrape_configs:\n");
    for c in CASES {
        config.push_str(&format!(
            "  - job_name: {}\n    metrics_path: /{}\n    static_configs: [{{targets: [\"{}\"]}}]\n",
            c.name, c.name, server.addr
        ));
    }
    let prom = Prometheus::start_version(version, &config, false, &[], "agreement")?;
    let start = Instant::now();
    loop {
        let (_, body) = get(&format!("{}/api/v1/targets", prom.url)).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        let targets = v["data"]["activeTargets"].as_array().unwrap().clone();
        if targets.len() == CASES.len() && targets.iter().all(|t| t["health"] != "unknown") {
            return Some(
                targets
                    .iter()
                    .map(|t| {
                        let job = t["labels"]["job"].as_str().unwrap().to_string();
                        (job, t["health"] == "down")
                    })
                    .collect(),
            );
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "{version:?}: not every case was scraped: {v}"
        );
        std::thread::sleep(Duration::from_millis(300));
    }
}

fn verdict(rejects: bool, words: (&'static str, &'static str)) -> &'static str {
    if rejects { words.0 } else { words.1 }
}

fn lint_cell(l: &Lint) -> String {
    let by: Vec<&str> = REFS
        .iter()
        .copied()
        .filter(|r| l.rejected_by.contains(*r))
        .collect();
    match (l.worst, by.is_empty()) {
        ("ok", _) => "ok".into(),
        (w, true) if w != "warning" => format!("{w}, lint only"),
        (w, _) => w.to_string(),
    }
}

#[test]
fn lint_names_exactly_the_references_that_reject_each_case() {
    let (Some(tool2), Some(tool3)) = (
        Version::Stable.tool("promtool", "agreement"),
        Version::Three.tool("promtool", "agreement"),
    ) else {
        return;
    };
    let (Some(prom2), Some(prom3)) = (
        Version::Stable.tool("prometheus", "agreement"),
        Version::Three.tool("prometheus", "agreement"),
    ) else {
        return;
    };
    let bodies: BTreeMap<String, (&'static [u8], &'static str)> = CASES
        .iter()
        .map(|c| (format!("/{}", c.name), (c.body, c.content_type)))
        .collect();
    let server = TestServer::start(move |_, path| match bodies.get(path) {
        Some((body, ct)) => Response::new(200, ct, body.to_vec()),
        None => Response::new(404, "text/plain", "no"),
    });
    let Some(scraped2) = scrape_verdicts(Version::Stable, &server) else {
        return;
    };
    let Some(scraped3) = scrape_verdicts(Version::Three, &server) else {
        return;
    };
    let versions = [
        version_of(&tool2),
        version_of(&tool3),
        version_of(&prom2),
        version_of(&prom3),
    ];
    eprintln!(
        "agreement: promtool {} and {}, Prometheus {} and {}",
        versions[0], versions[1], versions[2], versions[3]
    );
    let mut table = format!(
        "| input | promtool {} | promtool {} | Prometheus {} | Prometheus {} | lint for 2.x | lint for 3.x |\n|---|---|---|---|---|---|---|\n",
        versions[0], versions[1], versions[2], versions[3]
    );
    let mut wrong = Vec::new();
    for c in CASES {
        let observed = [
            promtool_rejects(&tool2, c),
            promtool_rejects(&tool3, c),
            scraped2[c.name],
            scraped3[c.name],
        ];
        let expected: BTreeSet<String> = REFS
            .iter()
            .zip(observed)
            .filter(|(_, rejects)| *rejects)
            .map(|(r, _)| r.to_string())
            .collect();
        let lints = [lint(c, 2), lint(c, 3)];
        for (l, (v, fails)) in lints.iter().zip([(2, observed[2]), (3, observed[3])]) {
            if l.rejected_by != expected {
                wrong.push(format!(
                    "{} (for {v}.x): lint says rejected by {:?}, the references: {expected:?}",
                    c.name, l.rejected_by
                ));
            }
            if fails && l.ok {
                wrong.push(format!(
                    "{} (for {v}.x): Prometheus {v} fails the scrape, lint says ok",
                    c.name
                ));
            }
        }
        table.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} |\n",
            c.what,
            verdict(observed[0], ("**rejects**", "accepts")),
            verdict(observed[1], ("**rejects**", "accepts")),
            verdict(observed[2], ("**fails**", "scrapes")),
            verdict(observed[3], ("**fails**", "scrapes")),
            lint_cell(&lints[0]),
            lint_cell(&lints[1]),
        ));
    }
    assert!(
        wrong.is_empty(),
        "lint disagrees with the references:\n{}",
        wrong.join("\n")
    );
    readme_section_is(&table);
}

const BEGIN: &str = "<!-- agreement table: written by tests/agreement.rs -->\n";
const END: &str = "<!-- end of agreement table -->";

/// The docs' table is `table`, or is made so under `GPUCHARTS_MON_BLESS`.
fn readme_section_is(table: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/lint.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let start = readme
        .find(BEGIN)
        .expect("docs/lint.md has the agreement markers")
        + BEGIN.len();
    let end = start + readme[start..].find(END).expect("end marker");
    if readme[start..end] == *table {
        return;
    }
    if std::env::var_os("GPUCHARTS_MON_BLESS").is_some() {
        let updated = format!("{}{table}{}", &readme[..start], &readme[end..]);
        std::fs::write(&path, updated).unwrap();
        return;
    }
    panic!(
        "docs/lint.md's agreement table is not what the references do now (GPUCHARTS_MON_BLESS=1 cargo test agreement rewrites it):\n{table}"
    );
}
