//! Tokens to text: parse with `syn` (which validates them), format with `prettyplease`,
//! and prepend the `@generated` header.
//!
//! Large files are rendered in chunks of items on as many threads as the machine has.
//! prettyplease prints items one after another, so the text is the same for any number
//! of threads: chunk boundaries depend only on the item count.

use std::num::NonZeroUsize;
use std::thread;

use proc_macro2::TokenStream;

use crate::error::Error;

/// Items per chunk: large enough to keep per-chunk overhead low, small enough that
/// a chunk's syntax tree stays small in memory.
const CHUNK: usize = 256;

fn unparse(tokens: TokenStream, what: &str) -> Result<String, Error> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| {
        Error::unsupported(
            "#",
            format!(
                "internal error: generated {what} is not valid Rust ({e}); please report this spec"
            ),
        )
    })?;
    Ok(prettyplease::unparse(&file))
}

/// One small file.
pub(crate) fn rust_file(tokens: TokenStream, header: &str, what: &str) -> Result<String, Error> {
    Ok(format!("// {header}\n\n{}", unparse(tokens, what)?))
}

/// A file made of `prelude` followed by `count` items, `item(i)` building the i-th.
/// Tokens are not `Send`, so each thread builds the tokens of its own chunks.
pub(crate) fn rust_file_chunked<F>(
    header: &str,
    what: &str,
    prelude: TokenStream,
    count: usize,
    item: F,
) -> Result<String, Error>
where
    F: Fn(usize) -> TokenStream + Sync,
{
    let chunks = count.div_ceil(CHUNK);
    let render_chunk = |chunk: usize| -> Result<String, Error> {
        let mut tokens = TokenStream::new();
        for i in chunk * CHUNK..((chunk + 1) * CHUNK).min(count) {
            tokens.extend(item(i));
        }
        unparse(tokens, what)
    };
    let workers = thread::available_parallelism()
        .map_or(1, NonZeroUsize::get)
        .min(chunks)
        .max(1);
    let mut rendered: Vec<Option<Result<String, Error>>> = (0..chunks).map(|_| None).collect();
    if workers == 1 {
        for (chunk, slot) in rendered.iter_mut().enumerate() {
            *slot = Some(render_chunk(chunk));
        }
    } else {
        thread::scope(|scope| {
            let handles: Vec<_> = (0..workers)
                .map(|worker| {
                    let render_chunk = &render_chunk;
                    scope.spawn(move || {
                        (worker..chunks)
                            .step_by(workers)
                            .map(|chunk| (chunk, render_chunk(chunk)))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            for handle in handles {
                let done = handle.join().unwrap_or_else(|_| {
                    vec![(
                        usize::MAX,
                        Err(Error::unsupported(
                            "#",
                            format!("internal error while rendering {what}"),
                        )),
                    )]
                });
                for (chunk, result) in done {
                    match rendered.get_mut(chunk) {
                        Some(slot) => *slot = Some(result),
                        None => rendered[0] = Some(result),
                    }
                }
            }
        });
    }
    let mut out = format!("// {header}\n\n{}", unparse(prelude, what)?);
    for result in rendered.into_iter().flatten() {
        out.push_str(&result?);
    }
    Ok(out)
}
