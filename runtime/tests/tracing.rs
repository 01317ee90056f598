//! Tracing output: span fields present, credentials absent.
//!
//! Its own test binary: tracing caches per-callsite interest, and other tests
//! hitting the same callsites from other threads while this test installs its
//! scoped subscriber can make events go missing.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::{PROFILE, Reply, TestServer};
use sdk_runtime::http::Method;
use sdk_runtime::{Client, Request};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::fmt::format::FmtSpan;

const KEY: &str = "sk-SECRET-key-0123456789";
const TOKEN: &str = "tok-SECRET-bearer-9876";

/// Collects everything the fmt subscriber writes.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Capture {
    type Writer = Capture;
    fn make_writer(&'a self) -> Capture {
        self.clone()
    }
}

#[tokio::test]
async fn tracing_records_request_fields_but_no_credentials() {
    let capture = Capture::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(capture.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::NEW | FmtSpan::CLOSE)
        .finish();
    // Current-thread runtime: the guard covers the client and the server tasks.
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = TestServer::start(vec![
        Reply::json(500, "{}").header("retry-after-ms", "10"),
        Reply::json(200, "{}"),
    ])
    .await;
    let c = Client::builder(&PROFILE)
        .base_url(server.url())
        .api_key(KEY)
        .bearer_token(TOKEN)
        .build()
        .unwrap();
    let mut req = Request::new(Method::GET, "/v1/things/abc".into());
    req.operation("getThing");
    c.execute(req).await.unwrap();
    assert_eq!(server.requests()[1].header("x-api-key"), Some(KEY));

    let output = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    for expected in [
        "http_request",
        "method=GET",
        "path=/v1/things/abc",
        "operation=\"getThing\"",
        "attempt=0",
        "attempt=1",
        "status=500",
        "status=200",
        "retrying request",
    ] {
        assert!(
            output.contains(expected),
            "missing `{expected}` in:\n{output}"
        );
    }
    assert!(
        !output.contains(KEY),
        "API key leaked into traces:\n{output}"
    );
    assert!(
        !output.contains(TOKEN),
        "bearer token leaked into traces:\n{output}"
    );
}
