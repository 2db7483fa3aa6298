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
    pub fn is_v6(&self) -> bool {
        self.addr.is_ipv6()
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

/// Parse `ADDR[/PREFIX]`. Host bits set after the prefix are cleared and
/// reported in the second value, so the caller can say what was normalised.
pub fn parse_source(s: &str) -> Result<(Source, Option<String>), String> {
    let (addr_text, prefix_text) = match s.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (s, None),
    };
    let addr: IpAddr = addr_text
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse()
        .map_err(|_| format!("--allow '{s}': '{addr_text}' is not an IPv4 or IPv6 address"))?;
    let max = if addr.is_ipv4() { 32 } else { 128 };
    let prefix = match prefix_text {
        None => max,
        Some(p) => p
            .parse::<u8>()
            .ok()
            .filter(|p| *p <= max)
            .ok_or_else(|| format!("--allow '{s}': prefix '/{p}' must be 0-{max}"))?,
    };
    let masked = mask(addr, prefix);
    let source = Source {
        addr: masked,
        prefix,
    };
    let note = (masked != addr).then(|| format!("--allow '{s}' has host bits set; using {source}"));
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
pub enum Families {
    Both,
    V4,
    V6,
}

impl Families {
    pub fn v4(self) -> bool {
        self != Families::V6
    }

    pub fn v6(self) -> bool {
        self != Families::V4
    }
}

/// Everything a renderer needs, already validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub sources: Vec<Source>,
    pub ports: Vec<u16>,
    /// iptables chain name, or the nftables table name.
    pub chain: String,
    pub interface: Option<String>,
    pub families: Families,
}

/// Raw inputs, as flags and the inventory give them.
pub struct PlanInput<'a> {
    pub allow: &'a [String],
    pub ports: &'a [u32],
    pub chain: &'a str,
    pub interface: Option<&'a str>,
    pub families: Families,
    pub allow_any: bool,
}

/// Validate and normalise; (plan, notes about what was normalised).
pub fn plan(input: &PlanInput) -> Result<(Plan, Vec<String>), String> {
    if input.allow.is_empty() {
        return Err("no allowed sources: the rules would drop every scrape; give --allow ADDR (or prometheus.allowed_sources in the inventory)".into());
    }
    let mut notes = Vec::new();
    let mut sources = Vec::new();
    for s in input.allow {
        let (src, note) = parse_source(s.trim())?;
        if src.prefix == 0 && !input.allow_any {
            return Err(format!(
                "--allow '{s}' allows every address, which makes the rules meaningless; pass --allow-any if you really mean it"
            ));
        }
        notes.extend(note);
        if sources.contains(&src) {
            notes.push(format!("duplicate source {src} merged"));
        } else {
            sources.push(src);
        }
    }
    let mut ports = Vec::new();
    for &p in input.ports {
        if !(1..=65535).contains(&p) {
            return Err(format!("--port {p}: must be 1-65535"));
        }
        if !ports.contains(&(p as u16)) {
            ports.push(p as u16);
        }
    }
    if ports.is_empty() {
        return Err("no ports to protect".into());
    }
    let chain = input.chain;
    if chain.is_empty()
        || chain.len() > 28
        || !chain
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(format!(
            "--chain '{chain}': use 1-28 letters, digits, '-' or '_'"
        ));
    }
    if let Some(i) = input.interface {
        if i.is_empty()
            || i.len() > 15
            || !i
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.@".contains(&b))
        {
            return Err(format!("--interface '{i}' is not an interface name"));
        }
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
        Plan {
            sources,
            ports,
            chain: chain.to_string(),
            interface: input.interface.map(str::to_string),
            families: input.families,
        },
        notes,
    ))
}

impl Plan {
    pub fn sources_v4(&self) -> impl Iterator<Item = &Source> {
        self.sources.iter().filter(|s| !s.is_v6())
    }

    pub fn sources_v6(&self) -> impl Iterator<Item = &Source> {
        self.sources.iter().filter(|s| s.is_v6())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input<'a>(allow: &'a [String], ports: &'a [u32]) -> PlanInput<'a> {
        PlanInput {
            allow,
            ports,
            chain: "GPUCHARTS-METRICS",
            interface: None,
            families: Families::Both,
            allow_any: false,
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
        assert!(plan(&input(&["10.0.0.1".into()], &[0])).is_err());
        assert!(plan(&input(&["10.0.0.1".into()], &[70000])).is_err());
    }
}
