//! Turning wire names (schema keys, properties, enum values, operationIds) into valid,
//! unique and stable Rust identifiers. The wire name is always kept beside the Rust one.

use std::collections::HashSet;

use heck::{ToKebabCase, ToSnakeCase, ToUpperCamelCase};

/// Words that cannot be plain identifiers in edition 2024 (`gen` included).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield", "union",
];

/// Keywords that `r#` cannot escape.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// Type names that would shadow what generated code relies on.
const RESERVED_TYPES: &[&str] = &[
    "String",
    "Vec",
    "Option",
    "Some",
    "None",
    "Box",
    "Result",
    "Ok",
    "Err",
    "BTreeMap",
    "Value",
    "Map",
    "Bytes",
    "Client",
    "ClientBuilder",
    "Error",
    "Serialize",
    "Deserialize",
    "Self",
    "Default",
    "Debug",
    "Clone",
    "PartialEq",
    "Display",
    "FromStr",
    "Future",
    "Stream",
    "Request",
    "RequestOptions",
    "ApiResponse",
    "FilePart",
    "Multipart",
    "Infallible",
    "Send",
    "Sync",
    "Sized",
    "Copy",
    "From",
    "Into",
    "Iterator",
    "ToString",
    "Duration",
    "Profile",
    "ErrorKind",
];

/// Every name a generated method binds besides its arguments: the receiver, the
/// arguments the emitter adds (`params`, `body`), and the locals and closure parameters of
/// the method bodies (`emit/client.rs` binds no other name, a unit test there checks).
/// Path parameters, which become arguments, never take one of these, so no local can
/// shadow an argument or be shadowed by one. A path parameter `x` also takes
/// `x` + [`SEGMENT`], the local holding its encoded path segment.
pub(crate) const METHOD_LOCALS: &[&str] = &[
    "self", "params", "body", "options", "client", "request", "response", "value", "values",
    "cursor", "current", "page", "more", "next", "items", "item", "v",
];

/// The suffix of the local that holds a path parameter's encoded segment.
pub(crate) const SEGMENT: &str = "_segment";

/// The suffix of the method that also returns the response's status and headers.
pub(crate) const WITH_RESPONSE: &str = "_with_response";

/// The suffix of a paged list's method that streams every item.
pub(crate) const STREAM: &str = "_stream";

/// The suffix of the method of an operation with a streamed success response
/// (server-sent events, JSON Lines) that yields its items as they arrive. Distinct from
/// [`STREAM`], which pages through a list: an operation can have both.
pub(crate) const EVENTS: &str = "_events";

/// Method names the generated `Client` has besides its operations.
pub(crate) const CLIENT_METHODS: &[&str] = &[
    "new",
    "builder",
    "builder_from_env",
    "from_env",
    "with_options",
    "runtime",
    "base_url",
    "clone",
    "fmt",
];

/// The suffixes an operation's name is claimed with: the emitter adds
/// `<name>_with_response` and `<name>_stream` beside each operation's method.
pub(crate) const OPERATION_SUFFIXES: &[&str] = &[WITH_RESPONSE, STREAM];

/// The suffixes a streamed operation's name is claimed with: also `<name>_events`
/// (claimed only by such operations, so no other operation's name moves).
pub(crate) const STREAMED_OPERATION_SUFFIXES: &[&str] = &[WITH_RESPONSE, STREAM, EVENTS];

/// Variant names an open enum cannot use: `Other` keeps unknown values, and `Err` would
/// make `Self::Err` (the `FromStr` error type the runtime's macros implement) ambiguous.
pub(crate) const OPEN_ENUM_RESERVED: &[&str] = &["Other", "Err"];

/// Splits a wire name into ASCII words: other characters separate words; symbols that
/// carry meaning at the start (`+`, `-`) become words so `+1` and `-1` stay apart.
fn ascii_words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for (i, c) in raw.chars().enumerate() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if c == '+' && i == 0 {
            out.push_str("plus ");
        } else if c == '-' && i == 0 && raw.len() > 1 {
            out.push_str("minus ");
        } else if c.is_ascii() {
            out.push(' ');
        } else {
            // Keep non-ASCII names apart and stable without non-ASCII identifiers.
            out.push_str(&format!(" u{:x} ", c as u32));
        }
    }
    out
}

/// Whether `raw` is lowercase ASCII words (letters and digits) joined by single `_`, as
/// most wire names are (`html_url`): [`ascii_words`] and heck would split it at the `_`s
/// alone and change no letter, so [`snake`] and [`camel`] skip them (they are a large
/// part of building the types of a big spec).
fn plain_snake(raw: &str) -> bool {
    raw.split('_').all(|word| {
        !word.is_empty()
            && word
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    })
}

/// Whether `raw` is already `UpperCamelCase` the way heck writes it: ASCII letters and
/// digits, starting with an uppercase letter, each later uppercase letter right after a
/// lowercase one. heck splits it before each uppercase letter alone and changes no
/// letter, so [`camel`] keeps it as it is (type names are built from camel-cased hints,
/// so most names a big spec gives are already this).
fn plain_camel(raw: &str) -> bool {
    let bytes = raw.as_bytes();
    bytes.first().is_some_and(u8::is_ascii_uppercase)
        && bytes.iter().all(u8::is_ascii_alphanumeric)
        && bytes
            .windows(2)
            .all(|pair| !pair[1].is_ascii_uppercase() || pair[0].is_ascii_lowercase())
}

/// `UpperCamelCase` type or variant name; `fallback` when nothing usable is left.
pub(crate) fn camel(raw: &str, fallback: &str) -> String {
    let mut name = if plain_camel(raw) {
        raw.to_string()
    } else if plain_snake(raw) {
        let mut name = String::with_capacity(raw.len());
        for word in raw.split('_') {
            name.push(word.as_bytes()[0].to_ascii_uppercase() as char);
            name.push_str(&word[1..]);
        }
        name
    } else {
        ascii_words(raw).to_upper_camel_case()
    };
    if name.is_empty() {
        name = fallback.to_string();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    if name == "Self" {
        // The one camel-case keyword, and `r#Self` is not allowed either.
        name.push_str("Value");
    }
    name
}

/// `snake_case` field, function or module name, keyword-safe.
pub(crate) fn snake(raw: &str, fallback: &str) -> String {
    let mut name = if plain_snake(raw) {
        raw.to_string()
    } else {
        ascii_words(raw).to_snake_case()
    };
    if name.is_empty() {
        name = fallback.to_string();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    escape_keyword(name)
}

fn escape_keyword(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// `ident` with `suffix` (which starts with `_`) appended: `r#type` → `type_stream`,
/// `self_` → `self_stream` (no doubled underscore, which the snake-case lint rejects).
pub(crate) fn suffixed(ident: &str, suffix: &str) -> String {
    format!("{}{suffix}", unraw(ident).trim_end_matches('_'))
}

/// A type name that cannot shadow the prelude or the crate's own items.
pub(crate) fn type_name(raw: &str) -> String {
    let name = camel(raw, "Type");
    if RESERVED_TYPES.contains(&name.as_str()) {
        format!("{name}Model")
    } else {
        name
    }
}

/// The Cargo feature name of each group of operations (a tag, or a path's resource), in
/// order: the group's words in lowercase kebab case (`Code Scanning` → `code-scanning`,
/// `pull_requests` → `pull-requests`), ASCII only (other characters become `u{hex}`
/// words, as in type names), starting with a letter (`v` put before a digit, `group`
/// for a name with no words). A name `reserved` holds (`default`, the crate's other
/// features and dependencies) or an earlier group took gets `-2`, `-3`, …, so the same
/// spec always gives the same names.
pub(crate) fn feature_names<'a>(
    groups: impl IntoIterator<Item = &'a str>,
    reserved: &[&str],
) -> Vec<String> {
    let mut taken: HashSet<String> = reserved.iter().map(|n| (*n).to_string()).collect();
    groups
        .into_iter()
        .map(|raw| {
            let mut base = ascii_words(raw).to_kebab_case();
            if base.is_empty() {
                base = "group".to_string();
            }
            if base.starts_with(|c: char| c.is_ascii_digit()) {
                base.insert(0, 'v');
            }
            let name = if taken.contains(&base) {
                (2..)
                    .map(|n| format!("{base}-{n}"))
                    .find(|candidate| !taken.contains(candidate))
                    .expect("an unbounded range always yields a free name")
            } else {
                base
            };
            taken.insert(name.clone());
            name
        })
        .collect()
}

/// A Rust identifier that naming handed out: valid (keywords escaped) and unique in the
/// scope that claimed it. Only [`Scope`] makes one, so the IR cannot carry a name that
/// naming never saw.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct RustIdent(String);

impl RustIdent {
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    /// A name made up for a test of a stage that reads names.
    #[cfg(test)]
    pub(crate) fn for_test(name: &str) -> RustIdent {
        RustIdent(name.to_string())
    }
}

impl std::ops::Deref for RustIdent {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for RustIdent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<str> for RustIdent {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for RustIdent {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

/// Hands out unique names in order of request: the first keeps its name, later
/// duplicates get `2`, `3`, … (or `_2` for snake case), so the same spec gives the same names.
#[derive(Debug, Default, Clone)]
pub(crate) struct Scope {
    taken: HashSet<String>,
}

impl Scope {
    pub(crate) fn with_reserved(names: &[&str]) -> Self {
        Scope {
            taken: names.iter().map(|n| (*n).to_string()).collect(),
        }
    }

    /// Claims `base` (or `base_2`, …) together with every `name + suffix`, all free:
    /// an operation `list` also takes `list_with_response` and `list_stream`.
    pub(crate) fn claim_with(&mut self, base: String, suffixes: &[&str]) -> RustIdent {
        let bare = unraw(&base).trim_end_matches('_').to_string();
        let free = |taken: &HashSet<String>, name: &str| {
            !taken.contains(name) && suffixes.iter().all(|s| !taken.contains(&suffixed(name, s)))
        };
        let name = if free(&self.taken, &base) {
            base
        } else {
            (2..)
                .map(|n| format!("{bare}_{n}"))
                .find(|candidate| free(&self.taken, candidate))
                .expect("an unbounded range always yields a free name")
        };
        self.taken.insert(name.clone());
        for suffix in suffixes {
            self.taken.insert(suffixed(&name, suffix));
        }
        RustIdent(name)
    }

    pub(crate) fn claim(&mut self, base: String) -> RustIdent {
        if self.taken.insert(base.clone()) {
            return RustIdent(base);
        }
        let bare = base.trim_start_matches("r#");
        let separator =
            if bare.chars().next().is_some_and(char::is_uppercase) || bare.ends_with('_') {
                ""
            } else {
                "_"
            };
        let name = (2..)
            .map(|n| format!("{bare}{separator}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .expect("an unbounded range always yields a free name");
        RustIdent(name)
    }
}

/// The wire name as it must appear in a `#[serde(rename)]`: the identifier without `r#`.
pub(crate) fn unraw(ident: &str) -> &str {
    ident.trim_start_matches("r#")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_valid_and_distinct() {
        assert_eq!(snake("type", "f"), "r#type");
        assert_eq!(snake("gen", "f"), "r#gen");
        assert_eq!(snake("self", "f"), "self_");
        assert_eq!(snake("2fa", "f"), "_2fa");
        assert_eq!(snake("", "field"), "field");
        assert_eq!(camel("+1", "V"), "Plus1");
        assert_eq!(camel("-1", "V"), "Minus1");
        assert_eq!(camel("", "Empty"), "Empty");
        assert_eq!(camel("é", "V"), "Ue9");
        assert_eq!(camel("skills-2025-10-02", "V"), "Skills20251002");
        assert_eq!(type_name("string"), "StringModel");
        let mut scope = Scope::default();
        assert_eq!(scope.claim(camel("ASC", "V")), "Asc");
        assert_eq!(scope.claim(camel("asc", "V")), "Asc2");
        let mut fields = Scope::default();
        assert_eq!(fields.claim(snake("fooBar", "f")), "foo_bar");
        assert_eq!(fields.claim(snake("foo_bar", "f")), "foo_bar_2");
    }

    #[test]
    fn feature_names_are_kebab_case_unique_and_valid() {
        let names = feature_names(
            [
                "repos",
                "Code Scanning",
                "pull_requests",
                "Repos",
                "2fa",
                "",
                "é",
                "default",
                "rustls-tls",
            ],
            &["default", "rustls-tls"],
        );
        assert_eq!(
            names,
            [
                "repos",
                "code-scanning",
                "pull-requests",
                "repos-2",
                "v2fa",
                "group",
                "ue9",
                "default-2",
                "rustls-tls-2"
            ]
        );
        for name in &names {
            assert!(name.starts_with(|c: char| c.is_ascii_lowercase()), "{name}");
            assert!(
                name.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{name}"
            );
        }
    }

    /// The shortcuts for plain snake-case and plain camel-case names give what heck
    /// gives: every name of up to five characters over an alphabet with each kind of
    /// character.
    #[test]
    fn plain_name_shortcuts_match_heck() {
        const ALPHABET: &[char] = &['a', 'z', 'B', 'Q', '1', '_', '-', '+', ' ', 'é'];
        let mut names = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..5 {
            last = last
                .iter()
                .flat_map(|n| ALPHABET.iter().map(move |c| format!("{n}{c}")))
                .collect();
            names.extend(last.iter().cloned());
        }
        for name in names
            .iter()
            .map(String::as_str)
            .chain(["html_url", "a1_2b", "x_y_z9", "ReposGetResponse", "V2Beta"])
            .chain(["ABc", "HTTPServer", "Ab2Cd", "Self", "AbcD"])
        {
            let words = ascii_words(name);
            let expect_snake = escape_keyword({
                let mut n = words.to_snake_case();
                if n.is_empty() {
                    n = "f".into();
                }
                if n.starts_with(|c: char| c.is_ascii_digit()) {
                    n.insert(0, '_');
                }
                n
            });
            assert_eq!(snake(name, "f"), expect_snake, "snake({name:?})");
            let mut expect_camel = words.to_upper_camel_case();
            if expect_camel.is_empty() {
                expect_camel = "V".into();
            }
            if expect_camel.starts_with(|c: char| c.is_ascii_digit()) {
                expect_camel.insert(0, 'V');
            }
            if expect_camel == "Self" {
                expect_camel.push_str("Value");
            }
            assert_eq!(camel(name, "V"), expect_camel, "camel({name:?})");
        }
    }
}
