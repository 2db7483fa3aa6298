//! The demo endpoints over HTTP (hyper): `/metrics` with every catalogue
//! family and `/health`, with fault switches. Used by `serve-demo` and
//! `demo`.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::{Duration, Instant};

use http_body_util::Full;
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

use super::{Faults, TEXT_CONTENT_TYPE};
use crate::catalogue::{Catalogue, ServiceFamilies};
use crate::error;
use crate::promapi::time::now_unix;

/// Serve one demo service on `listener` until the task is dropped.
pub async fn serve(
    listener: TcpListener,
    service: ServiceFamilies,
    catalogue: Arc<Catalogue>,
    faults: Faults,
) {
    let service = Arc::new(service);
    let started = Instant::now();
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let (service, catalogue) = (service.clone(), catalogue.clone());
        tokio::spawn(async move {
            let handler =
                hyper::service::service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
                    let (service, catalogue) = (service.clone(), catalogue.clone());
                    async move {
                        if faults.slow_ms > 0 {
                            tokio::time::sleep(Duration::from_millis(faults.slow_ms)).await;
                        }
                        let (status, ctype, body) = match req.uri().path() {
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
                        };
                        let resp = hyper::Response::builder()
                            .status(status)
                            .header(hyper::header::CONTENT_TYPE, ctype)
                            .body(Full::new(Bytes::from(body)))
                            .unwrap_or_else(|_| hyper::Response::new(Full::new(Bytes::new())));
                        Ok::<_, Infallible>(resp)
                    }
                });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), handler)
                .await;
        });
    }
}

/// Bind both demo services; (logger listener, server listener).
pub async fn bind(
    ip: std::net::IpAddr,
    logger_port: u16,
    server_port: u16,
) -> anyhow::Result<(TcpListener, TcpListener)> {
    let bind = |port: u16| async move {
        TcpListener::bind((ip, port))
            .await
            .map_err(|e| error::usage(format!("cannot listen on {ip}:{port}: {e}")))
    };
    Ok((bind(logger_port).await?, bind(server_port).await?))
}

pub fn services(catalogue: &Catalogue) -> anyhow::Result<(ServiceFamilies, ServiceFamilies)> {
    let get = |name: &str| {
        catalogue
            .services
            .get(name)
            .cloned()
            .ok_or_else(|| anyhow::anyhow!("the embedded catalogue has no {name} service"))
    };
    Ok((get("logger")?, get("server")?))
}
