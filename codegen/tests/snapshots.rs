//! Snapshot tests: each fixture's generated crate is committed as it is generated, under
//! `tests/snapshots/<fixture>/` (Cargo.toml, src/*.rs, …), where the `compile` test
//! builds it. Files there that are not marked `@generated` (`tests/usage.rs`, the usage
//! test) are hand-written and left alone.
//! `UPDATE_SNAPSHOTS=1 cargo test -p codegen --test snapshots` rewrites them; review the
//! diff before committing.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use codegen::GENERATED_MARKER;

/// Every file under `dir`, relative to it with `/` separators.
fn files_under(dir: &Path) -> BTreeSet<String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeSet<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                walk(root, &path, out);
            } else if let Ok(relative) = path.strip_prefix(root) {
                let parts: Vec<_> = relative.iter().map(|p| p.to_string_lossy()).collect();
                out.insert(parts.join("/"));
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(dir, dir, &mut out);
    out
}

/// Whether the file at `path` belongs to the generator (its first line says so).
fn generated(path: &Path) -> bool {
    std::fs::read_to_string(path)
        .is_ok_and(|text| text.lines().next().unwrap_or("").contains(GENERATED_MARKER))
}

#[test]
fn generated_code_matches_snapshots() {
    let dir = common::snapshots_dir();
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some_and(|v| v == "1");
    let mut stale = Vec::new();
    let mut names = BTreeSet::new();
    for (name, text) in common::fixtures() {
        let files = common::generate(&name, &text, &common::snapshot_settings(&name));
        let crate_dir = dir.join(&name);
        names.insert(name.clone());
        let mut expected_paths = BTreeSet::new();
        for file in &files {
            expected_paths.insert(file.path.clone());
            let path = crate_dir.join(&file.path);
            let expected = std::fs::read_to_string(&path).ok();
            if expected.as_deref() == Some(file.contents.as_str()) {
                continue;
            }
            if update {
                std::fs::create_dir_all(path.parent().expect("file in a directory"))
                    .expect("create snapshot dir");
                std::fs::write(&path, &file.contents).expect("write snapshot");
                continue;
            }
            let detail = match expected {
                None => "missing".to_string(),
                Some(expected) => first_difference(&expected, &file.contents),
            };
            stale.push(format!("{name}/{}: {detail}", file.path));
        }
        // A generated file the generator no longer writes would go stale unnoticed.
        for relative in files_under(&crate_dir) {
            let path: PathBuf = crate_dir.join(&relative);
            // Cargo's lock file (the compile test's, ignored by git) says `@generated` too.
            let ours = relative != "Cargo.lock" && generated(&path);
            if expected_paths.contains(&relative) || !ours {
                continue;
            }
            if update {
                std::fs::remove_file(&path).expect("remove stale snapshot file");
            } else {
                stale.push(format!("{name}/{relative}: no longer generated"));
            }
        }
    }
    // Snapshots of fixtures that no longer exist.
    for entry in std::fs::read_dir(&dir).expect("read tests/snapshots") {
        let path = entry.expect("dir entry").path();
        let file = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        if names.contains(&file) {
            continue;
        }
        if update {
            if path.is_dir() {
                std::fs::remove_dir_all(&path).expect("remove orphan snapshot");
            } else {
                std::fs::remove_file(&path).expect("remove orphan snapshot");
            }
        } else {
            stale.push(format!("{file}: no fixture of that name"));
        }
    }
    assert!(
        stale.is_empty(),
        "generated code differs from the snapshots (run with UPDATE_SNAPSHOTS=1 to accept):\n{}",
        stale.join("\n")
    );
}

fn first_difference(expected: &str, actual: &str) -> String {
    let (mut e, mut a) = (expected.lines(), actual.lines());
    let mut line = 1;
    loop {
        match (e.next(), a.next()) {
            (Some(x), Some(y)) if x == y => line += 1,
            (None, None) => return "differs in line endings".into(),
            (x, y) => {
                return format!(
                    "first difference at line {line}:\n  snapshot: {}\n  actual:   {}",
                    x.unwrap_or("<end>"),
                    y.unwrap_or("<end>")
                );
            }
        }
    }
}
