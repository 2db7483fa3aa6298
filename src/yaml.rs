//! The one door to YAML. serde_yaml is archived upstream; we use its
//! maintained drop-in fork `serde_yaml_ng`. Everything else goes through these
//! two functions so the backend can be swapped in one place.

use serde::Serialize;
use serde::de::DeserializeOwned;

/// Parse YAML; the error text carries the key path and line/column, but
/// never a scalar value from the file: the file may be a password file
/// passed by mistake (`-c secret.txt`), whose content must not be echoed.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    check_limits(text)?;
    serde_yaml_ng::from_str(text).map_err(|e| without_values(&e.to_string()))
}

/// Deepest nesting of sequences and mappings accepted.
pub const MAX_DEPTH: usize = 64;

/// Refuse, before anything is built, YAML that nests deeper than
/// [`MAX_DEPTH`] or whose aliases would expand it beyond a small multiple of
/// its own size ("billion laughs": one 1 MB anchor used 1000 times is 1 GB).
/// A streaming pass over the parser's events: linear time, constant memory
/// apart from one size per anchor. Syntax errors are left to the real parser
/// (this pass stops at the first one), so its messages are the ones users see.
pub fn check_limits(text: &str) -> Result<(), String> {
    use yaml_rust2::parser::{Event, Parser};
    let budget = 8 * text.len() as u64 + 64 * 1024;
    let mut parser = Parser::new_from_str(text);
    // Open collections: (anchor id, expanded size so far).
    let mut open: Vec<(usize, u64)> = vec![(0, 0)];
    let mut anchors: std::collections::HashMap<usize, u64> = std::collections::HashMap::new();
    let mut total: u64 = 0;
    loop {
        let (event, mark) = match parser.next_token() {
            Ok(next) => next,
            // The scanner's own flow-nesting limit (255): too deep for us too.
            Err(e) if e.info().contains("recursion limit") => {
                return Err(format!(
                    "nesting deeper than {MAX_DEPTH} levels at line {}",
                    e.marker().line()
                ));
            }
            Err(_) => return Ok(()),
        };
        let weight = match event {
            Event::StreamEnd => return Ok(()),
            Event::SequenceStart(aid, _) | Event::MappingStart(aid, _) => {
                if open.len() > MAX_DEPTH {
                    return Err(format!(
                        "nesting deeper than {MAX_DEPTH} levels at line {}",
                        mark.line()
                    ));
                }
                open.push((aid, 1));
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (aid, size) = open.pop().unwrap_or((0, 0));
                if aid != 0 {
                    anchors.insert(aid, size);
                }
                size
            }
            Event::Scalar(value, _, aid, _) => {
                let size = value.len() as u64 + 1;
                if aid != 0 {
                    anchors.insert(aid, size);
                }
                total += size;
                size
            }
            Event::Alias(aid) => {
                let size = anchors.get(&aid).copied().unwrap_or(1);
                total += size;
                size
            }
            _ => continue,
        };
        if let Some(top) = open.last_mut() {
            top.1 = top.1.saturating_add(weight);
        }
        if total > budget {
            return Err(format!(
                "aliases expand this YAML to more than 8 times its size (at line {}); refusing it",
                mark.line()
            ));
        }
    }
}

/// serde's messages quote the offending value (`invalid type: string
/// "hunter2", expected ...`); keep what kind of value it was, drop the value.
fn without_values(message: &str) -> String {
    static QUOTED: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    let re = QUOTED.get_or_init(|| {
        regex::Regex::new(
            r#"(string|str|char|bytes|byte array) "(?:[^"\\]|\\.)*"|(string|str|char|bytes|byte array|integer|floating point|boolean|character|char) `[^`]*`|(char) '[^']*'"#,
        )
        .ok()
    });
    match re {
        Some(re) => re
            .replace_all(message, |c: &regex::Captures| {
                let kind = c
                    .get(1)
                    .or(c.get(2))
                    .or(c.get(3))
                    .map_or("", |m| m.as_str());
                format!("{kind} (value not shown)")
            })
            .into_owned(),
        None => message.to_string(),
    }
}

pub fn to_string<T: Serialize>(value: &T) -> Result<String, String> {
    serde_yaml_ng::to_string(value).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_nesting_and_alias_bombs_are_refused_fast() {
        let start = std::time::Instant::now();
        let deep = "[".repeat(100_000);
        let err = from_str::<serde_yaml_ng::Value>(&deep).unwrap_err();
        assert!(err.contains("nesting deeper"), "{err}");
        let mut bomb = format!("a: &x \"{}\"\nb: [", "y".repeat(1 << 20));
        bomb.push_str(&vec!["*x"; 1000].join(", "));
        bomb.push_str("]\n");
        let err = from_str::<serde_yaml_ng::Value>(&bomb).unwrap_err();
        assert!(err.contains("aliases expand"), "{err}");
        let laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n";
        let err = from_str::<serde_yaml_ng::Value>(laughs).unwrap_err();
        assert!(err.contains("aliases expand"), "{err}");
        assert!(
            start.elapsed() < std::time::Duration::from_secs(1),
            "{:?}",
            start.elapsed()
        );
        // Ordinary anchors are fine.
        let v: serde_yaml_ng::Value =
            from_str("base: &b {port: 9090}\nlogger: *b\nserver: *b\n").unwrap();
        assert_eq!(v["server"]["port"], 9090);
    }

    #[test]
    fn errors_never_quote_values() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Root {
            port: u16,
        }
        for text in [
            "hunter2\n",
            "port: s3cret-value\n",
            "port: 99999999\n",
            "'p@ss word'",
        ] {
            let err = from_str::<Root>(text).unwrap_err();
            for secret in ["hunter2", "s3cret", "99999999", "p@ss"] {
                assert!(!err.contains(secret), "{err}");
            }
            assert!(
                err.contains("value not shown") || err.contains("line"),
                "{err}"
            );
        }
    }
}
