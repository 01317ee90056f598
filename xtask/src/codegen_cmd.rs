//! `cargo xtask codegen`: turns OpenAPI specs into SDK crates on disk.
//!
//! Two forms: the workspace job (every row of [`WORKSPACE_CRATES`]) and a standalone run
//! (`--spec FILE --out DIR`) that writes a crate buildable anywhere.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use codegen::{GeneratedFile, Overlay, Runtime, Settings, Spec};
use heck::ToKebabCase;

use crate::api_changes::{ApiChanges, api_changes};
use crate::ensure::{ChangeKind, Mode, Report, ensure_files};
use crate::runtime_source::{runtime_features, vendored_runtime};
use crate::util::{display_path, relative_path, repo_root, resolve, shell_quote, toml_string};

/// One SDK crate generated inside this workspace. Paths are relative to the repository root.
pub struct WorkspaceCrate {
    /// The OpenAPI document, as its publisher wrote it.
    pub spec: &'static str,
    /// Our additions and corrections to it, as an Overlay document.
    pub overlay: Option<&'static str>,
    pub out: &'static str,
}

/// The workspace's generated crates; adding a spec is adding a row.
pub const WORKSPACE_CRATES: &[WorkspaceCrate] = &[WorkspaceCrate {
    spec: "spec/anthropic-openapi.json",
    overlay: Some("spec/skills-overlay.yaml"),
    out: "generated",
}];

/// The version of a crate generated for the first time; later ones follow its API changes.
const FIRST_VERSION: &str = "0.1.0";

/// The hand-written runtime crate every generated crate depends on (relative to the root).
const RUNTIME_DIR: &str = "runtime";
/// The command that regenerates the workspace crates, quoted in their headers.
const WORKSPACE_COMMAND: &str = "cargo xtask codegen";
/// Lines of diff shown per stale file in check mode.
const DIFF_LINES: usize = 40;

/// What `cargo xtask codegen` was asked to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Every crate in [`WORKSPACE_CRATES`].
    Workspace,
    /// One spec to a standalone crate, paths as the user typed them.
    Standalone {
        spec: String,
        overlay: Option<String>,
        out: String,
        name: Option<String>,
        runtime: RuntimeMode,
    },
}

/// How a crate generated outside this workspace gets the runtime.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RuntimeMode {
    /// The runtime's source copied into the crate (`src/sdk_runtime/`): registry
    /// dependencies only, so the crate builds, moves and publishes on its own.
    #[default]
    Vendored,
    /// A path dependency on this repository's `runtime/`: for working on the runtime and
    /// a generated crate together; the crate builds only beside this checkout.
    Path,
}

/// One spec to generate, with everything but the crate name decided before the spec is read.
#[derive(Debug, Clone)]
pub struct Job {
    pub spec_path: PathBuf,
    /// How the spec is named in error messages.
    pub spec_display: String,
    /// The overlay applied to the spec, and how it is named in messages.
    pub overlay: Option<(PathBuf, String)>,
    pub out_dir: PathBuf,
    /// Crate name given by the user; otherwise derived from the spec (see [`default_crate_name`]).
    pub name: Option<String>,
    /// Last-resort name source: the spec's file stem.
    pub file_stem: Option<String>,
    /// Settings for the generator; `crate_name` is filled in by [`Job::generate`].
    pub settings: Settings,
}

/// What one job produced in memory: the crate's files and what changed in its API.
#[derive(Debug)]
pub struct Generated {
    pub files: Vec<GeneratedFile>,
    /// `None` when there was no earlier crate to compare with.
    pub changes: Option<ApiChanges>,
    /// What the reader stood in for in the spec, already formatted for the terminal.
    pub warnings: Vec<String>,
    /// What the overlay's `x-select` kept, as a line for the terminal.
    pub selection: Option<String>,
}

impl Job {
    /// Reads and parses the spec (and overlay); touches nothing on disk.
    pub fn load(&self) -> Result<Spec> {
        let text = std::fs::read_to_string(&self.spec_path)
            .with_context(|| format!("reading spec {}", self.spec_display))?;
        let overlay = match &self.overlay {
            Some((path, display)) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("reading overlay {display}"))?;
                Some(Overlay::parse(&text, display)?)
            }
            None => None,
        };
        // codegen::Error's Display carries file:line:column, so it is reported bare.
        // Handed over: the spec keeps the text (to place errors) without a copy.
        Ok(Spec::parse_owned(
            text,
            &self.spec_display,
            overlay.as_ref(),
        )?)
    }

    /// Generates the crate in memory, its version moved by what changed in its API since
    /// the crate on disk, and a changelog entry for that; touches nothing on disk.
    pub fn generate(&self) -> Result<Generated> {
        let spec = self.load()?;
        let warnings = spec
            .warnings()
            .iter()
            .map(|w| format!("warning: {}: {w}", self.spec_display))
            .collect();
        let selection = spec.selection().map(|s| {
            format!(
                "{} of {} operations selected; {} of {} schemas reached",
                s.operations_kept, s.operations_total, s.schemas_kept, s.schemas_total
            )
        });
        let crate_name = match &self.name {
            Some(name) => name.clone(),
            None => default_crate_name(&spec, self.file_stem.as_deref())?,
        };
        let current = crate::api_changes::current_version(&self.out_dir)?;
        let settings = Settings {
            crate_name,
            crate_version: current.clone().unwrap_or_else(|| FIRST_VERSION.to_string()),
            ..self.settings.clone()
        };
        let files = codegen::generate(&spec, &settings)?;
        let (files, changes) = api_changes(&self.out_dir, files, current.as_deref(), |version| {
            let settings = Settings {
                crate_version: version.to_string(),
                ..settings.clone()
            };
            Ok(codegen::generate(&spec, &settings)?)
        })?;
        Ok(Generated {
            files,
            changes,
            warnings,
            selection,
        })
    }
}

/// Runs `cargo xtask codegen`. Returns `Ok(false)` when `--check` found stale files.
pub fn run(target: &Target, mode: Mode) -> Result<bool> {
    let start = Instant::now();
    let jobs = match target {
        Target::Workspace => workspace_jobs(&repo_root())?,
        Target::Standalone {
            spec,
            overlay,
            out,
            name,
            runtime,
        } => vec![standalone_job(
            spec,
            overlay.as_deref(),
            out,
            name.as_deref(),
            *runtime,
        )?],
    };
    // Generate every crate before writing any, so one bad spec leaves all outputs untouched.
    let outputs = jobs.iter().map(Job::generate).collect::<Result<Vec<_>>>()?;

    let mut in_sync = true;
    for (job, generated) in jobs.iter().zip(&outputs) {
        for warning in &generated.warnings {
            eprintln!("{warning}");
        }
        let label = format!("{}/", display_path(&job.out_dir).trim_end_matches('/'));
        if let Some(selection) = &generated.selection {
            println!("{label}: {selection}");
        }
        if let Some(changes) = &generated.changes {
            print!("{}", changes.display(&label, mode));
        }
        let report = ensure_files(&job.out_dir, &generated.files, mode)?;
        print_report(&label, &report, start);
        in_sync &= report.is_clean();
    }
    if mode == Mode::Check && !in_sync {
        // Same command for every job of one invocation, so print it once.
        println!("run `{}` to update", jobs[0].settings.regenerate_command);
    }
    Ok(in_sync || mode == Mode::Write)
}

fn print_report(label: &str, report: &Report, start: Instant) {
    let ms = start.elapsed().as_millis();
    match report.mode {
        Mode::Write => println!(
            "{label}: {} written, {} deleted, {} unchanged ({ms} ms)",
            report.written(),
            report.deleted(),
            report.unchanged
        ),
        Mode::Check if report.is_clean() => {
            println!("{label}: up to date ({} files, {ms} ms)", report.unchanged)
        }
        Mode::Check => {
            for change in &report.changes {
                let what = match change.kind {
                    ChangeKind::Create => "missing",
                    ChangeKind::Update => "differs",
                    ChangeKind::Delete => "no longer generated",
                };
                println!("{label}{}: {what}", change.path);
                print!("{}", change.diff(label, DIFF_LINES));
            }
            println!(
                "{label}: out of date: {} to write, {} to delete, {} unchanged ({ms} ms)",
                report.written(),
                report.deleted(),
                report.unchanged
            );
        }
    }
}

/// Jobs for [`WORKSPACE_CRATES`], with paths between them relative so the workspace can
/// move.
pub fn workspace_jobs(root: &Path) -> Result<Vec<Job>> {
    let runtime = root.join(RUNTIME_DIR);
    WORKSPACE_CRATES
        .iter()
        .map(|krate| {
            let out_dir = root.join(krate.out);
            let spec_path = root.join(krate.spec);
            let overlay_path = krate.overlay.map(|overlay| root.join(overlay));
            let runtime_rel = relative_path(&out_dir, &runtime).context("runtime path")?;
            let features = runtime_features()?;
            Ok(Job {
                // Repository-relative, so generated headers do not depend on the working directory.
                spec_display: krate.spec.to_string(),
                file_stem: file_stem(&spec_path),
                name: None,
                settings: Settings {
                    crate_name: String::new(),
                    crate_version: FIRST_VERSION.to_string(),
                    runtime: path_runtime(&runtime_rel, features),
                    standalone: false,
                    spec_path_from_crate: relative_path(&out_dir, &spec_path),
                    overlay_path_from_crate: overlay_path
                        .as_ref()
                        .and_then(|overlay| relative_path(&out_dir, overlay)),
                    regenerate_command: WORKSPACE_COMMAND.to_string(),
                },
                overlay: overlay_path.zip(krate.overlay.map(str::to_string)),
                spec_path,
                out_dir,
            })
        })
        .collect()
}

/// The job for `--spec FILE [--overlay FILE] --out DIR [--name CRATE]`.
pub fn standalone_job(
    spec: &str,
    overlay: Option<&str>,
    out: &str,
    name: Option<&str>,
    runtime_mode: RuntimeMode,
) -> Result<Job> {
    if let Some(name) = name {
        validate_crate_name(name)?;
    }
    let spec_path = PathBuf::from(spec);
    let out_dir = PathBuf::from(out);
    let runtime_dir = repo_root().join(RUNTIME_DIR);
    let runtime = match runtime_mode {
        RuntimeMode::Vendored => Runtime::Vendored(vendored_runtime(&runtime_dir)?),
        RuntimeMode::Path => {
            let path = runtime_dir
                .to_str()
                .context("the repository path is not valid UTF-8")?;
            path_runtime(path, runtime_features()?)
        }
    };
    let from_crate = |input: &Path| match (resolve(&out_dir), resolve(input)) {
        (Some(out), Some(input)) => relative_path(&out, &input),
        _ => None,
    };
    let spec_path_from_crate = from_crate(&spec_path);
    let overlay_path_from_crate = overlay.and_then(|overlay| from_crate(Path::new(overlay)));
    let mut command = format!("cargo xtask codegen --spec {}", shell_quote(spec));
    if let Some(overlay) = overlay {
        command.push_str(&format!(" --overlay {}", shell_quote(overlay)));
    }
    command.push_str(&format!(" --out {}", shell_quote(out)));
    if let Some(name) = name {
        command.push_str(&format!(" --name {}", shell_quote(name)));
    }
    Ok(Job {
        spec_display: spec.to_string(),
        file_stem: file_stem(&spec_path),
        name: name.map(str::to_string),
        settings: Settings {
            crate_name: String::new(),
            crate_version: FIRST_VERSION.to_string(),
            runtime,
            standalone: true,
            spec_path_from_crate,
            overlay_path_from_crate,
            regenerate_command: command,
        },
        overlay: overlay.map(|overlay| (PathBuf::from(overlay), overlay.to_string())),
        spec_path,
        out_dir,
    })
}

/// A path dependency on the runtime, its default features left to the crate's own
/// features, which forward to the runtime's.
fn path_runtime(path: &str, features: Vec<codegen::Feature>) -> Runtime {
    let toml = if features.is_empty() {
        format!("{{ path = {} }}", toml_string(path))
    } else {
        format!(
            "{{ path = {}, default-features = false }}",
            toml_string(path)
        )
    };
    Runtime::Dependency { toml, features }
}

fn file_stem(path: &Path) -> Option<String> {
    path.file_stem()
        .and_then(|s| s.to_str())
        .map(str::to_string)
}

/// The crate name a spec asks for: `info.x-crate-name`, else its title in kebab case, else
/// the spec's file stem; the first that yields a valid package name once sanitized.
pub fn default_crate_name(spec: &Spec, file_stem: Option<&str>) -> Result<String> {
    let title = spec.title().to_kebab_case();
    [spec.crate_name(), Some(title.as_str()), file_stem]
        .into_iter()
        .flatten()
        .find_map(sanitize_crate_name)
        .context("cannot derive a crate name from the spec; pass --name")
}

/// Rust keywords cannot be library names, which cargo derives from the package name.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "static", "struct", "super", "trait", "true", "try", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield",
];

/// Turns arbitrary text into a valid cargo package name (lowercase ASCII, `-` between
/// words), or `None` if nothing usable is left.
pub fn sanitize_crate_name(raw: &str) -> Option<String> {
    let mut name = String::new();
    for c in raw.trim().chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_alphanumeric() || c == '_' {
            name.push(c);
        } else if !name.ends_with('-') {
            name.push('-');
        }
    }
    let name = name.trim_matches(|c| c == '-' || c == '_');
    if name.is_empty() {
        return None;
    }
    let mut name = name.to_string();
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, "sdk-");
    }
    if KEYWORDS.contains(&name.as_str()) {
        name.push_str("-sdk");
    }
    Some(name)
}

/// Checks a user-given `--name` instead of silently changing it.
fn validate_crate_name(name: &str) -> Result<()> {
    let valid = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && !KEYWORDS.contains(&name);
    if !valid {
        match sanitize_crate_name(name) {
            Some(fixed) => bail!("invalid crate name {name:?}; try {fixed:?}"),
            None => bail!("invalid crate name {name:?}"),
        }
    }
    Ok(())
}

/// Read-only check that every workspace crate on disk is what the spec and the current
/// generator produce, so `cargo test` catches a stale crate and an unregenerated
/// generator change alike.
#[cfg(test)]
mod freshness {
    use super::*;

    #[test]
    fn workspace_crates_match_spec_and_generator() {
        for job in workspace_jobs(&repo_root()).expect("workspace jobs") {
            let generated = job.generate().expect("the workspace spec generates");
            let report = ensure_files(&job.out_dir, &generated.files, Mode::Check)
                .expect("check mode reads only");
            assert!(
                report.is_clean(),
                "{} is stale; run `cargo xtask codegen`:\n{}",
                display_path(&job.out_dir),
                report
                    .changes
                    .iter()
                    .map(|c| c.diff(&format!("{}/", display_path(&job.out_dir)), DIFF_LINES))
                    .collect::<String>()
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn spec(yaml: &str) -> Spec {
        Spec::parse(yaml, "test.yaml").unwrap()
    }

    #[test]
    fn crate_name_sources_in_order() {
        let with_ext = spec(
            "openapi: 3.0.3\ninfo: {title: Anthropic Skills API, version: '1', x-crate-name: anthropic-skills}\npaths: {}\n",
        );
        assert_eq!(
            default_crate_name(&with_ext, Some("stem")).unwrap(),
            "anthropic-skills"
        );
        let titled =
            spec("openapi: 3.0.3\ninfo: {title: Pet Store API, version: '1'}\npaths: {}\n");
        assert_eq!(
            default_crate_name(&titled, Some("stem")).unwrap(),
            "pet-store-api"
        );
        let untitled = spec("openapi: 3.0.3\ninfo: {title: '***', version: '1'}\npaths: {}\n");
        assert_eq!(
            default_crate_name(&untitled, Some("my_spec")).unwrap(),
            "my_spec"
        );
        assert!(default_crate_name(&untitled, None).is_err());
    }

    #[test]
    fn crate_names_are_sanitized() {
        assert_eq!(
            sanitize_crate_name("My API (v2)").as_deref(),
            Some("my-api-v2")
        );
        assert_eq!(sanitize_crate_name("3scale").as_deref(), Some("sdk-3scale"));
        assert_eq!(sanitize_crate_name("type").as_deref(), Some("type-sdk"));
        assert_eq!(sanitize_crate_name("--x__").as_deref(), Some("x"));
        assert_eq!(sanitize_crate_name("ünï"), Some("n".to_string()));
        assert_eq!(sanitize_crate_name("!!"), None);
        assert!(validate_crate_name("Good_name-2").is_ok());
        assert!(validate_crate_name("bad name").is_err());
        assert!(validate_crate_name("fn").is_err());
    }

    #[test]
    fn workspace_settings() {
        let jobs = workspace_jobs(Path::new("/repo")).unwrap();
        let s = &jobs[0].settings;
        assert_eq!(jobs[0].out_dir, Path::new("/repo/generated"));
        let Runtime::Dependency { toml, features } = &s.runtime else {
            panic!("the workspace crate shares runtime/: {:?}", s.runtime);
        };
        assert_eq!(toml, r#"{ path = "../runtime", default-features = false }"#);
        let names: Vec<&str> = features.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["default", "native-tls", "rustls-tls"]);
        assert_eq!(
            s.spec_path_from_crate.as_deref(),
            Some("../spec/anthropic-openapi.json")
        );
        assert_eq!(
            s.overlay_path_from_crate.as_deref(),
            Some("../spec/skills-overlay.yaml")
        );
        assert_eq!(s.regenerate_command, "cargo xtask codegen");
        assert!(!s.standalone);
        assert_eq!(s.crate_version, "0.1.0");
    }

    #[test]
    fn standalone_settings() {
        let dir = tempfile::tempdir().unwrap();
        let spec_path = dir.path().join("specs/pet store.yaml");
        fs::create_dir_all(spec_path.parent().unwrap()).unwrap();
        fs::write(&spec_path, "").unwrap();
        let out = dir.path().join("out/petstore");
        let job = standalone_job(
            spec_path.to_str().unwrap(),
            None,
            out.to_str().unwrap(),
            Some("pets"),
            RuntimeMode::Vendored,
        )
        .unwrap();
        let s = &job.settings;
        assert!(s.standalone);
        assert_eq!(
            s.spec_path_from_crate.as_deref(),
            Some("../../specs/pet store.yaml")
        );
        let Runtime::Vendored(vendored) = &s.runtime else {
            panic!(
                "a crate outside the workspace vendors the runtime: {:?}",
                s.runtime
            );
        };
        assert!(vendored.files.iter().any(|(name, _)| name == "lib.rs"));
        let path = standalone_job("a.yaml", None, "out", None, RuntimeMode::Path).unwrap();
        let runtime = repo_root().join("runtime");
        let Runtime::Dependency { toml, .. } = &path.settings.runtime else {
            panic!("--runtime path depends on runtime/");
        };
        assert_eq!(
            *toml,
            format!(
                "{{ path = {}, default-features = false }}",
                toml_string(runtime.to_str().unwrap())
            )
        );
        assert!(
            s.regenerate_command
                .starts_with("cargo xtask codegen --spec '"),
            "{}",
            s.regenerate_command
        );
        assert!(
            s.regenerate_command.ends_with(" --name pets"),
            "{}",
            s.regenerate_command
        );
        assert_eq!(job.file_stem.as_deref(), Some("pet store"));
        assert!(
            standalone_job(
                "a.yaml",
                None,
                "out",
                Some("bad name"),
                RuntimeMode::Vendored
            )
            .is_err()
        );
    }

    #[test]
    fn the_vendored_runtime_is_the_runtime_byte_for_byte() {
        let dir = tempfile::tempdir().unwrap();
        let spec = repo_root().join("codegen/tests/fixtures/bodies.yaml");
        let out = dir.path().join("bodies");
        let job = standalone_job(
            spec.to_str().unwrap(),
            None,
            out.to_str().unwrap(),
            None,
            RuntimeMode::Vendored,
        )
        .unwrap();
        let generated = job.generate().unwrap();
        let runtime_src = repo_root().join("runtime/src");
        let mut compared = 0;
        for entry in fs::read_dir(&runtime_src).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_str().unwrap().to_string();
            let target = if name == "lib.rs" {
                "mod.rs".to_string()
            } else {
                name
            };
            let file = generated
                .files
                .iter()
                .find(|f| f.path == format!("src/sdk_runtime/{target}"))
                .unwrap_or_else(|| panic!("{target} is not vendored"));
            let (header, text) = file.contents.split_once('\n').unwrap();
            assert!(header.starts_with("// @generated"), "{header}");
            assert_eq!(text, fs::read_to_string(&path).unwrap(), "{target} differs");
            compared += 1;
        }
        assert!(compared >= 10, "only {compared} runtime files");
        let manifest = &generated
            .files
            .iter()
            .find(|f| f.path == "Cargo.toml")
            .unwrap()
            .contents;
        assert!(!manifest.contains("path ="), "{manifest}");
        assert!(
            manifest.contains("native-tls = [\"reqwest/native-tls\"]"),
            "{manifest}"
        );
    }

    #[test]
    fn bad_spec_reports_location_and_leaves_output_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let spec_path = dir.path().join("bad.yaml");
        fs::write(&spec_path, "openapi: 3.0.3\ninfo: [unclosed\n").unwrap();
        let out = dir.path().join("out");
        fs::create_dir_all(out.join("src")).unwrap();
        fs::write(out.join("src/lib.rs"), "// @generated by `old`\n").unwrap();

        let job = standalone_job(
            spec_path.to_str().unwrap(),
            None,
            out.to_str().unwrap(),
            None,
            RuntimeMode::Vendored,
        )
        .unwrap();
        let err = job.generate().unwrap_err();
        let shown = format!("{err:#}");
        let prefix = format!("{}:", spec_path.display());
        assert!(shown.starts_with(&prefix), "{shown}");
        assert!(
            shown[prefix.len()..].starts_with(|c: char| c.is_ascii_digit()),
            "no line: {shown}"
        );
        assert_eq!(
            fs::read_to_string(out.join("src/lib.rs")).unwrap(),
            "// @generated by `old`\n"
        );
        assert_eq!(fs::read_dir(&out).unwrap().count(), 1);
    }
}

/// The regeneration workflow on Anthropic's real document: a later upstream version that
/// only adds things regenerates with no overlay edit and reports each addition; a
/// breaking one is called so; drift the overlay did not expect stops regeneration and
/// leaves the crate as it was.
#[cfg(test)]
mod upgrades {
    use super::*;
    use serde_json::{Value, json};
    use std::fs;

    struct Workspace {
        _dir: tempfile::TempDir,
        spec: PathBuf,
        job: Job,
    }

    impl Workspace {
        /// Copies the workspace's spec and overlay into a scratch directory and generates
        /// a crate from them there.
        fn new() -> Workspace {
            let dir = tempfile::tempdir().unwrap();
            let root = repo_root();
            let krate = &WORKSPACE_CRATES[0];
            let spec = dir.path().join("openapi.json");
            let overlay = dir.path().join("overlay.yaml");
            fs::copy(root.join(krate.spec), &spec).unwrap();
            fs::copy(root.join(krate.overlay.unwrap()), &overlay).unwrap();
            let out = dir.path().join("sdk");
            let job = standalone_job(
                spec.to_str().unwrap(),
                Some(overlay.to_str().unwrap()),
                out.to_str().unwrap(),
                Some("anthropic-skills"),
                RuntimeMode::Path,
            )
            .unwrap();
            let workspace = Workspace {
                _dir: dir,
                spec,
                job,
            };
            let first = workspace.regenerate();
            assert!(first.changes.is_none(), "nothing to compare with yet");
            // The eight Skills operations, and about two dozen of the document's schemas.
            let selection = first.selection.expect("the overlay selects");
            assert!(selection.starts_with("8 of "), "{selection}");
            workspace
        }

        fn edit_spec(&self, edit: impl FnOnce(&mut Value)) {
            let mut document: Value =
                serde_json::from_str(&fs::read_to_string(&self.spec).unwrap()).unwrap();
            edit(&mut document);
            fs::write(&self.spec, serde_json::to_string(&document).unwrap()).unwrap();
        }

        /// Generates and writes; returns what generation said.
        fn regenerate(&self) -> Generated {
            let generated = self.job.generate().expect("generates");
            ensure_files(&self.job.out_dir, &generated.files, Mode::Write).unwrap();
            generated
        }

        fn file(&self, name: &str) -> String {
            fs::read_to_string(self.job.out_dir.join(name)).unwrap()
        }
    }

    fn report(generated: &Generated) -> String {
        generated
            .changes
            .as_ref()
            .expect("compared")
            .report
            .to_text()
    }

    #[test]
    fn an_upstream_that_only_adds_is_additive_and_a_second_run_changes_nothing() {
        let workspace = Workspace::new();
        workspace.edit_spec(|doc| {
            let betas = doc
                .pointer_mut("/components/schemas/AnthropicBeta/anyOf/1/enum")
                .unwrap();
            betas.as_array_mut().unwrap().push(json!("skills-archive-2026-09-01"));
            let version = doc
                .pointer_mut("/components/schemas/BetaSkillVersion/properties")
                .unwrap();
            version.as_object_mut().unwrap().insert(
                "size_bytes".into(),
                json!({"anyOf": [{"type": "integer"}, {"type": "null"}]}),
            );
            let get = doc
                .pointer("/paths/~1v1~1skills~1{skill_id}?beta=true/get")
                .unwrap()
                .clone();
            let mut archive = get;
            archive["operationId"] = json!("beta_archive_skill_v1_skills__skill_id__archive_post");
            let paths = doc["paths"].as_object_mut().unwrap();
            paths.insert(
                "/v1/skills/{skill_id}/archive?beta=true".into(),
                json!({ "post": archive }),
            );
            // Outside the selection: must not appear.
            paths.insert(
                "/v1/agents?beta=true".into(),
                json!({"get": {"operationId": "beta_list_agents", "responses": {"200": {"description": "ok"}}}}),
            );
        });
        let generated = workspace.regenerate();
        let text = report(&generated);
        let changes = generated.changes.as_ref().unwrap();
        assert_eq!(
            changes.report.verdict(),
            codegen::Verdict::Additive,
            "{text}"
        );
        assert!(text.contains("\"skills-archive-2026-09-01\""), "{text}");
        assert!(
            text.contains(
                "additive: new operation `Client::beta_archive_skill_v1_skills_skill_id_archive_post` \
                 (`POST /v1/skills/{skill_id}/archive?beta=true`)"
            ),
            "{text}"
        );
        assert!(text.contains("size_bytes"), "{text}");
        assert!(!text.contains("agents"), "{text}");
        assert!(text.ends_with("verdict: additive\n"), "{text}");
        assert_eq!(
            (changes.old_version.as_str(), changes.new_version.as_str()),
            ("0.1.0", "0.1.1")
        );
        assert!(workspace.file("Cargo.toml").contains("version = \"0.1.1\""));
        let changelog = workspace.file(crate::api_changes::CHANGELOG_FILE);
        let newest = changelog.find("## 0.1.1").expect("an entry for 0.1.1");
        assert!(newest < changelog.find("## 0.1.0").unwrap(), "{changelog}");
        assert!(
            workspace
                .file("src/models.rs")
                .contains("SkillsArchive20260901")
        );

        let again = workspace.regenerate();
        let changes = again.changes.expect("compared");
        assert_eq!(changes.report.verdict(), codegen::Verdict::Unchanged);
        let check = ensure_files(&workspace.job.out_dir, &again.files, Mode::Check).unwrap();
        assert!(check.is_clean(), "a second run changes nothing");
    }

    #[test]
    fn a_removed_beta_value_is_breaking() {
        let workspace = Workspace::new();
        workspace.edit_spec(|doc| {
            let betas = doc
                .pointer_mut("/components/schemas/AnthropicBeta/anyOf/1/enum")
                .unwrap()
                .as_array_mut()
                .unwrap();
            betas.retain(|beta| beta != "pdfs-2024-09-25");
        });
        let generated = workspace.regenerate();
        let text = report(&generated);
        assert!(text.contains("\"pdfs-2024-09-25\""), "{text}");
        assert!(text.ends_with("verdict: breaking\n"), "{text}");
        assert!(workspace.file("Cargo.toml").contains("version = \"0.2.0\""));
    }

    #[test]
    fn drift_the_overlay_did_not_expect_stops_regeneration_and_touches_nothing() {
        let workspace = Workspace::new();
        let before = workspace.file("src/client.rs");
        workspace.edit_spec(|doc| {
            let paths = doc["paths"].as_object_mut().unwrap();
            let item = paths.shift_remove("/v1/skills?beta=true").unwrap();
            paths.insert("/v2/skills?beta=true".into(), item);
        });
        let error = format!("{:#}", workspace.job.generate().unwrap_err());
        assert!(error.contains("overlay.yaml:"), "{error}");
        assert!(
            error.contains("target `$.paths['/v1/skills?beta=true'].get` matches nothing"),
            "{error}"
        );
        assert!(error.contains("(\"Method name\")"), "{error}");
        assert_eq!(workspace.file("src/client.rs"), before);
    }
}
