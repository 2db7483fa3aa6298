//! iptables renderers: a shell script (idempotent, both families) and
//! iptables-restore input (one family per run, load with --noflush).
//!
//! The tool only ever creates, flushes and deletes its own chain; the hook
//! chain (INPUT, or Docker's DOCKER-USER) only gains and loses the tool's own
//! jump rules, which carry a comment naming the tool.

use std::fmt::Write;

use super::{Hook, MARK, Plan, Source};

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

fn hook_chain(plan: &Plan) -> &'static str {
    match plan.hook {
        Hook::Input => "INPUT",
        Hook::Docker => "DOCKER-USER",
    }
}

/// The rule (without -A/-I/-C/-D) that sends a metrics port to our chain.
/// For Docker, the port is the connection's original (published) destination
/// port, in the original direction only, so replies are never matched.
fn jump(plan: &Plan, port: u16) -> String {
    let iface = plan
        .interface
        .as_ref()
        .map_or_else(String::new, |i| format!("-i {i} "));
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
fn chain_rules(plan: &Plan, sources: &[&Source]) -> Vec<String> {
    let verdict = match plan.hook {
        Hook::Input => "ACCEPT",
        Hook::Docker => "RETURN",
    };
    let mut rules: Vec<String> = sources
        .iter()
        .map(|s| {
            format!(
                "{} -s {s} -m comment --comment \"{MARK}: allow {s}\" -j {verdict}",
                plan.chain
            )
        })
        .collect();
    rules.push(format!(
        "{} -m comment --comment \"{MARK}: drop other sources\" -j DROP",
        plan.chain
    ));
    rules
}

fn summary(plan: &Plan) -> String {
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

/// The start of an `if` that skips a family whose DOCKER-USER chain is
/// missing (Docker not running, or Docker without IPv6), saying so.
fn docker_guard(out: &mut String, t: &str, label: &str) {
    let ipv6 = if label == "IPv6" {
        ", with IPv6 enabled"
    } else {
        ""
    };
    let _ = writeln!(
        out,
        "if ! {t} -n -L DOCKER-USER >/dev/null 2>&1; then\n  echo \"no {label} DOCKER-USER chain (is Docker running{ipv6}?); skipping the {label} rules\" >&2\nelse"
    );
}

/// A `set -e` shell script. Running it twice leaves the same rules: the chain
/// is created if missing and flushed, and each jump is added only when `-C`
/// does not find it. Removal deletes every copy of each jump, so it also
/// cleans up after repeated iptables-restore loads. Both families are locked
/// unless `--family` says otherwise: a family with no allowed source drops
/// every connection to the ports, so IPv6 is never left open by accident.
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
            // Deleting a jump from a missing chain just fails quietly.
            remove_lines(&mut out, plan, &t);
        } else if plan.hook == Hook::Docker {
            docker_guard(&mut out, &t, fam.label);
            add_lines(&mut out, plan, &fam, &t);
            out.push_str("fi\n");
        } else {
            add_lines(&mut out, plan, &fam, &t);
        }
    }
    out
}

fn add_lines(out: &mut String, plan: &Plan, fam: &Family, t: &str) {
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

fn remove_lines(out: &mut String, plan: &Plan, t: &str) {
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

/// iptables-restore (or ip6tables-restore) input for one family, to be
/// loaded with `--noflush` so the rest of the host's ruleset stays.
///
/// iptables-restore cannot test whether a rule exists, so loading the same
/// input twice adds a second copy of each jump (harmless: the chain is
/// declared, hence flushed and refilled, once per load). It cannot delete a
/// rule an unknown number of times either, so the `--remove` form is a shell
/// script (the script renderer's removal for this family), which deletes
/// every copy however often the input was loaded.
pub fn render_restore(plan: &Plan, v6: bool, remove: bool) -> String {
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
    let mut out = String::new();
    if remove {
        let _ = writeln!(
            out,
            "#!/bin/sh\n# gpucharts-mon firewall --remove ({}): undo the rules that {}.\n# A shell script, not {tool} input: {tool} cannot delete a rule that\n# repeated loads may have added several times. Run with: sh FILE",
            fam.label,
            summary(plan)
        );
        out.push_str("set -e\n");
        remove_lines(&mut out, plan, &format!("{} -w", fam.tool));
        return out;
    }
    let _ = writeln!(
        out,
        "# gpucharts-mon firewall ({}): {}.\n# Load with: {tool} --noflush < FILE\n# Loading it again adds a second copy of each {} jump ({tool} cannot test\n# for a rule); `gpucharts-mon firewall --format iptables-restore --remove`\n# removes every copy.",
        fam.label,
        summary(plan),
        hook_chain(plan)
    );
    out.push_str("*filter\n");
    // Only our own chain is declared: under --noflush a declared chain is
    // flushed, and INPUT / DOCKER-USER must keep everyone else's rules.
    let _ = writeln!(out, ":{} - [0:0]", plan.chain);
    for rule in chain_rules(plan, &fam.sources) {
        let _ = writeln!(out, "-A {rule}");
    }
    for &port in &plan.ports {
        let _ = writeln!(out, "-I {}", jump(plan, port));
    }
    out.push_str("COMMIT\n");
    out
}
