//! iptables renderers: a shell script of iptables commands (idempotent, both
//! families) and a shell script around `iptables-restore --noflush` (one
//! family per run, loaded atomically).
//!
//! The tool only ever creates, flushes and deletes its own chain, and it
//! knows its own by a mark: the chain's first rule is a no-op carrying the
//! comment [`OWNED`]. Both scripts check the mark of every family before
//! changing anything: an existing chain of that name without it (a host's
//! `ufw-user-input`, say) is refused with exit 1 and nothing changed. The
//! hook chain (INPUT, or Docker's DOCKER-USER) only gains and loses the
//! tool's own jump rules, which carry a comment naming the tool; jumps from
//! INPUT exclude the loopback interface, so local scrapes stay open.

use std::fmt::Write;

use super::{FirewallPlan, Hook, MARK, Source};

/// One family's view of the plan.
struct Family<'a> {
    /// `iptables` or `ip6tables`
    tool: &'static str,
    label: &'static str,
    sources: Vec<&'a Source>,
}

fn families(plan: &FirewallPlan) -> Vec<Family<'_>> {
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

fn hook_chain(plan: &FirewallPlan) -> &'static str {
    match plan.hook {
        Hook::Input => "INPUT",
        Hook::Docker => "DOCKER-USER",
    }
}

/// The comment on the no-op first rule that marks a chain as the tool's own.
pub(crate) const OWNED: &str = "gpucharts-mon: owned chain";

/// The rule (without -A/-I/-C/-D) that sends a metrics port to our chain.
/// For Docker, the port is the connection's original (published) destination
/// port, in the original direction only, so replies are never matched.
fn jump(plan: &FirewallPlan, port: u16) -> String {
    let iface = match (&plan.interface, plan.hook) {
        (Some(i), _) => format!("-i {i} "),
        // Loopback is never filtered: Prometheus on the same host scrapes
        // over it, and the host's own `-i lo -j ACCEPT` may come later.
        (None, Hook::Input) => "! -i lo ".to_string(),
        (None, Hook::Docker) => String::new(),
    };
    let port_match = match plan.hook {
        Hook::Input => format!("-p tcp -m tcp --dport {port}"),
        Hook::Docker => {
            format!("-p tcp -m conntrack --ctorigdstport {port} --ctdir ORIGINAL")
        }
    };
    format!(
        "{} {iface}{port_match} -m comment --comment \"{MARK}: metrics port {port}\" -j {}",
        hook_chain(plan),
        plan.chain
    )
}

/// Rules inside the chain: let each allowed source through, drop the rest.
/// In DOCKER-USER an allowed packet RETURNs, so Docker's own rules (network
/// isolation) still apply to it.
fn chain_rules(plan: &FirewallPlan, sources: &[&Source]) -> Vec<String> {
    let verdict = match plan.hook {
        Hook::Input => "ACCEPT",
        Hook::Docker => "RETURN",
    };
    let mut rules = vec![format!("{} -m comment --comment \"{OWNED}\"", plan.chain)];
    rules.extend(sources.iter().map(|s| {
        format!(
            "{} -s {s} -m comment --comment \"{MARK}: allow {s}\" -j {verdict}",
            plan.chain
        )
    }));
    rules.push(format!(
        "{} -m comment --comment \"{MARK}: drop other sources\" -j DROP",
        plan.chain
    ));
    rules
}

fn summary(plan: &FirewallPlan) -> String {
    let ports: Vec<String> = plan.ports.iter().map(u16::to_string).collect();
    let sources: Vec<String> = plan.sources.iter().map(ToString::to_string).collect();
    let what = match plan.hook {
        Hook::Input => "TCP port(s)",
        Hook::Docker => "Docker-published TCP port(s)",
    };
    format!(
        "only {} may reach {what} {}",
        sources.join(", "),
        ports.join(", ")
    )
}

/// Shell lines that stop (exit 1, before any change) when the family has
/// no DOCKER-USER chain: the rules would protect nothing.
fn docker_guard(out: &mut String, t: &str, label: &str) {
    let ipv6 = if label == "IPv6" {
        " with IPv6 enabled, or use --family 4"
    } else {
        ""
    };
    let _ = writeln!(
        out,
        "if ! {t} -n -L DOCKER-USER >/dev/null 2>&1; then\n  echo \"gpucharts-mon: no {label} DOCKER-USER chain: Docker must be running{ipv6}; nothing changed\" >&2\n  exit 1\nfi"
    );
}

/// Shell lines that stop (exit 1, before any change) when a chain of the
/// tool's name exists, has rules, and its first rule is not the mark.
fn ownership_guard(out: &mut String, plan: &FirewallPlan, t: &str, label: &str) {
    let c = &plan.chain;
    let _ = writeln!(
        out,
        "if {t} -n -L {c} >/dev/null 2>&1 && [ \"$({t} -S {c} | wc -l)\" -gt 1 ] && ! {t} -S {c} | sed -n 2p | grep -qF '{OWNED}'; then\n  echo \"gpucharts-mon: {label} chain {c} exists and was not made by gpucharts-mon; refusing to flush it (nothing changed; choose another --chain)\" >&2\n  exit 1\nfi"
    );
}

/// Every family's checks, before the first change.
fn guards(out: &mut String, plan: &FirewallPlan, remove: bool) {
    for fam in families(plan) {
        let t = format!("{} -w", fam.tool);
        ownership_guard(out, plan, &t, fam.label);
        if plan.hook == Hook::Docker && !remove {
            docker_guard(out, &t, fam.label);
        }
    }
}

/// A `set -e` shell script. Running it twice leaves the same rules: the chain
/// is created if missing and flushed, and each jump is added only when `-C`
/// does not find it. Removal deletes every copy of each jump, so it also
/// cleans up after repeated iptables-restore loads. Both families are locked
/// unless `--family` says otherwise: a family with no allowed source drops
/// every connection to the ports, so IPv6 is never left open by accident.
pub(crate) fn render_script(plan: &FirewallPlan, remove: bool) -> String {
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
    guards(&mut out, plan, remove);
    for fam in families(plan) {
        let t = format!("{} -w", fam.tool);
        let _ = writeln!(out, "\n# {}", fam.label);
        if remove {
            // Deleting a jump from a missing chain just fails quietly.
            remove_lines(&mut out, plan, &t);
        } else {
            add_lines(&mut out, plan, &fam, &t);
        }
    }
    out
}

fn add_lines(out: &mut String, plan: &FirewallPlan, fam: &Family, t: &str) {
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

fn remove_lines(out: &mut String, plan: &FirewallPlan, t: &str) {
    for &port in &plan.ports {
        let j = jump(plan, port);
        let _ = writeln!(out, "while {t} -D {j} 2>/dev/null; do :; done");
    }
    let _ = writeln!(
        out,
        "if {t} -n -L {c} >/dev/null 2>&1; then {t} -F {c}; {t} -X {c}; fi",
        c = plan.chain
    );
}

/// A shell script that loads one family's rules with `iptables-restore
/// --noflush` (or ip6tables-restore) in one atomic transaction, after the
/// same checks as the command script.
///
/// Only the tool's own chain is declared (under --noflush a declared chain
/// is flushed, and INPUT / DOCKER-USER keep everyone else's rules). The
/// input is built as it is piped: each jump is included only when `-C`
/// does not find it, so loading again leaves the same rules.
pub(crate) fn render_restore(plan: &FirewallPlan, v6: bool, remove: bool) -> String {
    let Some(fam) = families(plan)
        .into_iter()
        .find(|f| (f.tool == "ip6tables") == v6)
    else {
        return String::new();
    };
    let tool = if v6 {
        "ip6tables-restore"
    } else {
        "iptables-restore"
    };
    let only = FirewallPlan {
        families: if v6 {
            super::IpFamilies::V6
        } else {
            super::IpFamilies::V4
        },
        ..plan.clone()
    };
    let t = format!("{} -w", fam.tool);
    let mut out = String::from("#!/bin/sh\n");
    if remove {
        let _ = writeln!(
            out,
            "# gpucharts-mon firewall --remove ({}): undo the rules that {}.\n# Deletes every copy of the jumps, then the chain if gpucharts-mon made it. Run with: sh FILE",
            fam.label,
            summary(plan)
        );
        out.push_str("set -e\n");
        guards(&mut out, &only, true);
        remove_lines(&mut out, plan, &t);
        return out;
    }
    let _ = writeln!(
        out,
        "# gpucharts-mon firewall ({}): {}.\n# Loads the rules with {tool} --noflush in one transaction. Run with: sh FILE\n# Idempotent; undo with `gpucharts-mon firewall --format iptables-restore --remove`.",
        fam.label,
        summary(plan),
    );
    out.push_str("set -e\n");
    guards(&mut out, &only, false);
    out.push_str("{\n  echo '*filter'\n");
    let _ = writeln!(out, "  echo ':{} - [0:0]'", plan.chain);
    for rule in chain_rules(plan, &fam.sources) {
        let _ = writeln!(out, "  echo '-A {rule}'");
    }
    for &port in &plan.ports {
        let j = jump(plan, port);
        let _ = writeln!(out, "  {t} -C {j} 2>/dev/null || echo '-I {j}'");
    }
    let _ = writeln!(out, "  echo COMMIT\n}} | {tool} -w --noflush");
    out
}
