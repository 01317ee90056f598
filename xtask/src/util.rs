//! Small path and quoting helpers shared by the commands.

use std::path::{Component, Path, PathBuf};

/// The repository root: the parent of this crate's directory.
pub fn repo_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .expect("xtask lives one level below the repository root")
        .to_path_buf()
}

/// Cargo's target directory for this workspace, as cargo itself reports it (so
/// `CARGO_TARGET_DIR`, `build.target-dir` in a config file and the default all count).
pub fn target_dir() -> anyhow::Result<PathBuf> {
    use anyhow::Context;
    let metadata = cargo_metadata()?;
    let dir = metadata
        .get("target_directory")
        .and_then(serde_json::Value::as_str)
        .context("cargo metadata gave no target_directory")?;
    Ok(PathBuf::from(dir))
}

/// `cargo metadata --no-deps` for this workspace: its packages as their manifests state
/// them (workspace inheritance resolved) and its target directory.
pub fn cargo_metadata() -> anyhow::Result<serde_json::Value> {
    use anyhow::Context;
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = std::process::Command::new(cargo)
        .current_dir(repo_root())
        .args(["metadata", "--format-version", "1", "--no-deps"])
        .output()
        .context("running cargo metadata")?;
    anyhow::ensure!(
        output.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).context("reading cargo metadata's output")
}

/// Absolute, symlink-free form of `path`, which need not exist yet: its longest existing
/// ancestor is canonicalized and the rest appended. `None` if that is not possible (e.g. a
/// `..` below a missing directory).
pub fn resolve(path: &Path) -> Option<PathBuf> {
    let absolute = std::path::absolute(path).ok()?;
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(canonical) = existing.canonicalize() {
            let mut out = canonical;
            for c in rest.iter().rev() {
                match c {
                    Component::Normal(name) => out.push(name),
                    Component::CurDir => {}
                    _ => return None,
                }
            }
            return Some(out);
        }
        rest.push(existing.components().next_back()?);
        existing = existing.parent()?;
    }
}

/// `/`-separated path of `to` relative to the directory `from`. Both must be absolute and
/// normalized (see [`resolve`]); `None` if they share no root (e.g. other drives on Windows).
pub fn relative_path(from: &Path, to: &Path) -> Option<String> {
    let from: Vec<Component> = from.components().collect();
    let to: Vec<Component> = to.components().collect();
    if from.first() != to.first() {
        return None;
    }
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_string(); from.len() - common];
    for c in &to[common..] {
        parts.push(c.as_os_str().to_str()?.to_string());
    }
    Some(if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    })
}

/// `path` as the user would like to read it: relative to the current directory when it lies
/// below it, otherwise as is.
pub fn display_path(path: &Path) -> String {
    let relative = std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf));
    match relative {
        Some(rel) if rel.as_os_str().is_empty() => ".".to_string(),
        Some(rel) => rel.display().to_string(),
        None => path.display().to_string(),
    }
}

/// A TOML basic string (with quotes) holding `s`.
pub fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `arg` quoted for a POSIX shell when it needs it, so a printed command can be pasted back.
pub fn shell_quote(arg: &str) -> String {
    let plain = !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@+,%".contains(c));
    if plain {
        arg.to_string()
    } else {
        format!("'{}'", arg.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        let rel = |a: &str, b: &str| relative_path(Path::new(a), Path::new(b));
        assert_eq!(
            rel("/r/generated", "/r/spec/skills.yaml").as_deref(),
            Some("../spec/skills.yaml")
        );
        assert_eq!(
            rel("/r/out", "/r/out/api.yaml").as_deref(),
            Some("api.yaml")
        );
        assert_eq!(
            rel("/a/b/c", "/x/y.yaml").as_deref(),
            Some("../../../x/y.yaml")
        );
        assert_eq!(rel("/r", "/r").as_deref(), Some("."));
    }

    #[test]
    fn resolve_handles_missing_dirs() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().canonicalize().unwrap();
        assert_eq!(
            resolve(&base.join("new/./deeper")),
            Some(base.join("new/deeper"))
        );
        assert_eq!(resolve(&base.join("missing/../x")), None);
        assert_eq!(
            resolve(&base.join("..")),
            base.parent().map(Path::to_path_buf)
        );
    }

    #[test]
    fn toml_strings_are_escaped() {
        assert_eq!(toml_string(r#"C:\a "b""#), r#""C:\\a \"b\"""#);
        assert_eq!(toml_string("x\u{1}"), r#""x\u0001""#);
    }

    #[test]
    fn shell_quoting() {
        assert_eq!(shell_quote("spec/a.yaml"), "spec/a.yaml");
        assert_eq!(shell_quote("my dir"), "'my dir'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
    }
}
