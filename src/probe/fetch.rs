//! One HTTP GET the way Prometheus scrapes: its Accept header, gzip, a body
//! cap, a deadline, and timing split into DNS, connect, TLS, first byte and
//! total. Built on hyper's connection API so each phase can be timed.

use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use reqwest::Url;

use super::security::ScrapeSecurity;
use serde::Serialize;

/// What Prometheus 2.x asks for: OpenMetrics first, then text 0.0.4
/// (recorded from Prometheus 2.42 scraping a loopback server).
pub(crate) const SCRAPE_ACCEPT_V2: &str = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

/// What Prometheus 3.x asks for by default, UTF-8 names allowed (recorded
/// from Prometheus 3.5.3 the same way).
pub(crate) const SCRAPE_ACCEPT_V3: &str = "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2";

/// The Accept header of a version's scrapes.
pub(crate) fn scrape_accept(version: crate::version::PromVersion) -> &'static str {
    match version {
        crate::version::PromVersion::V2 => SCRAPE_ACCEPT_V2,
        crate::version::PromVersion::V3 => SCRAPE_ACCEPT_V3,
    }
}

#[derive(Debug, Clone, Copy)]
pub struct FetchOptions {
    pub timeout: Duration,
    pub max_body: u64,
    pub max_redirects: usize,
    /// Prometheus' `follow_redirects` (default true): when false, a 3xx is
    /// the answer, and the scrape fails on its status.
    pub follow_redirects: bool,
}

/// Milliseconds spent in each phase of one request.
#[derive(Debug, Clone, Copy, Default, Serialize, serde::Deserialize, PartialEq)]
pub struct Phases {
    pub dns: f64,
    pub connect: f64,
    pub tls: f64,
    pub ttfb: f64,
    pub total: f64,
}

#[derive(Debug, Clone)]
pub struct Fetched {
    pub status: u16,
    pub content_type: String,
    /// Decoded body (gzip undone).
    pub body: Vec<u8>,
    /// Bytes on the wire.
    pub wire_bytes: u64,
    pub phases: Phases,
    pub final_url: Url,
    /// The URLs that answered with a redirect, in order (empty: none).
    pub redirects: Vec<Url>,
}

#[derive(Debug, Clone, thiserror::Error, PartialEq)]
pub enum FetchError {
    #[error("cannot resolve {0}")]
    Dns(String),
    #[error("connection refused or failed: {0}")]
    Connect(String),
    #[error("TLS handshake failed: {0}")]
    Tls(String),
    #[error("timed out after {0:.1}s")]
    Timeout(f64),
    #[error("body larger than {0} bytes (--max-body)")]
    TooLarge(u64),
    #[error("HTTP error: {0}")]
    Http(String),
    #[error("more than {0} redirects")]
    Redirects(usize),
    #[error("bad gzip body: {0}")]
    Gzip(String),
    #[error("unsupported URL {0}")]
    Url(String),
}

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1_000_000.0).round() / 1000.0
}

/// GET `url`, following at most `max_redirects` redirects, all within `timeout`.
/// TLS and the Authorization header come from `security` (the job's).
pub async fn fetch(
    url: &Url,
    accept: &str,
    opts: FetchOptions,
    security: &ScrapeSecurity,
) -> Result<Fetched, FetchError> {
    let deadline = Instant::now() + opts.timeout;
    match tokio::time::timeout_at(
        deadline.into(),
        fetch_following(url.clone(), accept, opts, security),
    )
    .await
    {
        Ok(r) => r,
        Err(_) => Err(FetchError::Timeout(opts.timeout.as_secs_f64())),
    }
}

async fn fetch_following(
    mut url: Url,
    accept: &str,
    opts: FetchOptions,
    security: &ScrapeSecurity,
) -> Result<Fetched, FetchError> {
    let mut chain = Vec::new();
    let origin = url.clone();
    loop {
        // Credentials go only where the user sent them: never to another
        // scheme, host or port a redirect names.
        let credentials = same_origin(&origin, &url);
        let (mut fetched, location) = fetch_once(&url, accept, opts, security, credentials).await?;
        match location {
            Some(loc) if opts.follow_redirects && (300..400).contains(&fetched.status) => {
                if chain.len() >= opts.max_redirects {
                    return Err(FetchError::Redirects(opts.max_redirects));
                }
                let next = url.join(&loc).map_err(|e| {
                    FetchError::Http(format!(
                        "bad redirect {:?}: {e}",
                        crate::text::terminal_safe(&loc)
                    ))
                })?;
                chain.push(std::mem::replace(&mut url, next));
            }
            _ => {
                fetched.redirects = chain;
                return Ok(fetched);
            }
        }
    }
}

/// Same scheme, host and port?
fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

trait Io: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send {}
impl<T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send> Io for T {}

/// A connection ready for HTTP, with the time each phase finished.
struct Connection {
    io: Box<dyn Io>,
    dns_done: Instant,
    connected: Instant,
    tls_done: Instant,
}

/// Resolve, connect (first address that answers) and, for https, shake
/// hands with the job's TLS settings.
async fn connect(url: &Url, security: &ScrapeSecurity) -> Result<Connection, FetchError> {
    let https = match url.scheme() {
        "http" => false,
        "https" => true,
        other => {
            return Err(FetchError::Url(format!(
                "{} (scheme {other})",
                crate::redact::url(url)
            )));
        }
    };
    let host = url
        .host_str()
        .ok_or_else(|| FetchError::Url(crate::redact::url(url)))?;
    let port = url.port_or_known_default().unwrap_or(80);
    let bare_host = host.trim_start_matches('[').trim_end_matches(']');
    let addrs: Vec<std::net::SocketAddr> = match bare_host.parse::<std::net::IpAddr>() {
        Ok(ip) => vec![(ip, port).into()],
        Err(_) => tokio::net::lookup_host((bare_host, port))
            .await
            .map_err(|e| FetchError::Dns(format!("{host}: {e}")))?
            .collect(),
    };
    let dns_done = Instant::now();
    let mut last_err = String::from("no address");
    let mut tcp = None;
    for addr in addrs {
        match tokio::net::TcpStream::connect(addr).await {
            Ok(s) => {
                tcp = Some(s);
                break;
            }
            Err(e) => last_err = format!("{addr}: {e}"),
        }
    }
    let tcp = tcp.ok_or(FetchError::Connect(last_err))?;
    let _ = tcp.set_nodelay(true);
    let connected = Instant::now();
    let io: Box<dyn Io> = if https {
        let name = security
            .verify_name(bare_host)
            .map_err(|e| FetchError::Tls(e.to_string()))?;
        let tls = tokio_rustls::TlsConnector::from(security.tls.clone())
            .connect(name, tcp)
            .await
            .map_err(|e| FetchError::Tls(security.explain_tls(&e)))?;
        Box::new(tls)
    } else {
        Box::new(tcp)
    };
    Ok(Connection {
        io,
        dns_done,
        connected,
        tls_done: Instant::now(),
    })
}

/// The GET Prometheus sends: its Accept header, gzip, the scrape timeout
/// header, and the job's Authorization.
fn scrape_request(
    url: &Url,
    accept: &str,
    opts: FetchOptions,
    security: &ScrapeSecurity,
    credentials: bool,
) -> Result<hyper::Request<Empty<Bytes>>, FetchError> {
    let host = url.host_str().unwrap_or_default();
    let path = match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_string(),
    };
    let authority = match url.port() {
        Some(p) => format!("{host}:{p}"),
        None => host.to_string(),
    };
    let mut req = hyper::Request::get(path);
    if let Some(value) = security.authorization().filter(|_| credentials) {
        req = req.header(hyper::header::AUTHORIZATION, value);
    }
    req.header(hyper::header::HOST, authority)
        .header(hyper::header::ACCEPT, accept)
        .header(hyper::header::ACCEPT_ENCODING, "gzip")
        .header(
            hyper::header::USER_AGENT,
            concat!("gpucharts-mon/", env!("CARGO_PKG_VERSION")),
        )
        .header(
            "X-Prometheus-Scrape-Timeout-Seconds",
            format!("{}", opts.timeout.as_secs_f64()),
        )
        .body(Empty::<Bytes>::new())
        .map_err(|e| FetchError::Http(e.to_string()))
}

/// The body, refused past `max` bytes on the wire, counting every body
/// being read at once in this process ([`crate::budget`]). Frames are kept
/// as they come and joined once at the end: no buffer that doubles as it
/// grows, so a body that is refused leaves no large blocks behind.
async fn read_body(
    mut body: hyper::body::Incoming,
    max: u64,
    held: &mut crate::budget::Held,
) -> Result<Vec<u8>, FetchError> {
    let mut frames: Vec<Bytes> = Vec::new();
    let mut total: u64 = 0;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| FetchError::Http(format!("reading the body: {e}")))?;
        if let Ok(data) = frame.into_data() {
            total += data.len() as u64;
            if total > max {
                return Err(FetchError::TooLarge(max));
            }
            held.grow(data.len() as u64, max)
                .map_err(|_| FetchError::TooLarge(max))?;
            frames.push(data);
        }
    }
    let mut raw = Vec::with_capacity(total as usize);
    for f in frames {
        raw.extend_from_slice(&f);
    }
    Ok(raw)
}

async fn fetch_once(
    url: &Url,
    accept: &str,
    opts: FetchOptions,
    security: &ScrapeSecurity,
    credentials: bool,
) -> Result<(Fetched, Option<String>), FetchError> {
    let start = Instant::now();
    let conn = connect(url, security).await?;
    let (mut sender, http) =
        hyper::client::conn::http1::handshake::<_, Empty<Bytes>>(TokioIo::new(conn.io))
            .await
            .map_err(|e| FetchError::Http(e.to_string()))?;
    let driver = tokio::spawn(async move {
        let _ = http.await;
    });
    let resp = sender
        .send_request(scrape_request(url, accept, opts, security, credentials)?)
        .await
        .map_err(|e| http_error(&e, security))?;
    let first_byte = Instant::now();
    let status = resp.status().as_u16();
    let header = |name: hyper::header::HeaderName| {
        resp.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let content_type = header(hyper::header::CONTENT_TYPE).unwrap_or_default();
    let encoding = header(hyper::header::CONTENT_ENCODING).unwrap_or_default();
    let location = header(hyper::header::LOCATION);
    let mut held = crate::budget::Held::new();
    let raw = read_body(resp.into_body(), opts.max_body, &mut held).await;
    driver.abort();
    let raw = raw?;
    let wire_bytes = raw.len() as u64;
    let body = if encoding.eq_ignore_ascii_case("gzip") {
        // What the budget has room for, at most --max-body.
        let room = crate::budget::Held::room(opts.max_body).min(opts.max_body);
        let out = gunzip(&raw, room).map_err(|e| match e {
            FetchError::TooLarge(_) => FetchError::TooLarge(opts.max_body),
            e => e,
        })?;
        held.grow(out.len() as u64, opts.max_body)
            .map_err(|_| FetchError::TooLarge(opts.max_body))?;
        out
    } else {
        raw
    };
    let done = Instant::now();
    Ok((
        Fetched {
            status,
            content_type,
            body,
            wire_bytes,
            phases: Phases {
                dns: ms(conn.dns_done - start),
                connect: ms(conn.connected - conn.dns_done),
                tls: ms(conn.tls_done - conn.connected),
                ttfb: ms(first_byte - start),
                total: ms(done - start),
            },
            final_url: url.clone(),
            redirects: Vec::new(),
        },
        location,
    ))
}

/// An HTTP-level failure with its causes: a TLS alert after the handshake
/// (TLS 1.3 refuses a missing client certificate only then) is a TLS
/// failure and is explained as one.
fn http_error(err: &(dyn std::error::Error + 'static), security: &ScrapeSecurity) -> FetchError {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        if let Some(io) = cause.downcast_ref::<std::io::Error>()
            && io
                .get_ref()
                .is_some_and(|inner| inner.is::<rustls::Error>())
        {
            return FetchError::Tls(security.explain_tls(io));
        }
        source = cause.source();
    }
    FetchError::Http(text)
}

fn gunzip(raw: &[u8], max: u64) -> Result<Vec<u8>, FetchError> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(raw)
        .take(max + 1)
        .read_to_end(&mut out)
        .map_err(|e| FetchError::Gzip(e.to_string()))?;
    if out.len() as u64 > max {
        return Err(FetchError::TooLarge(max));
    }
    Ok(out)
}
