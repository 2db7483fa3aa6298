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

#[derive(Debug, Serialize)]
pub struct PullReport {
    pub ok: bool,
    pub endpoints: Vec<EndpointReport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prometheus_active_targets: Option<usize>,
}

/// Check every endpoint, at most `concurrency` at once.
pub async fn run_checks(
    endpoints: Vec<Endpoint>,
    opts: CheckOptions,
    concurrency: usize,
    targets: Option<&[ActiveTarget]>,
) -> PullReport {
    let catalogue = Arc::new(Catalogue::embedded().unwrap_or_else(|_| Catalogue {
        services: Default::default(),
        label_values: Default::default(),
    }));
    let total = endpoints.len();
    let bar = (total * opts.count > 8)
        .then(|| crate::output::progress_bar(total as u64, "endpoints"))
        .flatten();
    let semaphore = Arc::new(tokio::sync::Semaphore::new(concurrency.max(1)));
    let opts = Arc::new(opts);
    let mut tasks = Vec::with_capacity(total);
    for e in endpoints {
        let (sem, opts, catalogue) = (semaphore.clone(), opts.clone(), catalogue.clone());
        let endpoint = e.clone();
        tasks.push((
            endpoint,
            tokio::spawn(async move {
                let _permit = sem.acquire_owned().await;
                check(&e, &opts, &catalogue).await
            }),
        ));
    }
    let mut reports = Vec::with_capacity(total);
    for (endpoint, t) in tasks {
        // A check that panicked is a failed row, never a missing one.
        reports.push(t.await.unwrap_or_else(|e| {
            EndpointReport::aborted(
                &endpoint,
                &format!("internal error ({e}); please report it"),
            )
        }));
        if let Some(b) = &bar {
            b.inc(1);
        }
    }
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    if let Some(targets) = targets {
        for r in &mut reports {
            let found = targets
                .iter()
                .find(|t| same_endpoint(&t.scrape_url, &r.url));
            r.prometheus = Some(PrometheusView {
                scraped: found.is_some(),
                job: found.and_then(|t| t.labels.get("job").cloned()),
                health: found.map(|t| t.health.clone()),
                last_error: found
                    .map(|t| t.last_error.clone())
                    .filter(|e| !e.is_empty()),
            });
        }
    }
    PullReport {
        ok: reports.iter().all(|r| r.ok),
        endpoints: reports,
        prometheus_active_targets: targets.map(<[ActiveTarget]>::len),
    }
}

/// Scrape URLs match when scheme, port, path and host agree, treating
/// localhost and 127.0.0.1 as the same host.
pub fn same_endpoint(a: &str, b: &str) -> bool {
    let (Ok(a), Ok(b)) = (Url::parse(a), Url::parse(b)) else {
        return false;
    };
    let host = |u: &Url| match u.host_str() {
        Some("localhost") | Some("[::1]") => "127.0.0.1".to_string(),
        Some(h) => h.to_string(),
        None => String::new(),
    };
    a.scheme() == b.scheme()
        && a.port_or_known_default() == b.port_or_known_default()
        && a.path() == b.path()
        && host(&a) == host(&b)
}

/// Go's HTTP client (and so Prometheus) follows at most 10 redirects.
pub const MAX_REDIRECTS: usize = 10;

/// Defaults for `demo`: one fetch per endpoint, Prometheus' timeouts.
pub fn default_options() -> CheckOptions {
    CheckOptions {
        fetch: FetchOptions {
            timeout: Duration::from_secs(10),
            max_body: 64 << 20,
            max_redirects: MAX_REDIRECTS,
            follow_redirects: true,
        },
        count: 1,
        slow: Duration::from_secs(1),
        lint: Default::default(),
        strict: false,
        require_families: false,
    }
}
