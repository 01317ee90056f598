//! Retries, timeouts, error decoding and request assembly against a real local server.

mod common;

use std::time::{Duration, Instant};

use common::{PROFILE, Reply, TestServer};
use sdk_runtime::http::{Method, StatusCode};
use sdk_runtime::{Body, Client, Error, FilePart, Multipart, Request, RequestOptions};

fn client(server: &TestServer) -> Client {
    Client::builder(&PROFILE)
        .base_url(server.url())
        .api_key("test-key")
        .build()
        .expect("client builds")
}

fn get(path: &str) -> Request {
    Request::new(Method::GET, path.to_string())
}

#[tokio::test]
async fn retries_500_then_returns_200() {
    let server = TestServer::start(vec![
        Reply::json(
            500,
            r#"{"type":"error","error":{"type":"api_error","message":"boom"}}"#,
        ),
        Reply::json(200, r#"{"ok":true}"#),
    ])
    .await;
    let response = client(&server)
        .execute(get("/v1/things"))
        .await
        .expect("retried to success");
    assert_eq!(response.status, StatusCode::OK);
    let value: serde_json::Value = response.json().unwrap();
    assert_eq!(value["ok"], true);

    let seen = server.requests();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].header("x-retry-count"), Some("0"));
    assert_eq!(seen[1].header("x-retry-count"), Some("1"));
}

#[tokio::test]
async fn not_modified_is_an_api_error_with_its_headers() {
    let server = TestServer::start(vec![
        Reply::raw(304, "application/json", b"").header("etag", "\"v1\""),
        Reply::json(200, "{}"),
    ])
    .await;
    let mut request = get("/v1/things");
    request.header("If-None-Match", "\"v1\"".to_string());
    let error = client(&server)
        .execute(request)
        .await
        .expect_err("304 has no body to return");
    let api = error.api_error().expect("an API error");
    assert_eq!(api.status, StatusCode::NOT_MODIFIED);
    assert_eq!(api.headers.get("etag").unwrap(), "\"v1\"");
    assert_eq!(server.requests().len(), 1, "not retried");
}

#[tokio::test]
async fn retry_after_ms_is_waited() {
    let server = TestServer::start(vec![
        Reply::json(
            429,
            r#"{"error":{"type":"rate_limit_error","message":"slow down"}}"#,
        )
        .header("retry-after-ms", "300"),
        Reply::json(200, "{}"),
    ])
    .await;
    let started = Instant::now();
    client(&server)
        .execute(get("/v1/x"))
        .await
        .expect("retried");
    let seen = server.requests();
    assert_eq!(seen.len(), 2);
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert!(seen[1].at - seen[0].at >= Duration::from_millis(300));
}

#[tokio::test]
async fn retry_after_seconds_beats_backoff() {
    // Backoff for the first retry is at most 500 ms, so a 1 s wait proves the header was used.
    let server = TestServer::start(vec![
        Reply::json(503, "{}").header("retry-after", "1"),
        Reply::json(200, "{}"),
    ])
    .await;
    client(&server)
        .execute(get("/v1/x"))
        .await
        .expect("retried");
    let seen = server.requests();
    assert_eq!(seen.len(), 2);
    assert!(seen[1].at - seen[0].at >= Duration::from_secs(1));
}

#[tokio::test]
async fn bad_request_is_not_retried() {
    let server = TestServer::start(vec![
        Reply::json(
            400,
            r#"{"error":{"type":"invalid_request_error","message":"bad"}}"#,
        ),
        Reply::json(200, "{}"),
    ])
    .await;
    let err = client(&server).execute(get("/v1/x")).await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::BAD_REQUEST));
    assert!(!err.is_retryable());
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn should_retry_header_overrides_status() {
    let server = TestServer::start(vec![
        Reply::json(500, "{}").header("x-should-retry", "false"),
        Reply::json(200, "{}"),
    ])
    .await;
    let err = client(&server).execute(get("/v1/x")).await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::INTERNAL_SERVER_ERROR));
    assert!(!err.is_retryable());
    assert_eq!(server.requests().len(), 1);

    let server = TestServer::start(vec![
        Reply::json(400, "{}")
            .header("x-should-retry", "true")
            .header("retry-after-ms", "10"),
        Reply::json(200, r#"{"second":1}"#),
    ])
    .await;
    let ok = client(&server)
        .execute(get("/v1/x"))
        .await
        .expect("400 retried");
    assert_eq!(ok.body.as_ref(), br#"{"second":1}"#);
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn max_retries_is_respected() {
    let overloaded = || {
        Reply::json(
            529,
            r#"{"error":{"type":"overloaded_error","message":"busy"}}"#,
        )
        .header("retry-after-ms", "10")
    };

    // Default: 2 retries, so 3 attempts; the 4th reply is never asked for.
    let server = TestServer::start(vec![
        overloaded(),
        overloaded(),
        overloaded(),
        Reply::json(200, "{}"),
    ])
    .await;
    let err = client(&server).execute(get("/v1/x")).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(529));
    assert!(err.is_retryable());
    assert_eq!(server.requests().len(), 3);

    let server = TestServer::start(vec![overloaded(), overloaded(), Reply::json(200, "{}")]).await;
    let c = Client::builder(&PROFILE)
        .base_url(server.url())
        .max_retries(1)
        .build()
        .unwrap();
    assert!(c.execute(get("/v1/x")).await.is_err());
    assert_eq!(server.requests().len(), 2);

    // Per-call options override the client's setting.
    let server = TestServer::start(vec![overloaded(), Reply::json(200, "{}")]).await;
    let c = client(&server).with_options(RequestOptions::new().max_retries(0));
    assert!(c.execute(get("/v1/x")).await.is_err());
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn dropped_connection_is_retried_then_reported() {
    let server = TestServer::start(vec![
        Reply::HeadersThenClose { status: 200 },
        Reply::json(200, r#"{"fine":true}"#),
    ])
    .await;
    let ok = client(&server)
        .execute(get("/v1/x"))
        .await
        .expect("retried after drop");
    assert_eq!(ok.body.as_ref(), br#"{"fine":true}"#);
    assert_eq!(server.requests().len(), 2);

    let server = TestServer::start(vec![
        Reply::HeadersThenClose { status: 200 },
        Reply::HeadersThenClose { status: 200 },
        Reply::HeadersThenClose { status: 200 },
    ])
    .await;
    let c = client(&server).with_options(RequestOptions::new().max_retries(2));
    let err = c.execute(get("/v1/x")).await.unwrap_err();
    assert!(matches!(err, Error::Connection { .. }), "{err:?}");
    assert!(err.is_retryable());
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn connection_refused_is_connection_error() {
    // Bind then drop to get a port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let c = Client::builder(&PROFILE)
        .base_url(format!("http://127.0.0.1:{port}"))
        .max_retries(0)
        .build()
        .unwrap();
    let err = c.execute(get("/v1/x")).await.unwrap_err();
    assert!(matches!(err, Error::Connection { .. }), "{err:?}");
    assert!(err.to_string().starts_with("connection error: "));
}

#[tokio::test]
async fn slow_response_times_out() {
    let server =
        TestServer::start(vec![Reply::json(200, "{}").delay(Duration::from_secs(3))]).await;
    let c = Client::builder(&PROFILE)
        .base_url(server.url())
        .timeout(Duration::from_millis(200))
        .max_retries(0)
        .build()
        .unwrap();
    let started = Instant::now();
    let err = c.execute(get("/v1/slow")).await.unwrap_err();
    assert!(
        matches!(err, Error::Timeout { after } if after == Duration::from_millis(200)),
        "{err:?}"
    );
    assert!(started.elapsed() >= Duration::from_millis(200));
    assert!(err.is_retryable());

    // Timeouts are retried; per-call options can set the timeout.
    let server = TestServer::start(vec![
        Reply::json(200, "{}").delay(Duration::from_secs(3)),
        Reply::json(200, r#"{"fast":1}"#),
    ])
    .await;
    let c = client(&server).with_options(RequestOptions::new().timeout(Duration::from_millis(200)));
    let ok = c
        .execute(get("/v1/slow"))
        .await
        .expect("second attempt is fast");
    assert_eq!(ok.body.as_ref(), br#"{"fast":1}"#);
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn malformed_json_is_decode_error_with_snippet() {
    let body = format!(r#"{{"id": "abc", "broken": tru {}"#, "x".repeat(500));
    let server = TestServer::start(vec![
        Reply::json(200, &body).header("request-id", "req_dec"),
    ])
    .await;
    let response = client(&server)
        .execute(get("/v1/x"))
        .await
        .expect("200 is Ok");
    assert_eq!(response.request_id.as_deref(), Some("req_dec"));
    let err = response.json::<serde_json::Value>().unwrap_err();
    match &err {
        Error::Decode {
            status,
            snippet,
            request_id,
            ..
        } => {
            assert_eq!(*status, StatusCode::OK);
            assert!(
                snippet.starts_with(r#"{"id": "abc", "broken": tru"#),
                "{snippet}"
            );
            assert!(snippet.chars().count() <= 200);
            assert_eq!(request_id.as_deref(), Some("req_dec"));
        }
        other => panic!("expected Decode, got {other:?}"),
    }
    assert_eq!(err.request_id(), Some("req_dec"));
    assert!(!err.to_string().contains('\n'));
}

#[tokio::test]
async fn api_error_fields_are_parsed() {
    let server = TestServer::start(vec![
        Reply::json(404, r#"{"type":"error","error":{"type":"not_found_error","message":"Skill not found"}}"#)
            .header("request-id", "req_123"),
        Reply::json(403, r#"{"type":"error","error":{"type":"permission_error","message":"no"},"request_id":"req_body"}"#),
    ])
    .await;
    let c = client(&server);
    let err = c.execute(get("/v1/skills/x")).await.unwrap_err();
    let api = err.api_error().expect("Api error");
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert_eq!(api.error_type.as_deref(), Some("not_found_error"));
    assert_eq!(api.message.as_deref(), Some("Skill not found"));
    assert_eq!(api.request_id.as_deref(), Some("req_123"));
    assert_eq!(err.request_id(), Some("req_123"));
    assert_eq!(
        err.to_string(),
        "404 Not Found not_found_error: Skill not found (request-id req_123)"
    );
    let decoded: serde_json::Value = api.json().expect("body is JSON");
    assert_eq!(decoded["error"]["type"], "not_found_error");

    let err = c.execute(get("/v1/skills/y")).await.unwrap_err();
    assert_eq!(err.request_id(), Some("req_body"));
    assert_eq!(
        err.api_error().unwrap().error_type.as_deref(),
        Some("permission_error")
    );
}

#[tokio::test]
async fn non_json_error_keeps_raw_body() {
    let html = b"<html>\r\n<head><title>413 Request Entity Too Large</title></head>\r\n</html>\r\n";
    let server = TestServer::start(vec![Reply::raw(413, "text/html", html)]).await;
    let err = client(&server)
        .execute(get("/v1/upload"))
        .await
        .unwrap_err();
    let api = err.api_error().expect("Api error");
    assert_eq!(api.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(api.body.as_ref(), html);
    assert_eq!(api.error_type, None);
    assert_eq!(api.message, None);
    assert!(api.json::<serde_json::Value>().is_none());
    let line = err.to_string();
    assert!(line.starts_with("413 Payload Too Large: <html>"), "{line}");
    assert!(!line.contains('\n') && !line.contains('\r'));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn multipart_body_is_resent_identically() {
    let server = TestServer::start(vec![Reply::json(500, "{}"), Reply::json(200, "{}")]).await;
    let mut form = Multipart::new();
    form.text("display_title", "My skill");
    form.file(
        "files[]",
        FilePart {
            file_name: "my-skill/SKILL.md".into(),
            content_type: Some("text/markdown".into()),
            data: "# Skill\n".into(),
        },
    );
    form.file(
        "files[]",
        FilePart {
            file_name: "my-skill/bin.dat".into(),
            content_type: None,
            data: (0..=255u8).collect::<Vec<u8>>().into(),
        },
    );
    let mut req = Request::new(Method::POST, "/v1/skills".into());
    req.body(Body::Multipart(form));
    client(&server).execute(req).await.expect("retried");

    let seen = server.requests();
    assert_eq!(seen.len(), 2);
    assert!(!seen[0].body.is_empty());
    assert_eq!(
        seen[0].body, seen[1].body,
        "multipart body changed between attempts"
    );
    let ct = seen[0].header("content-type").unwrap();
    assert!(ct.starts_with("multipart/form-data; boundary="), "{ct}");
    assert_eq!(
        seen[0].header("content-type"),
        seen[1].header("content-type")
    );
    let body = String::from_utf8_lossy(&seen[0].body);
    assert!(body.contains(r#"name="files[]"; filename="my-skill/SKILL.md""#));
    assert!(body.contains("Content-Type: application/octet-stream"));
    let binary: Vec<u8> = (0..=255u8).collect();
    assert!(seen[0].body.windows(256).any(|w| w == binary.as_slice()));
}

#[tokio::test]
async fn json_and_form_bodies_are_sent() {
    let server = TestServer::start(vec![
        Reply::json(200, "{}"),
        Reply::json(200, "{}"),
        Reply::json(200, "{}"),
    ])
    .await;
    let c = client(&server);

    let mut req = Request::new(Method::POST, "/v1/json".into());
    req.body(Body::Json(r#"{"a":1}"#.into()));
    c.execute(req).await.unwrap();

    let mut req = Request::new(Method::POST, "/v1/form".into());
    req.body(Body::Form(vec![("grant type".into(), "a&b=c".into())]));
    c.execute(req).await.unwrap();

    let mut req = Request::new(Method::PUT, "/v1/raw".into());
    req.body(Body::Bytes {
        content_type: "application/octet-stream".into(),
        data: vec![0u8, 1, 2].into(),
    });
    c.execute(req).await.unwrap();

    let seen = server.requests();
    assert_eq!(seen[0].header("content-type"), Some("application/json"));
    assert_eq!(seen[0].body, br#"{"a":1}"#);
    assert_eq!(
        seen[1].header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(seen[1].body, b"grant%20type=a%26b%3Dc");
    assert_eq!(seen[2].method, "PUT");
    assert_eq!(seen[2].body, [0u8, 1, 2]);
}

#[tokio::test]
async fn headers_query_and_cookies_are_assembled() {
    let server =
        TestServer::start(vec![Reply::json(200, "{}").header("x-request-id", "req_x")]).await;
    let c = Client::builder(&PROFILE)
        .base_url(format!("{}/prefix/", server.url()))
        .api_key("test-key")
        .default_header("x-default", "d")
        .default_header("x-overridden", "from-default")
        .build()
        .unwrap()
        .with_options(
            RequestOptions::new()
                .header("x-overridden", "from-options")
                .append_header_value("x-features", "opt-in-1")
                .append_header_value("x-other-list", "o1"),
        );
    let mut req = Request::new(Method::GET, "/v1/items".into());
    req.query("limit", "20");
    req.query("q", "a b&c=d/ü");
    req.header("x-param", "p".into());
    req.list_header(
        "x-features",
        vec!["caller-1".into(), "always-1".into()],
        &["always-1", "always-2"],
    );
    req.cookie("session", "s1".into());
    req.cookie("theme", "dark".into());
    req.operation("listItems");
    let response = c.execute(req).await.unwrap();
    assert_eq!(response.request_id.as_deref(), Some("req_x"));

    let r = &server.requests()[0];
    assert_eq!(r.path, "/prefix/v1/items");
    assert_eq!(
        r.query.as_deref(),
        Some("limit=20&q=a%20b%26c%3Dd%2F%C3%BC")
    );
    assert_eq!(r.header("x-api-key"), Some("test-key"));
    assert_eq!(r.header("user-agent"), Some("sdk-runtime-tests/0.0.0"));
    assert_eq!(r.header("accept"), Some("application/json"));
    assert_eq!(r.header("x-default"), Some("d"));
    assert_eq!(r.header("x-overridden"), Some("from-options"));
    assert_eq!(r.header_count("x-overridden"), 1);
    assert_eq!(r.header("x-param"), Some("p"));
    assert_eq!(
        r.header("x-features"),
        Some("caller-1,always-1,opt-in-1,always-2")
    );
    assert_eq!(r.header("x-other-list"), Some("o1"));
    assert_eq!(r.header("cookie"), Some("session=s1; theme=dark"));
    assert_eq!(r.header("x-retry-count"), Some("0"));
    assert_eq!(r.header("authorization"), None);
}

#[tokio::test]
async fn invalid_builder_input_is_rejected() {
    let bad_url = Client::builder(&PROFILE).base_url("not a url").build();
    assert!(matches!(bad_url, Err(Error::InvalidArgument(_))));
    let bad_scheme = Client::builder(&PROFILE).base_url("file:///etc").build();
    assert!(matches!(bad_scheme, Err(Error::InvalidArgument(_))));
    let bad_header = Client::builder(&PROFILE)
        .default_header("x-a", "a\r\nx-injected: 1")
        .build();
    assert!(matches!(bad_header, Err(Error::InvalidArgument(_))));
    let c = Client::builder(&PROFILE)
        .base_url("http://127.0.0.1:1/v1/")
        .build()
        .unwrap();
    assert_eq!(c.base_url(), "http://127.0.0.1:1/v1");
    assert_eq!(
        Client::builder(&PROFILE).build().unwrap().base_url(),
        "http://127.0.0.1:9"
    );
}
