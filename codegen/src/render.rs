//! Tokens to text: parse with `syn` (which validates them), format with `prettyplease`,
//! and prepend the `@generated` header.
//!
//! prettyplease puts no blank line between items; a reader wants one. Before printing,
//! every item that follows another (at the top level, in `impl` and `trait` blocks and in
//! inline modules) gets a marker attribute, which prints on a line of its own; those lines
//! become blank ones. Consecutive `use` items, and consecutive `mod name;`, stay together.
//! The marker is an attribute, so text inside string literals and docs is never touched.
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

use crate::doc_aside;
use crate::error::Error;

/// Items per chunk: large enough to keep per-chunk overhead low, small enough that
/// the threads finish close together and a chunk's syntax tree stays small in memory.
const CHUNK: usize = 64;

/// The marker attribute's name: nothing else in generated code prints as this line.
const BLANK: &str = "__codegen_blank_line__";

/// Formats `tokens`; with `after_something`, the first item gets a blank line before it
/// too (a chunk that follows earlier text, or items after inner attributes).
fn unparse(tokens: TokenStream, what: &str, after_something: bool) -> Result<String, Error> {
    unparse_file(parse(tokens, what)?, after_something, &[])
}

fn parse(tokens: TokenStream, what: &str) -> Result<syn::File, Error> {
    syn::parse2(tokens).map_err(|e| {
        Error::unsupported(
            "#",
            format!(
                "internal error: generated {what} is not valid Rust ({e}); please report this spec"
            ),
        )
    })
}

/// Prints `file`, with blank lines where the markers are and the doc lines set aside
/// while its tokens were built (`docs_aside`) back in place.
fn unparse_file(
    mut file: syn::File,
    after_something: bool,
    docs_aside: &[String],
) -> Result<String, Error> {
    let leading = after_something || !file.attrs.is_empty();
    mark_items(&mut file.items, leading);
    let text = prettyplease::unparse(&file);
    let marker = format!("#[{BLANK}]");
    let extra: usize = docs_aside.iter().map(String::len).sum();
    let mut out = String::with_capacity(text.len() + text.len() / 16 + extra);
    for line in text.split_inclusive('\n') {
        if line.trim() == marker {
            out.push('\n');
        } else if docs_aside.is_empty() || !doc_aside::restore(line, docs_aside, &mut out) {
            out.push_str(line);
        }
    }
    Ok(out)
}

/// Marks each item of `items` that should have a blank line before it.
fn mark_items(items: &mut [syn::Item], leading: bool) {
    let mut previous: Option<Kind> = None;
    for item in items.iter_mut() {
        match item {
            syn::Item::Impl(block) => mark_each(block.items.iter_mut().map(impl_item_attrs)),
            syn::Item::Trait(block) => mark_each(block.items.iter_mut().map(trait_item_attrs)),
            syn::Item::Mod(module) => {
                let inner = module
                    .attrs
                    .iter()
                    .any(|a| matches!(a.style, syn::AttrStyle::Inner(_)));
                if let Some((_, content)) = &mut module.content {
                    mark_items(content, inner);
                }
            }
            _ => {}
        }
        let kind = Kind::of(item);
        let blank = match previous {
            None => leading,
            Some(previous) => previous != kind || kind == Kind::Other,
        };
        previous = Some(kind);
        if blank && let Some(attrs) = item_attrs(item) {
            attrs.insert(0, marker());
        }
    }
}

/// Marks every item of a block but the first.
fn mark_each<'a>(attrs: impl Iterator<Item = Option<&'a mut Vec<syn::Attribute>>>) {
    for attrs in attrs.skip(1).flatten() {
        attrs.insert(0, marker());
    }
}

/// `#[__codegen_blank_line__]`, built as a syntax tree (a file has thousands).
fn marker() -> syn::Attribute {
    let span = proc_macro2::Span::call_site();
    syn::Attribute {
        pound_token: syn::Token![#](span),
        style: syn::AttrStyle::Outer,
        bracket_token: syn::token::Bracket(span),
        meta: syn::Meta::Path(syn::Ident::new(BLANK, span).into()),
    }
}

/// Items that sit together without blank lines between them when they follow each other.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Use,
    /// `mod name;`
    ModDecl,
    Other,
}

impl Kind {
    fn of(item: &syn::Item) -> Kind {
        match item {
            syn::Item::Use(_) => Kind::Use,
            syn::Item::Mod(module) if module.content.is_none() => Kind::ModDecl,
            _ => Kind::Other,
        }
    }
}

fn item_attrs(item: &mut syn::Item) -> Option<&mut Vec<syn::Attribute>> {
    use syn::Item;
    Some(match item {
        Item::Const(i) => &mut i.attrs,
        Item::Enum(i) => &mut i.attrs,
        Item::ExternCrate(i) => &mut i.attrs,
        Item::Fn(i) => &mut i.attrs,
        Item::ForeignMod(i) => &mut i.attrs,
        Item::Impl(i) => &mut i.attrs,
        Item::Macro(i) => &mut i.attrs,
        Item::Mod(i) => &mut i.attrs,
        Item::Static(i) => &mut i.attrs,
        Item::Struct(i) => &mut i.attrs,
        Item::Trait(i) => &mut i.attrs,
        Item::TraitAlias(i) => &mut i.attrs,
        Item::Type(i) => &mut i.attrs,
        Item::Union(i) => &mut i.attrs,
        Item::Use(i) => &mut i.attrs,
        _ => return None,
    })
}

fn impl_item_attrs(item: &mut syn::ImplItem) -> Option<&mut Vec<syn::Attribute>> {
    use syn::ImplItem;
    Some(match item {
        ImplItem::Const(i) => &mut i.attrs,
        ImplItem::Fn(i) => &mut i.attrs,
        ImplItem::Type(i) => &mut i.attrs,
        ImplItem::Macro(i) => &mut i.attrs,
        _ => return None,
    })
}

fn trait_item_attrs(item: &mut syn::TraitItem) -> Option<&mut Vec<syn::Attribute>> {
    use syn::TraitItem;
    Some(match item {
        TraitItem::Const(i) => &mut i.attrs,
        TraitItem::Fn(i) => &mut i.attrs,
        TraitItem::Type(i) => &mut i.attrs,
        TraitItem::Macro(i) => &mut i.attrs,
        _ => return None,
    })
}

/// One small file.
pub(crate) fn rust_file(tokens: TokenStream, header: &str, what: &str) -> Result<String, Error> {
    Ok(format!("// {header}\n\n{}", unparse(tokens, what, false)?))
}

/// A large file: a prelude followed by `count` items, `item(i)` building the i-th.
/// Tokens are not `Send`, so each thread builds the tokens of the parts it renders.
/// `cfg(i)` is the `#[cfg]` the i-th item's every item carries (its struct and impls
/// alike; none when empty), after its docs.
pub(crate) struct Chunked<'a> {
    pub what: &'a str,
    pub prelude: &'a (dyn Fn() -> TokenStream + Sync),
    pub count: usize,
    pub item: &'a (dyn Fn(usize) -> TokenStream + Sync),
    pub cfg: &'a (dyn Fn(usize) -> TokenStream + Sync),
}

/// Puts `cfg` (an outer attribute, or nothing) on every item of `file`, after its docs.
fn gate(file: &mut syn::File, cfg: TokenStream) -> Result<(), Error> {
    if cfg.is_empty() {
        return Ok(());
    }
    let attrs = syn::parse::Parser::parse2(syn::Attribute::parse_outer, cfg).map_err(|e| {
        Error::unsupported("#", format!("internal error: invalid cfg attribute ({e})"))
    })?;
    for item in &mut file.items {
        if let Some(existing) = item_attrs(item) {
            let after_docs = existing
                .iter()
                .take_while(|a| a.path().is_ident("doc"))
                .count();
            existing.splice(after_docs..after_docs, attrs.iter().cloned());
        }
    }
    Ok(())
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
        match part {
            Part::Prelude => unparse((file.prelude)(), file.what, false),
            Part::Chunk(chunk) => {
                // Items parsed one by one, so each gets its own cfg; parsing costs the
                // same as for the chunk at once.
                let (parsed, docs_aside) = doc_aside::collect(|| {
                    let mut parsed = syn::File {
                        shebang: None,
                        attrs: Vec::new(),
                        items: Vec::new(),
                    };
                    for i in chunk * CHUNK..((chunk + 1) * CHUNK).min(file.count) {
                        let mut item = parse((file.item)(i), file.what)?;
                        gate(&mut item, (file.cfg)(i))?;
                        parsed.items.append(&mut item.items);
                    }
                    Ok(parsed)
                });
                // A chunk always follows the file's prelude.
                unparse_file(parsed?, true, &docs_aside)
            }
        }
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
    let mut parts = Vec::with_capacity(jobs.len());
    for ((f, _), result) in jobs.iter().zip(results) {
        let result = result.into_inner().unwrap_or_else(|e| e.into_inner());
        parts.push((*f, result.unwrap_or_else(|| Err(internal(files[*f].what)))?));
    }
    // Each file's text is allocated once, at its full length.
    let head = format!("// {header}\n\n");
    let mut lengths = vec![head.len(); files.len()];
    for (f, text) in &parts {
        lengths[*f] += text.len();
    }
    let mut out: Vec<String> = lengths
        .into_iter()
        .map(|length| {
            let mut text = String::with_capacity(length);
            text.push_str(&head);
            text
        })
        .collect();
    for (f, text) in parts {
        out[f].push_str(&text);
    }
    Ok(out)
}

pub(crate) fn internal(what: &str) -> Error {
    Error::unsupported("#", format!("internal error while rendering {what}"))
}
