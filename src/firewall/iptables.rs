//! iptables renderers: a shell script (idempotent, both families) and
//! iptables-restore input (one family per run, load with --noflush).

use std::fmt::Write;

use super::{Plan, Source};

const TAG: &str = "gpucharts-mon";

/// One family's view of the plan.
struct Family<'a> {
    /// `iptables` or `ip6tables`
    tool: &'static str,
    label: &'static str,
    sources: Vec<&'a Source>,
}

fn families(plan: &Plan) -> Vec<Family<'_>> {
    let mut out = Vec::new();
    if plan.families.v4() {
        out.push(Family {
            tool: "iptables",
            label: "IPv4",
            sources: plan.sources_v4().collect(),
        });
    }
    if plan.families.v6() {
        out.push(Family {
            tool: "ip6tables",
            label: "IPv6",
            sources: plan.sources_v6().collect(),
        });
    }
    out
}

/// The rule (without -A/-I/-C/-D) that sends a metrics port to our chain.
fn jump(plan: &Plan, port: u16) -> String {
    let iface = plan
        .interface
        .as_ref()
        .map_or_else(String::new, |i| format!("-i {i} "));
    format!(
        "INPUT {iface}-p tcp -m tcp --dport {port} -m comment --comment \"{TAG}: metrics port {port}\" -j {}",
        plan.chain
    )
}

/// Rules inside the chain: accept each allowed source, drop the rest.
fn chain_rules(plan: &Plan, sources: &[&Source]) -> Vec<String> {
    let mut rules: Vec<String> = sources
        .iter()
        .map(|s| {
            format!(
                "{} -s {s} -m comment --comment \"{TAG}: allow {s}\" -j ACCEPT",
                plan.chain
            )
        })
        .collect();
    rules.push(format!(
        "{} -m comment --comment \"{TAG}: drop other sources\" -j DROP",
        plan.chain
    ));
    rules
}

fn summary(plan: &Plan) -> String {
    let ports: Vec<String> = plan.ports.iter().map(u16::to_string).collect();
    let sources: Vec<String> = plan.sources.iter().map(ToString::to_string).collect();
    format!(
        "only {} may reach TCP port(s) {}",
        sources.join(", "),
        ports.join(", ")
    )
}

/// A `set -e` shell script. Running it twice leaves the same rules: the chain
/// is created if missing and flushed, and each INPUT jump is added only when
/// `-C` does not find it. Both families are locked unless `--family` says
/// otherwise: a family with no allowed source drops every connection to the
/// ports, so IPv6 is never left open by accident.
pub fn render_script(plan: &Plan, remove: bool) -> String {
    let mut out = String::from("#!/bin/sh\n");
    if remove {
        let _ = writeln!(
            out,
            "# gpucharts-mon firewall --remove: undo the rules that {}.",
            summary(plan)
        );
    } else {
        let _ = writeln!(out, "# gpucharts-mon firewall: {}.", summary(plan));
        out.push_str("# Idempotent: running it again leaves the same rules. Undo with `gpucharts-mon firewall --remove`.\n");
    }
    out.push_str("set -e\n");
    for fam in families(plan) {
        let t = format!("{} -w", fam.tool);
        let _ = writeln!(out, "\n# {}", fam.label);
        if remove {
            for &port in &plan.ports {
                let j = jump(plan, port);
                let _ = writeln!(out, "while {t} -D {j} 2>/dev/null; do :; done");
            }
            let _ = writeln!(
                out,
                "if {t} -n -L {c} >/dev/null 2>&1; then {t} -F {c}; {t} -X {c}; fi",
                c = plan.chain
            );
            continue;
        }
        if fam.sources.is_empty() {
            let _ = writeln!(
                out,
                "# no {} source is allowed: every {} connection to the ports is dropped",
                fam.label, fam.label
            );
        }
        let _ = writeln!(
            out,
            "{t} -n -L {c} >/dev/null 2>&1 || {t} -N {c}",
            c = plan.chain
        );
        let _ = writeln!(out, "{t} -F {}", plan.chain);
        for rule in chain_rules(plan, &fam.sources) {
            let _ = writeln!(out, "{t} -A {rule}");
        }
        for &port in &plan.ports {
            let j = jump(plan, port);
            let _ = writeln!(out, "{t} -C {j} 2>/dev/null || {t} -I {j}");
        }
    }
    out
}

/// iptables-restore (or ip6tables-restore) input for one family, to be
/// loaded with `--noflush` so the rest of the host's ruleset stays.
pub fn render_restore(plan: &Plan, v6: bool, remove: bool) -> String {
    let fam = families(plan)
        .into_iter()
        .find(|f| (f.tool == "ip6tables") == v6);
    let tool = if v6 {
        "ip6tables-restore"
    } else {
        "iptables-restore"
    };
    let mut out = String::new();
    let Some(fam) = fam else {
        return out;
    };
    let action = if remove { " --remove" } else { "" };
    let _ = writeln!(
        out,
        "# gpucharts-mon firewall{action} ({}): {}.\n# Load with: {tool} --noflush < FILE",
        fam.label,
        summary(plan)
    );
    out.push_str("*filter\n");
    if remove {
        for &port in &plan.ports {
            let _ = writeln!(out, "-D {}", jump(plan, port));
        }
        let _ = writeln!(out, "-F {}\n-X {}", plan.chain, plan.chain);
    } else {
        let _ = writeln!(out, ":{} - [0:0]", plan.chain);
        for rule in chain_rules(plan, &fam.sources) {
            let _ = writeln!(out, "-A {rule}");
        }
        for &port in &plan.ports {
            let _ = writeln!(out, "-I {}", jump(plan, port));
        }
    }
    out.push_str("COMMIT\n");
    out
}
