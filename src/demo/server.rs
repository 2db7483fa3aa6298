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
    pub fn from_files(
        tls: Option<(&Path, &Path)>,
        client_ca: Option<&Path>,
        basic_auth: Option<(&str, &Path)>,
    ) -> anyhow::Result<Self> {
        let tls = match tls {
            None => None,
            Some((cert, key)) => {
                let chain = load_certs(cert, "--tls-cert").map_err(error::usage)?;
                let key_der = PrivateKeyDer::from_pem_file(key).map_err(|e| {
                    error::usage(format!(
                        "--tls-key {}: not a PEM private key ({e})",
                        key.display()
                    ))
                })?;
                let provider = Arc::new(rustls::crypto::ring::default_provider());
                let builder = rustls::ServerConfig::builder_with_provider(provider.clone())
                    .with_safe_default_protocol_versions()
                    .map_err(|e| anyhow::anyhow!("TLS setup: {e}"))?;
                let builder = match client_ca {
                    Some(ca) => {
                        let roots = load_roots(ca).map_err(error::usage)?;
                        let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
                            Arc::new(roots),
                            provider,
                        )
                        .build()
                        .map_err(|e| {
                            error::usage(format!("--tls-client-ca {}: {e}", ca.display()))
                        })?;
                        builder.with_client_cert_verifier(verifier)
                    }
                    None => builder.with_no_client_auth(),
                };
                let config = builder
                    .with_single_cert(chain, key_der)
                    .map_err(|e| error::usage(format!("--tls-cert {}: {e}", cert.display())))?;
                Some(tokio_rustls::TlsAcceptor::from(Arc::new(config)))
            }
        };
        let basic_auth = match basic_auth {
            None => None,
            Some((user, file)) => {
                let password =
                    read_secret(file, "--basic-auth-password-file").map_err(error::usage)?;
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

/// Serve one demo service on `listener` until the task is dropped.
pub async fn serve(
    listener: TcpListener,
    service: ServiceFamilies,
    catalogue: Arc<Catalogue>,
    faults: Faults,
    guard: Guard,
) {
    let service = Arc::new(service);
    let started = Instant::now();
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let (service, catalogue, guard) = (service.clone(), catalogue.clone(), guard.clone());
        tokio::spawn(async move {
            let admit = guard.clone();
            let handler =
                hyper::service::service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
                    let (service, catalogue) = (service.clone(), catalogue.clone());
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
            let http = hyper::server::conn::http1::Builder::new();
            match &guard.tls {
                Some(acceptor) => {
                    if let Ok(tls) = acceptor.accept(stream).await {
                        let _ = http.serve_connection(TokioIo::new(tls), handler).await;
                    }
                }
                None => {
                    let _ = http.serve_connection(TokioIo::new(stream), handler).await;
                }
            }
        });
    }
}

/// Listen on `ip:port` (0: any free port); a port in use is bad input.
pub async fn listen(ip: std::net::IpAddr, port: u16) -> anyhow::Result<TcpListener> {
    TcpListener::bind((ip, port))
        .await
        .map_err(|e| error::usage(format!("cannot listen on {ip}:{port}: {e}")))
}

pub fn services(catalogue: &Catalogue) -> anyhow::Result<(ServiceFamilies, ServiceFamilies)> {
    let get = |role: ServiceRole| {
        catalogue
            .service(role)
            .cloned()
            .ok_or_else(|| anyhow::anyhow!("the embedded catalogue has no {} service", role.name()))
    };
    Ok((get(ServiceRole::Logger)?, get(ServiceRole::Server)?))
}
