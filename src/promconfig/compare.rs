//! Does Prometheus run the config in a file? Prometheus' /api/v1/status/config
//! prints the loaded config with every default filled in, so the file is
//! compared as YAML and must be contained in the running config: each key the
//! file sets must have the same value there.

use crate::yaml::Value;

use crate::values::PromDuration;

/// Paths (like `scrape_configs[1].job_name`) where the file and the running
/// config disagree; empty when the file is contained in the running config.
pub(crate) fn differences(file: &Value, running: &Value) -> Vec<String> {
    let mut out = Vec::new();
    walk(file, running, "", &mut out);
    out
}

fn walk(file: &Value, running: &Value, path: &str, out: &mut Vec<String>) {
    match (file, running) {
        (Value::Mapping(f), Value::Mapping(r)) => {
            for (k, fv) in f {
                let key = k.as_str().map_or_else(|| format!("{k:?}"), str::to_string);
                let sub = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                match r.get(k) {
                    Some(rv) => walk(fv, rv, &sub, out),
                    // Prometheus omits empty and null values.
                    None if is_empty(fv) => {}
                    None => out.push(format!("{sub} (not in the running config)")),
                }
            }
        }
        (Value::Sequence(f), Value::Sequence(r)) => {
            if f.len() != r.len() {
                out.push(format!(
                    "{path} ({} entries in the file, {} running)",
                    f.len(),
                    r.len()
                ));
                return;
            }
            for (i, (fv, rv)) in f.iter().zip(r).enumerate() {
                walk(fv, rv, &format!("{path}[{i}]"), out);
            }
        }
        _ if scalars_match(file, running) => {}
        _ => out.push(path.to_string()),
    }
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Sequence(s) => s.is_empty(),
        Value::Mapping(m) => m.is_empty(),
        Value::String(s) => s.is_empty(),
        _ => false,
    }
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn scalars_match(file: &Value, running: &Value) -> bool {
    if file == running {
        return true;
    }
    let (Some(f), Some(r)) = (text(file), text(running)) else {
        return false;
    };
    if f == r || r == "<secret>" {
        return true;
    }
    // Durations are printed canonically: 60s runs as 1m.
    if let (Ok(a), Ok(b)) = (f.parse::<PromDuration>(), r.parse::<PromDuration>()) {
        return a == b;
    }
    // Relative paths are resolved against the config file's directory.
    !f.starts_with('/') && r.starts_with('/') && r.ends_with(&format!("/{f}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn y(s: &str) -> Value {
        crate::yaml::from_str(s).unwrap()
    }

    #[test]
    fn file_contained_in_running_config() {
        let running = y(
            "global: {scrape_interval: 1m, scrape_timeout: 10s}\nscrape_configs:\n- job_name: a\n  metrics_path: /metrics\n  file_sd_configs: [{files: [/etc/p/a.json]}]\n",
        );
        let file = y(
            "global: {scrape_interval: 60s}\nscrape_configs:\n- job_name: a\n  file_sd_configs: [{files: [a.json]}]\nrule_files: []\n",
        );
        assert!(
            differences(&file, &running).is_empty(),
            "{:?}",
            differences(&file, &running)
        );
        let other = y("scrape_configs:\n- job_name: b\n");
        assert_eq!(
            differences(&other, &running),
            ["scrape_configs[0].job_name"]
        );
    }
}
