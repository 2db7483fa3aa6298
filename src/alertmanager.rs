//! alertmanager.yml from the inventory's `alertmanager:` section: receivers
//! (secrets only by file), a route tree by severity, grouping, and the
//! inhibition of an instance's alerts while its endpoint is down; and the
//! routing decision itself, so `--explain` can say where each alert goes.

use serde::Serialize;

use crate::catalogue::ServiceRole;
use crate::inventory::{Inventory, ReceiverSpec};
use crate::rules::{self, AlertService};
use crate::values::PromDuration;

/// The labels every notification group is keyed by.
const GROUP_BY: [&str; 3] = ["alertname", "job", "instance"];
/// The alert whose firing silences the same instance's other alerts.
const INHIBITING_ALERT: &str = "MetricsEndpointDown";
/// The label gen-rules puts on each alert about one service.
pub(crate) const SERVICE_LABEL: &str = "service";
/// The receiver written when the inventory names none.
const NULL_RECEIVER: &str = "null";

#[derive(Debug, Serialize)]
pub struct Config {
    global: Global,
    pub route: Route,
    inhibit_rules: Vec<InhibitRule>,
    pub receivers: Vec<Receiver>,
}

#[derive(Debug, Serialize)]
struct Global {
    resolve_timeout: &'static str,
}

/// One node of the route tree. Matchers are equality only, which is all
/// this generator writes, and `continue` is never set: the first matching
/// child takes the alert, as in Alertmanager.
#[derive(Debug, Serialize)]
pub struct Route {
    pub receiver: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    group_by: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    group_wait: Option<PromDuration>,
    #[serde(skip_serializing_if = "Option::is_none")]
    group_interval: Option<PromDuration>,
    #[serde(skip_serializing_if = "Option::is_none")]
    repeat_interval: Option<PromDuration>,
    #[serde(
        skip_serializing_if = "Vec::is_empty",
        serialize_with = "matcher_strings"
    )]
    matchers: Vec<(String, String)>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    routes: Vec<Route>,
}

fn matcher_strings<S: serde::Serializer>(
    matchers: &[(String, String)],
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_seq(matchers.iter().map(|(k, v)| equal_matcher(k, v)))
}

/// `name="value"` with the value quoted as Alertmanager's matcher parser
/// reads it (the same escapes as a Go string literal for `"` and `\`).
fn equal_matcher(name: &str, value: &str) -> String {
    let escaped = value.replace('\\', "\\\\").replace('"', "\\\"");
    format!("{name}=\"{escaped}\"")
}

impl Route {
    /// The receiver an alert with `labels` reaches.
    pub(crate) fn receiver_for(&self, labels: &[(&str, &str)]) -> &str {
        self.routes
            .iter()
            .find(|child| {
                child.matchers.iter().all(|(k, v)| {
                    labels
                        .iter()
                        .find(|(name, _)| name == k)
                        .map_or("", |(_, value)| value)
                        == v
                })
            })
            .map_or(&self.receiver, |child| child.receiver_for(labels))
    }
}

#[derive(Debug, Serialize)]
struct InhibitRule {
    source_matchers: Vec<String>,
    target_matchers: Vec<String>,
    equal: Vec<&'static str>,
}

#[derive(Debug, Default, Serialize)]
pub struct Receiver {
    pub name: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    webhook_configs: Vec<Webhook>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    slack_configs: Vec<Slack>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pagerduty_configs: Vec<PagerDuty>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    email_configs: Vec<Email>,
}

impl Receiver {
    /// The integrations this receiver notifies, for `--explain`.
    pub(crate) fn integrations(&self) -> Vec<&'static str> {
        let mut kinds = Vec::new();
        for (present, kind) in [
            (!self.webhook_configs.is_empty(), "webhook"),
            (!self.slack_configs.is_empty(), "slack"),
            (!self.pagerduty_configs.is_empty(), "pagerduty"),
            (!self.email_configs.is_empty(), "email"),
        ] {
            if present {
                kinds.push(kind);
            }
        }
        kinds
    }
}

#[derive(Debug, Serialize)]
struct Webhook {
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url_file: Option<String>,
    send_resolved: bool,
}

/// Query parameters that carry a secret in webhook URLs (Slack-style
/// hooks, Teams, generic bridges).
const SECRET_PARAMS: &[&str] = &[
    "token",
    "key",
    "apikey",
    "api_key",
    "secret",
    "password",
    "sig",
    "signature",
    "auth",
    "access_token",
    "code",
];

/// A value that goes into a mail header: no control character (a newline
/// in `email_to` would add a `Bcc:` header).
fn header_safe(at: &str, key: &str, value: &str) -> Result<(), String> {
    if value.chars().any(char::is_control) {
        return Err(format!(
            "{at}: {key} contains a control character (a line break would add a mail header); give plain addresses"
        ));
    }
    Ok(())
}

#[derive(Debug, Serialize)]
struct Slack {
    api_url_file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    channel: Option<String>,
    send_resolved: bool,
}

#[derive(Debug, Serialize)]
struct PagerDuty {
    routing_key_file: String,
    send_resolved: bool,
}

#[derive(Debug, Serialize)]
struct Email {
    to: String,
    from: String,
    smarthost: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    auth_username: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    auth_password_file: Option<String>,
    send_resolved: bool,
}

/// What went wrong in the inventory, one line, naming the key.
pub(crate) type BuildError = String;

/// The configuration for `inv`, or the first inventory mistake.
pub fn build(inv: &Inventory) -> Result<Config, BuildError> {
    let mut receivers = Vec::with_capacity(inv.receivers.len().max(1));
    for (i, spec) in inv.receivers.iter().enumerate() {
        let at = format!("alertmanager.receivers[{i}]");
        let receiver = receiver(spec, &at)?;
        if receivers.iter().any(|r: &Receiver| r.name == receiver.name) {
            return Err(format!(
                "{at}: the name {:?} is used twice; receiver names are unique",
                receiver.name
            ));
        }
        receivers.push(receiver);
    }
    let known = |key: &str, name: &Option<String>| -> Result<Option<String>, BuildError> {
        match name {
            Some(n) if !receivers.iter().any(|r| &r.name == n) => Err(format!(
                "alertmanager.routes.{key}: no receiver is named {n:?} (alertmanager.receivers lists {})",
                names(&receivers)
            )),
            other => Ok(other.clone()),
        }
    };
    let spec = &inv.routes;
    for (key, value) in [
        ("group_interval", spec.group_interval),
        ("repeat_interval", spec.repeat_interval),
    ] {
        if value.is_some_and(|d| d == PromDuration::from_secs(0)) {
            return Err(format!(
                "alertmanager.routes.{key}: must be longer than 0s (Alertmanager refuses zero)"
            ));
        }
    }
    let default = known("default", &spec.default)?;
    let critical = known("critical", &spec.critical)?;
    let warning = known("warning", &spec.warning)?;
    let logger = known("logger", &spec.logger)?;
    let server = known("server", &spec.server)?;
    // Without an explicit default, the first receiver takes what no route
    // does; with no receiver at all, a receiver that notifies nobody keeps
    // the file valid (gen-alertmanager says so).
    let default = match (default, receivers.first()) {
        (Some(d), _) => d,
        (None, Some(first)) => first.name.clone(),
        (None, None) => {
            receivers.push(Receiver {
                name: NULL_RECEIVER.into(),
                ..Receiver::default()
            });
            NULL_RECEIVER.into()
        }
    };
    let child = |label: &str, value: &str, receiver: String| Route {
        receiver,
        group_by: vec![],
        group_wait: None,
        group_interval: None,
        repeat_interval: None,
        matchers: vec![(label.into(), value.into())],
        routes: vec![],
    };
    // First match wins: critical alerts go to the critical receiver
    // whatever their service; then a service's own receiver; then warnings.
    let routes = [
        ("severity", "critical", critical),
        (SERVICE_LABEL, "logger", logger),
        (SERVICE_LABEL, "server", server),
        ("severity", "warning", warning),
    ]
    .into_iter()
    .filter_map(|(label, value, r)| r.map(|r| child(label, value, r)))
    .collect();
    Ok(Config {
        global: Global {
            resolve_timeout: "5m",
        },
        route: Route {
            receiver: default,
            group_by: GROUP_BY.to_vec(),
            group_wait: Some(spec.group_wait.unwrap_or(PromDuration::from_secs(30))),
            group_interval: Some(spec.group_interval.unwrap_or(PromDuration::from_secs(300))),
            repeat_interval: Some(
                spec.repeat_interval
                    .unwrap_or(PromDuration::from_secs(4 * 3600)),
            ),
            matchers: vec![],
            routes,
        },
        inhibit_rules: vec![InhibitRule {
            source_matchers: vec![equal_matcher("alertname", INHIBITING_ALERT)],
            target_matchers: vec![format!("alertname!=\"{INHIBITING_ALERT}\"")],
            equal: vec!["instance"],
        }],
        receivers,
    })
}

fn names(receivers: &[Receiver]) -> String {
    if receivers.is_empty() {
        return "none".into();
    }
    receivers
        .iter()
        .map(|r| format!("{:?}", r.name))
        .collect::<Vec<_>>()
        .join(", ")
}

fn receiver(spec: &ReceiverSpec, at: &str) -> Result<Receiver, BuildError> {
    let name = spec.name.trim();
    if name.is_empty() || name.chars().any(char::is_control) {
        return Err(format!(
            "{at}.name: {:?} is not a usable receiver name (non-empty, no control characters)",
            spec.name
        ));
    }
    let at = format!("{at} ({name})");
    for (inline, value, file_key) in [
        ("slack_api_url", &spec.slack_api_url, "slack_api_url_file"),
        (
            "pagerduty_routing_key",
            &spec.pagerduty_routing_key,
            "pagerduty_routing_key_file",
        ),
        (
            "email_auth_password",
            &spec.email_auth_password,
            "email_auth_password_file",
        ),
    ] {
        if value.is_some() {
            return Err(format!(
                "{at}: {inline} is a secret written inline; put it in a file only Alertmanager's user can read and set {file_key} instead"
            ));
        }
    }
    let mut r = Receiver {
        name: name.to_string(),
        ..Receiver::default()
    };
    if let Some(url) = &spec.webhook_url {
        let shown = crate::redact::url_text(url);
        let parsed = reqwest::Url::parse(url)
            .map_err(|e| format!("{at}: webhook_url {shown:?} is not a URL: {e}"))?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
            return Err(format!(
                "{at}: webhook_url {shown:?} must be an http:// or https:// URL with a host"
            ));
        }
        if parsed.password().is_some() {
            return Err(format!(
                "{at}: webhook_url {shown:?} carries a password, which would be written into alertmanager.yml; give the receiver a URL without one"
            ));
        }
        if let Some((k, _)) = parsed
            .query_pairs()
            .find(|(k, _)| SECRET_PARAMS.contains(&k.to_ascii_lowercase().as_str()))
        {
            return Err(format!(
                "{at}: webhook_url carries a secret in its query ({k}=…), which would be written into alertmanager.yml; put the URL in a file only Alertmanager's user can read and set webhook_url_file instead"
            ));
        }
        r.webhook_configs.push(Webhook {
            url: Some(url.clone()),
            url_file: None,
            send_resolved: true,
        });
    }
    if let Some(file) = &spec.webhook_url_file {
        if spec.webhook_url.is_some() {
            return Err(format!(
                "{at}: give webhook_url or webhook_url_file, not both"
            ));
        }
        r.webhook_configs.push(Webhook {
            url: None,
            url_file: Some(file.clone()),
            send_resolved: true,
        });
    }
    if let Some(file) = &spec.slack_api_url_file {
        r.slack_configs.push(Slack {
            api_url_file: file.clone(),
            channel: spec.slack_channel.clone(),
            send_resolved: true,
        });
    } else if spec.slack_channel.is_some() {
        return Err(format!(
            "{at}: slack_channel needs slack_api_url_file (the webhook URL, by file)"
        ));
    }
    if let Some(file) = &spec.pagerduty_routing_key_file {
        r.pagerduty_configs.push(PagerDuty {
            routing_key_file: file.clone(),
            send_resolved: true,
        });
    }
    match (&spec.email_to, &spec.email_from, &spec.email_smarthost) {
        (Some(to), Some(from), Some(smarthost)) => {
            for (key, value) in [
                ("email_to", to.as_str()),
                ("email_from", from.as_str()),
                ("email_smarthost", smarthost.as_str()),
                (
                    "email_auth_username",
                    spec.email_auth_username.as_deref().unwrap_or(""),
                ),
            ] {
                header_safe(&at, key, value)?;
            }
            if !smarthost.rsplit_once(':').is_some_and(|(host, port)| {
                !host.is_empty() && port.parse::<u16>().is_ok_and(|p| p > 0)
            }) {
                return Err(format!(
                    "{at}: email_smarthost {smarthost:?} must be HOST:PORT"
                ));
            }
            r.email_configs.push(Email {
                to: to.clone(),
                from: from.clone(),
                smarthost: smarthost.clone(),
                auth_username: spec.email_auth_username.clone(),
                auth_password_file: spec.email_auth_password_file.clone(),
                send_resolved: true,
            });
        }
        (None, None, None)
            if spec.email_auth_username.is_none() && spec.email_auth_password_file.is_none() => {}
        _ => {
            return Err(format!(
                "{at}: email needs email_to, email_from and email_smarthost together"
            ));
        }
    }
    Ok(r)
}

/// One line of `--explain`: an alert (with its service label, if any), its
/// severity and the receiver it reaches.
#[derive(Debug, PartialEq)]
pub struct AlertRoute<'a> {
    pub alert: &'static str,
    pub severity: &'static str,
    pub service: Option<&'static str>,
    pub receiver: &'a str,
}

/// Where each generated alert goes; an alert written once per service
/// appears once per service.
pub fn explain(config: &Config) -> Vec<AlertRoute<'_>> {
    let mut out = Vec::new();
    for a in &rules::ALERTS {
        let services: Vec<Option<&'static str>> = match a.service {
            AlertService::Unlabelled => vec![None],
            AlertService::EachService => ServiceRole::ALL.iter().map(|r| Some(r.name())).collect(),
            AlertService::Only(role) => vec![Some(role.name())],
        };
        for service in services {
            let mut labels = vec![("alertname", a.name), ("severity", a.severity)];
            if let Some(s) = service {
                labels.push((SERVICE_LABEL, s));
            }
            out.push(AlertRoute {
                alert: a.name,
                severity: a.severity,
                service,
                receiver: config.route.receiver_for(&labels),
            });
        }
    }
    out
}

/// The YAML text, with a header that says where it came from.
pub(crate) fn render(config: &Config) -> Result<String, crate::yaml::YamlError> {
    Ok(format!(
        "# Generated by gpucharts-mon gen-alertmanager. Validate with: amtool check-config <file>\n{}",
        crate::yaml::to_string(config)?
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inventory(yaml: &str) -> Inventory {
        Inventory::parse(yaml, None).unwrap()
    }

    #[test]
    fn routes_by_severity_first_match_wins() {
        let inv = inventory(
            "alertmanager:\n  receivers:\n    - {name: team, webhook_url: 'http://127.0.0.1:1/'}\n    - {name: pager, pagerduty_routing_key_file: /etc/am/pd}\n  routes: {critical: pager}\n",
        );
        let c = build(&inv).unwrap();
        assert_eq!(c.route.receiver, "team");
        let explained: Vec<_> = explain(&c)
            .into_iter()
            .map(|e| (e.alert, e.severity, e.service, e.receiver))
            .collect();
        assert!(explained.contains(&("MetricsEndpointDown", "critical", None, "pager")));
        assert!(explained.contains(&("MetricsJobAbsent", "critical", Some("server"), "pager")));
        assert!(explained.contains(&("ExchangeNoMessages", "warning", Some("logger"), "team")));
    }

    #[test]
    fn refuses_inline_secrets_unknown_receivers_and_duplicates() {
        for (yaml, needle) in [
            (
                "alertmanager:\n  receivers: [{name: s, slack_api_url: 'https://hooks.example/x'}]\n",
                "slack_api_url_file instead",
            ),
            (
                "alertmanager:\n  receivers: [{name: \"a\\e[2Jb\"}]\n",
                "not a usable receiver name",
            ),
            (
                "alertmanager:\n  receivers: [{name: a}, {name: a}]\n",
                "used twice",
            ),
            (
                "alertmanager:\n  receivers: [{name: a}]\n  routes: {critical: b}\n",
                "no receiver is named \"b\"",
            ),
            (
                "alertmanager:\n  receivers: [{name: a, webhook_url: 'file:///etc/passwd'}]\n",
                "http:// or https://",
            ),
            (
                "alertmanager:\n  receivers: [{name: a, webhook_url: 'https://u:hooks.example@127.0.0.1/'}]\n",
                "carries a password",
            ),
            (
                "alertmanager:\n  receivers: [{name: a, email_to: x@y}]\n",
                "together",
            ),
            (
                "alertmanager:\n  routes: {group_interval: 0s}\n",
                "longer than 0s",
            ),
            (
                "alertmanager:\n  receivers: [{name: a, webhook_url: 'https://hooks.example/x?token=abc'}]\n",
                "webhook_url_file instead",
            ),
            (
                "alertmanager:\n  receivers: [{name: a, email_to: \"a@x\\nBcc: evil@x\", email_from: b@x, email_smarthost: 'm:25'}]\n",
                "control character",
            ),
        ] {
            let err = build(&inventory(yaml)).unwrap_err();
            assert!(err.contains(needle), "{yaml}: {err}");
            assert!(!err.contains("hooks.example"), "secret echoed: {err}");
        }
    }

    #[test]
    fn no_receivers_gives_a_valid_null_route() {
        let c = build(&inventory("")).unwrap();
        assert_eq!(c.route.receiver, NULL_RECEIVER);
        assert!(c.receivers[0].integrations().is_empty());
        assert!(
            render(&c)
                .unwrap()
                .contains("alertname!=\"MetricsEndpointDown\"")
        );
    }
}
