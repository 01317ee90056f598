//! `src/bodies.rs`: the request bodies of operations that take several media types, one
//! enum per operation.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::{ident, method_link, ty_tokens};
use crate::ir::Model;

/// What `src/bodies.rs` starts with; each enum follows from [`operation_item`].
pub(crate) fn prelude() -> TokenStream {
    quote! {
        //! Request bodies of operations that take several media types, one variant per type.
        // Which of these imports the items use depends on the spec.
        #![allow(unused_imports)]
        use crate::models::*;
    }
}

/// The body enum of the operation at `index`, if it takes several media types.
pub(crate) fn operation_item(model: &Model, index: usize) -> TokenStream {
    let op = &model.operations[index];
    let Some((body, name)) = op
        .body
        .as_ref()
        .and_then(|body| Some((body, body.enum_name.as_ref()?)))
    else {
        return TokenStream::new();
    };
    let name = ident(name);
    let doc = format!(
        " The request body of {}, one variant per media type.",
        method_link(&op.ident)
    );
    let variants = body.media.iter().map(|media| {
        let variant = ident(&media.variant);
        let ty = ty_tokens(&media.ty, &model.types);
        let doc = format!(" Sent as `{}`.", media.content_type);
        quote!(#[doc = #doc] #variant(#ty),)
    });
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name { #(#variants)* }
    }
}
