//! Checking many endpoints at once: the report test-pull, demo and later
//! commands share.

use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;
use serde::Serialize;

use super::fetch::FetchOptions;
use super::{CheckOptions, Endpoint, EndpointReport, PrometheusView, check};
use crate::catalogue::Catalogue;
use crate::promapi::types::ActiveTarget;

/// Every endpoint's report. Each is kept packed (compact JSON, about 2 KB)
/// once it is complete, so 10,000 endpoints cost tens of MiB, not hundreds;
/// [`PullReport::endpoints`] unpacks them one at a time.
#[derive(Debug)]
pub struct PullReport {
    pub ok: bool,
    packed: Vec<Box<[u8]>>,
    pub prometheus_active_targets: Option<usize>,
}

impl PullReport {
    /// From finished reports, in endpoint order.
    pub fn from_reports(
        reports: Vec<EndpointReport>,
        prometheus_active_targets: Option<usize>,
    ) -> Self {
        Self {
            ok: reports.iter().all(|r| r.ok),
            packed: reports.iter().filter_map(pack).collect(),
            prometheus_active_targets,
        }
    }

    pub fn len(&self) -> usize {
        self.packed.len()
    }

    pub fn is_empty(&self) -> bool {
        self.packed.is_empty()
    }

    /// The reports, in endpoint order.
    pub fn endpoints(&self) -> impl Iterator<Item = EndpointReport> + '_ {
        // Packed by this process from the same type: unpacking cannot fail.
        self.packed
            .iter()
            .filter_map(|b| serde_json::from_slice(b).ok())
    }
}

impl Serialize for PullReport {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        struct Endpoints<'a>(&'a PullReport);
        impl Serialize for Endpoints<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_seq(self.0.endpoints())
            }
        }
        let mut st = serializer.serialize_struct("PullReport", 3)?;
        st.serialize_field("ok", &self.ok)?;
        st.serialize_field("endpoints", &Endpoints(self))?;
        if let Some(n) = self.prometheus_active_targets {
            st.serialize_field("prometheus_active_targets", &n)?;
        }
        st.end()
    }
}

/// The active targets of the consulted Prometheus (`None` without one),
/// which [`run_checks`] compares each endpoint with.
pub(crate) async fn consulted_targets(
    prom: Option<&crate::promapi::PromClient>,
) -> Result<Option<Vec<ActiveTarget>>, crate::promapi::ApiError> {
    match prom {
        Some(prom) => Ok(Some(
            prom.targets(Some("active"), None).await?.active_targets,
        )),
        None => Ok(None),
    }
}

/// Check every endpoint, at most `concurrency` at once, ticking `bar` (the
/// caller's, sized to the endpoints) as each one ends.
pub(crate) async fn run_checks(
    endpoints: Vec<Endpoint>,
    opts: CheckOptions,
    concurrency: usize,
    targets: Option<&[ActiveTarget]>,
    bar: Option<indicatif::ProgressBar>,
) -> PullReport {
    let catalogue = Arc::new(Catalogue::embedded().unwrap_or_else(|_| Catalogue {
        services: Default::default(),
        label_values: Default::default(),
    }));
    let total = endpoints.len();
    // A fixed pool of workers takes the endpoints in turn: at most
    // `concurrency` checks (and their buffers) exist at once, however many
    // endpoints there are.
    let endpoints = Arc::new(endpoints);
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let opts = Arc::new(opts);
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<(usize, EndpointReport)>();
    let mut workers = Vec::new();
    for _ in 0..concurrency.clamp(1, total.max(1)) {
        let (endpoints, next, opts, catalogue, tx) = (
            endpoints.clone(),
            next.clone(),
            opts.clone(),
            catalogue.clone(),
            tx.clone(),
        );
        workers.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(e) = endpoints.get(i) else { break };
                // A check that panics is a failed row, never a missing one.
                let report =
                    match tokio::spawn(check_owned(e.clone(), opts.clone(), catalogue.clone()))
                        .await
                    {
                        Ok(r) => r,
                        Err(err) => EndpointReport::aborted(
                            e,
                            &format!("internal error ({err}); please report it"),
                        ),
                    };
                if tx.send((i, report)).is_err() {
                    break;
                }
            }
        }));
    }
    drop(tx);
    // Prometheus' view of each endpoint, by the URL key it scrapes.
    let by_url: std::collections::HashMap<EndpointKey, &ActiveTarget> = targets
        .into_iter()
        .flatten()
        .filter_map(|t| Some((endpoint_key(&t.scrape_url)?, t)))
        .collect();
    let mut slots: Vec<Option<Box<[u8]>>> = (0..total).map(|_| None).collect();
    let mut ok = true;
    let mut store = |slots: &mut Vec<Option<Box<[u8]>>>, i: usize, mut report: EndpointReport| {
        if targets.is_some() {
            let found = endpoint_key(&report.url).and_then(|k| by_url.get(&k).copied());
            report.prometheus = Some(PrometheusView {
                scraped: found.is_some(),
                job: found.and_then(|t| t.labels.get("job").cloned()),
                health: found.map(|t| t.health.clone()),
                last_error: found
                    .map(|t| t.last_error.clone())
                    .filter(|e| !e.is_empty()),
            });
        }
        ok &= report.ok;
        slots[i] = pack(&report);
    };
    while let Some((i, report)) = rx.recv().await {
        store(&mut slots, i, report);
        if let Some(b) = &bar {
            b.inc(1);
        }
    }
    for w in workers {
        let _ = w.await;
    }
    for (i, e) in endpoints.iter().enumerate() {
        if slots[i].is_none() {
            store(&mut slots, i, EndpointReport::aborted(e, "not checked"));
        }
    }
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    PullReport {
        ok,
        packed: slots.into_iter().flatten().collect(),
        prometheus_active_targets: targets.map(<[ActiveTarget]>::len),
    }
}

fn pack(report: &EndpointReport) -> Option<Box<[u8]>> {
    serde_json::to_vec(report).ok().map(Vec::into_boxed_slice)
}

async fn check_owned(
    e: Endpoint,
    opts: Arc<CheckOptions>,
    catalogue: Arc<Catalogue>,
) -> EndpointReport {
    check(&e, &opts, &catalogue).await
}

/// What identifies a scrape URL: scheme, host (localhost and 127.0.0.1 the
/// same), port and path.
type EndpointKey = (String, String, Option<u16>, String);

fn endpoint_key(url: &str) -> Option<EndpointKey> {
    let u = Url::parse(url).ok()?;
    let host = match u.host_str() {
        Some("localhost") | Some("[::1]") => "127.0.0.1".to_string(),
        Some(h) => h.to_string(),
        None => String::new(),
    };
    Some((
        u.scheme().to_string(),
        host,
        u.port_or_known_default(),
        u.path().to_string(),
    ))
}

/// Scrape URLs match when scheme, port, path and host agree, treating
/// localhost and 127.0.0.1 as the same host.
pub(crate) fn same_endpoint(a: &str, b: &str) -> bool {
    matches!((endpoint_key(a), endpoint_key(b)), (Some(a), Some(b)) if a == b)
}

/// Go's HTTP client (and so Prometheus) follows at most 10 redirects.
pub(crate) const MAX_REDIRECTS: usize = 10;

/// Defaults for `demo`: one fetch per endpoint, Prometheus' timeouts.
pub(crate) fn default_options() -> CheckOptions {
    CheckOptions {
        fetch: FetchOptions {
            timeout: Duration::from_secs(10),
            max_body: 64 << 20,
            max_redirects: MAX_REDIRECTS,
            follow_redirects: true,
        },
        version: crate::version::PromVersion::V3,
        count: 1,
        slow: Duration::from_secs(1),
        lint: Default::default(),
        strict: false,
        require_families: false,
    }
}
