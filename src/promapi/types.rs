//! Typed answers of the Prometheus HTTP API. Every field a version may lack
//! is optional or defaulted (e.g. `scrapeInterval` appeared in 2.30), and
//! unknown fields from newer versions are ignored.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The envelope every /api/v1 answer comes in.
#[derive(Debug, Deserialize)]
pub(crate) struct Envelope<T> {
    pub status: String,
    pub data: Option<T>,
    #[serde(rename = "errorType")]
    pub error_type: Option<String>,
    pub error: Option<String>,
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
pub(crate) struct QueryData {
    pub result_type: String,
    pub result: QueryPayload,
}

/// A query's `result`, decoded straight into its samples (no JSON tree: a
/// 60 MB answer of 1.5 M series costs its strings, not ten times them).
/// Vectors and matrices are a list of series; scalars and strings one
/// `[time, "value"]` pair.
#[derive(Debug, Clone, Default)]
pub(crate) struct QueryPayload {
    pub series: Vec<RawSeries>,
    pub pair: Option<(f64, String)>,
}

/// A series' labels, sorted by name, in one vector: a query answer of a
/// million series must cost its strings, not a B-tree node per series.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Labels(Vec<(String, String)>);

impl Labels {
    pub fn get(&self, name: &str) -> Option<&String> {
        self.0
            .binary_search_by(|(k, _)| k.as_str().cmp(name))
            .ok()
            .map(|i| &self.0[i].1)
    }

    pub fn insert(&mut self, name: String, value: String) {
        match self.0.binary_search_by(|(k, _)| k.cmp(&name)) {
            Ok(i) => self.0[i].1 = value,
            Err(i) => self.0.insert(i, (name, value)),
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &String)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(k, _)| k)
    }
}

impl<'a> IntoIterator for &'a Labels {
    type Item = (&'a String, &'a String);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, String)>,
        fn(&'a (String, String)) -> (&'a String, &'a String),
    >;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

impl FromIterator<(String, String)> for Labels {
    fn from_iter<I: IntoIterator<Item = (String, String)>>(iter: I) -> Self {
        let mut v: Vec<(String, String)> = iter.into_iter().collect();
        v.sort_by(|a, b| a.0.cmp(&b.0));
        // The last of a repeated name wins, as in a map.
        v.dedup_by(|later, earlier| {
            let same = later.0 == earlier.0;
            if same {
                std::mem::swap(&mut earlier.1, &mut later.1);
            }
            same
        });
        v.shrink_to_fit();
        Labels(v)
    }
}

impl Serialize for Labels {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter())
    }
}

impl<'de> Deserialize<'de> for Labels {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Labels;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map of label names to values")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut m: A) -> Result<Labels, A::Error> {
                let mut pairs = Vec::with_capacity(m.size_hint().unwrap_or(0).min(64));
                while let Some(pair) = m.next_entry::<String, String>()? {
                    pairs.push(pair);
                }
                Ok(pairs.into_iter().collect())
            }
        }
        d.deserialize_map(V)
    }
}

/// One series of a vector or matrix. Native histogram samples keep only
/// their count.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct RawSeries {
    #[serde(default)]
    pub metric: Labels,
    pub value: Option<(f64, SampleText)>,
    pub values: Option<Vec<(f64, SampleText)>>,
    pub histogram: Option<(f64, HistogramCount)>,
    pub histograms: Option<Vec<(f64, HistogramCount)>>,
}

/// A sample value as Prometheus wrote it ("1", "NaN", "+Inf"); a number
/// written bare is kept as its text.
#[derive(Debug, Clone, Default)]
pub(crate) struct SampleText(pub String);

impl<'de> Deserialize<'de> for SampleText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = SampleText;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a sample value")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<SampleText, E> {
                Ok(SampleText(v.to_string()))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<SampleText, E> {
                Ok(SampleText(v.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<SampleText, E> {
                Ok(SampleText(v.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<SampleText, E> {
                Ok(SampleText(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct HistogramCount {
    #[serde(default)]
    pub count: String,
}

impl<'de> Deserialize<'de> for QueryPayload {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        /// An element of `result`: a series (vector, matrix) or one half of
        /// a `[time, "value"]` pair (scalar, string).
        enum Item {
            Series(RawSeries),
            Time(f64),
            Text(String),
        }
        impl<'de> Deserialize<'de> for Item {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> serde::de::Visitor<'de> for V {
                    type Value = Item;
                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        f.write_str("a series or a sample")
                    }
                    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Item, E> {
                        Ok(Item::Time(v))
                    }
                    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Item, E> {
                        Ok(Item::Time(v as f64))
                    }
                    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Item, E> {
                        Ok(Item::Time(v as f64))
                    }
                    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Item, E> {
                        Ok(Item::Text(v.to_string()))
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(
                        self,
                        m: A,
                    ) -> Result<Item, A::Error> {
                        RawSeries::deserialize(serde::de::value::MapAccessDeserializer::new(m))
                            .map(Item::Series)
                    }
                }
                d.deserialize_any(V)
            }
        }
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = QueryPayload;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list of series or a [time, value] pair")
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<QueryPayload, E> {
                Ok(QueryPayload::default())
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<QueryPayload, A::Error> {
                let mut out = QueryPayload::default();
                let mut time = None;
                while let Some(item) = seq.next_element::<Item>()? {
                    match item {
                        Item::Series(s) => out.series.push(s),
                        Item::Time(t) => time = Some(t),
                        Item::Text(v) => out.pair = time.map(|t| (t, v)),
                    }
                }
                Ok(out)
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RuntimeInfo {
    pub start_time: Option<String>,
    pub reload_config_success: Option<bool>,
    pub last_config_time: Option<String>,
    #[serde(rename = "CWD")]
    pub cwd: Option<String>,
    pub storage_retention: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub(crate) struct BuildInfo {
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

pub(crate) type Flags = BTreeMap<String, String>;

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
    /// The rule's PromQL expression.
    #[serde(default)]
    pub query: String,
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
