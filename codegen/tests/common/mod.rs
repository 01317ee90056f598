//! Shared by the integration tests: the fixture specs and how they are generated.

#![allow(dead_code)] // each test binary uses a different subset

use std::path::{Path, PathBuf};

use codegen::{GeneratedFile, Settings, Spec};

/// The repository root (the workspace holding `codegen/`).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("codegen/ has a parent")
        .to_path_buf()
}

pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Every fixture as (name, text), sorted by name.
pub fn fixtures() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(fixtures_dir())
        .expect("tests/fixtures exists")
        .map(|entry| entry.expect("readable fixtures dir").path())
        .filter(|path| path.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .map(|path| {
            let name = path
                .file_stem()
                .and_then(|s| s.to_str())
                .expect("UTF-8 file name")
                .to_string();
            let text = std::fs::read_to_string(&path).expect("readable fixture");
            (name, text)
        })
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no fixtures found");
    out
}

/// Settings for a fixture; `runtime` is the TOML value of the runtime dependency.
pub fn settings(name: &str, runtime: String) -> Settings {
    Settings {
        crate_name: format!("fixture-{}", name.replace('_', "-")),
        crate_version: "0.1.0".into(),
        runtime: codegen::Runtime::dependency(runtime),
        standalone: true,
        spec_path_from_crate: None,
        overlay_path_from_crate: None,
        regenerate_command: format!("codegen fixture test {name}"),
    }
}

/// Settings that hold no machine-specific path, for snapshots: the runtime as seen from
/// `codegen/tests/snapshots/<fixture>/`, where the snapshot crates are compiled.
pub fn snapshot_settings(name: &str) -> Settings {
    settings(name, "{ path = \"../../../../runtime\" }".into())
}

/// The directory of the snapshot crates, one per fixture.
pub fn snapshots_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots")
}

/// Parses and generates a fixture; the error is the generator's, as text.
pub fn try_generate(
    name: &str,
    text: &str,
    settings: &Settings,
) -> Result<Vec<GeneratedFile>, String> {
    let source = format!("{name}.yaml");
    let spec = Spec::parse(text, &source).map_err(|e| format!("{name}: parse failed: {e}"))?;
    codegen::generate(&spec, settings).map_err(|e| format!("{name}: generation failed: {e}"))
}

/// Like [`try_generate`], panicking on an error.
pub fn generate(name: &str, text: &str, settings: &Settings) -> Vec<GeneratedFile> {
    try_generate(name, text, settings).unwrap_or_else(|e| panic!("{e}"))
}
