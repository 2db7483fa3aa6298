//! `gpucharts-mon firewall`: iptables / iptables-restore / nftables rules
//! that let only the Prometheus server reach the metrics ports.

use std::process::ExitCode;

use crate::Ctx;
use crate::cli::{FirewallArgs, FirewallFormat, IpFamily};
use crate::error;
use crate::firewall::{self, Hook, IpFamilies, PlanInput};
use crate::output::files::{Bundle, WriteOptions, write_bundle};

pub fn run(args: &FirewallArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let (allow, ports) = crate::context::firewall_scope(&args.allow, &args.ports, &ctx.inventory);
    let families = match (args.family, args.format) {
        (Some(IpFamily::V4), _) => IpFamilies::V4,
        (Some(IpFamily::V6), _) => IpFamilies::V6,
        // iptables-restore input is per family; IPv4 unless told otherwise.
        (None, FirewallFormat::IptablesRestore) => IpFamilies::V4,
        (None, _) => IpFamilies::Both,
    };
    let (plan, notes) = firewall::plan(&PlanInput {
        allow: &allow.value,
        allow_origin: &allow.origin,
        ports: &ports,
        chain: &args.chain,
        interface: args.interface.as_deref(),
        families,
        allow_any: args.allow_any,
        hook: if args.docker {
            Hook::Docker
        } else {
            Hook::Input
        },
    })
    .map_err(error::usage)?;
    for n in notes {
        error::warn(n);
    }
    if !args.remove {
        for addr in crate::context::prometheus_addresses(&ctx.inventory) {
            if !plan.allows(addr.ip) {
                error::warn(format!(
                    "{} ({}) is not among the allowed sources: that Prometheus will not reach the metrics ports",
                    addr.ip, addr.origin
                ));
            }
        }
    }
    let text = match args.format {
        FirewallFormat::Iptables => firewall::iptables::render_script(&plan, args.remove),
        FirewallFormat::Nft => firewall::nft::render(&plan, args.remove),
        FirewallFormat::NftRuleset => firewall::nft::render_ruleset(&plan, args.remove),
        FirewallFormat::IptablesRestore => {
            if args.family.is_none() {
                let v6 = plan.sources_v6().count();
                error::warn(format!(
                    "iptables-restore input covers IPv4 only; run again with --family 6 for ip6tables-restore{}",
                    if v6 > 0 {
                        format!(" ({v6} IPv6 source(s) given)")
                    } else {
                        " so IPv6 is not left open".into()
                    }
                ));
            }
            firewall::iptables::render_restore(&plan, families == IpFamilies::V6, args.remove)
        }
    };
    write_bundle(&Bundle::single(text), &WriteOptions::from(&args.out)).map_err(error::domain)?;
    Ok(ExitCode::SUCCESS)
}
