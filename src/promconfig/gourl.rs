//! The scrape URL as Prometheus writes it (`Target.URL().String()`, Go's
//! `net/url`): the job's `params` overridden or extended by `__param_*`
//! labels, encoded by `url.Values.Encode` (keys sorted, `QueryEscape`), the
//! path escaped as `URL.EscapedPath` does and given a leading `/`.

use std::collections::BTreeMap;
use std::fmt::Write;

/// Go's `shouldEscape` for a path (`?` is escaped, `$&+,/:;=@` are not) or
/// a query component (all of those are escaped).
fn should_escape(b: u8, query: bool) -> bool {
    if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
        return false;
    }
    match b {
        b'$' | b'&' | b'+' | b',' | b'/' | b':' | b';' | b'=' | b'@' => query,
        _ => true,
    }
}

fn escape(s: &str, query: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if query && b == b' ' {
            out.push('+');
        } else if should_escape(b, query) {
            let _ = write!(out, "%{b:02X}");
        } else {
            out.push(b as char);
        }
    }
    out
}

/// `scheme://host/path?query` from a target's final labels and its job's
/// `params`.
pub fn scrape_url(
    labels: &BTreeMap<String, String>,
    address: &str,
    config_params: &BTreeMap<String, Vec<String>>,
) -> String {
    let mut params = config_params.clone();
    for (k, v) in labels {
        if let Some(name) = k.strip_prefix("__param_") {
            match params.get_mut(name) {
                Some(values) if !values.is_empty() => values[0] = v.clone(),
                _ => {
                    params.insert(name.to_string(), vec![v.clone()]);
                }
            }
        }
    }
    let scheme = labels.get("__scheme__").map_or("", String::as_str);
    let path = labels.get("__metrics_path__").map_or("", String::as_str);
    let mut url = format!("{scheme}://{address}");
    if !path.is_empty() && !path.starts_with('/') {
        url.push('/');
    }
    url.push_str(&escape(path, false));
    let query: Vec<String> = params
        .iter()
        .flat_map(|(k, vs)| {
            vs.iter()
                .map(move |v| format!("{}={}", escape(k, true), escape(v, true)))
        })
        .collect();
    if !query.is_empty() {
        url.push('?');
        url.push_str(&query.join("&"));
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn urls_as_go_writes_them() {
        let params = BTreeMap::from([(
            "module".to_string(),
            vec!["a b".to_string(), "c".to_string()],
        )]);
        let l = labels(&[("__scheme__", "http"), ("__metrics_path__", "no slash")]);
        assert_eq!(
            scrape_url(&l, "h:1", &params),
            "http://h:1/no%20slash?module=a+b&module=c"
        );
        let l = labels(&[
            ("__scheme__", "https"),
            ("__metrics_path__", "/m"),
            ("__param_module", "x&y"),
            ("__param_z", "é"),
        ]);
        assert_eq!(
            scrape_url(&l, "h:1", &params),
            "https://h:1/m?module=x%26y&module=c&z=%C3%A9"
        );
        let l = labels(&[("__scheme__", "http"), ("__metrics_path__", "/a?b")]);
        assert_eq!(scrape_url(&l, "h:1", &BTreeMap::new()), "http://h:1/a%3Fb");
    }
}
