//! The alert set for GPU Charts: names, default thresholds and `for`
//! durations, and how overrides apply. The rule text lives in the template.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::catalogue::ServiceRole;
use crate::inventory::RuleOverride;
use crate::values::PromDuration;

/// Which service an alert is about, for its `service` label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertService {
    /// No `service` label (MetricsEndpointDown covers both jobs in one rule).
    Unlabelled,
    /// One rule per service, each labelled with it.
    EachService,
    Only(ServiceRole),
}

/// One alert of the generated set and its defaults.
#[derive(Debug, Clone, Copy)]
pub struct AlertSpec {
    pub name: &'static str,
    /// The default threshold, for alerts that have one.
    pub threshold: Option<f64>,
    /// The default `for`, in seconds.
    pub for_secs: u64,
    /// `critical` pages, `warning` does not (the Alertmanager routes use it).
    pub severity: &'static str,
    pub service: AlertService,
}

pub const ALERTS: [AlertSpec; 12] = [
    AlertSpec {
        name: "MetricsEndpointDown",
        threshold: None,
        for_secs: 300,
        severity: "critical",
        service: AlertService::Unlabelled,
    },
    AlertSpec {
        name: "MetricsJobAbsent",
        threshold: None,
        for_secs: 300,
        severity: "critical",
        service: AlertService::EachService,
    },
    AlertSpec {
        name: "ExchangeDisconnected",
        threshold: None,
        for_secs: 120,
        severity: "critical",
        service: AlertService::Only(ServiceRole::Logger),
    },
    AlertSpec {
        name: "ExchangeNoMessages",
        threshold: None,
        for_secs: 300,
        severity: "warning",
        service: AlertService::Only(ServiceRole::Logger),
    },
    AlertSpec {
        name: "ExchangeErrorRate",
        threshold: Some(1.0),
        for_secs: 300,
        severity: "warning",
        service: AlertService::Only(ServiceRole::Logger),
    },
    AlertSpec {
        name: "ExchangeReconnectionLoop",
        threshold: Some(5.0),
        for_secs: 0,
        severity: "warning",
        service: AlertService::Only(ServiceRole::Logger),
    },
    AlertSpec {
        name: "WebsocketLatencyHigh",
        threshold: Some(0.5),
        for_secs: 600,
        severity: "warning",
        service: AlertService::Only(ServiceRole::Logger),
    },
    AlertSpec {
        name: "ServerErrorRatioHigh",
        threshold: Some(0.05),
        for_secs: 300,
        severity: "critical",
        service: AlertService::Only(ServiceRole::Server),
    },
    AlertSpec {
        name: "ServerRequestLatencyHigh",
        threshold: Some(1.0),
        for_secs: 600,
        severity: "warning",
        service: AlertService::Only(ServiceRole::Server),
    },
    AlertSpec {
        name: "CacheHitRatioLow",
        threshold: Some(0.8),
        for_secs: 900,
        severity: "warning",
        service: AlertService::Only(ServiceRole::Server),
    },
    AlertSpec {
        name: "SlowDataQueries",
        threshold: Some(0.1),
        for_secs: 600,
        severity: "warning",
        service: AlertService::Only(ServiceRole::Server),
    },
    AlertSpec {
        name: "StaleData",
        threshold: Some(300.0),
        for_secs: 300,
        severity: "warning",
        service: AlertService::Only(ServiceRole::Logger),
    },
];

#[derive(Debug, Clone, Serialize)]
pub struct AlertParams {
    pub threshold: Option<f64>,
    /// `critical` pages, `warning` does not (the Alertmanager routes use it).
    pub severity: &'static str,
    /// The `service` label, for alerts about one service.
    pub service: Option<&'static str>,
    #[serde(rename = "for")]
    pub for_: String,
}

/// Default parameters with overrides applied; an unknown alert name or a
/// threshold on an alert that has none is an error naming the valid choices.
pub fn resolve(
    overrides: &BTreeMap<String, (RuleOverride, String)>,
) -> Result<BTreeMap<String, AlertParams>, String> {
    let mut out: BTreeMap<String, AlertParams> = ALERTS
        .iter()
        .map(|a| {
            (
                a.name.to_string(),
                AlertParams {
                    threshold: a.threshold,
                    severity: a.severity,
                    service: match a.service {
                        AlertService::Only(role) => Some(role.name()),
                        AlertService::Unlabelled | AlertService::EachService => None,
                    },
                    for_: PromDuration::from_secs(a.for_secs).to_string(),
                },
            )
        })
        .collect();
    for (name, (ov, origin)) in overrides {
        let Some(params) = out.get_mut(name) else {
            let names: Vec<&str> = ALERTS.iter().map(|a| a.name).collect();
            return Err(format!(
                "unknown alert '{name}' ({origin}); alerts are: {}",
                names.join(", ")
            ));
        };
        if let Some(t) = ov.threshold {
            if params.threshold.is_none() {
                return Err(format!("alert '{name}' has no threshold to set ({origin})"));
            }
            if !t.is_finite() {
                return Err(format!(
                    "threshold of '{name}' must be a finite number ({origin})"
                ));
            }
            params.threshold = Some(t);
        }
        if let Some(f) = ov.for_ {
            params.for_ = f.to_string();
        }
    }
    Ok(out)
}
