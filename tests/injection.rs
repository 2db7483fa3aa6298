//! Nothing injectable: hostile inventory values go through every templated
//! field and come back out equal, adding no key; job names reach PromQL only
//! as escaped string literals, so the rules still pass promtool.

use crate::support::{have, mon, promtool_accepts, stdout_of};

const HOSTILE: &[&str] = &[
    "img\n  privileged: true\n  volumes: [\"/:/host\"]",
    "quote\"d: and #comment",
    "{{ 7*7 }} {% raw %}",
    "back\\slash \\n é ✓ \u{1b}[31m \u{2028} tab\there",
    "- list\n- items",
];

fn keys(v: &gpucharts_mon::yaml::Value) -> Vec<String> {
    let mut out = Vec::new();
    fn walk(v: &gpucharts_mon::yaml::Value, path: String, out: &mut Vec<String>) {
        match v {
            gpucharts_mon::yaml::Value::Mapping(m) => {
                for (k, v) in m {
                    let k = format!("{path}.{}", k.as_str().unwrap_or("?"));
                    out.push(k.clone());
                    walk(v, k, out);
                }
            }
            gpucharts_mon::yaml::Value::Sequence(s) => {
                for (i, v) in s.iter().enumerate() {
                    walk(v, format!("{path}[{i}]"), out);
                }
            }
            _ => {}
        }
    }
    walk(v, String::new(), &mut out);
    out.sort();
    out
}

fn parse(text: &str) -> gpucharts_mon::yaml::Value {
    gpucharts_mon::yaml::from_str(text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

#[test]
fn compose_values_round_trip_and_add_no_keys() {
    let dir = tempfile::tempdir().unwrap();
    let baseline = parse(&stdout_of(mon(dir.path()).args([
        "gen-compose",
        "--with-grafana",
        "--with-alertmanager",
    ])));
    for value in HOSTILE {
        // A fresh directory each time: the Grafana side file lands there.
        let dir = tempfile::tempdir().unwrap();
        let inv = gpucharts_mon::yaml::to_string(&serde_json::json!({
            "services": {
                "logger": {"image": value},
                "server": {"image": format!("{value}-server")},
            }
        }))
        .unwrap();
        std::fs::write(dir.path().join("inv.yaml"), inv).unwrap();
        // A mount source cannot hold ':' ',' or a control character (it
        // would change what is mounted where): such paths are refused; the
        // rest go through as values.
        let mountable = !value.contains([':', ',']) && !value.chars().any(char::is_control);
        let path = if mountable {
            (*value).to_string()
        } else {
            let (code, _, err) = crate::support::outcome(mon(dir.path()).args([
                "-c",
                "inv.yaml",
                "gen-compose",
                &format!("--prometheus-config={value}"),
            ]));
            assert_eq!(code, 2, "{value:?}: {err}");
            assert!(err.contains("compose mount source"), "{err}");
            value
                .replace([':', ','], "_")
                .replace(char::is_control, "_")
        };
        let out = stdout_of(mon(dir.path()).args([
            "-c",
            "inv.yaml",
            "gen-compose",
            "--with-grafana",
            "--with-alertmanager",
            &format!("--prometheus-config={path}"),
            &format!("--alertmanager-config={path}"),
        ]));
        let v = parse(&out);
        assert_eq!(
            keys(&v),
            keys(&baseline),
            "{value:?} added or removed keys:\n{out}"
        );
        assert_eq!(v["services"]["logger"]["image"].as_str(), Some(*value));
        assert_eq!(
            v["services"]["server"]["image"].as_str(),
            Some(format!("{value}-server").as_str())
        );
        assert_eq!(
            v["services"]["prometheus"]["volumes"][0].as_str(),
            Some(format!("{path}:/etc/prometheus/prometheus.yml:ro").as_str())
        );
        assert_eq!(
            v["services"]["alertmanager"]["volumes"][0].as_str(),
            Some(format!("{path}:/etc/alertmanager/alertmanager.yml:ro").as_str())
        );
    }
}

#[test]
fn job_names_are_promql_string_literals() {
    let dir = tempfile::tempdir().unwrap();
    for value in HOSTILE.iter().chain(&["a\"}) or vector(1) #"]) {
        let inv = gpucharts_mon::yaml::to_string(&serde_json::json!({
            "services": {"logger": {"job": value}}
        }))
        .unwrap();
        std::fs::write(dir.path().join("inv.yaml"), inv).unwrap();
        let out = stdout_of(mon(dir.path()).args(["-c", "inv.yaml", "gen-rules"]));
        let v = parse(&out);
        let expr = v["groups"]
            .as_sequence()
            .unwrap()
            .iter()
            .flat_map(|g| g["rules"].as_sequence().unwrap())
            .find(|r| r["alert"].as_str() == Some("MetricsEndpointDown"))
            .and_then(|r| r["expr"].as_str())
            .unwrap()
            .to_string();
        assert!(
            expr.starts_with("up{job=~\"") && expr.ends_with("\"} == 0"),
            "{expr}"
        );
        if have("promtool", "job_names_are_promql_string_literals") {
            let file = dir.path().join("rules.yml");
            std::fs::write(&file, &out).unwrap();
            promtool_accepts("rules", &file);
        }
    }
}
