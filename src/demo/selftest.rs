//! `demo`: both demo services on free loopback ports, in this process,
//! checked the way test-pull checks real ones.

use tokio::task::JoinHandle;

use super::Faults;
use super::server::{DemoError, Guard, embedded, listen, serve};
use crate::probe::pull::{PullReport, default_options, run_checks};
use crate::probe::security::ScrapeSecurity;
use crate::probe::{CheckOptions, Endpoint};

/// The demo services, serving until checked.
pub struct SelfTest {
    /// One endpoint per service, logger first.
    pub endpoints: Vec<Endpoint>,
    /// How they are checked (test-pull's defaults).
    pub options: CheckOptions,
    tasks: Vec<JoinHandle<()>>,
}

/// Start both demo services on free loopback ports.
pub async fn start() -> Result<SelfTest, DemoError> {
    let (catalogue, services) = embedded()?;
    let loopback = std::net::Ipv4Addr::LOCALHOST.into();
    let mut endpoints = Vec::new();
    let mut tasks = Vec::new();
    for (role, families) in services {
        let listener = listen(loopback, 0).await?;
        let addr = listener
            .local_addr()
            .map_err(|e| DemoError::Setup(format!("cannot read the listening address: {e}")))?;
        let url = |path: &str| {
            reqwest::Url::parse(&format!("http://{addr}{path}"))
                .map_err(|e| DemoError::Setup(format!("{addr}{path}: {e}")))
        };
        endpoints.push(Endpoint {
            name: format!("demo-{}", role.name()),
            role: Some(role),
            metrics_url: url("/metrics")?,
            health_url: Some(url("/health")?),
            follow_redirects: true,
            security: ScrapeSecurity::none(),
            fallback: None,
        });
        tasks.push(tokio::spawn(serve(
            listener,
            families,
            catalogue.clone(),
            Faults::default(),
            Guard::default(),
        )));
    }
    Ok(SelfTest {
        endpoints,
        options: default_options(),
        tasks,
    })
}

impl SelfTest {
    /// Check both services (ticking `bar`), then stop them.
    pub async fn check(self, bar: Option<indicatif::ProgressBar>) -> PullReport {
        let report = run_checks(self.endpoints, self.options, 2, None, bar).await;
        for t in self.tasks {
            t.abort();
        }
        report
    }
}
