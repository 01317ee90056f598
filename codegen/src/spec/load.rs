//! Reading a spec's text (YAML or JSON, told apart by content) into the raw document the
//! views read, checked against `openapiv3`'s model of OpenAPI so that a malformed
//! document is refused with a pointer before any stage reads it.

use std::borrow::Cow;

use crate::error::{Error, Location};
use crate::spec::overlay::{Overlay, Touched};
use crate::spec::select::{Selection, SelectionSummary};

/// A parsed OpenAPI document plus what the generator needs to know about its text.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The document every stage reads through [`Spec::document`]: 3.1 rewritten to 3.0
    /// shapes and, with an overlay, selected, overlaid and pruned.
    raw: serde_json::Value,
    /// Stable hash of the spec's text (see [`fingerprint`]).
    fingerprint: String,
    /// Stable hash of the overlay's text, when there is one.
    overlay_fingerprint: Option<String>,
    /// Name of the spec's source (usually its file path), for messages.
    source_name: String,
    /// What the tolerant reader stood in for, to be shown to the user.
    warnings: Vec<Warning>,
    /// What the overlay's `x-select` kept, when it has one.
    selection: Option<SelectionSummary>,
    /// The text, kept to turn pointers in errors into lines and columns.
    text: String,
    /// The overlay and the nodes its actions wrote, so errors there point into it.
    overlay: Option<(Overlay, Vec<Touched>)>,
}

/// The size of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Statistics {
    /// Operations under `paths`.
    pub operations: usize,
    /// Schemas under `components.schemas`.
    pub schemas: usize,
}

/// Something the document lacks or gets wrong that the reader stood in for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// JSON pointer into the document.
    pub pointer: String,
    /// What was wrong and what the reader did instead.
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "at {}: {}", self.pointer, self.message)
    }
}

/// Fills in required fields a real document may lack where the stand-in is obvious (an
/// empty `info.version`, a title), recording a warning for each, instead of refusing it.
fn stand_ins(raw: &mut serde_json::Value, warnings: &mut Vec<Warning>) {
    use serde_json::Value;
    let Some(root) = raw.as_object_mut() else {
        return;
    };
    let info = root
        .entry("info")
        .or_insert_with(|| Value::Object(serde_json::Map::new()));
    let Some(info) = info.as_object_mut() else {
        return;
    };
    for (key, stand_in) in [("title", "API"), ("version", "")] {
        // A number (`version: 1.0` in YAML) is the text it was written as.
        if let Some(number) = info.get_mut(key).filter(|v| v.is_number()) {
            *number = Value::String(number.to_string());
        }
        if !matches!(info.get(key), Some(Value::String(_))) {
            warnings.push(Warning {
                pointer: format!("#/info/{key}"),
                message: format!(
                    "the document has no `info.{key}`, which OpenAPI requires; read as {stand_in:?}"
                ),
            });
            info.insert(key.to_string(), Value::String(stand_in.to_string()));
        }
    }
}

/// Refuses documents that are not OpenAPI 3.0, 3.1 or 3.2 before typed parsing gives a
/// vaguer error.
fn check_version(raw: &serde_json::Value) -> Result<(), Error> {
    match raw.get("openapi").and_then(serde_json::Value::as_str) {
        Some(v) if ["3.0", "3.1", "3.2"].iter().any(|known| minor_is(v, known)) => Ok(()),
        Some(v) => Err(Error::unsupported(
            "#/openapi",
            format!(
                "OpenAPI {v} is not supported; this generator reads OpenAPI 3.0.x, 3.1.x and 3.2.x"
            ),
        )),
        None if raw.get("swagger").is_some() => Err(Error::unsupported(
            "#/swagger",
            "Swagger 2.0 is not supported; convert the document to OpenAPI 3.0 first",
        )),
        None => Err(Error::unsupported(
            "#",
            "not an OpenAPI document: no `openapi` field",
        )),
    }
}

/// Whether version `v` is `minor` (`3.1`) or a patch of it (`3.1.0`, not `3.10`).
fn minor_is(v: &str, minor: &str) -> bool {
    v.strip_prefix(minor)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
}

/// `serde_path_to_error`'s path as JSON pointer tokens.
fn json_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    path.iter()
        .filter_map(|segment| match segment {
            Segment::Seq { index } => Some(index.to_string()),
            Segment::Map { key } => Some(crate::spec::pointer::escape(key).into_owned()),
            Segment::Enum { variant } => Some(crate::spec::pointer::escape(variant).into_owned()),
            Segment::Unknown => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// A copy of the document without what the generator never reads and `openapiv3` models
/// more narrowly than OpenAPI allows: callbacks (whose entries may be `$ref`s); and with
/// 3.2's `in: querystring` read as `in: query`, which `openapiv3` knows.
fn without_unread(raw: &serde_json::Value) -> serde_json::Value {
    let mut doc = raw.clone();
    if crate::spec::oas32::is_32(&doc) {
        querystring_as_query(&mut doc);
    }
    if let Some(paths) = doc
        .get_mut("paths")
        .and_then(serde_json::Value::as_object_mut)
    {
        for item in paths
            .values_mut()
            .filter_map(serde_json::Value::as_object_mut)
        {
            for operation in item
                .values_mut()
                .filter_map(serde_json::Value::as_object_mut)
            {
                operation.remove("callbacks");
            }
        }
    }
    if let Some(components) = doc
        .get_mut("components")
        .and_then(serde_json::Value::as_object_mut)
    {
        components.remove("callbacks");
    }
    doc
}

/// Every parameter `in: querystring` as `in: query`, for the typed check only.
fn querystring_as_query(node: &mut serde_json::Value) {
    use serde_json::Value;
    match node {
        Value::Object(map) => {
            if map.get("in").and_then(Value::as_str) == Some("querystring")
                && map.contains_key("name")
            {
                map.insert("in".into(), Value::String("query".into()));
            }
            map.values_mut().for_each(querystring_as_query);
        }
        Value::Array(items) => items.iter_mut().for_each(querystring_as_query),
        _ => {}
    }
}

/// Whether a document's skeleton passes the typed check (see `skeleton.rs`).
fn passes_check(skeleton: serde_json::Value) -> bool {
    serde_json::from_value::<openapiv3::OpenAPI>(skeleton).is_ok()
}

/// Most patches the typed parse may make before it gives up (see [`typed`]).
const MAX_TYPED_PATCHES: usize = 64;

/// The typed view of the document, tolerant where the generator is: it reads schemas from
/// the raw document, so a schema `openapiv3` cannot hold (3.1 syntax such as
/// `type: [string, "null"]`, a bound beyond `i64`) is emptied in a copy for the typed view
/// only, and a number or boolean where text belongs (`version: 1.0`) becomes text; callbacks
/// are left out of it (see [`without_unread`]). Anything else, or a node that still fails
/// once patched, is the first error.
fn typed(raw: &serde_json::Value) -> Result<openapiv3::OpenAPI, TypedError> {
    let mut first_error = None;
    let mut copy: Option<serde_json::Value> = None;
    let mut patched = std::collections::HashSet::new();
    for _ in 0..=MAX_TYPED_PATCHES {
        let doc = copy.as_ref().unwrap_or(raw);
        let error = match serde_path_to_error::deserialize(doc) {
            Ok(api) => return Ok(api),
            Err(error) => error,
        };
        let mut pointer = json_pointer(error.path());
        let mut message = error.inner().to_string();
        if pointer == "paths"
            && let Some((deeper, why)) = inside_paths(doc)
        {
            (pointer, message) = (deeper, why);
        }
        first_error.get_or_insert_with(|| TypedError {
            pointer: pointer.clone(),
            message: message.clone(),
        });
        let Some(doc) = copy.as_mut() else {
            copy = Some(without_unread(raw));
            continue;
        };
        if !patched.insert(pointer.clone()) {
            break;
        }
        let node = if pointer.is_empty() {
            None
        } else {
            doc.pointer_mut(&format!("/{pointer}"))
        };
        let Some(node) = node else { break };
        let in_schema = pointer.split('/').any(|token| {
            matches!(
                token,
                "schema"
                    | "schemas"
                    | "properties"
                    | "items"
                    | "additionalProperties"
                    | "allOf"
                    | "anyOf"
                    | "oneOf"
                    | "not"
            )
        });
        match node {
            serde_json::Value::Number(_) | serde_json::Value::Bool(_)
                if message.contains("expected a string") =>
            {
                *node = serde_json::Value::String(node.to_string());
            }
            _ if in_schema && node.is_object() => {
                *node = serde_json::Value::Object(serde_json::Map::new())
            }
            _ => break,
        }
    }
    Err(first_error.expect("the loop runs at least once and records every error"))
}

/// Where the typed parse failed (JSON pointer tokens, no leading `#/`) and why.
struct TypedError {
    pointer: String,
    message: String,
}

/// The first node under `paths` that does not parse, found piece by piece: `openapiv3`
/// reads paths, path items and operations through `#[serde(flatten)]`, which hides where
/// inside them an error is.
fn inside_paths(doc: &serde_json::Value) -> Option<(String, String)> {
    use openapiv3::{Operation, Parameter, PathItem, ReferenceOr, RequestBody, Response};
    use serde_json::Value;
    fn check<T: serde::de::DeserializeOwned>(value: &Value, at: &str) -> Option<(String, String)> {
        let error = serde_path_to_error::deserialize::<_, T>(value).err()?;
        let inner = json_pointer(error.path());
        let pointer = if inner.is_empty() {
            at.to_string()
        } else {
            format!("{at}/{inner}")
        };
        Some((pointer, error.inner().to_string()))
    }
    let escape = crate::spec::pointer::escape;
    for (key, item) in doc.get("paths")?.as_object()? {
        if key.starts_with("x-") {
            continue;
        }
        let item_at = format!("paths/{}", escape(key));
        let Some(found) = check::<ReferenceOr<PathItem>>(item, &item_at) else {
            continue;
        };
        let Some(item) = item.as_object().filter(|_| found.0 == item_at) else {
            return Some(found);
        };
        for (name, value) in item {
            let at = format!("{item_at}/{}", escape(name));
            let deeper = match name.as_str() {
                key if crate::spec::view::HttpMethod::from_key(key).is_some() => {
                    check::<Operation>(value, &at).map(|found| operation_part(value, &at, found))
                }
                "parameters" => list::<ReferenceOr<Parameter>>(value, &at),
                _ => None,
            };
            if deeper.is_some() {
                return deeper;
            }
        }
        return Some(found);
    }
    return None;

    fn list<T: serde::de::DeserializeOwned>(value: &Value, at: &str) -> Option<(String, String)> {
        value.as_array()?.iter().enumerate().find_map(|(i, v)| {
            let at = format!("{at}/{i}");
            check::<T>(v, &at).map(|found| in_schemas(v, &at, found))
        })
    }
    /// A parameter, body or response that fails as a whole may fail in one of its
    /// schemas, which the patching above can then leave out of the typed view.
    fn in_schemas(value: &Value, at: &str, found: (String, String)) -> (String, String) {
        if found.0 != at {
            return found;
        }
        let direct = value
            .get("schema")
            .map(|schema| (format!("{at}/schema"), schema));
        let content = value
            .get("content")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .filter_map(|(media, entry)| {
                let schema = entry.get("schema")?;
                Some((
                    format!(
                        "{at}/content/{}/schema",
                        crate::spec::pointer::escape(media)
                    ),
                    schema,
                ))
            });
        direct
            .into_iter()
            .chain(content)
            .find_map(|(at, schema)| check::<ReferenceOr<openapiv3::Schema>>(schema, &at))
            .unwrap_or(found)
    }
    fn operation_part(op: &Value, at: &str, found: (String, String)) -> (String, String) {
        let parts = [
            op.get("parameters")
                .and_then(|v| list::<ReferenceOr<Parameter>>(v, &format!("{at}/parameters"))),
            op.get("requestBody").and_then(|v| {
                let at = format!("{at}/requestBody");
                check::<ReferenceOr<RequestBody>>(v, &at).map(|found| in_schemas(v, &at, found))
            }),
            op.get("responses")
                .and_then(Value::as_object)
                .and_then(|responses| {
                    responses.iter().find_map(|(code, v)| {
                        let at = format!("{at}/responses/{}", crate::spec::pointer::escape(code));
                        check::<ReferenceOr<Response>>(v, &at)
                            .map(|found| in_schemas(v, &at, found))
                    })
                }),
        ];
        // A part that fails on its own points deeper than the operation's error can.
        parts
            .into_iter()
            .flatten()
            .find(|part| part.0.len() > found.0.len())
            .unwrap_or(found)
    }
}

impl Spec {
    /// The typed view of the document.
    pub(crate) fn document(&self) -> crate::spec::view::Document<'_> {
        crate::spec::view::Document::new(&self.raw)
    }

    /// The document as the generator reads it (a 3.1 document in 3.0 shapes; with an
    /// overlay, selected, overlaid and pruned), as JSON text.
    pub fn document_json(&self) -> String {
        serde_json::to_string_pretty(&self.raw).unwrap_or_default()
    }

    /// `info.title` (the tolerant reader stands in for a missing one).
    pub fn title(&self) -> &str {
        self.document().title().unwrap_or_default()
    }

    /// `info.version` (the tolerant reader stands in for a missing one).
    pub fn version(&self) -> &str {
        self.document().version().unwrap_or_default()
    }

    /// The package name the spec asks for (`info.x-crate-name`), if any.
    pub fn crate_name(&self) -> Option<&str> {
        self.document().crate_name()
    }

    /// How many operations and component schemas the document (as generated) has.
    pub fn statistics(&self) -> Statistics {
        let (operations, schemas) = self.document().statistics();
        Statistics {
            operations,
            schemas,
        }
    }

    /// Stable hash of the spec's text (see [`fingerprint`]).
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// Stable hash of the overlay's text, when there is one.
    pub fn overlay_fingerprint(&self) -> Option<&str> {
        self.overlay_fingerprint.as_deref()
    }

    /// The name the spec was read under (a file path), as errors quote it.
    pub fn source_name(&self) -> &str {
        &self.source_name
    }

    /// What the tolerant reader stood in for, to be shown to the user.
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// What the overlay's `x-select` kept, when it has one.
    pub fn selection(&self) -> Option<&SelectionSummary> {
        self.selection.as_ref()
    }

    /// Parses `text`; `source_name` (a file path) is quoted in errors.
    pub fn parse(text: &str, source_name: &str) -> Result<Spec, Error> {
        Spec::parse_with_overlay(text, source_name, None)
    }

    /// Parses `text` and, when given, applies `overlay` to it: first its `x-select` rule
    /// (on the document as written), then its actions in order, then the pruning of what
    /// the selected operations do not reach. Errors point into whichever file caused them.
    pub fn parse_with_overlay(
        text: &str,
        source_name: &str,
        overlay: Option<&Overlay>,
    ) -> Result<Spec, Error> {
        Spec::read(Cow::Borrowed(text), source_name, overlay)
    }

    /// [`Spec::parse_with_overlay`] of text handed over: the spec keeps it (to place
    /// errors) as it is, where a borrowed text is copied (for a large document, a second
    /// copy of it in memory).
    pub fn parse_owned(
        text: String,
        source_name: &str,
        overlay: Option<&Overlay>,
    ) -> Result<Spec, Error> {
        Spec::read(Cow::Owned(text), source_name, overlay)
    }

    fn read(
        whole: Cow<'_, str>,
        source_name: &str,
        overlay: Option<&Overlay>,
    ) -> Result<Spec, Error> {
        let with_source = |mut e: Error| {
            e.source_name = Some(source_name.to_string());
            e
        };
        // The fingerprint covers the file as written (the generated build script hashes
        // the file); the parsers get the text without a byte-order mark.
        let original = &*whole;
        let text = original.strip_prefix('\u{feff}').unwrap_or(original);
        let json = looks_like_json(text);
        // JSON: another thread checks the document's skeleton read straight from the text
        // (see below) and hashes the text while this one reads the document.
        let (raw, quick, fingerprint) = std::thread::scope(|scope| {
            let other = scope.spawn(|| {
                let quick = (json && overlay.is_none())
                    .then(|| crate::spec::skeleton::from_json(text).is_some_and(passes_check));
                (quick == Some(true), fingerprint(original))
            });
            let raw = raw_document(text, json);
            let (quick, fingerprint) = other
                .join()
                .unwrap_or_else(|_| (false, fingerprint(original)));
            (raw, quick, fingerprint)
        });
        let mut raw = raw.map_err(with_source)?;
        // `openapi: 3.0` unquoted in YAML is a number; the version is meant.
        if let Some(version) = raw.get_mut("openapi").filter(|v| v.is_number()) {
            *version = serde_json::Value::String(version.to_string());
        }
        check_version(&raw).map_err(|mut e| {
            e.location = crate::spec::locate::position(text, &e.pointer);
            with_source(e)
        })?;
        let (selection, touched) = match overlay {
            Some(overlay) => apply_overlay(&mut raw, overlay)?,
            None => (None, Vec::new()),
        };
        let mut warnings = Vec::new();
        stand_ins(&mut raw, &mut warnings);
        let version = raw
            .get("openapi")
            .and_then(serde_json::Value::as_str)
            .map(|v| v.chars().take(3).collect::<String>())
            .unwrap_or_default();
        if crate::spec::oas32::is_32(&raw) {
            // What 3.2 adds, before the 3.1 pass reads its schemas.
            crate::spec::oas32::normalize(&mut raw, &mut warnings);
        }
        let oas31 = crate::spec::oas31::is_31(&raw);
        if oas31 {
            // Both views below come from the 3.0 shapes of the document.
            crate::spec::oas31::normalize(&mut raw);
        }
        // The typed parse is a check: its value is not kept, since the views read the
        // raw document (where every `$ref` and extension is). It reads the document's
        // skeleton first (`skeleton.rs`): the one read from the text above (the document as
        // written, unless 3.1 shapes were rewritten since), else the one of the document
        // as read. Only when that fails does the whole document go through it, which
        // decides and gives the error its pointer.
        let passes = (quick && !oas31) || passes_check(crate::spec::skeleton::skeleton(&raw));
        if !passes {
            typed(&raw)
                .map_err(|e| {
                    let pointer = if e.pointer.is_empty() {
                        "#".to_string()
                    } else {
                        format!("#/{}", e.pointer)
                    };
                    let location = crate::spec::locate::position(text, &pointer);
                    with_source(Error {
                        source_name: None,
                        pointer,
                        location,
                        message: format!("not a valid OpenAPI {version} document: {}", e.message),
                    })
                })
                .map(drop)?;
        }
        Ok(Spec {
            raw,
            fingerprint,
            overlay_fingerprint: overlay.map(Overlay::fingerprint),
            source_name: source_name.to_string(),
            warnings,
            selection,
            text: match whole {
                Cow::Owned(mut text) => {
                    if text.starts_with('\u{feff}') {
                        text.drain(..'\u{feff}'.len_utf8());
                    }
                    text
                }
                Cow::Borrowed(_) => text.to_string(),
            },
            overlay: overlay.map(|o| (o.clone(), touched)),
        })
    }
}

/// Applies an overlay to a document: its `x-select` rule first (on the document as
/// published, so the rule speaks of what upstream names), then its actions, then the
/// pruning of what the kept operations do not reach.
fn apply_overlay(
    raw: &mut serde_json::Value,
    overlay: &Overlay,
) -> Result<(Option<SelectionSummary>, Vec<Touched>), Error> {
    let rule = overlay
        .extension("x-select")
        .map(|rule| Selection::read(rule, "#/x-select"))
        .transpose()
        .map_err(|e| overlay.error(&e.pointer, e.message))?;
    let selected = rule
        .map(|rule| rule.remove_unselected(raw))
        .transpose()
        .map_err(|e| overlay.error(&e.pointer, e.message))?;
    let touched = overlay.apply_tracked(raw)?;
    let selection = selected.map(|selected| selected.prune(raw));
    check_version(raw).map_err(|e| overlay.error("#", e.message))?;
    Ok((selection, touched))
}

/// The document a spec and its overlay make together, as JSON: what a mock server or any
/// other OpenAPI tool should be given to see the API this generator sees.
pub fn effective_document(
    text: &str,
    source_name: &str,
    overlay: &Overlay,
) -> Result<String, Error> {
    let document = overlaid(text, source_name, overlay)?;
    Ok(serde_json::to_string_pretty(&document).unwrap_or_default())
}

/// [`effective_document`] for mock servers that match path keys literally (Prism among
/// them): a path key's query string (`/v1/skills?beta=true`) becomes a required,
/// single-value query parameter of each of its operations, so the mock still checks that
/// the client sends it.
pub fn mock_document(text: &str, source_name: &str, overlay: &Overlay) -> Result<String, Error> {
    use serde_json::{Value, json};
    let mut document = overlaid(text, source_name, overlay)?;
    if let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) {
        let mut moved = serde_json::Map::new();
        for (key, mut item) in std::mem::take(paths) {
            let (pieces, pairs) = crate::spec::path::request_path(&key);
            let path = crate::spec::path::template_text(&pieces);
            if pairs.is_empty() {
                moved.insert(key, item);
                continue;
            }
            use crate::spec::view::{ADDITIONAL_OPERATIONS, HttpMethod};
            let operations = item
                .as_object_mut()
                .into_iter()
                .flatten()
                .flat_map(|(key, node)| {
                    // 3.2's `additionalOperations` holds operations one level down.
                    let nested: Vec<&mut Value> = if key == ADDITIONAL_OPERATIONS {
                        node.as_object_mut()
                            .map(|map| map.values_mut().collect())
                            .unwrap_or_default()
                    } else if HttpMethod::from_key(key).is_some() {
                        vec![node]
                    } else {
                        Vec::new()
                    };
                    nested.into_iter()
                })
                .filter_map(Value::as_object_mut);
            for operation in operations {
                let parameters = operation
                    .entry("parameters")
                    .or_insert_with(|| Value::Array(Vec::new()));
                if let Some(parameters) = parameters.as_array_mut() {
                    parameters.extend(pairs.iter().map(|(name, value)| {
                        json!({
                            "name": name, "in": "query", "required": true,
                            "schema": {"type": "string", "enum": [value]}
                        })
                    }));
                }
            }
            moved.insert(path, item);
        }
        *paths = moved;
    }
    Ok(serde_json::to_string_pretty(&document).unwrap_or_default())
}

/// The document read from `text` with `overlay` applied (selection, actions, pruning).
fn overlaid(text: &str, source_name: &str, overlay: &Overlay) -> Result<serde_json::Value, Error> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let with_source = |mut e: Error| {
        e.source_name = Some(source_name.to_string());
        e.location = e
            .location
            .or_else(|| crate::spec::locate::position(text, &e.pointer));
        e
    };
    let mut raw = read_value(text).map_err(with_source)?;
    check_version(&raw).map_err(with_source)?;
    apply_overlay(&mut raw, overlay)?;
    Ok(raw)
}

/// A document's text as a value: JSON read as JSON, anything else as (tolerant) YAML.
pub(crate) fn read_value(text: &str) -> Result<serde_json::Value, Error> {
    raw_document(text, looks_like_json(text))
}

/// The raw document: JSON read as JSON, anything else as (tolerant) YAML.
fn raw_document(text: &str, json: bool) -> Result<serde_json::Value, Error> {
    if json {
        serde_json::from_str(text).map_err(|e| Error {
            source_name: None,
            pointer: "#".into(),
            location: Some(Location {
                line: e.line(),
                column: e.column(),
            }),
            message: format!("invalid JSON: {e}"),
        })
    } else {
        crate::spec::value::from_yaml(text).map_err(|e| Error {
            source_name: None,
            pointer: "#".into(),
            location: e.location().map(|l| Location {
                line: l.line(),
                column: l.column(),
            }),
            message: format!("invalid YAML: {e}"),
        })
    }
}

fn looks_like_json(text: &str) -> bool {
    text.trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('{')
}

/// Stable hash of a spec's or overlay's text: FNV-1a 64 with `\r\n` folded to `\n`, as
/// 16 hex digits. The generated build script recomputes it with the same function.
pub fn fingerprint(text: &str) -> String {
    crate::fingerprint::of_text(text)
}

impl Spec {
    /// Adds the source name and, where the pointer can be found in the text, line and column.
    pub(crate) fn locate(&self, mut error: Error) -> Error {
        if let Some((overlay, touched)) = &self.overlay
            && error.pointer.starts_with("#/")
            && let Some(action) = Touched::last_covering(touched, &error.pointer)
        {
            // The node was written by the overlay: point at the action that wrote it.
            return overlay.error(
                &format!("#/actions/{action}"),
                format!(
                    "{} (at {} of the document with the overlay applied, written by action {action})",
                    error.message, error.pointer
                ),
            );
        }
        error.source_name = Some(self.source_name.clone());
        if error.location.is_none() && error.pointer.starts_with("#/") {
            error.location = crate::spec::locate::position(&self.text, &error.pointer);
        }
        error
    }
}
