//! Parse + generate, in memory, on the Skills SDK's inputs (Anthropic's document with the
//! overlay) and (when `cargo xtask bench` has cached it in `<target>/bench-specs/`) the
//! GitHub REST description.
//!
//! Run with `cargo xtask bench --criterion` or `cargo bench -p codegen --bench generate`.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{Criterion, SamplingMode};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("codegen lives one level below the repository root")
        .to_path_buf()
}

fn settings() -> codegen::Settings {
    codegen::Settings {
        crate_name: "bench-sdk".into(),
        crate_version: "0.1.0".into(),
        runtime: codegen::Runtime::dependency(r#"{ path = "../runtime" }"#),
        standalone: true,
        spec_path_from_crate: Some("spec.json".into()),
        overlay_path_from_crate: None,
        regenerate_command: "cargo xtask bench".into(),
    }
}

/// Parses (applying `overlay`) and generates; returns the output size so nothing is
/// optimized away.
fn parse_and_generate(
    text: &str,
    source: &str,
    overlay: Option<&codegen::Overlay>,
    settings: &codegen::Settings,
) -> usize {
    let spec = codegen::Spec::parse_with_overlay(text, source, overlay).expect("spec parses");
    let files = codegen::generate(&spec, settings).expect("spec generates");
    files.iter().map(|f| f.contents.len()).sum()
}

fn bench(c: &mut Criterion) {
    let root = repo_root();
    let settings = settings();
    let mut group = c.benchmark_group("parse_and_generate");

    let document = std::fs::read_to_string(root.join("spec/anthropic-openapi.json"))
        .expect("read Anthropic's document");
    let overlay_text =
        std::fs::read_to_string(root.join("spec/skills-overlay.yaml")).expect("read the overlay");
    let overlay = codegen::Overlay::parse(&overlay_text, "spec/skills-overlay.yaml")
        .expect("the overlay parses");
    group.bench_function("skills", |b| {
        b.iter(|| {
            parse_and_generate(
                black_box(&document),
                "spec/anthropic-openapi.json",
                Some(&overlay),
                &settings,
            )
        })
    });

    // Cargo puts this benchmark at `<target>/<profile>/deps/generate-<hash>`.
    let target = std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.parent()?.parent()?.to_path_buf()))
        .unwrap_or_else(|| root.join("target"));
    let github_path = target.join("bench-specs/api.github.com.json");
    match std::fs::read_to_string(&github_path) {
        Ok(github) => {
            // About a second per iteration: few samples, each one iteration.
            group
                .sample_size(10)
                .sampling_mode(SamplingMode::Flat)
                .measurement_time(Duration::from_secs(20));
            group.bench_function("github", |b| {
                b.iter(|| {
                    parse_and_generate(black_box(&github), "api.github.com.json", None, &settings)
                })
            });
        }
        Err(_) => eprintln!(
            "skipping parse_and_generate/github: {} is missing (`cargo xtask bench` fetches it)",
            github_path.display()
        ),
    }
    group.finish();
}

/// Runs the benchmarks: `criterion_group!` and `criterion_main!` written out, as the
/// functions those macros write have no doc comments.
fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    bench(&mut criterion);
    criterion.final_summary();
}
