//! A tiny in-process HTTP/1.1 server on 127.0.0.1 (port 0) for tests:
//! one thread accepting, one per connection, closed after each answer.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;

#[derive(Clone)]
pub struct Response {
    pub status: u16,
    pub content_type: String,
    pub body: Vec<u8>,
    pub headers: Vec<(String, String)>,
    /// Keep sending this body forever (a body that never ends).
    pub endless: bool,
}

impl Response {
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            content_type: content_type.into(),
            body: body.into(),
            headers: Vec::new(),
            endless: false,
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn endless(mut self) -> Self {
        self.endless = true;
        self
    }
}

type Handler = dyn Fn(&str, &str) -> Response + Send + Sync;

pub struct TestServer {
    pub addr: SocketAddr,
    /// The Authorization header of every request, in order of arrival.
    pub authorizations: Arc<std::sync::Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl TestServer {
    /// Serve `handler(method, path)` until dropped.
    pub fn start(handler: impl Fn(&str, &str) -> Response + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let addr = listener.local_addr().expect("local addr");
        let stop = Arc::new(AtomicBool::new(false));
        let handler: Arc<Handler> = Arc::new(handler);
        let stop_flag = stop.clone();
        let authorizations = Arc::new(std::sync::Mutex::new(Vec::new()));
        let seen = authorizations.clone();
        let thread = std::thread::spawn(move || {
            for conn in listener.incoming() {
                if stop_flag.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = conn else { continue };
                let (handler, seen) = (handler.clone(), seen.clone());
                std::thread::spawn(move || {
                    let _ = answer(stream, &*handler, &seen);
                });
            }
        });
        Self {
            addr,
            authorizations,
            stop,
            thread: Some(thread),
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

fn answer(
    stream: TcpStream,
    handler: &Handler,
    seen: &std::sync::Mutex<Vec<String>>,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut first = String::new();
    reader.read_line(&mut first)?;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" || line == "\n" {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("authorization")
        {
            seen.lock().unwrap().push(value.trim().to_string());
        }
    }
    let mut parts = first.split_whitespace();
    let method = parts.next().unwrap_or("GET").to_string();
    let path = parts.next().unwrap_or("/").to_string();
    let resp = handler(&method, &path);
    let mut stream = stream;
    // An empty content type sends no Content-Type header at all.
    let extra: String = (!resp.content_type.is_empty())
        .then(|| ("Content-Type".to_string(), resp.content_type.clone()))
        .iter()
        .chain(&resp.headers)
        .map(|(k, v)| format!("{k}: {v}\r\n"))
        .collect();
    if resp.endless {
        write!(
            stream,
            "HTTP/1.1 {} X\r\n{extra}Connection: close\r\n\r\n",
            resp.status
        )?;
        // Until the client hangs up.
        loop {
            stream.write_all(&resp.body)?;
        }
    }
    write!(
        stream,
        "HTTP/1.1 {} X\r\nContent-Length: {}\r\n{extra}Connection: close\r\n\r\n",
        resp.status,
        resp.body.len()
    )?;
    stream.write_all(&resp.body)?;
    stream.flush()
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(self.addr);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// A blocking GET on loopback; (status, body).
pub fn get(url: &str) -> std::io::Result<(u16, Vec<u8>)> {
    get_with(url, "")
}

/// [`get`] with extra header lines (each ending in `\r\n`).
pub fn get_with(url: &str, headers: &str) -> std::io::Result<(u16, Vec<u8>)> {
    use std::io::Read;
    let rest = url.strip_prefix("http://").expect("http URL");
    let (host, path) = rest
        .split_once('/')
        .map_or((rest, "/".to_string()), |(h, p)| (h, format!("/{p}")));
    let mut stream = TcpStream::connect(host)?;
    stream.set_read_timeout(Some(std::time::Duration::from_secs(10)))?;
    write!(
        stream,
        "GET {path} HTTP/1.0\r\nHost: {host}\r\n{headers}\r\n"
    )?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("no header end"))?;
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other("bad status line"))?;
    Ok((status, raw[split + 4..].to_vec()))
}

/// A loopback port nothing listens on (bound, then released).
pub fn closed_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr").port()
}
