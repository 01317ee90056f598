//! `src/errors.rs`: the error bodies each operation's spec describes, by status, decoded
//! from an [`Error`](sdk_runtime::Error) on demand: the calls themselves keep returning
//! the crate's one error type.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::{ident, method_link, ty_tokens};
use crate::ir::{ErrorVariant, Model, ResponseBody, StatusMatch, TypeDef};

/// At most this many operations are named in a shared enum's docs.
const LISTED: usize = 8;

/// What `src/errors.rs` starts with; each operation's enum follows from [`operation_item`].
pub(crate) fn prelude() -> TokenStream {
    quote! {
        //! The error bodies the spec describes for each operation, by status.
        // Which of these imports the items use depends on the spec.
        #![allow(unused_imports)]
        use crate::models::*;
        use sdk_runtime::Error;
    }
}

/// The error enum of the operation at `index`: its own, or an alias of the enum it
/// shares with other operations (which [`shared_item`] emits).
pub(crate) fn operation_item(model: &Model, index: usize) -> TokenStream {
    let op = &model.operations[index];
    let Some(errors) = &op.errors else {
        return TokenStream::new();
    };
    let method = method_link(&op.ident);
    let Some(shared) = &errors.shared else {
        let doc = format!(" The error bodies the spec describes for {method}, by status.");
        return error_enum(&errors.name, &doc, &errors.variants, &model.types);
    };
    let doc =
        format!(" The error bodies the spec describes for {method}, by status: [`{shared}`].");
    let name = ident(&errors.name);
    let shared = ident(shared);
    quote! {
        #[doc = #doc]
        pub type #name = #shared;
    }
}

/// The error enum the operation at `index` shares with later operations, where it is
/// the enum's first user (it goes just before that operation's alias); else nothing.
pub(crate) fn shared_item(model: &Model, index: usize) -> TokenStream {
    let Some(errors) = &model.operations[index].errors else {
        return TokenStream::new();
    };
    let Some(shared) = &errors.shared else {
        return TokenStream::new();
    };
    let shares = |i: &usize| {
        model.operations[*i]
            .errors
            .as_ref()
            .is_some_and(|e| e.shared.as_ref() == Some(shared))
    };
    if (0..index).any(|i| shares(&i)) {
        return TokenStream::new();
    }
    let users: Vec<usize> = (index..model.operations.len()).filter(shares).collect();
    let mut links: Vec<String> = users
        .iter()
        .take(LISTED)
        .map(|&i| method_link(&model.operations[i].ident))
        .collect();
    if users.len() > LISTED {
        links.push(format!("{} more", users.len() - LISTED));
    }
    let last = links.pop().unwrap_or_default();
    let doc = format!(
        " The error bodies the spec describes, by status, for {} and {last}.",
        links.join(", ")
    );
    error_enum(shared, &doc, &errors.variants, &model.types)
}

fn error_enum(name: &str, doc: &str, variants: &[ErrorVariant], types: &[TypeDef]) -> TokenStream {
    let how = format!(" Decode one from a failed call with [`{name}::from_error`].");
    let name = ident(name);
    let items = variants.iter().map(|v| {
        let variant = ident(&v.ident);
        let doc = match v.status {
            StatusMatch::Exact(code) => format!(" Status {code}."),
            StatusMatch::Range(class) => {
                format!(" A {class}xx status without an entry of its own.")
            }
            StatusMatch::Default => " Any other error status.".to_string(),
        };
        if v.body == ResponseBody::Empty {
            quote!(#[doc = #doc] #variant,)
        } else {
            let ty = ty_tokens(&v.body.ty(), types);
            quote!(#[doc = #doc] #variant(#ty),)
        }
    });
    let mut by_specificity: Vec<_> = variants.iter().collect();
    by_specificity.sort_by_key(|v| v.status);
    let arms = by_specificity.iter().map(|v| {
        let variant = ident(&v.ident);
        let pattern = match v.status {
            StatusMatch::Exact(code) => quote!(#code),
            StatusMatch::Range(class) => {
                let (low, high) = (class * 100, class * 100 + 99);
                quote!(#low..=#high)
            }
            StatusMatch::Default => quote!(_),
        };
        let value = match &v.body {
            ResponseBody::Empty => quote!(Some(#name::#variant)),
            ResponseBody::Json(ty) => {
                let ty = ty_tokens(ty, types);
                quote!(error.json::<#ty>().map(#name::#variant))
            }
            ResponseBody::Text => {
                quote!(Some(#name::#variant(String::from_utf8_lossy(&error.body).into_owned())))
            }
            ResponseBody::Binary => quote!(Some(#name::#variant(error.body.clone()))),
        };
        quote!(#pattern => #value,)
    });
    let has_default = variants.iter().any(|v| v.status == StatusMatch::Default);
    let fallback = (!has_default).then(|| quote!(_ => None,));
    quote! {
        #[doc = #doc]
        #[doc = ""]
        #[doc = #how]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name { #(#items)* }

        impl #name {
            /// The body of `error` as the spec describes it for its status; `None` when
            /// `error` is not an API error, its status is not described, or its body does
            /// not have the described shape.
            pub fn from_error(error: &Error) -> Option<Self> {
                Self::from_api_error(error.api_error()?)
            }

            /// Like [`Self::from_error`], from the [`sdk_runtime::ApiError`] itself.
            pub fn from_api_error(error: &sdk_runtime::ApiError) -> Option<Self> {
                match error.status.as_u16() {
                    #(#arms)*
                    #fallback
                }
            }
        }
    }
}
