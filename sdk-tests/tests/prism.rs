//! Every operation of the generated client, and the example program, against the
//! Prism mock server built from `spec/` (Anthropic's document with the overlay applied).
//!
//! Prism starts once for this binary: one test function runs every case in turn
//! (each in its own task, so one failing case does not hide the others) and the
//! server is killed when it returns.

use std::future::Future;
use std::path::Path;
use std::pin::Pin;
use std::process::Output;

use anthropic_skills::{
    AnthropicBeta, Client, CreateSkillParams, CreateSkillRequest, CreateSkillVersionParams,
    CreateSkillVersionRequest, DeleteSkillParams, DeleteSkillVersionParams, Error, ErrorResponse,
    ErrorResponseError, GetSkillParams, GetSkillVersionParams, ListSkillVersionsParams,
    ListSkillsParams, RequestOptions, upload,
};
use futures::TryStreamExt;
use sdk_tests::{Prism, Reply, TEST_API_KEY, TestServer, error_json, write_skill_dir};

const SKILL_ID: &str = "skill_01JAbcdefghijklmnopqrstuvw";
const VERSION: &str = "1759178010641129";

type Case = Pin<Box<dyn Future<Output = ()> + Send>>;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prism_suite() {
    let prism = Prism::start();
    let url = prism.url().to_owned();
    let client = prism.client();

    let cases: Vec<(&str, Case)> = vec![
        ("create_skill", Box::pin(create_skill(client.clone()))),
        ("list_skills", Box::pin(list_skills(client.clone()))),
        (
            "list_skills_stream",
            Box::pin(list_skills_stream(client.clone())),
        ),
        ("get_skill", Box::pin(get_skill(client.clone()))),
        ("delete_skill", Box::pin(delete_skill(client.clone()))),
        (
            "create_skill_version",
            Box::pin(create_skill_version(client.clone())),
        ),
        (
            "list_skill_versions",
            Box::pin(list_skill_versions(client.clone())),
        ),
        (
            "get_skill_version",
            Box::pin(get_skill_version(client.clone())),
        ),
        (
            "delete_skill_version",
            Box::pin(delete_skill_version(client.clone())),
        ),
        ("with_response", Box::pin(with_response(client.clone()))),
        ("betas_accepted", Box::pin(betas_accepted(client.clone()))),
        ("error_404", Box::pin(error_404(client.clone()))),
        ("example_program", Box::pin(example_program(url.clone()))),
        (
            "example_program_errors",
            Box::pin(example_program_errors(url.clone())),
        ),
    ];
    let mut failed = Vec::new();
    for (name, case) in cases {
        if tokio::spawn(case).await.is_err() {
            // The panic message is already on stderr.
            failed.push(name);
        }
    }
    let mut prism = prism;
    assert!(
        prism.is_running(),
        "Prism crashed during the tests; its output:\n{}",
        prism.output()
    );
    assert!(
        failed.is_empty(),
        "failed Prism cases: {failed:?}\nPrism output (last lines):\n{}",
        prism.output()
    );
}

async fn create_skill(client: Client) {
    let dir = tempfile::tempdir().unwrap();
    let skill_dir = write_skill_dir(dir.path());
    let files = upload::from_dir(&skill_dir).unwrap();
    let names: Vec<&str> = files.iter().map(|f| f.file_name.as_str()).collect();
    assert_eq!(names, ["my-skill/SKILL.md", "my-skill/scripts/run.py"]);

    let skill = client
        .create_skill(
            CreateSkillParams::default(),
            CreateSkillRequest {
                display_title: Some("My Custom Skill".into()),
                files: files.clone(),
            },
        )
        .await
        .expect("create_skill");
    assert!(skill.id.starts_with("skill_"), "{skill:?}");
    assert_eq!(skill.r#type, "skill");

    // Without a title: the part is left out, which the spec allows.
    let skill = client
        .create_skill(
            CreateSkillParams::default(),
            CreateSkillRequest {
                display_title: None,
                files,
            },
        )
        .await
        .expect("create_skill without display_title");
    assert_eq!(skill.r#type, "skill");
}

async fn list_skills(client: Client) {
    let page = client
        .list_skills(ListSkillsParams {
            limit: Some(5),
            source: Some("custom".into()),
            ..Default::default()
        })
        .await
        .expect("list_skills");
    assert!(!page.data.is_empty());
    assert!(page.data.iter().all(|s| s.r#type == "skill"));
}

async fn list_skills_stream(client: Client) {
    let page = client
        .list_skills(ListSkillsParams::default())
        .await
        .expect("list_skills");
    let all: Vec<_> = client
        .list_skills_stream(ListSkillsParams::default())
        .try_collect()
        .await
        .expect("list_skills_stream");
    // Prism answers every page with the same example, `next_page` included: the stream
    // follows it once, sees the cursor come back and stops (the fault tests walk real
    // pages).
    assert!(all.starts_with(&page.data), "{all:?}");
    assert_eq!(all.len() % page.data.len(), 0);
}

async fn get_skill(client: Client) {
    let skill = client
        .get_skill(SKILL_ID, GetSkillParams::default())
        .await
        .expect("get_skill");
    assert_eq!(skill.id, SKILL_ID);
    assert!(skill.latest_version.is_some());
}

async fn delete_skill(client: Client) {
    let deleted = client
        .delete_skill(SKILL_ID, DeleteSkillParams::default())
        .await
        .expect("delete_skill");
    assert_eq!(deleted.r#type, "skill_deleted");
    assert!(!deleted.id.is_empty());
}

async fn create_skill_version(client: Client) {
    let dir = tempfile::tempdir().unwrap();
    let files = upload::from_dir(write_skill_dir(dir.path())).unwrap();
    let version = client
        .create_skill_version(
            SKILL_ID,
            CreateSkillVersionParams::default(),
            CreateSkillVersionRequest { files },
        )
        .await
        .expect("create_skill_version");
    assert_eq!(version.r#type, "skill_version");
    assert!(!version.version.is_empty());
}

async fn list_skill_versions(client: Client) {
    let page = client
        .list_skill_versions(
            SKILL_ID,
            ListSkillVersionsParams {
                limit: Some(10),
                ..Default::default()
            },
        )
        .await
        .expect("list_skill_versions");
    assert!(!page.data.is_empty());
    let all: Vec<_> = client
        .list_skill_versions_stream(SKILL_ID, ListSkillVersionsParams::default())
        .try_collect()
        .await
        .expect("list_skill_versions_stream");
    assert!(all.starts_with(&page.data), "{all:?}");
    assert_eq!(all.len() % page.data.len(), 0);
}

async fn get_skill_version(client: Client) {
    let version = client
        .get_skill_version(SKILL_ID, VERSION, GetSkillVersionParams::default())
        .await
        .expect("get_skill_version");
    assert_eq!(version.version, VERSION);
    assert_eq!(version.r#type, "skill_version");
}

async fn delete_skill_version(client: Client) {
    let deleted = client
        .delete_skill_version(SKILL_ID, VERSION, DeleteSkillVersionParams::default())
        .await
        .expect("delete_skill_version");
    assert_eq!(deleted.r#type, "skill_version_deleted");
    assert_eq!(deleted.id, VERSION);
}

async fn with_response(client: Client) {
    let response = client
        .get_skill_with_response(SKILL_ID, GetSkillParams::default())
        .await
        .expect("get_skill_with_response");
    assert_eq!(response.status.as_u16(), 200);
    let request_id = response.request_id.as_deref().expect("request id");
    assert!(request_id.starts_with("req_"), "{request_id}");
    assert!(response.headers.contains_key("request-id"));
    assert_eq!(response.value.id, SKILL_ID);

    let response = client
        .list_skills_with_response(ListSkillsParams::default())
        .await
        .expect("list_skills_with_response");
    assert_eq!(response.status.as_u16(), 200);
    assert!(response.request_id.is_some());
    assert!(!response.into_inner().data.is_empty());
}

async fn betas_accepted(client: Client) {
    // Caller betas, known and unknown, are sent with skills-2025-10-02 in one header;
    // Prism validates the header against the spec's open enum.
    let skill = client
        .get_skill(
            SKILL_ID,
            GetSkillParams {
                anthropic_beta: Some(vec![
                    AnthropicBeta::FilesApi20250414,
                    AnthropicBeta::from("future-beta-2030-01-01"),
                ]),
            },
        )
        .await
        .expect("get_skill with betas");
    assert_eq!(skill.id, SKILL_ID);
}

async fn error_404(client: Client) {
    let client = client.with_options(RequestOptions::new().header("Prefer", "code=404"));
    let error = client
        .get_skill(SKILL_ID, GetSkillParams::default())
        .await
        .expect_err("Prism was asked for a 404");
    let Error::Api(api) = &error else {
        panic!("expected Error::Api, got {error:?}");
    };
    assert_eq!(api.status.as_u16(), 404);
    // Prism answers with the spec's error example.
    assert_eq!(api.error_type.as_deref(), Some("invalid_request_error"));
    assert!(api.message.as_deref().is_some_and(|m| !m.is_empty()));
    assert!(
        api.request_id
            .as_deref()
            .is_some_and(|id| id.starts_with("req_"))
    );
    let body: ErrorResponse = api.json().expect("error body decodes as ErrorResponse");
    assert!(
        matches!(body.error, ErrorResponseError::BetaInvalidRequestError(_)),
        "{body:?}"
    );
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    assert!(!error.is_retryable());
    let text = error.to_string();
    assert!(
        text.contains("404") && text.contains("invalid_request_error"),
        "{text}"
    );
}

// ---- the example program ---------------------------------------------------------

/// Runs the example program (built from `generated/examples/skills.rs`) against `url`.
fn run_example(url: &str, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_skills-example"))
        .args(args)
        .env("ANTHROPIC_BASE_URL", url)
        .env("ANTHROPIC_API_KEY", TEST_API_KEY)
        .env_remove("ANTHROPIC_AUTH_TOKEN")
        .output()
        .expect("run the example program")
}

/// Runs the example, expects success, and parses its stdout as one JSON value.
fn example_json(url: &str, args: &[&str]) -> serde_json::Value {
    let out = run_example(url, args);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "skills {args:?} failed ({}):\nstdout: {stdout}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("skills {args:?} printed no JSON ({e}): {stdout}"))
}

/// Runs the example, expects success, and parses every stdout line as a JSON object.
fn example_json_lines(url: &str, args: &[&str]) -> Vec<serde_json::Value> {
    let out = run_example(url, args);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "skills {args:?} failed ({}):\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
        .lines()
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("line {line:?} of skills {args:?} is not JSON: {e}"));
            assert!(value.is_object(), "{line}");
            value
        })
        .collect()
}

async fn example_program(url: String) {
    tokio::task::spawn_blocking(move || {
        let page = example_json(&url, &["list"]);
        assert!(
            page["data"].as_array().is_some_and(|d| !d.is_empty()),
            "{page}"
        );

        let page = example_json(&url, &["list", "--source", "custom", "--limit", "5"]);
        assert!(page["data"].is_array(), "{page}");

        let items = example_json_lines(&url, &["list", "--all"]);
        let per_page = page["data"].as_array().unwrap().len();
        assert!(
            !items.is_empty() && items.len() % per_page == 0,
            "{items:?}"
        );
        assert!(items.iter().all(|s| s["type"] == "skill"));

        let skill = example_json(&url, &["get", SKILL_ID]);
        assert_eq!(skill["id"], SKILL_ID);

        let dir = tempfile::tempdir().unwrap();
        let skill_dir = write_skill_dir(dir.path());
        let skill_dir = skill_dir.to_str().unwrap();
        let created = example_json(&url, &["create", skill_dir, "--title", "My Custom Skill"]);
        assert_eq!(created["type"], "skill");
        let created = example_json(&url, &["create", skill_dir]);
        assert_eq!(created["type"], "skill");

        let deleted = example_json(&url, &["delete", SKILL_ID]);
        assert_eq!(deleted["type"], "skill_deleted");

        let versions = example_json(&url, &["versions", "list", SKILL_ID]);
        assert!(
            versions["data"].as_array().is_some_and(|d| !d.is_empty()),
            "{versions}"
        );
        let items = example_json_lines(&url, &["versions", "list", SKILL_ID, "--all"]);
        assert!(!items.is_empty() && items.iter().all(|v| v["type"] == "skill_version"));

        let version = example_json(&url, &["versions", "create", SKILL_ID, skill_dir]);
        assert_eq!(version["type"], "skill_version");
        let version = example_json(&url, &["versions", "get", SKILL_ID, VERSION]);
        assert_eq!(version["version"], VERSION);
        let deleted = example_json(&url, &["versions", "delete", SKILL_ID, VERSION]);
        assert_eq!(deleted["type"], "skill_version_deleted");
    })
    .await
    .unwrap();
}

async fn example_program_errors(url: String) {
    tokio::task::spawn_blocking(move || {
        // A base URL under which no route exists: Prism answers 404.
        let out = run_example(&format!("{url}/no-such-prefix"), &["get", SKILL_ID]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
        assert!(out.stdout.is_empty(), "nothing on stdout on failure");
        assert!(stderr.contains("404"), "{stderr}");
        assert!(stderr.contains("status:"), "{stderr}");
        assert!(!stderr.contains(TEST_API_KEY), "{stderr}");

        // An API error envelope: status, type, message and request id all on stderr.
        let server = TestServer::start([Reply::json(
            404,
            &error_json("not_found_error", "Skill not found", Some("req_body")),
        )
        .header("request-id", "req_0123")]);
        let out = run_example(&server.url(), &["get", "skill_missing"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
        for needle in ["404", "not_found_error", "Skill not found", "req_0123"] {
            assert!(
                stderr.contains(needle),
                "`{needle}` missing from stderr: {stderr}"
            );
        }
        assert!(!stderr.contains(TEST_API_KEY), "{stderr}");
        assert_eq!(server.requests().len(), 1, "404 is not retried");
        assert_eq!(server.requests()[0].path, "/v1/skills/skill_missing");

        // A folder that does not exist for `create`: an I/O error naming it.
        let missing = Path::new("/nonexistent/dir/my-skill");
        let out = run_example(&url, &["create", missing.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
        assert!(stderr.contains("/nonexistent/dir/my-skill"), "{stderr}");

        // Usage errors exit 2.
        for args in [
            &[][..],
            &["frobnicate"][..],
            &["get"][..],
            &["get", "a", "b"][..],
            &["list", "--limit", "zero"][..],
            &["list", "--bogus"][..],
            &["versions"][..],
            &["versions", "get", SKILL_ID][..],
        ] {
            let out = run_example(&url, args);
            assert_eq!(
                out.status.code(),
                Some(2),
                "skills {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(out.stdout.is_empty());
        }
        let out = run_example(&url, &["--help"]);
        assert!(out.status.success());
        assert!(String::from_utf8_lossy(&out.stdout).contains("usage"));
    })
    .await
    .unwrap();
}
