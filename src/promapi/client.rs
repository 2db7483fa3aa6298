//! The Prometheus HTTP API client (reqwest + rustls). One request helper;
//! every failure becomes an [`ApiError`] that says what went wrong in
//! operator terms.

use std::path::PathBuf;
use std::time::Duration;

use reqwest::{StatusCode, Url};
use serde::de::DeserializeOwned;

use super::types::*;

/// How to reach Prometheus.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    pub url: Url,
    pub timeout: Duration,
    pub basic_auth: Option<(String, PathBuf)>,
    pub bearer_token_file: Option<PathBuf>,
    pub ca_file: Option<PathBuf>,
    pub insecure: bool,
    /// Follow redirects to another scheme, host or port.
    pub follow_redirects: bool,
    /// Largest answer body read, in bytes.
    pub max_body: u64,
    /// Where the client's warnings go (a redirect followed to another
    /// host): the command layer's printer; the client prints nothing.
    pub warn: fn(String),
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("bad Prometheus setting: {0}")]
    Setup(String),
    #[error("cannot reach Prometheus at {url}: {cause}")]
    Unreachable { url: String, cause: String },
    #[error("Prometheus at {url} did not answer within {secs}s")]
    Timeout { url: String, secs: f64 },
    #[error("{url} does not look like the Prometheus API: {why}")]
    NotPrometheus { url: String, why: String },
    #[error(
        "the answer from {url} is larger than {max} bytes (all answers read at once count together); raise --prometheus-max-body (--max-body where Prometheus is the only peer) if that is expected"
    )]
    TooLarge { url: String, max: u64 },
    #[error(
        "{url} redirects to another host or port ({to}); not followed (pass --prometheus-follow-redirects to follow it; credentials are never sent there)"
    )]
    Redirected { url: String, to: String },
    #[error("Prometheus answered {url} with HTTP {status}: {body}")]
    Http {
        url: String,
        status: u16,
        body: String,
    },
    #[error("Prometheus reported an error for {url}: {error_type}: {error}")]
    Api {
        url: String,
        error_type: String,
        error: String,
    },
}

/// Longest URL sent as a GET; longer queries go as a POST form.
const MAX_GET_URL: usize = 4096;

#[derive(Debug, Clone)]
pub struct PromClient {
    /// Without user-info: safe to show and to build request URLs from.
    base: Url,
    /// The URL as the user gave it, password masked.
    shown: String,
    max_body: u64,
    http: reqwest::Client,
    timeout: Duration,
    auth: Option<Auth>,
    warn: fn(String),
}

#[derive(Debug, Clone)]
enum Auth {
    Basic(String, String),
    Bearer(String),
}

fn read_secret(path: &PathBuf, what: &str) -> Result<String, ApiError> {
    crate::input::read_text(crate::input::Purpose::Secret, path)
        .map(|s| s.trim_end_matches(['\n', '\r']).to_string())
        .map_err(|e| ApiError::Setup(format!("cannot read {what} {}: {e}", path.display())))
}

/// Redirects within the same scheme, host and port are followed (at most
/// five); to anywhere else only when the user asked. reqwest drops the
/// Authorization header on such a hop, so credentials never go along.
fn redirect_policy(origin: &Url, follow_anywhere: bool) -> reqwest::redirect::Policy {
    let origin = origin.clone();
    reqwest::redirect::Policy::custom(move |attempt| {
        let to = attempt.url();
        let same = to.scheme() == origin.scheme()
            && to.host_str() == origin.host_str()
            && to.port_or_known_default() == origin.port_or_known_default();
        if attempt.previous().len() >= 5 {
            attempt.error("more than 5 redirects")
        } else if same || follow_anywhere {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

impl PromClient {
    pub fn new(cfg: &ClientConfig) -> Result<Self, ApiError> {
        let mut builder = reqwest::Client::builder()
            .timeout(cfg.timeout)
            .connect_timeout(cfg.timeout)
            .user_agent(concat!("gpucharts-mon/", env!("CARGO_PKG_VERSION")))
            .redirect(redirect_policy(&cfg.url, cfg.follow_redirects))
            .danger_accept_invalid_certs(cfg.insecure);
        if let Some(ca) = &cfg.ca_file {
            let pem = crate::input::read_bytes(crate::input::Purpose::Secret, ca).map_err(|e| {
                ApiError::Setup(format!("cannot read --ca-file {}: {e}", ca.display()))
            })?;
            if memchr::memmem::find(&pem, b"-----BEGIN CERTIFICATE-----").is_none() {
                return Err(ApiError::Setup(format!(
                    "--ca-file {} is not a PEM certificate (no BEGIN CERTIFICATE block)",
                    ca.display()
                )));
            }
            let cert = reqwest::Certificate::from_pem(&pem)
                .map_err(|e| ApiError::Setup(format!("--ca-file {}: {e}", ca.display())))?;
            builder = builder.add_root_certificate(cert);
        }
        let http = builder
            .build()
            .map_err(|e| ApiError::Setup(format!("HTTP client: {e}")))?;
        let mut base = cfg.url.clone();
        // Credentials in the URL become basic auth and leave the URL, so no
        // message built from it can show them (`shown_url` masks them).
        let shown = crate::redact::url(&base);
        let url_auth = (!base.username().is_empty()).then(|| {
            let user = percent_decode(base.username());
            let pass = base.password().map(percent_decode).unwrap_or_default();
            (user, pass)
        });
        let _ = base.set_username("");
        let _ = base.set_password(None);
        let auth = match (&cfg.basic_auth, &cfg.bearer_token_file, url_auth) {
            (Some((user, file)), _, _) => Some(Auth::Basic(
                user.clone(),
                read_secret(file, "password file")?,
            )),
            (None, Some(file), _) => Some(Auth::Bearer(read_secret(file, "bearer token file")?)),
            (None, None, Some((user, pass))) => Some(Auth::Basic(user, pass)),
            (None, None, None) => None,
        };
        if !base.path().ends_with('/') {
            base.set_path(&format!("{}/", base.path()));
        }
        Ok(Self {
            base,
            shown,
            max_body: cfg.max_body,
            http,
            timeout: cfg.timeout,
            auth,
            warn: cfg.warn,
        })
    }

    /// The base URL, without credentials.
    pub(crate) fn base_url(&self) -> &Url {
        &self.base
    }

    /// The URL as given, for messages: `http://user:***@host:9092/`.
    pub(crate) fn shown_url(&self) -> &str {
        &self.shown
    }

    /// The URL a request for `path` really goes to, safe to show.
    /// The user is shown as given, the password masked.
    pub fn endpoint(&self, path: &str) -> String {
        let Ok(mut shown) = Url::parse(&self.shown) else {
            return self.shown.clone();
        };
        if !shown.path().ends_with('/') {
            shown.set_path(&format!("{}/", shown.path()));
        }
        shown
            .join(path)
            .map_or_else(|_| self.shown.clone(), |u| u.to_string())
    }

    fn url(&self, path: &str, query: &[(&str, &str)]) -> Result<Url, ApiError> {
        let mut url = self
            .base
            .join(path.trim_start_matches('/'))
            .map_err(|e| ApiError::Setup(format!("bad path {path}: {e}")))?;
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        Ok(url)
    }

    fn request(&self, method: reqwest::Method, url: Url) -> reqwest::RequestBuilder {
        let req = self.http.request(method, url);
        match &self.auth {
            Some(Auth::Basic(u, p)) => req.basic_auth(u, Some(p)),
            Some(Auth::Bearer(t)) => req.bearer_auth(t),
            None => req,
        }
    }

    fn transport_error(&self, url: &Url, err: &reqwest::Error) -> ApiError {
        let url = url.to_string();
        if err.is_timeout() {
            return ApiError::Timeout {
                url,
                secs: self.timeout.as_secs_f64(),
            };
        }
        ApiError::Unreachable {
            url,
            cause: root_cause(err),
        }
    }

    /// Send a request and read the whole body; (status, content type, body).
    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<(StatusCode, String, bytes::Bytes), ApiError> {
        let url = self.url(path, query)?;
        // Long PromQL does not fit in a URL (servers and proxies cap request
        // lines around 8-64 KiB): send the parameters as a form, as
        // Prometheus' own UI does; the API accepts POST for its queries.
        let request = if method == reqwest::Method::GET && url.as_str().len() > MAX_GET_URL {
            // The URL's query string is already the form encoding.
            let form = url.query().unwrap_or("").to_string();
            self.request(reqwest::Method::POST, self.url(path, &[])?)
                .header(
                    reqwest::header::CONTENT_TYPE,
                    "application/x-www-form-urlencoded",
                )
                .body(form)
        } else {
            self.request(method, url.clone())
        };
        let resp = request
            .send()
            .await
            .map_err(|e| self.transport_error(&url, &e))?;
        let status = resp.status();
        if status.is_redirection()
            && let Some(to) = resp.headers().get(reqwest::header::LOCATION)
        {
            return Err(ApiError::Redirected {
                url: crate::redact::url(&url),
                to: crate::text::terminal_safe(&String::from_utf8_lossy(to.as_bytes()))
                    .into_owned(),
            });
        }
        if resp.url().host_str() != url.host_str()
            || resp.url().port_or_known_default() != url.port_or_known_default()
        {
            (self.warn)(format!(
                "{} was redirected to {}",
                crate::redact::url(&url),
                crate::redact::url(resp.url())
            ));
        }
        let ctype = resp
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let body = self.read_capped(&url, resp).await?;
        Ok((status, ctype, body))
    }

    /// The body, refused as soon as it (or its announced length) passes
    /// `max_body`, counting every body being read at once in this process
    /// ([`crate::budget`]): a hostile or broken peer, or eight of them,
    /// cannot make us hold more. Chunks are kept as they come and joined
    /// once, so the buffer never doubles past what was read.
    async fn read_capped(
        &self,
        url: &Url,
        mut resp: reqwest::Response,
    ) -> Result<bytes::Bytes, ApiError> {
        let too_large = || ApiError::TooLarge {
            url: url.to_string(),
            max: self.max_body,
        };
        if resp.content_length().is_some_and(|n| n > self.max_body) {
            return Err(too_large());
        }
        let mut held = crate::budget::Held::new();
        let mut chunks: Vec<bytes::Bytes> = Vec::new();
        while let Some(chunk) = resp
            .chunk()
            .await
            .map_err(|e| self.transport_error(url, &e))?
        {
            held.grow(chunk.len() as u64, self.max_body)
                .map_err(|_| too_large())?;
            chunks.push(chunk);
        }
        if chunks.len() == 1 {
            return Ok(chunks.swap_remove(0));
        }
        let mut body = Vec::with_capacity(chunks.iter().map(bytes::Bytes::len).sum());
        for c in chunks.drain(..) {
            body.extend_from_slice(&c);
        }
        Ok(body.into())
    }

    /// GET an /api/v1 endpoint; the raw JSON body, after checking it is
    /// Prometheus' envelope with `status: success`.
    pub(crate) async fn get_raw(
        &self,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<bytes::Bytes, ApiError> {
        let url = self.url(path, query)?.to_string();
        let (status, ctype, body) = self.send(reqwest::Method::GET, path, query).await?;
        check_envelope(&url, status, &ctype, &body)?;
        Ok(body)
    }

    /// GET an /api/v1 endpoint and decode its `data`.
    pub async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<T, ApiError> {
        let url = self.url(path, query)?.to_string();
        let body = self.get_raw(path, query).await?;
        decode_data(&url, &body)
    }

    pub async fn targets(
        &self,
        state: Option<&str>,
        scrape_pool: Option<&str>,
    ) -> Result<TargetsData, ApiError> {
        let mut q = Vec::new();
        if let Some(s) = state {
            q.push(("state", s));
        }
        if let Some(p) = scrape_pool {
            q.push(("scrapePool", p));
        }
        self.get("api/v1/targets", &q).await
    }

    pub async fn config(&self) -> Result<ConfigData, ApiError> {
        self.get("api/v1/status/config", &[]).await
    }

    pub async fn rules(&self) -> Result<RulesData, ApiError> {
        self.get("api/v1/rules", &[]).await
    }

    pub async fn alertmanagers(&self) -> Result<AlertmanagersData, ApiError> {
        self.get("api/v1/alertmanagers", &[]).await
    }

    pub(crate) async fn runtime_info(&self) -> Result<RuntimeInfo, ApiError> {
        self.get("api/v1/status/runtimeinfo", &[]).await
    }

    pub async fn flags(&self) -> Result<Flags, ApiError> {
        self.get("api/v1/status/flags", &[]).await
    }

    pub(crate) async fn build_info(&self) -> Result<BuildInfo, ApiError> {
        self.get("api/v1/status/buildinfo", &[]).await
    }

    /// The metric families the target `job`/`instance` exposes, by its
    /// metadata (what that target serves, whatever labels other targets'
    /// series carry), each without a counter's `_total`, so the text
    /// format's `x_total` and OpenMetrics' `x` meet.
    pub(crate) async fn target_families(
        &self,
        job: &str,
        instance: &str,
    ) -> Result<std::collections::BTreeSet<String>, ApiError> {
        let selector = format!(
            "{{job={},instance={}}}",
            crate::values::promql_string(job),
            crate::values::promql_string(instance)
        );
        let meta: Vec<serde_json::Value> = self
            .get("api/v1/targets/metadata", &[("match_target", &selector)])
            .await?;
        Ok(meta
            .iter()
            .filter_map(|m| m.get("metric").and_then(|v| v.as_str()))
            .map(|m| family_key(m).to_string())
            .collect())
    }

    /// The (job, instance) of every target exposing `metric`.
    pub(crate) async fn targets_with(
        &self,
        metric: &str,
    ) -> Result<Vec<(String, String)>, ApiError> {
        let meta: Vec<serde_json::Value> = self
            .get("api/v1/targets/metadata", &[("metric", metric)])
            .await?;
        Ok(meta
            .iter()
            .map(|m| {
                let label = |k: &str| m["target"][k].as_str().unwrap_or_default().to_string();
                (label("job"), label("instance"))
            })
            .collect())
    }
}

/// A family's name without the counter suffix (see
/// [`PromClient::target_families`]).
pub(crate) fn family_key(name: &str) -> &str {
    name.strip_suffix("_total").unwrap_or(name)
}

/// The innermost cause, which is what an operator can act on
/// ("Connection refused", "dns error: ...", "invalid peer certificate ...").
fn root_cause(err: &(dyn std::error::Error + 'static)) -> String {
    let mut last = err.to_string();
    let mut cur = err.source();
    while let Some(e) = cur {
        last = e.to_string();
        cur = e.source();
    }
    last
}

fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(120)]);
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Prometheus answers every /api/v1 call with a JSON envelope, also on
/// errors (400/422/503 carry `status: error`). Anything else is not Prometheus.
pub(crate) fn check_envelope(
    url: &str,
    status: StatusCode,
    ctype: &str,
    body: &[u8],
) -> Result<(), ApiError> {
    let not_prom = |why: String| ApiError::NotPrometheus {
        url: url.to_string(),
        why,
    };
    // The envelope only; `data` is decoded by the caller.
    let head: Envelope<serde::de::IgnoredAny> = match serde_json::from_slice(body) {
        Ok(h) => h,
        Err(_) if status.is_success() => {
            let kind = if ctype.is_empty() {
                "no content type".into()
            } else {
                ctype.to_string()
            };
            return Err(not_prom(format!(
                "HTTP {status}, {kind}, body starts {:?}",
                snippet(body)
            )));
        }
        Err(_) => {
            return Err(ApiError::Http {
                url: url.to_string(),
                status: status.as_u16(),
                body: snippet(body),
            });
        }
    };
    match head.status.as_str() {
        "success" => Ok(()),
        "error" => Err(ApiError::Api {
            url: url.to_string(),
            error_type: head.error_type.unwrap_or_else(|| "unknown".into()),
            error: head.error.unwrap_or_default(),
        }),
        other => Err(not_prom(format!("JSON with status {other:?}"))),
    }
}

pub(crate) fn decode_data<T: DeserializeOwned>(url: &str, body: &[u8]) -> Result<T, ApiError> {
    let env: Envelope<T> = serde_json::from_slice(body).map_err(|e| ApiError::NotPrometheus {
        url: url.to_string(),
        why: format!("unexpected JSON shape: {e}"),
    })?;
    env.data.ok_or_else(|| ApiError::NotPrometheus {
        url: url.to_string(),
        why: "answer has no data".into(),
    })
}

/// URL user-info is percent-encoded; basic auth wants the plain text.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
