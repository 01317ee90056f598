//! What changed between two API surfaces (`api-surface.txt`, written by
//! [`crate::surface`]): each change in words a crate user understands, whether it breaks
//! their code, the verdict, the next version and a changelog entry.
//!
//! Facts are matched by key (`type Skill field display_title`), so a fact present on one
//! side only was added or removed, and one whose value differs changed. The facts below a
//! removed or added operation or type, or a type whose kind changed, are folded into that
//! one change. A line the format does not know is an opaque fact: added is additive,
//! removed or changed is breaking. Nothing here panics on any input.
//!
//! What counts as breaking follows what stops compiling or behaves differently for code
//! written against the old crate: a removed or renamed item, a changed type, a new
//! required value, a new positional argument, a new variant of an enum users `match`
//! (unions and response enums). New values of open enums (`#[non_exhaustive]`, with
//! `Other`) and new optional fields and parameters are additive.

use std::fmt;

use indexmap::IndexMap;

/// How a new surface relates to the old one, from least to most disruptive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Verdict {
    /// The public API is the same.
    Unchanged,
    /// Only additions: code written against the old crate still compiles and works.
    Additive,
    /// At least one change may break code written against the old crate.
    Breaking,
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Verdict::Unchanged => "unchanged",
            Verdict::Additive => "additive",
            Verdict::Breaking => "breaking",
        })
    }
}

/// One change of the public API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Whether code written against the old crate may stop compiling or working.
    pub breaking: bool,
    /// The change in words, naming Rust items in backticks and wire names beside them.
    pub description: String,
}

/// Every change between two surfaces: removals and changes in the old surface's order,
/// then additions in the new one's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangeReport {
    /// The changes, in the order described above.
    pub changes: Vec<Change>,
}

impl ChangeReport {
    /// `Breaking` when any change breaks, `Additive` when there are only other changes.
    #[must_use]
    pub fn verdict(&self) -> Verdict {
        if self.changes.iter().any(|c| c.breaking) {
            Verdict::Breaking
        } else if self.changes.is_empty() {
            Verdict::Unchanged
        } else {
            Verdict::Additive
        }
    }

    fn by_kind(&self, breaking: bool) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(move |c| c.breaking == breaking)
    }

    /// For the terminal: one `breaking: …` or `additive: …` line per change, breaking
    /// first, then `verdict: breaking|additive|unchanged`.
    #[must_use]
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for (breaking, label) in [(true, "breaking"), (false, "additive")] {
            for change in self.by_kind(breaking) {
                out.push_str(&format!("{label}: {}\n", change.description));
            }
        }
        out.push_str(&format!("verdict: {}\n", self.verdict()));
        out
    }

    /// Markdown for the newest `CHANGELOG.md` entry: `## {version}`, then a list of the
    /// breaking changes and one of the additions.
    #[must_use]
    pub fn changelog_entry(&self, version: &str) -> String {
        let mut out = format!("## {version}\n\n");
        if self.changes.is_empty() {
            out.push_str("No changes to the public API.\n");
            return out;
        }
        for (breaking, title) in [(true, "Breaking changes"), (false, "Additions")] {
            let mut items = self.by_kind(breaking).peekable();
            if items.peek().is_none() {
                continue;
            }
            out.push_str(&format!("### {title}\n\n"));
            for change in items {
                out.push_str(&format!("- {}\n", change.description));
            }
            out.push('\n');
        }
        out.truncate(out.trim_end().len());
        out.push('\n');
        out
    }
}

/// The version after `version` for a change with this verdict, by Cargo's rules: from
/// 1.0.0 on, breaking bumps the major and additive the minor; in 0.y.z (y > 0) breaking
/// bumps the minor and additive the patch; in 0.0.z every change bumps the patch.
/// `None` unless `version` is plain `major.minor.patch` (no pre-release or build part).
#[must_use]
pub fn bump_version(version: &str, verdict: Verdict) -> Option<String> {
    let mut parts = version.split('.').map(|part| {
        let plain = !part.is_empty()
            && part.bytes().all(|b| b.is_ascii_digit())
            && (part == "0" || !part.starts_with('0'));
        if plain {
            part.parse::<u64>().ok()
        } else {
            None
        }
    });
    let (major, minor, patch) = (parts.next()??, parts.next()??, parts.next()??);
    if parts.next().is_some() {
        return None;
    }
    let (major, minor, patch) = match (verdict, major, minor) {
        (Verdict::Unchanged, ..) => (major, minor, patch),
        (Verdict::Breaking, 1.., _) => (major.checked_add(1)?, 0, 0),
        (Verdict::Additive, 1.., _) => (major, minor.checked_add(1)?, 0),
        (Verdict::Breaking, 0, 1..) => (0, minor.checked_add(1)?, 0),
        (Verdict::Additive, 0, 1..) | (_, 0, 0) => (major, minor, patch.checked_add(1)?),
    };
    Some(format!("{major}.{minor}.{patch}"))
}

/// Every change from `old_surface` to `new_surface`.
#[must_use]
pub fn compare(old_surface: &str, new_surface: &str) -> ChangeReport {
    let old = facts(old_surface);
    let new = facts(new_surface);
    let cx = Context {
        old: &old,
        new: &new,
    };
    let mut changes = Vec::new();
    for (key, before) in &old {
        if cx.folded(before) {
            continue;
        }
        match new.get(key) {
            None => changes.push(cx.removed(before)),
            Some(after) if after.value != before.value && !cx.told_by_body(after) => {
                changes.push(cx.changed(before, after));
            }
            Some(_) => {}
        }
    }
    for (key, after) in &new {
        if !old.contains_key(key) && !cx.folded(after) {
            changes.push(cx.added(after));
        }
    }
    ChangeReport { changes }
}

/// One line of a surface: the key's words as written (quoted ones still quoted), and
/// the value. An opaque line has no words and the whole line as its key.
struct Fact<'a> {
    words: Vec<&'a str>,
    value: &'a str,
    line: &'a str,
}

/// The facts of a surface by key, in order. A repeated key keeps its first line; later
/// ones become opaque facts. An opaque fact's key is its line after a newline, which no
/// other key holds.
fn facts(surface: &str) -> IndexMap<String, Fact<'_>> {
    let mut out = IndexMap::new();
    for line in surface.lines() {
        let line = line.trim_end();
        if line.trim_start().is_empty() || line.starts_with('#') {
            continue;
        }
        let fact = match split_fact(line) {
            Some((key, value)) => (
                key.to_string(),
                Fact {
                    words: split_words(key),
                    value,
                    line,
                },
            ),
            None => (format!("\n{line}"), opaque(line)),
        };
        let (key, fact) = match out.contains_key(&fact.0) {
            false => fact,
            true => (format!("\n{line}"), opaque(line)),
        };
        out.entry(key).or_insert(fact);
    }
    out
}

fn opaque(line: &str) -> Fact<'_> {
    Fact {
        words: Vec::new(),
        value: "",
        line,
    }
}

/// The bytes of `text` outside JSON strings, with their offsets.
fn unquoted(text: &str) -> impl Iterator<Item = (usize, u8)> + '_ {
    let mut in_string = false;
    let mut escaped = false;
    text.bytes().enumerate().filter(move |&(_, b)| {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            false
        } else {
            in_string = b == b'"';
            !in_string
        }
    })
}

/// `key: value` at the first `": "` outside quotes.
fn split_fact(line: &str) -> Option<(&str, &str)> {
    let (at, _) =
        unquoted(line).find(|&(i, b)| b == b':' && line.as_bytes().get(i + 1) == Some(&b' '))?;
    Some((&line[..at], &line[at + 2..]))
}

fn split_words(key: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start = 0;
    for (i, b) in unquoted(key) {
        if b == b' ' {
            words.push(&key[start..i]);
            start = i + 1;
        }
    }
    words.push(&key[start..]);
    words
}

/// A key word's text: a JSON string decoded, anything else as written.
fn decode(word: &str) -> String {
    serde_json::from_str::<String>(word).unwrap_or_else(|_| word.to_string())
}

/// What a fact is about, read from its key.
enum Subject<'a> {
    Client(String),
    Operation(&'a str),
    PathParam(&'a str, String),
    Params(&'a str),
    Param(&'a str, &'a str, String),
    Body(&'a str),
    Media(&'a str, String),
    Returns(&'a str),
    ReturnsStatus(&'a str, &'a str),
    Stream(&'a str),
    Errors(&'a str),
    Type(&'a str),
    Field(&'a str, String),
    Flatten(&'a str, &'a str),
    Additional(&'a str),
    Value(&'a str, &'a str),
    Variant(&'a str, &'a str),
    Opaque,
}

fn subject<'a>(words: &[&'a str]) -> Subject<'a> {
    match *words {
        ["client", ref rest @ ..] if !rest.is_empty() => {
            Subject::Client(rest.iter().map(|w| decode(w)).collect::<Vec<_>>().join(" "))
        }
        ["operation", op] => Subject::Operation(op),
        ["operation", op, "path", wire] => Subject::PathParam(op, decode(wire)),
        ["operation", op, "params"] => Subject::Params(op),
        [
            "operation",
            op,
            place @ ("query" | "header" | "cookie" | "querystring"),
            wire,
        ] => Subject::Param(op, place, decode(wire)),
        ["operation", op, "body"] => Subject::Body(op),
        ["operation", op, "body", "media", media] => Subject::Media(op, decode(media)),
        ["operation", op, "returns"] => Subject::Returns(op),
        ["operation", op, "returns", status] => Subject::ReturnsStatus(op, status),
        ["operation", op, "stream"] => Subject::Stream(op),
        ["operation", op, "errors"] => Subject::Errors(op),
        ["type", name] => Subject::Type(name),
        ["type", name, "field", wire] => Subject::Field(name, decode(wire)),
        ["type", name, "flatten", field] => Subject::Flatten(name, field),
        ["type", name, "additional"] => Subject::Additional(name),
        ["type", name, "value", value] => Subject::Value(name, value),
        ["type", name, "variant", variant] => Subject::Variant(name, variant),
        _ => Subject::Opaque,
    }
}

/// A field's or parameter's value: `required|optional {type}[ as {rust name}]`.
struct Slot<'a> {
    required: bool,
    ty: &'a str,
    rust: Option<&'a str>,
}

fn slot(value: &str) -> Option<Slot<'_>> {
    let (flag, rest) = value.split_once(' ')?;
    let required = match flag {
        "required" => true,
        "optional" => false,
        _ => return None,
    };
    let (ty, rust) = match rest.rsplit_once(" as ") {
        Some((ty, rust)) => (ty, Some(rust)),
        None => (rest, None),
    };
    Some(Slot { required, ty, rust })
}

/// The `body` argument's type from a `required|optional {type}` value.
fn body_arg(value: &str) -> String {
    match value.split_once(' ') {
        Some(("required", ty)) => ty.to_string(),
        Some(("optional", ty)) => format!("Option<{ty}>"),
        _ => value.to_string(),
    }
}

/// A type's kind in words, from the value of its `type {Name}` fact.
fn kind_words(value: &str) -> String {
    if let Some(target) = value.strip_prefix("alias ") {
        format!("an alias of `{target}`")
    } else if let Some(target) = value.strip_prefix("newtype ") {
        format!("a newtype of `{target}`")
    } else {
        let article = if value.starts_with("int ") { "an" } else { "a" };
        format!("{article} {value}")
    }
}

fn kind_of(value: &str) -> &str {
    match value.split_once(' ') {
        Some((kind @ ("alias" | "newtype"), _)) => kind,
        _ => value,
    }
}

/// `\`wire\` on the wire` when the Rust name differs from the wire name.
fn on_wire(rust: &str, wire: &str) -> Option<String> {
    (rust.trim_start_matches("r#") != wire).then(|| format!("`{wire}` on the wire"))
}

fn breaking(description: String) -> Change {
    Change {
        breaking: true,
        description,
    }
}

fn additive(description: String) -> Change {
    Change {
        breaking: false,
        description,
    }
}

struct Context<'s, 'a> {
    old: &'s IndexMap<String, Fact<'a>>,
    new: &'s IndexMap<String, Fact<'a>>,
}

impl Context<'_, '_> {
    /// The value of `key`, from the new surface if it is there, else from the old one.
    fn value(&self, key: &str) -> Option<&str> {
        self.new
            .get(key)
            .or_else(|| self.old.get(key))
            .map(|f| f.value)
    }

    /// Whether a change to `fact` is told by its operation's or type's own change.
    fn folded(&self, fact: &Fact<'_>) -> bool {
        let [kind @ ("operation" | "type"), name, _, ..] = fact.words[..] else {
            return false;
        };
        let parent = format!("{kind} {name}");
        match (self.old.get(&parent), self.new.get(&parent)) {
            (Some(_), None) | (None, Some(_)) => true,
            (Some(old), Some(new)) => kind == "type" && kind_of(old.value) != kind_of(new.value),
            (None, None) => false,
        }
    }

    /// Whether `fact` is a media type of a body whose argument type changed too (one
    /// media type: the same change told twice).
    fn told_by_body(&self, fact: &Fact<'_>) -> bool {
        let ["operation", op, "body", "media", _] = fact.words[..] else {
            return false;
        };
        let body = format!("operation {op} body");
        match (self.old.get(&body), self.new.get(&body)) {
            (Some(old), Some(new)) => old.value != new.value,
            _ => false,
        }
    }

    fn method(&self, op: &str) -> String {
        format!("`Client::{op}`")
    }

    /// The Rust field of a parameter: `{ParamsStruct}::{field}`.
    fn param_field(&self, op: &str, wire: &str, rust: Option<&str>) -> String {
        let params = self
            .value(&format!("operation {op} params"))
            .unwrap_or("params");
        format!("{params}::{}", rust.unwrap_or(wire))
    }

    fn response_enum(&self, op: &str) -> String {
        self.value(&format!("operation {op} returns"))
            .unwrap_or("the response enum")
            .to_string()
    }

    fn added(&self, fact: &Fact<'_>) -> Change {
        let value = fact.value;
        match subject(&fact.words) {
            Subject::Client(what) => additive(match what.strip_prefix("env ") {
                Some(setting) => format!("`Client::from_env` reads the {setting} from `{value}`"),
                None => format!("the client has a new `{what}`: `{value}`"),
            }),
            Subject::Operation(op) => {
                additive(format!("new operation {} (`{value}`)", self.method(op)))
            }
            Subject::PathParam(op, wire) => breaking(format!(
                "{} takes a new path parameter `{wire}` (`{value}`): a new positional argument",
                self.method(op)
            )),
            Subject::Params(op) => breaking(format!(
                "{} takes a new argument `params: {value}`",
                self.method(op)
            )),
            Subject::Param(op, place, wire) => match slot(value) {
                Some(s) => {
                    let field = self.param_field(op, &wire, s.rust);
                    let what = format!(
                        "{} has a new {} {place} parameter `{wire}` (`{field}: {}`)",
                        self.method(op),
                        if s.required { "required" } else { "optional" },
                        s.ty
                    );
                    if s.required {
                        breaking(format!("{what}: every call must set it"))
                    } else {
                        additive(what)
                    }
                }
                None => self.opaque_added(fact),
            },
            Subject::Body(op) => breaking(format!(
                "{} takes a new argument `body: {}`",
                self.method(op),
                body_arg(value)
            )),
            Subject::Media(op, media) => additive(format!(
                "{} can send its request body as `{media}` (`{value}`)",
                self.method(op)
            )),
            Subject::Returns(op) => breaking(format!("{} now returns `{value}`", self.method(op))),
            Subject::ReturnsStatus(op, status) => breaking(format!(
                "`{}` (what {} returns) has a new variant `{value}` for status {status}: \
                 exhaustive `match`es need an arm for it",
                self.response_enum(op),
                self.method(op)
            )),
            Subject::Stream(op) => {
                let (stream, item) = value.split_once(" yields ").unwrap_or((value, "?"));
                additive(format!(
                    "new method `Client::{stream}`: every item (`{item}`) of every page of {}",
                    self.method(op)
                ))
            }
            Subject::Errors(op) => additive(format!(
                "new type `{value}`: the error bodies of {}, by status",
                self.method(op)
            )),
            Subject::Type(name) => additive(format!("new type `{name}`, {}", kind_words(value))),
            Subject::Field(ty, wire) => match slot(value) {
                Some(s) => {
                    let rust = s.rust.unwrap_or(&wire);
                    let note = on_wire(rust, &wire).map_or_else(String::new, |n| format!(", {n}"));
                    let what = format!(
                        "`{ty}` has a new {} field `{ty}::{rust}` (`{}`{note})",
                        if s.required { "required" } else { "optional" },
                        s.ty,
                    );
                    if s.required {
                        breaking(format!("{what}: code building a `{ty}` must set it"))
                    } else {
                        additive(what)
                    }
                }
                None => self.opaque_added(fact),
            },
            Subject::Flatten(ty, field) => breaking(format!(
                "`{ty}` has a new flattened field `{ty}::{field}` (`{value}`): code building a `{ty}` must set it"
            )),
            Subject::Additional(ty) => additive(format!(
                "`{ty}` keeps properties it does not name in a new field `{ty}::additional_properties` (`{value}`)"
            )),
            Subject::Value(ty, wire) => {
                additive(format!("`{ty}` knows a new value {wire} (`{ty}::{value}`)"))
            }
            Subject::Variant(ty, variant) => breaking(format!(
                "`{ty}` has a new variant `{ty}::{variant}` (`{value}`): exhaustive `match`es need an arm for it, \
                 and values that read as `{ty}::Other` may now read as the new variant"
            )),
            Subject::Opaque => self.opaque_added(fact),
        }
    }

    fn opaque_added(&self, fact: &Fact<'_>) -> Change {
        additive(format!("new: `{}`", fact.line))
    }

    fn removed(&self, fact: &Fact<'_>) -> Change {
        let value = fact.value;
        breaking(match subject(&fact.words) {
            Subject::Client(what) => match what.strip_prefix("env ") {
                Some(setting) => {
                    format!("`Client::from_env` no longer reads the {setting} from `{value}`")
                }
                None => format!("the client no longer has `{what}` (was `{value}`)"),
            },
            Subject::Operation(op) => {
                format!("removed operation {} (`{value}`)", self.method(op))
            }
            Subject::PathParam(op, wire) => format!(
                "{} no longer takes path parameter `{wire}`: one positional argument fewer",
                self.method(op)
            ),
            Subject::Params(op) => format!(
                "{} no longer takes a `params: {value}` argument",
                self.method(op)
            ),
            Subject::Param(op, place, wire) => {
                let rust = slot(value).and_then(|s| s.rust);
                format!(
                    "{} no longer takes {place} parameter `{wire}`: `{}` is gone",
                    self.method(op),
                    self.param_field(op, &wire, rust)
                )
            }
            Subject::Body(op) => format!(
                "{} no longer takes a request body (the `body: {}` argument is gone)",
                self.method(op),
                body_arg(value)
            ),
            Subject::Media(op, media) => format!(
                "{} can no longer send its request body as `{media}` (`{value}`)",
                self.method(op)
            ),
            Subject::Returns(op) => {
                format!("{} no longer returns `{value}`", self.method(op))
            }
            Subject::ReturnsStatus(op, status) => format!(
                "`{}` (what {} returns) lost the variant `{value}` for status {status}",
                self.response_enum(op),
                self.method(op)
            ),
            Subject::Stream(op) => {
                let stream = value.split_once(" yields ").map_or(value, |(s, _)| s);
                format!(
                    "removed method `Client::{stream}` (the pages of {})",
                    self.method(op)
                )
            }
            Subject::Errors(op) => format!(
                "removed type `{value}` (the error bodies of {})",
                self.method(op)
            ),
            Subject::Type(name) => format!("removed type `{name}` ({})", kind_words(value)),
            Subject::Field(ty, wire) => {
                let rust = slot(value).and_then(|s| s.rust).unwrap_or(&wire);
                let note = on_wire(rust, &wire).map_or_else(String::new, |n| format!(" ({n})"));
                format!("`{ty}` lost the field `{ty}::{rust}`{note}")
            }
            Subject::Flatten(ty, field) => {
                format!("`{ty}` lost the flattened field `{ty}::{field}` (`{value}`)")
            }
            Subject::Additional(ty) => format!(
                "`{ty}` no longer keeps properties it does not name: `{ty}::additional_properties` is gone"
            ),
            Subject::Value(ty, wire) => format!(
                "`{ty}` no longer knows the value {wire}: the variant `{ty}::{value}` is gone \
                 (the value now reads as `{ty}::Other`)"
            ),
            Subject::Variant(ty, variant) => {
                format!("`{ty}` lost the variant `{ty}::{variant}` (`{value}`)")
            }
            Subject::Opaque => format!("removed: `{}`", fact.line),
        })
    }

    fn changed(&self, old: &Fact<'_>, new: &Fact<'_>) -> Change {
        let (was, now) = (old.value, new.value);
        let description = match subject(&new.words) {
            Subject::Client(what) => match what.strip_prefix("env ") {
                Some(setting) => {
                    format!("`Client::from_env` reads the {setting} from `{now}` (was `{was}`)")
                }
                None => format!("the client's `{what}` changed: `{was}` → `{now}`"),
            },
            Subject::Operation(op) => {
                format!("{} now sends `{now}` (was `{was}`)", self.method(op))
            }
            Subject::PathParam(op, wire) => format!(
                "{} path parameter `{wire}` changed type: `{was}` → `{now}`",
                self.method(op)
            ),
            Subject::Params(op) => format!(
                "{}'s `params` argument is now a `{now}` (was `{was}`)",
                self.method(op)
            ),
            Subject::Param(op, place, wire) => {
                let what = format!("{} {place} parameter `{wire}`", self.method(op));
                let params = self
                    .value(&format!("operation {op} params"))
                    .unwrap_or("params");
                match slot_change(&what, params, &wire, was, now) {
                    Some(change) => return change,
                    None => self.opaque_changed(new, was, now),
                }
            }
            Subject::Body(op) => format!(
                "{}'s `body` argument changed type: `{}` → `{}`",
                self.method(op),
                body_arg(was),
                body_arg(now)
            ),
            Subject::Media(op, media) => format!(
                "{} sends `{media}` request bodies as `{now}` (was `{was}`)",
                self.method(op)
            ),
            Subject::Returns(op) => {
                format!("{} now returns `{now}` (was `{was}`)", self.method(op))
            }
            Subject::ReturnsStatus(op, status) => format!(
                "`{}` (what {} returns) for status {status} is now `{now}` (was `{was}`)",
                self.response_enum(op),
                self.method(op)
            ),
            Subject::Stream(op) => format!(
                "the stream of {} changed: `{was}` → `{now}`",
                self.method(op)
            ),
            Subject::Errors(op) => format!(
                "the error bodies of {} are now `{now}` (was `{was}`)",
                self.method(op)
            ),
            Subject::Type(name) => {
                format!(
                    "`{name}` is now {} (was {})",
                    kind_words(now),
                    kind_words(was)
                )
            }
            Subject::Field(ty, wire) => {
                let what = format!("`{ty}` field `{wire}`");
                match slot_change(&what, ty, &wire, was, now) {
                    Some(change) => return change,
                    None => self.opaque_changed(new, was, now),
                }
            }
            Subject::Flatten(ty, field) => {
                format!("`{ty}::{field}` changed type: `{was}` → `{now}`")
            }
            Subject::Additional(ty) => {
                format!("`{ty}::additional_properties` changed type: `{was}` → `{now}`")
            }
            Subject::Value(ty, wire) => {
                format!("`{ty}`'s value {wire} is now `{ty}::{now}` (was `{ty}::{was}`)")
            }
            Subject::Variant(ty, variant) => {
                format!("`{ty}::{variant}` now holds `{now}` (was `{was}`)")
            }
            Subject::Opaque => self.opaque_changed(new, was, now),
        };
        breaking(description)
    }

    fn opaque_changed(&self, fact: &Fact<'_>, was: &str, now: &str) -> String {
        let key = fact.words.join(" ");
        format!("`{key}` changed: `{was}` → `{now}`")
    }
}

/// `T` of `Option<T>`.
fn inside_option(ty: &str) -> Option<&str> {
    ty.strip_prefix("Option<")?.strip_suffix('>')
}

/// A changed field or parameter: made required or optional, retyped, renamed in Rust.
/// `what` names it for users, `owner` is the struct holding its Rust field. Made
/// optional without a new type (a nullable field that may now be left out) is additive.
fn slot_change(what: &str, owner: &str, wire: &str, was: &str, now: &str) -> Option<Change> {
    let (old, new) = (slot(was)?, slot(now)?);
    let old_field = format!("{owner}::{}", old.rust.unwrap_or(wire));
    let new_field = format!("{owner}::{}", new.rust.unwrap_or(wire));
    let mut description = match (old.required, new.required) {
        (false, true) => format!("{what} is now required: "),
        (true, false) => format!("{what} is now optional: "),
        _ => format!("{what}: "),
    };
    // Made optional without a new type (a nullable field that may now be left out)
    // breaks nothing; every other change does.
    let mut is_breaking = !old.required && new.required;
    let (from, to) = (old.ty, new.ty);
    if from == to && old.required != new.required {
        description.push_str(&format!("`{new_field}` keeps its type `{to}`"));
    } else if inside_option(to) == Some(from) {
        description.push_str(&format!(
            "`{new_field}` changes from `{from}` to `{to}`, so code setting it must wrap the value in `Some`"
        ));
    } else if inside_option(from) == Some(to) {
        description.push_str(&format!(
            "`{new_field}` changes from `{from}` to `{to}`, so code must always give a value"
        ));
    } else if from != to {
        description.push_str(&format!("`{new_field}` changed type: `{from}` → `{to}`"));
    }
    is_breaking |= from != to;
    if old_field != new_field {
        is_breaking = true;
        if !description.ends_with(": ") {
            description.push_str("; ");
        }
        description.push_str(&format!(
            "its Rust name changed: `{old_field}` → `{new_field}`"
        ));
    }
    if description.ends_with(": ") {
        return None;
    }
    Some(Change {
        breaking: is_breaking,
        description,
    })
}

#[cfg(test)]
mod tests {
    use super::{ChangeReport, Verdict, bump_version, compare};
    use crate::Spec;

    /// A small API: a paged list, a create with a JSON body, a get by id; a struct, an
    /// open enum and a union.
    const BASE: &str = r#"
openapi: 3.0.3
info: { title: T, version: "1" }
paths:
  /v1/skills:
    get:
      operationId: listSkills
      x-pagination: { cursor-param: page, next-cursor: next_page, items: data }
      parameters:
        - { name: page, in: query, schema: { type: string } }
        - { name: limit, in: query, schema: { type: integer, format: int64 } }
      responses:
        "200":
          description: ok
          content: { application/json: { schema: { $ref: '#/components/schemas/SkillList' } } }
    post:
      operationId: createSkill
      requestBody:
        required: true
        content: { application/json: { schema: { $ref: '#/components/schemas/NewSkill' } } }
      responses:
        "200":
          description: ok
          content: { application/json: { schema: { $ref: '#/components/schemas/Skill' } } }
  /v1/skills/{skill_id}:
    get:
      operationId: getSkill
      parameters:
        - { name: skill_id, in: path, required: true, schema: { type: string } }
      responses:
        "200":
          description: ok
          content: { application/json: { schema: { $ref: '#/components/schemas/Skill' } } }
components:
  schemas:
    Skill:
      type: object
      required: [id]
      properties:
        id: { type: string }
        display_title: { type: string }
        source: { $ref: '#/components/schemas/Source' }
    NewSkill:
      type: object
      properties:
        title: { type: string }
    SkillList:
      type: object
      required: [data]
      properties:
        data: { type: array, items: { $ref: '#/components/schemas/Skill' } }
        next_page: { type: string, nullable: true }
    Source:
      type: string
      enum: [custom, anthropic]
    Block:
      oneOf:
        - { $ref: '#/components/schemas/TextBlock' }
        - { $ref: '#/components/schemas/ImageBlock' }
    TextBlock:
      type: object
      properties: { text: { type: string } }
    ImageBlock:
      type: object
      properties: { url: { type: string } }
"#;

    fn surface(spec: &str) -> String {
        let spec = Spec::parse(spec, "test.yaml").expect("spec parses");
        let model = crate::model(&spec).expect("model builds");
        // Without features: moving a path here would regroup the operations.
        let features = crate::features::Features::none(&model);
        crate::surface::render(&model, &features, "@generated by test")
    }

    /// `BASE` with each `(from, to)` replaced; `from` must occur exactly once.
    fn edited(edits: &[(&str, &str)]) -> String {
        let mut spec = BASE.to_string();
        for (from, to) in edits {
            assert_eq!(spec.matches(from).count(), 1, "{from:?} is not unique");
            spec = spec.replace(from, to);
        }
        spec
    }

    fn report(old: &str, new: &str) -> ChangeReport {
        compare(&surface(old), &surface(new))
    }

    /// The one change whose description contains every needle, and whether it breaks.
    fn find(report: &ChangeReport, needles: &[&str]) -> bool {
        let found: Vec<_> = report
            .changes
            .iter()
            .filter(|c| needles.iter().all(|n| c.description.contains(n)))
            .collect();
        assert_eq!(
            found.len(),
            1,
            "want one change with {needles:?}, got:\n{}",
            report.to_text()
        );
        found[0].breaking
    }

    fn assert_only(report: &ChangeReport, needles: &[&str], breaking: bool) {
        assert_eq!(report.changes.len(), 1, "{}", report.to_text());
        assert_eq!(find(report, needles), breaking, "{}", report.to_text());
        let verdict = if breaking {
            Verdict::Breaking
        } else {
            Verdict::Additive
        };
        assert_eq!(report.verdict(), verdict, "{}", report.to_text());
    }

    #[test]
    fn a_surface_compared_with_itself_is_unchanged() {
        let report = report(BASE, BASE);
        assert!(report.changes.is_empty(), "{}", report.to_text());
        assert_eq!(report.verdict(), Verdict::Unchanged);
        assert_eq!(report.to_text(), "verdict: unchanged\n");
        assert_eq!(
            report.changelog_entry("0.1.0"),
            "## 0.1.0\n\nNo changes to the public API.\n"
        );
    }

    #[test]
    fn operation_added_is_additive_and_removed_is_breaking() {
        let with_delete = edited(&[(
            "  /v1/skills/{skill_id}:\n    get:",
            "  /v1/skills/{skill_id}:\n    delete:\n      operationId: deleteSkill\n      parameters:\n        - { name: skill_id, in: path, required: true, schema: { type: string } }\n        - { name: force, in: query, schema: { type: boolean } }\n      responses:\n        \"204\": { description: gone }\n    get:",
        )]);
        let needles = [
            "operation `Client::delete_skill`",
            "`DELETE /v1/skills/{skill_id}`",
        ];
        // Its parameters and response come with it: one change each way.
        assert_only(&report(BASE, &with_delete), &needles, false);
        assert_only(&report(&with_delete, BASE), &needles, true);
        assert!(find(&report(&with_delete, BASE), &["removed operation"]));
    }

    #[test]
    fn operation_path_changed_is_breaking() {
        let moved = edited(&[("  /v1/skills/{skill_id}:", "  /v2/skills/{skill_id}:")]);
        assert_only(
            &report(BASE, &moved),
            &[
                "`Client::get_skill` now sends `GET /v2/skills/{skill_id}`",
                "(was `GET /v1/skills/{skill_id}`)",
            ],
            true,
        );
    }

    const LIMIT: &str = "- { name: limit, in: query, schema: { type: integer, format: int64 } }";

    #[test]
    fn optional_parameter_added_is_additive() {
        let new = edited(&[(
            LIMIT,
            &format!(
                "{LIMIT}\n        - {{ name: x-source, in: header, schema: {{ type: string }} }}"
            ),
        )]);
        assert_only(
            &report(BASE, &new),
            &[
                "`Client::list_skills` has a new optional header parameter `x-source`",
                "`ListSkillsParams::x_source: Option<String>`",
            ],
            false,
        );
    }

    #[test]
    fn required_parameter_added_is_breaking() {
        let new = edited(&[(
            LIMIT,
            &format!(
                "{LIMIT}\n        - {{ name: source, in: query, required: true, schema: {{ type: string }} }}"
            ),
        )]);
        assert_only(
            &report(BASE, &new),
            &[
                "new required query parameter `source`",
                "`ListSkillsParams::source: String`",
                "every call must set it",
            ],
            true,
        );
    }

    #[test]
    fn first_parameter_of_an_operation_adds_an_argument() {
        let new = edited(&[(
            "      operationId: createSkill\n",
            "      operationId: createSkill\n      parameters:\n        - { name: dry_run, in: query, schema: { type: boolean } }\n",
        )]);
        let report = report(BASE, &new);
        assert_eq!(report.changes.len(), 2, "{}", report.to_text());
        assert!(find(
            &report,
            &["`Client::create_skill` takes a new argument `params: CreateSkillParams`"]
        ));
        assert!(!find(
            &report,
            &[
                "new optional query parameter `dry_run` (`CreateSkillParams::dry_run: Option<bool>`)"
            ]
        ));
        assert_eq!(report.verdict(), Verdict::Breaking);
    }

    #[test]
    fn parameter_removed_is_breaking() {
        let new = edited(&[(&format!("\n        {LIMIT}"), "")]);
        assert_only(
            &report(BASE, &new),
            &[
                "`Client::list_skills` no longer takes query parameter `limit`",
                "`ListSkillsParams::limit` is gone",
            ],
            true,
        );
    }

    #[test]
    fn parameter_made_required_or_optional_is_breaking() {
        let required = edited(&[(
            LIMIT,
            "- { name: limit, in: query, required: true, schema: { type: integer, format: int64 } }",
        )]);
        assert_only(
            &report(BASE, &required),
            &[
                "`Client::list_skills` query parameter `limit` is now required",
                "`ListSkillsParams::limit` changes from `Option<i64>` to `i64`",
            ],
            true,
        );
        assert_only(
            &report(&required, BASE),
            &[
                "query parameter `limit` is now optional",
                "changes from `i64` to `Option<i64>`",
                "wrap the value in `Some`",
            ],
            true,
        );
    }

    #[test]
    fn parameter_type_changed_is_breaking() {
        let new = edited(&[(
            LIMIT,
            "- { name: limit, in: query, schema: { type: string } }",
        )]);
        assert_only(
            &report(BASE, &new),
            &["`ListSkillsParams::limit` changed type: `Option<i64>` → `Option<String>`"],
            true,
        );
    }

    const TITLE: &str = "        display_title: { type: string }\n";

    #[test]
    fn optional_field_added_is_additive_and_required_is_breaking() {
        let optional = edited(&[(
            TITLE,
            &format!("{TITLE}        updated_at: {{ type: string }}\n"),
        )]);
        assert_only(
            &report(BASE, &optional),
            &["`Skill` has a new optional field `Skill::updated_at` (`Option<String>`)"],
            false,
        );
        let required = edited(&[
            (
                TITLE,
                &format!("{TITLE}        updated-at: {{ type: string }}\n"),
            ),
            ("required: [id]", "required: [id, updated-at]"),
        ]);
        assert_only(
            &report(BASE, &required),
            &[
                "`Skill` has a new required field `Skill::updated_at`",
                "(`String`, `updated-at` on the wire)",
                "must set it",
            ],
            true,
        );
    }

    #[test]
    fn field_removed_is_breaking() {
        let new = edited(&[(TITLE, "")]);
        assert_only(
            &report(BASE, &new),
            &["`Skill` lost the field `Skill::display_title`"],
            true,
        );
    }

    #[test]
    fn field_made_required_or_optional_is_breaking() {
        let required = edited(&[("required: [id]", "required: [id, display_title]")]);
        assert_only(
            &report(BASE, &required),
            &[
                "`Skill` field `display_title` is now required",
                "`Skill::display_title` changes from `Option<String>` to `String`",
            ],
            true,
        );
        assert_only(
            &report(&required, BASE),
            &[
                "`Skill` field `display_title` is now optional",
                "`Skill::display_title` changes from `String` to `Option<String>`",
            ],
            true,
        );
    }

    #[test]
    fn nullable_field_made_optional_keeps_its_type_and_is_additive() {
        let old = edited(&[
            (
                TITLE,
                "        display_title: { type: string, nullable: true }\n",
            ),
            ("required: [id]", "required: [id, display_title]"),
        ]);
        assert_only(
            &report(&old, BASE),
            &[
                "`Skill` field `display_title` is now optional",
                "keeps its type `Option<String>`",
            ],
            false,
        );
        assert_only(&report(BASE, &old), &["is now required"], true);
    }

    #[test]
    fn field_type_changed_is_breaking() {
        let new = edited(&[(
            TITLE,
            "        display_title: { type: array, items: { type: string } }\n",
        )]);
        assert_only(
            &report(BASE, &new),
            &["`Skill::display_title` changed type: `Option<String>` → `Option<Vec<String>>`"],
            true,
        );
    }

    #[test]
    fn request_body_and_response_type_changed_are_breaking() {
        let body = edited(&[(
            "schema: { $ref: '#/components/schemas/NewSkill' }",
            "schema: { $ref: '#/components/schemas/Skill' }",
        )]);
        let report_body = report(BASE, &body);
        // `NewSkill` is no longer used, but stays a component: only the argument changes.
        assert_only(
            &report_body,
            &["`Client::create_skill`'s `body` argument changed type: `NewSkill` → `Skill`"],
            true,
        );
        let response = edited(&[(
            "      operationId: getSkill\n      parameters:\n        - { name: skill_id, in: path, required: true, schema: { type: string } }\n      responses:\n        \"200\":\n          description: ok\n          content: { application/json: { schema: { $ref: '#/components/schemas/Skill' } } }",
            "      operationId: getSkill\n      parameters:\n        - { name: skill_id, in: path, required: true, schema: { type: string } }\n      responses:\n        \"200\":\n          description: ok\n          content: { application/json: { schema: { $ref: '#/components/schemas/SkillList' } } }",
        )]);
        assert_only(
            &report(BASE, &response),
            &["`Client::get_skill` now returns `SkillList` (was `Skill`)"],
            true,
        );
    }

    const TAG: &str = "    Tag:\n      type: string\n      enum: [a, b]\n";

    #[test]
    fn type_added_is_additive_and_removed_is_breaking() {
        let new = format!("{BASE}{TAG}");
        // Its values come with it: one change each way.
        assert_only(
            &report(BASE, &new),
            &["new type `Tag`, a string enum"],
            false,
        );
        assert_only(
            &report(&new, BASE),
            &["removed type `Tag` (a string enum)"],
            true,
        );
    }

    #[test]
    fn type_kind_changed_is_breaking() {
        let new = edited(&[(
            "      type: string\n      enum: [custom, anthropic]",
            "      type: object\n      properties: { name: { type: string } }",
        )]);
        assert_only(
            &report(BASE, &new),
            &["`Source` is now a struct (was a string enum)"],
            true,
        );
    }

    #[test]
    fn enum_value_added_is_additive_and_removed_is_breaking() {
        let added = edited(&[(
            "enum: [custom, anthropic]",
            "enum: [custom, anthropic, partner]",
        )]);
        assert_only(
            &report(BASE, &added),
            &["`Source` knows a new value \"partner\" (`Source::Partner`)"],
            false,
        );
        let removed = edited(&[("enum: [custom, anthropic]", "enum: [custom]")]);
        assert_only(
            &report(BASE, &removed),
            &[
                "`Source` no longer knows the value \"anthropic\"",
                "the variant `Source::Anthropic` is gone",
            ],
            true,
        );
    }

    #[test]
    fn union_variant_added_or_removed_is_breaking() {
        let image = "        - { $ref: '#/components/schemas/ImageBlock' }\n";
        let added = edited(&[(
            image,
            &format!("{image}        - {{ $ref: '#/components/schemas/TextBlock2' }}\n"),
        )]) + "    TextBlock2:\n      type: object\n      properties: { id: { type: integer } }\n";
        let report_added = report(BASE, &added);
        assert_eq!(report_added.changes.len(), 2, "{}", report_added.to_text());
        assert!(!find(&report_added, &["new type `TextBlock2`, a struct"]));
        assert!(find(
            &report_added,
            &[
                "`Block` has a new variant `Block::TextBlock2` (`TextBlock2`)",
                "`match`"
            ]
        ));
        assert_eq!(report_added.verdict(), Verdict::Breaking);

        let report_removed = report(&added, BASE);
        assert_eq!(
            report_removed.changes.len(),
            2,
            "{}",
            report_removed.to_text()
        );
        assert!(find(
            &report_removed,
            &["removed type `TextBlock2` (a struct)"]
        ));
        assert!(find(
            &report_removed,
            &["`Block` lost the variant `Block::TextBlock2` (`TextBlock2`)"]
        ));
    }

    #[test]
    fn stream_added_is_additive_and_removed_is_breaking() {
        let old = surface(BASE);
        assert!(
            old.contains("operation list_skills stream: list_skills_stream yields Skill\n"),
            "{old}"
        );
        let without: String = old
            .lines()
            .filter(|l| !l.contains(" stream: "))
            .map(|l| format!("{l}\n"))
            .collect();
        let removed = compare(&old, &without);
        assert_eq!(removed.changes.len(), 1, "{}", removed.to_text());
        assert!(find(
            &removed,
            &["removed method `Client::list_skills_stream`"]
        ));
        let added = compare(&without, &old);
        assert!(!find(
            &added,
            &["new method `Client::list_skills_stream`", "(`Skill`)"]
        ));
        assert_eq!(added.verdict(), Verdict::Additive);
    }

    #[test]
    fn client_environment_variables_are_compared() {
        let old = "client env api_key: OLD_KEY\nclient api_key header: x-api-key\n";
        let new = "client env api_key: NEW_KEY\nclient api_key header: x-api-key\nclient env base_url: BASE\n";
        let report = compare(old, new);
        assert_eq!(report.changes.len(), 2, "{}", report.to_text());
        assert!(find(
            &report,
            &["`Client::from_env` reads the api_key from `NEW_KEY` (was `OLD_KEY`)"]
        ));
        assert!(!find(
            &report,
            &["`Client::from_env` reads the base_url from `BASE`"]
        ));
    }

    #[test]
    fn unknown_lines_are_opaque_facts() {
        let old = "# @generated\nsomething new without a separator\nwidget size: 3\n";
        let new = "# @generated\nwidget size: 4\n\n";
        let report = compare(old, new);
        assert_eq!(report.changes.len(), 2, "{}", report.to_text());
        assert!(find(
            &report,
            &["removed: `something new without a separator`"]
        ));
        assert!(find(&report, &["`widget size` changed: `3` → `4`"]));
        let back = compare(new, old);
        assert!(!find(&back, &["new: `something new without a separator`"]));
        assert_eq!(back.verdict(), Verdict::Breaking);
    }

    #[test]
    fn malformed_input_never_panics() {
        let inputs = [
            "",
            ":",
            ": ",
            "\"unterminated: quote",
            "\"\\",
            "type",
            "type X",
            "type X: ",
            "type X field: required",
            "type X field \"a: b\": optional",
            "type X field y: sometimes String",
            "type X field y: required String as ",
            "operation a b c d e f: g",
            "operation: GET /",
            "operation x query: optional",
            "operation x query \"\\u00zz\": optional i64",
            "client: x",
            "type A: struct\ntype A: struct\ntype A: union",
            "\u{0}\u{7f}: é: ü",
        ];
        for old in inputs {
            for new in inputs {
                let report = compare(old, new);
                let _ = (report.to_text(), report.changelog_entry("0.1.0"));
                if old == new {
                    assert_eq!(report.verdict(), Verdict::Unchanged, "{old:?}");
                }
            }
        }
    }

    #[test]
    fn text_and_changelog_list_breaking_changes_first() {
        let new = edited(&[
            (
                "enum: [custom, anthropic]",
                "enum: [custom, anthropic, partner]",
            ),
            (TITLE, ""),
        ]);
        let report = report(BASE, &new);
        assert_eq!(
            report.to_text(),
            "breaking: `Skill` lost the field `Skill::display_title`\n\
             additive: `Source` knows a new value \"partner\" (`Source::Partner`)\n\
             verdict: breaking\n"
        );
        assert_eq!(
            report.changelog_entry("0.2.0"),
            "## 0.2.0\n\n\
             ### Breaking changes\n\n\
             - `Skill` lost the field `Skill::display_title`\n\n\
             ### Additions\n\n\
             - `Source` knows a new value \"partner\" (`Source::Partner`)\n"
        );
        assert_eq!(Verdict::Breaking.to_string(), "breaking");
        assert_eq!(Verdict::Additive.to_string(), "additive");
        assert_eq!(Verdict::Unchanged.to_string(), "unchanged");
    }

    #[test]
    fn versions_bump_by_cargo_rules() {
        let bump = |v: &str, verdict| bump_version(v, verdict);
        assert_eq!(bump("0.1.0", Verdict::Breaking).as_deref(), Some("0.2.0"));
        assert_eq!(bump("0.1.0", Verdict::Additive).as_deref(), Some("0.1.1"));
        assert_eq!(bump("0.1.0", Verdict::Unchanged).as_deref(), Some("0.1.0"));
        assert_eq!(bump("0.3.7", Verdict::Breaking).as_deref(), Some("0.4.0"));
        assert_eq!(bump("1.2.3", Verdict::Breaking).as_deref(), Some("2.0.0"));
        assert_eq!(bump("1.2.3", Verdict::Additive).as_deref(), Some("1.3.0"));
        assert_eq!(bump("1.2.3", Verdict::Unchanged).as_deref(), Some("1.2.3"));
        // In 0.0.z every release is incompatible with the last.
        assert_eq!(bump("0.0.4", Verdict::Breaking).as_deref(), Some("0.0.5"));
        assert_eq!(bump("0.0.4", Verdict::Additive).as_deref(), Some("0.0.5"));
        for bad in [
            "",
            "1",
            "1.2",
            "1.2.3.4",
            "1.2.x",
            "01.2.3",
            "1.2.3-beta.1",
            "1.2.3+b",
            " 1.2.3",
            "-1.2.3",
        ] {
            assert_eq!(bump(bad, Verdict::Additive), None, "{bad:?}");
        }
        assert_eq!(bump(&format!("{}.0.0", u64::MAX), Verdict::Breaking), None);
    }
}
