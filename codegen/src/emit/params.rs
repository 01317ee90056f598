//! `src/params.rs`: the query, header and cookie parameters of each operation, one struct
//! per operation.

use proc_macro2::TokenStream;
use quote::quote;

/// What `src/params.rs` starts with; each struct follows from
/// [`crate::emit::models::type_def`].
pub(crate) fn prelude() -> TokenStream {
    quote! {
        //! The query, header and cookie parameters of each operation that has some.
        // Which of these imports the items use depends on the spec.
        #![allow(unused_imports)]
        use crate::models::*;
    }
}
