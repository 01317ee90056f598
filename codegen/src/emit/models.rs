//! `src/models.rs`: every schema's type: structs with an `sdk_runtime::object!` line for
//! serde, open enums, unions, aliases.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::emit::{docs_tokens, ident, ty_tokens};
use crate::ir::{EnumVariant, Field, Struct, StructRole, Ty, TypeDef, TypeKind, Union};

/// What `src/models.rs` starts with; each type follows from [`type_def`]. With
/// `params`, the parameter structs of `src/params.rs` stay reachable as `models::*` too,
/// where they were before they had a file of their own.
pub(crate) fn prelude(params: bool) -> TokenStream {
    let params = params.then(|| {
        quote! {
            #[doc(no_inline)]
            pub use crate::params::*;
        }
    });
    quote! {
        //! Types for every schema of the spec.
        // A spec may have no schema that derives these.
        #![allow(unused_imports)]
        use serde::{Deserialize, Serialize};
        #params
    }
}

pub(crate) fn type_def(def: &TypeDef, types: &[TypeDef]) -> TokenStream {
    let docs = docs_tokens(&def.docs);
    let name = ident(&def.name);
    match &def.kind {
        TypeKind::Alias(ty) => {
            let ty = ty_tokens(ty, types);
            quote! { #docs pub type #name = #ty; }
        }
        TypeKind::Newtype(ty) => {
            let ty = ty_tokens(ty, types);
            quote! {
                #docs
                #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
                #[serde(transparent)]
                pub struct #name(pub #ty);
            }
        }
        TypeKind::Struct(s) => struct_def(&docs, &name, s, types),
        TypeKind::StringEnum(variants) => string_enum(&docs, &name, variants),
        TypeKind::IntEnum(variants) => int_enum(&docs, &name, variants),
        TypeKind::ValueEnum(variants) => value_enum(&docs, &name, variants),
        TypeKind::Union(union) => union_def(&docs, &name, union, types),
    }
}

/// Whether `Default` can be derived: every field may be left out.
fn defaultable(s: &Struct) -> bool {
    s.fields.iter().all(|f| {
        matches!(f.full_ty(), Ty::Option(_))
            || matches!(f.ty, Ty::Vec(_) if s.role == StructRole::Form)
    })
}

fn struct_def(docs: &TokenStream, name: &syn::Ident, s: &Struct, types: &[TypeDef]) -> TokenStream {
    let default = defaultable(s).then(|| quote!(Default,));
    // Flattened fields need serde's buffering; they are rare, so the derives stay there.
    let derives_serde = s.additional.is_some() || s.fields.iter().any(|f| f.flatten);
    let fields = s
        .fields
        .iter()
        .map(|f| field(f, s.role, types, derives_serde));
    let additional = s.additional.as_ref().map(|ty| {
        let ty = ty_tokens(ty, types);
        quote! {
            /// Properties beyond the named ones.
            #[serde(flatten)]
            pub additional_properties: std::collections::BTreeMap<String, #ty>,
        }
    });
    match s.role {
        StructRole::Model if derives_serde => {
            quote! {
                #docs
                #[derive(Debug, Clone, PartialEq, #default Serialize, Deserialize)]
                pub struct #name { #(#fields)* #additional }
            }
        }
        StructRole::Model => {
            let object = object_fields(name, s);
            quote! {
                #docs
                #[derive(Debug, Clone, PartialEq, #default)]
                pub struct #name { #(#fields)* }
                #object
            }
        }
        StructRole::Params => quote! {
            #docs
            #[derive(Debug, Clone, PartialEq, #default)]
            pub struct #name { #(#fields)* }
        },
        StructRole::Form => {
            let encode = form_encoding(s);
            // A form without fields never adds a part.
            let form_mut = (!s.fields.is_empty()).then(|| quote!(mut));
            quote! {
                #docs
                #[derive(Debug, Clone, PartialEq, #default)]
                pub struct #name { #(#fields)* }
                impl #name {
                    /// Encodes the form as multipart parts, checking upload rules first.
                    pub fn to_multipart(&self) -> Result<sdk_runtime::Multipart, sdk_runtime::Error> {
                        let #form_mut form = sdk_runtime::Multipart::new();
                        #encode
                        Ok(form)
                    }
                }
            }
        }
    }
}

/// Serde through `sdk_runtime::object!`, for a struct without flattened fields: each
/// field's kind, name and wire name, instead of the derives' expansion (most of a large
/// crate's compile time).
fn object_fields(name: &syn::Ident, s: &Struct) -> TokenStream {
    let fields = s.fields.iter().map(|f| {
        let field = ident(&f.ident);
        let wire = &f.wire;
        let kind = match (f.required, f.nullable) {
            (true, false) => quote!(Required),
            (true, true) => quote!(RequiredNullable),
            (false, false) => quote!(Optional),
            (false, true) => quote!(Nullable),
        };
        quote!(#kind #field = #wire)
    });
    quote! {
        sdk_runtime::object!(#name { #(#fields),* });
    }
}

/// One field of a struct; serde attributes only where the struct derives serde.
fn field(f: &Field, role: StructRole, types: &[TypeDef], derives_serde: bool) -> TokenStream {
    let mut docs = docs_tokens(&f.docs);
    let mut note = |line: &str| {
        if !docs.is_empty() {
            docs.extend(quote!(#[doc = ""]));
        }
        docs.extend(quote!(#[doc = #line]));
    };
    if f.read_only {
        note(" Read-only: set by the server, ignored in requests.");
    }
    if f.write_only {
        note(
            " Write-only: sent in requests, never returned (so optional here, even where requests require it).",
        );
    }
    let name = ident(&f.ident);
    let ty = ty_tokens(&field_ty(f, role), types);
    if f.flatten {
        return quote! { #docs #[serde(flatten)] pub #name: #ty, };
    }
    let mut serde_args = Vec::new();
    if role == StructRole::Model && derives_serde {
        if crate::naming::unraw(&f.ident) != f.wire {
            let wire = &f.wire;
            serde_args.push(quote!(rename = #wire));
        }
        match (f.required, f.nullable) {
            (true, _) => {}
            (false, false) => {
                serde_args.push(quote!(default, skip_serializing_if = "Option::is_none"))
            }
            (false, true) => serde_args.push(quote!(
                default,
                skip_serializing_if = "Option::is_none",
                with = "sdk_runtime::double_option"
            )),
        }
    }
    let serde = (!serde_args.is_empty()).then(|| quote!(#[serde(#(#serde_args),*)]));
    quote! { #docs #serde pub #name: #ty, }
}

/// The type a field has in its generated struct: the `Option`s of a model or parameter,
/// a form's own rules, a flattened variant as it is.
pub(crate) fn field_ty(f: &Field, role: StructRole) -> Ty {
    if f.flatten {
        return f.ty.clone();
    }
    let form_files =
        role == StructRole::Form && matches!(&f.ty, Ty::Vec(inner) if **inner == Ty::File);
    match role {
        // A list of files is empty rather than absent.
        _ if form_files => f.ty.clone(),
        // A form has no null: a part is sent or it is not.
        StructRole::Form if !f.required => f.ty.clone().option(),
        StructRole::Form => f.ty.clone(),
        _ => f.full_ty(),
    }
}

/// Statements adding each field of a form to `form`.
fn form_encoding(s: &Struct) -> TokenStream {
    let mut out = TokenStream::new();
    for f in &s.fields {
        let name = ident(&f.ident);
        let wire = &f.wire;
        if let Some(rules) = &f.upload {
            let single = rules.single_top_folder;
            let top = match &rules.required_top_file {
                Some(file) => quote!(Some(#file)),
                None => quote!(None),
            };
            let max = match rules.max_total_bytes {
                Some(n) => {
                    let n = Literal::u64_unsuffixed(n);
                    quote!(Some(#n))
                }
                None => quote!(None),
            };
            let files = match &f.ty {
                Ty::Vec(_) => quote!(&self.#name),
                _ if !f.required => quote!(self.#name.as_slice()),
                _ => quote!(std::slice::from_ref(&self.#name)),
            };
            out.extend(quote! {
                sdk_runtime::upload::UploadRules {
                    single_top_folder: #single,
                    required_top_file: #top,
                    max_total_bytes: #max,
                }
                .check(#files)?;
            });
        }
        let optional = !f.required;
        let add = |value: TokenStream| match &f.ty {
            Ty::File => quote!(form.file(#wire, Clone::clone(#value));),
            Ty::Vec(inner) if **inner == Ty::File => quote! {
                for file in #value { form.file(#wire, file.clone()); }
            },
            Ty::Vec(_) => quote! {
                for item in #value { form.text(#wire, sdk_runtime::params::text_value(item)?); }
            },
            _ => quote!(form.text(#wire, sdk_runtime::params::text_value(#value)?);),
        };
        let files_vec = matches!(&f.ty, Ty::Vec(inner) if **inner == Ty::File);
        if optional && !files_vec {
            let body = add(quote!(value));
            let pattern = quote!(Some(value));
            out.extend(quote! { if let #pattern = &self.#name { #body } });
        } else {
            out.extend(add(quote!(&self.#name)));
        }
    }
    out
}

/// The idents of enum variants whose values are text, and a doc line quoting each value.
fn text_variants(variants: &[EnumVariant<String>]) -> (Vec<syn::Ident>, Vec<String>) {
    variants
        .iter()
        .map(|v| (ident(&v.ident), format!(" `{}`", v.value.replace('`', "'"))))
        .unzip()
}

fn string_enum(
    docs: &TokenStream,
    name: &syn::Ident,
    variants: &[EnumVariant<String>],
) -> TokenStream {
    let (idents, variant_docs) = text_variants(variants);
    let values = variants.iter().map(|v| &v.value);
    quote! {
        #docs
        ///
        /// Open: a value this version does not know is kept in `Other`, so new server
        /// values never break decoding. Build values with `From<&str>` or `FromStr`.
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #( #[doc = #variant_docs] #idents, )*
            /// A value not known when this crate was generated.
            Other(String),
        }
        impl sdk_runtime::OpenStringEnum for #name {
            const KNOWN: &'static [(Self, &'static str)] = &[#( (#name::#idents, #values) ),*];
            fn other(value: String) -> Self {
                #name::Other(value)
            }
            fn as_other(&self) -> Option<&str> {
                match self {
                    #name::Other(value) => Some(value),
                    _ => None,
                }
            }
            fn clone_known(&self) -> Self {
                self.clone()
            }
        }
        sdk_runtime::open_string_enum_traits!(#name);
    }
}

fn int_enum(docs: &TokenStream, name: &syn::Ident, variants: &[EnumVariant<i64>]) -> TokenStream {
    let idents: Vec<syn::Ident> = variants.iter().map(|v| ident(&v.ident)).collect();
    let values = variants.iter().map(|v| Literal::i64_unsuffixed(v.value));
    let variant_docs = variants.iter().map(|v| format!(" `{}`", v.value));
    quote! {
        #docs
        ///
        /// Open: an unknown value is kept in `Other`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #( #[doc = #variant_docs] #idents, )*
            /// A value not known when this crate was generated.
            Other(i64),
        }
        impl sdk_runtime::OpenIntEnum for #name {
            const KNOWN: &'static [(Self, i64)] = &[#( (#name::#idents, #values) ),*];
            fn other(value: i64) -> Self {
                #name::Other(value)
            }
            fn as_other(&self) -> Option<i64> {
                match self {
                    #name::Other(value) => Some(*value),
                    _ => None,
                }
            }
        }
        sdk_runtime::open_int_enum_traits!(#name);
    }
}

fn value_enum(
    docs: &TokenStream,
    name: &syn::Ident,
    variants: &[EnumVariant<String>],
) -> TokenStream {
    let (idents, variant_docs) = text_variants(variants);
    let values = variants.iter().map(|v| &v.value);
    let gap = (!docs.is_empty()).then(|| quote!(#[doc = ""]));
    quote! {
        #docs
        #gap
        /// Values of several JSON types. Open: an unknown value is kept in `Other`.
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #( #[doc = #variant_docs] #idents, )*
            /// A value not known when this crate was generated.
            Other(serde_json::Value),
        }
        impl sdk_runtime::OpenValueEnum for #name {
            const KNOWN: &'static [(Self, &'static str)] = &[#( (#name::#idents, #values) ),*];
            fn other(value: serde_json::Value) -> Self {
                #name::Other(value)
            }
            fn as_other(&self) -> Option<&serde_json::Value> {
                match self {
                    #name::Other(value) => Some(value),
                    _ => None,
                }
            }
        }
        sdk_runtime::open_value_enum_traits!(#name);
    }
}

fn union_def(
    docs: &TokenStream,
    name: &syn::Ident,
    union: &Union,
    types: &[TypeDef],
) -> TokenStream {
    let idents: Vec<syn::Ident> = union.variants.iter().map(|v| ident(&v.ident)).collect();
    let tys: Vec<TokenStream> = union
        .variants
        .iter()
        .map(|v| ty_tokens(&v.ty, types))
        .collect();
    let gap = (!docs.is_empty()).then(|| quote!(#[doc = ""]));
    let Some((property, mapping)) = &union.discriminator else {
        return quote! {
            #docs
            #gap
            /// Variants are tried in order; a value matching none is kept in `Other`.
            #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
            #[serde(untagged)]
            pub enum #name {
                #( #idents(#tys), )*
                /// A value matching no known variant.
                Other(serde_json::Value),
            }
        };
    };
    let arms = mapping.iter().map(|(value, index)| {
        let variant = &idents[*index];
        let ty = &tys[*index];
        quote! {
            Some(#value) => serde_json::from_value::<#ty>(value).map(#name::#variant).map_err(serde::de::Error::custom),
        }
    });
    let note = format!(" Chosen by the `{property}` property; an unknown tag is kept in `Other`.");
    quote! {
        #docs
        #gap
        #[doc = #note]
        #[derive(Debug, Clone, PartialEq, Serialize)]
        #[serde(untagged)]
        pub enum #name {
            #( #idents(#tys), )*
            /// A value with a tag not known when this crate was generated.
            Other(serde_json::Value),
        }
        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = serde_json::Value::deserialize(deserializer)?;
                let tag = value.get(#property).and_then(serde_json::Value::as_str).map(str::to_owned);
                match tag.as_deref() {
                    #(#arms)*
                    _ => Ok(#name::Other(value)),
                }
            }
        }
    }
}
