//! The one place that writes generated files (in the spirit of rust-analyzer's
//! `ensure_file_contents`): compare a complete, in-memory set of files with an output
//! directory, then either report the differences (check mode) or bring the directory in
//! step, touching only what differs.
//!
//! Rules:
//! - Everything is planned before anything is written; any error while planning leaves the
//!   directory as it was.
//! - A file whose contents are equal up to `\r\n` vs `\n` is left alone (so a checkout with
//!   Windows line endings is not "stale").
//! - Each write goes to a temporary file in the same directory, then is renamed into place,
//!   so a reader never sees half a file.
//! - Files whose first line carries [`codegen::GENERATED_MARKER`] and that are no longer
//!   produced are deleted; files without the marker (hand-written examples, tests, ...) and
//!   anything under `target/` or `.git/` are never deleted, nor (when non-empty) overwritten.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::fs;
use std::io::{self, BufRead, Read};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use codegen::{GENERATED_MARKER, GeneratedFile};

/// Whether [`ensure_files`] may write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Bring the directory in step with the generated files.
    Write,
    /// Only report differences; the directory is not touched.
    Check,
}

/// What happens (or, in check mode, would happen) to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// Generated but not on disk.
    Create,
    /// On disk with different contents.
    Update,
    /// On disk, marked `@generated`, but no longer generated.
    Delete,
}

/// One file that differs between disk and the generated set.
#[derive(Debug, Clone)]
pub struct FileChange {
    /// `/`-separated path relative to the output directory.
    pub path: String,
    pub kind: ChangeKind,
    /// Contents on disk (empty for [`ChangeKind::Create`]).
    pub old: String,
    /// Generated contents (empty for [`ChangeKind::Delete`]).
    pub new: String,
}

impl FileChange {
    /// A unified diff from disk to generated contents, cut to at most `max_lines` lines
    /// (plus one line saying how many were left out). `dir_label` prefixes the paths in
    /// the diff header, e.g. `generated/`.
    pub fn diff(&self, dir_label: &str, max_lines: usize) -> String {
        let old = normalize(&self.old);
        let new = normalize(&self.new);
        let path = format!("{dir_label}{}", self.path);
        let (a, b) = match self.kind {
            ChangeKind::Create => ("/dev/null".to_string(), format!("{path} (generated)")),
            ChangeKind::Update => (format!("{path} (on disk)"), format!("{path} (generated)")),
            ChangeKind::Delete => (format!("{path} (on disk)"), "/dev/null".to_string()),
        };
        let diff = similar::TextDiff::from_lines(old.as_ref(), new.as_ref());
        let text = diff
            .unified_diff()
            .context_radius(3)
            .header(&a, &b)
            .to_string();
        let lines: Vec<&str> = text.lines().collect();
        let mut out = String::new();
        for line in lines.iter().take(max_lines) {
            out.push_str(line);
            out.push('\n');
        }
        if lines.len() > max_lines {
            out.push_str(&format!(
                "... ({} more diff lines)\n",
                lines.len() - max_lines
            ));
        }
        out
    }
}

/// The outcome of [`ensure_files`].
#[derive(Debug, Clone)]
pub struct Report {
    pub mode: Mode,
    /// Files that differ, sorted by path. In write mode they have been applied.
    pub changes: Vec<FileChange>,
    /// Generated files already identical on disk.
    pub unchanged: usize,
}

impl Report {
    /// True when disk already matched the generated set.
    pub fn is_clean(&self) -> bool {
        self.changes.is_empty()
    }

    /// Files created or updated (or that would be, in check mode).
    pub fn written(&self) -> usize {
        self.changes
            .iter()
            .filter(|c| c.kind != ChangeKind::Delete)
            .count()
    }

    /// Files deleted (or that would be, in check mode).
    pub fn deleted(&self) -> usize {
        self.changes
            .iter()
            .filter(|c| c.kind == ChangeKind::Delete)
            .count()
    }
}

/// Directories never scanned for stale files: build output and VCS data.
const SKIPPED_DIRS: &[&str] = &["target", ".git"];

/// Makes `out_dir` hold exactly `files` among its `@generated` files (see the module docs),
/// or in [`Mode::Check`] reports what that would change without touching anything.
pub fn ensure_files(out_dir: &Path, files: &[GeneratedFile], mode: Mode) -> Result<Report> {
    let plan = plan(out_dir, files, mode)?;
    if mode == Mode::Write {
        apply(out_dir, &plan.changes)?;
    }
    Ok(Report {
        mode,
        changes: plan.changes,
        unchanged: plan.unchanged,
    })
}

struct Plan {
    changes: Vec<FileChange>,
    unchanged: usize,
}

/// Reads disk and decides every change; writes nothing.
fn plan(out_dir: &Path, files: &[GeneratedFile], mode: Mode) -> Result<Plan> {
    match fs::symlink_metadata(out_dir) {
        Ok(meta) if !meta.is_dir() => {
            bail!(
                "output path {} exists and is not a directory",
                out_dir.display()
            )
        }
        Ok(_) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(e).with_context(|| format!("reading {}", out_dir.display())),
    }

    let mut produced = BTreeSet::new();
    for file in files {
        validate_relative_path(&file.path)?;
        if !produced.insert(file.path.as_str()) {
            bail!("generator produced {} twice", file.path);
        }
    }

    let mut changes = Vec::new();
    let mut unchanged = 0;
    for file in files {
        let full = join_relative(out_dir, &file.path);
        ensure_ancestors_are_dirs(out_dir, &file.path)?;
        let old = match fs::symlink_metadata(&full) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(e).with_context(|| format!("reading {}", full.display())),
            Ok(meta) if !meta.is_file() => {
                bail!("{} exists and is not a regular file", full.display())
            }
            Ok(_) => Some(read_lossy(&full)?),
        };
        match old {
            None => changes.push(FileChange {
                path: file.path.clone(),
                kind: ChangeKind::Create,
                old: String::new(),
                new: file.contents.clone(),
            }),
            Some(old) if normalize(&old) == normalize(&file.contents) => unchanged += 1,
            Some(old) => {
                // Guard against `--out` pointing at a real crate: only our own files (or empty
                // placeholders) are replaced. Check mode just reports the difference.
                if mode == Mode::Write && !old.trim().is_empty() && !has_marker(&old) {
                    bail!(
                        "refusing to overwrite {}: it is not a generated file (its first line lacks \
                         `{GENERATED_MARKER}`); move it away or pick another output directory",
                        full.display()
                    );
                }
                changes.push(FileChange {
                    path: file.path.clone(),
                    kind: ChangeKind::Update,
                    old,
                    new: file.contents.clone(),
                });
            }
        }
    }

    let mut on_disk = Vec::new();
    if out_dir.is_dir() {
        collect_files(out_dir, "", &mut on_disk)?;
    }
    for rel in on_disk {
        if produced.contains(rel.as_str()) {
            continue;
        }
        let full = join_relative(out_dir, &rel);
        if !first_line_has_marker(&full)? {
            continue;
        }
        changes.push(FileChange {
            kind: ChangeKind::Delete,
            old: read_lossy(&full)?,
            new: String::new(),
            path: rel,
        });
    }

    changes.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Plan { changes, unchanged })
}

/// Carries out a plan. Errors here can leave a partial update, but every file is either
/// its old or its new self thanks to the rename.
fn apply(out_dir: &Path, changes: &[FileChange]) -> Result<()> {
    for change in changes {
        let full = join_relative(out_dir, &change.path);
        match change.kind {
            ChangeKind::Create | ChangeKind::Update => write_atomic(&full, &change.new)?,
            ChangeKind::Delete => {
                fs::remove_file(&full).with_context(|| format!("deleting {}", full.display()))?;
                remove_empty_parents(out_dir, &full);
            }
        }
    }
    Ok(())
}

/// Writes through a temporary sibling and a rename, so the file is never half-written.
fn write_atomic(path: &Path, contents: &str) -> Result<()> {
    let dir = path
        .parent()
        .context("generated file has no parent directory")?;
    fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let name = path
        .file_name()
        .context("generated file has no name")?
        .to_string_lossy();
    // Hidden and pid-tagged so concurrent runs don't collide; a leftover one carries the
    // marker and gets cleaned up as a stale generated file on the next run.
    let tmp = dir.join(format!(".{name}.{}.xtask-tmp", std::process::id()));
    let result = fs::write(&tmp, contents).and_then(|()| fs::rename(&tmp, path));
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result.with_context(|| format!("writing {}", path.display()))
}

/// Removes directories emptied by a deletion, up to but not including `out_dir`.
fn remove_empty_parents(out_dir: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == out_dir || !d.starts_with(out_dir) {
            break;
        }
        // `remove_dir` fails on a non-empty directory, which is exactly when to stop.
        if fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

/// Rejects paths that could escape the output directory or reach into `target/`.
fn validate_relative_path(path: &str) -> Result<()> {
    let bad = path.is_empty()
        || path.contains('\\')
        || path.contains(':')
        || path
            .split('/')
            .any(|c| c.is_empty() || c == "." || c == "..")
        || SKIPPED_DIRS
            .iter()
            .any(|d| path.split('/').any(|c| c == *d));
    if bad {
        bail!(
            "generator produced an invalid path {path:?} (must be relative, `/`-separated, without `.`, `..`, `target`)"
        );
    }
    Ok(())
}

/// Fails if a directory that must hold a generated file exists as something else.
fn ensure_ancestors_are_dirs(out_dir: &Path, rel: &str) -> Result<()> {
    let mut dir = out_dir.to_path_buf();
    let components: Vec<&str> = rel.split('/').collect();
    for c in &components[..components.len() - 1] {
        dir.push(c);
        match fs::symlink_metadata(&dir) {
            Ok(meta) if !meta.is_dir() => {
                bail!("{} exists and is not a directory", dir.display())
            }
            _ => {}
        }
    }
    Ok(())
}

fn join_relative(out_dir: &Path, rel: &str) -> PathBuf {
    let mut path = out_dir.to_path_buf();
    path.extend(rel.split('/'));
    path
}

/// Lists regular files under `dir` as `/`-separated paths, skipping [`SKIPPED_DIRS`] and
/// not following symlinks.
fn collect_files(dir: &Path, prefix: &str, out: &mut Vec<String>) -> Result<()> {
    let entries = fs::read_dir(dir).with_context(|| format!("listing {}", dir.display()))?;
    for entry in entries {
        let entry = entry.with_context(|| format!("listing {}", dir.display()))?;
        let Ok(name) = entry.file_name().into_string() else {
            continue; // not UTF-8: cannot be one of ours
        };
        let file_type = entry.file_type()?;
        let rel = format!("{prefix}{name}");
        if file_type.is_dir() {
            if !SKIPPED_DIRS.contains(&name.as_str()) {
                collect_files(&entry.path(), &format!("{rel}/"), out)?;
            }
        } else if file_type.is_file() {
            out.push(rel);
        }
    }
    Ok(())
}

/// Reads only the first line (capped), so scanning big hand-written files stays cheap.
fn first_line_has_marker(path: &Path) -> Result<bool> {
    let file = fs::File::open(path).with_context(|| format!("reading {}", path.display()))?;
    let mut line = Vec::new();
    io::BufReader::new(file.take(8192))
        .read_until(b'\n', &mut line)
        .with_context(|| format!("reading {}", path.display()))?;
    Ok(has_marker(&String::from_utf8_lossy(&line)))
}

/// Whether a file's first line is the generator's header: the marker followed by the
/// command that wrote it (`@generated by \`cargo xtask codegen\``). Other tools' marked
/// files (Cargo's `Cargo.lock` says "@generated by Cargo") are not ours to delete.
fn has_marker(text: &str) -> bool {
    text.lines()
        .next()
        .is_some_and(|l| l.contains(&format!("{GENERATED_MARKER} by `")))
}

fn read_lossy(path: &Path) -> Result<String> {
    let bytes = fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    })
}

fn normalize(text: &str) -> Cow<'_, str> {
    if text.contains("\r\n") {
        Cow::Owned(text.replace("\r\n", "\n"))
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use std::time::{Duration, SystemTime};

    fn gen_file(path: &str, body: &str) -> GeneratedFile {
        GeneratedFile {
            path: path.into(),
            contents: format!("// @generated by `test`\n{body}\n"),
        }
    }

    fn fake_crate() -> Vec<GeneratedFile> {
        vec![
            GeneratedFile {
                path: "Cargo.toml".into(),
                contents: "# @generated by `test`\n[package]\nname = \"fake\"\n".into(),
            },
            gen_file("src/lib.rs", "pub mod models;"),
            gen_file("src/models.rs", "pub struct A;"),
        ]
    }

    /// Every file under `dir` with its bytes, to prove a run touched nothing.
    fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
        fn walk(dir: &Path, prefix: &str, out: &mut BTreeMap<String, Vec<u8>>) {
            for entry in fs::read_dir(dir).unwrap() {
                let entry = entry.unwrap();
                let name = entry.file_name().into_string().unwrap();
                let rel = format!("{prefix}{name}");
                if entry.file_type().unwrap().is_dir() {
                    out.insert(format!("{rel}/"), Vec::new());
                    walk(&entry.path(), &format!("{rel}/"), out);
                } else {
                    out.insert(rel, fs::read(entry.path()).unwrap());
                }
            }
        }
        let mut out = BTreeMap::new();
        walk(dir, "", &mut out);
        out
    }

    fn mtime(path: &Path) -> SystemTime {
        fs::metadata(path).unwrap().modified().unwrap()
    }

    /// Backdates a file so a later rewrite is visible whatever the clock's granularity.
    fn backdate(path: &Path) {
        let old = SystemTime::now() - Duration::from_secs(3600);
        fs::File::options()
            .write(true)
            .open(path)
            .unwrap()
            .set_modified(old)
            .unwrap();
    }

    #[test]
    fn first_run_creates_everything() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("crate");
        let report = ensure_files(&out, &fake_crate(), Mode::Write).unwrap();
        assert_eq!(
            (report.written(), report.deleted(), report.unchanged),
            (3, 0, 0)
        );
        assert_eq!(
            fs::read_to_string(out.join("src/models.rs")).unwrap(),
            "// @generated by `test`\npub struct A;\n"
        );
        let again = ensure_files(&out, &fake_crate(), Mode::Write).unwrap();
        assert!(again.is_clean());
        assert_eq!(again.unchanged, 3);
    }

    #[test]
    fn only_changed_files_are_written() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        ensure_files(out, &fake_crate(), Mode::Write).unwrap();
        for f in ["Cargo.toml", "src/lib.rs", "src/models.rs"] {
            backdate(&out.join(f));
        }
        let before_lib = mtime(&out.join("src/lib.rs"));
        let before_toml = mtime(&out.join("Cargo.toml"));
        let before_models = mtime(&out.join("src/models.rs"));

        let mut files = fake_crate();
        files[2] = gen_file("src/models.rs", "pub struct B;");
        let report = ensure_files(out, &files, Mode::Write).unwrap();

        assert_eq!(
            (report.written(), report.deleted(), report.unchanged),
            (1, 0, 2)
        );
        assert_eq!(report.changes[0].path, "src/models.rs");
        assert_eq!(report.changes[0].kind, ChangeKind::Update);
        assert_eq!(mtime(&out.join("src/lib.rs")), before_lib);
        assert_eq!(mtime(&out.join("Cargo.toml")), before_toml);
        assert_ne!(mtime(&out.join("src/models.rs")), before_models);
        assert!(
            fs::read_to_string(out.join("src/models.rs"))
                .unwrap()
                .contains("struct B")
        );
        // No temporary files left behind.
        assert_eq!(fs::read_dir(out.join("src")).unwrap().count(), 2);
    }

    #[test]
    fn crlf_on_disk_counts_as_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        ensure_files(out, &fake_crate(), Mode::Write).unwrap();
        let lib = out.join("src/lib.rs");
        let crlf = fs::read_to_string(&lib).unwrap().replace('\n', "\r\n");
        fs::write(&lib, &crlf).unwrap();
        let report = ensure_files(out, &fake_crate(), Mode::Write).unwrap();
        assert!(report.is_clean());
        assert_eq!(fs::read_to_string(&lib).unwrap(), crlf);
    }

    #[test]
    fn stale_generated_files_are_deleted_and_hand_written_kept() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        let mut files = fake_crate();
        files.push(gen_file("src/gone/deep/old.rs", "pub struct Old;"));
        files.push(gen_file("src/api/old.rs", "pub struct Old;"));
        ensure_files(out, &files, Mode::Write).unwrap();

        // Hand-written neighbours, and a marked file under target/ that is not ours to delete.
        fs::write(out.join("src/api/handwritten.rs"), "// mine\n").unwrap();
        fs::create_dir_all(out.join("examples")).unwrap();
        fs::write(out.join("examples/demo.rs"), "fn main() {}\n").unwrap();
        fs::write(
            out.join("examples/late_marker.rs"),
            "fn main() {}\n// @generated by `x`\n",
        )
        .unwrap();
        fs::create_dir_all(out.join("target/debug")).unwrap();
        fs::write(out.join("target/debug/x.rs"), "// @generated by `x`\n").unwrap();
        // Cargo marks its lock file too, with no command: it stays.
        fs::write(
            out.join("Cargo.lock"),
            "# This file is automatically @generated by Cargo.\n",
        )
        .unwrap();

        let report = ensure_files(out, &fake_crate(), Mode::Write).unwrap();
        let deleted: Vec<_> = report
            .changes
            .iter()
            .map(|c| (c.path.as_str(), c.kind))
            .collect();
        assert_eq!(
            deleted,
            [
                ("src/api/old.rs", ChangeKind::Delete),
                ("src/gone/deep/old.rs", ChangeKind::Delete)
            ]
        );
        assert_eq!(report.unchanged, 3);
        assert!(!out.join("src/api/old.rs").exists());
        assert!(
            !out.join("src/gone").exists(),
            "emptied directories are removed"
        );
        assert!(
            out.join("src/api/handwritten.rs").exists(),
            "directory with a hand-written file stays"
        );
        assert!(out.join("examples/demo.rs").exists());
        assert!(
            out.join("Cargo.lock").exists(),
            "Cargo's lock file is not ours"
        );
        assert!(
            out.join("examples/late_marker.rs").exists(),
            "marker must be on line 1"
        );
        assert!(out.join("target/debug/x.rs").exists());
    }

    #[test]
    fn check_mode_writes_nothing_and_reports_diffs() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        let mut files = fake_crate();
        files.push(gen_file("src/extra.rs", "pub struct Extra;"));
        ensure_files(out, &files, Mode::Write).unwrap();
        fs::write(out.join("notes.md"), "hand-written\n").unwrap();
        fs::remove_file(out.join("src/lib.rs")).unwrap();
        let before = snapshot(out);

        let mut files = fake_crate();
        files[2] = gen_file("src/models.rs", "pub struct B;");
        let report = ensure_files(out, &files, Mode::Check).unwrap();

        assert_eq!(snapshot(out), before);
        let kinds: Vec<_> = report
            .changes
            .iter()
            .map(|c| (c.path.as_str(), c.kind))
            .collect();
        assert_eq!(
            kinds,
            [
                ("src/extra.rs", ChangeKind::Delete),
                ("src/lib.rs", ChangeKind::Create),
                ("src/models.rs", ChangeKind::Update),
            ]
        );
        assert_eq!(report.unchanged, 1);
        let diff = report.changes[2].diff("out/", 40);
        assert!(diff.contains("--- out/src/models.rs (on disk)"), "{diff}");
        assert!(
            diff.contains("-pub struct A;") && diff.contains("+pub struct B;"),
            "{diff}"
        );
        assert!(
            report.changes[0]
                .diff("", 40)
                .contains("-pub struct Extra;")
        );
        assert!(report.changes[1].diff("", 40).contains("+pub mod models;"));
    }

    #[test]
    fn check_mode_on_missing_dir_reports_without_creating_it() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("nope");
        let report = ensure_files(&out, &fake_crate(), Mode::Check).unwrap();
        assert_eq!(report.written(), 3);
        assert!(!out.exists());
    }

    #[test]
    fn diffs_are_capped() {
        let old: String = (0..500).map(|i| format!("line {i}\n")).collect();
        let change = FileChange {
            path: "big.rs".into(),
            kind: ChangeKind::Update,
            new: old.replace("line", "LINE"),
            old,
        };
        let diff = change.diff("", 40);
        assert_eq!(diff.lines().count(), 41);
        assert!(diff.ends_with("more diff lines)\n"), "{diff}");
    }

    #[test]
    fn invalid_file_list_leaves_dir_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        ensure_files(out, &fake_crate(), Mode::Write).unwrap();
        let before = snapshot(out);
        for bad in [
            "../escape.rs",
            "/abs.rs",
            "src//x.rs",
            "target/x.rs",
            "a\\b.rs",
            "",
        ] {
            let mut files = fake_crate();
            files[1] = gen_file("src/lib.rs", "changed");
            files.push(gen_file(bad, ""));
            assert!(
                ensure_files(out, &files, Mode::Write).is_err(),
                "{bad:?} accepted"
            );
            assert_eq!(snapshot(out), before, "{bad:?}");
        }
        let mut dup = fake_crate();
        dup[0] = gen_file("src/models.rs", "changed");
        assert!(ensure_files(out, &dup, Mode::Write).is_err());
        assert_eq!(snapshot(out), before);
    }

    #[test]
    fn refuses_to_overwrite_hand_written_file_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        fs::create_dir_all(out.join("src")).unwrap();
        fs::write(out.join("Cargo.toml"), "[package]\nname = \"mine\"\n").unwrap();
        let before = snapshot(out);
        let err = ensure_files(out, &fake_crate(), Mode::Write).unwrap_err();
        assert!(err.to_string().contains("refusing to overwrite"), "{err}");
        assert_eq!(snapshot(out), before);
    }

    #[test]
    fn empty_placeholder_may_be_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        fs::create_dir_all(out.join("src")).unwrap();
        fs::write(out.join("src/lib.rs"), "").unwrap();
        let report = ensure_files(out, &fake_crate(), Mode::Write).unwrap();
        assert_eq!(report.written(), 3);
    }
}
