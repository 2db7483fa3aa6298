//! lint: findings, exit codes, formats, stdin, limits.

use crate::support::mon;

const EXPOSITION: &str = "# HELP gpu_charts_server_cache_hits_total Hits\n# TYPE gpu_charts_server_cache_hits_total counter\ngpu_charts_server_cache_hits_total{cache_type=\"memory\"} 1\ngpu_charts_server_cache_hits_total{cache_type=\"memory\"} 2\n# TYPE requestLatency_ms histogram\nrequestLatency_ms_bucket{le=\"1\"} 5\nrequestLatency_ms_bucket{le=\"2\"} 3\nrequestLatency_ms_sum 4\nrequestLatency_ms_count 3\n";

fn lint(args: &[&str], stdin: &str) -> (i32, serde_json::Value) {
    let dir = tempfile::tempdir().unwrap();
    let out = mon(dir.path())
        .arg("lint")
        .args(args)
        .args(["--output", "json"])
        .write_stdin(stdin)
        .output()
        .unwrap();
    let v = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    (out.status.code().unwrap_or(-1), v)
}

#[test]
fn finds_duplicates_histogram_errors_and_naming_problems() {
    let (code, v) = lint(&["-"], EXPOSITION);
    assert_eq!(code, 1);
    let findings = v["findings"].to_string();
    for needle in [
        "metric not unique",
        "not cumulative",
        "has no le=\\\"+Inf\\\" bucket",
        "no help text",
        "camelCase",
        "abbreviated units",
    ] {
        assert!(findings.contains(needle), "missing {needle}: {findings}");
    }
    assert_eq!(v["families"], 2);
    assert_eq!(v["samples"], 6);
    assert_eq!(v["format"], "text");
}

#[test]
fn warnings_pass_unless_strict_and_limits_fail() {
    let clean_but_unhelped = "# TYPE a_total counter\na_total 1\n";
    assert_eq!(lint(&[], clean_but_unhelped).0, 0);
    assert_eq!(lint(&["--strict"], clean_but_unhelped).0, 1);
    let many = "# HELP a_total x\n# TYPE a_total counter\na_total{k=\"1\"} 1\na_total{k=\"2\"} 1\na_total{k=\"3\"} 1\n";
    assert_eq!(lint(&[], many).0, 0);
    let (code, v) = lint(&["--max-family-series", "2"], many);
    assert_eq!(code, 1);
    assert!(v["findings"].to_string().contains("--max-family-series 2"));
    assert_eq!(v["cardinality"][0]["top_labels"][0]["distinct_values"], 3);
    assert_eq!(lint(&["--max-series", "2"], many).0, 1);
}

#[test]
fn openmetrics_is_detected_and_parse_errors_name_line_and_column() {
    let om = "# TYPE a counter\n# HELP a x\na_total 1\n# EOF\n";
    let (code, v) = lint(&[], om);
    assert_eq!((code, v["format"].as_str().unwrap()), (0, "openmetrics"));
    let (code, v) = lint(&["--format", "openmetrics"], "a 1\n");
    assert_eq!(code, 1);
    assert!(
        v["parse_error"]["message"]
            .as_str()
            .unwrap()
            .contains("EOF")
    );
    let (code, v) = lint(&[], "ok 1\nbad{x=\"1\" 2\n");
    assert_eq!(code, 1);
    assert_eq!(v["parse_error"]["line"], 2);
    assert_eq!(v["parse_error"]["column"], 11);
}

#[test]
fn file_input_and_missing_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("m.prom"),
        "# HELP x_total h\n# TYPE x_total counter\nx_total 3\n",
    )
    .unwrap();
    mon(dir.path())
        .args(["lint", "m.prom"])
        .assert()
        .success()
        .stdout(predicates::str::contains("1 families, 1 samples"));
    mon(dir.path())
        .args(["lint", "nope.prom"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("nope.prom"));
    mon(dir.path())
        .args(["lint", "--service", "server", "m.prom", "--output", "json"])
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "expected prefix gpu_charts_server",
        ));
}

/// The lexer once panicked on a backslash before a multi-byte character; on
/// its reading thread the panic was swallowed, so a bad line in a later
/// chunk after `# EOF` gave "ok". Every such input must fail, with a line.
#[test]
fn hostile_lines_fail_the_input_never_ok() {
    let bad = "a{x=\"\\é\n";
    let (code, v) = lint(
        &["--format", "openmetrics"],
        &format!("# TYPE a gauge\n{bad}# EOF\n"),
    );
    assert_eq!(code, 1, "{v}");
    assert_eq!(v["ok"], false);
    // The bad line in a later 256 KiB chunk, after # EOF.
    let mut big = String::from("# TYPE a gauge\n");
    for i in 0..40_000 {
        big.push_str(&format!("a{{i=\"{i}\"}} 1\n"));
    }
    big.push_str("# EOF\n");
    big.push_str(bad);
    let (code, v) = lint(&["--format", "openmetrics"], &big);
    assert_eq!(code, 1, "{}", v["parse_error"]);
    assert_eq!(v["ok"], false);
}

/// The same OpenMetrics input is detected as OpenMetrics by path, on stdin
/// (even past 64 KiB) and through a pipe path such as `<(cat f)`; a
/// directory is named in the error.
#[test]
fn detection_does_not_depend_on_the_source() {
    let dir = tempfile::tempdir().unwrap();
    let mut om = String::from("# TYPE a gauge\n");
    for i in 0..5000 {
        om.push_str(&format!("a{{i=\"{i}\"}} 1\n"));
    }
    om.push_str("# EOF\n");
    assert!(om.len() > 64 << 10);
    let file = dir.path().join("om.txt");
    std::fs::write(&file, &om).unwrap();
    let (code, v) = lint(&["-"], &om);
    assert_eq!(
        (code, v["format"].as_str().unwrap()),
        (0, "openmetrics"),
        "{v}"
    );
    let (code, v) = lint(&[file.to_str().unwrap()], "");
    assert_eq!(
        (code, v["format"].as_str().unwrap()),
        (0, "openmetrics"),
        "{v}"
    );
    let bin = assert_cmd::cargo::cargo_bin("gpucharts-mon");
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "{} lint --output json <(cat {})",
            bin.display(),
            file.display()
        ))
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    assert_eq!(v["format"], "openmetrics");
    assert_eq!(out.status.code(), Some(0));
    let (code, _, err) =
        crate::support::outcome(mon(dir.path()).args(["lint", dir.path().to_str().unwrap()]));
    assert_eq!(code, 2);
    assert!(
        err.contains(&format!("{} is a directory", dir.path().display())),
        "{err}"
    );
}

/// A large regular file is linted in parts at once (one per core); the
/// same bytes streamed from stdin are linted in one pass. Both must report
/// exactly the same, here on the benchmark's exposition with problems
/// added on both sides of where the parts meet: a family declared again
/// later, duplicate series across the parts, a histogram out of order, a
/// missing final newline.
#[test]
fn a_file_linted_in_parts_reports_what_one_pass_reports() {
    let generator =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/gen-exposition.py");
    if !generator.exists() {
        crate::support::skip(&format!("{} is missing", generator.display()));
        return;
    }
    let out = std::process::Command::new("python3")
        .arg(&generator)
        .arg("2000")
        .output()
        .unwrap();
    assert!(out.status.success());
    let body = String::from_utf8(out.stdout).unwrap();
    let mut text = String::from("# HELP gpu_charts_trade_volume_total again\n");
    text +=
        "gpu_charts_trade_volume_total{exchange=\"coinbase\",symbol=\"SYM0-USD\",side=\"buy\"} 1\n";
    text += &body;
    text += "# HELP gpu_charts_last_update_timestamp once more\n";
    text += "gpu_charts_last_update_timestamp{exchange=\"coinbase\",symbol=\"SYM0-USD\"} 1\n";
    text += "# TYPE late histogram\nlate_bucket{le=\"2\"} 1\nlate_bucket{le=\"1\"} 2\nlate_count 1";
    assert!(text.len() > 5 << 20, "{} bytes", text.len());
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("big.prom");
    std::fs::write(&file, &text).unwrap();
    let run = |args: &[&str], stdin: &str| {
        let (code, mut v, _) = crate::support::json_outcome(
            mon(dir.path())
                .arg("lint")
                .args(args)
                .args(["--output-format", "json"])
                .write_stdin(stdin),
        );
        v["seconds"] = serde_json::Value::Null;
        v["source"] = serde_json::Value::Null;
        (code, v)
    };
    let parts = run(&[file.to_str().unwrap()], "");
    let one_pass = run(&["-", "--format", "text"], &text);
    assert_eq!(parts, one_pass);
    let findings = parts.1["findings"].to_string();
    for needle in [
        "metric not unique",
        "not in increasing le order",
        "no newline at the end",
    ] {
        assert!(findings.contains(needle), "missing {needle}: {findings}");
    }
}

/// Every flag lint declares reaches the result: each one, given a value
/// other than its default, changes the exit code or the report.
#[test]
fn each_lint_flag_is_read() {
    let input = "# HELP a A\n# TYPE a gauge\na{x=\"1\"} 1\na{x=\"2\"} 2\n# HELP b B\n# TYPE b gauge\n{\"b.c\"} 1\n";
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let mut cmd = mon(dir.path());
        cmd.arg("lint").arg("-").args(args).write_stdin(input);
        if !args.contains(&"--output-format") {
            cmd.args(["--output-format", "json"]);
        }
        let (code, out, err) = crate::support::outcome(&mut cmd);
        // Only what the input and flags decide: not the time it took.
        let out = match serde_json::from_str::<serde_json::Value>(&out) {
            Ok(mut v) => {
                v["seconds"] = serde_json::Value::Null;
                v.to_string()
            }
            Err(_) => out,
        };
        (code, out, err)
    };
    let baseline = run(&[]);
    assert_eq!(baseline.0, 0, "{baseline:?}");
    for args in [
        &["--strict"][..],
        &["--max-series", "1"],
        &["--max-family-series", "1"],
        &["--prefix", "zzz_"],
        &["--service", "logger"],
        &["--prometheus-version", "2"],
        &["--content-type", "text/html"],
        &["--format", "openmetrics"],
        &["--output-format", "table"],
    ] {
        let changed = run(args);
        // A usage error would change the result for the wrong reason.
        assert_ne!(changed.0, 2, "{args:?}: {}", changed.2);
        assert_ne!(
            (changed.0, &changed.1),
            (baseline.0, &baseline.1),
            "{args:?} changed nothing: {}",
            changed.2
        );
    }
}

/// Hostile bytes past where a large file's parts meet: invalid UTF-8, a
/// line longer than the 16 MiB cap, terminal escapes in a label value, a
/// truncated last line. As a file (in parts) each gives exactly what one
/// pass on stdin gives: the same exit code and report, one error line,
/// no escape character on the terminal.
#[test]
fn hostile_bytes_in_a_later_part_are_what_one_pass_says() {
    // A first family about as long as what follows it, so the parts meet
    // at `# HELP b` (a file needs 4 MiB for two parts).
    let head = |bytes: usize| {
        let mut head = String::from("# HELP a_total A\n# TYPE a_total counter\n");
        let mut i = 0;
        while head.len() < bytes {
            head += &format!("a_total{{i=\"{i}\"}} 1\n");
            i += 1;
        }
        head
    };
    let later = "# HELP b B\n# TYPE b gauge\n".to_string();
    let long = format!("b{{x=\"{}\"}} 1\n", "y".repeat(17 << 20));
    let cases: [(&str, Vec<u8>); 4] = [
        (
            "invalid UTF-8",
            [later.as_bytes(), b"b{x=\"\xff\"} 1\n"].concat(),
        ),
        (
            "a 17 MiB line",
            [later.as_bytes(), long.as_bytes()].concat(),
        ),
        (
            "escapes",
            [later.as_bytes(), b"b{x=\"\x1b[2J\x07\"} 1\nb\x1b 2\n"].concat(),
        ),
        (
            "truncated",
            [later.as_bytes(), b"b{x=\"1\"} 1\nb{x=\"2"].concat(),
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (what, tail) in cases {
        let data = [head(tail.len().max(5 << 20)).as_bytes(), &tail].concat();
        let file = dir.path().join("hostile.prom");
        std::fs::write(&file, &data).unwrap();
        let run = |args: &[&str], stdin: Vec<u8>| {
            let (code, out, err) = crate::support::outcome(
                mon(dir.path())
                    .arg("lint")
                    .args(args)
                    .args(["--output-format", "json"])
                    .write_stdin(stdin),
            );
            let mut v: serde_json::Value =
                serde_json::from_str(&out).unwrap_or_else(|e| panic!("{what}: {e}: {out} {err}"));
            v["seconds"] = serde_json::Value::Null;
            v["source"] = serde_json::Value::Null;
            (code, v, err)
        };
        let parts = run(&[file.to_str().unwrap()], Vec::new());
        let one_pass = run(&["-", "--format", "text"], data.clone());
        assert_eq!((parts.0, &parts.1), (one_pass.0, &one_pass.1), "{what}");
        assert_ne!(parts.0, 0, "{what}: {:?}", parts.1);
        let shown = format!("{} {}", parts.1, parts.2);
        assert!(
            !shown.contains('\u{1b}') && !shown.contains('\u{7}'),
            "{what}: {shown}"
        );
    }
}
