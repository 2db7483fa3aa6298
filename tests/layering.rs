//! The module graph keeps its layers (STYLE.md's data flow): every module
//! uses only modules of lower layers, so there are no import cycles;
//! commands never use each other; clap stays in the command-line layers and
//! anyhow in the command layer. The graph is read from the
//! sources (`crate::module` paths outside comments and test modules).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Layers, lowest first. A module may use any module of a lower layer.
const LAYERS: &[&[&str]] = &[
    // Leaves: value types and text, no I/O policy.
    &[
        "version", "budget", "input", "yaml", "jq", "text", "firewall",
    ],
    &["values", "error", "expfmt"],
    &["redact", "catalogue", "templates", "process", "promtool"],
    // The domain: the deployment model and what is derived from it.
    &["inventory"],
    &["promconfig", "rules", "promapi"],
    &[
        "cluster",
        "ruletest",
        "dashboards",
        "alertmanager",
        "probe",
        "operator",
    ],
    &["targets"],
    &["compose", "doctor", "demo", "lifecycle", "smoke", "migrate"],
    &["stack"],
    // Presentation, then the command line, then settings, then commands.
    &["output"],
    &["cli"],
    &["context"],
    &["commands"],
    // Fuzz bodies and the binary use everything.
    &["fuzzing"],
];

/// Where clap may appear: the command line, settings, commands, and
/// `output`'s own report-format enums (which are flag values).
const CLAP_LAYERS: &[&str] = &["cli", "output", "context", "commands", "fuzzing"];

/// Where anyhow may appear: the command layer, which turns domain errors
/// into exit codes (`error::domain`, `error::exit_code`), and the fuzz
/// bodies. Every other module returns its own error enum.
const ANYHOW_LAYERS: &[&str] = &["error", "context", "commands", "fuzzing"];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

/// Source without `//` comments and without the `#[cfg(test)]` module at
/// the end (tests may reach across layers).
fn code(text: &str) -> String {
    let body = text.split("#[cfg(test)]").next().unwrap_or("");
    body.lines()
        .map(|l| match l.find("//") {
            // Not inside a string such as "http://": only a `//` that
            // starts the line or follows a space.
            Some(i) if i == 0 || l[..i].ends_with(' ') && l[..i].matches('"').count() % 2 == 0 => {
                &l[..i]
            }
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn uses(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = text;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + 7..];
        // `crate::{a, b::c}`: every first segment inside the braces.
        if let Some(group) = rest.strip_prefix('{') {
            let inner = &group[..group.find('}').unwrap_or(group.len())];
            for item in inner.split(',') {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    out.insert(name);
                }
            }
            continue;
        }
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_lowercase() || *c == '_')
            .collect();
        match name.as_str() {
            "" => {}
            // The stdout macros live at the crate root, from output.
            "out" | "outln" => {
                out.insert("output".to_string());
            }
            _ => {
                out.insert(name);
            }
        }
    }
    out
}

/// (top-level module, file relative to src/) for every source file.
fn sources() -> Vec<(String, String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = Vec::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path
                    .strip_prefix(&src)
                    .unwrap()
                    .to_string_lossy()
                    .to_string();
                let module = rel
                    .split('/')
                    .next()
                    .unwrap()
                    .trim_end_matches(".rs")
                    .to_string();
                out.push((module, rel, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    out
}

#[test]
fn every_module_uses_only_lower_layers() {
    let mut wrong = Vec::new();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, rel, text) in sources() {
        if module == "lib" || module == "main" {
            continue;
        }
        let Some(own) = layer_of(&module) else {
            wrong.push(format!(
                "{rel}: module `{module}` has no layer in tests/layering.rs"
            ));
            continue;
        };
        let code = code(&text);
        for used in uses(&code) {
            if used == module {
                continue;
            }
            graph
                .entry(module.clone())
                .or_default()
                .insert(used.clone());
            match layer_of(&used) {
                Some(l) if l < own => {}
                Some(_) => wrong.push(format!(
                    "{rel}: `{module}` (layer {own}) uses `{used}`, which is not below it"
                )),
                None => wrong.push(format!("{rel}: uses unknown module `{used}`")),
            }
        }
        if code.contains("clap::") && !CLAP_LAYERS.contains(&module.as_str()) {
            wrong.push(format!("{rel}: clap outside the command-line layers"));
        }
        if code.contains("anyhow") && !ANYHOW_LAYERS.contains(&module.as_str()) {
            wrong.push(format!(
                "{rel}: anyhow below the command layer (return this module's own error enum)"
            ));
        }
    }
    assert!(wrong.is_empty(), "layering:\n{}", wrong.join("\n"));
    architecture_page_shows(&graph);
    // The layers make the graph acyclic; show it when asked.
    if std::env::var_os("GPUCHARTS_MON_SHOW_GRAPH").is_some() {
        for (m, used) in &graph {
            eprintln!(
                "{m} -> {}",
                used.iter().cloned().collect::<Vec<_>>().join(", ")
            );
        }
    }
}

/// Commands are thin and independent: none uses another.
#[test]
fn commands_never_use_each_other() {
    let mut wrong = Vec::new();
    let commands: Vec<(String, String, String)> = sources()
        .into_iter()
        .filter(|(m, rel, _)| m == "commands" && rel != "commands/mod.rs")
        .collect();
    let names: Vec<String> = commands
        .iter()
        .map(|(_, rel, _)| {
            rel.trim_start_matches("commands/")
                .trim_end_matches(".rs")
                .to_string()
        })
        .collect();
    for (_, rel, text) in &commands {
        let code = code(text);
        let own = rel.trim_start_matches("commands/").trim_end_matches(".rs");
        for other in names.iter().filter(|n| n.as_str() != own) {
            for path in [
                format!("crate::commands::{other}"),
                format!("super::{other}::"),
                format!("super::{other};"),
            ] {
                if code.contains(&path) {
                    wrong.push(format!("{rel} uses {path}"));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// What a command file may use besides one domain module family: its
/// flags, its settings, the error policy and the renderers.
const COMMAND_LAYERS: &[&str] = &["cli", "context", "error", "output"];

/// A command resolves its settings, calls one domain entry point and
/// renders the outcome: it uses `cli`, `context`, `error`, `output` and one
/// domain module (with its submodules), no more. Work that needs two is a
/// domain entry point of its own, or settings.
#[test]
fn each_command_uses_one_domain_family() {
    let wide: Vec<String> = sources()
        .into_iter()
        .filter(|(m, rel, _)| m == "commands" && rel != "commands/mod.rs")
        .filter_map(|(_, rel, text)| {
            let domain: Vec<String> = uses(&code(&text))
                .into_iter()
                .filter(|u| !COMMAND_LAYERS.contains(&u.as_str()) && u != "commands")
                .collect();
            (domain.len() > 1).then(|| format!("{rel}: {}", domain.join(", ")))
        })
        .collect();
    assert!(
        wide.is_empty(),
        "commands that use more than one domain module:\n{}",
        wide.join("\n")
    );
}

/// Commands stay thin: a command file resolves settings, calls the domain
/// and hands the outcome to `output`; past this many lines, something that
/// belongs below has crept in.
const MAX_COMMAND_LINES: usize = 150;

#[test]
fn commands_are_thin() {
    let fat: Vec<String> = sources()
        .into_iter()
        .filter(|(m, _, _)| m == "commands")
        .filter(|(_, _, text)| text.lines().count() > MAX_COMMAND_LINES)
        .map(|(_, rel, text)| format!("{rel}: {} lines", text.lines().count()))
        .collect();
    assert!(
        fat.is_empty(),
        "commands over {MAX_COMMAND_LINES} lines (move the work into a domain module or output/):\n{}",
        fat.join("\n")
    );
}

const BEGIN: &str = "<!-- layers: written by tests/layering.rs -->\n";
const END: &str = "<!-- end of layers -->";

/// docs/architecture.md shows the layers and what each module uses, as
/// this test found them (`GPUCHARTS_MON_BLESS=1` rewrites the section).
fn architecture_page_shows(graph: &BTreeMap<String, BTreeSet<String>>) {
    let mut text = String::from("| layer | module | uses |\n|---|---|---|\n");
    for (i, layer) in LAYERS.iter().enumerate().rev() {
        for m in *layer {
            let used: Vec<String> = graph
                .get(*m)
                .into_iter()
                .flatten()
                .map(|u| format!("`{u}`"))
                .collect();
            text.push_str(&format!("| {i} | `{m}` | {} |\n", used.join(" ")));
        }
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/architecture.md");
    let page = std::fs::read_to_string(&path).unwrap();
    let start = page
        .find(BEGIN)
        .expect("docs/architecture.md has the layer markers")
        + BEGIN.len();
    let end = start + page[start..].find(END).expect("end marker");
    if page[start..end] == text {
        return;
    }
    if std::env::var_os("GPUCHARTS_MON_BLESS").is_some() {
        std::fs::write(&path, format!("{}{text}{}", &page[..start], &page[end..])).unwrap();
        return;
    }
    panic!(
        "docs/architecture.md's layer table is out of date (GPUCHARTS_MON_BLESS=1 cargo test layering rewrites it):\n{text}"
    );
}

/// Every flag is read: each field of a clap struct in `src/cli/` is used
/// (`.field`) by a file that names the struct (a command, or `context` for
/// the shared groups). A flag added and never read (as `relabel
/// --prometheus` once was) fails here instead of doing nothing for users.
#[test]
fn every_flag_is_read() {
    let all = sources();
    // The command line is `src/cli/`: its groups, read as one text.
    let is_cli = |rel: &str| rel.starts_with("cli/");
    let cli: String = all
        .iter()
        .filter(|(_, rel, _)| is_cli(rel))
        .map(|(_, _, text)| code(text))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(cli.contains("pub struct Cli"), "src/cli/ not found");
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mentions = |text: &str, word: &str| {
        text.match_indices(word).any(|(i, _)| {
            let before = text[..i].chars().next_back();
            let after = text[i + word.len()..].chars().next();
            !before.is_some_and(ident) && !after.is_some_and(ident)
        })
    };
    // The braced structs of src/cli/: name, fields (name, type), and the
    // text with the struct bodies cut out (its impls read fields too).
    let mut structs: Vec<(String, Vec<(String, String)>)> = Vec::new();
    let mut impls = String::new();
    let mut rest = cli.as_str();
    while let Some(i) = rest.find("pub struct ") {
        impls.push_str(&rest[..i]);
        rest = &rest[i + 11..];
        let name: String = rest.chars().take_while(|c| ident(*c)).collect();
        let after = &rest[name.len()..];
        if !after.trim_start().starts_with('{') {
            continue;
        }
        let open = rest.find('{').unwrap();
        let close = rest[open..].find("\n}").map_or(rest.len(), |e| open + e);
        let fields = rest[open + 1..close]
            .lines()
            .filter_map(|l| l.trim().strip_prefix("pub "))
            .filter_map(|l| l.split_once(':'))
            .map(|(f, t)| (f.trim().to_string(), t.trim().to_string()))
            .filter(|(f, _)| f.chars().all(ident))
            .collect();
        structs.push((name, fields));
        rest = &rest[close..];
    }
    impls.push_str(rest);
    let mut readers: Vec<String> = all
        .iter()
        .filter(|(_, rel, _)| !is_cli(rel))
        .map(|(_, _, text)| code(text))
        .collect();
    readers.push(impls);
    let mut unread = Vec::new();
    let mut checked = 0;
    for (name, fields) in &structs {
        // A struct is read where it is named, or where a struct holding it
        // (a flattened group) is.
        let mut names = vec![name.as_str()];
        names.extend(
            structs
                .iter()
                .filter(|(_, fs)| fs.iter().any(|(_, t)| mentions(t, name)))
                .map(|(holder, _)| holder.as_str()),
        );
        // ... or where the subcommand that carries it is matched.
        let carried = format!("({name})");
        for (i, _) in cli.match_indices(&carried) {
            let variant = cli[..i].rsplit(|c: char| !ident(c)).next().unwrap_or("");
            if !variant.is_empty() {
                names.push(variant);
            }
        }
        let users: Vec<&String> = readers
            .iter()
            .filter(|t| names.iter().any(|n| mentions(t, n)))
            .collect();
        for (f, _) in fields {
            checked += 1;
            let field = format!(".{f}");
            let read = users.iter().any(|t| {
                t.match_indices(&field)
                    .any(|(i, _)| !t[i + field.len()..].chars().next().is_some_and(ident))
            });
            if !read {
                unread.push(format!("{name}.{f}"));
            }
        }
    }
    assert!(checked > 100, "only {checked} fields found in src/cli/");
    assert!(
        unread.is_empty(),
        "flags declared in src/cli/ and never read by a file that names their struct:\n{}",
        unread.join("\n")
    );
}
