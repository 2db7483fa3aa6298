//! Prometheus HTTP API client: targets, query, status, health, reload.

pub mod client;
pub mod query;
pub mod reload;
pub mod time;
pub mod types;

use std::time::Duration;

pub(crate) use client::{ApiError, ClientConfig, PromClient};

use crate::error::{Classify, Kind};

/// Where Prometheus is when nothing says otherwise: the port the generated
/// docker-compose publishes (9090 belongs to the logger).
pub(crate) const DEFAULT_URL: &str = "http://localhost:9092";

/// Setup problems and PromQL mistakes are bad input (2); everything else
/// means Prometheus is unreachable or not answering like Prometheus (3).
impl Classify for ApiError {
    fn kind(&self) -> Kind {
        match self {
            ApiError::Setup(_) => Kind::Usage,
            ApiError::Api { error_type, .. } if error_type == "bad_data" => Kind::Usage,
            _ => Kind::Unreachable,
        }
    }

    fn hint(&self) -> Option<String> {
        match self {
            ApiError::Unreachable { .. } | ApiError::Timeout { .. } => Some(format!(
                "is Prometheus running there? Set --prometheus URL or PROMETHEUS_URL (the generated compose publishes it on {}; 9090 is the logger)",
                DEFAULT_URL
            )),
            ApiError::NotPrometheus { .. } => Some(
                "the URL answers, but not as Prometheus does; is it the logger's port 9090?"
                    .to_string(),
            ),
            _ => None,
        }
    }
}

/// Per-request timeout when `--timeout` is not given (Prometheus' own
/// default scrape timeout).
pub(crate) const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// The pause between polls, never past the deadline.
pub(crate) fn poll_interval(remaining: Duration) -> Duration {
    remaining.min(Duration::from_secs(1))
}
