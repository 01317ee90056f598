//! Tokens to text: parse with `syn` (which validates them), format with `prettyplease`,
//! and prepend the `@generated` header.
//!
//! Large files are rendered in chunks of items on as many threads as the machine has.
//! prettyplease prints items one after another, so the text is the same for any number
//! of threads: chunk boundaries depend only on the item count. The chunks of all large
//! files go into one queue that every thread (the caller's included) takes from until it
//! is empty, so no thread idles while another still has a file's last chunks to do.

use std::num::NonZeroUsize;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use proc_macro2::TokenStream;

use crate::error::Error;

/// Items per chunk: large enough to keep per-chunk overhead low, small enough that
/// the threads finish close together and a chunk's syntax tree stays small in memory.
const CHUNK: usize = 64;

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

/// A large file: a prelude followed by `count` items, `item(i)` building the i-th.
/// Tokens are not `Send`, so each thread builds the tokens of the parts it renders.
pub(crate) struct Chunked<'a> {
    pub what: &'a str,
    pub prelude: &'a (dyn Fn() -> TokenStream + Sync),
    pub count: usize,
    pub item: &'a (dyn Fn(usize) -> TokenStream + Sync),
}

/// One unit of work: a file's prelude, or a chunk of its items.
#[derive(Clone, Copy)]
enum Part {
    Prelude,
    Chunk(usize),
}

/// Renders every file of `files`, each as `// {header}`, its prelude and its items, in
/// parallel. Errors come in file order, then part order, whatever the scheduling.
pub(crate) fn rust_files_chunked(
    header: &str,
    files: &[Chunked<'_>],
) -> Result<Vec<String>, Error> {
    let jobs: Vec<(usize, Part)> = files
        .iter()
        .enumerate()
        .flat_map(|(f, file)| {
            std::iter::once((f, Part::Prelude))
                .chain((0..file.count.div_ceil(CHUNK)).map(move |c| (f, Part::Chunk(c))))
        })
        .collect();
    let render = |(f, part): (usize, Part)| -> Result<String, Error> {
        let file = &files[f];
        let tokens = match part {
            Part::Prelude => (file.prelude)(),
            Part::Chunk(chunk) => {
                let mut tokens = TokenStream::new();
                for i in chunk * CHUNK..((chunk + 1) * CHUNK).min(file.count) {
                    tokens.extend((file.item)(i));
                }
                tokens
            }
        };
        unparse(tokens, file.what)
    };
    let results: Vec<Mutex<Option<Result<String, Error>>>> =
        jobs.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    let work = || {
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(&job) = jobs.get(index) else { break };
            // A panic is reported like the multi-threaded renderer always has: as an error.
            let result = panic::catch_unwind(AssertUnwindSafe(|| render(job)))
                .unwrap_or_else(|_| Err(internal(files[job.0].what)));
            *results[index].lock().unwrap_or_else(|e| e.into_inner()) = Some(result);
        }
    };
    let workers = thread::available_parallelism()
        .map_or(1, NonZeroUsize::get)
        .min(jobs.len())
        .max(1);
    thread::scope(|scope| {
        for _ in 1..workers {
            scope.spawn(work);
        }
        work();
    });
    let mut out: Vec<String> = files.iter().map(|_| format!("// {header}\n\n")).collect();
    for ((f, _), result) in jobs.iter().zip(results) {
        let result = result.into_inner().unwrap_or_else(|e| e.into_inner());
        let text = result.unwrap_or_else(|| Err(internal(files[*f].what)))?;
        out[*f].push_str(&text);
    }
    Ok(out)
}

fn internal(what: &str) -> Error {
    Error::unsupported("#", format!("internal error while rendering {what}"))
}
