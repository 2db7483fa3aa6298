//! The GPU Charts metric catalogue: which families each service exposes.
//! A copy of shared/gpu-charts/metrics.yaml is embedded (a test keeps the copy
//! in step with the shared one).

use std::collections::BTreeMap;

use serde::Deserialize;

pub const SOURCE: &str = include_str!("catalogue.yaml");

#[derive(Debug, Clone, Deserialize)]
pub struct Catalogue {
    pub services: BTreeMap<String, ServiceFamilies>,
    pub label_values: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ServiceFamilies {
    pub job: String,
    pub default_port: u16,
    pub quick_test_prefix: String,
    pub families: Vec<Family>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Family {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub labels: Vec<String>,
    #[serde(default)]
    pub buckets: Vec<f64>,
    pub help: String,
}

impl Catalogue {
    /// The embedded catalogue. It is part of the binary and covered by tests,
    /// so failing to parse it is a build defect, reported as an error anyway.
    pub fn embedded() -> Result<Self, String> {
        crate::yaml::from_str(SOURCE)
    }

    pub fn families(&self) -> impl Iterator<Item = &Family> {
        self.services.values().flat_map(|s| s.families.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_catalogue_parses() {
        let c = Catalogue::embedded().unwrap();
        assert_eq!(c.services["logger"].job, "gpu-charts-logger");
        assert_eq!(c.services["server"].default_port, 9091);
        assert!(c.families().count() >= 19);
    }
}
