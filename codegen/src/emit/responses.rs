//! `src/responses.rs`: the success responses of operations whose statuses return
//! different bodies, one enum per operation.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::{ident, method_link, ty_tokens};
use crate::ir::{Model, ResponseBody, ResponseShape};

/// What `src/responses.rs` starts with; each enum follows from [`operation_item`].
pub(crate) fn prelude() -> TokenStream {
    quote! {
        //! What operations whose statuses return different bodies return, by status.
        // Which of these imports the items use depends on the spec.
        #![allow(unused_imports)]
        use crate::models::*;
    }
}

/// The response enum of the operation at `index`, if its success statuses differ.
pub(crate) fn operation_item(model: &Model, index: usize) -> TokenStream {
    let op = &model.operations[index];
    let ResponseShape::ByStatus { name, variants } = &op.response else {
        return TokenStream::new();
    };
    let doc = format!(" What {} returns, by status.", method_link(&op.ident));
    let name = ident(name);
    let has_fallback = variants.iter().any(|v| v.status.is_none());
    let items = variants.iter().map(|v| {
        let variant = ident(&v.ident);
        let doc = match v.status {
            Some(code) => format!(" Status {code}."),
            None => " Any other success status.".to_string(),
        };
        if v.body == ResponseBody::Empty {
            quote!(#[doc = #doc] #variant,)
        } else {
            let ty = ty_tokens(&v.body.ty(), &model.types);
            quote!(#[doc = #doc] #variant(#ty),)
        }
    });
    let fallback = (!has_fallback).then(|| {
        quote! {
            /// A success status the spec does not list: status and raw body.
            UnexpectedStatus(u16, bytes::Bytes),
        }
    });
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name { #(#items)* #fallback }
    }
}
