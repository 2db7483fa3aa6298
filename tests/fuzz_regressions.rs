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
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n.max(1) as u64) as usize
    };
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
