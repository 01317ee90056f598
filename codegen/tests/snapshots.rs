//! Snapshot tests: each fixture's generated files, concatenated, must equal
//! `tests/snapshots/<fixture>.txt`. `UPDATE_SNAPSHOTS=1 cargo test -p codegen --test snapshots`
//! rewrites them; review the diff before committing.

mod common;

use std::path::Path;

#[test]
fn generated_code_matches_snapshots() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some_and(|v| v == "1");
    let mut stale = Vec::new();
    let mut names = Vec::new();
    for (name, text) in common::fixtures() {
        let files = common::generate(&name, &text, &common::snapshot_settings(&name));
        let actual = common::concatenate(&files);
        let path = dir.join(format!("{name}.txt"));
        names.push(format!("{name}.txt"));
        let expected = std::fs::read_to_string(&path).ok();
        if expected.as_deref() == Some(actual.as_str()) {
            continue;
        }
        if update {
            std::fs::create_dir_all(&dir).expect("create tests/snapshots");
            std::fs::write(&path, &actual).expect("write snapshot");
            continue;
        }
        let detail = match expected {
            None => "missing".to_string(),
            Some(expected) => first_difference(&expected, &actual),
        };
        stale.push(format!("{name}: {detail}"));
    }
    if update {
        // Snapshots of fixtures that no longer exist would go stale unnoticed.
        for entry in std::fs::read_dir(&dir).expect("read tests/snapshots") {
            let path = entry.expect("dir entry").path();
            let file = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_string();
            if file.ends_with(".txt") && !names.contains(&file) {
                std::fs::remove_file(&path).expect("remove orphan snapshot");
            }
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
