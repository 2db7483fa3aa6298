//! A test Kubernetes API server on 127.0.0.1 (port 0): what a Prometheus'
//! Kubernetes discovery (client-go informers) asks for and nothing more.
//!
//! - `/version`, `/api`, `/apis`;
//! - lists of pods, services, endpoints (core/v1) and endpointslices
//!   (discovery.k8s.io/v1), cluster-wide or under `/namespaces/NS/`, with
//!   the list's `resourceVersion`, filtered by equality `labelSelector`s and
//!   the `fieldSelector`s `metadata.name`, `metadata.namespace` and
//!   `status.phase` (`=`, `==`, `!=`);
//! - `watch=true`: a chunked JSON event stream, held open until the
//!   server is dropped or the request's `timeoutSeconds` ends. With
//!   `sendInitialEvents=true` (the watch-list handshake Prometheus 3.5's
//!   client-go makes instead of a list) it first sends an `ADDED` event per
//!   object and a `BOOKMARK` annotated `k8s.io/initial-events-end`;
//! - with a bearer token set, every request without it is answered 401,
//!   as an API server does.
//!
//! Every request line is recorded, so a test can see what was asked.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// The resource version every object and list carries.
const RESOURCE_VERSION: &str = "1000";

struct State {
    objects: Vec<(&'static str, Value)>,
    token: Option<String>,
    requests: Mutex<Vec<String>>,
    stop: AtomicBool,
}

pub struct KubeApi {
    pub addr: SocketAddr,
    state: Arc<State>,
}

impl KubeApi {
    /// Serve `objects`: (resource — `pods`, `services`, `endpoints`,
    /// `endpointslices` — and the object's JSON, `metadata` included).
    pub fn start(objects: Vec<(&'static str, Value)>, token: Option<&str>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let addr = listener.local_addr().expect("local addr");
        let state = Arc::new(State {
            objects,
            token: token.map(str::to_string),
            requests: Mutex::new(Vec::new()),
            stop: AtomicBool::new(false),
        });
        let shared = state.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                if shared.stop.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = conn else { continue };
                let state = shared.clone();
                std::thread::spawn(move || {
                    let _ = serve(stream, &state);
                });
            }
        });
        Self { addr, state }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The request lines answered so far (`GET /api/v1/pods?…`).
    pub fn requests(&self) -> Vec<String> {
        self.state.requests.lock().unwrap().clone()
    }
}

impl Drop for KubeApi {
    fn drop(&mut self) {
        self.state.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop.
        let _ = TcpStream::connect(self.addr);
    }
}

fn serve(stream: TcpStream, state: &State) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut stream = stream;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let mut authorization = None;
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header)? == 0 || header.trim().is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':')
                && name.eq_ignore_ascii_case("authorization")
            {
                authorization = Some(value.trim().to_string());
            }
        }
        let target = line.split_whitespace().nth(1).unwrap_or("/").to_string();
        state
            .requests
            .lock()
            .unwrap()
            .push(line.trim_end().to_string());
        if let Some(token) = &state.token
            && authorization.as_deref() != Some(&format!("Bearer {token}"))
        {
            send(&mut stream, 401, &status(401, "Unauthorized"))?;
            continue;
        }
        let (path, query) = target.split_once('?').unwrap_or((&target, ""));
        let params: Vec<(String, String)> = reqwest::Url::parse(&format!("http://k/?{query}"))
            .map(|u| u.query_pairs().into_owned().collect())
            .unwrap_or_default();
        let param = |k: &str| params.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        let Some((resource, namespace)) = route(path) else {
            let body = match path {
                "/version" => json!({"major": "1", "minor": "31", "gitVersion": "v1.31.0"}),
                "/api" => json!({"kind": "APIVersions", "versions": ["v1"]}),
                "/apis" => json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": [
                    {"name": "discovery.k8s.io", "versions": [{"groupVersion": "discovery.k8s.io/v1", "version": "v1"}],
                     "preferredVersion": {"groupVersion": "discovery.k8s.io/v1", "version": "v1"}}]}),
                _ => {
                    send(&mut stream, 404, &status(404, "NotFound"))?;
                    continue;
                }
            };
            send(&mut stream, 200, &body)?;
            continue;
        };
        let selected: Vec<&Value> = state
            .objects
            .iter()
            .filter(|(r, o)| {
                *r == resource
                    && namespace.is_none_or(|ns| o["metadata"]["namespace"] == ns)
                    && param("labelSelector").is_none_or(|s| labels_match(o, s))
                    && param("fieldSelector").is_none_or(|s| fields_match(o, s))
            })
            .map(|(_, o)| o)
            .collect();
        let (api_version, kind) = kind_of(resource);
        if param("watch") == Some("true") {
            let initial = param("sendInitialEvents") == Some("true");
            let timeout = param("timeoutSeconds")
                .and_then(|t| t.parse().ok())
                .unwrap_or(60);
            return watch(
                &mut stream,
                state,
                &selected,
                initial,
                (api_version, kind),
                timeout,
            );
        }
        let items: Vec<Value> = selected.into_iter().cloned().collect();
        let list = json!({
            "kind": format!("{kind}List"),
            "apiVersion": api_version,
            "metadata": {"resourceVersion": RESOURCE_VERSION},
            "items": items,
        });
        send(&mut stream, 200, &list)?;
    }
}

/// (resource, namespace) of a list or watch path.
fn route(path: &str) -> Option<(&str, Option<&str>)> {
    let rest = path
        .strip_prefix("/api/v1/")
        .or_else(|| path.strip_prefix("/apis/discovery.k8s.io/v1/"))?;
    let parts: Vec<&str> = rest.split('/').collect();
    let (resource, namespace) = match parts.as_slice() {
        [resource] => (*resource, None),
        ["namespaces", ns, resource] => (*resource, Some(*ns)),
        _ => return None,
    };
    matches!(
        resource,
        "pods" | "services" | "endpoints" | "endpointslices"
    )
    .then_some((resource, namespace))
}

fn kind_of(resource: &str) -> (&'static str, &'static str) {
    match resource {
        "pods" => ("v1", "Pod"),
        "services" => ("v1", "Service"),
        "endpoints" => ("v1", "Endpoints"),
        _ => ("discovery.k8s.io/v1", "EndpointSlice"),
    }
}

fn watch(
    stream: &mut TcpStream,
    state: &State,
    objects: &[&Value],
    initial: bool,
    (api_version, kind): (&str, &str),
    timeout_seconds: u64,
) -> std::io::Result<()> {
    stream.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
    )?;
    let mut chunk = |event: Value| -> std::io::Result<()> {
        let mut line = serde_json::to_vec(&event).expect("json");
        line.push(b'\n');
        write!(stream, "{:x}\r\n", line.len())?;
        stream.write_all(&line)?;
        stream.write_all(b"\r\n")?;
        stream.flush()
    };
    if initial {
        for o in objects {
            let mut o = (*o).clone();
            o["kind"] = json!(kind);
            o["apiVersion"] = json!(api_version);
            chunk(json!({"type": "ADDED", "object": o}))?;
        }
        chunk(json!({"type": "BOOKMARK", "object": {
            "kind": kind,
            "apiVersion": api_version,
            "metadata": {
                "resourceVersion": RESOURCE_VERSION,
                "annotations": {"k8s.io/initial-events-end": "true"},
            },
        }}))?;
    }
    let end = Instant::now() + Duration::from_secs(timeout_seconds);
    while Instant::now() < end && !state.stop.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(100));
    }
    stream.write_all(b"0\r\n\r\n")
}

/// Equality label selectors: `k=v`, `k==v`, `k!=v`, comma-separated.
fn labels_match(object: &Value, selector: &str) -> bool {
    let labels = &object["metadata"]["labels"];
    requirements(selector).all(|(key, op, value)| {
        let have = labels.get(key).and_then(Value::as_str);
        match op {
            "!=" => have != Some(value),
            "exists" => have.is_some(),
            _ => have == Some(value),
        }
    })
}

/// The field selectors a Prometheus user writes for pods.
fn fields_match(object: &Value, selector: &str) -> bool {
    requirements(selector).all(|(field, op, value)| {
        let have = match field {
            "metadata.name" => object["metadata"]["name"].as_str(),
            "metadata.namespace" => object["metadata"]["namespace"].as_str(),
            "status.phase" => object["status"]["phase"].as_str(),
            _ => None,
        };
        if op == "!=" {
            have != Some(value)
        } else {
            have == Some(value)
        }
    })
}

fn requirements(selector: &str) -> impl Iterator<Item = (&str, &str, &str)> {
    selector.split(',').filter(|r| !r.is_empty()).map(|r| {
        for op in ["!=", "==", "="] {
            if let Some((k, v)) = r.split_once(op) {
                return (k.trim(), op, v.trim());
            }
        }
        (r.trim(), "exists", "")
    })
}

fn status(code: u16, reason: &str) -> Value {
    json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
           "reason": reason, "code": code})
}

fn send(stream: &mut TcpStream, code: u16, body: &Value) -> std::io::Result<()> {
    let body = serde_json::to_vec(body).expect("json");
    let reason = match code {
        200 => "OK",
        401 => "Unauthorized",
        _ => "Not Found",
    };
    write!(
        stream,
        "HTTP/1.1 {code} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )?;
    stream.write_all(&body)?;
    stream.flush()
}
