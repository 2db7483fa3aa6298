//! `--jq FILTER`: jq filters over raw API answers, run by the pure-Rust jaq
//! crates (no libjq/oniguruma), printing values the way jq does.

use std::io::Write;

use jaq_core::load::{Arena, File, Loader};
use jaq_core::{Compiler, Ctx, Vars, data, unwrap_valr};
use jaq_json::Val;
use jaq_json::write::{Pp, write};

/// A compiled filter.
pub(crate) struct Jq {
    filter: jaq_core::Filter<data::JustLut<Val>>,
}

/// How results are printed, as jq's flags do.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct JqOutput {
    /// `-r`: strings without quotes.
    pub raw: bool,
    /// `-c`: one line per value instead of jq's 2-space pretty print.
    pub compact: bool,
}

/// Byte offset of `part` inside `code`, when it is a slice of it.
fn column(code: &str, part: &str) -> usize {
    let (start, p) = (code.as_ptr() as usize, part.as_ptr() as usize);
    if p >= start && p <= start + code.len() {
        code[..p - start].chars().count() + 1
    } else {
        1
    }
}

/// A jq filter that does not compile, or a run that failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub(crate) enum JqError {
    #[error("{0}")]
    Compile(String),
    #[error("input is not JSON: {0}")]
    Input(String),
    #[error("jq: error: {0}")]
    Filter(String),
    #[error("cannot write output: {0}")]
    Write(String),
}

message_into_string!(JqError);

impl Jq {
    /// Parse and compile; the error reads like jq's: what was expected, where.
    pub fn compile(code: &str) -> Result<Self, JqError> {
        Self::compile_text(code).map_err(JqError::Compile)
    }

    fn compile_text(code: &str) -> Result<Self, String> {
        let defs = jaq_core::defs()
            .chain(jaq_std::defs())
            .chain(jaq_json::defs());
        let funs = jaq_core::funs()
            .chain(jaq_std::funs())
            .chain(jaq_json::funs());
        let arena = Arena::default();
        let loader = Loader::new(defs);
        let modules = loader
            .load(&arena, File { code, path: () })
            .map_err(|errs| {
                let mut msgs = Vec::new();
                for (_, err) in errs {
                    match err {
                        jaq_core::load::Error::Io(e) => {
                            msgs.extend(
                                e.into_iter().map(|(p, m)| format!("cannot load {p}: {m}")),
                            );
                        }
                        jaq_core::load::Error::Lex(e) => {
                            msgs.extend(e.into_iter().map(|(exp, at)| {
                                format!("expected {} at column {}", exp.as_str(), column(code, at))
                            }))
                        }
                        jaq_core::load::Error::Parse(e) => {
                            msgs.extend(e.into_iter().map(|(exp, at)| {
                                let found = if at.is_empty() {
                                    "end of filter".to_string()
                                } else {
                                    format!("'{}'", at.chars().take(20).collect::<String>())
                                };
                                format!(
                                    "expected {} at column {}, found {found}",
                                    exp.as_str(),
                                    column(code, at)
                                )
                            }))
                        }
                    }
                }
                format!("jq filter {code:?}: {}", msgs.join("; "))
            })?;
        let filter = Compiler::default()
            .with_funs(funs)
            .compile(modules)
            .map_err(|errs| {
                let msgs: Vec<String> = errs
                    .into_iter()
                    .flat_map(|(_, e)| e)
                    .map(|(name, kind)| {
                        format!(
                            "undefined {kind:?} '{name}' at column {}",
                            column(code, name)
                        )
                    })
                    .collect();
                format!("jq filter {code:?}: {}", msgs.join("; "))
            })?;
        Ok(Self { filter })
    }

    /// Run over one JSON document and print each result on `out`, one value
    /// per line (pretty-printed like jq unless `compact`).
    pub fn run(
        &self,
        input: &[u8],
        opts: JqOutput,
        out: &mut impl Write,
    ) -> Result<usize, JqError> {
        let input =
            jaq_json::read::parse_single(input).map_err(|e| JqError::Input(e.to_string()))?;
        let pp = Pp {
            indent: (!opts.compact).then(|| "  ".to_string()),
            sep_space: !opts.compact,
            ..Pp::default()
        };
        let ctx = Ctx::<data::JustLut<Val>>::new(&self.filter.lut, Vars::new([]));
        let mut count = 0;
        for item in self.filter.id.run((ctx, input)).map(unwrap_valr) {
            let value = item.map_err(|e| JqError::Filter(e.to_string()))?;
            let io = |e: std::io::Error| JqError::Write(e.to_string());
            match &value {
                Val::TStr(s) if opts.raw => out.write_all(s).map_err(io)?,
                _ => write(out, &pp, 0, &value).map_err(io)?,
            }
            out.write_all(b"\n").map_err(io)?;
            count += 1;
        }
        Ok(count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(filter: &str, input: &str, opts: JqOutput) -> String {
        let mut out = Vec::new();
        Jq::compile(filter)
            .unwrap()
            .run(input.as_bytes(), opts, &mut out)
            .unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn prints_like_jq() {
        let input = r#"{"data":{"activeTargets":[{"labels":{"job":"a"},"health":"up"}]}}"#;
        let f = ".data.activeTargets[] | {job: .labels.job, health: .health}";
        assert_eq!(
            run(f, input, JqOutput::default()),
            "{\n  \"job\": \"a\",\n  \"health\": \"up\"\n}\n"
        );
        let compact = JqOutput {
            compact: true,
            ..Default::default()
        };
        assert_eq!(
            run(f, input, compact),
            "{\"job\":\"a\",\"health\":\"up\"}\n"
        );
        let raw = JqOutput {
            raw: true,
            ..Default::default()
        };
        assert_eq!(run(".data.activeTargets[].health", input, raw), "up\n");
        assert_eq!(run("[1, 2] | length", "null", raw), "2\n");
    }

    #[test]
    fn bad_filters_say_where() {
        let err = Jq::compile(".data | {").err().unwrap().to_string();
        assert!(err.contains("column"), "{err}");
        let err = Jq::compile("nosuchfn").err().unwrap().to_string();
        assert!(err.contains("nosuchfn"), "{err}");
    }
}
