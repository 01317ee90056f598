//! Retries, timeouts, broken responses, forward compatibility, pagination and key
//! redaction, through the generated client against a fault-injecting local server.

use std::time::{Duration, Instant};

use anthropic_skills::{
    BetaGetSkillResponse, Client, Error, ErrorResponse, ErrorResponseError, ErrorType,
    GetSkillError, GetSkillParams, ListSkillVersionsParams, ListSkillsParams,
};
use futures::{StreamExt, TryStreamExt};
use sdk_tests::{
    Reply, TEST_API_KEY, TestServer, error_json, page_json, skill_json, skill_version_json,
};

/// A retryable reply that asks for a short wait, so retry tests stay fast.
fn quick(reply: Reply) -> Reply {
    reply.header("retry-after-ms", "10")
}

fn ok_skill(id: &str) -> Reply {
    Reply::json(200, &skill_json(id))
}

fn retry_counts(server: &TestServer) -> Vec<String> {
    server
        .requests()
        .iter()
        .map(|r| {
            r.header("x-stainless-retry-count")
                .unwrap_or("-")
                .to_owned()
        })
        .collect()
}

async fn get(client: &Client) -> Result<BetaGetSkillResponse, Error> {
    client.get_skill("skill_1", GetSkillParams::default()).await
}

#[tokio::test]
async fn server_error_then_success_is_retried() {
    let server = TestServer::start([
        Reply::json(500, &error_json("api_error", "boom", None)),
        ok_skill("skill_1"),
    ]);
    let started = Instant::now();
    let skill = get(&server.client()).await.expect("retried into success");
    assert_eq!(skill.id, "skill_1");
    assert_eq!(retry_counts(&server), ["0", "1"]);
    // Default backoff before the first retry: 0.5 s times a jitter in (0.75, 1].
    let waited = started.elapsed();
    assert!(waited >= Duration::from_millis(370), "{waited:?}");
    // Both attempts are the same request.
    let requests = server.requests();
    assert_eq!(requests[0].path, requests[1].path);
    assert_eq!(
        requests[0].header("x-api-key"),
        requests[1].header("x-api-key")
    );
}

#[tokio::test]
async fn retries_stop_after_max_retries() {
    let overloaded = || {
        quick(Reply::json(
            529,
            &error_json("overloaded_error", "busy", None),
        ))
    };
    let server = TestServer::start([overloaded(), overloaded(), overloaded(), overloaded()]);
    let error = get(&server.client()).await.expect_err("always overloaded");
    // Default: 2 retries, 3 attempts.
    assert_eq!(retry_counts(&server), ["0", "1", "2"]);
    let api = error.api_error().expect("api error");
    assert_eq!(api.status.as_u16(), 529);
    assert_eq!(api.error_type.as_deref(), Some("overloaded_error"));
    let Some(GetSkillError::ServerError(body)) = GetSkillError::from_error(&error) else {
        panic!("expected the spec's 5XX body, got {error:?}");
    };
    assert!(
        matches!(body.error, ErrorResponseError::BetaOverloadedError(_)),
        "{body:?}"
    );

    let server = TestServer::start([overloaded(), overloaded()]);
    let client = server.builder().max_retries(0).build().unwrap();
    get(&client).await.expect_err("no retries");
    assert_eq!(server.requests().len(), 1);

    // Per-call options override the client's setting.
    let server = TestServer::start([overloaded(), overloaded(), ok_skill("s")]);
    let client = server.builder().max_retries(0).build().unwrap();
    let client = client.with_options(anthropic_skills::RequestOptions::new().max_retries(2));
    get(&client).await.expect("third attempt succeeds");
    assert_eq!(retry_counts(&server), ["0", "1", "2"]);
}

#[tokio::test]
async fn rate_limit_waits_retry_after_ms() {
    let server = TestServer::start([
        Reply::json(429, &error_json("rate_limit_error", "slow down", None))
            .header("retry-after-ms", "300"),
        ok_skill("skill_1"),
    ]);
    let started = Instant::now();
    get(&server.client()).await.expect("retried after the wait");
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(300),
        "waited only {waited:?}"
    );
    assert!(waited < Duration::from_secs(3), "waited {waited:?}");
    assert_eq!(retry_counts(&server), ["0", "1"]);
}

#[tokio::test]
async fn retry_after_seconds() {
    let server = TestServer::start([
        Reply::json(503, &error_json("api_error", "later", None)).header("retry-after", "1"),
        ok_skill("skill_1"),
    ]);
    let started = Instant::now();
    get(&server.client()).await.unwrap();
    let waited = started.elapsed();
    assert!(waited >= Duration::from_millis(1000), "{waited:?}");
    assert!(waited < Duration::from_secs(3), "{waited:?}");
}

#[tokio::test]
async fn bad_request_is_not_retried() {
    let server = TestServer::start([Reply::json(
        400,
        &error_json(
            "invalid_request_error",
            "limit: too big",
            Some("req_body_id"),
        ),
    )
    .header("request-id", "req_header_id")]);
    let error = get(&server.client()).await.expect_err("400");
    assert_eq!(server.requests().len(), 1);
    let Error::Api(api) = &error else {
        panic!("expected Error::Api, got {error:?}");
    };
    assert_eq!(api.status.as_u16(), 400);
    assert_eq!(api.error_type.as_deref(), Some("invalid_request_error"));
    assert_eq!(api.message.as_deref(), Some("limit: too big"));
    // The header wins over the body's copy.
    assert_eq!(api.request_id.as_deref(), Some("req_header_id"));
    assert_eq!(error.request_id(), Some("req_header_id"));
    assert_eq!(error.status().map(|s| s.as_u16()), Some(400));
    assert!(!error.is_retryable());
    assert_eq!(
        error.to_string(),
        "400 Bad Request invalid_request_error: limit: too big (request-id req_header_id)"
    );
    let body: ErrorResponse = api.json().expect("typed error body");
    let ErrorResponseError::BetaInvalidRequestError(detail) = &body.error else {
        panic!("expected an invalid_request_error, got {body:?}");
    };
    assert_eq!(detail.message, "limit: too big");
    assert_eq!(body.request_id.as_deref(), Some("req_body_id"));
    // The operation's own error enum decodes the body the spec describes for 4XX.
    let Some(GetSkillError::ClientError(typed)) = GetSkillError::from_error(&error) else {
        panic!("expected the spec's 4XX body, got {error:?}");
    };
    assert_eq!(typed, body);
}

#[tokio::test]
async fn request_id_from_body_when_header_missing() {
    let server = TestServer::start([Reply::json(
        404,
        &error_json("not_found_error", "no such skill", Some("req_from_body")),
    )
    .no_request_id()]);
    let error = get(&server.client()).await.expect_err("404");
    let api = error.api_error().unwrap();
    assert_eq!(api.error_type.as_deref(), Some("not_found_error"));
    assert_eq!(api.request_id.as_deref(), Some("req_from_body"));
}

#[tokio::test]
async fn should_retry_header_overrides_status() {
    let server = TestServer::start([
        quick(Reply::json(503, &error_json("api_error", "down", None)))
            .header("x-should-retry", "false"),
        ok_skill("unexpected"),
    ]);
    let error = get(&server.client()).await.expect_err("not retried");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(server.requests().len(), 1);

    let server = TestServer::start([
        quick(Reply::json(
            400,
            &error_json("invalid_request_error", "retry me", None),
        ))
        .header("x-should-retry", "true"),
        ok_skill("skill_1"),
    ]);
    get(&server.client()).await.expect("400 retried on request");
    assert_eq!(retry_counts(&server), ["0", "1"]);
}

#[tokio::test]
async fn dropped_connection_is_retried() {
    let server = TestServer::start([
        ok_skill("skill_1").drop_after_headers(),
        ok_skill("skill_1"),
    ]);
    let skill = get(&server.client()).await.expect("retried after the drop");
    assert_eq!(skill.id, "skill_1");
    assert_eq!(retry_counts(&server), ["0", "1"]);

    // Without retries the drop surfaces as a connection error.
    let server = TestServer::start([ok_skill("skill_1").drop_after_headers()]);
    let client = server.builder().max_retries(0).build().unwrap();
    let error = get(&client).await.expect_err("dropped");
    assert!(matches!(error, Error::Connection { .. }), "{error:?}");
    assert!(error.is_retryable());
}

#[tokio::test]
async fn connection_refused_is_a_connection_error() {
    // A port that was free a moment ago: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .api_key(TEST_API_KEY)
        .max_retries(0)
        .build()
        .unwrap();
    let error = get(&client).await.expect_err("refused");
    assert!(matches!(error, Error::Connection { .. }), "{error:?}");
    assert!(!format!("{error} {error:?}").contains(TEST_API_KEY));
}

#[tokio::test]
async fn slow_response_times_out() {
    let server = TestServer::start([ok_skill("slow").delay(Duration::from_secs(3))]);
    let client = server
        .builder()
        .timeout(Duration::from_millis(200))
        .max_retries(0)
        .build()
        .unwrap();
    let started = Instant::now();
    let error = get(&client).await.expect_err("timeout");
    let elapsed = started.elapsed();
    let Error::Timeout { after } = error else {
        panic!("expected Error::Timeout, got {error:?}");
    };
    assert_eq!(after, Duration::from_millis(200));
    assert!(elapsed >= Duration::from_millis(200), "{elapsed:?}");
    assert!(elapsed < Duration::from_millis(1500), "{elapsed:?}");
    assert_eq!(server.requests().len(), 1);

    // A per-call timeout, and timeouts are retried.
    let server = TestServer::start([
        ok_skill("slow").delay(Duration::from_secs(3)),
        ok_skill("fast"),
    ]);
    let client = server
        .client()
        .with_options(anthropic_skills::RequestOptions::new().timeout(Duration::from_millis(200)));
    let skill = get(&client).await.expect("second attempt is fast");
    assert_eq!(skill.id, "fast");
    assert_eq!(retry_counts(&server), ["0", "1"]);
}

#[tokio::test]
async fn a_body_that_stalls_times_out() {
    // The headers come at once, the body never ends: the timeout covers reading it.
    let stalled = || {
        Reply::new(200)
            .header("content-type", "application/json")
            .body("{\"id\":")
            .stall_declaring(1000)
    };
    let server = TestServer::start([stalled(), stalled()]);
    let client = server
        .builder()
        .timeout(Duration::from_millis(200))
        .max_retries(1)
        .build()
        .unwrap();
    let started = Instant::now();
    let error = get(&client).await.expect_err("timeout");
    let elapsed = started.elapsed();
    let Error::Timeout { after } = error else {
        panic!("expected Error::Timeout, got {error:?}");
    };
    assert_eq!(after, Duration::from_millis(200));
    assert!(elapsed >= Duration::from_millis(400), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    // Timed out, retried once with the same request, timed out again.
    assert_eq!(retry_counts(&server), ["0", "1"]);
}

#[tokio::test]
async fn malformed_json_is_a_decode_error() {
    let body = "{\"id\": \"skill_1\", \"created_at\": oops";
    let server = TestServer::start([Reply::new(200)
        .header("content-type", "application/json")
        .header("request-id", "req_bad_json")
        .body(body)]);
    let error = get(&server.client()).await.expect_err("bad JSON");
    let Error::Decode {
        status,
        snippet,
        request_id,
        ..
    } = &error
    else {
        panic!("expected Error::Decode, got {error:?}");
    };
    assert_eq!(status.as_u16(), 200);
    assert_eq!(snippet, body);
    assert_eq!(request_id.as_deref(), Some("req_bad_json"));
    assert!(error.to_string().contains("oops"), "{error}");
    assert_eq!(server.requests().len(), 1, "decode errors are not retried");

    // Valid JSON of the wrong shape is a decode error too; a huge body is cut short.
    let huge = format!("{{\"unexpected\": \"{}\"}}", "x".repeat(10_000));
    let server = TestServer::start([Reply::new(200).body(huge)]);
    let error = get(&server.client()).await.expect_err("wrong shape");
    let Error::Decode { snippet, .. } = &error else {
        panic!("expected Error::Decode, got {error:?}");
    };
    assert!(snippet.starts_with("{\"unexpected\""), "{snippet}");
    assert!(
        snippet.len() < 1000,
        "snippet is bounded: {} bytes",
        snippet.len()
    );
}

#[tokio::test]
async fn unknown_fields_and_enum_values_are_accepted() {
    let mut skill = skill_json("skill_1");
    skill["type"] = "skill_v2".into();
    skill["source"] = "partner".into();
    skill["brand_new_field"] = serde_json::json!({"nested": [1, 2, 3]});
    let mut version = skill_version_json("skill_1", "1");
    version["type"] = "skill_version_v9".into();
    version["extra"] = true.into();
    let mut page = page_json(vec![version], None);
    page["new_page_field"] = 1.into();
    let server = TestServer::start([
        Reply::json(200, &skill),
        Reply::json(200, &page),
        Reply::json(400, &error_json("brand_new_error", "something new", None)),
    ]);
    let client = server.client();

    let decoded = get(&client).await.expect("unknown values decode");
    assert_eq!(decoded.r#type, "skill_v2");
    assert_eq!(decoded.source, "partner");
    // Re-serializing keeps the unknown enum value as sent.
    assert_eq!(serde_json::to_value(&decoded).unwrap()["type"], "skill_v2");

    let versions = client
        .list_skill_versions("skill_1", ListSkillVersionsParams::default())
        .await
        .expect("unknown values in a page decode");
    assert_eq!(versions.data[0].r#type, "skill_version_v9");

    let error = get(&client).await.expect_err("400");
    let api = error.api_error().expect("api error");
    assert_eq!(api.error_type.as_deref(), Some("brand_new_error"));
    let body: ErrorResponse = api.json().expect("unknown error type decodes");
    let ErrorResponseError::Other(unknown) = &body.error else {
        panic!("an unknown error type is kept whole, got {body:?}");
    };
    assert_eq!(unknown["type"], "brand_new_error");
    assert_eq!(unknown["message"], "something new");
    assert_eq!(ErrorType::from("not_found_error"), ErrorType::NotFoundError);
    // The typed view of the error's type, straight from the error.
    assert_eq!(
        anthropic_skills::ErrorKind::kind(&error),
        Some(ErrorType::Other("brand_new_error".into()))
    );
}

#[tokio::test]
async fn error_kind_is_the_specs_open_enum() {
    let server = TestServer::start([Reply::json(
        404,
        &error_json("not_found_error", "no such skill", Some("req_404")),
    )]);
    let error = get(&server.client()).await.expect_err("404");
    use anthropic_skills::ErrorKind;
    assert_eq!(error.kind(), Some(ErrorType::NotFoundError));
    assert_eq!(
        error.api_error().and_then(ErrorKind::kind),
        Some(ErrorType::NotFoundError)
    );
}

#[tokio::test]
async fn non_json_error_body() {
    let server = TestServer::start([Reply::new(413)
        .header("content-type", "text/html")
        .body("<html><body>413 Request Entity Too Large</body></html>")]);
    let error = get(&server.client()).await.expect_err("413");
    let api = error.api_error().expect("still an API error");
    assert_eq!(api.status.as_u16(), 413);
    assert_eq!(api.error_type, None);
    assert!(api.json::<ErrorResponse>().is_none());
    assert!(error.to_string().contains("413"), "{error}");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn stream_walks_every_page_in_order() {
    let server = TestServer::start([
        Reply::json(
            200,
            &page_json(vec![skill_json("s1"), skill_json("s2")], Some("cursor/2+")),
        ),
        Reply::json(
            200,
            &page_json(vec![skill_json("s3"), skill_json("s4")], Some("cursor_3")),
        ),
        Reply::json(200, &page_json(vec![skill_json("s5")], None)),
    ]);
    let params = ListSkillsParams {
        limit: Some(2),
        source: Some("custom".into()),
        ..Default::default()
    };
    let ids: Vec<String> = server
        .client()
        .list_skills_stream(params)
        .map_ok(|s| s.id)
        .try_collect()
        .await
        .expect("three pages");
    assert_eq!(ids, ["s1", "s2", "s3", "s4", "s5"]);

    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert_eq!(requests[0].query_param("page"), None);
    assert_eq!(
        requests[1].query_param("page").as_deref(),
        Some("cursor/2+")
    );
    assert_eq!(requests[2].query_param("page").as_deref(), Some("cursor_3"));
    for req in &requests {
        assert_eq!(req.path, "/v1/skills");
        assert_eq!(req.query_param("limit").as_deref(), Some("2"));
        assert_eq!(req.query_param("source").as_deref(), Some("custom"));
    }
}

#[tokio::test]
async fn stream_stops_on_empty_page_and_is_lazy() {
    // A page with no items ends the stream even if it names a next page.
    let server = TestServer::start([
        Reply::json(
            200,
            &page_json(vec![skill_version_json("s", "1")], Some("p2")),
        ),
        Reply::json(200, &page_json(vec![], Some("p3"))),
    ]);
    let all: Vec<_> = server
        .client()
        .list_skill_versions_stream("s", ListSkillVersionsParams::default())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(server.requests().len(), 2);
    assert_eq!(server.requests()[1].path, "/v1/skills/s/versions");
    assert_eq!(
        server.requests()[1].query_param("page").as_deref(),
        Some("p2")
    );

    // Taking only the first item fetches only the first page.
    let server = TestServer::start([
        Reply::json(
            200,
            &page_json(vec![skill_json("a"), skill_json("b")], Some("p2")),
        ),
        Reply::json(200, &page_json(vec![skill_json("c")], None)),
    ]);
    let client = server.client();
    let first: Vec<_> = client
        .list_skills_stream(ListSkillsParams::default())
        .take(1)
        .collect()
        .await;
    assert_eq!(first.len(), 1);
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn stream_yields_errors() {
    let server = TestServer::start([
        Reply::json(200, &page_json(vec![skill_json("s1")], Some("p2"))),
        Reply::json(404, &error_json("not_found_error", "cursor expired", None)),
    ]);
    let items: Vec<_> = server
        .client()
        .list_skills_stream(ListSkillsParams::default())
        .collect()
        .await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(items[0].as_ref().unwrap().id, "s1");
    let error = items[1].as_ref().expect_err("second page fails");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
}

#[tokio::test]
async fn api_key_never_shown() {
    let secret_token = "tok-SECRET-bearer-987";
    let server = TestServer::start([
        Reply::json(
            401,
            &error_json("authentication_error", "invalid x-api-key", None),
        ),
        Reply::new(200).body("not json"),
        ok_skill("slow").delay(Duration::from_secs(3)),
    ]);
    let builder = server
        .builder()
        .bearer_token(secret_token)
        .max_retries(0)
        .timeout(Duration::from_millis(200));
    let builder_debug = format!("{builder:?}");
    let client = builder.build().unwrap();
    let client_debug = format!("{client:?} {:?}", client.with_options(Default::default()));

    let mut texts = vec![builder_debug, client_debug];
    for _ in 0..3 {
        let error = get(&client).await.expect_err("fails");
        texts.push(format!("{error}"));
        texts.push(format!("{error:?}"));
        texts.push(format!("{error:#?}"));
        if let Some(api) = error.api_error() {
            texts.push(format!("{api} {api:?}"));
        }
    }
    let invalid = client
        .get_skill("", GetSkillParams::default())
        .await
        .unwrap_err();
    texts.push(format!("{invalid} {invalid:?}"));

    for text in &texts {
        assert!(!text.contains(TEST_API_KEY), "API key leaked: {text}");
        assert!(!text.contains(secret_token), "bearer token leaked: {text}");
    }
    // The credentials were sent, though.
    let req = &server.requests()[0];
    assert_eq!(req.header("x-api-key"), Some(TEST_API_KEY));
    assert_eq!(
        req.header("authorization").map(str::to_owned),
        Some(format!("Bearer {secret_token}"))
    );
    assert!(texts[1].contains("Client"), "{}", texts[1]);
}

// ---- bounded responses ----------------------------------------------------------

const MIB: u64 = 1024 * 1024;

/// A `Skill` JSON body padded with trailing spaces (still valid JSON) to exactly `len` bytes.
fn skill_body_of_len(id: &str, len: u64) -> bytes::Bytes {
    let mut body = skill_json(id).to_string().into_bytes();
    let len = usize::try_from(len).unwrap();
    assert!(body.len() <= len, "a skill is {} bytes", body.len());
    body.resize(len, b' ');
    body.into()
}

fn limited(client: &Client, bytes: u64) -> Client {
    client.with_options(anthropic_skills::RequestOptions::new().max_response_bytes(bytes))
}

#[tokio::test]
async fn declared_oversize_body_fails_before_it_is_read() {
    // The server declares 1 GB, sends a few bytes and then holds the connection open:
    // a client that waits for the body would sit there until its timeout.
    let server = TestServer::start([Reply::new(200)
        .header("content-type", "application/json")
        .header("request-id", "req_huge")
        .body("{\"id\":")
        .stall_declaring(1_000_000_000)]);
    let client = server
        .builder()
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = get(&client).await.expect_err("over the default limit");
    let elapsed = started.elapsed();
    let Error::ResponseTooLarge {
        status,
        limit,
        content_length,
        request_id,
    } = &error
    else {
        panic!("expected Error::ResponseTooLarge, got {error:?}");
    };
    assert_eq!(status.as_u16(), 200);
    assert_eq!(*limit, 64 * MIB, "the default limit");
    assert_eq!(*content_length, Some(1_000_000_000));
    assert_eq!(request_id.as_deref(), Some("req_huge"));
    assert!(
        elapsed < Duration::from_secs(2),
        "waited {elapsed:?} for a body"
    );
    assert!(!error.is_retryable());
    assert_eq!(server.requests().len(), 1, "never retried");
    let text = error.to_string();
    assert!(text.contains("exceeds the 64 MiB limit"), "{text}");
    assert!(text.contains("max_response_bytes"), "{text}");
}

#[tokio::test]
async fn endless_chunked_body_stops_at_the_limit() {
    // No Content-Length and no end: only a bounded read returns at all.
    let server = TestServer::start([Reply::new(200)
        .header("content-type", "application/json")
        .body(vec![b' '; 16 * 1024])
        .endless()]);
    let client = limited(&server.client(), MIB);
    let started = Instant::now();
    let error = get(&client).await.expect_err("over the limit");
    let elapsed = started.elapsed();
    assert!(
        matches!(
            error,
            Error::ResponseTooLarge {
                limit: MIB,
                content_length: None,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(elapsed < Duration::from_secs(5), "read for {elapsed:?}");
    assert!(
        error.to_string().contains("exceeds the 1 MiB limit"),
        "{error}"
    );
    assert_eq!(server.requests().len(), 1, "never retried");

    // The connection was dropped, not reused: the next call gets a fresh one.
    server.push(ok_skill("after"));
    assert_eq!(get(&client).await.expect("next call").id, "after");
}

#[tokio::test]
async fn a_per_call_limit_lets_a_big_body_through() {
    let big = skill_body_of_len("big", 3 * MIB);
    let server = TestServer::start([
        Reply::json(200, &serde_json::Value::Null).body(big.clone()),
        Reply::json(200, &serde_json::Value::Null)
            .body(big.clone())
            .chunked(64 * 1024),
        Reply::json(200, &serde_json::Value::Null).body(big.clone()),
        Reply::json(200, &serde_json::Value::Null)
            .body(big.clone())
            .chunked(64 * 1024),
    ]);
    let small = limited(&server.client(), MIB);
    for framing in ["content-length", "chunked"] {
        let error = get(&small).await.expect_err(framing);
        assert!(
            matches!(error, Error::ResponseTooLarge { limit: MIB, .. }),
            "{framing}: {error:?}"
        );
    }
    // Options overlay: the later, larger limit wins for this client's calls.
    let download = limited(&small, 4 * MIB);
    for framing in ["content-length", "chunked"] {
        let skill = get(&download)
            .await
            .unwrap_or_else(|e| panic!("{framing}: {e}"));
        assert_eq!(skill.id, "big");
    }
    assert_eq!(server.requests().len(), 4);
}

#[tokio::test]
async fn a_body_exactly_at_the_limit_passes() {
    let limit = 256 * 1024;
    let exact = skill_body_of_len("exact", limit);
    let one_over = skill_body_of_len("over", limit + 1);
    let reply = |body: &bytes::Bytes| Reply::new(200).body(body.clone());
    let server = TestServer::start([
        reply(&exact),
        reply(&exact).chunked(1000),
        reply(&one_over),
        reply(&one_over).chunked(1000),
        // One chunk that crosses the limit.
        reply(&one_over).chunked(usize::try_from(limit + 1).unwrap()),
    ]);
    let client = limited(&server.client(), limit);
    assert_eq!(
        get(&client).await.expect("exactly at the limit").id,
        "exact"
    );
    assert_eq!(
        get(&client)
            .await
            .expect("exactly at the limit, chunked")
            .id,
        "exact"
    );
    for case in ["declared", "chunked", "one chunk"] {
        let error = get(&client).await.expect_err(case);
        assert!(
            matches!(error, Error::ResponseTooLarge { limit: l, .. } if l == limit),
            "{case}: {error:?}"
        );
    }
}

#[tokio::test]
async fn error_bodies_are_cut_not_refused() {
    // An error status stays an API error (with its status and request id) whatever the
    // size of its body: the body is kept up to 1 MiB, or the call's lower limit.
    let server = TestServer::start([
        Reply::new(502)
            .header("content-type", "text/html")
            .header("request-id", "req_gateway")
            .body(vec![b'x'; 16 * 1024])
            .endless(),
        Reply::new(500).body(vec![b'y'; 5000]),
    ]);
    let client = server.builder().max_retries(0).build().unwrap();
    let error = get(&client).await.expect_err("502");
    let api = error.api_error().expect("an API error");
    assert_eq!(api.status.as_u16(), 502);
    assert_eq!(api.request_id.as_deref(), Some("req_gateway"));
    assert_eq!(api.body.len() as u64, MIB);
    assert!(error.is_retryable(), "a 502 keeps its retry decision");

    let error = get(&limited(&client, 1000)).await.expect_err("500");
    let api = error.api_error().expect("an API error");
    assert_eq!(api.status.as_u16(), 500);
    assert_eq!(api.body.len(), 1000);
}

// ---- redirects ------------------------------------------------------------------

#[tokio::test]
async fn cross_origin_redirect_is_an_error_and_credentials_stay_home() {
    let bearer = "tok-SECRET-redirect-4242";
    // Another port is another origin; it would answer if asked.
    let elsewhere = TestServer::start(std::iter::repeat_n(ok_skill("elsewhere"), 10));
    let target = format!("{}/v1/skills/skill_1?beta=true", elsewhere.url());
    let statuses = [301, 302, 303, 307, 308];
    let server = TestServer::start(statuses.map(|s| {
        Reply::new(s)
            .header("location", &target)
            .header("request-id", "req_moved")
    }));
    let client = server.builder().bearer_token(bearer).build().unwrap();
    for status in statuses {
        let error = get(&client).await.expect_err("not followed");
        let Error::Redirect {
            status: got,
            location,
            request_id,
        } = &error
        else {
            panic!("expected Error::Redirect, got {error:?}");
        };
        assert_eq!(got.as_u16(), status);
        assert_eq!(location.as_deref(), Some(target.as_str()));
        assert_eq!(request_id.as_deref(), Some("req_moved"));
        assert!(!error.is_retryable());
        let text = error.to_string();
        assert!(text.contains(&target), "{text}");
        assert!(text.contains(&status.to_string()), "{text}");
        assert!(!text.contains("decode"), "{text}");
    }
    assert!(
        elsewhere.requests().is_empty(),
        "the other origin was contacted: {:?}",
        elsewhere.requests()
    );
    let requests = server.requests();
    assert_eq!(
        requests.len(),
        statuses.len(),
        "one attempt each, no retries"
    );
    assert_eq!(requests[0].header("x-api-key"), Some(TEST_API_KEY));
    assert_eq!(
        requests[0].header("authorization").map(str::to_owned),
        Some(format!("Bearer {bearer}"))
    );
}

#[tokio::test]
async fn same_origin_redirects_are_followed() {
    let server = TestServer::start([
        Reply::new(302).header("location", "/v1/skills/moved?beta=true"),
        ok_skill("moved"),
    ]);
    let absolute = format!("{}/v1/skills/again?beta=true", server.url());
    server.push(Reply::new(308).header("location", &absolute));
    server.push(ok_skill("again"));
    let client = server.client();
    assert_eq!(get(&client).await.expect("followed").id, "moved");
    assert_eq!(get(&client).await.expect("followed").id, "again");
    let requests = server.requests();
    let paths: Vec<&str> = requests.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "/v1/skills/skill_1",
            "/v1/skills/moved",
            "/v1/skills/skill_1",
            "/v1/skills/again"
        ]
    );
    // Same origin: the key goes along.
    assert_eq!(requests[1].header("x-api-key"), Some(TEST_API_KEY));
    assert_eq!(requests[3].header("x-api-key"), Some(TEST_API_KEY));
}

#[tokio::test]
async fn a_redirect_loop_ends_in_a_redirect_error() {
    let server = TestServer::start(std::iter::repeat_n(
        Reply::new(302).header("location", "/v1/skills/loop"),
        20,
    ));
    let error = get(&server.client()).await.expect_err("loop");
    let Error::Redirect {
        status, location, ..
    } = &error
    else {
        panic!("expected Error::Redirect, got {error:?}");
    };
    assert_eq!(status.as_u16(), 302);
    assert_eq!(location.as_deref(), Some("/v1/skills/loop"));
    // The request and 10 hops, then the error; not retried.
    assert_eq!(server.requests().len(), 11);
}
