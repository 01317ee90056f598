//! A tiny fault-injecting HTTP/1.1 server on 127.0.0.1 for the integration tests.
//!
//! It records every request (method, path, query, headers, body bytes) and
//! answers from a scripted queue; replies can be delayed or cut off after the
//! headers. Every connection is closed after one exchange, which keeps the
//! parser trivial and makes "connection dropped" replies unambiguous.

#![allow(dead_code)] // each test binary uses a different subset

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sdk_runtime::http;
use sdk_runtime::{ApiKeyScheme, Profile};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Profile used by most tests; names are arbitrary, nothing vendor-specific.
pub static PROFILE: Profile = Profile {
    default_base_url: "http://127.0.0.1:9",
    base_url_env: None,
    api_key: Some(ApiKeyScheme {
        header: "x-api-key",
        env: None,
    }),
    bearer_env: None,
    request_id_header: Some("request-id"),
    retry_count_header: Some("x-retry-count"),
    error_type_pointer: Some("/error/type"),
    error_message_pointer: Some("/error/message"),
    user_agent: "sdk-runtime-tests/0.0.0",
};

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// Raw request-target path, exactly as sent (still percent-encoded).
    pub path: String,
    pub query: Option<String>,
    /// Names lowercased, in arrival order.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// When the request was fully received.
    pub at: Instant,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn header_count(&self, name: &str) -> usize {
        let name = name.to_ascii_lowercase();
        self.headers.iter().filter(|(n, _)| *n == name).count()
    }
}

/// A scripted answer.
#[derive(Debug, Clone)]
pub enum Reply {
    Full {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
        delay: Duration,
    },
    /// Sends the status line and headers (announcing a body) plus a few body
    /// bytes, then closes the connection.
    HeadersThenClose { status: u16 },
}

impl Reply {
    pub fn json(status: u16, body: &str) -> Self {
        Reply::Full {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.as_bytes().to_vec(),
            delay: Duration::ZERO,
        }
    }

    pub fn raw(status: u16, content_type: &str, body: &[u8]) -> Self {
        Reply::Full {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            body: body.to_vec(),
            delay: Duration::ZERO,
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        if let Reply::Full { headers, .. } = &mut self {
            headers.push((name.into(), value.into()));
        }
        self
    }

    pub fn delay(mut self, d: Duration) -> Self {
        if let Reply::Full { delay, .. } = &mut self {
            *delay = d;
        }
        self
    }
}

#[derive(Default)]
struct State {
    replies: VecDeque<Reply>,
    requests: Vec<Recorded>,
}

/// A running server; stops when the test's runtime shuts down.
pub struct TestServer {
    pub addr: SocketAddr,
    state: Arc<Mutex<State>>,
}

impl TestServer {
    pub async fn start(replies: Vec<Reply>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind test server");
        let addr = listener.local_addr().expect("local addr");
        let state = Arc::new(Mutex::new(State {
            replies: replies.into(),
            requests: Vec::new(),
        }));
        let shared = Arc::clone(&state);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(handle(stream, Arc::clone(&shared)));
            }
        });
        TestServer { addr, state }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.state.lock().unwrap().requests.clone()
    }

    pub fn push(&self, reply: Reply) {
        self.state.lock().unwrap().replies.push_back(reply);
    }
}

async fn handle(mut stream: TcpStream, state: Arc<Mutex<State>>) {
    let Some(request) = read_request(&mut stream).await else {
        return;
    };
    let reply = {
        let mut state = state.lock().unwrap();
        state.requests.push(request);
        state.replies.pop_front()
    };
    let reply = reply.unwrap_or_else(|| Reply::raw(418, "text/plain", b"unscripted request"));
    match reply {
        Reply::Full {
            status,
            headers,
            body,
            delay,
        } => {
            tokio::time::sleep(delay).await;
            let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
            for (n, v) in &headers {
                head.push_str(&format!("{n}: {v}\r\n"));
            }
            head.push_str(&format!(
                "content-length: {}\r\nconnection: close\r\n\r\n",
                body.len()
            ));
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(&body).await;
        }
        Reply::HeadersThenClose { status } => {
            let head = format!(
                "HTTP/1.1 {status} {}\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{{\"partial\":",
                reason(status)
            );
            let _ = stream.write_all(head.as_bytes()).await;
        }
    }
    let _ = stream.flush().await;
    let _ = stream.shutdown().await;
}

fn reason(status: u16) -> &'static str {
    http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Unknown")
}

async fn read_request(stream: &mut TcpStream) -> Option<Recorded> {
    let mut buf = Vec::new();
    let header_end = loop {
        if let Some(pos) = find(&buf, b"\r\n\r\n") {
            break pos;
        }
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..header_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_owned();
    let target = request_line.next()?.to_owned();
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p.to_owned(), Some(q.to_owned())),
        None => (target, None),
    };
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let get = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };

    let mut rest = buf[header_end + 4..].to_vec();
    let body = if let Some(len) = get("content-length").and_then(|v| v.parse::<usize>().ok()) {
        while rest.len() < len {
            let mut chunk = [0u8; 16384];
            let n = stream.read(&mut chunk).await.ok()?;
            if n == 0 {
                return None;
            }
            rest.extend_from_slice(&chunk[..n]);
        }
        rest.truncate(len);
        rest
    } else if get("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        read_chunked(stream, rest).await?
    } else {
        Vec::new()
    };
    Some(Recorded {
        method,
        path,
        query,
        headers,
        body,
        at: Instant::now(),
    })
}

async fn read_chunked(stream: &mut TcpStream, mut raw: Vec<u8>) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    let mut pos = 0;
    loop {
        // Ensure a full size line is buffered.
        let line_end = loop {
            if let Some(i) = find(&raw[pos..], b"\r\n") {
                break pos + i;
            }
            fill(stream, &mut raw).await?;
        };
        let size_text = String::from_utf8_lossy(&raw[pos..line_end]).into_owned();
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        pos = line_end + 2;
        while raw.len() < pos + size + 2 {
            fill(stream, &mut raw).await?;
        }
        if size == 0 {
            return Some(body);
        }
        body.extend_from_slice(&raw[pos..pos + size]);
        pos += size + 2;
    }
}

async fn fill(stream: &mut TcpStream, raw: &mut Vec<u8>) -> Option<()> {
    let mut chunk = [0u8; 16384];
    let n = stream.read(&mut chunk).await.ok()?;
    if n == 0 {
        return None;
    }
    raw.extend_from_slice(&chunk[..n]);
    Some(())
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}
