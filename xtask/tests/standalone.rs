//! A crate generated outside this workspace stands on its own: it depends on registry
//! crates only (the runtime is vendored into it), and `cargo package` builds it from its
//! own tarball. Run against fixture specs with the `xtask` binary, as a user would.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the repository")
        .to_path_buf()
}

/// Generates `fixture` into a fresh directory outside the workspace.
fn generate(fixture: &str, out: &Path) {
    let spec = repo_root().join(format!("codegen/tests/fixtures/{fixture}.yaml"));
    let status = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .current_dir(repo_root())
        .args(["codegen", "--spec"])
        .arg(&spec)
        .arg("--out")
        .arg(out)
        .status()
        .expect("run xtask codegen");
    assert!(status.success(), "xtask codegen --spec {fixture} failed");
}

/// Runs cargo in `dir` with the fixtures' target directory, so dependencies built for
/// the fixture crates are reused; the workspace's lock file pins the same versions.
fn cargo(dir: &Path, args: &[&str]) -> std::process::Output {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    std::fs::copy(repo_root().join("Cargo.lock"), dir.join("Cargo.lock")).expect("copy lock");
    Command::new(cargo)
        .current_dir(dir)
        .args(args)
        .env("CARGO_TARGET_DIR", repo_root().join("target/fixtures"))
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .expect("run cargo")
}

/// Every `path = "..."` of the manifest, which would tie the crate to this machine (a
/// feature such as `enum-path = []` is not one).
fn path_dependencies(manifest: &str) -> Vec<&str> {
    manifest
        .lines()
        .filter(|l| l.contains("path = \""))
        .collect()
}

#[test]
fn generated_crates_outside_the_workspace_build_on_their_own() {
    let dir = tempfile::tempdir().expect("temporary directory");
    for fixture in ["bodies", "pagination", "params"] {
        let out = dir.path().join(fixture);
        generate(fixture, &out);
        let manifest = std::fs::read_to_string(out.join("Cargo.toml")).expect("manifest");
        assert_eq!(
            path_dependencies(&manifest),
            Vec::<&str>::new(),
            "{fixture}"
        );
        let check = cargo(&out, &["check", "--quiet", "--all-targets"]);
        assert!(
            check.status.success(),
            "{fixture}: cargo check failed:\n{}",
            String::from_utf8_lossy(&check.stderr)
        );
    }
    // Publishable: each tarball holds everything it needs and builds.
    for fixture in ["bodies", "pagination", "params"] {
        let package = cargo(
            &dir.path().join(fixture),
            &["package", "--allow-dirty", "--quiet"],
        );
        assert!(
            package.status.success(),
            "{fixture}: cargo package failed:\n{}",
            String::from_utf8_lossy(&package.stderr)
        );
    }
}

#[test]
fn the_path_check_finds_path_dependencies() {
    let manifest = "[dependencies]\nsdk-runtime = { path = \"/abs/runtime\" }\nserde = \"1\"\n";
    assert_eq!(path_dependencies(manifest).len(), 1);
}
