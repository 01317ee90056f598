//! The inputs' fingerprint, written once: the generator computes it, and the generated
//! `build.rs` carries the same function's tokens to recompute it at build time, so the
//! two cannot drift apart.

/// Hands the fingerprint function's source to `$use` (a macro that defines it, or one
/// that quotes it for the generated build script).
macro_rules! fingerprint_function {
    ($use:ident) => {
        $use! {
            /// FNV-1a 64 over the text with `\r\n` folded to `\n`, as 16 hex digits.
            fn fingerprint(text: &str) -> String {
                let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
                let bytes = text.as_bytes();
                for (i, &b) in bytes.iter().enumerate() {
                    if b == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                        continue;
                    }
                    hash ^= u64::from(b);
                    hash = hash.wrapping_mul(0x0100_0000_01b3);
                }
                format!("{hash:016x}")
            }
        }
    };
}

macro_rules! define {
    ($($item:tt)*) => { $($item)* };
}

fingerprint_function!(define);

/// The function's tokens, for the generated build script.
pub(crate) fn function_tokens() -> proc_macro2::TokenStream {
    macro_rules! tokens {
        ($($item:tt)*) => { quote::quote! { $($item)* } };
    }
    fingerprint_function!(tokens)
}

/// Stable hash of a spec's or overlay's text (line endings folded), as 16 hex digits.
pub fn of_text(text: &str) -> String {
    fingerprint(text)
}

#[cfg(test)]
mod tests {
    #[test]
    fn line_endings_do_not_change_the_fingerprint() {
        assert_eq!(super::of_text("a\r\nb"), super::of_text("a\nb"));
        assert_ne!(super::of_text("a\rb"), super::of_text("a\nb"));
        assert_eq!(super::of_text(""), "cbf29ce484222325");
    }

    #[test]
    fn the_build_script_gets_the_same_function() {
        let tokens = super::function_tokens().to_string();
        assert!(tokens.starts_with("# [doc = "), "{tokens}");
        assert!(
            tokens.contains("fn fingerprint (text : & str) -> String"),
            "{tokens}"
        );
        assert!(tokens.contains("0x0100_0000_01b3"), "{tokens}");
    }
}
