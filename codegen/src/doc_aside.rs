//! Doc lines set aside while the renderer formats the tokens around them.
//!
//! Text from the spec is most of a large crate's doc comments, and a doc line costs three
//! passes over its text on the way through tokens: escaping it into a string literal,
//! reading that literal back when `syn` parses it, and reading it once more when
//! prettyplease prints it. While the renderer builds a chunk of items inside
//! [`collect`], [`line`] keeps the text here and puts a short key in the tokens instead
//! (`\u{1}` and the line's number). prettyplease prints the key as a `///` line of its
//! own, like any one-line doc, and [`restore`] puts the text back in its place, trimmed
//! of trailing spaces as prettyplease trims a doc line.
//!
//! Only lines prettyplease prints as `///` text are set aside: one line, not starting
//! with `/`. Text from the spec always starts with a space, so no line of it can look
//! like a key. Outside [`collect`] (small files, tests) a line is a literal as always.

use std::cell::RefCell;

use proc_macro2::TokenStream;
use quote::quote;

/// What starts a key: a control character no doc line the emitters write starts with.
const KEY: char = '\u{1}';

thread_local! {
    /// The lines set aside by the [`collect`] running on this thread, if any.
    static LINES: RefCell<Option<Vec<String>>> = const { RefCell::new(None) };
}

/// `#[doc = line]`, with the line set aside when a [`collect`] is running and
/// prettyplease would print it as one `///` line.
pub(crate) fn line(text: String) -> TokenStream {
    let one_line = !text.contains('\n') && !text.starts_with('/') && !text.starts_with(KEY);
    let key = LINES.with_borrow_mut(|lines| match lines {
        Some(lines) if one_line => {
            lines.push(text);
            Ok(format!("{KEY}{}", lines.len() - 1))
        }
        _ => Err(text),
    });
    match key {
        Ok(key) => quote!(#[doc = #key]),
        Err(text) => quote!(#[doc = #text]),
    }
}

/// Runs `build` with doc lines set aside, and returns what it returns with the lines.
pub(crate) fn collect<R>(build: impl FnOnce() -> R) -> (R, Vec<String>) {
    /// Ends the collection, on return or unwinding alike, so no later build on this
    /// thread sets lines aside for nobody.
    struct Collecting(Option<Vec<String>>);
    impl Drop for Collecting {
        fn drop(&mut self) {
            let outer = self.0.take();
            LINES.with_borrow_mut(|lines| *lines = outer);
        }
    }
    let outer = LINES.with_borrow_mut(|lines| lines.replace(Vec::new()));
    let guard = Collecting(outer);
    let built = build();
    let lines = LINES
        .with_borrow_mut(|lines| lines.replace(Vec::new()))
        .unwrap_or_default();
    drop(guard);
    (built, lines)
}

/// Writes `line` (one printed line) to `out` with its key put back: the text after the
/// `///` or `//!`. `false`, writing nothing, when the line holds no key of `lines`.
pub(crate) fn restore(line: &str, lines: &[String], out: &mut String) -> bool {
    let body = line.trim_start();
    let indent = &line[..line.len() - body.len()];
    let Some(rest) = body
        .strip_prefix("///")
        .or_else(|| body.strip_prefix("//!"))
        .and_then(|rest| rest.strip_prefix(KEY))
    else {
        return false;
    };
    let Some(text) = rest
        .trim_end_matches('\n')
        .parse::<usize>()
        .ok()
        .and_then(|index| lines.get(index))
    else {
        return false;
    };
    out.push_str(indent);
    out.push_str(&body[..3]);
    out.push_str(text.trim_end_matches(' '));
    if line.ends_with('\n') {
        out.push('\n');
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_set_aside_only_while_collecting() {
        let outside = line(" Outside.".into()).to_string();
        assert!(outside.contains("Outside"), "{outside}");
        let (inside, lines) = collect(|| {
            let mut tokens = line(" First.".into());
            tokens.extend(line(" Second.  ".into()));
            // Lines prettyplease prints otherwise keep their literal.
            tokens.extend(line("/ slash".into()));
            tokens.extend(line(" two\nlines".into()));
            tokens.to_string()
        });
        assert_eq!(lines, [" First.", " Second.  "]);
        assert!(!inside.contains("First"), "{inside}");
        assert!(
            inside.contains("slash") && inside.contains("lines"),
            "{inside}"
        );
        // The collection ended: a line is a literal again.
        assert!(line(" After.".into()).to_string().contains("After"));
    }

    #[test]
    fn keys_are_put_back_with_their_indent_and_without_trailing_spaces() {
        let lines = vec![" First.".to_string(), " Second.  ".to_string()];
        let mut out = String::new();
        assert!(restore("    ///\u{1}1\n", &lines, &mut out));
        assert!(restore("//!\u{1}0\n", &lines, &mut out));
        assert_eq!(out, "    /// Second.\n//! First.\n");
        // Not a key, or a key of no line: left to the caller.
        assert!(!restore("    /// \u{1}1\n", &lines, &mut out));
        assert!(!restore("///\u{1}7\n", &lines, &mut out));
        assert!(!restore("let x = 1;\n", &lines, &mut out));
    }

    #[test]
    fn a_panic_while_collecting_ends_the_collection() {
        let result = std::panic::catch_unwind(|| {
            collect(|| {
                line(" Lost.".into());
                panic!("emitter bug");
            })
        });
        assert!(result.is_err());
        assert!(line(" After.".into()).to_string().contains("After"));
    }
}
