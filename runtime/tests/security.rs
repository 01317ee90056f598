//! Path encoding, header injection and credential redaction.

mod common;

use common::{PROFILE, Reply, TestServer};
use sdk_runtime::http::Method;
use sdk_runtime::{Client, Error, Request, RequestOptions, check_path_param, encode_path_segment};

const KEY: &str = "sk-SECRET-key-0123456789";
const TOKEN: &str = "tok-SECRET-bearer-9876";

#[tokio::test]
async fn path_parameters_cannot_change_the_path() {
    let cases = [
        ("../x", "..%2Fx"),
        ("a/b", "a%2Fb"),
        ("a b", "a%20b"),
        ("ü", "%C3%BC"),
        ("a?b#c", "a%3Fb%23c"),
    ];
    let server = TestServer::start(cases.iter().map(|_| Reply::json(200, "{}")).collect()).await;
    let c = Client::builder(&PROFILE)
        .base_url(server.url())
        .build()
        .unwrap();
    for (raw, _) in cases {
        check_path_param("skill_id", raw).unwrap();
        let path = format!("/v1/skills/{}/versions", encode_path_segment(raw));
        c.execute(Request::new(Method::GET, path)).await.unwrap();
    }
    let seen = server.requests();
    assert_eq!(seen.len(), cases.len());
    for ((_, encoded), r) in cases.iter().zip(&seen) {
        assert_eq!(r.path, format!("/v1/skills/{encoded}/versions"));
        assert_eq!(r.query, None);
    }
}

#[tokio::test]
async fn dot_segments_and_empty_params_are_refused() {
    let server = TestServer::start(vec![Reply::json(200, "{}")]).await;
    let c = Client::builder(&PROFILE)
        .base_url(server.url())
        .build()
        .unwrap();
    assert!(
        matches!(check_path_param("skill_id", ""), Err(Error::InvalidArgument(m)) if m.contains("skill_id"))
    );
    assert!(matches!(
        check_path_param("skill_id", ".."),
        Err(Error::InvalidArgument(_))
    ));
    assert_eq!(encode_path_segment(".."), "%2E%2E");
    assert_eq!(encode_path_segment("."), "%2E");
    // URL parsers resolve `%2E%2E` like `..`, so such paths are never sent.
    for segment in ["..", ".", "%2E%2E", "%2e", ".%2E"] {
        let path = format!("/v1/skills/{segment}/versions");
        let err = c
            .execute(Request::new(Method::DELETE, path))
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::InvalidArgument(_)),
            "{segment}: {err:?}"
        );
    }
    let err = c
        .execute(Request::new(Method::GET, "/v1/a b".into()))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidArgument(_)));
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn header_injection_is_refused_before_sending() {
    let server = TestServer::start(vec![Reply::json(200, "{}"); 5]).await;
    let c = Client::builder(&PROFILE)
        .base_url(server.url())
        .build()
        .unwrap();

    for value in ["a\nb", "a\rb", "a\r\nx-injected: 1"] {
        let mut req = Request::new(Method::GET, "/v1/x".into());
        req.header("x-custom", value.into());
        let err = c.execute(req).await.unwrap_err();
        assert!(matches!(err, Error::InvalidArgument(_)), "{err:?}");
    }

    let mut req = Request::new(Method::GET, "/v1/x".into());
    req.list_header("x-list", vec!["ok".into(), "bad\nvalue".into()], &[]);
    assert!(matches!(
        c.execute(req).await,
        Err(Error::InvalidArgument(_))
    ));

    let with_bad_option = c.with_options(RequestOptions::new().header("x-opt", "a\nb"));
    let err = with_bad_option
        .execute(Request::new(Method::GET, "/v1/x".into()))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidArgument(_)));

    let mut req = Request::new(Method::GET, "/v1/x".into());
    req.cookie("session", "a; admin=1".into());
    assert!(matches!(
        c.execute(req).await,
        Err(Error::InvalidArgument(_))
    ));

    let mut req = Request::new(Method::GET, "/v1/x".into());
    req.header("bad header name", "v".into());
    assert!(matches!(
        c.execute(req).await,
        Err(Error::InvalidArgument(_))
    ));

    let bad_key = Client::builder(&PROFILE)
        .api_key(format!("{KEY}\nx-injected: 1"))
        .build();
    match bad_key {
        Err(Error::InvalidArgument(m)) => assert!(!m.contains(KEY), "{m}"),
        other => panic!("expected InvalidArgument, got {other:?}"),
    }

    assert!(server.requests().is_empty(), "nothing may be sent");
}

#[tokio::test]
async fn credentials_never_appear_in_debug_or_errors() {
    let server = TestServer::start(vec![
        Reply::json(401, r#"{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}"#)
            .header("request-id", "req_auth"),
        Reply::HeadersThenClose { status: 200 },
    ])
    .await;
    let builder = Client::builder(&PROFILE)
        .base_url(server.url())
        .api_key(KEY)
        .bearer_token(TOKEN)
        .max_retries(0);
    let builder_debug = format!("{builder:?}");
    assert!(builder_debug.contains("REDACTED"), "{builder_debug}");
    let c = builder.build().unwrap();
    let client_debug = format!(
        "{c:?} {:?}",
        c.with_options(RequestOptions::new().header("x-opt", KEY))
    );
    assert!(client_debug.contains("x-api-key"), "{client_debug}");

    let api_err = c
        .execute(Request::new(Method::GET, "/v1/x".into()))
        .await
        .unwrap_err();
    assert!(api_err.api_error().is_some());
    let conn_err = c
        .execute(Request::new(Method::GET, "/v1/x".into()))
        .await
        .unwrap_err();
    assert!(matches!(conn_err, Error::Connection { .. }), "{conn_err:?}");

    // The credentials really were sent...
    let seen = server.requests();
    assert_eq!(seen[0].header("x-api-key"), Some(KEY));
    assert_eq!(
        seen[0].header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );

    // ...but show up nowhere a person or a log would see them.
    let rendered = [
        builder_debug,
        client_debug,
        api_err.to_string(),
        format!("{api_err:?}"),
        conn_err.to_string(),
        format!("{conn_err:?}"),
        format!("{:?}", std::error::Error::source(&conn_err)),
    ];
    for text in rendered {
        assert!(
            !text.contains(KEY) && !text.contains(TOKEN),
            "leaked: {text}"
        );
    }
}
