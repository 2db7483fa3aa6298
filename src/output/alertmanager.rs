//! gen-alertmanager `--explain`: which receiver each alert reaches, one
//! line per alert.

use crate::alertmanager::{self, Config};
use crate::text::terminal_safe;

/// One line per alert: its severity and service, the receiver it is routed
/// to and that receiver's integrations (or that it notifies nobody).
pub(crate) fn explain(config: &Config) -> String {
    let mut out = String::new();
    for e in alertmanager::explain(config) {
        let integrations = config
            .receivers
            .iter()
            .find(|r| r.name == e.receiver)
            .map(|r| r.integrations().join(","))
            .unwrap_or_default();
        let service = e
            .service
            .map(|s| format!("{}={s}", alertmanager::SERVICE_LABEL))
            .unwrap_or_default();
        out.push_str(&format!(
            "{:<26} severity={:<9} {service:<15} -> {}{}\n",
            e.alert,
            e.severity,
            terminal_safe(e.receiver),
            if integrations.is_empty() {
                " (notifies nobody)".to_string()
            } else {
                format!(" ({integrations})")
            }
        ));
    }
    out
}
