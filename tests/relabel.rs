//! The relabel engine against a real Prometheus of each version (Debian's
//! 2.42 with the engine's 2.x semantics, Debian testing's 3.5 with its 3.x
//! semantics): seeded random rule lists over every action and seeded random
//! discovered label sets (static target groups, `__meta_*` labels
//! included); the targets Prometheus keeps, and their final labels, must
//! equal the engine's, job for job.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use gpucharts_mon::promconfig::model::{RelabelAction, RelabelConfig, ScrapeConfig};
use gpucharts_mon::promconfig::relabel::{LabelSet, compile_all, trace};
use gpucharts_mon::version::PromVersion;

use crate::support::http::get;
use crate::support::prometheus::{Prometheus, Version};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }
}

const NAMES: &[&str] = &[
    "a",
    "b",
    "app",
    "env",
    "__meta_x_app",
    "__meta_x_port",
    "__tmp",
];
const VALUES: &[&str] = &[
    "",
    "x",
    "X-y",
    "web",
    "10.0.0.1",
    "é-ü",
    "a;b",
    "1",
    "host:9090",
    "Web_App",
    // Go's RE2 classes are ASCII: `\d` does not match Arabic-Indic digits.
    "١٢٣",
    "a b",
    // Go's case mapping.
    "İx",
    "ᾳ",
    // Paths, schemes and durations for the internal labels.
    "/metrics",
    "no slash/x?y",
    "https",
    "5s",
    "0s",
    "1500ms",
];
const REGEXES: &[&str] = &[
    "(.*)",
    "x",
    "(.+)",
    "([a-z]+)-(.*)",
    ".*é.*",
    "a;b",
    "10\\..*",
    "(a|b)",
    "(?i)web.*",
    "",
    "\\d+",
    "(\\w+)",
    ".*\\s.*",
    ".*\\b.*",
    "\\Q.\\E(.*)",
    "[[:alpha:]]+",
];
const TARGETS: &[&str] = &[
    "t",
    "app",
    "env",
    "${1}",
    "$1y",
    "__tmp",
    "${1}_x",
    "__param_module",
    "__metrics_path__",
    "__scheme__",
    "__scrape_timeout__",
    "__scrape_interval__",
];
const REPLACEMENTS: &[&str] = &[
    "$1", "${1}y", "$1y", "v", "", "$2-$1", "$$", "x_${2}", "$1é", "$01", "y${1-}",
];

fn random_rule(rng: &mut Rng) -> RelabelConfig {
    let actions = [
        RelabelAction::Replace,
        RelabelAction::Keep,
        RelabelAction::Drop,
        RelabelAction::Keepequal,
        RelabelAction::Dropequal,
        RelabelAction::Hashmod,
        RelabelAction::Labelmap,
        RelabelAction::Labeldrop,
        RelabelAction::Labelkeep,
        RelabelAction::Lowercase,
        RelabelAction::Uppercase,
    ];
    let action = *rng.pick(&actions);
    let sources = |rng: &mut Rng| {
        (0..1 + rng.next() % 2)
            .map(|_| rng.pick(NAMES).to_string())
            .collect::<Vec<_>>()
    };
    let static_target = |rng: &mut Rng| rng.pick(&["t", "app", "env", "__tmp"]).to_string();
    let mut r = RelabelConfig {
        action: Some(action),
        ..Default::default()
    };
    match action {
        RelabelAction::Replace => {
            r.source_labels = sources(rng);
            if rng.next().is_multiple_of(3) {
                r.separator = Some("-".into());
            }
            r.regex = Some(rng.pick(REGEXES).to_string());
            r.target_label = Some(rng.pick(TARGETS).to_string());
            r.replacement = Some(rng.pick(REPLACEMENTS).to_string());
        }
        RelabelAction::Keep | RelabelAction::Drop => {
            r.source_labels = sources(rng);
            r.regex = Some(rng.pick(REGEXES).to_string());
        }
        RelabelAction::Keepequal | RelabelAction::Dropequal => {
            r.source_labels = sources(rng);
            r.target_label = Some(static_target(rng));
        }
        RelabelAction::Hashmod => {
            r.source_labels = sources(rng);
            r.target_label = Some(static_target(rng));
            r.modulus = Some(*rng.pick(&[1, 7, 1000, 1 << 40]));
        }
        RelabelAction::Labelmap => {
            r.regex = Some(rng.pick(&["__meta_x_(.+)", "(a)", "(e.*)"]).to_string());
            r.replacement = Some(rng.pick(&["$1", "m_$1"]).to_string());
        }
        RelabelAction::Labeldrop | RelabelAction::Labelkeep => {
            // Never touch __address__ or job-level labels with these.
            r.regex = Some(
                rng.pick(&["a", "__meta_.*", "(b|env)", "__tmp"])
                    .to_string(),
            );
        }
        RelabelAction::Lowercase | RelabelAction::Uppercase => {
            r.source_labels = sources(rng);
            r.target_label = Some(static_target(rng));
        }
    }
    r
}

fn random_labels(rng: &mut Rng, port: u16) -> LabelSet {
    let mut l = LabelSet::new();
    for _ in 0..rng.next() % 5 {
        let name = rng.pick(NAMES);
        if *name != "__tmp" {
            l.insert(name.to_string(), rng.pick(VALUES).to_string());
        }
    }
    l.retain(|_, v| !v.is_empty());
    l.insert("__address__".into(), format!("127.0.0.1:{port}"));
    l
}

#[test]
fn engine_agrees_with_prometheus_2_on_random_rules() {
    differential(Version::Stable, PromVersion::V2);
}

#[test]
fn engine_agrees_with_prometheus_3_on_random_rules() {
    differential(Version::Three, PromVersion::V3);
}

fn differential(server: Version, semantics: PromVersion) {
    const JOBS: usize = 450;
    const TARGETS_PER_JOB: usize = 5;
    // Three seeds, all in one Prometheus; GPUCHARTS_MON_SEED tries unseen ones.
    let extra = std::env::var("GPUCHARTS_MON_SEED")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or(0);
    let mut seeds = [
        Rng(0x5eed_1234_abcd_ef01 ^ extra),
        Rng(0x0123_4567_89ab_cdef ^ extra),
        Rng(0xdead_beef_cafe_f00d ^ extra),
    ];
    let mut config =
        String::from("global: {scrape_interval: 1h, scrape_timeout: 10s}\nscrape_configs:\n");
    // job -> (its config, discovered label sets)
    let mut cases: Vec<(ScrapeConfig, Vec<LabelSet>)> = Vec::new();
    let mut port = 20000;
    for j in 0..JOBS {
        let rng = &mut seeds[j % 3];
        let job = format!("job{j}");
        let rules: Vec<RelabelConfig> = (0..1 + rng.next() % 4).map(|_| random_rule(rng)).collect();
        let mut discovered = Vec::new();
        let mut groups = Vec::new();
        for _ in 0..TARGETS_PER_JOB {
            port += 1;
            let labels = random_labels(rng, port);
            let mut group_labels = labels.clone();
            let addr = group_labels.remove("__address__").unwrap();
            groups.push(serde_json::json!({"targets": [addr], "labels": group_labels}));
            discovered.push(labels);
        }
        // Some jobs set their own path, params and interval (5s: the
        // global 10s timeout is cut to it).
        let mut scrape = ScrapeConfig {
            job_name: job.clone(),
            relabel_configs: rules,
            ..Default::default()
        };
        let mut job_yaml = String::new();
        match rng.next() % 6 {
            0 => {
                scrape.metrics_path = Some("/probe me".into());
                job_yaml.push_str("    metrics_path: '/probe me'\n");
            }
            1 => {
                scrape.params = BTreeMap::from([(
                    "module".to_string(),
                    vec!["a b".to_string(), "c&d".to_string()],
                )]);
                job_yaml.push_str("    params: {module: ['a b', 'c&d']}\n");
            }
            2 => {
                scrape.scrape_interval = Some("5s".parse().unwrap());
                job_yaml.push_str("    scrape_interval: 5s\n");
            }
            _ => {}
        }
        let rules_yaml = gpucharts_mon::yaml::to_string(&scrape.relabel_configs).unwrap();
        let indented: String = rules_yaml.lines().map(|l| format!("      {l}\n")).collect();
        // Static groups carry any label, __meta_* included, and need no
        // file watcher (inotify allows only so many).
        config.push_str(&format!(
            "  - job_name: {job}\n{job_yaml}    static_configs: {}\n    relabel_configs:\n{indented}",
            serde_json::to_string(&groups).unwrap()
        ));
        cases.push((scrape, discovered));
    }
    let test = format!("relabel::differential {server:?}");
    let Some(prom) = Prometheus::start_version(server, &config, true, &[], &test) else {
        return;
    };
    eprintln!("{test}: {}", server.describe(&test).unwrap_or_default());
    // Engine side, in the server's semantics.
    let mut expected: BTreeMap<String, BTreeSet<LabelSet>> = BTreeMap::new();
    let mut expected_dropped: BTreeMap<String, usize> = BTreeMap::new();
    for (scrape, discovered) in &cases {
        let kept = expected.entry(scrape.job_name.clone()).or_default();
        let rules = compile_all(scrape, semantics).unwrap();
        let interval = scrape
            .scrape_interval
            .map_or("1h".to_string(), |d| d.to_string());
        let timeout = scrape.scrape_timeout.map_or_else(
            || {
                if interval == "5s" {
                    "5s".to_string()
                } else {
                    "10s".to_string()
                }
            },
            |d| d.to_string(),
        );
        for d in discovered {
            let t = trace(scrape, &rules, d, &interval, &timeout, semantics, false);
            match t.outcome {
                Ok(Some(mut labels)) => {
                    labels.remove("__address__");
                    labels.insert("__url__".into(), t.scrape_url.unwrap_or_default());
                    kept.insert(labels);
                }
                Ok(None) => *expected_dropped.entry(scrape.job_name.clone()).or_default() += 1,
                Err(_) => {}
            }
        }
    }
    // Prometheus side: discovery hands targets over in batches (every 5 s
    // in 2.x); wait until every job with targets has shown up, twice.
    let jobs_expected: BTreeSet<String> = expected
        .iter()
        .filter(|(_, kept)| !kept.is_empty())
        .map(|(j, _)| j.clone())
        .chain(expected_dropped.keys().cloned())
        .collect();
    let dropped_expected: usize = expected_dropped.values().sum();
    let start = Instant::now();
    let mut settled = 0;
    let answer = loop {
        let (_, body) = get(&format!("{}/api/v1/targets", prom.url)).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        let mut seen: BTreeSet<String> = BTreeSet::new();
        for t in v["data"]["activeTargets"].as_array().unwrap() {
            seen.insert(t["scrapePool"].as_str().unwrap_or_default().to_string());
        }
        for t in v["data"]["droppedTargets"].as_array().unwrap() {
            seen.insert(
                t["discoveredLabels"]["job"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            );
        }
        settled = if jobs_expected.is_subset(&seen) {
            settled + 1
        } else {
            0
        };
        if settled >= 2 || start.elapsed() > Duration::from_secs(40) {
            break v;
        }
        std::thread::sleep(Duration::from_millis(500));
    };
    let mut actual: BTreeMap<String, BTreeSet<LabelSet>> = BTreeMap::new();
    for t in answer["data"]["activeTargets"].as_array().unwrap() {
        let mut labels: LabelSet = serde_json::from_value(t["labels"].clone()).unwrap();
        labels.insert(
            "__url__".into(),
            t["scrapeUrl"].as_str().unwrap_or_default().to_string(),
        );
        let pool = t["scrapePool"].as_str().unwrap().to_string();
        actual.entry(pool).or_default().insert(labels);
    }
    let mut mismatches = Vec::new();
    for (scrape, discovered) in &cases {
        let job = &scrape.job_name;
        let want = expected.get(job).cloned().unwrap_or_default();
        let got = actual.get(job).cloned().unwrap_or_default();
        if want != got {
            mismatches.push(format!(
                "{job}: rules {:?}\n discovered {discovered:?}\n engine {want:?}\n prometheus {got:?}",
                scrape.relabel_configs
            ));
        }
    }
    let kept: usize = expected.values().map(BTreeSet::len).sum();
    assert!(
        kept > 20 && dropped_expected > 10,
        "the random cases should keep and drop: kept {kept}, dropped {dropped_expected}"
    );
    assert!(
        mismatches.is_empty(),
        "{server:?}: {} of {JOBS} jobs differ:\n{}\nprometheus log:\n{}",
        mismatches.len(),
        mismatches.join("\n\n"),
        prom.log()
            .lines()
            .filter(|l| l.contains("level=error") || l.contains("level=warn"))
            .take(20)
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// The `relabel` command on the generated Kubernetes and Docker configs:
/// the right pods and containers are kept, the rule that dropped the others
/// is named, `--expect-kept` fails on a wrong count, bad input is exit 2.
/// gen-config's kubernetes and docker configs, as k8s.yml and docker.yml in `d`.
fn generated_configs(d: &std::path::Path) {
    for (mode, file) in [("kubernetes", "k8s.yml"), ("docker", "docker.yml")] {
        let (code, _, err) = crate::support::outcome(crate::support::mon(d).args([
            "gen-config",
            "--mode",
            mode,
            "-o",
            file,
        ]));
        assert_eq!(code, 0, "{err}");
    }
}

#[test]
fn relabel_command_on_generated_configs() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let run = |args: &[&str]| crate::support::outcome(crate::support::mon(d).args(args));
    generated_configs(d);
    let (code, out, err) = run(&[
        "relabel",
        "--config-file",
        "k8s.yml",
        "--job",
        "gpu-charts-server",
        "--example",
        "kubernetes-pod",
        "--expect-kept",
        "2",
        "--output-format",
        "json",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let urls: Vec<&str> = v["targets"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t["scrape_url"].as_str())
        .collect();
    assert_eq!(
        urls,
        [
            "http://10.1.2.4:9091/metrics",
            "http://[fd00::5]:9091/metrics"
        ]
    );
    let redis = &v["targets"][9];
    assert_eq!(redis["kept"], false);
    assert_eq!(redis["dropped_by"], 2);
    assert!(
        redis["dropped_by_rule"]
            .as_str()
            .unwrap()
            .starts_with("keep"),
        "{redis}"
    );

    let (code, out, _) = run(&[
        "relabel",
        "--config-file",
        "docker.yml",
        "--job",
        "gpu-charts-logger",
        "--example",
        "docker-container",
        "--expect-kept",
        "2",
        "--trace",
    ]);
    assert_eq!(code, 1, "only the logger container is kept: {out}");
    assert!(
        out.contains("after rule 0") && out.contains("1 of 4 target(s) kept"),
        "{out}"
    );

    // Targets from a saved /api/v1/targets answer.
    let answer = serde_json::json!({"status": "success", "data": {
        "activeTargets": [{"discoveredLabels": {"__address__": "10.0.0.1:9090",
            "__meta_docker_container_label_com_docker_compose_service": "logger",
            "__meta_docker_port_private": "9090", "__meta_docker_container_name": "/x-logger-1"}}],
        "droppedTargets": [{"discoveredLabels": {"__address__": "10.0.0.2:5432",
            "__meta_docker_container_label_com_docker_compose_service": "db",
            "__meta_docker_port_private": "5432"}}]}});
    std::fs::write(d.join("answer.json"), answer.to_string()).unwrap();
    let (code, out, err) = run(&[
        "relabel",
        "--config-file",
        "docker.yml",
        "--job",
        "gpu-charts-logger",
        "--targets",
        "answer.json",
        "--expect-kept",
        "1",
    ]);
    assert_eq!(code, 0, "{out}{err}");

    // Bad input: an unknown job, an invalid regex (named by its index).
    let (code, _, err) = run(&[
        "relabel",
        "--config-file",
        "docker.yml",
        "--job",
        "nope",
        "--example",
        "docker-container",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("gpu-charts-logger"), "{err}");
    std::fs::write(
        d.join("bad.yml"),
        "scrape_configs:\n  - job_name: j\n    static_configs: [{targets: [\"a:1\"]}]\n    relabel_configs: [{action: hashmod, source_labels: [a], target_label: t}]\n",
    )
    .unwrap();
    let (code, _, err) = run(&[
        "relabel",
        "--config-file",
        "bad.yml",
        "--job",
        "j",
        "--example",
        "docker-container",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("relabel_configs[0]") && err.contains("modulus"),
        "{err}"
    );
}

/// One relabel rule as YAML fields, from a vocabulary of valid and invalid
/// forms (odd action spellings, fields an action does not take, label
/// names each version refuses, regexes Go refuses).
fn random_raw_rule(rng: &mut Rng) -> serde_json::Value {
    let actions = [
        "replace",
        "keep",
        "drop",
        "hashmod",
        "labelmap",
        "labeldrop",
        "labelkeep",
        "lowercase",
        "uppercase",
        "keepequal",
        "dropequal",
        "Keep",
        "LABELMAP",
        "bogus",
    ];
    let mut m = serde_json::Map::new();
    let action = *rng.pick(&actions);
    if !rng.next().is_multiple_of(8) {
        m.insert("action".into(), action.into());
    }
    if !rng.next().is_multiple_of(3) {
        m.insert(
            "source_labels".into(),
            serde_json::json!([*rng.pick(&["a", "b", "__address__"])]),
        );
    }
    if rng.next().is_multiple_of(2) {
        let re = *rng.pick(&[
            "(.*)", "x", "(a)(b)?", "(?x)a", "a{1001}", "a{1000}", "\\Q.\\E", "[", "\\8", "\\101",
            "(?P<n>a)", "(?<n>a)", "\\d+", "a\\<", "[a&&b]", "(?U)a+",
        ]);
        m.insert("regex".into(), re.into());
    }
    if rng.next().is_multiple_of(2) {
        let t = *rng.pick(&[
            "t", "a-b", "$1", "${1}x", "$1é", "x-$1", "", "__tmp", "é", "1a",
        ]);
        m.insert("target_label".into(), t.into());
    }
    if rng.next().is_multiple_of(3) {
        let r = *rng.pick(&["$1", "x", "$1é", "x-$1", "", "m_$1", "é"]);
        m.insert("replacement".into(), r.into());
    }
    if rng.next().is_multiple_of(4) {
        m.insert("separator".into(), (*rng.pick(&[";", "-"])).into());
    }
    if rng.next().is_multiple_of(4) {
        m.insert("modulus".into(), (*rng.pick(&[0u64, 1, 8])).into());
    }
    serde_json::Value::Object(m)
}

#[test]
fn rule_validity_agrees_with_promtool_2() {
    validity(Version::Stable, PromVersion::V2);
}

#[test]
fn rule_validity_agrees_with_promtool_3() {
    validity(Version::Three, PromVersion::V3);
}

/// Which rule lists a version's promtool accepts, the engine accepts
/// (the tool's own config check, then compiling the rules).
fn validity(server: Version, semantics: PromVersion) {
    const CASES: usize = 160;
    let test = format!("relabel::validity {server:?}");
    let Some(promtool) = server.tool("promtool", &test) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // GPUCHARTS_MON_SEED tries an unseen seed.
    let seed = std::env::var("GPUCHARTS_MON_SEED")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or(0x7a11_d17e_0ddb_a115);
    let mut rng = Rng(seed ^ semantics as u64 | 1);
    let mut mismatches = Vec::new();
    let (mut valid, mut invalid) = (0, 0);
    for i in 0..CASES {
        let rules: Vec<serde_json::Value> = (0..1 + rng.next() % 2)
            .map(|_| random_raw_rule(&mut rng))
            .collect();
        let text = format!(
            "scrape_configs:\n- job_name: j\n  static_configs: [{{targets: ['127.0.0.1:1']}}]\n  relabel_configs: {}\n",
            serde_json::to_string(&rules).unwrap()
        );
        let file = dir.path().join(format!("c{i}.yml"));
        std::fs::write(&file, &text).unwrap();
        let out = std::process::Command::new(&promtool)
            .args(["check", "config"])
            .arg(&file)
            .output()
            .unwrap();
        let theirs = out.status.success();
        let ours =
            gpucharts_mon::promconfig::validate::check_config_for(&text, semantics).map(|_| ());
        if theirs {
            valid += 1;
        } else {
            invalid += 1;
        }
        if theirs != ours.is_ok() {
            mismatches.push(format!(
                "{rules}\n promtool: {}\n engine: {ours:?}",
                String::from_utf8_lossy(&out.stdout)
                    .trim()
                    .replace('\n', " | ")
                    + &String::from_utf8_lossy(&out.stderr)
                        .trim()
                        .replace('\n', " | "),
                rules = serde_json::to_string(&rules).unwrap()
            ));
        }
    }
    eprintln!(
        "{test}: {valid} valid, {invalid} invalid, {} disagree",
        mismatches.len()
    );
    assert!(
        valid > 20 && invalid > 20,
        "{valid} valid, {invalid} invalid"
    );
    assert!(
        mismatches.is_empty(),
        "{test}: {} of {CASES} differ:\n{}",
        mismatches.len(),
        mismatches.join("\n\n")
    );
}

/// What `--targets` reads, as discovery would hand it over: an empty value
/// is an absent label, a map's own `job` does not filter it out, and a
/// file_sd file is read as target groups.
#[test]
fn targets_files_read_as_discovery_hands_them_over() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("p.yml"),
        "scrape_configs:\n- job_name: j\n  static_configs: [{targets: ['x:1']}]\n  relabel_configs:\n  - {source_labels: [a], regex: '', action: drop}\n",
    )
    .unwrap();
    std::fs::write(
        d.join("maps.json"),
        r#"[{"__address__": "h:1", "a": "", "job": "other"}, {"__address__": "h:2", "a": "v"}]"#,
    )
    .unwrap();
    std::fs::write(
        d.join("sd.json"),
        r#"[{"targets": ["h:3", "h:4"], "labels": {"a": "v", "b": ""}}]"#,
    )
    .unwrap();
    let run = |file: &str| {
        let out = crate::support::stdout_of(crate::support::mon(d).args([
            "relabel",
            "--config-file",
            "p.yml",
            "--job",
            "j",
            "--targets",
            file,
            "--output-format",
            "json",
        ]));
        serde_json::from_str::<serde_json::Value>(&out).unwrap()
    };
    // h:1's empty `a` is absent, so the drop on an empty `a` drops it; its
    // `job: other` does not hide it from job j.
    let v = run("maps.json");
    assert_eq!(v["targets"].as_array().unwrap().len(), 2, "{v}");
    assert_eq!(v["kept"], 1, "{v}");
    let v = run("sd.json");
    assert_eq!(v["kept"], 2, "{v}");
    let kept = &v["targets"][0];
    assert_eq!(kept["labels"]["a"], "v", "{v}");
    assert!(kept["labels"].get("b").is_none(), "{v}");
}

/// `relabel --prometheus URL` (or PROMETHEUS_URL) takes the semantics from
/// the server's build info: a 2.x server appends the scheme's default port,
/// a 3.x one does not. `--prometheus-version` wins over both.
#[test]
fn relabel_takes_the_semantics_from_the_server() {
    use crate::support::http::{Response, TestServer};
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("p.yml"),
        "scrape_configs:\n- job_name: j\n  static_configs: [{targets: ['x:1']}]\n",
    )
    .unwrap();
    std::fs::write(d.join("t.json"), r#"[{"__address__": "h"}]"#).unwrap();
    let relabel = |extra: &[&str], env: Option<&str>| {
        let mut cmd = crate::support::mon(d);
        cmd.args(["relabel", "--config-file", "p.yml", "--job", "j"])
            .args(["--targets", "t.json", "--output-format", "json"])
            .args(extra);
        if let Some(url) = env {
            cmd.env("PROMETHEUS_URL", url);
        }
        crate::support::outcome(&mut cmd)
    };
    let instance = |out: &str| {
        let v: serde_json::Value = serde_json::from_str(out).unwrap();
        v["targets"][0]["labels"]["instance"].clone()
    };
    for (version, expected, by_env) in [("2.42.0", "h:80", false), ("3.5.3", "h", true)] {
        let body = format!(r#"{{"status":"success","data":{{"version":"{version}"}}}}"#);
        let server =
            TestServer::start(move |_, _| Response::new(200, "application/json", body.clone()));
        let url = server.url();
        let (code, out, err) = if by_env {
            relabel(&[], Some(&url))
        } else {
            relabel(&["--prometheus", &url], None)
        };
        assert_eq!(code, 0, "{err}");
        assert!(
            err.contains(&format!("relabelling as Prometheus {version}")),
            "{err}"
        );
        assert_eq!(instance(&out), expected, "{version}");
        // The flag names the semantics itself: the server is not asked.
        let (code, out, err) = relabel(&["--prometheus-version", "2"], Some(&url));
        assert_eq!(code, 0, "{err}");
        assert!(!err.contains("relabelling as"), "{err}");
        assert_eq!(instance(&out), "h:80", "{version}");
    }
}

/// A labelmap collision: Prometheus 2.x walks the labels sorted (the last
/// name wins), 3.x in insertion order, so a label a rule added wins over a
/// discovered one whatever the names. Both real servers and the engine of
/// each version agree on the winner.
#[test]
fn labelmap_collisions_resolve_per_version() {
    let config = "global: {scrape_interval: 1h}\nscrape_configs:\n  - job_name: lm\n    static_configs: [{targets: ['127.0.0.1:1'], labels: {__meta_b: '1', __meta_d: '4'}}]\n    relabel_configs:\n      - {target_label: __meta_a, replacement: '2'}\n      - {target_label: __meta_c, replacement: '3'}\n      - {action: labelmap, regex: '__meta_(.)', replacement: x}\n";
    let parsed: gpucharts_mon::promconfig::PrometheusConfig =
        gpucharts_mon::yaml::from_str(config).unwrap();
    let job = &parsed.scrape_configs[0];
    let discovered: LabelSet = [
        ("__address__", "127.0.0.1:1"),
        ("__meta_b", "1"),
        ("__meta_d", "4"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    for (server, semantics, winner) in [
        (Version::Stable, PromVersion::V2, "4"),
        (Version::Three, PromVersion::V3, "3"),
    ] {
        let rules = compile_all(job, semantics).unwrap();
        let ours = trace(job, &rules, &discovered, "1h", "10s", semantics, false)
            .outcome
            .unwrap()
            .unwrap();
        assert_eq!(ours["x"], winner, "engine, {semantics:?}");
        let Some(prom) = Prometheus::start_version(server, config, false, &[], "relabel::labelmap")
        else {
            return;
        };
        let start = std::time::Instant::now();
        let labels = loop {
            let (_, body) = get(&format!("{}/api/v1/targets", prom.url)).unwrap();
            let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
            if let Some(t) = v["data"]["activeTargets"].get(0) {
                break t["labels"].clone();
            }
            assert!(start.elapsed().as_secs() < 20, "no target: {v}");
            std::thread::sleep(std::time::Duration::from_millis(300));
        };
        assert_eq!(labels["x"], winner, "{server:?}: {labels}");
    }
}

/// Every relabel flag reaches the result offline: each one, given a value
/// other than its default, changes what is printed or the exit code.
/// (--prometheus fetches discovered targets: tests/kubernetes.rs.)
#[test]
fn each_relabel_flag_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let run = |args: &[&str]| crate::support::outcome(crate::support::mon(d).args(args));
    generated_configs(d);
    let targets = r#"[{"__address__": "10.0.0.1:9091", "__meta_kubernetes_pod_phase": "Running", "__meta_kubernetes_pod_label_app": "server", "__meta_kubernetes_pod_container_port_number": "9091", "__meta_kubernetes_pod_ip": "10.0.0.1", "__meta_kubernetes_namespace": "default", "__meta_kubernetes_pod_name": "s", "__meta_kubernetes_pod_container_name": "server"}]"#;
    std::fs::write(d.join("targets.json"), targets).unwrap();
    let base = [
        "relabel",
        "--config-file",
        "k8s.yml",
        "--job",
        "gpu-charts-server",
        "--example",
        "kubernetes-pod",
    ];
    let with = |extra: &[&str]| {
        let mut args = base.to_vec();
        args.extend_from_slice(extra);
        run(&args)
    };
    let baseline = with(&[]);
    assert_eq!(baseline.0, 0, "{baseline:?}");
    let changed = [
        with(&["--trace"]),
        with(&["--expect-kept", "7"]),
        with(&["--output-format", "json"]),
        run(&[
            "relabel",
            "--config-file",
            "k8s.yml",
            "--job",
            "gpu-charts-logger",
            "--example",
            "kubernetes-pod",
        ]),
        run(&[
            "relabel",
            "--config-file",
            "docker.yml",
            "--job",
            "gpu-charts-server",
            "--example",
            "docker-container",
        ]),
        run(&[
            "relabel",
            "--config-file",
            "k8s.yml",
            "--job",
            "gpu-charts-server",
            "--targets",
            "targets.json",
        ]),
    ];
    for (i, c) in changed.iter().enumerate() {
        // A usage error would change the result for the wrong reason.
        assert_ne!(c.0, 2, "case {i}: {c:?}");
        assert_ne!(c, &baseline, "case {i} changed nothing");
    }
    // The version: 2.x gives an address without a port the scheme's
    // default port, 3.x leaves it as it is.
    std::fs::write(
        d.join("plain.yml"),
        "scrape_configs:\n  - job_name: plain\n    static_configs:\n      - targets: [x]\n",
    )
    .unwrap();
    std::fs::write(d.join("bare.json"), r#"[{"__address__": "host"}]"#).unwrap();
    let plain = |version: &str| {
        run(&[
            "relabel",
            "--config-file",
            "plain.yml",
            "--job",
            "plain",
            "--targets",
            "bare.json",
            "--prometheus-version",
            version,
        ])
    };
    let (two, three) = (plain("2"), plain("3"));
    assert!(
        two.1.contains("host:80") && !three.1.contains("host:80"),
        "{two:?} {three:?}"
    );
}
