//! OpenAPI 3.0 and 3.1 → Rust SDK generator. Pure: a spec's text in, a list of files out.
//! No disk, no environment, no clock: all I/O lives in `xtask`.
//!
//! Pipeline: [`Spec::parse`] (load; a 3.1 document is first rewritten to 3.0 shapes) →
//! `schema` and `operation` (spec → IR, naming) → `emit` (IR → tokens) → `render`
//! (syn + prettyplease → text).

mod changes;
mod emit;
mod error;
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
    /// TOML value of the runtime dependency, e.g. `{ path = "../runtime" }`.
    pub runtime_dependency: String,
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
    Ok(ir::Model {
        types: space.types,
        operations,
        client: operation::client_facts(doc),
    })
}

fn generate_inner(spec: &Spec, settings: &Settings) -> Result<Vec<GeneratedFile>, Error> {
    let model = model(spec)?;

    let header = format!(
        "{GENERATED_MARKER} by `{}` from {}. Do not edit: change the spec and regenerate.",
        settings.regenerate_command,
        spec.source_name()
    );
    let mut files = Vec::new();
    let has_build = settings.spec_path_from_crate.is_some();
    files.push(GeneratedFile {
        path: "Cargo.toml".into(),
        contents: emit::crate_files::cargo_toml(settings, &model.client, &header, has_build),
    });
    files.push(GeneratedFile {
        path: "rustfmt.toml".into(),
        contents: format!(
            "# {header}\n\n# prettyplease formats the generated code, the same on every machine; rustfmt leaves it be.\ndisable_all_formatting = true\n"
        ),
    });
    files.push(GeneratedFile {
        path: "api-surface.txt".into(),
        contents: surface::render(&model, &header),
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
            contents: render::rust_file(tokens, &header, "build.rs")?,
        });
    }
    let lib = emit::crate_files::lib_rs(
        &model.client,
        spec.fingerprint(),
        settings.spec_path_from_crate.as_deref(),
        spec.overlay_fingerprint()
            .map(|fingerprint| (fingerprint, settings.overlay_path_from_crate.as_deref())),
    );
    files.push(GeneratedFile {
        path: "src/lib.rs".into(),
        contents: render::rust_file(lib, &header, "src/lib.rs")?,
    });
    let client_prelude =
        || emit::client::prelude(&model, &settings.crate_name, &settings.crate_version);
    let client_item = |i| emit::client::operation_item(&model, i);
    let models_prelude = emit::models::prelude;
    let models_item = |i: usize| emit::models::type_def(&model.types[i], &model.types);
    let rendered = render::rust_files_chunked(
        &header,
        &[
            render::Chunked {
                what: "src/client.rs",
                prelude: &client_prelude,
                count: model.operations.len(),
                item: &client_item,
            },
            render::Chunked {
                what: "src/models.rs",
                prelude: &models_prelude,
                count: model.types.len(),
                item: &models_item,
            },
        ],
    )?;
    for (path, contents) in ["src/client.rs", "src/models.rs"].into_iter().zip(rendered) {
        files.push(GeneratedFile {
            path: path.into(),
            contents,
        });
    }
    Ok(files)
}
