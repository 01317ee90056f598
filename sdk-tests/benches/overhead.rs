//! What the generated client costs over a bare reqwest call (issue 4).
//!
//! A minimal HTTP/1.1 server on 127.0.0.1 (its own thread and runtime) answers every
//! request with the same `Skill` JSON and a `request-id` header. Two clients fetch
//! `GET /v1/skills/skill_1` over keep-alive connections, built with the same
//! `reqwest::Client` settings:
//!
//! - `get_skill/reqwest_bare`: reqwest with the same headers the SDK sends, a status
//!   check, the request id read, and the body decoded into `anthropic_skills::BetaGetSkillResponse`;
//! - `get_skill/sdk_client`: `anthropic_skills::Client::get_skill`.
//!
//! Before measuring, both are sent once to a recording server and must send the same
//! headers and decode the same value. `cargo xtask bench --overhead` runs this and prints
//! `sdk / bare - 1` from criterion's estimates. After criterion, 10,000 calls of each
//! client, alternating, give the tail: p50, p90, p99 and the maximum.

use std::convert::Infallible;
use std::time::Duration;

use anthropic_skills::{BetaGetSkillResponse as Skill, Client, GetSkillParams};
use bytes::Bytes;
use criterion::Criterion;
use http_body_util::Full;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use sdk_runtime::reqwest;
use sdk_tests::{Reply, TEST_API_KEY, TestServer, skill_json};

const SKILL_ID: &str = "skill_1";
const REQUEST_ID: &str = "req_bench_0123456789";

/// Starts the fixed-response server; returns its base URL. It lives until the process ends.
fn start_server(body: Bytes) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener
        .set_nonblocking(true)
        .expect("non-blocking listener");
    let addr = listener.local_addr().expect("local address");
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("server runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let _ = stream.set_nodelay(true);
                let body = body.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |_req: Request<hyper::body::Incoming>| {
                        let body = body.clone();
                        async move {
                            Ok::<_, Infallible>(
                                Response::builder()
                                    .header("content-type", "application/json")
                                    .header("request-id", REQUEST_ID)
                                    .body(Full::new(body))
                                    .expect("response"),
                            )
                        }
                    });
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
    });
    format!("http://{addr}")
}

/// The HTTP client both sides use: the runtime's own settings (keep-alive pool, connect
/// timeout), one instance each so neither warms the other's pool.
fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(5))
        .pool_max_idle_per_host(32)
        .build()
        .expect("reqwest client")
}

fn sdk_client(base_url: &str) -> Client {
    Client::builder()
        .base_url(base_url)
        .api_key(TEST_API_KEY)
        .http_client(http_client())
        .build()
        .expect("SDK client")
}

/// The hand-written equivalent of `get_skill`: same URL, same headers, same checks.
async fn bare_get_skill(http: &reqwest::Client, base_url: &str) -> (Skill, Option<String>) {
    let response = http
        .get(format!("{base_url}/v1/skills/{SKILL_ID}"))
        .header("user-agent", anthropic_skills::PROFILE.user_agent)
        .header("accept", "application/json")
        .header("x-api-key", TEST_API_KEY)
        .header("anthropic-version", "2023-06-01")
        .header("anthropic-beta", "skills-2025-10-02")
        .header("x-stainless-retry-count", "0")
        .send()
        .await
        .expect("bare request")
        .error_for_status()
        .expect("bare status");
    let request_id = response
        .headers()
        .get("request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = response.bytes().await.expect("bare body");
    let skill = serde_json::from_slice(&body).expect("bare decode");
    (skill, request_id)
}

/// The measured SDK call (it reads the request id too, then drops it with the metadata).
async fn sdk_get_skill(client: &Client) -> Skill {
    client
        .get_skill(SKILL_ID, GetSkillParams::default())
        .await
        .expect("SDK request")
}

/// Both clients send the same request (headers sorted) and decode the same value.
fn check_fairness(runtime: &tokio::runtime::Runtime, body: &serde_json::Value) {
    let reply = || Reply::json(200, body).header("request-id", REQUEST_ID);
    let server = TestServer::start([reply(), reply()]);
    let url = server.url();
    let (bare, sdk) = runtime.block_on(async {
        let bare = bare_get_skill(&http_client(), &url).await;
        let sdk = sdk_client(&url)
            .get_skill_with_response(SKILL_ID, GetSkillParams::default())
            .await
            .expect("SDK request");
        (bare, (sdk.value, sdk.request_id))
    });
    assert_eq!(bare, sdk, "the two clients decode different values");
    assert_eq!(bare.1.as_deref(), Some(REQUEST_ID));
    let requests = server.requests();
    let mut sent: Vec<Vec<(String, String)>> = requests
        .iter()
        .map(|r| {
            let mut headers: Vec<_> = r
                .headers
                .iter()
                .filter(|(name, _)| name != "host")
                .cloned()
                .collect();
            headers.sort();
            headers
        })
        .collect();
    assert_eq!(sent.len(), 2);
    let sdk_headers = sent.pop().unwrap();
    assert_eq!(
        sent[0], sdk_headers,
        "the two clients send different headers"
    );
    assert_eq!(requests[0].path, requests[1].path);
}

fn bench(c: &mut Criterion) {
    let body_json = skill_json(SKILL_ID);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("client runtime");
    check_fairness(&runtime, &body_json);

    let base_url = start_server(Bytes::from(body_json.to_string()));
    let bare = http_client();
    let sdk = sdk_client(&base_url);

    let mut group = c.benchmark_group("get_skill");
    group.bench_function("reqwest_bare", |b| {
        b.iter(|| runtime.block_on(bare_get_skill(&bare, &base_url)))
    });
    group.bench_function("sdk_client", |b| {
        b.iter(|| runtime.block_on(sdk_get_skill(&sdk)))
    });
    group.finish();
    latencies(&runtime, &bare, &sdk, &base_url);
}

/// Calls timed one by one for the tail criterion's means hide.
const LATENCY_CALLS: usize = 10_000;

/// 10,000 calls of each client, alternating so a drift of the machine's speed reaches
/// both alike; prints their p50, p90, p99 and maximum (measured, never asserted).
fn latencies(runtime: &tokio::runtime::Runtime, bare: &reqwest::Client, sdk: &Client, url: &str) {
    let mut bare_times = Vec::with_capacity(LATENCY_CALLS);
    let mut sdk_times = Vec::with_capacity(LATENCY_CALLS);
    runtime.block_on(async {
        for _ in 0..LATENCY_CALLS {
            let start = std::time::Instant::now();
            std::hint::black_box(bare_get_skill(bare, url).await);
            bare_times.push(start.elapsed());
            let start = std::time::Instant::now();
            std::hint::black_box(sdk_get_skill(sdk).await);
            sdk_times.push(start.elapsed());
        }
    });
    println!("\nlatency of {LATENCY_CALLS} calls each, alternating (p50 / p90 / p99 / max):");
    for (name, times) in [
        ("bare reqwest + serde", &mut bare_times),
        ("SDK get_skill", &mut sdk_times),
    ] {
        times.sort();
        let at = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
        println!(
            "  {name:<21} {:>8.1?} / {:>8.1?} / {:>8.1?} / {:>8.1?}",
            at(0.50),
            at(0.90),
            at(0.99),
            times[times.len() - 1]
        );
    }
}

/// Runs the benchmarks: `criterion_group!` and `criterion_main!` written out, as the
/// functions those macros write have no doc comments.
fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    bench(&mut criterion);
    criterion.final_summary();
}
