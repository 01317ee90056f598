//! A local HTTP/1.1 server with scripted responses, for wire-level and fault tests.
//!
//! Each request gets the next scripted [`Reply`] (status, headers, body, optional
//! delay, optional connection drop after the headers, optional chunked, endless or
//! stalled body); once the script is used up,
//! every request gets `418` with an `unscripted_request` error body (not retryable,
//! so a test sees it at once). Every request is recorded, in arrival order.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use futures::StreamExt;
use http_body_util::{BodyExt, Full, StreamBody, combinators::BoxBody};
use hyper::body::{Frame, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::sync::oneshot;

/// One scripted response.
#[derive(Debug, Clone)]
pub struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Bytes,
    delay: Duration,
    framing: Framing,
    default_request_id: bool,
}

/// How a reply's body goes on the wire.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Framing {
    /// `Content-Length` and the whole body.
    Full,
    /// The declared length, half the body, then the connection is closed.
    DropAfterHeaders,
    /// `Transfer-Encoding: chunked`, in chunks of this many bytes.
    Chunked(usize),
    /// Chunked, the body repeated without end.
    Endless,
    /// `Content-Length` of this many bytes, the body, then nothing while the
    /// connection stays open.
    Stall(u64),
}

impl Reply {
    /// A response with `status`, no body and a `request-id: req_test_server` header
    /// (unless [`Reply::header`] sets one or [`Reply::no_request_id`] is called).
    pub fn new(status: u16) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: Bytes::new(),
            delay: Duration::ZERO,
            framing: Framing::Full,
            default_request_id: true,
        }
    }

    /// Sends no `request-id` header.
    pub fn no_request_id(mut self) -> Reply {
        self.default_request_id = false;
        self
    }

    /// A JSON response with `status` and `body`.
    pub fn json(status: u16, body: &serde_json::Value) -> Reply {
        Reply::new(status)
            .header("content-type", "application/json")
            .body(body.to_string())
    }

    /// Adds a response header.
    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Sets the body, sent as is.
    pub fn body(mut self, body: impl Into<Bytes>) -> Reply {
        self.body = body.into();
        self
    }

    /// Waits this long before sending anything.
    pub fn delay(mut self, delay: Duration) -> Reply {
        self.delay = delay;
        self
    }

    /// Sends the status line and headers (announcing the full body length) and
    /// the first half of the body, then closes the connection.
    pub fn drop_after_headers(mut self) -> Reply {
        self.framing = Framing::DropAfterHeaders;
        self
    }

    /// Sends the body without a `Content-Length`, chunked, `chunk` bytes at a time.
    pub fn chunked(mut self, chunk: usize) -> Reply {
        self.framing = Framing::Chunked(chunk.max(1));
        self
    }

    /// Sends the body over and over, chunked, until the client goes away.
    pub fn endless(mut self) -> Reply {
        self.framing = Framing::Endless;
        self
    }

    /// Declares `content_length` bytes, sends the body, then sends nothing more and
    /// keeps the connection open (until the client closes it or the server stops).
    pub fn stall_declaring(mut self, content_length: u64) -> Reply {
        self.framing = Framing::Stall(content_length);
        self
    }
}

/// A request as the server received it.
#[derive(Debug, Clone)]
pub struct RecordedRequest {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The raw path, exactly as sent (still percent-encoded).
    pub path: String,
    /// The raw query string (without `?`), if there was one.
    pub query: Option<String>,
    /// Every header line, names lower-cased, in order (repeated names repeat).
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Bytes,
}

impl RecordedRequest {
    /// Every value of header `name`.
    pub fn header_values(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The value of header `name`; panics if it was sent more than once.
    pub fn header(&self, name: &str) -> Option<&str> {
        let values = self.header_values(name);
        assert!(
            values.len() <= 1,
            "header `{name}` sent {} times: {values:?}",
            values.len()
        );
        values.first().copied()
    }

    /// The query parameters, percent-decoded, in order.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        let Some(query) = &self.query else {
            return Vec::new();
        };
        query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|pair| {
                let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                (percent_decode(k), percent_decode(v))
            })
            .collect()
    }

    /// The value of query parameter `name` (decoded), if present.
    pub fn query_param(&self, name: &str) -> Option<String> {
        self.query_pairs()
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }
}

#[derive(Default)]
struct State {
    script: VecDeque<Reply>,
    requests: Vec<RecordedRequest>,
}

/// The server. Stops when dropped.
pub struct TestServer {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl TestServer {
    /// Starts a server on 127.0.0.1 (a free port) that answers with `replies`, in order.
    /// It runs on its own thread and runtime, so any test (async or not) can use it.
    pub fn start(replies: impl IntoIterator<Item = Reply>) -> TestServer {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let addr = listener.local_addr().expect("local address");
        let state = Arc::new(Mutex::new(State {
            script: replies.into_iter().collect(),
            requests: Vec::new(),
        }));
        let (shutdown, mut stop) = oneshot::channel::<()>();
        let thread_state = Arc::clone(&state);
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("server runtime");
            runtime.block_on(async move {
                let listener =
                    tokio::net::TcpListener::from_std(listener).expect("tokio listener");
                loop {
                    tokio::select! {
                        _ = &mut stop => break,
                        accepted = listener.accept() => {
                            let Ok((stream, _)) = accepted else { continue };
                            let state = Arc::clone(&thread_state);
                            tokio::spawn(async move {
                                let service = service_fn(move |req| handle(Arc::clone(&state), req));
                                let _ = http1::Builder::new()
                                    .serve_connection(TokioIo::new(stream), service)
                                    .await;
                            });
                        }
                    }
                }
            });
            // Dropping the runtime cancels connections still open (delayed replies).
        });
        TestServer {
            addr,
            state,
            shutdown: Some(shutdown),
            thread: Some(thread),
        }
    }

    /// The base URL, e.g. `http://127.0.0.1:41234`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Appends replies to the script.
    pub fn push(&self, reply: Reply) {
        self.state.lock().unwrap().script.push_back(reply);
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.state.lock().unwrap().requests.clone()
    }

    /// A client for this server with the test API key, quick retries and a short timeout.
    pub fn client(&self) -> anthropic_skills::Client {
        self.builder().build().expect("client for the test server")
    }

    /// A builder preset for this server (base URL, test API key, 10 s timeout).
    pub fn builder(&self) -> anthropic_skills::ClientBuilder {
        anthropic_skills::Client::builder()
            .base_url(self.url())
            .api_key(crate::TEST_API_KEY)
            .timeout(Duration::from_secs(10))
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

type ReplyBody = BoxBody<Bytes, std::io::Error>;

async fn handle(
    state: Arc<Mutex<State>>,
    req: Request<Incoming>,
) -> Result<Response<ReplyBody>, Infallible> {
    let (parts, body) = req.into_parts();
    let body = body
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let recorded = RecordedRequest {
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers: parts
            .headers
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body,
    };
    let reply = {
        let mut state = state.lock().unwrap();
        state.requests.push(recorded);
        state.script.pop_front()
    };
    let reply = reply.unwrap_or_else(|| {
        Reply::json(
            418,
            &crate::error_json(
                "unscripted_request",
                "the test server has no scripted reply left",
                None,
            ),
        )
    });
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }

    let mut builder = Response::builder().status(reply.status);
    let has_request_id = reply
        .headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("request-id"));
    if reply.default_request_id && !has_request_id {
        builder = builder.header("request-id", "req_test_server");
    }
    for (name, value) in &reply.headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    let body: ReplyBody = match reply.framing {
        Framing::Full => BodyExt::boxed(Full::new(reply.body).map_err(|never| match never {})),
        Framing::DropAfterHeaders => {
            // Announce the whole body, send half, then fail the stream: hyper closes the
            // connection, and the client sees a truncated response.
            builder = builder.header("content-length", reply.body.len().max(2).to_string());
            let half = reply.body.slice(..reply.body.len() / 2);
            let frames: Vec<Result<Frame<Bytes>, std::io::Error>> = vec![
                Ok(Frame::data(half)),
                Err(std::io::Error::new(
                    std::io::ErrorKind::ConnectionAborted,
                    "scripted connection drop",
                )),
            ];
            BodyExt::boxed(StreamBody::new(futures::stream::iter(frames)))
        }
        Framing::Chunked(size) => {
            // A stream of unknown length: hyper sends it chunked.
            let body = reply.body;
            let frames = (0..body.len())
                .step_by(size)
                .map(move |at| Ok(Frame::data(body.slice(at..(at + size).min(body.len())))));
            BodyExt::boxed(StreamBody::new(futures::stream::iter(frames)))
        }
        Framing::Endless => {
            let chunk = if reply.body.is_empty() {
                Bytes::from_static(b" ")
            } else {
                reply.body
            };
            let frames = futures::stream::repeat_with(move || Ok(Frame::data(chunk.clone())));
            BodyExt::boxed(StreamBody::new(frames))
        }
        Framing::Stall(declared) => {
            builder = builder.header("content-length", declared.to_string());
            let frames = futures::stream::iter([Ok(Frame::data(reply.body))])
                .chain(futures::stream::pending());
            BodyExt::boxed(StreamBody::new(frames))
        }
    };
    Ok(builder.body(body).expect("scripted response is valid"))
}

fn percent_decode(text: &str) -> String {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(hi), Some(lo)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push(hi * 16 + lo);
                i += 3;
                continue;
            }
        }
        out.push(if bytes[i] == b'+' { b' ' } else { bytes[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
