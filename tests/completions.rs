//! completions/ holds the generated scripts; they must match what the
//! binary generates now. Regenerate with GPUCHARTS_MON_UPDATE_COMPLETIONS=1.

use std::path::Path;

use clap_complete::Shell;
use gpucharts_mon::commands::completions::{completion_script, man_page, man_pages};

const FILES: [(Shell, &str); 5] = [
    (Shell::Bash, "gpucharts-mon.bash"),
    (Shell::Zsh, "_gpucharts-mon"),
    (Shell::Fish, "gpucharts-mon.fish"),
    (Shell::PowerShell, "_gpucharts-mon.ps1"),
    (Shell::Elvish, "gpucharts-mon.elv"),
];

/// Each (file, fresh bytes) under `dir` must match what is checked in;
/// GPUCHARTS_MON_UPDATE_COMPLETIONS=1 rewrites them.
fn assert_fresh(dir: &Path, files: Vec<(String, Vec<u8>)>) {
    let update = std::env::var_os("GPUCHARTS_MON_UPDATE_COMPLETIONS").is_some();
    for (file, fresh) in files {
        let path = dir.join(file);
        if update {
            std::fs::create_dir_all(dir).unwrap();
            std::fs::write(&path, &fresh).unwrap();
        }
        let stored = std::fs::read(&path).unwrap_or_default();
        assert!(
            stored == fresh,
            "{} is stale: run GPUCHARTS_MON_UPDATE_COMPLETIONS=1 cargo test completions",
            path.display()
        );
    }
}

#[test]
fn checked_in_completions_are_fresh() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    assert_fresh(
        &dir,
        FILES
            .iter()
            .map(|(shell, file)| (file.to_string(), completion_script(*shell)))
            .collect(),
    );
}

#[test]
fn man_page_lists_every_subcommand() {
    let man = String::from_utf8(man_page().unwrap()).unwrap();
    assert!(man.starts_with(".ie") || man.contains(".TH"), "not roff");
    for cmd in [
        "gen\\-config",
        "check\\-targets",
        "test\\-pull",
        "reload",
        "firewall",
        "lint",
    ] {
        assert!(man.contains(cmd), "man page lacks {cmd}");
    }
}

/// docs/man holds one page per subcommand (the main page's SEE ALSO names
/// them); they must match what the binary generates now. Regenerate with
/// GPUCHARTS_MON_UPDATE_COMPLETIONS=1 too.
#[test]
fn checked_in_man_pages_are_fresh() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/man");
    let pages = man_pages().unwrap();
    assert!(pages.len() > 10);
    assert_fresh(&dir, pages);
    // Every page the main page refers to exists.
    let main = String::from_utf8(std::fs::read(dir.join("gpucharts-mon.1")).unwrap()).unwrap();
    for sub in ["init", "gen\\-config", "reload", "firewall"] {
        let file = format!("gpucharts-mon-{}.1", sub.replace("\\", ""));
        assert!(main.contains(&format!("gpucharts\\-mon\\-{sub}")), "{sub}");
        assert!(dir.join(file).exists());
    }
}
