//! `ClientBuilder::from_env`. Its own test binary: it mutates the process
//! environment, which must not race with other tests reading it.

mod common;

use common::{Reply, TestServer};
use sdk_runtime::http::Method;
use sdk_runtime::{ApiKeyScheme, Client, Profile, Request};

static ENV_PROFILE: Profile = Profile {
    default_base_url: "http://127.0.0.1:9",
    base_url_env: Some("SDK_RUNTIME_TEST_BASE_URL"),
    api_key: Some(ApiKeyScheme {
        header: "x-api-key",
        env: Some("SDK_RUNTIME_TEST_API_KEY"),
    }),
    bearer_env: Some("SDK_RUNTIME_TEST_BEARER"),
    request_id_header: None,
    retry_count_header: None,
    error_type_pointer: None,
    error_message_pointer: None,
    user_agent: "env-test/1",
};

#[tokio::test]
async fn from_env_reads_base_url_api_key_and_bearer() {
    let server = TestServer::start(vec![
        Reply::json(200, "{}"),
        Reply::json(200, "{}"),
        Reply::json(200, "{}"),
    ])
    .await;
    // SAFETY: the only test in this binary, so no other thread reads the environment now.
    unsafe {
        std::env::set_var("SDK_RUNTIME_TEST_BASE_URL", server.url());
        std::env::set_var("SDK_RUNTIME_TEST_BEARER", "env-token");
        std::env::remove_var("SDK_RUNTIME_TEST_API_KEY");
    }
    let c = Client::builder(&ENV_PROFILE).build().unwrap();
    assert_eq!(
        c.base_url(),
        "http://127.0.0.1:9",
        "new() must not read the environment"
    );

    let c = sdk_runtime::ClientBuilder::from_env(&ENV_PROFILE)
        .build()
        .unwrap();
    assert_eq!(c.base_url(), server.url());
    c.execute(Request::new(Method::GET, "/v1/me".into()))
        .await
        .unwrap();

    // SAFETY: as above.
    unsafe {
        std::env::set_var("SDK_RUNTIME_TEST_API_KEY", "env-key");
        std::env::set_var("SDK_RUNTIME_TEST_BEARER", "  ");
    }
    let c = sdk_runtime::ClientBuilder::from_env(&ENV_PROFILE)
        .build()
        .unwrap();
    c.execute(Request::new(Method::GET, "/v1/me".into()))
        .await
        .unwrap();

    // Explicit settings override the environment.
    let c = sdk_runtime::ClientBuilder::from_env(&ENV_PROFILE)
        .api_key("explicit-key")
        .build()
        .unwrap();
    c.execute(Request::new(Method::GET, "/v1/me".into()))
        .await
        .unwrap();

    let seen = server.requests();
    assert_eq!(seen.len(), 3);
    assert_eq!(seen[0].header("authorization"), Some("Bearer env-token"));
    assert_eq!(seen[0].header("x-api-key"), None);
    assert_eq!(seen[0].header("user-agent"), Some("env-test/1"));
    assert_eq!(seen[1].header("x-api-key"), Some("env-key"));
    assert_eq!(
        seen[1].header("authorization"),
        None,
        "blank variables are ignored"
    );
    assert_eq!(seen[2].header("x-api-key"), Some("explicit-key"));
}
