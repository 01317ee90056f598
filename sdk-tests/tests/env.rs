//! Configuration from the environment (`Client::from_env`).
//!
//! Environment variables are process-global, so this binary holds a single test
//! that changes them step by step; nothing else runs concurrently with it.

use anthropic_skills::{Client, GetSkillParams};
use sdk_tests::{Reply, TestServer, skill_json};

const VARS: [&str; 3] = [
    "ANTHROPIC_API_KEY",
    "ANTHROPIC_BASE_URL",
    "ANTHROPIC_AUTH_TOKEN",
];

fn set(name: &str, value: &str) {
    // SAFETY: this binary's only test is the only thread touching the environment.
    unsafe { std::env::set_var(name, value) }
}

fn unset(name: &str) {
    // SAFETY: as in `set`.
    unsafe { std::env::remove_var(name) }
}

#[tokio::test]
async fn from_env_reads_key_token_and_base_url() {
    for var in VARS {
        unset(var);
    }
    let server = TestServer::start((0..5).map(|_| Reply::json(200, &skill_json("skill_1"))));
    let get = |client: Client| async move {
        client
            .get_skill("skill_1", GetSkillParams::default())
            .await
            .expect("get_skill")
    };

    // 1. Key and base URL from the environment.
    set("ANTHROPIC_API_KEY", "env-key-1");
    set("ANTHROPIC_BASE_URL", &server.url());
    let client = Client::from_env().unwrap();
    assert_eq!(client.base_url(), server.url());
    get(client).await;

    // 2. A base URL with a path prefix and a trailing slash.
    set("ANTHROPIC_BASE_URL", &format!("{}/prefix/", server.url()));
    get(Client::from_env().unwrap()).await;

    // 3. Builder calls override what the environment says.
    set("ANTHROPIC_BASE_URL", "http://127.0.0.1:9/unused");
    let client = Client::builder_from_env()
        .base_url(server.url())
        .api_key("explicit-key")
        .build()
        .unwrap();
    get(client).await;

    // 4. A bearer token from ANTHROPIC_AUTH_TOKEN.
    unset("ANTHROPIC_API_KEY");
    set("ANTHROPIC_AUTH_TOKEN", "env-token");
    set("ANTHROPIC_BASE_URL", &server.url());
    get(Client::from_env().unwrap()).await;

    // 5. `Client::builder()` reads nothing from the environment.
    set("ANTHROPIC_API_KEY", "env-key-ignored");
    let client = Client::builder().base_url(server.url()).build().unwrap();
    get(client).await;

    let requests = server.requests();
    assert_eq!(requests.len(), 5);
    assert_eq!(requests[0].path, "/v1/skills/skill_1");
    assert_eq!(requests[0].header("x-api-key"), Some("env-key-1"));
    assert_eq!(requests[0].header("authorization"), None);

    assert_eq!(requests[1].path, "/prefix/v1/skills/skill_1");
    assert_eq!(requests[1].header("x-api-key"), Some("env-key-1"));

    assert_eq!(requests[2].path, "/v1/skills/skill_1");
    assert_eq!(requests[2].header("x-api-key"), Some("explicit-key"));

    assert_eq!(
        requests[3].header("authorization"),
        Some("Bearer env-token")
    );
    assert_eq!(requests[3].header("x-api-key"), None);

    assert_eq!(requests[4].header("x-api-key"), None);
    assert_eq!(requests[4].header("authorization"), None);

    // Without ANTHROPIC_BASE_URL the spec's server is the default.
    unset("ANTHROPIC_BASE_URL");
    assert_eq!(
        Client::from_env().unwrap().base_url(),
        "https://api.anthropic.com"
    );

    for var in VARS {
        unset(var);
    }
}
