//! Collecting upload files from folders, zips and memory, checking them, sending them.

mod common;

use std::fs;
use std::io::Write;

use common::{PROFILE, Reply, TestServer};
use sdk_runtime::http::Method;
use sdk_runtime::upload::{self, UploadRules};
use sdk_runtime::{Body, Client, Error, Multipart, Request};

const SKILL_RULES: UploadRules = UploadRules {
    single_top_folder: true,
    required_top_file: Some("SKILL.md"),
    max_total_bytes: Some(1024),
};

fn write(path: &std::path::Path, contents: &[u8]) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, contents).unwrap();
}

fn message(result: Result<(), Error>) -> String {
    match result {
        Err(Error::InvalidArgument(m)) => m,
        other => panic!("expected InvalidArgument, got {other:?}"),
    }
}

#[test]
fn from_dir_keeps_top_folder_sorted_with_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let skill = tmp.path().join("my-skill");
    write(&skill.join("SKILL.md"), b"# My skill\n");
    write(&skill.join("scripts/run.py"), b"print('hi')\n");
    write(&skill.join("scripts/lib/util.py"), b"X = 1\n");
    write(
        &skill.join("assets/logo.png"),
        &[0x89, b'P', b'N', b'G', 0, 255],
    );
    write(&skill.join("README"), b"");
    // A sibling outside the folder must not be picked up.
    write(&tmp.path().join("outside.txt"), b"no");

    let files = upload::from_dir(&skill).unwrap();
    let names: Vec<&str> = files.iter().map(|f| f.file_name.as_str()).collect();
    assert_eq!(
        names,
        [
            "my-skill/README",
            "my-skill/SKILL.md",
            "my-skill/assets/logo.png",
            "my-skill/scripts/lib/util.py",
            "my-skill/scripts/run.py",
        ]
    );
    assert_eq!(files[1].data.as_ref(), b"# My skill\n");
    assert_eq!(files[1].content_type.as_deref(), Some("text/markdown"));
    assert_eq!(files[2].data.as_ref(), [0x89, b'P', b'N', b'G', 0, 255]);
    assert_eq!(files[2].content_type.as_deref(), Some("image/png"));
    assert!(files[0].data.is_empty());
    SKILL_RULES.check(&files).unwrap();

    // A trailing slash or `.` still names the folder itself.
    let again = upload::from_dir(format!("{}/", skill.display())).unwrap();
    assert_eq!(again, files);
    let missing = upload::from_dir(tmp.path().join("nope"));
    assert!(matches!(missing, Err(Error::Io { .. })));
}

#[cfg(unix)]
#[test]
fn from_dir_follows_symlinks_but_not_loops() {
    let tmp = tempfile::tempdir().unwrap();
    let skill = tmp.path().join("s");
    write(&skill.join("SKILL.md"), b"x");
    write(&tmp.path().join("shared/data.txt"), b"d");
    std::os::unix::fs::symlink(tmp.path().join("shared"), skill.join("shared")).unwrap();
    std::os::unix::fs::symlink(&skill, skill.join("loop")).unwrap();
    let files = upload::from_dir(&skill).unwrap();
    let names: Vec<&str> = files.iter().map(|f| f.file_name.as_str()).collect();
    assert_eq!(names, ["s/SKILL.md", "s/shared/data.txt"]);
}

#[test]
fn rules_refuse_missing_top_file_oversize_and_empty() {
    let tmp = tempfile::tempdir().unwrap();
    let skill = tmp.path().join("my-skill");
    write(&skill.join("docs/SKILL.md"), b"nested, not at the top");
    let files = upload::from_dir(&skill).unwrap();
    let m = message(SKILL_RULES.check(&files));
    assert!(
        m.contains("my-skill/SKILL.md") && m.contains("missing"),
        "{m}"
    );

    write(&skill.join("SKILL.md"), &vec![b'a'; 1025]);
    let files = upload::from_dir(&skill).unwrap();
    let m = message(SKILL_RULES.check(&files));
    assert!(m.contains("1024"), "{m}");

    assert_eq!(message(SKILL_RULES.check(&[])), "no files to upload");

    let two_tops = upload::from_memory([("a/SKILL.md", "x"), ("b/other.md", "y")]);
    let m = message(SKILL_RULES.check(&two_tops));
    assert!(m.contains("one top-level folder"), "{m}");
}

#[test]
fn from_zip_round_trip() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("skill.zip");
    let mut zip = zip::ZipWriter::new(fs::File::create(&path).unwrap());
    let options = zip::write::SimpleFileOptions::default();
    zip.add_directory("my-skill/", options).unwrap();
    zip.start_file("my-skill/scripts/run.py", options).unwrap();
    zip.write_all(b"print(1)\n").unwrap();
    zip.start_file("my-skill/SKILL.md", options).unwrap();
    zip.write_all(&b"# big\n".repeat(100)).unwrap();
    zip.finish().unwrap();

    let files = upload::from_zip(&path).unwrap();
    let names: Vec<&str> = files.iter().map(|f| f.file_name.as_str()).collect();
    assert_eq!(names, ["my-skill/SKILL.md", "my-skill/scripts/run.py"]);
    assert_eq!(files[0].data.as_ref(), b"# big\n".repeat(100).as_slice());
    assert_eq!(files[1].data.as_ref(), b"print(1)\n");
    assert_eq!(files[1].content_type.as_deref(), Some("text/x-python"));
    SKILL_RULES.check(&files).unwrap();

    // Entries that would escape the folder are refused.
    let evil = tmp.path().join("evil.zip");
    let mut zip = zip::ZipWriter::new(fs::File::create(&evil).unwrap());
    zip.start_file("../escape.txt", options).unwrap();
    zip.write_all(b"x").unwrap();
    zip.finish().unwrap();
    assert!(matches!(
        upload::from_zip(&evil),
        Err(Error::InvalidArgument(_))
    ));

    let not_zip = tmp.path().join("plain.zip");
    fs::write(&not_zip, b"not a zip").unwrap();
    assert!(matches!(upload::from_zip(&not_zip), Err(Error::Io { .. })));
}

#[test]
fn from_memory_keeps_order_and_bytes() {
    let files = upload::from_memory([
        ("s/b.txt", b"bee".to_vec()),
        ("s/SKILL.md", b"# s".to_vec()),
    ]);
    assert_eq!(files.len(), 2);
    assert_eq!(files[0].file_name, "s/b.txt");
    assert_eq!(files[0].data.as_ref(), b"bee");
    assert_eq!(files[0].content_type.as_deref(), Some("text/plain"));
    assert_eq!(files[1].file_name, "s/SKILL.md");
    SKILL_RULES.check(&files).unwrap();
}

#[tokio::test]
async fn folder_upload_reaches_server_with_relative_names() {
    let tmp = tempfile::tempdir().unwrap();
    let skill = tmp.path().join("my-skill");
    write(&skill.join("SKILL.md"), b"# Skill");
    write(&skill.join("a/b.txt"), b"nested");
    let files = upload::from_dir(&skill).unwrap();
    SKILL_RULES.check(&files).unwrap();

    let server = TestServer::start(vec![Reply::json(200, r#"{"id":"skill_1"}"#)]).await;
    let client = Client::builder(&PROFILE)
        .base_url(server.url())
        .build()
        .unwrap();
    let mut form = Multipart::new();
    form.text("display_title", "My Skill");
    for f in files {
        form.file("files[]", f);
    }
    let mut req = Request::new(Method::POST, "/v1/skills".into());
    req.body(Body::Multipart(form));
    client.execute(req).await.unwrap();

    let body = String::from_utf8(server.requests()[0].body.clone()).unwrap();
    let first = body
        .find(r#"filename="my-skill/SKILL.md""#)
        .expect("SKILL.md part");
    let second = body
        .find(r#"filename="my-skill/a/b.txt""#)
        .expect("nested part");
    assert!(first < second, "parts keep sorted (byte) order");
    assert!(body.contains("\r\n\r\n# Skill\r\n"));
}
