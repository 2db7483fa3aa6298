//! Text assets (alert rules, compose file, Grafana datasource, inventory
//! example) are minijinja templates embedded in the binary; a `--templates
//! DIR` holding a file of the same name overrides the embedded one.

use std::path::Path;

use serde::Serialize;

/// A template that cannot be read or rendered: the user's `--templates`
/// file, or what it was given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("cannot read template {path}: {reason}")]
    Read { path: String, reason: String },
    #[error("no template named {0}")]
    Unknown(String),
    #[error("template {name}: {reason}")]
    Render { name: String, reason: String },
}

message_into_string!(TemplateError);

impl crate::error::Classify for TemplateError {
    fn kind(&self) -> crate::error::Kind {
        crate::error::Kind::Usage
    }
}

pub(crate) const RULES: &str = "alert-rules.yml.j2";
pub(crate) const COMPOSE: &str = "docker-compose.monitoring-pull.yml.j2";
pub(crate) const GRAFANA_DATASOURCE: &str = "grafana-datasource.yml.j2";
pub(crate) const INVENTORY: &str = "gpucharts-mon.yaml.j2";

const EMBEDDED: [(&str, &str); 4] = [
    (RULES, include_str!("../templates/alert-rules.yml.j2")),
    (
        COMPOSE,
        include_str!("../templates/docker-compose.monitoring-pull.yml.j2"),
    ),
    (
        GRAFANA_DATASOURCE,
        include_str!("../templates/grafana-datasource.yml.j2"),
    ),
    (
        INVENTORY,
        include_str!("../templates/gpucharts-mon.yaml.j2"),
    ),
];

/// `s` escaped for the inside of a YAML double-quoted scalar: `"` and `\`,
/// and every character YAML does not allow raw there or would fold (control
/// characters, DEL, C1 controls, line and paragraph separators, BOM) as a
/// `\uXXXX` escape.
pub(crate) fn yaml_quoted_content(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20
                || (0x7f..=0x9f).contains(&(c as u32))
                || matches!(
                    c,
                    '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
                ) =>
            {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

/// Render template `name` with `ctx`, preferring `override_dir/name`.
pub(crate) fn render(
    name: &str,
    ctx: impl Serialize,
    override_dir: Option<&Path>,
) -> Result<String, TemplateError> {
    let source = match override_dir.map(|d| d.join(name)).filter(|p| p.is_file()) {
        Some(path) => {
            crate::input::read_text(crate::input::Purpose::Config, &path).map_err(|e| {
                TemplateError::Read {
                    path: path.display().to_string(),
                    reason: e.to_string(),
                }
            })?
        }
        None => EMBEDDED
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, s)| (*s).to_string())
            .ok_or_else(|| TemplateError::Unknown(name.to_string()))?,
    };
    let mut env = minijinja::Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    // Every interpolated string is escaped for the inside of a YAML
    // double-quoted scalar (the templates put each one in "..."), so no
    // value can add a line, a key or a comment. Numbers and booleans are
    // written as they are.
    env.set_formatter(|out, _state, value| {
        let text = match value.as_str() {
            Some(s) => yaml_quoted_content(s),
            None => value.to_string(),
        };
        out.write_str(&text)
            .map_err(|e| minijinja::Error::new(minijinja::ErrorKind::WriteFailure, e.to_string()))
    });
    env.set_keep_trailing_newline(true);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.add_template_owned(name.to_string(), source)
        .and_then(|()| env.get_template(name)?.render(ctx))
        .map_err(|e| TemplateError::Render {
            name: name.to_string(),
            reason: e.to_string(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_content_round_trips_through_yaml() {
        for v in [
            "plain",
            "a\"b",
            "back\\slash",
            "line\nbreak: x\n- y",
            "#{{ x }}",
            "é ✓ \u{7f}\u{85}\u{2028}\u{1b}[31m",
        ] {
            let doc = format!("k: \"{}\"\n", yaml_quoted_content(v));
            let parsed: crate::yaml::Value = crate::yaml::from_str(&doc).unwrap();
            assert_eq!(parsed["k"].as_str(), Some(v), "{doc}");
        }
    }
}
