//! `gpucharts-mon serve-demo`: demo logger and server endpoints over HTTP.

use std::convert::Infallible;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use http_body_util::Full;
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

use crate::Ctx;
use crate::catalogue::{Catalogue, ServiceFamilies};
use crate::cli::ServeDemoArgs;
use crate::demo::{self, Faults, TEXT_CONTENT_TYPE};
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
                                    demo::render(&service, &catalogue, t, now_unix(), faults),
                                )
                            }
                            "/health" => {
                                let (status, body) = demo::health(&service, faults);
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

pub async fn run(args: &ServeDemoArgs, _ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let catalogue = Arc::new(Catalogue::embedded().map_err(anyhow::Error::msg)?);
    let (logger, server) = services(&catalogue)?;
    let faults = Faults {
        slow_ms: args.slow,
        fail_health: args.fail_health,
        malformed: args.malformed,
    };
    let (l_listener, s_listener) = bind(args.bind, args.logger_port, args.server_port).await?;
    for (name, l) in [("logger", &l_listener), ("server", &s_listener)] {
        if let Ok(addr) = l.local_addr() {
            eprintln!("demo {name}: http://{addr}/metrics and /health");
        }
    }
    let l_task = tokio::spawn(serve(l_listener, logger, catalogue.clone(), faults));
    let s_task = tokio::spawn(serve(s_listener, server, catalogue, faults));
    eprintln!("serving until Ctrl-C");
    let _ = tokio::signal::ctrl_c().await;
    l_task.abort();
    s_task.abort();
    Ok(ExitCode::SUCCESS)
}
