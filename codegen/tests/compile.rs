//! Every fixture's snapshot crate, committed under `tests/snapshots/<fixture>/` (the
//! `snapshots` test keeps it equal to what the generator writes), must pass `cargo check`
//! where it stands (library and its hand-written `tests/usage.rs`, if any) without errors
//! or warnings; the usage tests then run. One shared target directory keeps dependencies
//! compiled once.

mod common;

use std::process::Command;

#[test]
fn every_fixture_compiles() {
    let root = common::repo_root();
    let target_dir = root.join("target/fixtures");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut failures = Vec::new();
    for (name, _) in common::fixtures() {
        let dir = common::snapshots_dir().join(&name);
        if !dir.join("Cargo.toml").exists() {
            failures.push(format!(
                "{name}: no snapshot crate at {} (run the snapshots test with UPDATE_SNAPSHOTS=1)",
                dir.display()
            ));
            continue;
        }
        let usage = dir.join("tests/usage.rs");
        // The workspace's lock file pins the same dependency versions, offline (the copy
        // is ignored by git).
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
            ["src/", "tests/", "examples/", "build.rs"]
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
