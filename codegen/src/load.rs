//! Reading a spec's text (YAML or JSON, told apart by content) into `openapiv3` types.

use crate::error::{Error, Location};

/// A parsed OpenAPI document plus what the generator needs to know about its text.
#[derive(Debug, Clone)]
pub struct Spec {
    pub api: openapiv3::OpenAPI,
    /// The raw document, for `x-` extensions and `$ref`s that `openapiv3` does not model.
    pub raw: serde_json::Value,
    /// Stable hash of the spec's text (see [`fingerprint`]).
    pub fingerprint: String,
    pub source_name: String,
    /// The text, kept to turn pointers in errors into lines and columns.
    text: String,
}

/// Refuses documents that are not OpenAPI 3.0 before typed parsing gives a vaguer error.
fn check_version(raw: &serde_json::Value) -> Result<(), Error> {
    match raw.get("openapi").and_then(serde_json::Value::as_str) {
        Some(v) if v.starts_with("3.0") => Ok(()),
        Some(v) => Err(Error::unsupported(
            "#/openapi",
            format!("OpenAPI {v} is not supported; this generator reads OpenAPI 3.0.x"),
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

/// `serde_path_to_error`'s path as JSON pointer tokens.
fn json_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    path.iter()
        .filter_map(|segment| match segment {
            Segment::Seq { index } => Some(index.to_string()),
            Segment::Map { key } => Some(crate::pointer::escape(key)),
            Segment::Enum { variant } => Some(crate::pointer::escape(variant)),
            Segment::Unknown => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// A copy of the document without what the generator never reads and `openapiv3` models
/// more narrowly than OpenAPI allows: callbacks (whose entries may be `$ref`s).
fn without_unread(raw: &serde_json::Value) -> serde_json::Value {
    let mut doc = raw.clone();
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

/// Most patches the typed parse may make before it gives up (see [`typed`]).
const MAX_TYPED_PATCHES: usize = 64;

/// The typed view of the document, tolerant where the generator is: it reads schemas from
/// the raw document, so a schema `openapiv3` cannot hold (3.1 syntax such as
/// `type: [string, "null"]`, a bound beyond `i64`) is emptied in a copy for the typed view
/// only, and a number or boolean where text belongs (`version: 1.0`) becomes text; callbacks
/// are left out of it (see [`without_unread`]). Anything else, or a node that still fails
/// once patched, is the first error.
fn typed(
    raw: &serde_json::Value,
) -> Result<openapiv3::OpenAPI, serde_path_to_error::Error<serde_json::Error>> {
    let mut first_error = None;
    let mut copy: Option<serde_json::Value> = None;
    let mut patched = std::collections::HashSet::new();
    for _ in 0..=MAX_TYPED_PATCHES {
        let error = match serde_path_to_error::deserialize(copy.as_ref().unwrap_or(raw)) {
            Ok(api) => return Ok(api),
            Err(error) => error,
        };
        let pointer = json_pointer(error.path());
        let message = error.inner().to_string();
        first_error.get_or_insert(error);
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

impl Spec {
    /// Parses `text`; `source_name` (a file path) is quoted in errors.
    pub fn parse(text: &str, source_name: &str) -> Result<Spec, Error> {
        let with_source = |mut e: Error| {
            e.source_name = Some(source_name.to_string());
            e
        };
        let raw: serde_json::Value = if looks_like_json(text) {
            serde_json::from_str(text).map_err(|e| {
                with_source(Error {
                    source_name: None,
                    pointer: "#".into(),
                    location: Some(Location {
                        line: e.line(),
                        column: e.column(),
                    }),
                    message: format!("invalid JSON: {e}"),
                })
            })?
        } else {
            crate::value::from_yaml(text).map_err(|e| {
                with_source(Error {
                    source_name: None,
                    pointer: "#".into(),
                    location: e.location().map(|l| Location {
                        line: l.line(),
                        column: l.column(),
                    }),
                    message: format!("invalid YAML: {e}"),
                })
            })?
        };
        check_version(&raw).map_err(|mut e| {
            e.location = crate::locate::position(text, &e.pointer);
            with_source(e)
        })?;
        let api: openapiv3::OpenAPI = typed(&raw).map_err(|e| {
            let pointer = format!("#/{}", json_pointer(e.path()));
            let location = crate::locate::position(text, &pointer);
            with_source(Error {
                source_name: None,
                pointer,
                location,
                message: format!("not a valid OpenAPI 3.0 document: {}", e.inner()),
            })
        })?;
        Ok(Spec {
            api,
            raw,
            fingerprint: fingerprint(text),
            source_name: source_name.to_string(),
            text: text.to_string(),
        })
    }
}

fn looks_like_json(text: &str) -> bool {
    text.trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('{')
}

/// FNV-1a 64 over the text with `\r\n` folded to `\n`, as 16 hex digits. The generated
/// build script computes the same function, so keep the two in step.
pub fn fingerprint(text: &str) -> String {
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

impl Spec {
    /// Adds the source name and, where the pointer can be found in the text, line and column.
    pub(crate) fn locate(&self, mut error: Error) -> Error {
        error.source_name = Some(self.source_name.clone());
        if error.location.is_none() && error.pointer.starts_with("#/") {
            error.location = crate::locate::position(&self.text, &error.pointer);
        }
        error
    }
}
