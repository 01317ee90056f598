//! Every fixture's snapshot crate, committed under `tests/snapshots/<fixture>/` (the
//! `snapshots` test keeps it equal to what the generator writes), must pass `cargo check`
//! where it stands (library and its hand-written `tests/usage.rs`, if any) without errors
//! or warnings; the usage tests then run. A crate with a feature per group of operations
//! also builds with each of them alone and with none (library only: `tests/usage.rs`
//! calls every group). One shared target directory keeps dependencies compiled once.

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
        // `cargo check` with `args`: its output when it fails or warns in the crate's
        // own files.
        let check = |args: &[&str]| -> Option<String> {
            let output = Command::new(&cargo)
                .current_dir(&dir)
                .arg("check")
                .args(args)
                .args(["--quiet", "--message-format", "short"])
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
            let problems = stderr.lines().any(|l| {
                l.starts_with("error")
                    || (own(l) && (l.contains(": error") || l.contains(": warning")))
            });
            (!output.status.success() || problems).then(|| format!("{}\n{stderr}", output.status))
        };
        if let Some(stderr) = check(&["--all-targets"]) {
            failures.push(format!("{name} ({}):\n{stderr}", dir.display()));
            continue;
        }
        // Each group's feature builds on its own, and so does the crate with none.
        let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).expect("Cargo.toml");
        let groups = group_features(&manifest);
        if !groups.is_empty() {
            for feature in std::iter::once("").chain(groups.iter().map(String::as_str)) {
                let args = ["--lib", "--no-default-features", "--features", feature];
                if let Some(stderr) = check(&args) {
                    failures.push(format!(
                        "{name} with only feature {feature:?} ({}):\n{stderr}",
                        dir.display()
                    ));
                }
            }
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

/// The features of a generated manifest's groups of operations: the `name = []` lines
/// after the comment that introduces them.
fn group_features(manifest: &str) -> Vec<String> {
    manifest
        .lines()
        .skip_while(|l| !l.starts_with("# One feature per group of operations"))
        .skip(1)
        .take_while(|l| l.ends_with(" = []"))
        .map(|l| l.trim_end_matches(" = []").to_string())
        .collect()
}

#[test]
fn fixture_with_tags_has_group_features() {
    let manifest = std::fs::read_to_string(common::snapshots_dir().join("features/Cargo.toml"))
        .expect("the features fixture's snapshot crate");
    assert_eq!(
        group_features(&manifest),
        ["pets", "stores", "user-accounts", "other-types"]
    );
}
