//! The client under load: 3,000 calls, 200 at a time, through one cloned
//! `anthropic_skills::Client`, against a local server that answers most calls at once
//! and delays, drops, rate-limits (429) or refuses (503) others, chosen by the call's
//! number and attempt so every outcome can be checked.
//!
//! Checked: every call ends as its plan says (success with its own body, or the
//! expected error once every attempt failed, after exactly the expected attempts);
//! the sockets open to the server (counted by the server: accepted and not yet
//! closed) stay within what the calls in flight and the runtime's idle-pool bound
//! allow, and only the idle pool is left once the calls are over; and the heap, measured by a counting global allocator, returns to
//! where it was before the run. Live heap bytes are used rather than `VmRSS`: glibc's
//! malloc keeps freed memory in its arenas, so RSS after a burst stays high whether or
//! not anything leaked (it is printed, for information).

use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anthropic_skills::{Client, Error, GetSkillParams};
use bytes::Bytes;
use futures::StreamExt;
use http_body_util::{BodyExt, Full, StreamBody, combinators::BoxBody};
use hyper::body::{Frame, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use sdk_tests::{TEST_API_KEY, error_json, skill_json};

/// Counts the bytes currently allocated by the whole process (every thread).
struct CountingAllocator;

static LIVE_BYTES: AtomicUsize = AtomicUsize::new(0);
static PEAK_BYTES: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded to `System` unchanged; only counters are updated.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract for `alloc` is passed on as is.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            let live = LIVE_BYTES.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK_BYTES.fetch_max(live, Ordering::Relaxed);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract for `dealloc` is passed on as is.
        unsafe { System.dealloc(ptr, layout) };
        LIVE_BYTES.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's contract for `realloc` is passed on as is.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            LIVE_BYTES.fetch_sub(layout.size(), Ordering::Relaxed);
            let live = LIVE_BYTES.fetch_add(new_size, Ordering::Relaxed) + new_size;
            PEAK_BYTES.fetch_max(live, Ordering::Relaxed);
        }
        new
    }
}

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

const CALLS: usize = 3_000;
const CONCURRENCY: usize = 200;
/// The runtime's default idle connections per host (`POOL_MAX_IDLE_PER_HOST` in
/// `runtime/src/config.rs`, stated in docs/runtime-contract.md).
const POOL_MAX_IDLE_PER_HOST: usize = 32;
/// Size of the padding in each success body, so a leak of responses is plain to see.
const TITLE_BYTES: usize = 1024;

/// What the server does with attempt `attempt` of call `call`.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Plan {
    Ok,
    Delay(Duration),
    /// 429 with `retry-after-ms: 20`.
    RateLimited,
    /// 503 with `retry-after: 0.02`.
    Unavailable,
    /// Headers and half the body, then the connection is closed.
    Drop,
}

/// Calls numbered from here on are answered at once (the closing burst).
const BURST: usize = 1_000_000;

fn plan(call: usize, attempt: u32) -> Plan {
    if call >= BURST {
        return Plan::Ok;
    }
    match call % 100 {
        // Every attempt fails: the call ends in an error after 3 attempts.
        97 => Plan::Unavailable,
        98 => Plan::Drop,
        _ => match call % 10 {
            1 if attempt == 0 => Plan::RateLimited,
            2 if attempt < 2 => Plan::Unavailable,
            3 if attempt == 0 => Plan::Drop,
            4 => Plan::Delay(Duration::from_millis(10 * (call % 7) as u64)),
            _ => Plan::Ok,
        },
    }
}

/// How call `call` must end, and after how many attempts (default: 2 retries).
#[derive(Debug, PartialEq)]
enum Expected {
    Skill,
    Unavailable,
    Dropped,
}

fn expected(call: usize) -> (Expected, u32) {
    let mut attempts = 0;
    for attempt in 0..3 {
        attempts += 1;
        match plan(call, attempt) {
            Plan::Ok | Plan::Delay(_) => return (Expected::Skill, attempts),
            Plan::RateLimited => {}
            Plan::Unavailable if attempt == 2 => return (Expected::Unavailable, attempts),
            Plan::Drop if attempt == 2 => return (Expected::Dropped, attempts),
            Plan::Unavailable | Plan::Drop => {}
        }
    }
    unreachable!("plans end by the third attempt")
}

/// Shared by the server's connections.
struct ServerState {
    /// Attempts seen, by call number.
    attempts: Vec<AtomicU32>,
    requests: AtomicUsize,
    open: AtomicUsize,
    max_open: AtomicUsize,
    accepted: AtomicUsize,
    stop: AtomicBool,
}

/// Counts a connection as open until its task ends, however it ends.
struct OpenGuard(Arc<ServerState>);

impl Drop for OpenGuard {
    fn drop(&mut self) {
        self.0.open.fetch_sub(1, Ordering::SeqCst);
    }
}

struct LoadServer {
    addr: SocketAddr,
    state: Arc<ServerState>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl LoadServer {
    fn start(calls: usize) -> LoadServer {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.set_nonblocking(true).expect("non-blocking");
        let addr = listener.local_addr().expect("address");
        let state = Arc::new(ServerState {
            attempts: (0..calls).map(|_| AtomicU32::new(0)).collect(),
            requests: AtomicUsize::new(0),
            open: AtomicUsize::new(0),
            max_open: AtomicUsize::new(0),
            accepted: AtomicUsize::new(0),
            stop: AtomicBool::new(false),
        });
        let shared = Arc::clone(&state);
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("server runtime");
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
                while !shared.stop.load(Ordering::SeqCst) {
                    let accepted =
                        tokio::time::timeout(Duration::from_millis(20), listener.accept()).await;
                    let Ok(Ok((stream, _))) = accepted else {
                        continue;
                    };
                    // Lets connection tasks whose client has gone see their end first,
                    // so a socket already closed is not counted next to its successor.
                    tokio::task::yield_now().await;
                    shared.accepted.fetch_add(1, Ordering::SeqCst);
                    let open = shared.open.fetch_add(1, Ordering::SeqCst) + 1;
                    shared.max_open.fetch_max(open, Ordering::SeqCst);
                    let guard = OpenGuard(Arc::clone(&shared));
                    let state = Arc::clone(&shared);
                    tokio::spawn(async move {
                        let _guard = guard;
                        let service = service_fn(move |req| answer(Arc::clone(&state), req));
                        let _ = http1::Builder::new()
                            .serve_connection(TokioIo::new(stream), service)
                            .await;
                    });
                }
            });
            // Dropping the runtime closes every connection still open.
        });
        LoadServer {
            addr,
            state,
            thread: Some(thread),
        }
    }

    fn client(&self) -> Client {
        Client::builder()
            .base_url(format!("http://{}", self.addr))
            .api_key(TEST_API_KEY)
            .timeout(Duration::from_secs(10))
            .build()
            .expect("client")
    }
}

impl Drop for LoadServer {
    fn drop(&mut self) {
        self.state.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

type ReplyBody = BoxBody<Bytes, std::io::Error>;

async fn answer(
    state: Arc<ServerState>,
    req: Request<Incoming>,
) -> Result<Response<ReplyBody>, Infallible> {
    state.requests.fetch_add(1, Ordering::SeqCst);
    let call: usize = req
        .uri()
        .path()
        .strip_prefix("/v1/skills/skill_")
        .and_then(|n| n.parse().ok())
        .expect("a numbered call");
    let attempt: u32 = req
        .headers()
        .get("x-stainless-retry-count")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("an attempt number");
    assert_eq!(
        req.headers().get("x-api-key").map(|v| v.as_bytes()),
        Some(TEST_API_KEY.as_bytes())
    );
    if let Some(attempts) = state.attempts.get(call) {
        attempts.fetch_add(1, Ordering::SeqCst);
    }

    let full = |status: u16, body: String| {
        {
            Response::builder()
                .status(status)
                .header("content-type", "application/json")
                .header("request-id", format!("req_{call}_{attempt}"))
        }
        .body(BodyExt::boxed(
            Full::new(Bytes::from(body)).map_err(|never| match never {}),
        ))
    };
    let skill = || {
        let mut skill = skill_json(&format!("skill_{call}"));
        skill["display_title"] = "t".repeat(TITLE_BYTES).into();
        skill.to_string()
    };
    let response = match plan(call, attempt) {
        Plan::Ok => full(200, skill()),
        Plan::Delay(delay) => {
            tokio::time::sleep(delay).await;
            full(200, skill())
        }
        Plan::RateLimited => full(
            429,
            error_json("rate_limit_error", "slow down", None).to_string(),
        )
        .map(|mut r| {
            r.headers_mut()
                .insert("retry-after-ms", "20".parse().unwrap());
            r
        }),
        Plan::Unavailable => full(
            503,
            error_json("api_error", "unavailable", None).to_string(),
        )
        .map(|mut r| {
            r.headers_mut()
                .insert("retry-after", "0.02".parse().unwrap());
            r
        }),
        Plan::Drop => {
            let body = Bytes::from(skill());
            let half = body.slice(..body.len() / 2);
            let frames: Vec<Result<Frame<Bytes>, std::io::Error>> = vec![
                Ok(Frame::data(half)),
                Err(std::io::Error::new(
                    std::io::ErrorKind::ConnectionAborted,
                    "planned drop",
                )),
            ];
            Response::builder()
                .status(200)
                .header("content-type", "application/json")
                .header("content-length", body.len().to_string())
                .body(BodyExt::boxed(StreamBody::new(futures::stream::iter(
                    frames,
                ))))
        }
    };
    Ok(response.expect("valid response"))
}

/// What one round measured.
struct Round {
    elapsed: Duration,
    requests: usize,
    accepted: usize,
    max_open: usize,
    /// Open once every call has ended: the client's idle pool.
    open_after: usize,
    outcomes: HashMap<&'static str, usize>,
}

/// Runs `calls` calls, `CONCURRENCY` at a time, through clones of one client, checks
/// each outcome, and stops the server and drops the client before returning.
async fn round(calls: usize) -> Round {
    let server = LoadServer::start(calls);
    let client = server.client();
    let started = Instant::now();
    let results: Vec<(usize, &'static str)> = futures::stream::iter(0..calls)
        .map(|call| {
            let client = client.clone();
            tokio::spawn(async move {
                let result = client
                    .get_skill(&format!("skill_{call}"), GetSkillParams::default())
                    .await;
                let (want, _) = expected(call);
                let outcome = match (&want, &result) {
                    (Expected::Skill, Ok(skill)) => {
                        assert_eq!(skill.id, format!("skill_{call}"), "call {call}");
                        assert_eq!(
                            skill.display_title.as_deref().map(str::len),
                            Some(TITLE_BYTES)
                        );
                        "success"
                    }
                    (Expected::Unavailable, Err(Error::Api(api))) if api.status.as_u16() == 503 => {
                        assert_eq!(api.request_id.as_deref(), Some(&*format!("req_{call}_2")));
                        "503 after retries"
                    }
                    (Expected::Dropped, Err(Error::Connection { .. })) => {
                        "connection error after retries"
                    }
                    _ => panic!("call {call}: expected {want:?}, got {result:?}"),
                };
                (call, outcome)
            })
        })
        .buffer_unordered(CONCURRENCY)
        .map(|joined| joined.expect("call task"))
        .collect()
        .await;
    let elapsed = started.elapsed();
    assert_eq!(results.len(), calls);
    for call in 0..calls {
        let (_, attempts) = expected(call);
        assert_eq!(
            server.state.attempts[call].load(Ordering::SeqCst),
            attempts,
            "attempts of call {call}"
        );
    }
    let mut outcomes = HashMap::new();
    for (_, outcome) in results {
        *outcomes.entry(outcome).or_default() += 1;
    }
    // A closing burst of plain calls, all at once, so the pool holds as many
    // connections as it can; once they are back, only the idle bound may stay open.
    let burst: Vec<_> = (0..CONCURRENCY)
        .map(|k| {
            let client = client.clone();
            tokio::spawn(async move {
                let id = format!("skill_{}", BURST + k);
                let skill = client.get_skill(&id, GetSkillParams::default()).await;
                assert_eq!(skill.expect("burst call").id, id);
            })
        })
        .collect();
    for call in futures::future::join_all(burst).await {
        call.expect("burst task");
    }
    // Connects that lost a race finish and settle in the pool (or are closed).
    tokio::time::sleep(Duration::from_millis(300)).await;
    let state = &server.state;
    let measured = Round {
        open_after: state.open.load(Ordering::SeqCst),
        elapsed,
        requests: state.requests.load(Ordering::SeqCst),
        accepted: state.accepted.load(Ordering::SeqCst),
        max_open: state.max_open.load(Ordering::SeqCst),
        outcomes,
    };
    drop(client);
    drop(server);
    measured
}

fn vm_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[test]
fn thousands_of_concurrent_calls_end_right_and_leave_nothing_behind() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("client runtime");
    runtime.block_on(async {
        // Warm-up through every path (lazy statics, timer wheel, thread-local caches),
        // on its own server and client, both gone before the baseline is taken.
        round(400).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let live_before = LIVE_BYTES.load(Ordering::SeqCst);
        let rss_before = vm_rss_kib();
        PEAK_BYTES.store(live_before, Ordering::SeqCst);

        let measured = round(CALLS).await;

        // Connections the dropped client and server held wind down on their tasks.
        tokio::time::sleep(Duration::from_millis(300)).await;
        let live_after = LIVE_BYTES.load(Ordering::SeqCst);
        let peak = PEAK_BYTES.load(Ordering::SeqCst);
        let rss_after = vm_rss_kib();

        let per_second = CALLS as f64 / measured.elapsed.as_secs_f64();
        println!(
            "{CALLS} calls, {CONCURRENCY} at once: {:.2?} ({per_second:.0} calls/s), \
             {} requests on {} connections, at most {} open, {} left idle; outcomes {:?}",
            measured.elapsed,
            measured.requests,
            measured.accepted,
            measured.max_open,
            measured.open_after,
            measured.outcomes
        );
        println!(
            "live heap: {live_before} bytes before, peak {peak}, {live_after} after \
             ({:+} bytes); VmRSS {rss_before:?} -> {rss_after:?} KiB",
            live_after as i64 - live_before as i64
        );

        let expected_failures = CALLS / 100;
        assert_eq!(
            measured.outcomes.get("503 after retries"),
            Some(&expected_failures)
        );
        assert_eq!(
            measured.outcomes.get("connection error after retries"),
            Some(&expected_failures)
        );
        // Every socket is held by a call in flight (the connection it uses, plus at
        // most one connect it started and then did not need: hyper's pool races a new
        // connect against a connection coming back, and the loser joins the pool or is
        // closed) or idles in the pool. Measured peaks are 165-265.
        let bound = 2 * CONCURRENCY + POOL_MAX_IDLE_PER_HOST;
        assert!(
            measured.max_open <= bound,
            "{} sockets open at once, more than {bound} ({CONCURRENCY} calls in flight, \
             their racing connects, {POOL_MAX_IDLE_PER_HOST} idle)",
            measured.max_open
        );
        // Once the calls are over, only the idle pool is left, within its bound.
        assert!(
            measured.open_after <= POOL_MAX_IDLE_PER_HOST,
            "{} connections left open after the run, more than the pool's {POOL_MAX_IDLE_PER_HOST}",
            measured.open_after
        );
        assert!(
            measured.accepted < measured.requests,
            "keep-alive: {} connections for {} requests",
            measured.accepted,
            measured.requests
        );
        // Every success body alone is over 1 KiB, so keeping the 3,000 responses (or
        // their decoded values) would leave more than 3 MiB behind.
        let grown = live_after.saturating_sub(live_before);
        assert!(
            grown < 1024 * 1024,
            "{grown} bytes still allocated after the run (before {live_before}, after {live_after})"
        );
    });
}
