//! The crate around the code: `Cargo.toml`, `src/lib.rs` and the staleness-checking `build.rs`.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::doc_lines;
use crate::ir::{ClientFacts, SettingValue};
use crate::{
    Dependency, Feature, GENERATED_MARKER, GeneratedFile, Runtime, Settings, VendoredRuntime,
};

/// The generated crate's manifest. Dependencies carry versions (not `workspace = true`)
/// so the same file builds inside this workspace and standalone; with a vendored runtime
/// they are registry crates only, so the crate builds and packages wherever it is.
/// The features of the crate's groups of operations (`features.rs`), in order, and the
/// ones the quick start needs (one per operation it calls in a group).
pub(crate) struct GroupFeatures<'a> {
    pub names: &'a [String],
    pub example_needs: &'a [String],
}

/// Names the manifest has besides the groups' features: `default`, the runtime's
/// features and every dependency (an optional one is a feature too). Group features
/// keep clear of them.
pub(crate) fn manifest_names(settings: &Settings) -> Vec<String> {
    let mut names = vec!["default".to_string()];
    match &settings.runtime {
        Runtime::Dependency { features, .. } => {
            names.push("sdk-runtime".into());
            names.extend(features.iter().map(|f| f.name.clone()));
        }
        Runtime::Vendored(vendored) => {
            names.extend(vendored.features.iter().map(|f| f.name.clone()));
            names.extend(vendored.dependencies.iter().map(|d| d.name.clone()));
        }
    }
    names.extend(["serde", "serde_json", "futures", "bytes"].map(String::from));
    names
}

pub(crate) fn cargo_toml(
    settings: &Settings,
    facts: &ClientFacts,
    header: &str,
    has_build_script: bool,
    groups: &GroupFeatures<'_>,
) -> String {
    let mut out = format!("# {header}\n\n[package]\n");
    let description = format!(
        "Rust SDK for {} (generated from its OpenAPI description)",
        facts.title
    );
    let mut package: Vec<(String, String)> = vec![
        ("name".into(), toml_string(&settings.crate_name)),
        ("version".into(), toml_string(&settings.crate_version)),
        ("edition".into(), toml_string("2024")),
        ("rust-version".into(), toml_string("1.85")),
        ("description".into(), toml_string(&description)),
    ];
    let optional = [
        ("license", &facts.package.license),
        ("repository", &facts.package.repository),
        ("homepage", &facts.package.homepage),
        ("documentation", &facts.package.documentation),
    ];
    for (key, value) in optional {
        if let Some(value) = value {
            package.push((key.into(), toml_string(value)));
        }
    }
    package.push(("readme".into(), toml_string("README.md")));
    package.push((
        "keywords".into(),
        toml_list(&["api", "sdk", "openapi", "client"]),
    ));
    package.push((
        "categories".into(),
        toml_list(&["api-bindings", "web-programming::http-client"]),
    ));
    // The spec's `info.x-cargo` has the last word on every field it sets, except the
    // name and version (the generator's `--name` and its version bumps own those) and
    // keys that are not plain TOML keys.
    let settable = |key: &str| {
        !matches!(key, "name" | "version")
            && !key.is_empty()
            && key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    for (key, value) in facts.package.overrides.iter().filter(|(k, _)| settable(k)) {
        let value = match value {
            SettingValue::Text(text) => toml_string(text),
            SettingValue::Flag(flag) => flag.to_string(),
            SettingValue::List(items) => {
                toml_list(&items.iter().map(String::as_str).collect::<Vec<_>>())
            }
        };
        match package.iter_mut().find(|(k, _)| k == key) {
            Some(entry) => entry.1 = value,
            None => package.push((key.clone(), value)),
        }
    }
    for (key, value) in &package {
        out.push_str(&format!("{key} = {value}\n"));
    }
    out.push_str(if has_build_script {
        "build = \"build.rs\"\n"
    } else {
        "autobuilds = false\n"
    });
    out.push_str(
        "\n[package.metadata.docs.rs]\n# Every feature builds together; the TLS backend changes no API.\nall-features = true\n",
    );
    let (features, mut dependencies, mut dev_dependencies) = match &settings.runtime {
        Runtime::Dependency { toml, features } => {
            let forwarded: Vec<Feature> = features
                .iter()
                .map(|f| Feature {
                    name: f.name.clone(),
                    enables: if f.name == "default" {
                        f.enables.clone()
                    } else {
                        vec![format!("sdk-runtime/{}", f.name)]
                    },
                })
                .collect();
            (forwarded, vec![format!("sdk-runtime = {toml}")], Vec::new())
        }
        Runtime::Vendored(vendored) => {
            // The runtime's unit tests come along; rustdoc would compile its examples
            // against a crate named `sdk_runtime`, which this crate is not.
            out.push_str("\n[lib]\ndoctest = false\n");
            (
                vendored.features.clone(),
                vendored
                    .dependencies
                    .iter()
                    .map(|d| dependency_line(d, false))
                    .collect(),
                vendored
                    .dev_dependencies
                    .iter()
                    .map(|d| dependency_line(d, true))
                    .collect(),
            )
        }
    };
    let mut features = features;
    if !groups.names.is_empty() {
        // Every group is on by default: a crate user opts out, not in.
        if !features.iter().any(|f| f.name == "default") {
            features.insert(
                0,
                Feature {
                    name: "default".into(),
                    enables: Vec::new(),
                },
            );
        }
        for feature in features.iter_mut().filter(|f| f.name == "default") {
            feature.enables.extend(groups.names.iter().cloned());
        }
    }
    if !features.is_empty() || !groups.names.is_empty() {
        out.push_str("\n[features]\n");
        for feature in &features {
            let enables: Vec<&str> = feature.enables.iter().map(String::as_str).collect();
            out.push_str(&format!("{} = {}\n", feature.name, toml_list(&enables)));
        }
        if !groups.names.is_empty() {
            out.push_str("# One feature per group of operations (see README.md, Features).\n");
        }
        for name in groups.names {
            out.push_str(&format!("{name} = []\n"));
        }
    }
    if !groups.example_needs.is_empty() {
        let needs: Vec<&str> = groups.example_needs.iter().map(String::as_str).collect();
        out.push_str(&format!(
            "\n[[example]]\nname = \"quick_start\"\nrequired-features = {}\n",
            toml_list(&needs)
        ));
    }
    // What the generated code itself uses, unless the runtime's list has it already.
    let own = [
        (
            "serde",
            "serde = { version = \"1\", features = [\"derive\"] }",
        ),
        ("serde_json", "serde_json = \"1\""),
        ("futures", "futures = \"0.3\""),
        ("bytes", "bytes = \"1\""),
    ];
    for (name, line) in own {
        if !dependencies
            .iter()
            .any(|d| d.starts_with(&format!("{name} =")))
        {
            dependencies.push(line.to_string());
        }
    }
    if !dev_dependencies.iter().any(|d| d.starts_with("tokio =")) {
        dev_dependencies.push(
            "tokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }".into(),
        );
    }
    out.push_str("\n[dependencies]\n");
    for line in &dependencies {
        out.push_str(line);
        out.push('\n');
    }
    out.push_str("\n[dev-dependencies]\n");
    for line in &dev_dependencies {
        out.push_str(line);
        out.push('\n');
    }
    if settings.standalone {
        out.push_str("\n# A crate of its own wherever it is written.\n[workspace]\n");
    }
    out
}

/// A dependency as one manifest line; `tokio` in dev-dependencies also gets what the
/// generated examples and tests need.
fn dependency_line(dependency: &Dependency, dev: bool) -> String {
    let mut features = dependency.features.clone();
    if dev && dependency.name == "tokio" {
        for needed in ["macros", "rt-multi-thread"] {
            if !features.iter().any(|f| f == needed) {
                features.push(needed.to_string());
            }
        }
    }
    let mut fields = vec![format!("version = {}", toml_string(&dependency.version))];
    if !dependency.default_features {
        fields.push("default-features = false".into());
    }
    if !features.is_empty() {
        let features: Vec<&str> = features.iter().map(String::as_str).collect();
        fields.push(format!("features = {}", toml_list(&features)));
    }
    if dependency.optional {
        fields.push("optional = true".into());
    }
    format!("{} = {{ {} }}", dependency.name, fields.join(", "))
}

fn toml_list(items: &[&str]) -> String {
    let items: Vec<String> = items.iter().map(|i| toml_string(i)).collect();
    format!("[{}]", items.join(", "))
}

/// The runtime's files as modules of the crate (`src/sdk_runtime/`), each byte for byte
/// the runtime's own after a first line that marks it generated.
pub(crate) fn vendored_runtime(vendored: &VendoredRuntime, command: &str) -> Vec<GeneratedFile> {
    vendored
        .files
        .iter()
        .map(|(path, text)| {
            let target = if path == "lib.rs" { "mod.rs" } else { path.as_str() };
            GeneratedFile {
                path: format!("{VENDORED_RUNTIME_DIR}/{target}"),
                contents: format!(
                    "// {GENERATED_MARKER} by `{command}`: the runtime's src/{path}, copied so this crate needs no path dependency. Do not edit.\n{text}"
                ),
            }
        })
        .collect()
}

/// Where a vendored runtime's files go.
pub(crate) const VENDORED_RUNTIME_DIR: &str = "src/sdk_runtime";

pub(crate) fn toml_string(value: &str) -> String {
    let mut out = String::from("\"");
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// What the crate root re-exports beyond every crate's items.
pub(crate) struct RootExports {
    /// Some operation streams: the runtime's event types are re-exported.
    pub streams: bool,
    /// The crate has group features, under which a module may be empty.
    pub has_features: bool,
}

/// `modules` are the private modules beside `client` and `models` whose items the crate
/// root re-exports (`params`, `bodies`, `responses`, `errors`, those the spec needs).
pub(crate) fn lib_rs(
    facts: &ClientFacts,
    modules: &[&str],
    exports: RootExports,
    vendored_runtime: bool,
    fingerprint: &str,
    spec_path: Option<&str>,
    overlay: Option<(&str, Option<&str>)>,
) -> TokenStream {
    let mut text = facts.title.clone();
    if !facts.version.is_empty() {
        text.push_str(&format!("\n\nVersion `{}` of the API.", facts.version));
    }
    if let Some(description) = &facts.description {
        text.push_str("\n\n");
        text.push_str(description);
    }
    let docs = doc_lines(&text);
    let reexported: Vec<syn::Ident> = modules
        .iter()
        .filter(|m| **m != "params")
        .map(|m| crate::emit::ident(m))
        .collect();
    let modules: Vec<syn::Ident> = modules.iter().map(|m| crate::emit::ident(m)).collect();
    let RootExports {
        streams,
        has_features,
    } = exports;
    // With only some features on, a module may have nothing to re-export.
    let allow_empty = has_features.then(|| quote!(#[allow(unused_imports)]));
    let inner_docs = docs.to_string().replace("# [doc", "#! [doc");
    let inner_docs: TokenStream = inner_docs.parse().unwrap_or_default();
    let spec_doc = match spec_path {
        Some(path) => format!(
            " Fingerprint of `{path}` this crate was generated from; `build.rs` compares it."
        ),
        None => " Fingerprint of the spec this crate was generated from.".to_string(),
    };
    let overlay_const = overlay.map(|(fingerprint, path)| {
        let doc = match path {
            Some(path) => format!(
                " Fingerprint of `{path}`, the overlay applied to the spec; `build.rs` compares it."
            ),
            None => " Fingerprint of the overlay applied to the spec.".to_string(),
        };
        quote! {
            #[doc = #doc]
            pub const OVERLAY_FINGERPRINT: &str = #fingerprint;
        }
    });
    let runtime_module = vendored_runtime.then(|| {
        quote! {
            /// The client runtime (configuration, retries, errors, parameter styles, uploads),
            /// vendored: the `sdk-runtime` crate's source, so this crate depends on registry
            /// crates only.
            pub mod sdk_runtime;
        }
    });
    // What the `_events` methods yield, for crates that have them.
    let stream_types = streams.then(|| {
        quote!(
            pub use sdk_runtime::{SseEvent, SseItem};
        )
    });
    quote! {
        #inner_docs
        // Descriptions come from the spec as written: links, HTML and lists in them are
        // shown as they are, not checked.
        #![allow(rustdoc::broken_intra_doc_links, rustdoc::bare_urls, rustdoc::invalid_html_tags)]
        #![allow(rustdoc::invalid_rust_codeblocks, rustdoc::private_intra_doc_links)]
        #![allow(clippy::doc_lazy_continuation, clippy::doc_overindented_list_items, clippy::empty_docs)]
        #![allow(clippy::doc_markdown, clippy::tabs_in_doc_comments, clippy::too_long_first_doc_paragraph)]
        // Shapes follow the spec: as many parameters, variants and fields as it has.
        #![allow(clippy::too_many_arguments, clippy::large_enum_variant, clippy::enum_variant_names)]
        #![allow(clippy::type_complexity, clippy::module_inception)]
        // The spec may mark types deprecated that other generated types still use.
        #![allow(deprecated)]

        #runtime_module
        mod client;
        pub mod models;
        #(mod #modules;)*

        pub use client::*;
        // A spec may have no schemas at all.
        #[allow(unused_imports)]
        pub use models::*;
        // `models` re-exports `params` (where parameter structs were before).
        #(#allow_empty pub use #reexported::*;)*
        pub use sdk_runtime::{upload, ApiError, ApiResponse, Error, FilePart, RequestOptions};
        #stream_types

        /// Results of this crate's calls.
        pub type Result<T, E = Error> = std::result::Result<T, E>;

        #[doc = #spec_doc]
        pub const SPEC_FINGERPRINT: &str = #fingerprint;
        #overlay_const
    }
}

/// Fails the build, naming the command to run, when an input (the spec, its overlay)
/// changed after the last regeneration. `inputs` are paths relative to the crate with the
/// fingerprint each had. Silent for an input that is not where it was (the crate was
/// copied elsewhere).
pub(crate) fn build_rs(inputs: &[(String, String)], command: &str) -> TokenStream {
    let message = format!(
        "error: {{path}} changed after this crate was generated (fingerprint {{actual}}, crate has {{expected}}).\nRun `{command}` to regenerate it."
    );
    let paths = inputs.iter().map(|(path, _)| path);
    let fingerprints = inputs.iter().map(|(_, fingerprint)| fingerprint);
    let fingerprint_function = crate::fingerprint::function_tokens();
    quote! {
        //! Checks that the crate is as new as its spec.
        use std::path::Path;

        /// Each input of the generator, relative to this crate, and its fingerprint then.
        const INPUTS: &[(&str, &str)] = &[#((#paths, #fingerprints)),*];

        fn main() {
            let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
            println!("cargo:rerun-if-changed=build.rs");
            for &(path, expected) in INPUTS {
                let input = Path::new(&manifest_dir).join(path);
                let Ok(text) = std::fs::read_to_string(&input) else {
                    continue;
                };
                println!("cargo:rerun-if-changed={}", input.display());
                let actual = fingerprint(&text);
                if actual != expected {
                    eprintln!(#message);
                    std::process::exit(1);
                }
            }
        }

        #fingerprint_function
    }
}
