//! The one door to YAML. serde_yaml is archived upstream; we use its
//! maintained drop-in fork `serde_yaml_ng`. Everything else goes through these
//! two functions so the backend can be swapped in one place.

use serde::Serialize;
use serde::de::DeserializeOwned;

/// Parse YAML; the error text carries the key path and line/column, but
/// never a scalar value from the file: the file may be a password file
/// passed by mistake (`-c secret.txt`), whose content must not be echoed.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_yaml_ng::from_str(text).map_err(|e| without_values(&e.to_string()))
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
