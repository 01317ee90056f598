//! Every fixture, generated as a standalone crate under `target/fixture-crates/<name>`,
//! must pass `cargo check` (library and the fixture's hand-written usage test, if any)
//! without errors or warnings; the usage tests (`tests/usage/<fixture>.rs`) then run.
//! One shared target directory keeps dependencies compiled once.

mod common;

use std::path::Path;
use std::process::Command;

#[test]
fn every_fixture_compiles() {
    let root = common::repo_root();
    let runtime = root.join("runtime");
    let runtime = format!(
        "{{ path = {:?} }}",
        runtime.to_str().expect("UTF-8 repository path")
    );
    let crates_dir = root.join("target/fixture-crates");
    let target_dir = root.join("target/fixtures");
    let usage_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/usage");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut failures = Vec::new();
    for (name, text) in common::fixtures() {
        let files =
            match common::try_generate(&name, &text, &common::settings(&name, runtime.clone())) {
                Ok(files) => files,
                Err(e) => {
                    failures.push(e);
                    continue;
                }
            };
        let dir = crates_dir.join(&name);
        // Start from a clean tree so files no longer generated cannot hide a failure.
        for sub in ["src", "tests"] {
            let _ = std::fs::remove_dir_all(dir.join(sub));
        }
        for file in &files {
            let path = dir.join(&file.path);
            std::fs::create_dir_all(path.parent().expect("file in a directory"))
                .expect("create crate dir");
            std::fs::write(&path, &file.contents).expect("write generated file");
        }
        let usage = usage_dir.join(format!("{name}.rs"));
        if usage.exists() {
            std::fs::create_dir_all(dir.join("tests")).expect("create tests dir");
            std::fs::copy(&usage, dir.join("tests/usage.rs")).expect("copy usage test");
        }
        // The workspace's lock file pins the same dependency versions, offline.
        if !dir.join("Cargo.lock").exists() {
            let _ = std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"));
        }
        let output = Command::new(&cargo)
            .current_dir(&dir)
            .args([
                "check",
                "--quiet",
                "--all-targets",
                "--message-format",
                "short",
            ])
            .env("CARGO_TARGET_DIR", &target_dir)
            .env_remove("RUSTFLAGS")
            .env_remove("CARGO_ENCODED_RUSTFLAGS")
            .output()
            .expect("run cargo check");
        let stderr = String::from_utf8_lossy(&output.stderr);
        // Warnings count in the generated crate's own files, not in its dependencies.
        let own = |l: &str| {
            ["src/", "tests/", "build.rs"]
                .iter()
                .any(|p| l.starts_with(p))
        };
        let problems: Vec<&str> = stderr
            .lines()
            .filter(|l| {
                l.starts_with("error")
                    || (own(l) && (l.contains(": error") || l.contains(": warning")))
            })
            .collect();
        if !output.status.success() || !problems.is_empty() {
            failures.push(format!("{name} ({}):\n{stderr}", dir.display()));
            continue;
        }
        if usage.exists() {
            let output = Command::new(&cargo)
                .current_dir(&dir)
                .args(["test", "--quiet", "--test", "usage"])
                .env("CARGO_TARGET_DIR", &target_dir)
                .env_remove("RUSTFLAGS")
                .env_remove("CARGO_ENCODED_RUSTFLAGS")
                .output()
                .expect("run cargo test");
            if !output.status.success() {
                failures.push(format!(
                    "{name}: tests/usage.rs failed:\n{}{}",
                    String::from_utf8_lossy(&output.stdout),
                    String::from_utf8_lossy(&output.stderr)
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "generated crates do not compile cleanly:\n\n{}",
        failures.join("\n\n")
    );
}
