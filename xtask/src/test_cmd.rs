//! `cargo xtask test`: installs what the tests need (the Prism mock server, from npm), then
//! runs `cargo test --workspace` with the environment the SDK tests read, then the corpus
//! of public specs (`scripts/corpus.sh`; `SKIP_CORPUS=1` leaves it out).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{Context, Result, bail};

use crate::util::repo_root;

/// Where Prism's `package.json` lives, relative to the repository root.
const PRISM_DIR: &str = "tools/prism";
/// Where, under cargo's target directory, the document Prism mocks is written.
const PRISM_SPEC: &str = "prism/skills-effective.json";

/// Installs Prism if needed and runs the workspace's tests; `cargo_args` go to `cargo test`.
pub fn run(cargo_args: &[String]) -> Result<ExitCode> {
    let root = repo_root();
    let prism_dir = root.join(PRISM_DIR);
    let prism_bin = prism_bin(&prism_dir);
    if needs_install(&prism_dir, &prism_bin) {
        if !npm_install(&prism_dir)? {
            return Ok(ExitCode::FAILURE);
        }
        if !prism_bin.exists() {
            bail!(
                "`npm ci` finished but {} is missing; does {PRISM_DIR}/package.json depend on @stoplight/prism-cli?",
                prism_bin.display()
            );
        }
    }

    let prism_spec = write_prism_spec()?;
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .current_dir(&root)
        .args(["test", "--workspace"])
        .args(cargo_args)
        .env("PRISM_BIN", &prism_bin)
        .env("SPEC_PATH", &prism_spec)
        .status()
        .context("running cargo test")?;
    if !status.success() || std::env::var_os(SKIP_CORPUS_ENV).is_some() {
        return Ok(exit_code(status));
    }
    // Real public specs, generated and compiled: the generator's widest test.
    let corpus = Command::new("bash")
        .current_dir(&root)
        .arg(root.join(CORPUS_SCRIPT))
        .status()
        .context("running the corpus script")?;
    Ok(exit_code(corpus))
}

/// Writes the document Prism mocks: the workspace crate's spec with its overlay applied,
/// what the generator reads, with query strings in path keys (`?beta=true`) as required
/// query parameters, since Prism matches path keys literally.
fn write_prism_spec() -> Result<PathBuf> {
    let root = repo_root();
    let krate = &crate::codegen_cmd::WORKSPACE_CRATES[0];
    let text = fs::read_to_string(root.join(krate.spec))
        .with_context(|| format!("reading {}", krate.spec))?;
    let document = match krate.overlay {
        Some(overlay_path) => {
            let overlay_text = fs::read_to_string(root.join(overlay_path))
                .with_context(|| format!("reading {overlay_path}"))?;
            let overlay = codegen::Overlay::parse(&overlay_text, overlay_path)?;
            codegen::mock_document(&text, krate.spec, &overlay)?
        }
        None => text,
    };
    let path = crate::util::target_dir()?.join(PRISM_SPEC);
    fs::create_dir_all(path.parent().context("the Prism spec has a folder")?)?;
    fs::write(&path, document).with_context(|| format!("writing {}", path.display()))?;
    Ok(path)
}

/// Set to skip the corpus of public specs (it takes minutes) in a local run.
const SKIP_CORPUS_ENV: &str = "SKIP_CORPUS";
/// Fetches large public specs, generates and `cargo check`s a crate for each.
const CORPUS_SCRIPT: &str = "scripts/corpus.sh";

/// A child's status as ours; a signal has no code, and any failure must fail the task.
fn exit_code(status: std::process::ExitStatus) -> ExitCode {
    match status.code() {
        Some(0) => ExitCode::SUCCESS,
        Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        None => ExitCode::FAILURE,
    }
}

fn prism_bin(prism_dir: &Path) -> PathBuf {
    let name = if cfg!(windows) { "prism.cmd" } else { "prism" };
    prism_dir.join("node_modules").join(".bin").join(name)
}

/// Install when Prism is absent or the lockfile changed since the last install (npm writes
/// `node_modules/.package-lock.json` on every install).
fn needs_install(prism_dir: &Path, prism_bin: &Path) -> bool {
    if !prism_bin.exists() {
        return true;
    }
    let modified = |p: PathBuf| fs::metadata(p).and_then(|m| m.modified()).ok();
    match (
        modified(prism_dir.join("package-lock.json")),
        modified(prism_dir.join("node_modules").join(".package-lock.json")),
    ) {
        (Some(lock), Some(installed)) => lock > installed,
        (Some(_), None) => true,
        // No lockfile: nothing to compare, keep what is installed.
        (None, _) => false,
    }
}

/// Runs `npm ci`; `Ok(false)` (after saying why) when npm is missing or fails.
fn npm_install(prism_dir: &Path) -> Result<bool> {
    for file in ["package.json", "package-lock.json"] {
        if !prism_dir.join(file).exists() {
            bail!("{PRISM_DIR}/{file} is missing; it pins the Prism version the tests run against");
        }
    }
    let npm = if cfg!(windows) { "npm.cmd" } else { "npm" };
    eprintln!("installing Prism: npm ci in {PRISM_DIR}");
    match Command::new(npm)
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(prism_dir)
        .status()
    {
        Ok(status) if status.success() => Ok(true),
        Ok(status) => {
            eprintln!("error: `npm ci` in {PRISM_DIR} failed ({status})");
            Ok(false)
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            eprintln!(
                "error: npm not found. The SDK tests need Node.js and npm to run the Prism mock \
                 server; install them (e.g. `apt-get install nodejs npm`) and rerun `cargo xtask test`."
            );
            Ok(false)
        }
        Err(e) => Err(e).context("running npm"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, SystemTime};

    fn touch(path: &Path, age_secs: u64) {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, "").unwrap();
        let t = SystemTime::now() - Duration::from_secs(age_secs);
        fs::File::options()
            .write(true)
            .open(path)
            .unwrap()
            .set_modified(t)
            .unwrap();
    }

    #[test]
    fn install_decision() {
        let dir = tempfile::tempdir().unwrap();
        let prism = dir.path();
        let bin = prism_bin(prism);
        assert!(needs_install(prism, &bin), "no binary");
        touch(&bin, 0);
        touch(&prism.join("package-lock.json"), 100);
        assert!(
            needs_install(prism, &bin),
            "never installed from the lockfile"
        );
        touch(&prism.join("node_modules/.package-lock.json"), 50);
        assert!(
            !needs_install(prism, &bin),
            "installed after the lockfile changed"
        );
        touch(&prism.join("package-lock.json"), 10);
        assert!(
            needs_install(prism, &bin),
            "lockfile newer than the install"
        );
    }
}
