//! A relabelling engine that mirrors Prometheus' `relabel_configs`
//! (model/relabel in Prometheus). Used to validate generated configs and to
//! simulate what Kubernetes and Docker discovery would turn into targets,
//! since Debian's Prometheus build has no Kubernetes discovery to try it on.

use std::collections::BTreeMap;

use regex::Regex;

use super::model::{RelabelAction, RelabelConfig, ScrapeConfig};
use crate::values::anchored_regex;

pub type LabelSet = BTreeMap<String, String>;

/// One relabel rule, compiled.
pub struct Rule {
    source_labels: Vec<String>,
    separator: String,
    regex: Regex,
    target_label: Option<String>,
    replacement: String,
    action: RelabelAction,
}

impl Rule {
    pub fn compile(cfg: &RelabelConfig) -> Result<Self, String> {
        let action = cfg.action.unwrap_or(RelabelAction::Replace);
        let needs_target = matches!(
            action,
            RelabelAction::Replace
                | RelabelAction::Lowercase
                | RelabelAction::Uppercase
                | RelabelAction::Keepequal
                | RelabelAction::Dropequal
                | RelabelAction::Hashmod
        );
        if needs_target && cfg.target_label.is_none() {
            return Err(format!("relabel action '{action:?}' needs a target_label"));
        }
        Ok(Self {
            source_labels: cfg.source_labels.clone(),
            separator: cfg.separator.clone().unwrap_or_else(|| ";".into()),
            // Prometheus' default regex is (.*) and it anchors every regex.
            regex: anchored_regex(cfg.regex.as_deref().unwrap_or("(.*)"))?,
            target_label: cfg.target_label.clone(),
            replacement: cfg.replacement.clone().unwrap_or_else(|| "$1".into()),
            action,
        })
    }

    /// Apply to `labels`; `false` means the target is dropped.
    fn apply(&self, labels: &mut LabelSet) -> bool {
        let value = self
            .source_labels
            .iter()
            .map(|l| labels.get(l).map_or("", String::as_str))
            .collect::<Vec<_>>()
            .join(&self.separator);
        match self.action {
            RelabelAction::Keep => return self.regex.is_match(&value),
            RelabelAction::Drop => return !self.regex.is_match(&value),
            RelabelAction::Replace => {
                if let (Some(caps), Some(target)) =
                    (self.regex.captures(&value), &self.target_label)
                {
                    let mut name = String::new();
                    caps.expand(target, &mut name);
                    let mut out = String::new();
                    caps.expand(&self.replacement, &mut out);
                    if out.is_empty() {
                        labels.remove(&name);
                    } else {
                        labels.insert(name, out);
                    }
                }
            }
            RelabelAction::Lowercase | RelabelAction::Uppercase => {
                if let Some(target) = &self.target_label {
                    let v = if self.action == RelabelAction::Lowercase {
                        value.to_lowercase()
                    } else {
                        value.to_uppercase()
                    };
                    labels.insert(target.clone(), v);
                }
            }
            RelabelAction::Labelmap => {
                let mapped: Vec<(String, String)> = labels
                    .iter()
                    .filter_map(|(k, v)| {
                        self.regex.captures(k).map(|caps| {
                            let mut name = String::new();
                            caps.expand(&self.replacement, &mut name);
                            (name, v.clone())
                        })
                    })
                    .collect();
                labels.extend(mapped);
            }
            RelabelAction::Keepequal | RelabelAction::Dropequal => {
                let target = self.target_label.as_deref().unwrap_or_default();
                let equal = labels.get(target).map_or("", String::as_str) == value;
                return equal == (self.action == RelabelAction::Keepequal);
            }
            // Sharding by hash is left alone: the simulation answers "which
            // pods does this job select", not "which shard scrapes them".
            RelabelAction::Hashmod => {}
            RelabelAction::Labeldrop => labels.retain(|k, _| !self.regex.is_match(k)),
            RelabelAction::Labelkeep => labels.retain(|k, _| self.regex.is_match(k)),
        }
        true
    }
}

/// Compile every relabel rule of a scrape config; the error names the rule.
pub fn compile_all(scrape: &ScrapeConfig) -> Result<Vec<Rule>, String> {
    scrape
        .relabel_configs
        .iter()
        .enumerate()
        .map(|(i, cfg)| {
            Rule::compile(cfg)
                .map_err(|e| format!("job '{}': relabel_configs[{i}]: {e}", scrape.job_name))
        })
        .collect()
}

/// What Prometheus would scrape for one discovered target: `None` when the
/// relabelling drops it, else the final target labels (`instance` defaulted
/// from `__address__`, the `__` labels removed) plus `__address__`.
pub fn simulate_target(
    scrape: &ScrapeConfig,
    discovered: &LabelSet,
) -> Result<Option<LabelSet>, String> {
    let rules = compile_all(scrape)?;
    let mut labels = discovered.clone();
    labels.insert("job".into(), scrape.job_name.clone());
    labels
        .entry("__scheme__".into())
        .or_insert_with(|| scrape.scheme.clone().unwrap_or_else(|| "http".into()));
    labels.entry("__metrics_path__".into()).or_insert_with(|| {
        scrape
            .metrics_path
            .clone()
            .unwrap_or_else(|| "/metrics".into())
    });
    for rule in &rules {
        if !rule.apply(&mut labels) {
            return Ok(None);
        }
    }
    let Some(address) = labels.get("__address__").cloned() else {
        return Ok(None);
    };
    let mut out: LabelSet = labels
        .into_iter()
        .filter(|(k, _)| !k.starts_with("__"))
        .collect();
    out.entry("instance".into())
        .or_insert_with(|| address.clone());
    out.insert("__address__".into(), address);
    Ok(Some(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> LabelSet {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn keep_replace_and_drop() {
        let scrape = ScrapeConfig {
            job_name: "j".into(),
            relabel_configs: vec![
                RelabelConfig {
                    source_labels: vec!["app".into()],
                    regex: Some("j".into()),
                    action: Some(RelabelAction::Keep),
                    ..Default::default()
                },
                RelabelConfig {
                    source_labels: vec!["ip".into()],
                    regex: Some("(.+)".into()),
                    target_label: Some("__address__".into()),
                    replacement: Some("${1}:9090".into()),
                    ..Default::default()
                },
            ],
            ..Default::default()
        };
        let kept = simulate_target(&scrape, &labels(&[("app", "j"), ("ip", "10.0.0.1")]))
            .unwrap()
            .unwrap();
        assert_eq!(kept["__address__"], "10.0.0.1:9090");
        assert_eq!(kept["instance"], "10.0.0.1:9090");
        assert_eq!(kept["job"], "j");
        assert!(!kept.contains_key("ip") || kept["ip"] == "10.0.0.1");
        // anchored: "jj" must not match "j"
        assert!(
            simulate_target(&scrape, &labels(&[("app", "jj"), ("ip", "1")]))
                .unwrap()
                .is_none()
        );
    }
}
