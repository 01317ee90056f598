//! House rules, checked over the hand-written sources (the crates under `codegen/`,
//! `xtask/`, `runtime/` and `sdk-tests/`; not `generated/`, whose files carry the
//! `@generated` marker and belong to the generator):
//!
//! - every `.rs` file opens with a `//!` header saying what it is for;
//! - every `allow` attribute says why, in a `//` comment on its line or right above it
//!   (an unbroken run of attributes under one comment shares it), or with `reason = "..."`;
//! - the runtime's public API is the one `docs/runtime-contract.md` declares, both ways:
//!   every item exported at the crate root, every item of a public module and every
//!   public inherent method is declared there, and everything declared there exists;
//! - the runtime's modules import each other in one direction (no cycle), so each can be
//!   read knowing only the ones below it.
//!
//! Each check is a function over text, unit-tested below on small inputs so that it
//! cannot pass by finding nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use proc_macro2::{Delimiter, TokenStream, TokenTree};

/// Folders of hand-written Rust, relative to the workspace root.
const HAND_WRITTEN: &[&str] = &[
    "codegen/src",
    "codegen/tests",
    "codegen/benches",
    "xtask/src",
    "xtask/tests",
    "runtime/src",
    "runtime/tests",
    "sdk-tests",
];

/// The runtime's contract with generated code.
const CONTRACT: &str = "docs/runtime-contract.md";

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits in the workspace")
        .to_path_buf()
}

/// Every hand-written `.rs` file, as (path relative to the root, text), sorted.
fn hand_written_sources() -> Vec<(String, String)> {
    let root = workspace_root();
    let mut files = Vec::new();
    for dir in HAND_WRITTEN {
        collect_rs(&root.join(dir), &mut files);
    }
    files.sort();
    let sources: Vec<(String, String)> = files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            let relative = path.strip_prefix(&root).unwrap_or(&path);
            (relative.to_string_lossy().replace('\\', "/"), text)
        })
        .filter(|(_, text)| !text.lines().next().unwrap_or("").contains("@generated"))
        .collect();
    assert!(
        sources.len() > 50,
        "found only {} hand-written files: is HAND_WRITTEN still right?",
        sources.len()
    );
    sources
}

fn collect_rs(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries =
        std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n == "target") {
                continue;
            }
            collect_rs(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Fails with every offender, one per line, when there are any.
fn assert_none(rule: &str, offenders: &[String]) {
    assert!(
        offenders.is_empty(),
        "{rule}:\n  {}\n",
        offenders.join("\n  ")
    );
}

// ---- rule 1: module headers ------------------------------------------------------

/// Whether a file opens with a `//!` module doc header.
fn has_module_header(text: &str) -> bool {
    text.trim_start_matches('\u{feff}').starts_with("//!")
}

#[test]
fn every_file_starts_with_a_module_header() {
    let offenders: Vec<String> = hand_written_sources()
        .into_iter()
        .filter(|(_, text)| !has_module_header(text))
        .map(|(path, _)| path)
        .collect();
    assert_none(
        "these files do not start with a `//!` header saying what they are for",
        &offenders,
    );
}

// ---- rule 2: every allow has a reason ----------------------------------------------

/// One source line split into its code (string and char contents blanked, comments
/// removed) and its comments.
#[derive(Debug, Default, Clone)]
struct Line {
    code: String,
    comment: String,
}

/// Splits Rust source into lines of code and comment, so that attributes are found
/// only in code and reasons only in comments. Handles nested block comments, raw
/// strings, byte strings, escapes, and chars versus lifetimes.
fn lex_lines(text: &str) -> Vec<Line> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        Code,
        LineComment,
        BlockComment(u32),
        Str,
        RawStr(usize),
    }
    let chars: Vec<char> = text.chars().collect();
    let mut lines = vec![Line::default()];
    let mut state = State::Code;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '\n' {
            lines.push(Line::default());
            if state == State::LineComment {
                state = State::Code;
            }
            i += 1;
            continue;
        }
        let line = lines.last_mut().expect("at least one line");
        match state {
            State::Code => {
                if c == '/' && next == Some('/') {
                    state = State::LineComment;
                    line.comment.push(c);
                } else if c == '/' && next == Some('*') {
                    state = State::BlockComment(1);
                    line.comment.push_str("/*");
                    i += 1;
                } else if c == '"' {
                    state = State::Str;
                    line.code.push(c);
                } else if c == 'r'
                    && (i == 0 || !is_ident_char(chars[i - 1]) || chars[i - 1] == 'b')
                    && matches!(next, Some('"' | '#'))
                {
                    let hashes = chars[i + 1..].iter().take_while(|&&h| h == '#').count();
                    if chars.get(i + 1 + hashes) == Some(&'"') {
                        state = State::RawStr(hashes);
                        line.code.push_str("r\"");
                        i += 1 + hashes;
                    } else {
                        line.code.push(c);
                    }
                } else if c == '\'' {
                    // A char literal: `'x'` or `'\n'`; anything else is a lifetime.
                    let end = if next == Some('\\') {
                        // The escaped character is at i + 2, even when it is a quote.
                        chars
                            .get(i + 3..)
                            .and_then(|rest| rest.iter().position(|&q| q == '\''))
                            .map(|p| i + 3 + p)
                    } else if chars.get(i + 2) == Some(&'\'') {
                        Some(i + 2)
                    } else {
                        None
                    };
                    match end {
                        Some(end) => {
                            line.code.push_str("' '");
                            i = end;
                        }
                        None => line.code.push(c),
                    }
                } else {
                    line.code.push(c);
                }
            }
            State::LineComment => line.comment.push(c),
            State::BlockComment(depth) => {
                line.comment.push(c);
                if c == '*' && next == Some('/') {
                    line.comment.push('/');
                    i += 1;
                    state = if depth == 1 {
                        State::Code
                    } else {
                        State::BlockComment(depth - 1)
                    };
                } else if c == '/' && next == Some('*') {
                    line.comment.push('*');
                    i += 1;
                    state = State::BlockComment(depth + 1);
                }
            }
            State::Str => {
                if c == '\\' {
                    line.code.push(' ');
                    if next.is_some_and(|n| n != '\n') {
                        line.code.push(' ');
                        i += 1;
                    }
                } else if c == '"' {
                    line.code.push(c);
                    state = State::Code;
                } else {
                    line.code.push(' ');
                }
            }
            State::RawStr(hashes) => {
                if c == '"'
                    && chars[i + 1..]
                        .iter()
                        .take(hashes)
                        .filter(|&&h| h == '#')
                        .count()
                        == hashes
                {
                    line.code.push('"');
                    i += hashes;
                    state = State::Code;
                } else {
                    line.code.push(' ');
                }
            }
        }
        i += 1;
    }
    lines
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The byte offset where an `allow` attribute starts in a line of code: `#[allow(` or `#![allow(`,
/// spaces allowed between the tokens.
fn find_allow(code: &str) -> Option<usize> {
    let chars: Vec<char> = code.chars().collect();
    let skip_ws = |mut i: usize| {
        while chars.get(i).is_some_and(|c| c.is_whitespace()) {
            i += 1;
        }
        i
    };
    for start in 0..chars.len() {
        if chars[start] != '#' {
            continue;
        }
        let mut i = skip_ws(start + 1);
        if chars.get(i) == Some(&'!') {
            i = skip_ws(i + 1);
        }
        if chars.get(i) != Some(&'[') {
            continue;
        }
        i = skip_ws(i + 1);
        let word: String = chars[i..]
            .iter()
            .take_while(|c| is_ident_char(**c))
            .collect();
        if word != "allow" {
            continue;
        }
        if chars.get(skip_ws(i + word.len())) == Some(&'(') {
            return Some(chars[..start].iter().map(|c| c.len_utf8()).sum());
        }
    }
    None
}

/// Whether a comment is an ordinary `//` or `/* */` comment, not documentation.
fn is_plain_comment(comment: &str) -> bool {
    let comment = comment.trim();
    let doc = ["///", "//!", "/**", "/*!"]
        .iter()
        .any(|d| comment.starts_with(d))
        && !comment.starts_with("////");
    !comment.is_empty() && !doc
}

/// 1-based lines of the `allow` attributes in `text` that give no reason.
fn allows_without_reason(text: &str) -> Vec<usize> {
    let lines = lex_lines(text);
    let mut offenders = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let Some(start) = find_allow(&line.code) else {
            continue;
        };
        // The attribute's text up to its closing `]`, which may be lines further on.
        let mut attribute = String::new();
        let mut depth = 0i32;
        let mut end = index;
        'scan: for (offset, later) in lines[index..].iter().enumerate() {
            let code = if offset == 0 {
                &later.code[start..]
            } else {
                &later.code[..]
            };
            for c in code.chars() {
                attribute.push(c);
                match c {
                    '[' => depth += 1,
                    ']' => {
                        depth -= 1;
                        if depth == 0 {
                            end = index + offset;
                            break 'scan;
                        }
                    }
                    _ => {}
                }
            }
            attribute.push('\n');
        }
        let has_reason_key = attribute.match_indices("reason").any(|(at, _)| {
            let before = attribute[..at].chars().next_back();
            let after = attribute[at + "reason".len()..].trim_start();
            !before.is_some_and(is_ident_char) && after.starts_with('=')
        });
        let commented_here =
            is_plain_comment(&line.comment) || is_plain_comment(&lines[end].comment);
        if has_reason_key || commented_here || comment_above(&lines, index) {
            continue;
        }
        offenders.push(index + 1);
    }
    offenders
}

/// Whether the attribute on line `index` sits under a plain comment, directly or
/// through an unbroken run of uncommented attribute lines.
fn comment_above(lines: &[Line], index: usize) -> bool {
    let mut i = index;
    while i > 0 {
        i -= 1;
        let line = &lines[i];
        let code = line.code.trim();
        if code.is_empty() {
            return is_plain_comment(&line.comment);
        }
        if !code.starts_with('#') || !line.comment.trim().is_empty() {
            return false;
        }
    }
    false
}

#[test]
fn every_allow_gives_a_reason() {
    let mut offenders = Vec::new();
    for (path, text) in hand_written_sources() {
        for line in allows_without_reason(&text) {
            offenders.push(format!("{path}:{line}"));
        }
    }
    assert_none(
        "these `allow`s give no reason: add a `//` comment on the line or right above, \
         or `reason = \"...\"` in the attribute (or remove the allow)",
        &offenders,
    );
}

// ---- rule 3: the runtime's API is its contract --------------------------------------

/// What a Rust surface is made of, by name.
#[derive(Debug, Default, PartialEq)]
struct Surface {
    /// Items at the crate root: re-exports, modules, macros, root items.
    root: BTreeSet<String>,
    /// Public items of each public module declared with a body.
    modules: BTreeMap<String, BTreeSet<String>>,
    /// Public inherent methods, by the name of their type.
    methods: BTreeMap<String, BTreeSet<String>>,
}

/// The runtime's public surface, read from its sources: `lib_rs` is the crate root,
/// `modules` every other file as (module name, text).
fn runtime_surface(lib_rs: &str, modules: &[(String, String)]) -> Result<Surface, String> {
    let lib = syn::parse_file(lib_rs).map_err(|e| format!("lib.rs: {e}"))?;
    let mut surface = Surface::default();
    let mut public_modules = Vec::new();
    for item in &lib.items {
        if let syn::Item::Mod(m) = item {
            if is_pub(&m.vis) {
                public_modules.push(m.ident.to_string());
            }
        }
        if let Some(name) = pub_item_name(item) {
            surface.root.insert(name);
        }
        if let syn::Item::Use(u) = item {
            if is_pub(&u.vis) {
                use_leaves(&u.tree, &mut Vec::new(), &mut |_, name| {
                    surface.root.insert(name.to_string());
                })?;
            }
        }
    }
    for (name, text) in modules {
        let file = syn::parse_file(text).map_err(|e| format!("{name}.rs: {e}"))?;
        let is_public_module = public_modules.contains(name);
        for item in &file.items {
            match item {
                syn::Item::Macro(m)
                    if m.attrs.iter().any(|a| a.path().is_ident("macro_export")) =>
                {
                    if let Some(ident) = &m.ident {
                        surface.root.insert(format!("{ident}!"));
                    }
                }
                syn::Item::Impl(imp) if imp.trait_.is_none() => {
                    if let Some(type_name) = type_name(&imp.self_ty) {
                        let methods = surface.methods.entry(type_name).or_default();
                        for inner in &imp.items {
                            if let syn::ImplItem::Fn(f) = inner {
                                if is_pub(&f.vis) {
                                    methods.insert(f.sig.ident.to_string());
                                }
                            }
                        }
                    }
                }
                syn::Item::Use(u) if is_public_module && is_pub(&u.vis) => {
                    let items = surface.modules.entry(name.clone()).or_default();
                    use_leaves(&u.tree, &mut Vec::new(), &mut |_, leaf| {
                        items.insert(leaf.to_string());
                    })?;
                }
                _ => {
                    if let (true, Some(item_name)) = (is_public_module, pub_item_name(item)) {
                        surface
                            .modules
                            .entry(name.clone())
                            .or_default()
                            .insert(item_name);
                    }
                }
            }
        }
    }
    surface.methods.retain(|_, methods| !methods.is_empty());
    Ok(surface)
}

fn is_pub(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

/// The name of a public item other than a `use`.
fn pub_item_name(item: &syn::Item) -> Option<String> {
    let (vis, ident) = match item {
        syn::Item::Const(i) => (&i.vis, &i.ident),
        syn::Item::Enum(i) => (&i.vis, &i.ident),
        syn::Item::Fn(i) => (&i.vis, &i.sig.ident),
        syn::Item::Mod(i) => (&i.vis, &i.ident),
        syn::Item::Static(i) => (&i.vis, &i.ident),
        syn::Item::Struct(i) => (&i.vis, &i.ident),
        syn::Item::Trait(i) => (&i.vis, &i.ident),
        syn::Item::Type(i) => (&i.vis, &i.ident),
        syn::Item::Union(i) => (&i.vis, &i.ident),
        _ => return None,
    };
    is_pub(vis).then(|| ident.to_string())
}

/// The last path segment of a type such as `ApiResponse<T>`.
fn type_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// Calls `leaf(path, name)` for every name a `use` tree brings in, where `path` is the
/// path before it (`pub use client::Client` gives `["client"]`, `"Client"`).
fn use_leaves(
    tree: &syn::UseTree,
    path: &mut Vec<String>,
    leaf: &mut dyn FnMut(&[String], &str),
) -> Result<(), String> {
    match tree {
        syn::UseTree::Path(p) => {
            path.push(p.ident.to_string());
            use_leaves(&p.tree, path, leaf)?;
            path.pop();
        }
        syn::UseTree::Name(n) if n.ident == "self" => {
            let name = path.last().cloned().unwrap_or_default();
            leaf(&path[..path.len().saturating_sub(1)], &name);
        }
        syn::UseTree::Name(n) => leaf(path, &n.ident.to_string()),
        syn::UseTree::Rename(r) => leaf(path, &r.rename.to_string()),
        syn::UseTree::Group(g) => {
            for tree in &g.items {
                use_leaves(tree, path, leaf)?;
            }
        }
        syn::UseTree::Glob(_) => {
            return Err(format!(
                "`pub use {}::*`: name the re-exported items, so the contract can be checked",
                path.join("::")
            ));
        }
    }
    Ok(())
}

/// The surface `docs/runtime-contract.md` declares, from its ```` ```rust ```` blocks:
/// `pub struct`/`enum`/`trait`/`fn`/`type`/`const`/`static`/`mod`/`use` and
/// `macro name!` at the top level, `pub` items inside `pub mod name { .. }`, and
/// `pub fn`s inside `impl Type { .. }` (trait impls, `impl X for Y`, are skipped).
fn contract_surface(markdown: &str) -> Result<Surface, String> {
    let mut surface = Surface::default();
    let mut in_rust = false;
    let mut block = String::new();
    for line in markdown.lines() {
        let fence = line.trim_start();
        if !in_rust && fence.starts_with("```rust") {
            in_rust = true;
            block.clear();
        } else if in_rust && fence.starts_with("```") {
            in_rust = false;
            let tokens = TokenStream::from_str(&block)
                .map_err(|e| format!("a rust block of the contract does not tokenize: {e}"))?;
            declared(tokens, None, &mut surface);
        } else if in_rust {
            block.push_str(line);
            block.push('\n');
        }
    }
    if surface.root.is_empty() {
        return Err("the contract declares nothing in ```rust blocks".into());
    }
    Ok(surface)
}

/// Records what a token stream of the contract declares, inside module `module` or at
/// the top level.
fn declared(tokens: TokenStream, module: Option<&str>, surface: &mut Surface) {
    let tokens = without_fn_qualifiers(tokens);
    let ident = |i: usize| match tokens.get(i) {
        Some(TokenTree::Ident(id)) => Some(id.to_string()),
        _ => None,
    };
    let mut i = 0;
    while i < tokens.len() {
        let word = ident(i);
        match word.as_deref() {
            Some("pub") => {
                let kind = ident(i + 1);
                let name = ident(i + 2);
                let item_kinds = ["struct", "enum", "trait", "fn", "type", "const", "static"];
                match (kind.as_deref(), name) {
                    (Some("mod"), Some(name)) => {
                        if module.is_none() {
                            surface.root.insert(name.clone());
                        }
                        if let Some(TokenTree::Group(g)) = tokens.get(i + 3) {
                            if g.delimiter() == Delimiter::Brace {
                                surface.modules.entry(name.clone()).or_default();
                                declared(g.stream(), Some(&name), surface);
                                i += 3;
                            }
                        }
                    }
                    (Some("use"), _) => {
                        // `pub use a::b::Name;`: the last identifier before `;`.
                        let mut j = i + 2;
                        let mut last = None;
                        while let Some(token) = tokens.get(j) {
                            match token {
                                TokenTree::Ident(id) => last = Some(id.to_string()),
                                TokenTree::Punct(p) if p.as_char() == ';' => break,
                                _ => {}
                            }
                            j += 1;
                        }
                        if let Some(name) = last {
                            insert_declared(surface, module, name);
                        }
                        i = j;
                    }
                    (Some(kind), Some(name)) if item_kinds.contains(&kind) => {
                        insert_declared(surface, module, name);
                        i += 2;
                    }
                    _ => {}
                }
            }
            Some("macro") => {
                if let Some(name) = ident(i + 1) {
                    insert_declared(surface, module, format!("{name}!"));
                    i += 1;
                }
            }
            Some("impl") => {
                // `impl<T> Name<T> { .. }`: the first identifier after the generics;
                // a trait impl (`for` before the body) declares no inherent methods.
                let mut j = i + 1;
                let mut angle = 0;
                let mut name = None;
                let mut is_trait_impl = false;
                while let Some(token) = tokens.get(j) {
                    match token {
                        TokenTree::Punct(p) if p.as_char() == '<' => angle += 1,
                        TokenTree::Punct(p) if p.as_char() == '>' => angle -= 1,
                        TokenTree::Ident(id) if id == "for" => is_trait_impl = true,
                        TokenTree::Ident(id) if angle == 0 && name.is_none() => {
                            name = Some(id.to_string());
                        }
                        TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => break,
                        TokenTree::Punct(p) if p.as_char() == ';' => break,
                        // `impl fmt::Debug for Client` has no body in the contract.
                        TokenTree::Ident(id) if id == "impl" || id == "pub" => break,
                        _ => {}
                    }
                    j += 1;
                }
                if let (Some(name), Some(TokenTree::Group(body)), false) =
                    (name, tokens.get(j), is_trait_impl)
                {
                    let methods = surface.methods.entry(name).or_default();
                    let body = without_fn_qualifiers(body.stream());
                    for pair in body.windows(3) {
                        if let [
                            TokenTree::Ident(p),
                            TokenTree::Ident(f),
                            TokenTree::Ident(m),
                        ] = pair
                        {
                            if p == "pub" && f == "fn" {
                                methods.insert(m.to_string());
                            }
                        }
                    }
                    i = j;
                } else {
                    i = j.saturating_sub(1);
                }
            }
            _ => {}
        }
        i += 1;
    }
}

/// The tokens with `async`, `const`, `unsafe` and `extern` dropped where they stand
/// before `fn`, so `pub async fn x` reads as `pub fn x`.
fn without_fn_qualifiers(tokens: TokenStream) -> Vec<TokenTree> {
    const QUALIFIERS: &[&str] = &["async", "const", "unsafe", "extern"];
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let is_qualifier = |t: Option<&TokenTree>| matches!(t, Some(TokenTree::Ident(id)) if QUALIFIERS.iter().any(|q| id == q));
    let mut kept = Vec::with_capacity(tokens.len());
    for (i, token) in tokens.iter().enumerate() {
        if is_qualifier(Some(token)) {
            let mut next = i + 1;
            while is_qualifier(tokens.get(next)) {
                next += 1;
            }
            if matches!(tokens.get(next), Some(TokenTree::Ident(id)) if id == "fn") {
                continue;
            }
        }
        kept.push(token.clone());
    }
    kept
}

fn insert_declared(surface: &mut Surface, module: Option<&str>, name: String) {
    match module {
        Some(module) => {
            surface
                .modules
                .entry(module.to_string())
                .or_default()
                .insert(name);
        }
        None => {
            surface.root.insert(name);
        }
    }
}

/// Every difference between the runtime's surface and the contract's, in words.
fn contract_mismatches(runtime: &Surface, contract: &Surface) -> Vec<String> {
    let mut out = Vec::new();
    let mut compare = |what: &str, actual: &BTreeSet<String>, declared: &BTreeSet<String>| {
        for name in actual.difference(declared) {
            out.push(format!(
                "{what}`{name}` is public but the contract does not declare it"
            ));
        }
        for name in declared.difference(actual) {
            out.push(format!(
                "{what}`{name}` is declared by the contract but does not exist"
            ));
        }
    };
    compare("", &runtime.root, &contract.root);
    let empty = BTreeSet::new();
    let modules: BTreeSet<&String> = runtime
        .modules
        .keys()
        .chain(contract.modules.keys())
        .collect();
    for module in modules {
        let actual = runtime.modules.get(module).unwrap_or(&empty);
        let declared = contract.modules.get(module).unwrap_or(&empty);
        compare(&format!("{module}::"), actual, declared);
    }
    let types: BTreeSet<&String> = runtime
        .methods
        .keys()
        .chain(contract.methods.keys())
        .collect();
    for type_name in types {
        let actual = runtime.methods.get(type_name).unwrap_or(&empty);
        let declared = contract.methods.get(type_name).unwrap_or(&empty);
        compare(&format!("{type_name}::"), actual, declared);
    }
    out
}

/// The runtime's `src/` files other than `lib.rs`, as (module name, text).
fn runtime_modules() -> Vec<(String, String)> {
    let src = workspace_root().join("runtime/src");
    let mut files = Vec::new();
    collect_rs(&src, &mut files);
    files.sort();
    files
        .into_iter()
        .filter(|path| !path.ends_with("lib.rs"))
        .map(|path| {
            let relative = path
                .strip_prefix(&src)
                .expect("under src")
                .with_extension("");
            let relative = relative.to_string_lossy().replace('\\', "/");
            let relative = relative
                .strip_suffix("/mod")
                .unwrap_or(&relative)
                .to_string();
            let text = std::fs::read_to_string(&path).expect("readable runtime source");
            (relative, text)
        })
        .collect()
}

fn read(relative: &str) -> String {
    let path = workspace_root().join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

#[test]
fn runtime_api_is_the_contract() {
    let runtime = runtime_surface(&read("runtime/src/lib.rs"), &runtime_modules())
        .unwrap_or_else(|e| panic!("{e}"));
    let contract = contract_surface(&read(CONTRACT)).unwrap_or_else(|e| panic!("{e}"));
    assert_none(
        &format!("runtime/src and {CONTRACT} disagree; update whichever is wrong"),
        &contract_mismatches(&runtime, &contract),
    );
}

// ---- rule 4: the runtime's modules import in one direction --------------------------

/// Which top-level modules each module of a crate refers to through `crate::` or
/// `super::` paths (code only: comments and doc links are not dependencies).
/// `root_names` maps what the crate root re-exports or defines to the module it comes
/// from, so `crate::Client` counts as a use of the module `client`.
fn module_imports(
    modules: &[(String, String)],
    root_names: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, BTreeSet<String>>, String> {
    let top_level: BTreeSet<String> = modules
        .iter()
        .map(|(name, _)| top_module(name).to_string())
        .collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (name, text) in modules {
        let tokens = TokenStream::from_str(text).map_err(|e| format!("{name}.rs: {e}"))?;
        let path: Vec<String> = name.split('/').map(str::to_string).collect();
        let mut targets = Vec::new();
        referenced_paths(tokens, &path, &mut targets);
        let own = top_module(name).to_string();
        let edges = graph.entry(own.clone()).or_default();
        for target in targets {
            let module = if top_level.contains(&target) {
                Some(target)
            } else {
                root_names.get(&target).cloned()
            };
            if let Some(module) = module.filter(|m| *m != own) {
                edges.insert(module);
            }
        }
    }
    Ok(graph)
}

fn top_module(name: &str) -> &str {
    name.split('/').next().unwrap_or(name)
}

/// Collects the first name under the crate root of every `crate::` path, and of every
/// `super::` path that climbs out of the file's module, with the module path `here`.
fn referenced_paths(tokens: TokenStream, here: &[String], out: &mut Vec<String>) {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let is_ident =
        |i: usize, word: &str| matches!(tokens.get(i), Some(TokenTree::Ident(id)) if id == word);
    let is_path_sep = |i: usize| {
        matches!((tokens.get(i), tokens.get(i + 1)),
            (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b))) if a.as_char() == ':' && b.as_char() == ':')
    };
    let mut i = 0;
    while i < tokens.len() {
        // `mod name { .. }` goes one module deeper.
        if is_ident(i, "mod") {
            if let (Some(TokenTree::Ident(name)), Some(TokenTree::Group(body))) =
                (tokens.get(i + 1), tokens.get(i + 2))
            {
                let mut inner = here.to_vec();
                inner.push(name.to_string());
                referenced_paths(body.stream(), &inner, out);
                i += 3;
                continue;
            }
        }
        let after_dollar =
            i > 0 && matches!(&tokens[i - 1], TokenTree::Punct(p) if p.as_char() == '$');
        let mut base: Option<Vec<String>> = None;
        let mut j = i;
        if is_ident(i, "crate") && !after_dollar && is_path_sep(i + 1) {
            base = Some(Vec::new());
            j = i + 3;
        } else if is_ident(i, "super") && !(i >= 2 && is_path_sep(i - 2)) {
            let mut climbed = here.to_vec();
            while is_ident(j, "super") && is_path_sep(j + 1) {
                climbed.pop();
                j += 3;
            }
            base = Some(climbed);
        }
        match base {
            Some(base) if base.is_empty() => {
                match tokens.get(j) {
                    Some(TokenTree::Ident(id)) => out.push(id.to_string()),
                    Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace => {
                        // `crate::{a::X, b}`: the first name of each branch.
                        let mut expect_name = true;
                        for token in g.stream() {
                            match token {
                                TokenTree::Ident(id) if expect_name => {
                                    out.push(id.to_string());
                                    expect_name = false;
                                }
                                TokenTree::Punct(p) if p.as_char() == ',' => expect_name = true,
                                _ => {}
                            }
                        }
                    }
                    _ => {}
                }
                i = j;
            }
            // Still inside the file's own top-level module: not an import.
            Some(_) => i = j,
            None => {
                if let TokenTree::Group(g) = &tokens[i] {
                    referenced_paths(g.stream(), here, out);
                }
                i += 1;
            }
        }
    }
}

/// A cycle in the graph, as `a -> b -> a`, if there is one.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        marks: &mut BTreeMap<String, Mark>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        match marks.get(node) {
            Some(Mark::Done) => return None,
            Some(Mark::Open) => {
                let from = stack
                    .iter()
                    .position(|n| n == node)
                    .expect("open nodes are on the stack");
                let mut cycle = stack[from..].to_vec();
                cycle.push(node.to_string());
                return Some(cycle);
            }
            None => {}
        }
        marks.insert(node.to_string(), Mark::Open);
        stack.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, marks, stack) {
                return Some(cycle);
            }
        }
        stack.pop();
        marks.insert(node.to_string(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    for node in graph.keys() {
        if let Some(cycle) = visit(node, graph, &mut marks, &mut Vec::new()) {
            return Some(cycle);
        }
    }
    None
}

/// What the crate root re-exports or defines, mapped to the module it comes from:
/// `pub use client::Client` maps `Client` to `client`; `#[macro_export]` macros map to
/// the module that defines them.
fn root_names(
    lib_rs: &str,
    modules: &[(String, String)],
) -> Result<BTreeMap<String, String>, String> {
    let lib = syn::parse_file(lib_rs).map_err(|e| format!("lib.rs: {e}"))?;
    let mut names = BTreeMap::new();
    for item in &lib.items {
        if let syn::Item::Use(u) = item {
            use_leaves(&u.tree, &mut Vec::new(), &mut |path, name| {
                let path: Vec<&String> = path.iter().filter(|p| *p != "crate").collect();
                if let Some(module) = path.first() {
                    names.insert(name.to_string(), (*module).clone());
                }
            })?;
        }
    }
    for (module, text) in modules {
        let file = syn::parse_file(text).map_err(|e| format!("{module}.rs: {e}"))?;
        for item in &file.items {
            if let syn::Item::Macro(m) = item {
                if let Some(ident) = &m.ident {
                    names.insert(ident.to_string(), top_module(module).to_string());
                }
            }
        }
    }
    Ok(names)
}

#[test]
fn runtime_modules_import_in_one_direction() {
    let modules = runtime_modules();
    let roots = root_names(&read("runtime/src/lib.rs"), &modules).unwrap_or_else(|e| panic!("{e}"));
    let graph = module_imports(&modules, &roots).unwrap_or_else(|e| panic!("{e}"));
    // The layering this test keeps: a module may import only modules listed before it.
    assert!(
        graph
            .get("client")
            .is_some_and(|deps| deps.contains("config")),
        "the import graph lost the edge client -> config; is the parser still right? {graph:?}"
    );
    if let Some(cycle) = find_cycle(&graph) {
        let mut edges = String::new();
        for (module, deps) in &graph {
            let deps: Vec<&str> = deps.iter().map(String::as_str).collect();
            let _ = writeln!(edges, "  {module} -> {}", deps.join(", "));
        }
        panic!(
            "runtime/src modules import each other in a circle: {}\n\
             Move the item that closes it to the lower module. All edges:\n{edges}",
            cycle.join(" -> ")
        );
    }
}

// ---- the checkers themselves --------------------------------------------------------

#[test]
fn header_check_needs_a_module_doc_first() {
    assert!(has_module_header("//! What this is.\nfn f() {}\n"));
    assert!(!has_module_header("fn f() {}\n"));
    assert!(!has_module_header("// A comment.\n//! Too late.\n"));
    assert!(!has_module_header(
        "/// Item docs are not a module header.\nfn f() {}\n"
    ));
    assert!(!has_module_header(""));
}

#[test]
fn allow_check_accepts_reasons_and_reports_the_rest() {
    let text = "\
//! Header.
#[allow(dead_code)]
fn no_reason() {}

#[allow(dead_code)] // kept for the next step
fn same_line() {}

// Each binary uses a different subset.
#![allow(dead_code)]

#[allow(dead_code, reason = \"kept for the next step\")]
fn reason_key() {}

#[allow(
    dead_code,
    reason = \"kept\"
)]
fn reason_on_a_later_line() {}

// Shapes follow the spec.
#![allow(clippy::too_many_arguments)]
#![allow(clippy::large_enum_variant)]
#[derive(Debug)]
#[allow(unused)]
struct UnderARunOfAttributes;

/// Item docs are not a reason.
#[allow(dead_code)]
fn doc_comment_above() {}

// A comment with a gap below it.

#[allow(dead_code)]
fn gap() {}

#[cfg(test)] // about cfg
#[allow(dead_code)]
fn comment_belongs_to_another_attribute() {}

const IN_A_STRING: &str = \"#[allow(dead_code)]\";
// #[allow(dead_code)] in a comment
/* #[allow(dead_code)] */
const RAW: &str = r#\"#[allow(dead_code)]\"#;
fn lifetimes<'a>(x: &'a str) -> char { let _ = x; '\"' }
# [ allow ( unused ) ]
fn spaced() {}
";
    assert_eq!(allows_without_reason(text), vec![2, 28, 33, 37, 45]);
}

#[test]
fn lexer_keeps_lines_and_blanks_literals() {
    let lines = lex_lines(
        "let s = \"a // b\"; // real\n/* x\n y */ let c = '\\'';\nlet r = br##\"\"#\"##;",
    );
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0].code, "let s = \"      \"; ");
    assert_eq!(lines[0].comment, "// real");
    assert_eq!(lines[1].code, "");
    assert_eq!(lines[2].code, " let c = ' ';");
    assert_eq!(lines[3].code, "let r = br\"  \";");
}

/// A runtime in miniature for the contract and import checks.
const MINI_LIB: &str = "\
//! Mini.
mod client;
mod error;
pub mod upload;
pub use client::{Client, helper as renamed};
pub use error::Error;
pub use bytes;
";

fn mini_modules() -> Vec<(String, String)> {
    vec![
        (
            "client".to_string(),
            "use crate::error::Error;\npub struct Client;\nimpl Client { pub fn send(&self) {} fn private(&self) {} }\npub fn helper() {}\n"
                .to_string(),
        ),
        (
            "error".to_string(),
            "pub struct Error;\nimpl std::fmt::Display for Error { fn fmt(&self) {} }\n#[macro_export]\nmacro_rules! m { () => {} }\n"
                .to_string(),
        ),
        (
            "upload".to_string(),
            "pub use crate::client::Client as Uploader;\npub fn from_dir() {}\nfn hidden() {}\n"
                .to_string(),
        ),
    ]
}

#[test]
fn runtime_surface_reads_exports_modules_and_methods() {
    let surface = runtime_surface(MINI_LIB, &mini_modules()).unwrap();
    let names = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
    assert_eq!(
        surface.root,
        names(&["Client", "Error", "bytes", "m!", "renamed", "upload"])
    );
    assert_eq!(surface.modules["upload"], names(&["Uploader", "from_dir"]));
    assert_eq!(surface.methods.len(), 1);
    assert_eq!(surface.methods["Client"], names(&["send"]));
    assert!(runtime_surface("pub use client::*;", &[]).is_err());
}

#[test]
fn contract_check_reports_both_directions() {
    let contract = "\
# Contract
```rust
pub struct Client { .. }    // comments are ignored
impl Client { pub async fn send(&self); pub fn gone(&self); }
impl fmt::Debug for Client  // trait impls declare nothing
pub struct Error;
pub use bytes;
macro m!;
pub mod upload { pub fn from_dir(); pub use Uploader; }
```
Prose naming `renamed` does not count.
";
    let declared = contract_surface(contract).unwrap();
    let runtime = runtime_surface(MINI_LIB, &mini_modules()).unwrap();
    assert_eq!(
        contract_mismatches(&runtime, &declared),
        vec![
            "`renamed` is public but the contract does not declare it".to_string(),
            "Client::`gone` is declared by the contract but does not exist".to_string(),
        ]
    );
    assert!(contract_surface("no code here").is_err());
}

#[test]
fn import_check_finds_cycles_and_ignores_what_is_not_an_import() {
    let roots = BTreeMap::from([("Client".to_string(), "client".to_string())]);
    let module = |name: &str, text: &str| (name.to_string(), text.to_string());
    let acyclic = [
        module(
            "error",
            "//! Errors; see [`crate::client::Client`].\nmod tests { use super::*; use super::super::error::X; }\n",
        ),
        module(
            "config",
            "use crate::{error::Error, secret};\nfn f() { crate::error::make(); }\n",
        ),
        module(
            "secret",
            "macro_rules! m { () => { $crate::client::Client } }\nconst S: &str = \"crate::client\";\n",
        ),
        module("client", "use crate::config::Config;\nuse super::error;\n"),
        module(
            "nested/inner",
            "use super::sibling;\nuse super::super::Client;\n",
        ),
    ];
    let graph = module_imports(&acyclic, &roots).unwrap();
    let edges = |m: &str| graph[m].iter().cloned().collect::<Vec<_>>();
    assert_eq!(edges("error"), Vec::<String>::new());
    assert_eq!(edges("config"), ["error", "secret"]);
    assert_eq!(edges("secret"), Vec::<String>::new());
    assert_eq!(edges("client"), ["config", "error"]);
    assert_eq!(edges("nested"), ["client"]);
    assert_eq!(find_cycle(&graph), None);

    let cyclic = [
        module("error", "use crate::config::Profile;\n"),
        module("config", "use crate::Client;\n"),
        module("client", "use crate::error::Error;\n"),
    ];
    let graph = module_imports(&cyclic, &roots).unwrap();
    assert_eq!(
        find_cycle(&graph).unwrap(),
        ["client", "error", "config", "client"]
    );
}
