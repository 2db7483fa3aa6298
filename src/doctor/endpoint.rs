//! The endpoint's own steps: /metrics fetched, parsed and linted, /health, the catalogue's families.

use super::*;

/// TLS/auth, /metrics and /health from the probe's typed outcomes.
pub(super) fn endpoint_steps(
    e: &Endpoint,
    r: &EndpointReport,
    opts: &CheckOptions,
    steps: &mut Vec<DoctorStep>,
) {
    let failures = |kind: CheckKind| {
        r.checks
            .iter()
            .find(|c| c.check == kind)
            .filter(|c| c.status == CheckStatus::Fail)
            .map(|c| c.failures.join("; "))
    };
    let security = failures(CheckKind::Security);
    let tls_failed = security.is_some();
    steps.push(match security {
        Some(f) => DoctorStep::new("tls-auth", CheckVerdict::Fail, f).fix(
            "scrape with the security Prometheus uses: --scheme, --ca-file, --cert-file/--key-file, --basic-auth-user/--basic-auth-password-file or the inventory's scrape: section",
        ),
        // No answer at all over https: the handshake never completed (a
        // peer that accepts TCP and never speaks), which is no pass.
        None if e.metrics_url.scheme() == "https" => match failures(CheckKind::Reachable)
            .filter(|_| r.http_status.is_none())
        {
            Some(f) => DoctorStep::new(
                "tls-auth",
                CheckVerdict::Fail,
                format!("the TLS handshake did not complete: {f}"),
            )
            .fix("check that the endpoint serves TLS on that port (openssl s_client -connect HOST:PORT) and that nothing in between holds the connection"),
            None => DoctorStep::new("tls-auth", CheckVerdict::Pass, "TLS handshake and authentication accepted"),
        },
        None => DoctorStep::new("tls-auth", CheckVerdict::Skip, "plain http"),
    });
    if tls_failed {
        steps.push(DoctorStep::new(
            "metrics",
            CheckVerdict::Skip,
            "not fetched: TLS or authentication failed",
        ));
    } else {
        steps.push(metrics_step(r, failures(CheckKind::Reachable), opts));
    }
    steps.push(match (&e.health_url, failures(CheckKind::Health)) {
        (None, _) => DoctorStep::new("health", CheckVerdict::Skip, "not a GPU Charts service"),
        (Some(_), Some(f)) => DoctorStep::new("health", CheckVerdict::Fail, f)
            .fix("the service reports itself unhealthy: see its log"),
        (Some(_), None) => DoctorStep::new(
            "health",
            CheckVerdict::Pass,
            format!(
                "status ok{}",
                r.health_service
                    .as_ref()
                    .map_or_else(String::new, |s| format!(" ({s})"))
            ),
        ),
    });
}

pub(super) fn metrics_step(
    r: &EndpointReport,
    unreachable: Option<String>,
    opts: &CheckOptions,
) -> DoctorStep {
    if let Some(f) = unreachable {
        return DoctorStep::new("metrics", CheckVerdict::Fail, f);
    }
    if let Some(parse) = r.checks.iter().find(|c| c.check == CheckKind::Parse)
        && parse.status == CheckStatus::Fail
    {
        return DoctorStep::new("metrics", CheckVerdict::Fail, parse.failures.join("; "))
            .fix("fix the exposition at that line (gpucharts-mon lint shows every problem)");
    }
    let errors: Vec<String> = r
        .lint
        .iter()
        .filter(|l| l.severity == Severity::Error)
        .take(3)
        .map(|l| {
            let line = l.line.map_or_else(String::new, |n| format!(" (line {n})"));
            format!("{} {}{line}", l.metric, l.message)
        })
        .collect();
    let median_ms = r.timing_ms.map_or(0.0, |t| t.median);
    let slow_ms = opts.slow.as_secs_f64() * 1000.0;
    let summary = format!(
        "{} families, {} samples, {} in {:.0} ms",
        r.families,
        r.samples,
        crate::text::human::bytes(r.bytes),
        median_ms
    );
    if !errors.is_empty() {
        return DoctorStep::new(
            "metrics",
            CheckVerdict::Fail,
            format!("{summary}; lint errors: {}", errors.join("; ")),
        )
        .fix("fix these series (gpucharts-mon lint lists every finding)");
    }
    if median_ms > slow_ms {
        // dns, connect and tls are each phase's own time; the first byte
        // and the total are counted from the start.
        let slowest = r.phases_ms.map_or("body", |p| {
            [
                ("dns", p.dns),
                ("connect", p.connect),
                ("tls", p.tls),
                ("first byte", p.ttfb - p.dns - p.connect - p.tls),
                ("body", p.total - p.ttfb),
            ]
            .into_iter()
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map_or("body", |(name, _)| name)
        });
        // The advice follows the phase that took the time.
        let fix = match slowest {
            "dns" => "name resolution is slow: check the resolver (/etc/resolv.conf), or name the instance by IP in the inventory".to_string(),
            "connect" => "the TCP connect is slow: the network path or an overloaded host (check the latency to it and any rate-limiting firewall)".to_string(),
            "tls" => "the TLS handshake is slow: an overloaded endpoint or a long certificate chain; check the service's CPU".to_string(),
            "first byte" if r.bytes < 1 << 20 => format!(
                "the service takes long to start answering /metrics for a small body ({}): a slow collector in the service (a lock, a query per scrape); profile its handler, or raise scrape_timeout meanwhile",
                crate::text::human::bytes(r.bytes)
            ),
            _ => "a large body or many series: reduce label combinations (gpucharts-mon lint shows the biggest families), or raise scrape_timeout".to_string(),
        };
        return DoctorStep::new(
            "metrics",
            CheckVerdict::Warn,
            format!("{summary}: slower than {slow_ms:.0} ms (slowest phase: {slowest})"),
        )
        .fix(fix);
    }
    // The usual cause of high Prometheus memory: one family's label explosion.
    if let Some(f) = r.cardinality.first().filter(|f| f.series > 10_000) {
        let label = f.top_labels.first().map_or_else(String::new, |l| {
            format!(", label {} has {} values", l.label, l.distinct_values)
        });
        return DoctorStep::new(
            "metrics",
            CheckVerdict::Warn,
            format!("{summary}; {} has {} series{label}", f.name, f.series),
        )
        .fix("reduce that label's combinations (high cardinality drives Prometheus' memory)");
    }
    DoctorStep::new("metrics", CheckVerdict::Pass, summary)
}
