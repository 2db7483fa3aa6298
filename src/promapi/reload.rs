//! Reloading Prometheus over HTTP and reading whether a reload took.

use reqwest::{Method, StatusCode};

use super::client::{ApiError, PromClient};
use super::time::parse_rfc3339;

/// What `POST /-/reload` answered.
#[derive(Debug, PartialEq, Eq)]
pub enum ReloadAnswer {
    Reloaded,
    /// 403: started without --web.enable-lifecycle.
    LifecycleDisabled,
    /// 500: the new config was rejected; Prometheus' own error text.
    Rejected(String),
    Unexpected(u16, String),
}

/// Prometheus' view of its last reload.
#[derive(Debug, Clone, PartialEq)]
pub struct ReloadState {
    /// Unix seconds of the last successful config load.
    pub last_config_time: Option<f64>,
    /// As Prometheus printed it.
    pub last_config_text: String,
    pub success: Option<bool>,
    /// Where this came from: runtimeinfo, or /metrics on older versions.
    pub source: &'static str,
}

impl PromClient {
    pub async fn reload(&self) -> Result<ReloadAnswer, ApiError> {
        let (status, _, body) = self.send(Method::POST, "-/reload", &[]).await?;
        let text = String::from_utf8_lossy(&body).trim().to_string();
        Ok(match status {
            StatusCode::OK => ReloadAnswer::Reloaded,
            StatusCode::FORBIDDEN => ReloadAnswer::LifecycleDisabled,
            StatusCode::INTERNAL_SERVER_ERROR => ReloadAnswer::Rejected(text),
            other => ReloadAnswer::Unexpected(other.as_u16(), text),
        })
    }

    /// `/api/v1/status/runtimeinfo` (lastConfigTime, reloadConfigSuccess), or
    /// Prometheus' own metrics where runtimeinfo is missing.
    pub(crate) async fn reload_state(&self) -> Result<ReloadState, ApiError> {
        match self.runtime_info().await {
            Ok(info) => {
                let text = info.last_config_time.unwrap_or_default();
                Ok(ReloadState {
                    last_config_time: parse_rfc3339(&text),
                    last_config_text: text,
                    success: info.reload_config_success,
                    source: "runtimeinfo",
                })
            }
            Err(ApiError::Http { status: 404, .. } | ApiError::NotPrometheus { .. }) => {
                let (_, _, body) = self.send(Method::GET, "metrics", &[]).await?;
                Ok(state_from_metrics(&String::from_utf8_lossy(&body)))
            }
            Err(e) => Err(e),
        }
    }
}

/// Read `prometheus_config_last_reload_success_timestamp_seconds` and
/// `prometheus_config_last_reload_successful` from Prometheus' /metrics.
pub(crate) fn state_from_metrics(text: &str) -> ReloadState {
    let value = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name)?.strip_prefix(' '))
            .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
    };
    let ts = value("prometheus_config_last_reload_success_timestamp_seconds");
    ReloadState {
        last_config_time: ts,
        last_config_text: ts.map(|t| format!("{t} (unix)")).unwrap_or_default(),
        success: value("prometheus_config_last_reload_successful").map(|v| v == 1.0),
        source: "/metrics",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_metrics_fallback() {
        let s = state_from_metrics(
            "# TYPE x gauge\nprometheus_config_last_reload_success_timestamp_seconds 1.7e+09\nprometheus_config_last_reload_successful 0\n",
        );
        assert_eq!(s.last_config_time, Some(1.7e9));
        assert_eq!(s.success, Some(false));
    }
}
