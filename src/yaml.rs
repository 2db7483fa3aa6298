//! The one door to YAML. serde_yaml is archived upstream; we use its
//! maintained drop-in fork `serde_yaml_ng`. Everything else goes through these
//! two functions so the backend can be swapped in one place.

use serde::Serialize;
use serde::de::DeserializeOwned;

/// Why a YAML text was refused or a value could not be written. The text
/// names where (key path, line), never a value from the file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum YamlError {
    /// Past a limit: nesting, alias expansion, size of the tree.
    #[error("{0}")]
    Limit(String),
    /// Not YAML, or not the shape expected.
    #[error("{0}")]
    Invalid(String),
    /// A value that cannot be written as YAML.
    #[error("cannot write YAML: {0}")]
    Write(String),
}

message_into_string!(YamlError);

/// A YAML document of unknown shape (for comparing and checking output).
pub type Value = serde_yaml_ng::Value;

/// Parse YAML; the error text carries the key path and line/column, but
/// never a scalar value from the file: the file may be a password file
/// passed by mistake (`-c secret.txt`), whose content must not be echoed.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    check_limits(text)?;
    let de = serde_yaml_ng::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let message = e.into_inner().to_string();
        YamlError::Invalid(without_values(&at_path(text, &path, &message)))
    })
}

/// serde_yaml_ng places an error raised by a value's own deserializer (a
/// duration, a host:port) at the enclosing mapping's first key, and names
/// only that mapping; serde_path_to_error knows the value's real path.
/// Name that path, and its line when it is written in block style.
fn at_path(text: &str, path: &str, message: &str) -> String {
    let keys: Vec<&str> = path.split('.').filter(|k| !k.is_empty()).collect();
    // Only keys that look like keys are named (a password file read as
    // YAML has its secret where a key would be).
    let plain = keys.iter().all(|k| {
        k.len() <= 40
            && k.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    });
    if keys.is_empty() || !plain || !message.contains(" at line ") {
        return locate(text, message);
    }
    let Some(line) = line_of(text, &keys) else {
        return locate(text, message);
    };
    // The message without serde's own path prefix and position.
    let what = message.rsplit_once(" at line ").map_or(message, |(w, _)| w);
    let what = match what.split_once(": ") {
        Some((p, rest)) if !p.contains(' ') => rest,
        _ => what,
    };
    format!("{path}: {what} at line {line}")
}

/// Make an error name the key and line of the offending value. serde_yaml_ng
/// reports a value rejected by its own parser (a duration, a host:port) at
/// the key's position but with the enclosing mapping's path, and unknown or
/// duplicate keys with no line at all.
fn locate(text: &str, message: &str) -> String {
    let line_of = |n: usize| text.lines().nth(n.saturating_sub(1)).unwrap_or("");
    // The key of `line`, only when `column` is where that key starts: a
    // column pointing into a value must never turn the value into text.
    let key_at = |line: &str, column: usize| -> Option<String> {
        let indent = line.len() - line.trim_start().len();
        let body = line.trim_start();
        let start = indent + if body.starts_with("- ") { 2 } else { 0 };
        if column.checked_sub(1) != Some(start) {
            return None;
        }
        let (key, _) = line.get(start..)?.split_once(':')?;
        let key = key.trim().trim_matches(['"', '\'']);
        let plain = !key.is_empty()
            && key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        plain.then(|| key.to_string())
    };
    // "path: what at line L column C"
    if let Some(at) = message.rfind(" at line ") {
        let mut nums = message[at + 9..]
            .split(|c: char| !c.is_ascii_digit())
            .filter(|p| !p.is_empty())
            .filter_map(|p| p.parse::<usize>().ok());
        if let (Some(line), Some(column)) = (nums.next(), nums.next())
            && let Some(key) = key_at(line_of(line), column)
        {
            let (path, what) = match message.split_once(": ") {
                Some((p, w)) if !p.contains(' ') => (Some(p), w),
                _ => (None, message),
            };
            let last = path.and_then(|p| p.rsplit('.').next());
            if last != Some(key.as_str()) && !what.contains(&format!("`{key}`")) {
                return match path {
                    Some(p) => format!("{p}.{key}: {what}"),
                    None => format!("{key}: {what}"),
                };
            }
        }
        return message.to_string();
    }
    // "unknown field `x`" / "duplicate field `x`": find the key's line.
    for (kind, nth) in [("unknown field `", 0), ("duplicate field `", 1)] {
        let Some(name) = message
            .split_once(kind)
            .and_then(|(_, rest)| rest.split('`').next())
        else {
            continue;
        };
        let found = text
            .lines()
            .enumerate()
            .filter(|(_, l)| {
                let t = l.trim_start().trim_start_matches("- ");
                t.strip_prefix(name).is_some_and(|r| r.starts_with(':'))
            })
            .nth(nth);
        if let Some((i, _)) = found {
            return format!("{message} at line {}", i + 1);
        }
    }
    message.to_string()
}

/// The 1-based line of a key path (`["scrape", "scheme"]`) in block-style
/// YAML, for messages that name where a value came from; `None` when the
/// key is not written in block style.
pub(crate) fn line_of(text: &str, path: &[&str]) -> Option<usize> {
    let mut depth = 0;
    let mut indent_of_parent: Option<usize> = None;
    for (i, line) in text.lines().enumerate() {
        let body = line.trim_start();
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        let indent = line.len() - body.len();
        if indent_of_parent.is_some_and(|p| indent <= p) {
            // Left the mapping we were inside without finding the key.
            return None;
        }
        let key = body
            .split(':')
            .next()
            .unwrap_or("")
            .trim()
            .trim_matches(['"', '\'']);
        if key == path[depth]
            && body[key.len()..]
                .trim_start_matches(['"', '\''])
                .starts_with(':')
        {
            depth += 1;
            if depth == path.len() {
                return Some(i + 1);
            }
            indent_of_parent = Some(indent);
        }
    }
    None
}

/// Deepest nesting of sequences and mappings accepted.
pub(crate) const MAX_DEPTH: usize = 64;

/// Refuse, before anything is built, YAML that nests deeper than
/// [`MAX_DEPTH`] or whose aliases would expand it beyond a small multiple of
/// its own size ("billion laughs": one 1 MB anchor used 1000 times is 1 GB).
///
/// The check runs on the very parser that builds the value (serde_yaml_ng,
/// so the two cannot disagree about what the file says), walking its events
/// with a visitor that only counts: scalars are borrowed, never copied, and
/// the walk stops as soon as the budget is spent. A syntax error is an
/// error here, as it is when building.
pub(crate) fn check_limits(text: &str) -> Result<(), YamlError> {
    // The parser loads every event before the meter sees one, and 100,000
    // nested `[` cost it seconds: a byte scan refuses flow nesting far past
    // the limit first. It only ever refuses (brackets inside quotes and
    // comments are skipped; 4x the limit leaves room for brackets in plain
    // scalars), so what it lets through is still judged by the meter.
    if let Some(line) = flow_depth_over(text, 4 * MAX_DEPTH) {
        return Err(YamlError::Limit(format!(
            "nesting deeper than {MAX_DEPTH} levels at line {line}"
        )));
    }
    let budget = 8 * text.len() as u64 + 64 * 1024;
    let meter = Meter {
        used: &std::cell::Cell::new(0),
        budget,
        depth: 0,
    };
    let de = serde_yaml_ng::Deserializer::from_str(text);
    serde::de::DeserializeSeed::deserialize(meter, de).map_err(|e| {
        let message = e.to_string();
        // Our own verdicts need no key path (which, 64 levels deep, is
        // `.[0][0]…`): the line and column say where.
        for verdict in ["nesting deeper", "aliases expand", "recursion limit"] {
            if let Some(at) = message.find(verdict) {
                return YamlError::Limit(message[at..].to_string());
            }
        }
        YamlError::Invalid(without_values(&locate(text, &message)))
    })
}

/// The line where unclosed `[`/`{` outside quotes and comments first pass
/// `limit`, if they do.
fn flow_depth_over(text: &str, limit: usize) -> Option<usize> {
    let (mut depth, mut line, mut quote, mut comment, mut prev) = (0usize, 1, 0u8, false, b'\n');
    for &b in text.as_bytes() {
        match b {
            // Quoted scalars may span lines: only a comment ends here.
            b'\n' => {
                line += 1;
                comment = false;
            }
            _ if comment => {}
            b'\'' | b'"' if quote == 0 => quote = b,
            q if q == quote && quote != 0 && prev != b'\\' => quote = 0,
            _ if quote != 0 => {}
            b'#' if prev == b' ' || prev == b'\t' || prev == b'\n' => comment = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return Some(line);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        prev = b;
    }
    None
}

/// Counts the expanded size and the depth of a document as the parser
/// replays it (aliases included).
#[derive(Clone, Copy)]
struct Meter<'a> {
    used: &'a std::cell::Cell<u64>,
    budget: u64,
    depth: usize,
}

impl Meter<'_> {
    fn spend<E: serde::de::Error>(&self, n: u64) -> Result<(), E> {
        let used = self.used.get().saturating_add(n);
        self.used.set(used);
        if used > self.budget {
            return Err(E::custom(
                "aliases expand this YAML to more than 8 times its size; refusing it",
            ));
        }
        Ok(())
    }

    fn deeper<E: serde::de::Error>(self) -> Result<Self, E> {
        if self.depth >= MAX_DEPTH {
            return Err(E::custom(format!("nesting deeper than {MAX_DEPTH} levels")));
        }
        self.spend(1)?;
        Ok(Meter {
            depth: self.depth + 1,
            ..self
        })
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for Meter<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Meter<'_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<(), E> {
        self.spend(1)
    }
    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<(), E> {
        self.spend(8)
    }
    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<(), E> {
        self.spend(8)
    }
    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<(), E> {
        self.spend(8)
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<(), E> {
        self.spend(v.len() as u64 + 1)
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        self.spend(1)
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<(), E> {
        self.spend(1)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let inner = self.deeper()?;
        while seq.next_element_seed(inner)?.is_some() {}
        Ok(())
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let inner = self.deeper()?;
        while map.next_key_seed(inner)?.is_some() {
            map.next_value_seed(inner)?;
        }
        Ok(())
    }
    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        // A tagged value (`!tag x`): the tag, then what it tags.
        use serde::de::VariantAccess;
        let inner = self.deeper()?;
        let ((), variant) = data.variant_seed(inner)?;
        variant.newtype_variant_seed(inner)
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
    let message = &hide_odd_keys(message);
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

/// `unknown field `x``: a key is named only when it looks like a key (a
/// short identifier); a line of a password or shadow file read as YAML
/// (`root:$6$salt$hash`) is not repeated.
fn hide_odd_keys(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(at) = rest.find("field `") {
        let (head, tail) = rest.split_at(at + "field `".len());
        out.push_str(head);
        let Some(end) = tail.find('`') else {
            out.push_str(tail);
            return out;
        };
        let key = &tail[..end];
        let plain = key.len() <= 40
            && key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"_-.".contains(&b));
        out.push_str(if plain { key } else { "(name not shown)" });
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

/// Any serializable value as a YAML tree.
pub fn to_value<T: Serialize>(value: &T) -> Result<Value, YamlError> {
    serde_yaml_ng::to_value(value).map_err(|e| YamlError::Write(e.to_string()))
}

/// Replace every string of `tree` (keys too) for which `f` gives a new one.
pub(crate) fn map_strings(tree: &mut Value, f: &dyn Fn(&str) -> Option<String>) {
    match tree {
        Value::String(s) => {
            if let Some(new) = f(s) {
                *s = new;
            }
        }
        Value::Sequence(items) => items.iter_mut().for_each(|v| map_strings(v, f)),
        Value::Mapping(m) => {
            let old = std::mem::take(m);
            for (mut k, mut v) in old {
                map_strings(&mut k, f);
                map_strings(&mut v, f);
                m.insert(k, v);
            }
        }
        Value::Tagged(t) => map_strings(&mut t.value, f),
        _ => {}
    }
}

pub fn to_string<T: Serialize>(value: &T) -> Result<String, YamlError> {
    serde_yaml_ng::to_string(value).map_err(|e| YamlError::Write(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_nesting_and_alias_bombs_are_refused_fast() {
        let start = std::time::Instant::now();
        let deep = "[".repeat(100_000);
        let err = from_str::<serde_yaml_ng::Value>(&deep)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("nesting deeper than 64 levels"), "{err}");
        assert!(err.len() < 100, "{err}");
        let mut bomb = format!("a: &x \"{}\"\nb: [", "y".repeat(1 << 20));
        bomb.push_str(&vec!["*x"; 1000].join(", "));
        bomb.push_str("]\n");
        let err = from_str::<serde_yaml_ng::Value>(&bomb)
            .unwrap_err()
            .to_string();
        assert!(err.contains("aliases expand"), "{err}");
        let laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n";
        let err = from_str::<serde_yaml_ng::Value>(laughs)
            .unwrap_err()
            .to_string();
        assert!(err.contains("aliases expand"), "{err}");
        assert!(
            start.elapsed() < std::time::Duration::from_secs(1),
            "{:?}",
            start.elapsed()
        );
        // What slipped past a second parser that disagreed with this one: a
        // lone BOM on line 2, a block scalar header with a comment.
        let aliases = vec!["*s"; 900].join(", ");
        let anchor = format!(
            "services:\n  logger:\n    image: &s \"{}\"\n",
            "z".repeat(1 << 20)
        );
        for head in ["environment: a\n\u{feff}\n", "environment: >#c\n  x\n"] {
            let text = format!("{head}{anchor}prometheus:\n  rule_files: [{aliases}]\n");
            let err = from_str::<serde_yaml_ng::Value>(&text)
                .unwrap_err()
                .to_string();
            assert!(
                err.contains("aliases expand") || err.contains("line"),
                "{err}"
            );
        }
        // Ordinary anchors are fine.
        let v: serde_yaml_ng::Value =
            from_str("base: &b {port: 9090}\nlogger: *b\nserver: *b\n").unwrap();
        assert_eq!(v["server"]["port"], 9090);
    }

    #[test]
    fn errors_name_the_key_and_line() {
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Inner {
            scrape_interval: Option<crate::values::PromDuration>,
        }
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Root {
            prometheus: Option<Inner>,
            environment: Option<String>,
        }
        let err = from_str::<Root>("environment: a\nprometheus:\n  scrape_interval: 5x\n")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("prometheus.scrape_interval: "), "{err}");
        assert!(err.contains("line 3"), "{err}");
        let err = from_str::<Root>("environment: a\nbogus: 1\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("bogus") && err.contains("at line 2"), "{err}");
        let err = from_str::<Root>("environment: a\nenvironment: b\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("duplicate") && err.ends_with("at line 2"),
            "{err}"
        );
    }

    #[test]
    fn lines_of_key_paths() {
        let text =
            "# c\nprometheus:\n  url: x\nscrape:\n  # s\n  scheme: https\n  ca_file: a\nother: 1\n";
        assert_eq!(line_of(text, &["scrape", "scheme"]), Some(6));
        assert_eq!(line_of(text, &["scrape", "ca_file"]), Some(7));
        assert_eq!(line_of(text, &["prometheus", "url"]), Some(3));
        assert_eq!(line_of(text, &["prometheus", "scheme"]), None);
        assert_eq!(line_of(text, &["other"]), Some(8));
        assert_eq!(
            line_of("scrape: {scheme: https}\n", &["scrape", "scheme"]),
            None
        );
    }

    #[test]
    fn errors_never_quote_values() {
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Root {
            port: u16,
        }
        for text in [
            "hunter2\n",
            "port: s3cret-value\n",
            "port: 99999999\n",
            "'p@ss word'",
            "root:$6$hunter2$s3cret: 1\n",
        ] {
            let err = from_str::<Root>(text).unwrap_err().to_string();
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
