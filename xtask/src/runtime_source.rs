//! The runtime as a generated crate vendors it: the files of `runtime/src` and what
//! `runtime/Cargo.toml` states (dependencies, features), read through `cargo metadata`
//! so workspace inheritance is already resolved.

use std::fs;
use std::path::Path;

use anyhow::{Context, Result, bail};
use codegen::{Dependency, Feature, VendoredRuntime};
use serde_json::Value;

use crate::util::cargo_metadata;

/// The runtime package's name.
const RUNTIME_PACKAGE: &str = "sdk-runtime";

/// Reads the runtime at `dir` (its `src/*.rs`, in name order) and its manifest.
pub fn vendored_runtime(dir: &Path) -> Result<VendoredRuntime> {
    let src = dir.join("src");
    let mut files = Vec::new();
    let mut entries: Vec<_> = fs::read_dir(&src)
        .with_context(|| format!("reading {}", src.display()))?
        .collect::<std::io::Result<_>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            bail!(
                "{}: the runtime keeps its modules as files of src/, which vendoring copies; move it",
                path.display()
            );
        }
        if path.extension().and_then(|e| e.to_str()) != Some("rs") {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        let text =
            fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        files.push((name, text));
    }
    let metadata = cargo_metadata()?;
    let package = runtime_package(&metadata)?;
    let (dependencies, dev_dependencies) = dependencies(package)?;
    Ok(VendoredRuntime {
        files,
        dependencies,
        dev_dependencies,
        features: features(package),
    })
}

/// The runtime's features, `default` first, as the manifest states them.
fn features(package: &Value) -> Vec<Feature> {
    let mut features: Vec<Feature> = package
        .get("features")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(name, enables)| Feature {
            name: name.clone(),
            enables: enables
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
        })
        .collect();
    features.sort_by_key(|f| (f.name != "default", f.name.clone()));
    features
}

/// The runtime's features, read from the workspace's manifest.
pub fn runtime_features() -> Result<Vec<Feature>> {
    Ok(features(runtime_package(&cargo_metadata()?)?))
}

/// The runtime's entry in `cargo metadata`'s packages.
fn runtime_package(metadata: &Value) -> Result<&Value> {
    metadata
        .get("packages")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|p| p.get("name").and_then(Value::as_str) == Some(RUNTIME_PACKAGE))
        .context("cargo metadata lists no sdk-runtime package")
}

/// Normal and dev dependencies, each a registry crate (a path or git dependency could
/// not travel with the generated crate, so it is refused).
fn dependencies(package: &Value) -> Result<(Vec<Dependency>, Vec<Dependency>)> {
    let mut normal = Vec::new();
    let mut dev = Vec::new();
    for dep in package
        .get("dependencies")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let text = |key: &str| dep.get(key).and_then(Value::as_str);
        let name = text("name").context("a dependency without a name")?;
        if text("source").is_some_and(|s| !s.starts_with("registry+")) || dep.get("path").is_some()
        {
            bail!(
                "the runtime's dependency {name} is not a registry crate, so it cannot be vendored"
            );
        }
        if text("rename").is_some() || dep.get("target").is_some_and(|t| !t.is_null()) {
            bail!(
                "the runtime's dependency {name} is renamed or platform-specific, which vendoring does not carry"
            );
        }
        let dependency = Dependency {
            name: name.to_string(),
            version: text("req").unwrap_or("*").to_string(),
            features: dep
                .get("features")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
            default_features: dep
                .get("uses_default_features")
                .and_then(Value::as_bool)
                .unwrap_or(true),
            optional: dep
                .get("optional")
                .and_then(Value::as_bool)
                .unwrap_or(false),
        };
        match text("kind") {
            None => normal.push(dependency),
            Some("dev") => dev.push(dependency),
            // Build dependencies: the runtime has no build script to carry them.
            Some(_) => {}
        }
    }
    Ok((normal, dev))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::util::repo_root;

    #[test]
    fn the_runtime_reads_as_registry_crates_and_its_files() {
        let runtime = vendored_runtime(&repo_root().join("runtime")).unwrap();
        let names: Vec<&str> = runtime.files.iter().map(|(n, _)| n.as_str()).collect();
        assert!(
            names.contains(&"lib.rs") && names.contains(&"client.rs"),
            "{names:?}"
        );
        let reqwest = runtime
            .dependencies
            .iter()
            .find(|d| d.name == "reqwest")
            .expect("the runtime depends on reqwest");
        assert!(!reqwest.default_features);
        assert!(reqwest.version.starts_with('^'), "{}", reqwest.version);
        assert!(
            runtime
                .dev_dependencies
                .iter()
                .any(|d| d.name == "tempfile")
        );
    }
}
