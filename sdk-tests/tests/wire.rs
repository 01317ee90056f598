//! What the generated client puts on the wire: headers, query strings, paths and
//! multipart bodies, as recorded by a local server.

use anthropic_skills::{
    AnthropicBeta, Client, CreateSkillParams, CreateSkillRequest, CreateSkillVersionParams,
    CreateSkillVersionRequest, DeleteSkillParams, DeleteSkillVersionParams, Error, GetSkillParams,
    GetSkillVersionParams, ListSkillVersionsParams, ListSkillsParams, RequestOptions, upload,
};
use sdk_tests::{
    RecordedRequest, Reply, SKILL_FILES, TEST_API_KEY, TestServer, page_json, parse_multipart,
    skill_json, skill_version_json, write_skill_dir,
};

fn ok_skill() -> Reply {
    Reply::json(200, &skill_json("skill_1"))
}

fn only_request(server: &TestServer) -> RecordedRequest {
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "{requests:#?}");
    requests.into_iter().next().unwrap()
}

#[tokio::test]
async fn default_headers() {
    let server = TestServer::start([ok_skill()]);
    server
        .client()
        .get_skill("skill_1", GetSkillParams::default())
        .await
        .unwrap();
    let req = only_request(&server);
    assert_eq!(req.method, "GET");
    assert_eq!(req.path, "/v1/skills/skill_1");
    // The published path is `/v1/skills/{skill_id}?beta=true`, as the official SDKs call it.
    assert_eq!(req.query.as_deref(), Some("beta=true"));
    assert_eq!(req.header("x-api-key"), Some(TEST_API_KEY));
    assert_eq!(req.header("authorization"), None);
    assert_eq!(req.header_values("anthropic-version"), ["2023-06-01"]);
    assert_eq!(req.header_values("anthropic-beta"), ["skills-2025-10-02"]);
    // The crate's version moves with its API (see generated/CHANGELOG.md).
    let manifest = include_str!("../../generated/Cargo.toml");
    let version = manifest
        .lines()
        .find_map(|line| line.strip_prefix("version = "))
        .expect("the generated crate has a version")
        .trim_matches('"');
    assert_eq!(
        req.header("user-agent"),
        Some(format!("anthropic-skills/{version}").as_str())
    );
    assert_eq!(req.header("accept"), Some("application/json"));
    assert_eq!(req.header("x-stainless-retry-count"), Some("0"));
    assert_eq!(req.header("content-type"), None);
    assert!(req.body.is_empty());
}

/// Sends `get_skill` with `betas` and returns the `anthropic-beta` header lines.
async fn beta_header(betas: Option<Vec<AnthropicBeta>>, options: RequestOptions) -> Vec<String> {
    let server = TestServer::start([ok_skill()]);
    server
        .client()
        .with_options(options)
        .get_skill(
            "skill_1",
            GetSkillParams {
                anthropic_beta: betas,
            },
        )
        .await
        .unwrap();
    let req = only_request(&server);
    req.header_values("anthropic-beta")
        .into_iter()
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn beta_header_is_one_joined_list() {
    let none = RequestOptions::new;
    assert_eq!(beta_header(None, none()).await, ["skills-2025-10-02"]);
    assert_eq!(
        beta_header(Some(vec![]), none()).await,
        ["skills-2025-10-02"]
    );
    assert_eq!(
        beta_header(Some(vec![AnthropicBeta::FilesApi20250414]), none()).await,
        ["files-api-2025-04-14,skills-2025-10-02"]
    );
    // Unknown betas pass through untouched, in the caller's order.
    assert_eq!(
        beta_header(
            Some(vec![
                AnthropicBeta::from("future-beta-2030-01-01"),
                AnthropicBeta::PromptCaching20240731,
            ]),
            none()
        )
        .await,
        ["future-beta-2030-01-01,prompt-caching-2024-07-31,skills-2025-10-02"]
    );
    // The skills beta is not sent twice when the caller already names it.
    assert_eq!(
        beta_header(
            Some(vec![
                AnthropicBeta::Skills20251002,
                AnthropicBeta::FilesApi20250414
            ]),
            none()
        )
        .await,
        ["skills-2025-10-02,files-api-2025-04-14"]
    );
    // Values appended through options join the same header.
    assert_eq!(
        beta_header(
            Some(vec![AnthropicBeta::FilesApi20250414]),
            RequestOptions::new().append_header_value("anthropic-beta", "extra-2031-01-01")
        )
        .await,
        ["files-api-2025-04-14,extra-2031-01-01,skills-2025-10-02"]
    );
}

#[tokio::test]
async fn beta_header_on_every_operation() {
    let dir = tempfile::tempdir().unwrap();
    let files = upload::from_dir(write_skill_dir(dir.path())).unwrap();
    let betas = || Some(vec![AnthropicBeta::FilesApi20250414]);
    let page = page_json(vec![], None);
    let server = TestServer::start([
        Reply::json(200, &page),
        ok_skill(),
        ok_skill(),
        Reply::json(
            200,
            &serde_json::json!({"id": "skill_1", "type": "skill_deleted"}),
        ),
        Reply::json(200, &page),
        Reply::json(200, &skill_version_json("skill_1", "1")),
        Reply::json(200, &skill_version_json("skill_1", "1")),
        Reply::json(
            200,
            &serde_json::json!({"id": "1", "type": "skill_version_deleted"}),
        ),
    ]);
    let c = server.client();
    let betas_list = ListSkillsParams {
        anthropic_beta: betas(),
        ..Default::default()
    };
    c.list_skills(betas_list).await.unwrap();
    let body = CreateSkillRequest {
        display_title: None,
        files: files.clone(),
    };
    c.create_skill(
        CreateSkillParams {
            anthropic_beta: betas(),
        },
        body,
    )
    .await
    .unwrap();
    c.get_skill(
        "skill_1",
        GetSkillParams {
            anthropic_beta: betas(),
        },
    )
    .await
    .unwrap();
    c.delete_skill(
        "skill_1",
        DeleteSkillParams {
            anthropic_beta: betas(),
        },
    )
    .await
    .unwrap();
    let versions = ListSkillVersionsParams {
        anthropic_beta: betas(),
        ..Default::default()
    };
    c.list_skill_versions("skill_1", versions).await.unwrap();
    c.create_skill_version(
        "skill_1",
        CreateSkillVersionParams {
            anthropic_beta: betas(),
        },
        CreateSkillVersionRequest { files },
    )
    .await
    .unwrap();
    c.get_skill_version(
        "skill_1",
        "1",
        GetSkillVersionParams {
            anthropic_beta: betas(),
        },
    )
    .await
    .unwrap();
    c.delete_skill_version(
        "skill_1",
        "1",
        DeleteSkillVersionParams {
            anthropic_beta: betas(),
        },
    )
    .await
    .unwrap();

    let seen: Vec<(String, String)> = server
        .requests()
        .iter()
        .map(|r| (r.method.clone(), r.path.clone()))
        .collect();
    let expected = [
        ("GET", "/v1/skills"),
        ("POST", "/v1/skills"),
        ("GET", "/v1/skills/skill_1"),
        ("DELETE", "/v1/skills/skill_1"),
        ("GET", "/v1/skills/skill_1/versions"),
        ("POST", "/v1/skills/skill_1/versions"),
        ("GET", "/v1/skills/skill_1/versions/1"),
        ("DELETE", "/v1/skills/skill_1/versions/1"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    assert_eq!(seen, expected);
    for req in server.requests() {
        assert_eq!(
            req.header_values("anthropic-beta"),
            ["files-api-2025-04-14,skills-2025-10-02"],
            "{} {}",
            req.method,
            req.path
        );
        assert_eq!(req.header_values("anthropic-version"), ["2023-06-01"]);
        assert_eq!(req.header("x-api-key"), Some(TEST_API_KEY));
    }
}

#[tokio::test]
async fn list_query_string() {
    let page = page_json(vec![skill_json("skill_1")], None);
    let server = TestServer::start([Reply::json(200, &page), Reply::json(200, &page)]);
    let client = server.client();
    client
        .list_skills(ListSkillsParams {
            limit: Some(5),
            source: Some("custom".into()),
            page: Some("page_MjAy+/=&x".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    client
        .list_skills(ListSkillsParams::default())
        .await
        .unwrap();

    let requests = server.requests();
    // The path's own `beta=true` first, then spec order (page, limit, source); reserved
    // characters of the cursor encoded.
    assert_eq!(
        requests[0].query.as_deref(),
        Some("beta=true&page=page_MjAy%2B%2F%3D%26x&limit=5&source=custom")
    );
    assert_eq!(
        requests[0].query_pairs(),
        [
            ("beta".to_owned(), "true".to_owned()),
            ("page".to_owned(), "page_MjAy+/=&x".to_owned()),
            ("limit".to_owned(), "5".to_owned()),
            ("source".to_owned(), "custom".to_owned()),
        ]
    );
    // Unset parameters are left out: only the path's own query stays.
    assert_eq!(requests[1].query.as_deref(), Some("beta=true"));
    assert_eq!(requests[1].path, "/v1/skills");
}

#[tokio::test]
async fn list_versions_query_string() {
    let server = TestServer::start([Reply::json(200, &page_json(vec![], None))]);
    server
        .client()
        .list_skill_versions(
            "skill_1",
            ListSkillVersionsParams {
                limit: Some(1000),
                page: Some("p2".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let req = only_request(&server);
    assert_eq!(req.path, "/v1/skills/skill_1/versions");
    assert_eq!(req.query.as_deref(), Some("beta=true&page=p2&limit=1000"));
}

#[tokio::test]
async fn create_skill_multipart_body() {
    let dir = tempfile::tempdir().unwrap();
    let files = upload::from_dir(write_skill_dir(dir.path())).unwrap();
    let server = TestServer::start([ok_skill(), ok_skill()]);
    let client = server.client();
    client
        .create_skill(
            CreateSkillParams::default(),
            CreateSkillRequest {
                display_title: Some("My \"quoted\" title\u{e9}".into()),
                files: files.clone(),
            },
        )
        .await
        .unwrap();
    client
        .create_skill(
            CreateSkillParams::default(),
            CreateSkillRequest {
                display_title: None,
                files,
            },
        )
        .await
        .unwrap();

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for (i, req) in requests.iter().enumerate() {
        assert_eq!(req.method, "POST");
        assert_eq!(req.path, "/v1/skills");
        let content_type = req.header("content-type").expect("content type");
        let parts = parse_multipart(content_type, &req.body);

        let titles: Vec<_> = parts.iter().filter(|p| p.name == "display_title").collect();
        if i == 0 {
            assert_eq!(titles.len(), 1, "{parts:#?}");
            assert_eq!(titles[0].filename, None);
            assert_eq!(
                std::str::from_utf8(&titles[0].data).unwrap(),
                "My \"quoted\" title\u{e9}"
            );
        } else {
            assert!(
                titles.is_empty(),
                "no display_title part when not given: {parts:#?}"
            );
        }

        let file_parts: Vec<_> = parts.iter().filter(|p| p.name == "files[]").collect();
        assert_eq!(
            parts.len(),
            file_parts.len() + titles.len(),
            "only display_title and files[] parts: {parts:#?}"
        );
        assert_eq!(file_parts.len(), SKILL_FILES.len());
        for (part, (name, data)) in file_parts.iter().zip(SKILL_FILES) {
            assert_eq!(part.filename.as_deref(), Some(*name));
            assert_eq!(&part.data[..], *data, "bytes of {name}");
            assert!(part.content_type.is_some(), "{part:?}");
        }
    }
}

#[tokio::test]
async fn create_version_multipart_body() {
    let files = upload::from_memory([
        ("pdf-tool/SKILL.md", &b"---\nname: pdf\n---\n"[..]),
        ("pdf-tool/lib/a.bin", &[0u8, 1, 2, 255][..]),
    ]);
    let server = TestServer::start([Reply::json(200, &skill_version_json("skill_1", "2"))]);
    server
        .client()
        .create_skill_version(
            "skill_1",
            CreateSkillVersionParams::default(),
            CreateSkillVersionRequest { files },
        )
        .await
        .unwrap();
    let req = only_request(&server);
    assert_eq!(req.path, "/v1/skills/skill_1/versions");
    let parts = parse_multipart(req.header("content-type").unwrap(), &req.body);
    let summary: Vec<(&str, Option<&str>, &[u8])> = parts
        .iter()
        .map(|p| (p.name.as_str(), p.filename.as_deref(), &p.data[..]))
        .collect();
    assert_eq!(
        summary,
        [
            (
                "files[]",
                Some("pdf-tool/SKILL.md"),
                &b"---\nname: pdf\n---\n"[..]
            ),
            ("files[]", Some("pdf-tool/lib/a.bin"), &[0u8, 1, 2, 255][..]),
        ]
    );
}

#[tokio::test]
async fn upload_rules_checked_before_sending() {
    let server = TestServer::start([]);
    let client = server.client();
    // Bare names (no top folder), no SKILL.md, two top folders: refused locally.
    let bad_sets = [
        vec![("SKILL.md", "x")],
        vec![("my-skill/README.md", "x")],
        vec![("a/SKILL.md", "x"), ("b/SKILL.md", "x")],
    ];
    for files in bad_sets {
        let error = client
            .create_skill(
                CreateSkillParams::default(),
                CreateSkillRequest {
                    display_title: None,
                    files: upload::from_memory(files.clone()),
                },
            )
            .await
            .expect_err("invalid upload");
        assert!(
            matches!(error, Error::InvalidArgument(_)),
            "{files:?}: {error:?}"
        );
    }
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn path_parameters_are_one_encoded_segment() {
    let server = TestServer::start((0..5).map(|_| ok_skill()).collect::<Vec<_>>());
    let client = server.client();
    for id in ["../x", "a/b", "a b?c#d", "%2F", "sk\u{e9}ll"] {
        client
            .get_skill(id, GetSkillParams::default())
            .await
            .unwrap_or_else(|e| panic!("get_skill({id:?}): {e}"));
    }
    let paths: Vec<String> = server.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(
        paths,
        [
            "/v1/skills/..%2Fx",
            "/v1/skills/a%2Fb",
            "/v1/skills/a%20b%3Fc%23d",
            "/v1/skills/%252F",
            "/v1/skills/sk%C3%A9ll",
        ]
    );
    for req in server.requests() {
        assert_eq!(req.query.as_deref(), Some("beta=true"), "{req:?}");
    }

    let server = TestServer::start([Reply::json(200, &skill_version_json("a/b", "1/2"))]);
    server
        .client()
        .get_skill_version("a/b", "1/2", GetSkillVersionParams::default())
        .await
        .unwrap();
    assert_eq!(
        only_request(&server).path,
        "/v1/skills/a%2Fb/versions/1%2F2"
    );
}

#[tokio::test]
async fn empty_or_dot_path_parameters_are_refused() {
    let server = TestServer::start([]);
    let client = server.client();
    for id in ["", ".", ".."] {
        let e = client
            .get_skill(id, GetSkillParams::default())
            .await
            .unwrap_err();
        assert!(matches!(e, Error::InvalidArgument(_)), "{id:?}: {e:?}");
        let e = client
            .delete_skill(id, DeleteSkillParams::default())
            .await
            .unwrap_err();
        assert!(matches!(e, Error::InvalidArgument(_)), "{id:?}: {e:?}");
        let e = client
            .list_skill_versions(id, ListSkillVersionsParams::default())
            .await
            .unwrap_err();
        assert!(matches!(e, Error::InvalidArgument(_)), "{id:?}: {e:?}");
        let e = client
            .get_skill_version("skill_1", id, GetSkillVersionParams::default())
            .await
            .unwrap_err();
        assert!(matches!(e, Error::InvalidArgument(_)), "{id:?}: {e:?}");
        let e = client
            .delete_skill_version(id, "1", DeleteSkillVersionParams::default())
            .await
            .unwrap_err();
        assert!(matches!(e, Error::InvalidArgument(_)), "{id:?}: {e:?}");
    }
    let e = client
        .get_skill("", GetSkillParams::default())
        .await
        .unwrap_err();
    assert!(e.to_string().contains("skill_id"), "{e}");
    assert!(server.requests().is_empty(), "nothing may be sent");
}

#[tokio::test]
async fn bearer_token_auth() {
    let server = TestServer::start([ok_skill(), ok_skill()]);
    let client = Client::builder()
        .base_url(server.url())
        .bearer_token("tok-123")
        .build()
        .unwrap();
    client
        .get_skill("skill_1", GetSkillParams::default())
        .await
        .unwrap();
    let req = &server.requests()[0];
    assert_eq!(req.header("authorization"), Some("Bearer tok-123"));
    assert_eq!(req.header("x-api-key"), None);

    // No credentials at all: nothing invented.
    let client = Client::builder().base_url(server.url()).build().unwrap();
    client
        .get_skill("skill_1", GetSkillParams::default())
        .await
        .unwrap();
    let req = &server.requests()[1];
    assert_eq!(req.header("authorization"), None);
    assert_eq!(req.header("x-api-key"), None);
}

#[tokio::test]
async fn options_and_default_headers() {
    let server = TestServer::start([ok_skill(), ok_skill()]);
    let client = server
        .builder()
        .default_header("x-team", "blue")
        .build()
        .unwrap();
    client
        .get_skill("skill_1", GetSkillParams::default())
        .await
        .unwrap();
    client
        .with_options(
            RequestOptions::new()
                .header("x-team", "red")
                .header("x-trace", "t1"),
        )
        .get_skill("skill_1", GetSkillParams::default())
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests[0].header_values("x-team"), ["blue"]);
    assert_eq!(requests[0].header("x-trace"), None);
    assert_eq!(requests[1].header_values("x-team"), ["red"]);
    assert_eq!(requests[1].header("x-trace"), Some("t1"));
}

#[tokio::test]
async fn base_url_with_path_prefix() {
    let server = TestServer::start([ok_skill(), ok_skill()]);
    for base in [
        format!("{}/proxy/", server.url()),
        format!("{}/proxy", server.url()),
    ] {
        let client = Client::builder()
            .base_url(base)
            .api_key("k")
            .build()
            .unwrap();
        client
            .get_skill("skill_1", GetSkillParams::default())
            .await
            .unwrap();
    }
    let paths: Vec<String> = server.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(
        paths,
        ["/proxy/v1/skills/skill_1", "/proxy/v1/skills/skill_1"]
    );
}

#[tokio::test]
async fn with_response_exposes_status_headers_and_request_id() {
    let server = TestServer::start([ok_skill()
        .header("request-id", "req_abc")
        .header("x-extra", "1")]);
    let response = server
        .client()
        .get_skill_with_response("skill_1", GetSkillParams::default())
        .await
        .unwrap();
    assert_eq!(response.status.as_u16(), 200);
    assert_eq!(response.request_id.as_deref(), Some("req_abc"));
    assert_eq!(response.headers.get("x-extra").unwrap(), "1");
    assert_eq!(response.value.id, "skill_1");
}

#[tokio::test]
async fn create_from_zip_archive() {
    use std::io::Write;
    use zip::write::SimpleFileOptions;

    // A zip as users download skills: a folder entry plus deflated and stored files.
    let dir = tempfile::tempdir().unwrap();
    let zip_path = dir.path().join("my-skill.zip");
    let mut writer = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
    writer
        .add_directory("my-skill/", SimpleFileOptions::default())
        .unwrap();
    for (name, data) in SKILL_FILES.iter().rev() {
        let options = SimpleFileOptions::default().compression_method(if name.ends_with(".md") {
            zip::CompressionMethod::Deflated
        } else {
            zip::CompressionMethod::Stored
        });
        writer.start_file(*name, options).unwrap();
        writer.write_all(data).unwrap();
    }
    writer.finish().unwrap();

    let files = upload::from_zip(&zip_path).unwrap();
    let server = TestServer::start([ok_skill()]);
    server
        .client()
        .create_skill(
            CreateSkillParams::default(),
            CreateSkillRequest {
                display_title: Some("Zipped".into()),
                files,
            },
        )
        .await
        .unwrap();
    let req = only_request(&server);
    let parts = parse_multipart(req.header("content-type").unwrap(), &req.body);
    let files: Vec<(Option<&str>, &[u8])> = parts
        .iter()
        .filter(|p| p.name == "files[]")
        .map(|p| (p.filename.as_deref(), &p.data[..]))
        .collect();
    // Sorted by name, folder entries skipped, contents inflated.
    let expected: Vec<(Option<&str>, &[u8])> =
        SKILL_FILES.iter().map(|(n, d)| (Some(*n), *d)).collect();
    assert_eq!(files, expected);
}

#[tokio::test]
async fn a_retried_upload_sends_the_same_request_again() {
    let dir = tempfile::tempdir().unwrap();
    let files = upload::from_dir(write_skill_dir(dir.path())).unwrap();
    let server = TestServer::start([
        Reply::json(500, &serde_json::json!({})).header("retry-after-ms", "10"),
        ok_skill(),
    ]);
    server
        .client()
        .create_skill(
            CreateSkillParams::default(),
            CreateSkillRequest {
                display_title: Some("Retried".into()),
                files,
            },
        )
        .await
        .expect("the retry succeeds");
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "{requests:#?}");
    let (first, second) = (&requests[0], &requests[1]);
    // The same multipart bytes, boundary included, and the same headers but the count.
    assert_eq!(first.body, second.body);
    assert!(first.header("content-type").unwrap().contains("boundary="));
    assert_eq!(first.header("x-stainless-retry-count"), Some("0"));
    assert_eq!(second.header("x-stainless-retry-count"), Some("1"));
    let without_count = |r: &RecordedRequest| {
        let mut headers: Vec<(String, String)> = r
            .headers
            .iter()
            .filter(|(name, _)| name != "x-stainless-retry-count")
            .cloned()
            .collect();
        headers.sort();
        headers
    };
    assert_eq!(without_count(first), without_count(second));
    assert_eq!((&first.method, &first.path), (&second.method, &second.path));
}
