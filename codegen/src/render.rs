//! Tokens to text: parse with `syn` (which validates them), format with `prettyplease`,
//! and prepend the `@generated` header.

use proc_macro2::TokenStream;

use crate::error::Error;

pub(crate) fn rust_file(tokens: TokenStream, header: &str, what: &str) -> Result<String, Error> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| {
        Error::unsupported(
            "#",
            format!(
                "internal error: generated {what} is not valid Rust ({e}); please report this spec"
            ),
        )
    })?;
    Ok(format!("// {header}\n\n{}", prettyplease::unparse(&file)))
}
