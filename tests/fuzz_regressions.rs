//! Every input the fuzzers (or reviewers) found to crash, kept under
//! `fuzz/regressions/<target>/` and replayed through the same checks the
//! fuzz targets run; plus a seeded, quick mutation pass over the OpenMetrics
//! conformance cases.

use std::path::Path;

use gpucharts_mon::fuzzing;

type Target = fn(&[u8]);

const TARGETS: [(&str, Target); 5] = [
    ("exposition", fuzzing::exposition_agrees),
    ("inventory", fuzzing::inventory),
    ("api_answers", fuzzing::api_answers),
    ("values", fuzzing::values),
    ("template_escaping", fuzzing::template_escaping),
];

/// A seeded xorshift: `next(n)` is below `n`, the same on every run.
fn xorshift(seed: u64) -> impl FnMut(usize) -> usize {
    let mut state = seed;
    move |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n.max(1) as u64) as usize
    }
}

#[test]
fn saved_crashes_stay_fixed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let mut replayed = 0;
    for (name, target) in TARGETS {
        let Ok(entries) = std::fs::read_dir(root.join(name)) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            let data = std::fs::read(&path).unwrap();
            let outcome = std::panic::catch_unwind(|| target(&data));
            assert!(outcome.is_ok(), "{name}: {} fails again", path.display());
            replayed += 1;
        }
    }
    assert!(replayed >= 5, "only {replayed} regression inputs found");
}

/// A few deterministic mutations of every conformance case, in both
/// formats: whole-buffer and chunked streaming parses must agree, and
/// nothing may panic. Seeded, so a failure reproduces.
#[test]
fn seeded_mutations_of_the_conformance_cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance/openmetrics");
    let Ok(cases) = std::fs::read_dir(&dir) else {
        crate::support::skip(&format!("seeded_mutations: {} is missing", dir.display()));
        return;
    };
    const TRICKY: &[&[u8]] = &[
        b"\\",
        b"\"",
        "é".as_bytes(),
        b"{",
        b"}",
        b"\n",
        b"# EOF\n",
        b",",
        b"=",
        b" ",
        b"\t",
        b"\xff",
        b"\r\n",
        b"_total",
        b"NaN",
        b"+Inf",
    ];
    let mut next = xorshift(0x9e37_79b9_7f4a_7c15);
    let mut runs = 0;
    for case in cases {
        let Ok(text) = std::fs::read(case.unwrap().path().join("metrics")) else {
            continue;
        };
        for round in 0..6 {
            let mut data = text.clone();
            for _ in 0..1 + next(3) {
                let at = next(data.len() + 1);
                match next(3) {
                    0 => {
                        let t = TRICKY[next(TRICKY.len())];
                        data.splice(at..at, t.iter().copied());
                    }
                    1 if at < data.len() => {
                        data.remove(at);
                    }
                    _ => data.truncate(at),
                }
            }
            let mut input = vec![(round as u8) | (next(256) as u8 & 0xfe)];
            input.extend_from_slice(&data);
            let input_text = input.clone();
            let outcome = std::panic::catch_unwind(|| fuzzing::exposition_agrees(&input));
            assert!(
                outcome.is_ok(),
                "mutation fails: {:?}",
                String::from_utf8_lossy(&input_text)
            );
            runs += 1;
        }
    }
    assert!(runs > 1000, "{runs}");
}

/// Classic-format inputs of many families, with what makes parts
/// interesting: names that repeat or take another's suffix, HELP after
/// samples, histograms out of order, duplicate series, more than 1,000
/// findings of one check, a bad line or invalid UTF-8 somewhere, no final
/// newline. Parsed in parts from any place a part may start (and from
/// several at once), each must find exactly what one pass finds.
#[test]
fn inputs_parsed_in_parts_agree_with_one_pass() {
    const NAMES: &[&str] = &[
        "a",
        "a_bucket",
        "a_count",
        "b",
        "b_total",
        "c_seconds",
        "a_b",
    ];
    const TYPES: &[&str] = &[
        "counter",
        "gauge",
        "histogram",
        "summary",
        "untyped",
        "bogus",
    ];
    let mut next = xorshift(0x2545_f491_4f6c_dd1d);
    let mut inputs = Vec::new();
    for round in 0..300 {
        let mut text = String::new();
        let families = if round == 0 { 1200 } else { 1 + next(12) };
        for f in 0..families {
            let name = if round == 0 {
                format!("f{f}")
            } else {
                NAMES[next(NAMES.len())].to_string()
            };
            if round != 0 && next(3) > 0 {
                text += &format!("# HELP {name} help of {name}\n");
            }
            if next(2) == 0 {
                text += &format!("# TYPE {name} {}\n", TYPES[next(TYPES.len())]);
            }
            for _ in 0..next(6) {
                let (sample, le) = match next(4) {
                    0 => (format!("{name}_bucket"), format!(",le=\"{}\"", next(4))),
                    1 => (format!("{name}_sum"), String::new()),
                    _ => (name.clone(), String::new()),
                };
                text += &format!("{sample}{{x=\"{}\"{le}}} {}\n", next(3), next(9));
            }
            if round != 0 && next(40) == 0 {
                text += ["a b c\n", "a{x=\"1\" 2\n", "# HELP\n", "a 1 \u{e9}\n"][next(4)];
            }
        }
        let mut data = text.into_bytes();
        if next(15) == 0 {
            let at = next(data.len());
            data.insert(at, 0xff);
        }
        if next(5) == 0 {
            data.pop();
        }
        inputs.push(data);
    }
    let mut parted = 0;
    for data in inputs {
        let mut input = vec![0u8];
        input.extend_from_slice(&data);
        let outcome = std::panic::catch_unwind(|| fuzzing::exposition_agrees(&input));
        assert!(
            outcome.is_ok(),
            "parts disagree on: {:?}",
            String::from_utf8_lossy(&data)
        );
        parted += usize::from(fuzzing::part_starts(&data) > 0);
    }
    assert!(
        parted > 200,
        "only {parted} inputs could be parsed in parts"
    );
}
