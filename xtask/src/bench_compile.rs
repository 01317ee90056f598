//! `cargo xtask bench --compile`: what compiling a generated crate costs its user.
//!
//! For each subject (the Skills crate, GitHub's, Stripe's and Kubernetes' crates, and
//! openapi-generator's crate for GitHub's description to compare with), the crate is
//! generated under `<target>/bench-compile/crates/`, then `cargo check --lib` and
//! `cargo build --lib` (dev profile, `CARGO_INCREMENTAL=0`, target directory
//! `<target>/bench-compile/target`) are timed with the dependencies already built: a warm-up
//! builds them with the crate's `src/lib.rs` stubbed out, and restoring it leaves only the
//! crate itself to compile in the timed run.
//!
//! Peak memory comes from GNU time (`/usr/bin/time`) wrapped around cargo. Its figure is
//! the `ru_maxrss` that `wait4` returns for cargo, and on Linux that is the largest peak of
//! any single process in the tree: when a process is reaped, the kernel folds its peak (and
//! the largest peak among the children it reaped) into its parent's, so rustc's peak reaches
//! cargo's, and cargo's reaches time's. It is a maximum, not a sum, and it names no process;
//! so the timed run must compile nothing but the generated crate, which the warm-up ensures
//! and the log of the timed run confirms (any other package compiled is reported). A
//! `RUSTC_WRAPPER` recording each rustc's own peak would give the same figure for the one
//! rustc, at the cost of a process in every compile and a `wait4` binding.
//!
//! Figures are measured and printed, never asserted: the machine may be busy.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::util::{display_path, repo_root};

/// openapi-generator's release, pinned so the figures stay comparable. Its CLI jar ships
/// inside the PyPI package `openapi-generator-cli` of the same version.
const OPENAPI_GENERATOR_VERSION: &str = "7.26.0";
/// Where the jar sits inside that package's wheel.
const OPENAPI_GENERATOR_JAR_IN_WHEEL: &str = "openapi_generator_cli/openapi-generator.jar";
/// Everything this command writes, relative to cargo's target directory.
const BENCH_DIR: &str = "bench-compile";
/// GNU time, which reports the peak RSS of the process tree it waited for.
const GNU_TIME: &str = "/usr/bin/time";
/// GNU time's output: wall seconds, user seconds, system seconds, max RSS in kB.
const TIME_FORMAT: &str = "%e %U %S %M";

/// What `cargo xtask bench --compile` was asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The crates to measure, in the order they run.
    pub subjects: Vec<Subject>,
    /// Time `cargo check` only (no `cargo build`).
    pub check_only: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            subjects: Subject::ALL.to_vec(),
            check_only: false,
        }
    }
}

/// One crate the compile bench measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// The Skills SDK: Anthropic's document with the workspace's overlay, generated
    /// standalone (runtime vendored) like the others.
    Skills,
    /// Our crate for GitHub's REST description.
    Github,
    /// openapi-generator's crate (`-g rust`, reqwest) for the same description.
    OpenapiGenerator,
    /// Our crate for Stripe's description.
    Stripe,
    /// Our crate for Kubernetes' description.
    Kubernetes,
}

impl Subject {
    /// Every subject, in the order a full run measures them (GitHub's pair early, so a
    /// run cut short still has the comparison).
    pub const ALL: [Subject; 5] = [
        Subject::Skills,
        Subject::Github,
        Subject::OpenapiGenerator,
        Subject::Stripe,
        Subject::Kubernetes,
    ];

    /// The name `--only` takes.
    pub fn name(self) -> &'static str {
        match self {
            Subject::Skills => "skills",
            Subject::Github => "github",
            Subject::OpenapiGenerator => "openapi-generator",
            Subject::Stripe => "stripe",
            Subject::Kubernetes => "kubernetes",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Subject::Skills => "Skills",
            Subject::Github => "GitHub",
            Subject::OpenapiGenerator => "GitHub, openapi-generator",
            Subject::Stripe => "Stripe",
            Subject::Kubernetes => "Kubernetes",
        }
    }

    /// The package name the crate is generated under (unique in the shared target dir).
    fn crate_name(self) -> String {
        format!("bench-{}", self.name())
    }

    /// The file in `target/bench-specs/` (see `bench_cmd::REMOTE_SPECS`) a remote
    /// subject is generated from; `None` for the Skills crate, whose spec is in the repo.
    fn remote_spec(self) -> Option<&'static str> {
        match self {
            Subject::Skills => None,
            Subject::Github | Subject::OpenapiGenerator => Some("api.github.com.json"),
            Subject::Stripe => Some("stripe.com.json"),
            Subject::Kubernetes => Some("kubernetes.io.json"),
        }
    }
}

/// `--only`'s value: subject names separated by commas, each at most once, in the order
/// of [`Subject::ALL`] whatever order they were given in.
pub fn parse_only(list: &str) -> Result<Vec<Subject>, String> {
    let mut wanted = Vec::new();
    for name in list.split(',').map(str::trim) {
        let subject = Subject::ALL
            .into_iter()
            .find(|s| s.name() == name)
            .ok_or_else(|| {
                let names: Vec<&str> = Subject::ALL.iter().map(|s| s.name()).collect();
                format!("--only takes {}, not {name:?}", names.join(", "))
            })?;
        if wanted.contains(&subject) {
            return Err(format!("--only names {name} twice"));
        }
        wanted.push(subject);
    }
    Ok(Subject::ALL
        .into_iter()
        .filter(|s| wanted.contains(s))
        .collect())
}

/// What GNU time measured for one command.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Usage {
    wall_s: f64,
    /// User + system time of the whole tree.
    cpu_s: f64,
    peak_kb: u64,
}

/// The last line of GNU time's `-o` file written with [`TIME_FORMAT`]. Earlier lines (such
/// as "Command exited with non-zero status 101") are skipped.
fn parse_time_output(text: &str) -> Option<Usage> {
    let line = text.lines().rev().find(|l| !l.trim().is_empty())?;
    let fields: Vec<&str> = line.split_whitespace().collect();
    let [wall, user, system, peak] = fields[..] else {
        return None;
    };
    Some(Usage {
        wall_s: wall.parse().ok()?,
        cpu_s: user.parse::<f64>().ok()? + system.parse::<f64>().ok()?,
        peak_kb: peak.parse().ok()?,
    })
}

/// The packages a cargo log says it compiled (`Compiling x v1.0.0` / `Checking x v1.0.0`
/// lines; the version tells them from a compiler message that starts with the same word).
fn compiled_packages(log: &str) -> Vec<String> {
    log.lines()
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            let (Some("Compiling" | "Checking"), Some(name), Some(version)) =
                (words.next(), words.next(), words.next())
            else {
                return None;
            };
            let version = version.strip_prefix('v')?;
            version
                .starts_with(|c: char| c.is_ascii_digit())
                .then(|| name.to_string())
        })
        .collect()
}

/// A timed step: measured, left out (`--check-only`), or failed with a message.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Skipped,
    Measured(Usage),
    Failed(String),
}

/// One crate's figures.
#[derive(Debug, Clone, PartialEq)]
struct Figures {
    /// Lines of Rust under `src/` (what rustc reads, the vendored runtime included).
    lines: u64,
    /// Wall time of generating the crate (our release binary, or openapi-generator's jar).
    generate_s: f64,
    check: Step,
    build: Step,
    /// Anything the reader should know about the row, e.g. other packages compiled.
    notes: Vec<String>,
}

/// One table row; `Err` when the crate could not be generated.
struct Row {
    subject: Subject,
    outcome: Result<Figures, String>,
}

/// Runs `cargo xtask bench --compile`.
pub fn run(options: &Options) -> Result<ExitCode> {
    let root = repo_root();
    let target = crate::bench_cmd::target_dir(&root);
    let bench = target.join(BENCH_DIR);
    let subjects = &options.subjects;
    require_tools(subjects)?;
    let load_before = load_average();

    // Specs first (npm), then the tools: a missing piece stops the run before hours go in.
    let specs = spec_paths(&root, &target, subjects);
    let jar = if subjects.contains(&Subject::OpenapiGenerator) {
        Some(openapi_generator_jar(&bench.join("tools"))?)
    } else {
        None
    };
    let xtask = crate::bench_cmd::build_release_xtask(&root)?;
    let cargo_target = bench.join("target");

    let mut rows = Vec::new();
    for (subject, spec) in subjects.iter().zip(specs) {
        eprintln!("== {}", subject.label());
        let outcome = spec.and_then(|spec| {
            measure(
                &root,
                &bench,
                &cargo_target,
                *subject,
                &spec,
                &xtask,
                jar.as_deref(),
                options.check_only,
            )
        });
        let outcome = outcome.map_err(|e| format!("{e:#}"));
        // Each row as soon as it is known, in case the run is cut short.
        eprint!(
            "{}",
            render_table(&[Row {
                subject: *subject,
                outcome: outcome.clone(),
            }])
        );
        rows.push(Row {
            subject: *subject,
            outcome,
        });
    }

    println!();
    print!("{}", render_table(&rows));
    if let Some(line) = ratio_line(&rows) {
        println!("{line}");
    }
    for row in &rows {
        for note in row_notes(row) {
            println!("note: {}: {note}", row.subject.label());
        }
    }
    println!(
        "machine: {} CPUs; load average before {load_before}, after {} (timings are measured, not asserted)",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        load_average()
    );
    println!("crates and logs: {}", display_path(&bench));
    let ok = rows.iter().all(|r| {
        r.outcome.as_ref().is_ok_and(|f| {
            !matches!(f.check, Step::Failed(_)) && !matches!(f.build, Step::Failed(_))
        })
    });
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Fails early, naming what to install, when a tool the subjects need is missing.
fn require_tools(subjects: &[Subject]) -> Result<()> {
    if !Path::new(GNU_TIME).exists() {
        bail!(
            "GNU time ({GNU_TIME}) is needed to measure rustc's peak memory; install it (Debian: `apt-get install time`)"
        );
    }
    if subjects.contains(&Subject::OpenapiGenerator) {
        let tools = [
            (
                "java",
                &["-version"][..],
                "a Java runtime, 11 or later, is needed to run openapi-generator (Debian: `apt-get install default-jre-headless`)",
            ),
            (
                "python3",
                &["-m", "pip", "--version"][..],
                "python3 with pip is needed to fetch openapi-generator's jar from PyPI (Debian: `apt-get install python3-pip`)",
            ),
        ];
        for (tool, args, install) in tools {
            let found = Command::new(tool)
                .args(args)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
            if !found {
                bail!("`{tool} {}` failed: {install}", args.join(" "));
            }
        }
    }
    Ok(())
}

/// `/proc/loadavg`'s three averages, or "unknown".
fn load_average() -> String {
    fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "unknown".into())
}

/// Each subject's spec: the repository's for Skills, else fetched into `target/bench-specs`.
fn spec_paths(root: &Path, target: &Path, subjects: &[Subject]) -> Vec<Result<PathBuf>> {
    let remote = if subjects.iter().any(|s| s.remote_spec().is_some()) {
        crate::bench_cmd::fetch_remote_specs(&target.join(crate::bench_cmd::SPEC_CACHE))
    } else {
        Vec::new()
    };
    subjects
        .iter()
        .map(|subject| match subject.remote_spec() {
            None => Ok(root.join(crate::codegen_cmd::WORKSPACE_CRATES[0].spec)),
            Some(file) => match remote.iter().find(|(f, _)| *f == file) {
                Some((_, Ok(path))) => Ok(path.clone()),
                Some((_, Err(e))) => bail!("{e}"),
                None => bail!("{file} is not among the bench's specs"),
            },
        })
        .collect()
}

/// openapi-generator's CLI jar, taken out of its PyPI wheel (`pip download`) once.
fn openapi_generator_jar(tools: &Path) -> Result<PathBuf> {
    let jar = tools.join(format!(
        "openapi-generator-cli-{OPENAPI_GENERATOR_VERSION}.jar"
    ));
    if jar.exists() {
        return Ok(jar);
    }
    let wheels = tools.join("wheels");
    fs::create_dir_all(&wheels).with_context(|| format!("creating {}", wheels.display()))?;
    let requirement = format!("openapi-generator-cli=={OPENAPI_GENERATOR_VERSION}");
    eprintln!(
        "fetching {requirement} from PyPI into {}",
        display_path(&wheels)
    );
    let status = Command::new("python3")
        .args(["-m", "pip", "download", "--quiet", "--no-deps"])
        .args(["--only-binary", ":all:", "--dest"])
        .arg(&wheels)
        .arg(&requirement)
        .status()
        .context("running `python3 -m pip download` (needs python3 with pip)")?;
    if !status.success() {
        bail!("`pip download {requirement}` failed ({status})");
    }
    let wheel = fs::read_dir(&wheels)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                n.starts_with(&format!(
                    "openapi_generator_cli-{OPENAPI_GENERATOR_VERSION}-"
                )) && n.ends_with(".whl")
            })
        })
        .context("pip downloaded no openapi_generator_cli wheel")?;
    // A wheel is a zip file; Python's zipfile takes the one member out.
    let partial = jar.with_extension("jar.partial");
    let status = Command::new("python3")
        .args([
            "-c",
            "import sys, zipfile; open(sys.argv[3], 'wb').write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))",
        ])
        .arg(&wheel)
        .arg(OPENAPI_GENERATOR_JAR_IN_WHEEL)
        .arg(&partial)
        .status()
        .context("running python3 to unzip the wheel")?;
    if !status.success() {
        bail!(
            "taking {OPENAPI_GENERATOR_JAR_IN_WHEEL} out of {} failed ({status})",
            wheel.display()
        );
    }
    fs::rename(&partial, &jar).with_context(|| format!("moving {} into place", jar.display()))?;
    Ok(jar)
}

/// Generates one subject's crate and times its check and build.
#[allow(clippy::too_many_arguments)] // One call site; a struct would only rename them.
fn measure(
    root: &Path,
    bench: &Path,
    cargo_target: &Path,
    subject: Subject,
    spec: &Path,
    xtask: &Path,
    jar: Option<&Path>,
    check_only: bool,
) -> Result<Figures> {
    let dir = bench.join("crates").join(subject.name());
    let logs = bench.join("logs");
    fs::create_dir_all(&logs).with_context(|| format!("creating {}", logs.display()))?;
    let log = |step: &str| logs.join(format!("{}.{step}.log", subject.name()));

    let start = Instant::now();
    match subject {
        Subject::OpenapiGenerator => {
            let jar = jar.context("openapi-generator's jar was not fetched")?;
            generate_theirs(jar, spec, &dir, &subject.crate_name(), &log("generate"))?;
        }
        _ => {
            let overlay = match subject {
                Subject::Skills => crate::codegen_cmd::WORKSPACE_CRATES[0]
                    .overlay
                    .map(|overlay| root.join(overlay)),
                _ => None,
            };
            generate_ours(
                xtask,
                spec,
                overlay.as_deref(),
                &dir,
                &subject.crate_name(),
                &log("generate"),
            )?;
            // Dependency versions pinned to the workspace's, as the corpus does.
            let lock = dir.join("Cargo.lock");
            if !lock.exists() {
                fs::copy(root.join("Cargo.lock"), &lock).context("copying Cargo.lock")?;
            }
        }
    }
    let generate_s = start.elapsed().as_secs_f64();
    let lines = rust_lines(&dir.join("src"))?;

    eprintln!("building the dependencies of {}", subject.crate_name());
    let steps: &[&str] = if check_only {
        &["check"]
    } else {
        &["check", "build"]
    };
    warm_up(&dir, cargo_target, steps, &log("warm-up"))?;

    let mut notes = Vec::new();
    let mut timed = |step: &str| -> Step {
        eprintln!("timing cargo {step} of {}", subject.crate_name());
        match timed_cargo(&dir, cargo_target, step, &log(step)) {
            Ok((usage, packages, waited)) => {
                if waited {
                    notes.push(format!(
                        "the timed {step} waited for a lock another cargo held; its wall time includes the wait (cpu s does not)"
                    ));
                }
                let others: Vec<&String> = packages
                    .iter()
                    .filter(|p| **p != subject.crate_name())
                    .collect();
                if !others.is_empty() {
                    notes.push(format!(
                        "the timed {step} also compiled {}; its peak may be theirs",
                        others
                            .iter()
                            .map(|s| s.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
                Step::Measured(usage)
            }
            Err(e) => Step::Failed(format!("{e:#}")),
        }
    };
    let check = timed("check");
    let build = if check_only {
        Step::Skipped
    } else {
        timed("build")
    };
    Ok(Figures {
        lines,
        generate_s,
        check,
        build,
        notes,
    })
}

/// Runs a command with its output sent to `log`; on failure, the log's tail in the error.
fn run_logged(command: &mut Command, log: &Path, what: &str) -> Result<()> {
    let file = fs::File::create(log).with_context(|| format!("creating {}", log.display()))?;
    let status = command
        .stdout(file.try_clone()?)
        .stderr(file)
        .status()
        .with_context(|| format!("running {what}"))?;
    if !status.success() {
        bail!("{what} failed ({status}){}", log_tail(log));
    }
    Ok(())
}

/// The last lines of a log, to quote in an error, with the log's path.
fn log_tail(log: &Path) -> String {
    let text = fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    let tail = lines[lines.len().saturating_sub(8)..].join("\n  ");
    format!(";\n  {tail}\n(full log: {})", display_path(log))
}

/// Our generator (the release xtask binary) writes the crate.
fn generate_ours(
    xtask: &Path,
    spec: &Path,
    overlay: Option<&Path>,
    dir: &Path,
    name: &str,
    log: &Path,
) -> Result<()> {
    eprintln!("generating {name} into {}", display_path(dir));
    let mut command = Command::new(xtask);
    command.arg("codegen").arg("--spec").arg(spec);
    if let Some(overlay) = overlay {
        command.arg("--overlay").arg(overlay);
    }
    command.arg("--out").arg(dir).args(["--name", name]);
    run_logged(&mut command, log, "xtask codegen")
}

/// openapi-generator's Rust client (reqwest, async, a library crate), without the docs and
/// test stubs it would also write; then made a workspace of its own, as ours are.
fn generate_theirs(jar: &Path, spec: &Path, dir: &Path, name: &str, log: &Path) -> Result<()> {
    eprintln!(
        "generating {name} with openapi-generator {OPENAPI_GENERATOR_VERSION} into {}",
        display_path(dir)
    );
    if dir.exists() {
        fs::remove_dir_all(dir).with_context(|| format!("clearing {}", dir.display()))?;
    }
    let mut command = Command::new("java");
    command
        .arg("-jar")
        .arg(jar)
        .args(["generate", "-g", "rust", "--library", "reqwest", "-i"])
        .arg(spec)
        .arg("-o")
        .arg(dir)
        .args(openapi_generator_options(name));
    run_logged(&mut command, log, "openapi-generator generate")?;
    let manifest = dir.join("Cargo.toml");
    let text =
        fs::read_to_string(&manifest).with_context(|| format!("reading {}", manifest.display()))?;
    if !text.lines().any(|l| l.trim() == "[workspace]") {
        fs::write(
            &manifest,
            format!("{text}\n# A crate of its own (added by the bench).\n[workspace]\n"),
        )
        .with_context(|| format!("writing {}", manifest.display()))?;
    }
    Ok(())
}

/// The options openapi-generator gets besides `-g rust --library reqwest -i SPEC -o DIR`.
fn openapi_generator_options(name: &str) -> Vec<String> {
    vec![
        // GitHub's description does not pass its validator; the generator copes.
        "--skip-validate-spec".into(),
        "--additional-properties".into(),
        format!("packageName={name},packageVersion=0.1.0,supportAsync=true"),
        "--global-property".into(),
        "apiDocs=false,modelDocs=false,apiTests=false,modelTests=false".into(),
    ]
}

/// Builds the crate's dependencies with its `src/lib.rs` stubbed out, then restores it
/// (which also makes the crate itself stale, so the timed run compiles it).
fn warm_up(dir: &Path, cargo_target: &Path, steps: &[&str], log: &Path) -> Result<()> {
    let lib = dir.join("src").join("lib.rs");
    let original = fs::read(&lib).with_context(|| format!("reading {}", lib.display()))?;
    fs::write(&lib, "//! Stub: the bench builds the dependencies first.\n")
        .with_context(|| format!("writing {}", lib.display()))?;
    let result = steps.iter().try_for_each(|step| {
        run_logged(
            cargo_command(dir, cargo_target).args([*step, "--lib"]),
            log,
            &format!("cargo {step} (warm-up)"),
        )
    });
    fs::write(&lib, original).with_context(|| format!("restoring {}", lib.display()))?;
    result
}

fn cargo_command(dir: &Path, cargo_target: &Path) -> Command {
    let mut command = Command::new(crate::bench_cmd::cargo());
    command
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", cargo_target)
        .env("CARGO_INCREMENTAL", "0")
        .env_remove("RUSTC_WRAPPER")
        .env_remove("RUSTC_WORKSPACE_WRAPPER");
    command
}

/// Whether a cargo log says it waited for a lock (the package cache or the target
/// directory) held by another cargo process.
fn waited_for_lock(log: &str) -> bool {
    log.lines()
        .any(|l| l.trim_start().starts_with("Blocking waiting for file lock"))
}

/// `cargo STEP --lib` under GNU time: its usage, the packages it compiled, and whether it
/// waited for another cargo's lock.
fn timed_cargo(
    dir: &Path,
    cargo_target: &Path,
    step: &str,
    log: &Path,
) -> Result<(Usage, Vec<String>, bool)> {
    let usage_file = log.with_extension("time");
    let cargo = cargo_command(dir, cargo_target);
    let mut command = Command::new(GNU_TIME);
    command
        .args(["-f", TIME_FORMAT, "-o"])
        .arg(&usage_file)
        .arg(cargo.get_program())
        .args([step, "--lib", "--color", "never"])
        .current_dir(dir);
    for (key, value) in cargo.get_envs() {
        match value {
            Some(value) => command.env(key, value),
            None => command.env_remove(key),
        };
    }
    run_logged(&mut command, log, &format!("cargo {step}"))?;
    let text = fs::read_to_string(&usage_file)
        .with_context(|| format!("reading {}", usage_file.display()))?;
    let usage = parse_time_output(&text)
        .with_context(|| format!("GNU time wrote {text:?} to {}", usage_file.display()))?;
    let log_text = fs::read_to_string(log).unwrap_or_default();
    Ok((
        usage,
        compiled_packages(&log_text),
        waited_for_lock(&log_text),
    ))
}

/// Lines of every `.rs` file below `dir`.
fn rust_lines(dir: &Path) -> Result<u64> {
    let mut total = 0;
    for entry in fs::read_dir(dir).with_context(|| format!("listing {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            total += rust_lines(&path)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text =
                fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
            total += text.lines().count() as u64;
        }
    }
    Ok(total)
}

// ---------------------------------------------------------------------------------------
// The table

fn gib(kb: u64) -> f64 {
    kb as f64 / (1024.0 * 1024.0)
}

fn step_cells(step: &Step) -> [String; 3] {
    match step {
        Step::Measured(u) => [
            format!("{:.1}", u.wall_s),
            format!("{:.1}", u.cpu_s),
            format!("{:.2}", gib(u.peak_kb)),
        ],
        Step::Skipped => ["-".into(), "-".into(), "-".into()],
        Step::Failed(_) => ["failed".into(), "-".into(), "-".into()],
    }
}

/// Errors and remarks to print under the table.
fn row_notes(row: &Row) -> Vec<String> {
    let Ok(figures) = &row.outcome else {
        return Vec::new();
    };
    let mut notes = figures.notes.clone();
    for (step, outcome) in [("check", &figures.check), ("build", &figures.build)] {
        if let Step::Failed(e) = outcome {
            notes.push(format!("cargo {step} failed: {e}"));
        }
    }
    notes
}

fn render_table(rows: &[Row]) -> String {
    let header = [
        "crate",
        "lines",
        "gen s",
        "check s",
        "check cpu s",
        "check peak GiB",
        "build s",
        "build cpu s",
        "build peak GiB",
    ];
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            let name = row.subject.label().to_string();
            match &row.outcome {
                Ok(f) => {
                    let mut cells = vec![name, f.lines.to_string(), format!("{:.1}", f.generate_s)];
                    cells.extend(step_cells(&f.check));
                    cells.extend(step_cells(&f.build));
                    cells
                }
                Err(e) => vec![name, format!("error: {e}")],
            }
        })
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.len()).collect();
    for row in &cells {
        // An error message spans the rest of the row; it does not widen the columns.
        if row.len() == header.len() {
            for (w, c) in widths.iter_mut().zip(row) {
                *w = (*w).max(c.chars().count());
            }
        }
    }
    let line = |row: &[String]| {
        let mut out = String::new();
        for (i, cell) in row.iter().enumerate() {
            let w = widths[i.min(widths.len() - 1)];
            // Names and errors left, numbers right.
            if i == 0 || row.len() != header.len() {
                let _ = write!(out, "{cell:<w$}  ");
            } else {
                let _ = write!(out, "{cell:>w$}  ");
            }
        }
        out.trim_end().to_string() + "\n"
    };
    let mut out = String::from(
        "compiling the generated crate (dependencies prebuilt; dev profile, CARGO_INCREMENTAL=0;\n\
         s: wall time, cpu s: user + system; peak: the largest process's max RSS, i.e. rustc's)\n",
    );
    out.push_str(&line(&header.map(String::from)));
    out.push_str(&line(
        &widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>(),
    ));
    for row in &cells {
        out.push_str(&line(row));
    }
    out
}

/// Ours over openapi-generator's for GitHub's description, figure by figure, when both
/// crates were measured.
fn ratio_line(rows: &[Row]) -> Option<String> {
    let figures = |subject| {
        rows.iter()
            .find(|r| r.subject == subject)
            .and_then(|r| r.outcome.as_ref().ok())
    };
    let (ours, theirs) = (
        figures(Subject::Github)?,
        figures(Subject::OpenapiGenerator)?,
    );
    let ratio = |a: f64, b: f64| {
        if b > 0.0 {
            format!("{:.2}", a / b)
        } else {
            "-".into()
        }
    };
    let mut parts = vec![format!(
        "lines {}",
        ratio(ours.lines as f64, theirs.lines as f64)
    )];
    for (step, a, b) in [
        ("check", &ours.check, &theirs.check),
        ("build", &ours.build, &theirs.build),
    ] {
        if let (Step::Measured(a), Step::Measured(b)) = (a, b) {
            parts.push(format!(
                "{step} time {}, {step} cpu {}, {step} peak {}",
                ratio(a.wall_s, b.wall_s),
                ratio(a.cpu_s, b.cpu_s),
                ratio(a.peak_kb as f64, b.peak_kb as f64)
            ));
        }
    }
    Some(format!(
        "GitHub, ours / openapi-generator {OPENAPI_GENERATOR_VERSION}'s: {}",
        parts.join("; ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_list() {
        assert_eq!(
            parse_only("skills,github"),
            Ok(vec![Subject::Skills, Subject::Github])
        );
        // The run order is fixed, whatever order the names come in.
        assert_eq!(
            parse_only("kubernetes, openapi-generator,github"),
            Ok(vec![
                Subject::Github,
                Subject::OpenapiGenerator,
                Subject::Kubernetes
            ])
        );
        for bad in ["", "gitlab", "github,github", "github,"] {
            assert!(parse_only(bad).is_err(), "{bad:?} accepted");
        }
        for subject in Subject::ALL {
            assert_eq!(parse_only(subject.name()), Ok(vec![subject]));
        }
    }

    #[test]
    fn gnu_time_output() {
        assert_eq!(
            parse_time_output("241.07 230.50 9.25 11534336\n"),
            Some(Usage {
                wall_s: 241.07,
                cpu_s: 239.75,
                peak_kb: 11_534_336
            })
        );
        // A failed command: GNU time says so on a line of its own first.
        let failed = "Command exited with non-zero status 101\n1.50 1.00 0.25 2048\n";
        assert_eq!(parse_time_output(failed).map(|u| u.peak_kb), Some(2048));
        assert_eq!(parse_time_output(""), None);
        assert_eq!(parse_time_output("1.0 2.0 3.0\n"), None);
        assert_eq!(parse_time_output("1.0 2.0 3.0 lots\n"), None);
    }

    #[test]
    fn packages_from_a_cargo_log() {
        let log = "   Compiling serde v1.0.219\n    Checking bench-github v0.1.0 (/t/crates/github)\n\
                   warning: unused import\n  Compiling docs is slow\n  Checking\n    Finished `dev` profile\n";
        assert_eq!(compiled_packages(log), ["serde", "bench-github"]);
        assert!(compiled_packages("    Finished `dev` profile\n").is_empty());
        assert!(!waited_for_lock(log));
        assert!(waited_for_lock(
            "    Blocking waiting for file lock on package cache\n    Checking x v0.1.0\n"
        ));
    }

    #[test]
    fn counts_rust_lines_below_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("a/b")).unwrap();
        fs::write(dir.path().join("lib.rs"), "mod a;\nfn f() {}\n").unwrap();
        fs::write(dir.path().join("a/b/c.rs"), "x\ny\nz\n").unwrap();
        fs::write(dir.path().join("a/README.md"), "not rust\n").unwrap();
        assert_eq!(rust_lines(dir.path()).unwrap(), 5);
        assert!(rust_lines(&dir.path().join("missing")).is_err());
    }

    #[test]
    fn openapi_generator_is_asked_for_a_named_library() {
        let options = openapi_generator_options("bench-x").join(" ");
        assert!(options.contains("packageName=bench-x"), "{options}");
        assert!(options.contains("apiTests=false"), "{options}");
    }

    fn usage(wall_s: f64, peak_kb: u64) -> Step {
        Step::Measured(Usage {
            wall_s,
            cpu_s: wall_s * 2.0,
            peak_kb,
        })
    }

    fn figures(lines: u64, check: Step, build: Step) -> Figures {
        Figures {
            lines,
            generate_s: 1.5,
            check,
            build,
            notes: Vec::new(),
        }
    }

    #[test]
    fn table_and_ratio() {
        let rows = [
            Row {
                subject: Subject::Github,
                outcome: Ok(figures(
                    300_000,
                    usage(240.0, 11 * 1024 * 1024),
                    Step::Failed("out of memory".into()),
                )),
            },
            Row {
                subject: Subject::OpenapiGenerator,
                outcome: Ok(figures(
                    200_000,
                    usage(120.0, 4 * 1024 * 1024),
                    usage(300.0, 1024 * 1024),
                )),
            },
            Row {
                subject: Subject::Stripe,
                outcome: Err("npm pack failed".into()),
            },
            Row {
                subject: Subject::Skills,
                outcome: Ok(figures(9_000, usage(5.0, 512 * 1024), Step::Skipped)),
            },
        ];
        let table = render_table(&rows);
        assert!(table.contains("300000"), "{table}");
        assert!(table.contains("240.0"), "{table}");
        assert!(table.contains("480.0"), "{table}");
        assert!(table.contains("11.00"), "{table}");
        assert!(table.contains("0.50"), "{table}");
        assert!(table.contains("failed"), "{table}");
        assert!(table.contains("error: npm pack failed"), "{table}");
        assert!(table.lines().all(|l| l == l.trim_end()), "{table}");
        // Every full row lines up under the header.
        let widths: Vec<usize> = table
            .lines()
            .skip(2)
            .filter(|l| !l.contains("error:"))
            .map(|l| l.chars().count())
            .collect();
        assert!(widths.windows(2).all(|w| w[0] == w[1]), "{table}");

        let ratio = ratio_line(&rows).unwrap();
        assert!(ratio.contains("lines 1.50"), "{ratio}");
        assert!(ratio.contains("check time 2.00"), "{ratio}");
        assert!(ratio.contains("check peak 2.75"), "{ratio}");
        // Our build failed: no build ratio.
        assert!(!ratio.contains("build"), "{ratio}");
        assert_eq!(ratio_line(&rows[1..]), None);

        assert_eq!(
            row_notes(&rows[0]),
            ["cargo build failed: out of memory".to_string()]
        );
    }
}
