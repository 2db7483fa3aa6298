//! nftables renderers: one `inet` table of the tool's own (both families)
//! with sets of allowed IPv4 and IPv6 sources, either as a shell script
//! around `nft -f -` or as a bare ruleset for `nft -f FILE`.
//!
//! The script is the guarded form: `nft -f` cannot test anything, so the
//! script checks that a table of that name either does not exist or carries
//! the tool's mark (its table comment) before replacing or deleting it, so a
//! host's own table is never touched. The bare ruleset is for
//! `/etc/nftables.conf` (`include "…"`), which loads at boot: it replaces
//! the table of its name unconditionally, so that name must be the tool's
//! alone (the default `gpucharts-metrics` is).

use std::fmt::Write;

use super::{FirewallPlan, Hook, MARK, nft_table_name};

/// The table comment that marks a table as the tool's own.
fn table_comment() -> String {
    format!("managed by {MARK}")
}

/// Shell lines that stop unless table `table` is absent or ours.
fn ownership_guard(out: &mut String, table: &str) {
    let _ = writeln!(
        out,
        "if nft list table inet {table} >/dev/null 2>&1 && ! nft list table inet {table} | grep -qF 'comment \"{mark}\"'; then\n  echo \"table inet {table} exists and was not made by {MARK}; refusing to change it (choose another --chain)\" >&2\n  exit 1\nfi",
        mark = table_comment()
    );
}

pub(crate) fn render(plan: &FirewallPlan, remove: bool) -> String {
    let table = nft_table_name(&plan.chain);
    let mut out = String::from("#!/bin/sh\n");
    let ports: Vec<String> = plan.ports.iter().map(u16::to_string).collect();
    let sources: Vec<String> = plan.sources.iter().map(ToString::to_string).collect();
    let _ = writeln!(
        out,
        "# gpucharts-mon firewall{}: only {} may reach {}TCP port(s) {}.",
        if remove { " --remove" } else { "" },
        sources.join(", "),
        if plan.hook == Hook::Docker {
            "Docker-published "
        } else {
            ""
        },
        ports.join(", ")
    );
    if remove {
        out.push_str("# Deletes table inet ");
        out.push_str(&table);
        out.push_str(" only if gpucharts-mon made it. Run with: sh FILE\nset -e\n");
        ownership_guard(&mut out, &table);
        let _ = writeln!(
            out,
            "if nft list table inet {table} >/dev/null 2>&1; then nft delete table inet {table}; fi"
        );
        return out;
    }
    out.push_str("# Idempotent: the table is replaced in one atomic nft transaction. Run with: sh FILE\nset -e\n");
    ownership_guard(&mut out, &table);
    out.push_str("nft -f - <<'EOF'\n");
    out.push_str(&ruleset(plan, &table, &ports));
    out.push_str("EOF\n");
    out
}

/// The bare `nft -f` ruleset (see the module comment).
pub(crate) fn render_ruleset(plan: &FirewallPlan, remove: bool) -> String {
    let table = nft_table_name(&plan.chain);
    let ports: Vec<String> = plan.ports.iter().map(u16::to_string).collect();
    if remove {
        return format!(
            "# gpucharts-mon firewall --remove: load with nft -f FILE to delete table inet {table}.\ntable inet {table}\ndelete table inet {table}\n"
        );
    }
    format!(
        "# gpucharts-mon firewall: load with nft -f FILE, or include it from /etc/nftables.conf.\n# Replaces table inet {table} (and only it) in one transaction.\n{}",
        ruleset(plan, &table, &ports)
    )
}

/// The `nft -f` program: declare, delete and recreate the table at once.
fn ruleset(plan: &FirewallPlan, table: &str, ports: &[String]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "table inet {table}\ndelete table inet {table}");
    let v4: Vec<String> = plan.sources_v4().map(ToString::to_string).collect();
    let v6: Vec<String> = plan.sources_v6().map(ToString::to_string).collect();
    let set = |name: &str, kind: &str, elems: &[String]| {
        let elements = if elems.is_empty() {
            String::new()
        } else {
            format!("\n\t\telements = {{ {} }}", elems.join(", "))
        };
        format!("\tset {name} {{\n\t\ttype {kind}\n\t\tflags interval{elements}\n\t}}\n")
    };
    let iface = plan
        .interface
        .as_ref()
        .map_or_else(String::new, |i| format!("iifname \"{i}\" "));
    let dports = if ports.len() == 1 {
        ports[0].clone()
    } else {
        format!("{{ {} }}", ports.join(", "))
    };
    // INPUT: the port the packet is addressed to. Docker: the connection's
    // original (published) port, before DNAT, in the original direction; the
    // chain runs just before iptables' filter chains (and so DOCKER-USER).
    let (chain, hook, port_match) = match plan.hook {
        Hook::Input => ("input", "input", format!("tcp dport {dports}")),
        Hook::Docker => (
            "docker_forward",
            "forward",
            format!("meta l4proto tcp ct direction original ct original proto-dst {dports}"),
        ),
    };
    let _ = writeln!(
        out,
        "table inet {table} {{\n\tcomment \"{}\"",
        table_comment()
    );
    out.push_str(&set("allowed_v4", "ipv4_addr", &v4));
    out.push_str(&set("allowed_v6", "ipv6_addr", &v6));
    let _ = writeln!(
        out,
        "\tchain {chain} {{\n\t\ttype filter hook {hook} priority filter - 1; policy accept;"
    );
    if plan.hook == Hook::Input && plan.interface.is_none() {
        // Prometheus on the same host scrapes over loopback.
        let _ = writeln!(
            out,
            "\t\tiifname \"lo\" accept comment \"{MARK}: loopback stays open\""
        );
    }
    for (on, nfproto, saddr, label) in [
        (plan.families.v4(), "ipv4", "ip saddr @allowed_v4", "IPv4"),
        (plan.families.v6(), "ipv6", "ip6 saddr @allowed_v6", "IPv6"),
    ] {
        if !on {
            continue;
        }
        let _ = writeln!(
            out,
            "\t\t{iface}meta nfproto {nfproto} {port_match} {saddr} accept comment \"{MARK}: allowed {label} sources\""
        );
        let _ = writeln!(
            out,
            "\t\t{iface}meta nfproto {nfproto} {port_match} drop comment \"{MARK}: other {label} sources\""
        );
    }
    out.push_str("\t}\n}\n");
    out
}
