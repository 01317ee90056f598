//! The crate around the code: `Cargo.toml`, `src/lib.rs` and the staleness-checking `build.rs`.

use proc_macro2::TokenStream;
use quote::quote;

use crate::Settings;
use crate::emit::doc_lines;
use crate::ir::ClientFacts;

/// The generated crate's manifest. Dependencies carry versions (not `workspace = true`)
/// so the same file builds inside this workspace and standalone.
pub(crate) fn cargo_toml(
    settings: &Settings,
    facts: &ClientFacts,
    header: &str,
    has_build_script: bool,
) -> String {
    let description = toml_string(&format!(
        "Rust SDK for {} (generated from its OpenAPI description)",
        facts.title
    ));
    let name = toml_string(&settings.crate_name);
    let version = toml_string(&settings.crate_version);
    let build = if has_build_script {
        "build = \"build.rs\"\n"
    } else {
        "autobuilds = false\n"
    };
    let workspace = if settings.standalone {
        "\n# A crate of its own wherever it is written.\n[workspace]\n"
    } else {
        ""
    };
    format!(
        "# {header}\n\n[package]\nname = {name}\nversion = {version}\nedition = \"2024\"\nrust-version = \"1.85\"\ndescription = {description}\npublish = false\n{build}\n\
[dependencies]\nsdk-runtime = {runtime}\nserde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\nfutures = \"0.3\"\nbytes = \"1\"\n\n\
[dev-dependencies]\ntokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\n{workspace}",
        runtime = settings.runtime_dependency,
    )
}

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

/// `modules` are the private modules beside `client` and `models` whose items the crate
/// root re-exports (`params`, `bodies`, `responses`, `errors`, those the spec needs).
pub(crate) fn lib_rs(
    facts: &ClientFacts,
    modules: &[&str],
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

        mod client;
        pub mod models;
        #(mod #modules;)*

        pub use client::*;
        // A spec may have no schemas at all.
        #[allow(unused_imports)]
        pub use models::*;
        // `models` re-exports `params` (where parameter structs were before).
        #(pub use #reexported::*;)*
        pub use sdk_runtime::{upload, ApiError, ApiResponse, Error, FilePart, RequestOptions};

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
