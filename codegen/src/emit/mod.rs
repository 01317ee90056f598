//! Emitters: one module per output file, each turning the IR into tokens or text.

pub(crate) mod bodies;
pub(crate) mod client;
pub(crate) mod crate_files;
pub(crate) mod errors;
pub(crate) mod models;
pub(crate) mod params;
pub(crate) mod readme;
pub(crate) mod responses;

use proc_macro2::{Span, TokenStream};
use quote::quote;

use crate::features::{Features, Gate};
use crate::ir::{Docs, Ty, TypeDef};

/// An identifier from a name the naming pass made valid (`r#` prefixes kept raw).
pub(crate) fn ident(name: &str) -> syn::Ident {
    match name.strip_prefix("r#") {
        Some(raw) => syn::Ident::new_raw(raw, Span::call_site()),
        None => syn::Ident::new(name, Span::call_site()),
    }
}

/// A rustdoc link to the `Client` method of an operation, valid from any module.
pub(crate) fn method_link(op_ident: &str) -> String {
    let method = crate::naming::unraw(op_ident);
    format!("[`Client::{method}`](crate::Client::{method})")
}

/// The Rust type expression for `ty`.
pub(crate) fn ty_tokens(ty: &Ty, types: &[TypeDef]) -> TokenStream {
    match ty {
        Ty::Unit => quote!(()),
        Ty::Bool => quote!(bool),
        Ty::I32 => quote!(i32),
        Ty::I64 => quote!(i64),
        Ty::U64 => quote!(u64),
        Ty::F32 => quote!(f32),
        Ty::F64 => quote!(f64),
        Ty::String => quote!(String),
        Ty::DateTime => quote!(sdk_runtime::DateTime),
        Ty::Date => quote!(sdk_runtime::Date),
        Ty::Bytes => quote!(bytes::Bytes),
        Ty::File => quote!(sdk_runtime::FilePart),
        Ty::Value => quote!(serde_json::Value),
        Ty::JsonMap => quote!(serde_json::Map<String, serde_json::Value>),
        Ty::Named(id) => {
            let name = ident(&types[*id].name);
            quote!(#name)
        }
        Ty::Vec(inner) => {
            let inner = ty_tokens(inner, types);
            quote!(Vec<#inner>)
        }
        Ty::Map(inner) => {
            let inner = ty_tokens(inner, types);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
        Ty::Option(inner) => {
            let inner = ty_tokens(inner, types);
            quote!(Option<#inner>)
        }
        Ty::Boxed(inner) => {
            let inner = ty_tokens(inner, types);
            quote!(Box<#inner>)
        }
    }
}

/// `#[doc]` attributes for free text from the spec, made safe for rustdoc: code fences
/// become `text` blocks and indented lines lose their indent, so no description can
/// turn into a doctest that fails to compile.
pub(crate) fn doc_lines(text: &str) -> TokenStream {
    let mut out = TokenStream::new();
    let mut in_fence = false;
    for line in text.trim_end().lines() {
        let trimmed = line.trim_start();
        let line = if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            let fence = &trimmed[..3];
            in_fence = !in_fence;
            if in_fence {
                format!("{fence}text")
            } else {
                fence.to_string()
            }
        } else if !in_fence && line.len() - trimmed.len() >= 4 {
            trimmed.to_string()
        } else {
            line.to_string()
        };
        out.extend(crate::doc_aside::line(format!(" {}", line.trim_end())));
    }
    out
}

/// Docs and `#[deprecated]` for an item.
pub(crate) fn docs_tokens(docs: &Docs) -> TokenStream {
    let mut out = docs
        .description
        .as_deref()
        .map(doc_lines)
        .unwrap_or_default();
    if let Some(default) = &docs.default {
        let line = if default.contains('`') {
            format!(" Default: {default}")
        } else {
            format!(" Default: `{default}`.")
        };
        if docs.description.is_some() {
            out.extend(quote!(#[doc = ""]));
        }
        out.extend(crate::doc_aside::line(line));
    }
    if docs.deprecated {
        out.extend(quote!(#[deprecated]));
    }
    out
}

/// The `#[cfg]` of an item behind `gate` (nothing for one always compiled): every item
/// of every emitter gets its feature gate from here, through `render::Chunked::cfg`.
pub(crate) fn cfg(features: &Features, gate: &Gate) -> TokenStream {
    match features.of(gate).as_slice() {
        [] => TokenStream::new(),
        [one] => quote!(#[cfg(feature = #one)]),
        several => quote!(#[cfg(any(#(feature = #several),*))]),
    }
}
