//! The one door to YAML. serde_yaml is archived upstream; we use its
//! maintained drop-in fork `serde_yaml_ng`. Everything else goes through these
//! two functions so the backend can be swapped in one place.

use serde::Serialize;
use serde::de::DeserializeOwned;

/// Parse YAML; the error text carries the key path and line/column.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_yaml_ng::from_str(text).map_err(|e| e.to_string())
}

pub fn to_string<T: Serialize>(value: &T) -> Result<String, String> {
    serde_yaml_ng::to_string(value).map_err(|e| e.to_string())
}
