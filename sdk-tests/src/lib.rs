//! Test support for the SDK's end-to-end tests (`tests/*.rs`):
//!
//! - [`Prism`]: the Prism mock server, built from `spec/` (Anthropic's document with the overlay applied), in a child process.
//! - [`TestServer`]: a local HTTP server with scripted (and faulty) responses that
//!   records every request it receives.
//! - [`parse_multipart`]: reads back the multipart bodies the SDK sends.
//! - fixtures: JSON bodies of the API's objects and skill folders on disk.

mod multipart;
mod prism;
mod server;

pub use multipart::{FormPart, parse_multipart};
pub use prism::Prism;
pub use server::{RecordedRequest, Reply, TestServer};

/// The README's Rust examples, compiled as doctests so the README stays true.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeExamples;

use std::path::{Path, PathBuf};

/// The workspace root (the folder holding `spec/` and `tools/`).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("sdk-tests lives inside the workspace")
        .to_path_buf()
}

/// An API key that the tests look for in places it must never appear.
pub const TEST_API_KEY: &str = "sk-ant-test-SECRET-0123456789";

/// A `Skill` object as the API returns it.
pub fn skill_json(id: &str) -> serde_json::Value {
    serde_json::json!({
        "id": id,
        "created_at": "2024-10-30T23:58:27.427722Z",
        "display_title": "My Custom Skill",
        "latest_version": "1759178010641129",
        "source": "custom",
        "type": "skill",
        "updated_at": "2024-10-30T23:58:27.427722Z"
    })
}

/// A `SkillVersion` object as the API returns it.
pub fn skill_version_json(skill_id: &str, version: &str) -> serde_json::Value {
    serde_json::json!({
        "id": format!("skillver_{version}"),
        "created_at": "2024-10-30T23:58:27.427722Z",
        "description": "A custom skill for doing something useful",
        "directory": "my-skill",
        "name": "my-skill",
        "skill_id": skill_id,
        "type": "skill_version",
        "version": version
    })
}

/// A list page: `{data, has_more, next_page}`.
pub fn page_json(data: Vec<serde_json::Value>, next_page: Option<&str>) -> serde_json::Value {
    serde_json::json!({
        "data": data,
        "has_more": next_page.is_some(),
        "next_page": next_page,
    })
}

/// The API's error envelope.
pub fn error_json(error_type: &str, message: &str, request_id: Option<&str>) -> serde_json::Value {
    serde_json::json!({
        "type": "error",
        "error": { "type": error_type, "message": message },
        "request_id": request_id,
    })
}

/// Contents of the files [`write_skill_dir`] creates, by upload name.
pub const SKILL_FILES: &[(&str, &[u8])] = &[
    (
        "my-skill/SKILL.md",
        b"---\nname: my-skill\ndescription: A test skill\n---\n\n# My skill\n\nDo the thing.\n",
    ),
    // Bytes that a careless encoder would mangle: CR LF, NUL, non-UTF-8, a fake boundary.
    (
        "my-skill/scripts/run.py",
        b"print('hi')\r\n\x00\xff\xfe--boundary\r\n--\r\nend",
    ),
];

/// Writes the [`SKILL_FILES`] under `parent` and returns the skill's folder
/// (`parent/my-skill`).
pub fn write_skill_dir(parent: &Path) -> PathBuf {
    for (name, data) in SKILL_FILES {
        let path = parent.join(name);
        std::fs::create_dir_all(path.parent().expect("file has a folder")).expect("create folder");
        std::fs::write(&path, data).expect("write skill file");
    }
    parent.join("my-skill")
}
