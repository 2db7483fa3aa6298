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

/// What `shell` offers for the command line `line` (the cursor at its end),
/// with the checked-in completion script loaded the way users load it.
fn complete_in(shell: &str, line: &str) -> Option<Vec<String>> {
    if !crate::support::have(shell, "completions::complete_in") {
        return None;
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    let words: Vec<&str> = line.split(' ').collect();
    let out = match shell {
        "bash" => {
            // As bash calls a completion function: COMP_WORDS, COMP_CWORD,
            // then (command, current word, previous word).
            let script = format!(
                "source {}/gpucharts-mon.bash\nCOMP_WORDS=({})\nCOMP_CWORD={}\n_gpucharts__mon gpucharts-mon {:?} {:?}\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
                dir.display(),
                words.iter().map(|w| format!("{w:?}")).collect::<Vec<_>>().join(" "),
                words.len() - 1,
                words[words.len() - 1],
                words[words.len() - 2],
            );
            std::process::Command::new("bash").arg("-c").arg(script).output()
        }
        "fish" => std::process::Command::new("fish")
            .arg("-c")
            .arg(format!(
                "source {}/gpucharts-mon.fish; complete -C {:?}",
                dir.display(),
                line
            ))
            .output(),
        // zsh completes only inside its line editor: an interactive zsh on
        // a pseudo-terminal (zsh/zpty), compadd wrapped to print matches.
        _ => std::process::Command::new("timeout")
            .args(["30", "zsh", "-f"])
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/complete.zsh"))
            .arg(line)
            .arg(&dir)
            .output(),
    }
    .unwrap();
    assert!(
        out.status.success(),
        "{shell}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| l.split('\t').next().unwrap_or_default().trim().to_string())
            .filter(|l| !l.is_empty())
            .collect(),
    )
}

/// Each shell completes a subcommand's long option and an enum value.
#[test]
fn completion_completes_in_bash_zsh_and_fish() {
    for shell in ["bash", "zsh", "fish"] {
        let Some(options) = complete_in(shell, "gpucharts-mon check-targets --dr") else {
            continue;
        };
        assert_eq!(options, ["--dropped"], "{shell}");
        let modes = complete_in(shell, "gpucharts-mon gen-config --mode ").unwrap();
        for mode in ["static", "kubernetes", "docker", "file-sd"] {
            assert!(modes.iter().any(|m| m == mode), "{shell}: {modes:?}");
        }
        let roles = complete_in(shell, "gpucharts-mon gen-config --k8s-role endpoint").unwrap();
        assert!(
            roles.iter().any(|r| r == "endpointslice"),
            "{shell}: {roles:?}"
        );
    }
}
