//! Typed answers of the Prometheus HTTP API. Every field a version may lack
//! is optional or defaulted (e.g. `scrapeInterval` appeared in 2.30), and
//! unknown fields from newer versions are ignored.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The envelope every /api/v1 answer comes in.
#[derive(Debug, Deserialize)]
pub struct Envelope<T> {
    pub status: String,
    pub data: Option<T>,
    #[serde(rename = "errorType")]
    pub error_type: Option<String>,
    pub error: Option<String>,
    #[serde(default)]
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TargetsData {
    #[serde(default)]
    pub active_targets: Vec<ActiveTarget>,
    #[serde(default)]
    pub dropped_targets: Vec<DroppedTarget>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActiveTarget {
    #[serde(default)]
    pub discovered_labels: BTreeMap<String, String>,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    #[serde(default)]
    pub scrape_pool: String,
    #[serde(default)]
    pub scrape_url: String,
    #[serde(default)]
    pub global_url: Option<String>,
    #[serde(default)]
    pub last_error: String,
    /// RFC 3339; `0001-01-01T00:00:00Z` before the first scrape.
    #[serde(default)]
    pub last_scrape: String,
    #[serde(default)]
    pub last_scrape_duration: f64,
    #[serde(default)]
    pub health: String,
    pub scrape_interval: Option<String>,
    pub scrape_timeout: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DroppedTarget {
    #[serde(default)]
    pub discovered_labels: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueryData {
    pub result_type: String,
    pub result: serde_json::Value,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuntimeInfo {
    pub start_time: Option<String>,
    pub reload_config_success: Option<bool>,
    pub last_config_time: Option<String>,
    #[serde(rename = "CWD")]
    pub cwd: Option<String>,
    pub storage_retention: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct BuildInfo {
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub revision: String,
    #[serde(default, rename = "goVersion")]
    pub go_version: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ConfigData {
    pub yaml: String,
}

pub type Flags = BTreeMap<String, String>;

/// `/api/v1/rules`: rule groups and each rule's health.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RulesData {
    #[serde(default)]
    pub groups: Vec<RuleGroup>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct RuleGroup {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub file: String,
    #[serde(default)]
    pub rules: Vec<RuleState>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleState {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub health: String,
    #[serde(default)]
    pub last_error: String,
}

/// `/api/v1/alertmanagers`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertmanagersData {
    #[serde(default)]
    pub active_alertmanagers: Vec<serde_json::Value>,
}
