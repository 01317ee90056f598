//! OpenAPI 3.0 and 3.1 → Rust SDK generator. Pure: a spec's text in, a list of files out.
//! No disk, no environment, no clock: all I/O lives in `xtask`.
//!
//! Pipeline: [`Spec::parse`] (load; a 3.1 document is first rewritten to 3.0 shapes) →
//! `schema` and `operation` (spec → IR, naming) → `emit` (IR → tokens) → `render`
//! (syn + prettyplease → text).

mod changes;
mod doc_aside;
mod emit;
mod error;
mod features;
#[macro_use]
mod fingerprint;
mod ir;
mod naming;
mod operation;
mod pagination;
mod render;
mod schema;
mod spec;
mod surface;

pub use changes::{Change, ChangeReport, Verdict, bump_version, compare};
pub use error::{Error, Location};
pub use spec::{
    Overlay, SelectionSummary, Spec, Statistics, Warning, effective_document, fingerprint,
    mock_document,
};

/// Where generated code finds the hand-written runtime crate, and how the output crate is named.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Cargo package name of the generated crate, e.g. `petstore-sdk`.
    pub crate_name: String,
    /// Version written into the generated `Cargo.toml`.
    pub crate_version: String,
    /// Where the crate gets the runtime from.
    pub runtime: Runtime,
    /// Adds an empty `[workspace]` table so the crate builds wherever it lies on disk.
    pub standalone: bool,
    /// Path of the spec relative to the generated crate's root; enables the build-time
    /// staleness check. `None` leaves the check out.
    pub spec_path_from_crate: Option<String>,
    /// Path of the overlay relative to the generated crate's root, when the spec has one;
    /// the staleness check then covers it too.
    pub overlay_path_from_crate: Option<String>,
    /// The command quoted in every `@generated` header.
    pub regenerate_command: String,
}

/// Where a generated crate gets the runtime (`sdk-runtime`) from.
#[derive(Debug, Clone)]
pub enum Runtime {
    /// A dependency on the `sdk-runtime` package.
    Dependency {
        /// Its TOML value, e.g. `{ path = "../runtime", default-features = false }`.
        toml: String,
        /// The runtime's features, each forwarded as a feature of the crate; `default`
        /// among them lists the ones on by default.
        features: Vec<Feature>,
    },
    /// The runtime's source copied into the crate as the module `sdk_runtime`
    /// (`src/sdk_runtime/`), so the crate depends on registry crates only and builds and
    /// packages wherever it is.
    Vendored(VendoredRuntime),
}

impl Runtime {
    /// A dependency given by its TOML value, with no features to forward.
    pub fn dependency(toml: impl Into<String>) -> Runtime {
        Runtime::Dependency {
            toml: toml.into(),
            features: Vec::new(),
        }
    }
}

/// The runtime package's source and manifest, for [`Runtime::Vendored`].
#[derive(Debug, Clone, Default)]
pub struct VendoredRuntime {
    /// Each file of the runtime's `src/` (its path there, e.g. `lib.rs`, and its text);
    /// `lib.rs` becomes `src/sdk_runtime/mod.rs`, the others keep their names.
    pub files: Vec<(String, String)>,
    /// The runtime's dependencies.
    pub dependencies: Vec<Dependency>,
    /// The runtime's dev-dependencies: its unit tests come along and run with the crate's.
    pub dev_dependencies: Vec<Dependency>,
    /// The runtime's features, which become the crate's.
    pub features: Vec<Feature>,
}

/// A registry dependency as a manifest states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependency {
    /// The package name.
    pub name: String,
    /// The version requirement, e.g. `^0.12`.
    pub version: String,
    /// Features asked for.
    pub features: Vec<String>,
    /// Whether the package's default features are on.
    pub default_features: bool,
    /// Whether a feature of the depending crate turns it on.
    pub optional: bool,
}

/// A Cargo feature and what it enables (`native-tls = ["reqwest/native-tls"]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feature {
    /// The feature's name.
    pub name: String,
    /// What it enables.
    pub enables: Vec<String>,
}

/// One output file: a `/`-separated path relative to the crate root and its full contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Where the file goes, e.g. `src/client.rs`.
    pub path: String,
    /// The whole text of the file.
    pub contents: String,
}

/// The marker every generated file carries on its first line; xtask deletes only files with it.
pub const GENERATED_MARKER: &str = "@generated";

/// Generates every file of the SDK crate from a loaded spec.
pub fn generate(spec: &Spec, settings: &Settings) -> Result<Vec<GeneratedFile>, Error> {
    generate_inner(spec, settings).map_err(|e| spec.locate(e))
}

/// The IR of a loaded spec: every type and operation, named, in spec order.
pub(crate) fn model(spec: &Spec) -> Result<ir::Model, Error> {
    let doc = spec.document();
    let mut space = schema::TypeSpace::new(doc);
    space.find_form_components();
    space.add_components()?;
    let operations = operation::operations(doc, &mut space)?;
    operation::incoming_payloads(doc, &mut space);
    space.box_cycles();
    space.share_identical_types();
    Ok(ir::Model {
        types: space.types,
        operations,
        client: operation::client_facts(doc),
    })
}

/// Whether `def` is an operation's parameter struct, which lives in `src/params.rs`.
fn is_params(def: &ir::TypeDef) -> bool {
    matches!(&def.kind, ir::TypeKind::Struct(s) if s.role == ir::StructRole::Params)
}

fn generate_inner(spec: &Spec, settings: &Settings) -> Result<Vec<GeneratedFile>, Error> {
    let model = model(spec)?;
    let reserved = emit::crate_files::manifest_names(settings);
    let reserved: Vec<&str> = reserved.iter().map(String::as_str).collect();
    let features = features::Features::new(&model, &reserved);
    let header = format!(
        "{GENERATED_MARKER} by `{}` from {}. Do not edit: change the spec and regenerate.",
        settings.regenerate_command,
        spec.source_name()
    );
    // The small files (the API surface and README above all) are made on a thread of
    // their own while the modules render, instead of before them on one core.
    let (small, modules) = std::thread::scope(|scope| {
        let small = scope.spawn(|| crate_files(spec, settings, &model, &features, &header));
        let modules = rust_modules(spec, settings, &model, &features, &header);
        let small = small.join().unwrap_or_else(|_| {
            Err(render::internal(
                "the crate's README, manifest and API surface",
            ))
        });
        (small, modules)
    });
    let mut files = small?;
    files.extend(modules?);
    Ok(files)
}

/// The crate's files other than its Rust modules: manifest, README and its example,
/// API surface, rustfmt settings and build script.
fn crate_files(
    spec: &Spec,
    settings: &Settings,
    model: &ir::Model,
    features: &features::Features,
    header: &str,
) -> Result<Vec<GeneratedFile>, Error> {
    let mut files = Vec::new();
    let has_build = settings.spec_path_from_crate.is_some();
    files.push(GeneratedFile {
        path: "Cargo.toml".into(),
        contents: emit::crate_files::cargo_toml(
            settings,
            &model.client,
            header,
            has_build,
            &emit::crate_files::GroupFeatures {
                names: features.names(),
                example_needs: &emit::readme::example_features(model, features),
            },
        ),
    });
    let example = render::rust_file(
        emit::readme::example(model, settings),
        header,
        "examples/quick_start.rs",
    )?;
    files.push(GeneratedFile {
        path: "README.md".into(),
        contents: emit::readme::readme(model, settings, features, header, &example),
    });
    files.push(GeneratedFile {
        path: "examples/quick_start.rs".into(),
        contents: example,
    });
    files.push(GeneratedFile {
        path: "rustfmt.toml".into(),
        contents: format!(
            "# {header}\n\n# prettyplease formats the generated code, the same on every machine; rustfmt leaves it be.\ndisable_all_formatting = true\n"
        ),
    });
    files.push(GeneratedFile {
        path: "api-surface.txt".into(),
        contents: surface::render(model, features, header),
    });
    if let Some(spec_path) = &settings.spec_path_from_crate {
        let mut inputs = vec![(spec_path.clone(), spec.fingerprint().to_string())];
        if let (Some(path), Some(fingerprint)) = (
            &settings.overlay_path_from_crate,
            spec.overlay_fingerprint(),
        ) {
            inputs.push((path.clone(), fingerprint.to_string()));
        }
        let tokens = emit::crate_files::build_rs(&inputs, &settings.regenerate_command);
        files.push(GeneratedFile {
            path: "build.rs".into(),
            contents: render::rust_file(tokens, header, "build.rs")?,
        });
    }
    Ok(files)
}

/// The crate's Rust modules: `lib.rs`, a vendored runtime, and a file per kind of item.
fn rust_modules(
    spec: &Spec,
    settings: &Settings,
    model: &ir::Model,
    features: &features::Features,
    header: &str,
) -> Result<Vec<GeneratedFile>, Error> {
    let cfg_of = |gate: &features::Gate| emit::cfg(features, gate);
    let mut files = Vec::new();
    // Each kind of item has a file: schema types in `models.rs`, and per operation its
    // parameters, body enum, response enum and error enum each in a file of that kind.
    let ops = &model.operations;
    let params: Vec<usize> = (0..model.types.len())
        .filter(|&i| is_params(&model.types[i]))
        .collect();
    let schemas: Vec<usize> = (0..model.types.len())
        .filter(|&i| !is_params(&model.types[i]))
        .collect();
    let bodies: Vec<usize> = (0..ops.len())
        .filter(|&i| ops[i].body.as_ref().is_some_and(|b| b.enum_name.is_some()))
        .collect();
    let responses: Vec<usize> = (0..ops.len())
        .filter(|&i| matches!(ops[i].response, ir::ResponseShape::ByStatus { .. }))
        .collect();
    // Each operation's error enum or alias, preceded by the enum it shares with later
    // operations where it is that enum's first user (`true`).
    let mut errors: Vec<(usize, bool)> = Vec::new();
    let mut shared_seen = std::collections::BTreeSet::new();
    for (i, op) in ops.iter().enumerate() {
        let Some(shape) = &op.errors else { continue };
        if let Some(shared) = &shape.shared
            && shared_seen.insert(shared)
        {
            errors.push((i, true));
        }
        errors.push((i, false));
    }
    let modules: Vec<&str> = [
        ("params", params.len()),
        ("bodies", bodies.len()),
        ("responses", responses.len()),
        ("errors", errors.len()),
    ]
    .into_iter()
    .filter(|(_, items)| *items > 0)
    .map(|(module, _)| module)
    .collect();

    let vendored = match &settings.runtime {
        Runtime::Vendored(vendored) => Some(vendored),
        Runtime::Dependency { .. } => None,
    };
    if let Some(vendored) = vendored {
        files.extend(emit::crate_files::vendored_runtime(
            vendored,
            &settings.regenerate_command,
        ));
    }
    let lib = emit::crate_files::lib_rs(
        &model.client,
        &modules,
        emit::crate_files::RootExports {
            streams: model.operations.iter().any(|op| op.stream.is_some()),
            has_features: !features.names().is_empty(),
        },
        vendored.is_some(),
        spec.fingerprint(),
        settings.spec_path_from_crate.as_deref(),
        spec.overlay_fingerprint()
            .map(|fingerprint| (fingerprint, settings.overlay_path_from_crate.as_deref())),
    );
    files.push(GeneratedFile {
        path: "src/lib.rs".into(),
        contents: render::rust_file(lib, header, "src/lib.rs")?,
    });
    let client_modules: Vec<&str> = std::iter::once("models")
        .chain(modules.iter().copied().filter(|m| *m != "errors"))
        .collect();
    // A vendored runtime is the module `crate::sdk_runtime`: each file names it, so the
    // code reads `sdk_runtime::…` either way.
    let vendored_runtime = vendored.is_some();
    let with_runtime = |mut prelude: proc_macro2::TokenStream| {
        if vendored_runtime {
            prelude.extend(quote::quote!(
                use crate::sdk_runtime;
            ));
        }
        prelude
    };
    let client_prelude = || {
        with_runtime(emit::client::prelude(
            model,
            &client_modules,
            &settings.crate_name,
            &settings.crate_version,
        ))
    };
    let client_item = |i| emit::client::operation_item(model, i);
    let models_prelude = || with_runtime(emit::models::prelude(!params.is_empty()));
    let params_prelude = || with_runtime(emit::params::prelude());
    let bodies_prelude = || with_runtime(emit::bodies::prelude());
    let responses_prelude = || with_runtime(emit::responses::prelude());
    let errors_prelude = || with_runtime(emit::errors::prelude());
    let models_item = |i: usize| emit::models::type_def(&model.types[schemas[i]], &model.types);
    let params_item = |i: usize| emit::models::type_def(&model.types[params[i]], &model.types);
    let bodies_item = |i: usize| emit::bodies::operation_item(model, bodies[i]);
    let responses_item = |i: usize| emit::responses::operation_item(model, responses[i]);
    let errors_item = |i: usize| match errors[i] {
        (op, true) => emit::errors::shared_item(model, op),
        (op, false) => emit::errors::operation_item(model, op),
    };
    let type_ids: Vec<ir::TypeId> = ir::TypeId::all(&model.types).collect();
    let type_cfg = |index: usize| cfg_of(features.type_gate(type_ids[index]));
    let op_cfg = |i: usize| cfg_of(features.operation(i));
    let client_cfg = op_cfg;
    let models_cfg = |i: usize| type_cfg(schemas[i]);
    let params_cfg = |i: usize| type_cfg(params[i]);
    let bodies_cfg = |i: usize| op_cfg(bodies[i]);
    let responses_cfg = |i: usize| op_cfg(responses[i]);
    let errors_cfg = |i: usize| match errors[i] {
        (op, true) => {
            let shared = ops[op].errors.as_ref().and_then(|e| e.shared.as_ref());
            cfg_of(shared.map_or(&features::Gate::Always, |name| features.shared_error(name)))
        }
        (op, false) => op_cfg(op),
    };
    let chunked = [
        render::Chunked {
            what: "src/client.rs",
            prelude: &client_prelude,
            count: ops.len(),
            item: &client_item,
            cfg: &client_cfg,
        },
        render::Chunked {
            what: "src/models.rs",
            prelude: &models_prelude,
            count: schemas.len(),
            item: &models_item,
            cfg: &models_cfg,
        },
        render::Chunked {
            what: "src/params.rs",
            prelude: &params_prelude,
            count: params.len(),
            item: &params_item,
            cfg: &params_cfg,
        },
        render::Chunked {
            what: "src/bodies.rs",
            prelude: &bodies_prelude,
            count: bodies.len(),
            item: &bodies_item,
            cfg: &bodies_cfg,
        },
        render::Chunked {
            what: "src/responses.rs",
            prelude: &responses_prelude,
            count: responses.len(),
            item: &responses_item,
            cfg: &responses_cfg,
        },
        render::Chunked {
            what: "src/errors.rs",
            prelude: &errors_prelude,
            count: errors.len(),
            item: &errors_item,
            cfg: &errors_cfg,
        },
    ];
    // A file of a kind the spec has no items of is left out (`models.rs` stays: its
    // path is public).
    let chunked: Vec<render::Chunked<'_>> = chunked
        .into_iter()
        .filter(|file| file.count > 0 || matches!(file.what, "src/client.rs" | "src/models.rs"))
        .collect();
    let rendered = render::rust_files_chunked(header, &chunked)?;
    for (file, contents) in chunked.iter().zip(rendered) {
        files.push(GeneratedFile {
            path: file.what.into(),
            contents,
        });
    }
    Ok(files)
}
