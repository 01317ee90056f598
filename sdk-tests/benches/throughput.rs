//! Concurrent throughput: the same batch of calls, 64 in flight at a time, through the
//! generated client and through bare reqwest (measured and printed, never asserted).
//!
//! A minimal HTTP/1.1 server on 127.0.0.1 (its own thread and runtime) answers every
//! request with the same `Skill` JSON. Each criterion iteration sends [`BATCH`] calls of
//! `GET /v1/skills/skill_1`, [`IN_FLIGHT`] at a time, on a two-worker runtime:
//!
//! - `concurrent_get_skill/reqwest_bare`: reqwest with the SDK's headers and connection
//!   settings, a status check, the request id read, the body decoded;
//! - `concurrent_get_skill/sdk_client`: one cloned `anthropic_skills::Client`, built
//!   with defaults (its own HTTP client), calling `get_skill`.
//!
//! Criterion reports the time per batch; `calls/s` is `BATCH` over it. Before that, one
//! timed batch of each prints calls per second and the p50/p99 latency of single calls.
//! Run: `cargo bench -p sdk-tests --bench throughput`.

use std::convert::Infallible;
use std::time::{Duration, Instant};

use anthropic_skills::{BetaGetSkillResponse as Skill, Client, GetSkillParams};
use bytes::Bytes;
use criterion::{Criterion, Throughput};
use futures::StreamExt;
use http_body_util::Full;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use sdk_runtime::reqwest;
use sdk_tests::{TEST_API_KEY, skill_json};

const SKILL_ID: &str = "skill_1";
const BATCH: usize = 2_000;
const IN_FLIGHT: usize = 64;

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
                                    .header("request-id", "req_bench")
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

/// The runtime's default HTTP settings (connect timeout, idle pool bound).
fn bare_client() -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(5))
        .pool_max_idle_per_host(32)
        .build()
        .expect("reqwest client")
}

/// The hand-written equivalent of `get_skill`: same URL, same headers, same checks.
async fn bare_get_skill(http: reqwest::Client, url: String) -> Skill {
    let response = http
        .get(url)
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
    let _request_id = response
        .headers()
        .get("request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = response.bytes().await.expect("bare body");
    serde_json::from_slice(&body).expect("bare decode")
}

async fn sdk_get_skill(client: Client) -> Skill {
    client
        .get_skill(SKILL_ID, GetSkillParams::default())
        .await
        .expect("SDK request")
}

/// Sends `BATCH` calls made by `call`, `IN_FLIGHT` at a time, each on its own task;
/// returns every call's latency.
async fn batch<F, Fut>(call: F) -> Vec<Duration>
where
    F: Fn() -> Fut,
    Fut: Future<Output = Skill> + Send + 'static,
{
    futures::stream::iter(0..BATCH)
        .map(|_| {
            let call = call();
            tokio::spawn(async move {
                let started = Instant::now();
                let skill = call.await;
                assert_eq!(skill.id, SKILL_ID);
                started.elapsed()
            })
        })
        .buffer_unordered(IN_FLIGHT)
        .map(|joined| joined.expect("call task"))
        .collect()
        .await
}

fn report(name: &str, elapsed: Duration, mut latencies: Vec<Duration>) {
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() - 1) as f64 * q) as usize];
    println!(
        "{name}: {BATCH} calls, {IN_FLIGHT} in flight: {:.0} calls/s, p50 {:.2?}, p99 {:.2?}",
        BATCH as f64 / elapsed.as_secs_f64(),
        at(0.50),
        at(0.99)
    );
}

fn bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("client runtime");
    let base_url = start_server(Bytes::from(skill_json(SKILL_ID).to_string()));
    let url = format!("{base_url}/v1/skills/{SKILL_ID}?beta=true");
    let bare = bare_client();
    let sdk = Client::builder()
        .base_url(&base_url)
        .api_key(TEST_API_KEY)
        .build()
        .expect("SDK client");
    let bare_batch = || batch(|| bare_get_skill(bare.clone(), url.clone()));
    let sdk_batch = || batch(|| sdk_get_skill(sdk.clone()));

    // Warm both pools, then one timed batch each for calls/s and latency percentiles.
    runtime.block_on(bare_batch());
    runtime.block_on(sdk_batch());
    for (name, run) in [("reqwest_bare", 0), ("sdk_client", 1)] {
        let started = Instant::now();
        let latencies = if run == 0 {
            runtime.block_on(bare_batch())
        } else {
            runtime.block_on(sdk_batch())
        };
        report(name, started.elapsed(), latencies);
    }

    let mut group = c.benchmark_group("concurrent_get_skill");
    group.throughput(Throughput::Elements(BATCH as u64));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(8));
    group.bench_function("reqwest_bare", |b| {
        b.iter(|| runtime.block_on(bare_batch()))
    });
    group.bench_function("sdk_client", |b| b.iter(|| runtime.block_on(sdk_batch())));
    group.finish();
}

/// Runs the benchmark: `criterion_group!` and `criterion_main!` written out, as the
/// functions those macros write have no doc comments.
fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    bench(&mut criterion);
    criterion.final_summary();
}
