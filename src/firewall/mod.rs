//! Firewall rules that let only the Prometheus server reach the metrics
//! ports: validated inputs ([`Plan`]) and one renderer per format.

pub mod iptables;
pub mod nft;

use std::fmt;
use std::net::IpAddr;

/// An allowed source network, normalised (no host bits).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Source {
    pub addr: IpAddr,
    pub prefix: u8,
}

impl Source {
    pub(crate) fn is_v6(&self) -> bool {
        self.addr.is_ipv6()
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

/// A source address or a plan the rules cannot be made from.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FirewallError {
    #[error("{0}")]
    Source(String),
    #[error("{0}")]
    FirewallPlan(String),
}

message_into_string!(FirewallError);

/// Parse `ADDR[/PREFIX]`. Host bits set after the prefix are cleared and
/// reported in the second value, so the caller can say what was normalised.
pub(crate) fn parse_source(s: &str) -> Result<(Source, Option<String>), FirewallError> {
    parse_source_text(s).map_err(FirewallError::Source)
}

fn parse_source_text(s: &str) -> Result<(Source, Option<String>), String> {
    let (addr_text, prefix_text) = match s.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (s, None),
    };
    let addr: IpAddr = addr_text
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse()
        .map_err(|_| format!("'{s}': '{addr_text}' is not an IPv4 or IPv6 address"))?;
    let max = if addr.is_ipv4() { 32 } else { 128 };
    let prefix = match prefix_text {
        None => max,
        Some(p) => p
            .parse::<u8>()
            .ok()
            .filter(|p| *p <= max)
            .ok_or_else(|| format!("'{s}': prefix '/{p}' must be 0-{max}"))?,
    };
    let masked = mask(addr, prefix);
    let source = Source {
        addr: masked,
        prefix,
    };
    let note = (masked != addr).then(|| format!("'{s}' has host bits set; using {source}"));
    Ok((source, note))
}

fn mask(addr: IpAddr, prefix: u8) -> IpAddr {
    match addr {
        IpAddr::V4(a) => {
            let bits = u32::from(a);
            let m = if prefix == 0 {
                0
            } else {
                u32::MAX << (32 - prefix)
            };
            IpAddr::V4((bits & m).into())
        }
        IpAddr::V6(a) => {
            let bits = u128::from(a);
            let m = if prefix == 0 {
                0
            } else {
                u128::MAX << (128 - prefix)
            };
            IpAddr::V6((bits & m).into())
        }
    }
}

/// Which address families to emit rules for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IpFamilies {
    Both,
    V4,
    V6,
}

impl IpFamilies {
    pub(crate) fn v4(self) -> bool {
        self != IpFamilies::V6
    }

    pub fn v6(self) -> bool {
        self != IpFamilies::V4
    }
}

/// Where the rules hook into the host's packet path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hook {
    /// Services listening on the host itself: the INPUT chain.
    Input,
    /// Ports Docker publishes: DNAT-ed in PREROUTING, so they traverse
    /// FORWARD -> DOCKER-USER and never INPUT. Matched by the connection's
    /// original destination port (`--ctorigdstport`), i.e. the published port.
    Docker,
}

/// Everything a renderer needs, already validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FirewallPlan {
    pub sources: Vec<Source>,
    pub ports: Vec<u16>,
    /// The tool's own iptables chain name; the nft table name derives from it.
    pub chain: String,
    pub interface: Option<String>,
    pub families: IpFamilies,
    pub hook: Hook,
}

/// Marks what the tool made (rule comments, the nft table comment), so the
/// removal can tell its own from others'.
pub(crate) const MARK: &str = "gpucharts-mon";

/// Chains that belong to the kernel or to Docker: never the tool's own
/// chain (flushing one would drop the host's rules, SSH included).
const RESERVED_CHAINS: &[&str] = &[
    "INPUT",
    "OUTPUT",
    "FORWARD",
    "PREROUTING",
    "POSTROUTING",
    "DOCKER",
    "DOCKER-USER",
    "DOCKER-INGRESS",
    "DOCKER-ISOLATION-STAGE-1",
    "DOCKER-ISOLATION-STAGE-2",
    "DOCKER-FORWARD",
    "DOCKER-CT",
    "DOCKER-BRIDGE",
];

/// nft tables that distributions, firewalld, Docker and iptables-nft use.
const RESERVED_TABLES: &[&str] = &[
    "filter",
    "nat",
    "raw",
    "mangle",
    "security",
    "firewalld",
    "docker",
    "ufw",
];

/// Ports on which a mistake would cut off remote access.
const SSH_PORTS: &[u16] = &[22, 2222, 8022];

/// Raw inputs, as flags and the inventory give them.
pub struct PlanInput<'a> {
    pub allow: &'a [String],
    /// Where the allow list came from (`--allow`, or the inventory key and
    /// line), named in errors about its entries.
    pub allow_origin: &'a str,
    pub ports: &'a [u32],
    pub chain: &'a str,
    pub interface: Option<&'a str>,
    pub families: IpFamilies,
    pub allow_any: bool,
    pub hook: Hook,
}

/// Validate and normalise; (plan, notes about what was normalised or looks
/// risky).
pub fn plan(input: &PlanInput) -> Result<(FirewallPlan, Vec<String>), FirewallError> {
    plan_text(input).map_err(FirewallError::FirewallPlan)
}

fn plan_text(input: &PlanInput) -> Result<(FirewallPlan, Vec<String>), String> {
    if input.allow.is_empty() {
        return Err("no allowed sources: the rules would drop every scrape; give --allow ADDR (or prometheus.allowed_sources in the inventory)".into());
    }
    let mut notes = Vec::new();
    let mut sources = Vec::new();
    for s in input.allow {
        let origin = input.allow_origin;
        let (src, note) = parse_source(s.trim()).map_err(|e| format!("{origin}: {e}"))?;
        notes.extend(note.map(|n| format!("{origin}: {n}")));
        if sources.contains(&src) {
            notes.push(format!("duplicate source {src} merged"));
        } else {
            sources.push(src);
        }
    }
    if !input.allow_any {
        for (v6, name) in [(false, "IPv4"), (true, "IPv6")] {
            let family: Vec<Source> = sources
                .iter()
                .copied()
                .filter(|s| s.is_v6() == v6)
                .collect();
            if covers_everything(&family) {
                return Err(format!(
                    "the allowed sources ({}; {}) together cover all of {name}, which makes the rules meaningless; pass --allow-any if you really mean it",
                    family
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(", "),
                    input.allow_origin
                ));
            }
        }
    }
    let mut ports = Vec::new();
    for &p in input.ports {
        if !(1..=65535).contains(&p) {
            return Err(format!("--port {p}: must be 1-65535"));
        }
        let p = p as u16;
        if SSH_PORTS.contains(&p) {
            notes.push(format!(
                "port {p} is usually SSH: only the allowed sources will reach it; make sure you are one of them"
            ));
        }
        if !ports.contains(&p) {
            ports.push(p);
        }
    }
    if ports.is_empty() {
        return Err("no ports to protect".into());
    }
    check_chain(input.chain)?;
    if let Some(i) = input.interface
        && (i.is_empty()
            || i.len() > 15
            || !i
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.@".contains(&b)))
    {
        return Err(format!("--interface '{i}' is not an interface name"));
    }
    let wanted = |s: &Source| {
        if s.is_v6() {
            input.families.v6()
        } else {
            input.families.v4()
        }
    };
    if !sources.iter().any(wanted) {
        return Err(format!(
            "no allowed source of the selected family; the rules would drop every scrape (sources: {})",
            sources
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    Ok((
        FirewallPlan {
            sources,
            ports,
            chain: input.chain.to_string(),
            interface: input.interface.map(str::to_string),
            families: input.families,
            hook: input.hook,
        },
        notes,
    ))
}

/// The tool's own chain: a plain name that is not the kernel's or Docker's,
/// and whose nft table name is not a well-known table either.
fn check_chain(chain: &str) -> Result<(), String> {
    if chain.is_empty()
        || chain.len() > 28
        || chain.starts_with('-')
        || !chain
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(format!(
            "--chain '{chain}': use 1-28 letters, digits, '-' or '_', not starting with '-'"
        ));
    }
    if RESERVED_CHAINS
        .iter()
        .any(|r| r.eq_ignore_ascii_case(chain))
    {
        return Err(format!(
            "--chain '{chain}' is a built-in or Docker chain; the tool needs a chain of its own (it flushes and deletes it), e.g. GPUCHARTS-METRICS"
        ));
    }
    let table = nft_table_name(chain);
    if RESERVED_TABLES.contains(&table.as_str()) {
        return Err(format!(
            "--chain '{chain}' names the nft table '{table}', which belongs to the host's firewall; choose a name of the tool's own, e.g. GPUCHARTS-METRICS"
        ));
    }
    Ok(())
}

/// The nft table name for a chain name: nft names take letters, digits, `_`.
pub(crate) fn nft_table_name(chain: &str) -> String {
    chain.to_lowercase().replace('-', "_")
}

/// Do these networks (one family) together cover the whole address space?
/// Merges them as intervals, so `0.0.0.0/1` + `128.0.0.0/1` counts.
fn covers_everything(sources: &[Source]) -> bool {
    let Some(first) = sources.first() else {
        return false;
    };
    let bits: u32 = if first.is_v6() { 128 } else { 32 };
    let span = |s: &Source| -> (u128, u128) {
        let start = match s.addr {
            IpAddr::V4(a) => u128::from(u32::from(a)),
            IpAddr::V6(a) => u128::from(a),
        };
        let size_bits = bits - u32::from(s.prefix);
        let last = if size_bits == 128 {
            u128::MAX
        } else {
            start + ((1u128 << size_bits) - 1)
        };
        (start, last)
    };
    let max = if bits == 128 {
        u128::MAX
    } else {
        (1u128 << bits) - 1
    };
    let mut spans: Vec<(u128, u128)> = sources.iter().map(span).collect();
    spans.sort_unstable();
    let mut next = 0u128; // first address not yet covered
    for (start, last) in spans {
        if start > next {
            return false;
        }
        if last == max {
            return true;
        }
        next = next.max(last + 1);
    }
    false
}

impl FirewallPlan {
    /// Would a connection from `ip` reach the ports? Loopback always does
    /// (the rules never filter it).
    pub fn allows(&self, ip: IpAddr) -> bool {
        ip.is_loopback()
            || self
                .sources
                .iter()
                .any(|s| s.is_v6() == ip.is_ipv6() && mask(ip, s.prefix) == s.addr)
    }

    pub(crate) fn sources_v4(&self) -> impl Iterator<Item = &Source> {
        self.sources.iter().filter(|s| !s.is_v6())
    }

    pub(crate) fn sources_v6(&self) -> impl Iterator<Item = &Source> {
        self.sources.iter().filter(|s| s.is_v6())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn allows_by_network_and_loopback() {
        let input = super::PlanInput {
            allow: &["10.0.0.0/24".to_string(), "2001:db8::/64".to_string()],
            allow_origin: "--allow",
            ports: &[9090],
            chain: "GPUCHARTS-METRICS",
            interface: None,
            families: super::IpFamilies::Both,
            allow_any: false,
            hook: super::Hook::Input,
        };
        let (plan, _) = super::plan(&input).unwrap();
        for (ip, ok) in [
            ("10.0.0.7", true),
            ("10.0.1.7", false),
            ("127.0.0.1", true),
            ("::1", true),
            ("2001:db8::5", true),
            ("2001:db9::5", false),
        ] {
            assert_eq!(plan.allows(ip.parse().unwrap()), ok, "{ip}");
        }
    }

    use super::*;

    fn input<'a>(allow: &'a [String], ports: &'a [u32]) -> PlanInput<'a> {
        PlanInput {
            allow,
            allow_origin: "--allow",
            ports,
            chain: "GPUCHARTS-METRICS",
            interface: None,
            families: IpFamilies::Both,
            allow_any: false,
            hook: Hook::Input,
        }
    }

    #[test]
    fn sources_normalise_and_merge() {
        let (s, note) = parse_source("10.0.0.5/24").unwrap();
        assert_eq!(s.to_string(), "10.0.0.0/24");
        assert!(note.unwrap().contains("host bits"));
        assert_eq!(parse_source("::1").unwrap().0.to_string(), "::1/128");
        assert!(parse_source("10.0.0.1/33").is_err());
        assert!(parse_source("nonsense").is_err());
        let allow = vec!["10.0.0.1".to_string(), "10.0.0.1/32".to_string()];
        let (plan, notes) = plan(&input(&allow, &[9090, 9091, 9090])).unwrap();
        assert_eq!(plan.sources.len(), 1);
        assert_eq!(plan.ports, [9090, 9091]);
        assert!(notes.iter().any(|n| n.contains("merged")));
    }

    #[test]
    fn refuses_meaningless_plans() {
        assert!(plan(&input(&[], &[9090])).is_err());
        assert!(plan(&input(&["0.0.0.0/0".into()], &[9090])).is_err());
        assert!(plan(&input(&["::/0".into()], &[9090])).is_err());
        let halves = ["0.0.0.0/1".to_string(), "128.0.0.0/1".to_string()];
        assert!(plan(&input(&halves, &[9090])).is_err());
        let pieces = [
            "::/1".to_string(),
            "8000::/2".to_string(),
            "c000::/2".to_string(),
            "10.0.0.1".to_string(),
        ];
        assert!(plan(&input(&pieces, &[9090])).is_err());
        let gap = ["0.0.0.0/1".to_string(), "128.0.0.0/2".to_string()];
        assert!(plan(&input(&gap, &[9090])).is_ok());
        assert!(plan(&input(&["0.0.0.0/1".into(), "::1".into()], &[9090])).is_ok());
        assert!(plan(&input(&["10.0.0.1".into()], &[0])).is_err());
        assert!(plan(&input(&["10.0.0.1".into()], &[70000])).is_err());
    }

    #[test]
    fn refuses_chains_and_tables_of_others() {
        for chain in [
            "INPUT",
            "input",
            "FORWARD",
            "DOCKER-USER",
            "DOCKER",
            "-F",
            "filter",
            "NAT",
            "a b",
            "",
        ] {
            let allow = ["10.0.0.1".to_string()];
            let mut i = input(&allow, &[9090]);
            i.chain = chain;
            assert!(plan(&i).is_err(), "{chain}");
        }
    }

    #[test]
    fn warns_about_ssh_ports() {
        let allow = ["10.0.0.1".to_string()];
        let (_, notes) = plan(&input(&allow, &[22])).unwrap();
        assert!(notes.iter().any(|n| n.contains("SSH")), "{notes:?}");
    }
}
