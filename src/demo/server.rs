//! The demo endpoints over HTTP (hyper): `/metrics` with every catalogue
//! family and `/health`, with fault switches. Used by `serve-demo` and
//! `demo`.

use std::convert::Infallible;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use http_body_util::Full;
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

use rustls::pki_types::PrivateKeyDer;
use rustls::pki_types::pem::PemObject;

use super::{Faults, TEXT_CONTENT_TYPE};
use crate::catalogue::{Catalogue, ServiceFamilies, ServiceRole};
use crate::error;
use crate::probe::security::{basic_auth_header, load_certs, load_roots, read_secret};
use crate::promapi::time::now_unix;

/// What a client must bring, as the seed's secured setup asks: TLS (with
/// Why the demo services cannot start: a TLS or auth file that is not
/// what its flag needs, or a port in use (exit 2); or our own setup failed
/// (exit 1).
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("{0}")]
    File(String),
    #[error("cannot listen on {addr}: {reason}")]
    Listen {
        addr: String,
        reason: std::io::Error,
    },
    #[error("{0}")]
    Setup(String),
}

impl DemoError {
    fn file(e: impl std::fmt::Display) -> Self {
        DemoError::File(e.to_string())
    }
}

impl error::Classify for DemoError {
    fn kind(&self) -> error::Kind {
        match self {
            DemoError::File(_) | DemoError::Listen { .. } => error::Kind::Usage,
            DemoError::Setup(_) => error::Kind::Failed,
        }
    }
}

/// client certificates when a client CA is set) and HTTP basic auth.
#[derive(Clone, Default)]
pub struct Guard {
    pub tls: Option<tokio_rustls::TlsAcceptor>,
    /// The expected `Authorization` header value.
    pub basic_auth: Option<Arc<str>>,
}

impl Guard {
    /// From PEM files: server certificate chain and key, optional client CA,
    /// optional basic auth user and password file. Errors name the file.
    pub(crate) fn from_files(
        tls: Option<(&Path, &Path)>,
        client_ca: Option<&Path>,
        basic_auth: Option<(&str, &Path)>,
    ) -> Result<Self, DemoError> {
        let tls = match tls {
            None => None,
            Some((cert, key)) => {
                let chain = load_certs(cert, "--tls-cert").map_err(DemoError::file)?;
                let key_der = PrivateKeyDer::from_pem_file(key).map_err(|e| {
                    DemoError::File(format!(
                        "--tls-key {}: not a PEM private key ({e})",
                        key.display()
                    ))
                })?;
                let provider = Arc::new(rustls::crypto::ring::default_provider());
                let builder = rustls::ServerConfig::builder_with_provider(provider.clone())
                    .with_safe_default_protocol_versions()
                    .map_err(|e| DemoError::Setup(format!("TLS setup: {e}")))?;
                let builder = match client_ca {
                    Some(ca) => {
                        let roots = load_roots(ca).map_err(DemoError::file)?;
                        let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
                            Arc::new(roots),
                            provider,
                        )
                        .build()
                        .map_err(|e| {
                            DemoError::File(format!("--tls-client-ca {}: {e}", ca.display()))
                        })?;
                        builder.with_client_cert_verifier(verifier)
                    }
                    None => builder.with_no_client_auth(),
                };
                let config = builder
                    .with_single_cert(chain, key_der)
                    .map_err(|e| DemoError::File(format!("--tls-cert {}: {e}", cert.display())))?;
                Some(tokio_rustls::TlsAcceptor::from(Arc::new(config)))
            }
        };
        let basic_auth = match basic_auth {
            None => None,
            Some((user, file)) => {
                let password =
                    read_secret(file, "--basic-auth-password-file").map_err(DemoError::file)?;
                Some(Arc::from(basic_auth_header(user, &password)))
            }
        };
        Ok(Self { tls, basic_auth })
    }

    fn admits(&self, req: &hyper::Request<hyper::body::Incoming>) -> bool {
        self.basic_auth.as_deref().is_none_or(|expected| {
            req.headers()
                .get(hyper::header::AUTHORIZATION)
                .is_some_and(|v| v.as_bytes() == expected.as_bytes())
        })
    }
}

/// A client must send its whole request head within this long; slow
/// (slowloris) clients are closed, and so is a kept-alive connection that
/// starts no next request in time.
const HEADER_TIMEOUT: Duration = Duration::from_secs(1);
/// The TLS handshake must finish within this long.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(2);
/// No connection lives longer: Prometheus simply reconnects.
const MAX_CONNECTION_LIFE: Duration = Duration::from_secs(60);

/// Connections one service holds at once: half of what the descriptor
/// limit leaves after a reserve (two services share it), 16 to 1024.
fn connection_limit() -> usize {
    let soft = nix::sys::resource::getrlimit(nix::sys::resource::Resource::RLIMIT_NOFILE)
        .map_or(1024, |(soft, _)| soft);
    (soft.saturating_sub(32) / 2).clamp(16, 1024) as usize
}

/// A connection that has not yet sent a complete request head, oldest
/// first: what is closed to make room when the server is full.
#[derive(Default)]
struct Waiting {
    queue: std::sync::Mutex<std::collections::VecDeque<std::sync::Weak<Conn>>>,
}

/// One connection's state, shared with the accept loop.
#[derive(Default)]
struct Conn {
    /// A request head arrived: the connection is doing work, not stalling.
    started: std::sync::atomic::AtomicBool,
    evict: tokio::sync::Notify,
}

impl Waiting {
    fn push(&self, conn: &Arc<Conn>, limit: usize) {
        let mut q = self
            .queue
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if q.len() > 2 * limit {
            q.retain(|w| {
                w.upgrade()
                    .is_some_and(|c| !c.started.load(std::sync::atomic::Ordering::Relaxed))
            });
        }
        q.push_back(Arc::downgrade(conn));
    }

    /// Close the oldest connection still waiting for its request head.
    fn evict_oldest(&self) -> bool {
        let mut q = self
            .queue
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        while let Some(w) = q.pop_front() {
            if let Some(c) = w.upgrade()
                && !c.started.load(std::sync::atomic::Ordering::Relaxed)
            {
                c.evict.notify_one();
                return true;
            }
        }
        false
    }
}

/// Serve one demo service on `listener` until the task is dropped.
///
/// Hardened for hostile clients: at most `connection_limit` connections;
/// when full (or out of file descriptors), the oldest connection that has
/// not sent a complete request head is closed to make room, so stalling
/// clients cannot keep fresh ones out; request heads within
/// `HEADER_TIMEOUT`, TLS handshakes within `HANDSHAKE_TIMEOUT`, no
/// connection past `MAX_CONNECTION_LIFE`, and accept errors back off
/// instead of spinning.
pub async fn serve(
    listener: TcpListener,
    service: ServiceFamilies,
    catalogue: Arc<Catalogue>,
    faults: Faults,
    guard: Guard,
) {
    let service = Arc::new(service);
    let started = Instant::now();
    let limit = connection_limit();
    let slots = Arc::new(tokio::sync::Semaphore::new(limit));
    let waiting = Arc::new(Waiting::default());
    let mut backoff = Duration::from_millis(10);
    loop {
        if slots.available_permits() == 0 {
            waiting.evict_oldest();
        }
        let Ok(slot) = slots.clone().acquire_owned().await else {
            return;
        };
        let stream = match listener.accept().await {
            Ok((stream, _)) => {
                backoff = Duration::from_millis(10);
                stream
            }
            Err(_) => {
                // EMFILE and friends: make room, and wait rather than spin
                // while the descriptor comes back.
                if !waiting.evict_oldest() {
                    backoff = (backoff * 2).min(Duration::from_millis(500));
                }
                tokio::time::sleep(backoff).await;
                continue;
            }
        };
        let conn = Arc::new(Conn::default());
        waiting.push(&conn, limit);
        let (service, catalogue, guard) = (service.clone(), catalogue.clone(), guard.clone());
        tokio::spawn(async move {
            let _slot = slot;
            let seen = conn.clone();
            let admit = guard.clone();
            let handler =
                hyper::service::service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
                    let (service, catalogue) = (service.clone(), catalogue.clone());
                    seen.started
                        .store(true, std::sync::atomic::Ordering::Relaxed);
                    let admitted = admit.admits(&req);
                    async move {
                        if faults.slow_ms > 0 {
                            tokio::time::sleep(Duration::from_millis(faults.slow_ms)).await;
                        }
                        let (status, ctype, body) = if !admitted {
                            (401, "text/plain", "Unauthorized\n".to_string())
                        } else {
                            match req.uri().path() {
                                "/metrics" if faults.has(super::Fault::EndpointDown) => (
                                    503,
                                    "text/plain",
                                    "service unavailable (--fault endpoint-down)\n".to_string(),
                                ),
                                "/metrics" => {
                                    let t = started.elapsed().as_secs_f64();
                                    (
                                        200,
                                        TEXT_CONTENT_TYPE,
                                        super::render(&service, &catalogue, t, now_unix(), faults),
                                    )
                                }
                                "/health" => {
                                    let (status, body) = super::health(&service, faults);
                                    (status, "application/json", body)
                                }
                                _ => (
                                    404,
                                    "text/plain",
                                    "not found: try /metrics or /health\n".to_string(),
                                ),
                            }
                        };
                        let mut resp = hyper::Response::builder()
                            .status(status)
                            .header(hyper::header::CONTENT_TYPE, ctype);
                        if status == 401 {
                            resp = resp.header(
                                hyper::header::WWW_AUTHENTICATE,
                                "Basic realm=\"gpu-charts\"",
                            );
                        }
                        let resp = resp
                            .body(Full::new(Bytes::from(body)))
                            .unwrap_or_else(|_| hyper::Response::new(Full::new(Bytes::new())));
                        Ok::<_, Infallible>(resp)
                    }
                });
            let mut http = hyper::server::conn::http1::Builder::new();
            http.timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT);
            let served = async {
                match &guard.tls {
                    Some(acceptor) => {
                        let handshake =
                            tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await;
                        if let Ok(Ok(tls)) = handshake {
                            let _ = http.serve_connection(TokioIo::new(tls), handler).await;
                        }
                    }
                    None => {
                        let _ = http.serve_connection(TokioIo::new(stream), handler).await;
                    }
                }
            };
            tokio::select! {
                _ = tokio::time::timeout(MAX_CONNECTION_LIFE, served) => {}
                () = conn.evict.notified() => {}
            }
        });
    }
}

/// Listen on `ip:port` (0: any free port); a port in use is bad input.
pub async fn listen(ip: std::net::IpAddr, port: u16) -> Result<TcpListener, DemoError> {
    TcpListener::bind((ip, port))
        .await
        .map_err(|reason| DemoError::Listen {
            addr: std::net::SocketAddr::new(ip, port).to_string(),
            reason,
        })
}

/// The embedded catalogue (the servers share it) and each service's
/// families, logger first.
pub type Services = (Arc<Catalogue>, [(ServiceRole, ServiceFamilies); 2]);

/// The embedded catalogue and the families each demo service serves.
pub fn embedded() -> Result<Services, DemoError> {
    let catalogue = Catalogue::embedded().map_err(|e| DemoError::Setup(e.to_string()))?;
    let get = |role: ServiceRole| {
        catalogue.service(role).cloned().ok_or_else(|| {
            DemoError::Setup(format!(
                "the embedded catalogue has no {} service",
                role.name()
            ))
        })
    };
    let services = [
        (ServiceRole::Logger, get(ServiceRole::Logger)?),
        (ServiceRole::Server, get(ServiceRole::Server)?),
    ];
    Ok((Arc::new(catalogue), services))
}
