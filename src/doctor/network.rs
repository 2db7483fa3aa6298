//! The network step: can this host reach the endpoint, and why not (refused, filtered, no route).

use super::*;

/// DNS and TCP; true when a connection was made.
pub(super) async fn network(
    e: &Endpoint,
    timeout: Duration,
    setup: &Setup<'_>,
    steps: &mut Vec<DoctorStep>,
) -> bool {
    let host = e.metrics_url.host_str().unwrap_or_default();
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let port = e.metrics_url.port_or_known_default().unwrap_or(80);
    let addrs: Vec<SocketAddr> = match bare.parse::<std::net::IpAddr>() {
        Ok(ip) => {
            steps.push(DoctorStep::new(
                "dns",
                CheckVerdict::Pass,
                format!("{ip} is an address"),
            ));
            vec![SocketAddr::new(ip, port)]
        }
        Err(_) => {
            match tokio::time::timeout(timeout, tokio::net::lookup_host((bare, port))).await {
                Ok(Ok(found)) => {
                    let found: Vec<SocketAddr> = found.collect();
                    let shown: Vec<String> = found.iter().map(|a| a.ip().to_string()).collect();
                    steps.push(DoctorStep::new(
                        "dns",
                        CheckVerdict::Pass,
                        format!("{bare} resolves to {}", shown.join(", ")),
                    ));
                    found
                }
                Ok(Err(err)) => {
                    steps.push(
                    DoctorStep::new("dns", CheckVerdict::Fail, format!("{bare} does not resolve: {err}"))
                        .fix("check the host name in the inventory (services.<role>.instances) or /etc/hosts"),
                );
                    steps.push(DoctorStep::new("tcp", CheckVerdict::Skip, "no address"));
                    return false;
                }
                Err(_) => {
                    steps.push(
                        DoctorStep::new(
                            "dns",
                            CheckVerdict::Fail,
                            format!("resolving {bare} timed out"),
                        )
                        .fix("check the resolver (/etc/resolv.conf)"),
                    );
                    steps.push(DoctorStep::new("tcp", CheckVerdict::Skip, "no address"));
                    return false;
                }
            }
        }
    };
    let mut last = DoctorStep::new("tcp", CheckVerdict::Fail, "no address to connect to");
    for addr in addrs {
        match tokio::time::timeout(timeout, tokio::net::TcpStream::connect(addr)).await {
            Ok(Ok(_)) => {
                steps.push(DoctorStep::new(
                    "tcp",
                    CheckVerdict::Pass,
                    format!("connected to {addr}"),
                ));
                return true;
            }
            Ok(Err(err)) if err.kind() == std::io::ErrorKind::ConnectionRefused => {
                last = DoctorStep::new(
                    "tcp",
                    CheckVerdict::Fail,
                    format!("connection refused by {addr}: nothing listens on port {port}"),
                )
                .fix(refused_fix(e, port));
            }
            Ok(Err(err)) => {
                last = DoctorStep::new(
                    "tcp",
                    CheckVerdict::Fail,
                    format!("cannot connect to {addr}: {err}"),
                )
                .fix("check the route to the host and that it is up");
            }
            Err(_) => {
                last = DoctorStep::new(
                    "tcp",
                    CheckVerdict::Fail,
                    format!(
                        "timed out: packets to {addr} dropped (no answer within {:.1}s), usually a firewall",
                        timeout.as_secs_f64()
                    ),
                )
                .fix(firewall_fix(port, setup.allowed_sources));
            }
        }
    }
    steps.push(last);
    false
}

pub(super) fn refused_fix(e: &Endpoint, port: u16) -> String {
    match e.role {
        Some(role) => format!(
            "start the {} (it listens on METRICS_PORT, {} by default; the inventory expects {port}), or fix services.{}.instances",
            role.default_job(),
            role.default_port(),
            role.name()
        ),
        None => format!("start the service on port {port}, or fix the address"),
    }
}

pub(super) fn firewall_fix(port: u16, allowed: &[String]) -> String {
    let allow = if allowed.is_empty() {
        "<prometheus-host>".to_string()
    } else {
        allowed.join(" --allow ")
    };
    format!(
        "let the Prometheus host through: gpucharts-mon firewall --allow {allow} --port {port} | sh (for a port published by Docker add --docker: DOCKER-USER, not INPUT, sees that traffic)"
    )
}
