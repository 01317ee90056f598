//! What a regeneration changes in a crate's public API: the crate's committed
//! `api-surface.txt` against the one just generated, the version that follows from it by
//! Cargo's rules, and the `CHANGELOG.md` entry that lists it.
//!
//! The comparison itself is pure (`codegen::compare`); this module reads the crate on disk
//! and assembles the files. Regenerating twice changes nothing: the second time the
//! surface on disk is the new one, so the verdict is `unchanged` and the version and
//! changelog stay.

use std::fs;
use std::io::ErrorKind;
use std::path::Path;

use anyhow::{Context, Result};
use codegen::{ChangeReport, GENERATED_MARKER, GeneratedFile, Verdict};

use crate::ensure::Mode;

/// The API-surface file every generated crate carries (written by codegen).
pub const SURFACE_FILE: &str = "api-surface.txt";
/// The changelog this module keeps.
pub const CHANGELOG_FILE: &str = "CHANGELOG.md";

/// What changed in one crate's API, and the version move it causes.
#[derive(Debug, Clone)]
pub struct ApiChanges {
    pub report: ChangeReport,
    pub old_version: String,
    pub new_version: String,
}

impl ApiChanges {
    /// The report for the terminal, every line under the crate's label; it ends with the
    /// verdict line.
    pub fn display(&self, label: &str, mode: Mode) -> String {
        let verdict = self.report.verdict();
        if verdict == Verdict::Unchanged {
            return format!("{label}: API unchanged (version {})\n", self.old_version);
        }
        let tense = match mode {
            Mode::Write => "",
            Mode::Check => " (not yet regenerated)",
        };
        format!(
            "{label}: API changes since the crate on disk{tense}, version {} -> {}:\n{}",
            self.old_version,
            self.new_version,
            self.report.to_text()
        )
    }
}

/// The `[package]` version of the crate in `out_dir`, if there is a crate there.
pub fn current_version(out_dir: &Path) -> Result<Option<String>> {
    let Some(manifest) = read_if_exists(&out_dir.join("Cargo.toml"))? else {
        return Ok(None);
    };
    let mut in_package = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_package = line == "[package]";
            continue;
        }
        if in_package
            && let Some(value) = line.strip_prefix("version")
            && let Some(value) = value.trim_start().strip_prefix('=')
        {
            let version = value.trim().trim_matches('"');
            return Ok(Some(version.to_string()));
        }
    }
    Ok(None)
}

/// Compares the freshly generated `files` with the crate in `out_dir`. When the API
/// changed, the version moves (`regenerate` makes the files again at the new version)
/// and the changelog gains an entry; the changelog is always among the files returned.
/// `current` is the version of the crate on disk.
pub fn api_changes(
    out_dir: &Path,
    files: Vec<GeneratedFile>,
    current: Option<&str>,
    regenerate: impl FnOnce(&str) -> Result<Vec<GeneratedFile>>,
) -> Result<(Vec<GeneratedFile>, Option<ApiChanges>)> {
    let changelog_path = out_dir.join(CHANGELOG_FILE);
    let changelog = read_if_exists(&changelog_path)?;
    let old_surface = read_if_exists(&out_dir.join(SURFACE_FILE))?;
    let new_surface = files
        .iter()
        .find(|file| file.path == SURFACE_FILE)
        .map(|file| file.contents.clone())
        .context("the generator wrote no API surface")?;
    let (Some(old_surface), Some(version)) = (old_surface, current) else {
        // A crate generated for the first time (or before surfaces existed): nothing to
        // compare with; its changelog starts here.
        let version = current.unwrap_or("0.1.0");
        let changelog = changelog.unwrap_or_else(|| {
            format!("{}\n## {version}\n\nFirst generated.\n", changelog_header())
        });
        return Ok((with_changelog(files, changelog), None));
    };
    let report = codegen::compare(&old_surface, &new_surface);
    let verdict = report.verdict();
    let new_version = codegen::bump_version(version, verdict)
        .with_context(|| format!("the crate's version {version:?} is not a semantic version"))?;
    let (files, changelog) = if verdict == Verdict::Unchanged {
        let changelog = changelog.unwrap_or_else(changelog_header);
        (files, changelog)
    } else {
        let files = regenerate(&new_version)?;
        let entry = report.changelog_entry(&new_version);
        (files, add_entry(changelog.as_deref(), &entry))
    };
    let changes = ApiChanges {
        report,
        old_version: version.to_string(),
        new_version,
    };
    Ok((with_changelog(files, changelog), Some(changes)))
}

fn with_changelog(mut files: Vec<GeneratedFile>, changelog: String) -> Vec<GeneratedFile> {
    files.push(GeneratedFile {
        path: CHANGELOG_FILE.to_string(),
        contents: changelog,
    });
    files
}

/// The first lines of a changelog: the marker that lets the generator own the file, and
/// what the file is.
fn changelog_header() -> String {
    format!(
        "<!-- {GENERATED_MARKER} by `cargo xtask codegen`: each regeneration that changes the crate's API adds an entry at the top. -->\n\n# Changelog\n\nWhat changed in this crate's public API, newest first. Versions follow Cargo's rules: a breaking change moves the minor version while the major is 0, an additive one the patch version.\n"
    )
}

/// `changelog` with `entry` inserted above its newest entry (the first `## ` heading).
fn add_entry(changelog: Option<&str>, entry: &str) -> String {
    let changelog = changelog.map_or_else(changelog_header, str::to_string);
    let entry = entry.trim_end();
    match changelog.find("\n## ") {
        Some(at) => format!("{}{entry}\n\n{}", &changelog[..=at], &changelog[at + 1..]),
        None => format!("{}\n\n{entry}\n", changelog.trim_end()),
    }
}

fn read_if_exists(path: &Path) -> Result<Option<String>> {
    match fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_go_above_the_newest_and_the_header_stays() {
        let first = add_entry(None, "## 0.2.0\n\n- a\n");
        assert!(first.starts_with("<!-- @generated"), "{first}");
        assert!(first.ends_with(".\n\n## 0.2.0\n\n- a\n"), "{first}");
        let second = add_entry(Some(&first), "## 0.3.0\n\n- b\n");
        let newest = second.find("## 0.3.0").unwrap();
        let older = second.find("## 0.2.0").unwrap();
        assert!(newest < older, "{second}");
        assert!(
            second.contains("\n\n## 0.3.0\n\n- b\n\n## 0.2.0\n"),
            "{second}"
        );
        assert_eq!(second.matches("# Changelog").count(), 1);
    }

    #[test]
    fn the_package_version_is_read_from_the_manifest() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(current_version(dir.path()).unwrap(), None);
        fs::write(
            dir.path().join("Cargo.toml"),
            "[package]\nname = \"x\"\nversion = \"0.3.1\"\n\n[dependencies]\nversion = \"9\"\n",
        )
        .unwrap();
        assert_eq!(
            current_version(dir.path()).unwrap().as_deref(),
            Some("0.3.1")
        );
    }
}
