//! nftables renderer: one `inet` table (both families) with sets of allowed
//! IPv4 and IPv6 sources and one rule per family, for `nft -f`.

use std::fmt::Write;

use super::Plan;

/// nft table names: letters, digits, `_`; our chain names may contain `-`.
fn table_name(plan: &Plan) -> String {
    plan.chain.to_lowercase().replace('-', "_")
}

/// `nft -f` input. Adding is idempotent: the table is declared, deleted and
/// recreated in one atomic transaction. Removing declares and deletes it, so
/// it succeeds whether or not the table exists.
pub fn render(plan: &Plan, remove: bool) -> String {
    let table = table_name(plan);
    let mut out = String::from("#!/usr/sbin/nft -f\n");
    let ports: Vec<String> = plan.ports.iter().map(u16::to_string).collect();
    let sources: Vec<String> = plan.sources.iter().map(ToString::to_string).collect();
    let _ = writeln!(
        out,
        "# gpucharts-mon firewall{}: only {} may reach TCP port(s) {}.",
        if remove { " --remove" } else { "" },
        sources.join(", "),
        ports.join(", ")
    );
    let _ = writeln!(out, "table inet {table}\ndelete table inet {table}");
    if remove {
        return out;
    }
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
    let _ = writeln!(out, "table inet {table} {{");
    out.push_str(&set("allowed_v4", "ipv4_addr", &v4));
    out.push_str(&set("allowed_v6", "ipv6_addr", &v6));
    out.push_str("\tchain input {\n\t\ttype filter hook input priority filter; policy accept;\n");
    if plan.families.v4() {
        let _ = writeln!(
            out,
            "\t\t{iface}meta nfproto ipv4 tcp dport {dports} ip saddr @allowed_v4 accept comment \"gpucharts-mon: allowed IPv4 sources\""
        );
        let _ = writeln!(
            out,
            "\t\t{iface}meta nfproto ipv4 tcp dport {dports} drop comment \"gpucharts-mon: other IPv4 sources\""
        );
    }
    if plan.families.v6() {
        let _ = writeln!(
            out,
            "\t\t{iface}meta nfproto ipv6 tcp dport {dports} ip6 saddr @allowed_v6 accept comment \"gpucharts-mon: allowed IPv6 sources\""
        );
        let _ = writeln!(
            out,
            "\t\t{iface}meta nfproto ipv6 tcp dport {dports} drop comment \"gpucharts-mon: other IPv6 sources\""
        );
    }
    out.push_str("\t}\n}\n");
    out
}
