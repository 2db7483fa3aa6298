//! The GPU Charts metric catalogue: which families each service exposes.
//! A copy of shared/gpu-charts/metrics.yaml is embedded (a test keeps the copy
//! in step with the shared one).

use std::collections::BTreeMap;

use serde::Deserialize;

pub const SOURCE: &str = include_str!("catalogue.yaml");

/// The two GPU Charts services: the one type for "logger or server"
/// everywhere (inventory, flags, catalogue, reports). Its defaults are the
/// catalogue's (a test keeps them equal).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ServiceRole {
    Logger,
    Server,
}

impl ServiceRole {
    pub const ALL: [ServiceRole; 2] = [ServiceRole::Logger, ServiceRole::Server];

    pub fn name(self) -> &'static str {
        match self {
            ServiceRole::Logger => "logger",
            ServiceRole::Server => "server",
        }
    }

    pub(crate) fn default_job(self) -> &'static str {
        match self {
            ServiceRole::Logger => "gpu-charts-logger",
            ServiceRole::Server => "gpu-charts-server",
        }
    }

    pub(crate) fn default_port(self) -> u16 {
        match self {
            ServiceRole::Logger => 9090,
            ServiceRole::Server => 9091,
        }
    }
}

impl std::str::FromStr for ServiceRole {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|r| r.name() == s)
            .ok_or_else(|| format!("'{s}' is not a service: logger or server"))
    }
}

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
    pub families: Vec<CatalogueFamily>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct CatalogueFamily {
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
    pub fn embedded() -> Result<Self, crate::yaml::YamlError> {
        crate::yaml::from_str(SOURCE)
    }

    pub fn families(&self) -> impl Iterator<Item = &CatalogueFamily> {
        self.services.values().flat_map(|s| s.families.iter())
    }

    /// The families and prefix of one service.
    pub fn service(&self, role: ServiceRole) -> Option<&ServiceFamilies> {
        self.services.get(role.name())
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

    #[test]
    fn service_role_defaults_are_the_catalogues() {
        let c = Catalogue::embedded().unwrap();
        for role in ServiceRole::ALL {
            let s = c.service(role).unwrap();
            assert_eq!(s.job, role.default_job());
            assert_eq!(s.default_port, role.default_port());
            assert_eq!(role.name().parse::<ServiceRole>(), Ok(role));
        }
        assert!("gateway".parse::<ServiceRole>().is_err());
    }
}
