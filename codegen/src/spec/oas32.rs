//! What OpenAPI 3.2 adds to 3.1, read before the 3.1 pass ([`crate::spec::oas31`]) rewrites
//! the document to 3.0 shapes (which it does for 3.2 as for 3.1: `itemSchema` included).
//!
//! - `$self` (the document's own URI, the base of its relative references): a `$ref` that
//!   resolves to this document by that URI becomes the local `#…` reference it means.
//! - `components.mediaTypes` (reusable Media Type Objects): a `$ref` to one in a `content`
//!   map is replaced by a copy of it, so every later stage finds its `schema` in place.
//! - `query` (a fixed field now) and `additionalOperations` are read by the view
//!   ([`crate::spec::view::HttpMethod`]); a key of `additionalOperations` that names no
//!   method of its own (a fixed field's method, or no HTTP token) is dropped with a warning.
//! - `in: querystring`: a form-encoded one (`application/x-www-form-urlencoded`) becomes a
//!   parameter serialized as the whole query string; any other media type has no Rust form
//!   yet and is left out with a warning.
//! - Tags' `parent`, `kind` and `summary` are read by the view; a `parent` that names no
//!   tag, or a cycle of parents, is reported.
//! - `itemSchema` (each item of a sequential media type, such as `application/jsonl` or
//!   `text/event-stream`) stays in the document for the view; the client reads such a
//!   body whole, and a media type with `itemSchema` but no `schema` is reported.
//!
//! Everything is reported as a [`Warning`] with its JSON pointer, never dropped silently.
//! The pass is idempotent.

use serde_json::{Map, Value};

use crate::spec::load::Warning;
use crate::spec::pointer;
use crate::spec::view::{ADDITIONAL_OPERATIONS, HttpMethod};

/// Whether the document declares OpenAPI 3.2.
pub(crate) fn is_32(raw: &Value) -> bool {
    raw.get("openapi")
        .and_then(Value::as_str)
        .is_some_and(|v| v.starts_with("3.2"))
}

/// Reads what 3.2 adds (see the module docs), in place, reporting what it cannot map.
pub(crate) fn normalize(doc: &mut Value, warnings: &mut Vec<Warning>) {
    if let Some(base) = doc.get("$self").and_then(Value::as_str).map(str::to_string) {
        local_references(doc, &base);
    }
    let media_types = doc
        .get("components")
        .and_then(|c| c.get("mediaTypes"))
        .cloned();
    let mut walk = Walk {
        warnings,
        media_types: media_types.as_ref(),
    };
    let Some(root) = doc.as_object_mut() else {
        return;
    };
    for section in ["paths", "webhooks"] {
        if let Some(Value::Object(items)) = root.get_mut(section) {
            for (key, item) in items.iter_mut() {
                walk.path_item(item, &format!("#/{section}/{}", pointer::escape(key)));
            }
        }
    }
    if let Some(Value::Object(components)) = root.get_mut("components") {
        for (section, kind) in [
            ("pathItems", Kind::PathItem),
            ("parameters", Kind::Parameter),
            ("requestBodies", Kind::Content),
            ("responses", Kind::Content),
            ("mediaTypes", Kind::Media),
        ] {
            if let Some(Value::Object(entries)) = components.get_mut(section) {
                for (key, node) in entries.iter_mut() {
                    let at = format!("#/components/{section}/{}", pointer::escape(key));
                    match kind {
                        Kind::PathItem => walk.path_item(node, &at),
                        Kind::Parameter => walk.parameter(node, &at),
                        Kind::Content => walk.content(node, &at),
                        Kind::Media => walk.media_type(node, &at),
                    }
                }
            }
        }
    }
    tags(root, walk.warnings);
}

#[derive(Clone, Copy)]
enum Kind {
    PathItem,
    Parameter,
    Content,
    Media,
}

/// The walk over the document's structure, with what it needs to report and resolve.
struct Walk<'w> {
    warnings: &'w mut Vec<Warning>,
    /// `components.mediaTypes` as written, for `$ref`s to them.
    media_types: Option<&'w Value>,
}

impl Walk<'_> {
    fn warn(&mut self, pointer: String, message: impl Into<String>) {
        self.warnings.push(Warning {
            pointer,
            message: message.into(),
        });
    }

    fn path_item(&mut self, item: &mut Value, at: &str) {
        let Some(item) = item.as_object_mut() else {
            return;
        };
        if let Some(Value::Object(additional)) = item.get_mut(ADDITIONAL_OPERATIONS) {
            let mut refused = Vec::new();
            additional.retain(|key, _| match HttpMethod::additional(key) {
                Ok(_) => true,
                Err(why) => {
                    refused.push((key.clone(), why));
                    false
                }
            });
            for (key, why) in refused {
                self.warn(
                    format!("{at}/{ADDITIONAL_OPERATIONS}/{}", pointer::escape(&key)),
                    format!("`{key}` {why}; the operation is left out"),
                );
            }
        }
        for (key, value) in item.iter_mut() {
            let here = format!("{at}/{}", pointer::escape(key));
            if key == "parameters" {
                self.parameters(value, &here);
            } else if HttpMethod::from_key(key).is_some() {
                self.operation(value, &here);
            } else if key == ADDITIONAL_OPERATIONS
                && let Value::Object(operations) = value
            {
                for (method, op) in operations.iter_mut() {
                    self.operation(op, &format!("{here}/{}", pointer::escape(method)));
                }
            }
        }
    }

    fn operation(&mut self, op: &mut Value, at: &str) {
        let Some(op) = op.as_object_mut() else {
            return;
        };
        for (key, value) in op.iter_mut() {
            let here = format!("{at}/{}", pointer::escape(key));
            match key.as_str() {
                "parameters" => self.parameters(value, &here),
                "requestBody" => self.content(value, &here),
                "responses" => {
                    if let Value::Object(responses) = value {
                        for (code, response) in responses.iter_mut() {
                            self.content(response, &format!("{here}/{}", pointer::escape(code)));
                        }
                    }
                }
                "callbacks" => {
                    if let Value::Object(callbacks) = value {
                        for (name, callback) in callbacks.iter_mut() {
                            let Value::Object(expressions) = callback else {
                                continue;
                            };
                            for (expression, item) in expressions.iter_mut() {
                                let at = format!(
                                    "{here}/{}/{}",
                                    pointer::escape(name),
                                    pointer::escape(expression)
                                );
                                self.path_item(item, &at);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn parameters(&mut self, list: &mut Value, at: &str) {
        if let Value::Array(list) = list {
            for (i, param) in list.iter_mut().enumerate() {
                self.parameter(param, &format!("{at}/{i}"));
            }
        }
    }

    fn parameter(&mut self, param: &mut Value, at: &str) {
        if param.get("in").and_then(Value::as_str) == Some("querystring") {
            let media = param
                .get("content")
                .and_then(Value::as_object)
                .and_then(|content| content.keys().next())
                .cloned();
            if let Some(media) = media
                && crate::spec::view::MediaType(&media).kind() != crate::spec::view::MediaKind::Form
            {
                self.warn(
                    format!("{at}/content/{}", pointer::escape(&media)),
                    format!(
                        "a `querystring` parameter in `{media}` has no Rust form yet (only \
                         application/x-www-form-urlencoded has); the parameter is left out"
                    ),
                );
            }
        }
        self.content(param, at);
    }

    /// The `content` map of a request body, response, parameter or header.
    fn content(&mut self, node: &mut Value, at: &str) {
        let Some(node) = node.as_object_mut() else {
            return;
        };
        if let Some(Value::Object(headers)) = node.get_mut("headers") {
            for (name, header) in headers.iter_mut() {
                self.content(header, &format!("{at}/headers/{}", pointer::escape(name)));
            }
        }
        if let Some(Value::Object(content)) = node.get_mut("content") {
            for (media, entry) in content.iter_mut() {
                self.media_type(entry, &format!("{at}/content/{}", pointer::escape(media)));
            }
        }
    }

    fn media_type(&mut self, entry: &mut Value, at: &str) {
        if let Some(reference) = entry.get("$ref").and_then(Value::as_str) {
            let target = reference
                .strip_prefix("#/components/mediaTypes/")
                .map(|name| name.replace("~1", "/").replace("~0", "~"))
                .and_then(|name| self.media_types?.get(&name))
                .filter(|target| target.get("$ref").is_none());
            match target {
                Some(target) => *entry = target.clone(),
                None => {
                    self.warn(
                        format!("{at}/$ref"),
                        format!(
                            "`{reference}` is not a Media Type Object under \
                             `components.mediaTypes`; the media type is read as untyped"
                        ),
                    );
                    return;
                }
            }
        }
        if entry.get("itemSchema").is_some() && entry.get("schema").is_none() {
            self.warn(
                format!("{at}/itemSchema"),
                "`itemSchema` types each item of a stream, which the client does not read \
                 item by item yet; the body is read whole, untyped",
            );
        }
    }
}

/// Tags' `parent`s: each must name a tag, and following them must end.
fn tags(root: &Map<String, Value>, warnings: &mut Vec<Warning>) {
    let Some(Value::Array(tags)) = root.get("tags") else {
        return;
    };
    fn name(tag: &Value) -> Option<&str> {
        tag.get("name").and_then(Value::as_str)
    }
    fn parent(tag: &Value) -> Option<&str> {
        tag.get("parent").and_then(Value::as_str)
    }
    let find = |wanted: &str| tags.iter().find(|t| name(t) == Some(wanted));
    for (i, tag) in tags.iter().enumerate() {
        let Some(first) = parent(tag) else { continue };
        let at = format!("#/tags/{i}/parent");
        if find(first).is_none() {
            warnings.push(Warning {
                pointer: at,
                message: format!(
                    "tag parent `{first}` names no tag; the tag is read as a top-level one"
                ),
            });
            continue;
        }
        // A chain of parents longer than the list of tags goes round in a cycle.
        let mut current = Some(first);
        let mut steps = 0;
        while let Some(step) = current {
            steps += 1;
            if steps > tags.len() {
                warnings.push(Warning {
                    pointer: at.clone(),
                    message: "the tag's parents form a cycle; the tag is read as a top-level one"
                        .to_string(),
                });
                break;
            }
            current = find(step).and_then(parent);
        }
    }
}

/// Rewrites every `$ref` that points into this document by its `$self` URI (absolutely,
/// or relative to it) to the local reference it means: `#` and the fragment.
fn local_references(doc: &mut Value, base: &str) {
    let base = base.split('#').next().unwrap_or_default();
    match doc {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get_mut("$ref")
                && !reference.starts_with('#')
            {
                let (uri, fragment) = reference.split_once('#').unwrap_or((reference, ""));
                let local = (resolve(base, uri) == base).then(|| format!("#{fragment}"));
                if let Some(local) = local {
                    *reference = local;
                }
            }
            for value in map.values_mut() {
                local_references(value, base);
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|value| local_references(value, base)),
        _ => {}
    }
}

/// `reference` resolved against `base` (RFC 3986, section 5.2, without a query or
/// fragment on either: a `$ref`'s fragment is split off before).
fn resolve(base: &str, reference: &str) -> String {
    if reference.is_empty() {
        return base.to_string();
    }
    if has_scheme(reference) {
        return remove_dot_segments_in(reference);
    }
    let (scheme, rest) = match base.split_once(':').filter(|_| has_scheme(base)) {
        Some((scheme, rest)) => (format!("{scheme}:"), rest),
        None => (String::new(), base),
    };
    if reference.starts_with("//") {
        return remove_dot_segments_in(&format!("{scheme}{reference}"));
    }
    let (authority, path) = match rest.strip_prefix("//") {
        Some(after) => {
            let end = after.find('/').unwrap_or(after.len());
            (format!("//{}", &after[..end]), &after[end..])
        }
        None => (String::new(), rest),
    };
    let merged = if reference.starts_with('/') {
        reference.to_string()
    } else {
        match path.rfind('/') {
            Some(slash) => format!("{}{reference}", &path[..=slash]),
            None if !authority.is_empty() => format!("/{reference}"),
            None => reference.to_string(),
        }
    };
    format!("{scheme}{authority}{}", remove_dot_segments(&merged))
}

fn has_scheme(uri: &str) -> bool {
    uri.split_once(':').is_some_and(|(scheme, _)| {
        scheme
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    })
}

/// An absolute URI with its path's dot segments removed.
fn remove_dot_segments_in(uri: &str) -> String {
    let Some((scheme, rest)) = uri.split_once(':') else {
        return uri.to_string();
    };
    match rest.strip_prefix("//") {
        Some(after) => {
            let end = after.find('/').unwrap_or(after.len());
            format!(
                "{scheme}://{}{}",
                &after[..end],
                remove_dot_segments(&after[end..])
            )
        }
        None => format!("{scheme}:{}", remove_dot_segments(rest)),
    }
}

/// RFC 3986, section 5.2.4, over `/`-separated segments.
fn remove_dot_segments(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').collect();
    for (i, segment) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        match *segment {
            "." => {
                if last {
                    out.push("");
                }
            }
            ".." => {
                if out.len() > 1 || out.first().is_some_and(|s| !s.is_empty()) {
                    out.pop();
                }
                if last {
                    out.push("");
                }
            }
            other => out.push(other),
        }
    }
    out.join("/")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn run(mut doc: Value) -> (Value, Vec<Warning>) {
        let mut warnings = Vec::new();
        normalize(&mut doc, &mut warnings);
        let mut again = doc.clone();
        normalize(&mut again, &mut Vec::new());
        assert_eq!(doc, again, "the 3.2 pass is not idempotent");
        (doc, warnings)
    }

    #[test]
    fn references_by_self_become_local() {
        let (doc, warnings) = run(json!({
            "openapi": "3.2.0",
            "$self": "https://example.com/apis/shop/openapi.yaml",
            "paths": {"/a": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {
                "allOf": [
                    {"$ref": "https://example.com/apis/shop/openapi.yaml#/components/schemas/A"},
                    {"$ref": "openapi.yaml#/components/schemas/B"},
                    {"$ref": "../shop/./openapi.yaml#/components/schemas/C"},
                    {"$ref": "/apis/shop/openapi.yaml#/components/schemas/D"},
                    {"$ref": "other.yaml#/components/schemas/E"},
                    {"$ref": "#/components/schemas/F"},
                ]
            }}}}}}}},
        }));
        assert!(warnings.is_empty());
        let refs: Vec<&str> =
            doc["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
                ["allOf"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["$ref"].as_str().unwrap())
                .collect();
        assert_eq!(
            refs,
            [
                "#/components/schemas/A",
                "#/components/schemas/B",
                "#/components/schemas/C",
                "#/components/schemas/D",
                "other.yaml#/components/schemas/E",
                "#/components/schemas/F",
            ]
        );
    }

    #[test]
    fn uris_resolve_as_rfc_3986_says() {
        let base = "http://a/b/c/d";
        for (reference, resolved) in [
            ("g", "http://a/b/c/g"),
            ("./g", "http://a/b/c/g"),
            ("g/", "http://a/b/c/g/"),
            ("/g", "http://a/g"),
            ("//g", "http://g"),
            ("..", "http://a/b/"),
            ("../g", "http://a/b/g"),
            ("../../g", "http://a/g"),
            ("../../../g", "http://a/g"),
            ("", "http://a/b/c/d"),
            ("urn:x:y", "urn:x:y"),
        ] {
            assert_eq!(resolve(base, reference), resolved, "{reference}");
        }
        assert_eq!(resolve("openapi.yaml", "openapi.yaml"), "openapi.yaml");
        assert_eq!(resolve("dir/openapi.yaml", "../dir/x.yaml"), "dir/x.yaml");
    }

    #[test]
    fn additional_operations_and_querystrings() {
        let (doc, warnings) = run(json!({
            "openapi": "3.2.0",
            "paths": {"/a": {
                "additionalOperations": {
                    "LOCK": {"parameters": [{"name": "q", "in": "querystring", "content": {"application/json": {}}}]},
                    "GET": {},
                    "not a token": {},
                },
                "query": {"parameters": [{"name": "f", "in": "querystring", "content": {"application/x-www-form-urlencoded": {"schema": {"type": "object"}}}}]},
            }},
        }));
        let item = &doc["paths"]["/a"];
        assert_eq!(
            item["additionalOperations"]
                .as_object()
                .unwrap()
                .keys()
                .collect::<Vec<_>>(),
            ["LOCK"]
        );
        let pointers: Vec<&str> = warnings.iter().map(|w| w.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "#/paths/~1a/additionalOperations/GET",
                "#/paths/~1a/additionalOperations/not a token",
                "#/paths/~1a/additionalOperations/LOCK/parameters/0/content/application~1json",
            ]
        );
    }

    #[test]
    fn media_type_references_are_copied_in() {
        let (doc, warnings) = run(json!({
            "openapi": "3.2.0",
            "paths": {"/a": {"get": {"responses": {"200": {"content": {
                "application/json": {"$ref": "#/components/mediaTypes/Item"},
                "text/plain": {"$ref": "#/components/mediaTypes/Missing"},
                "application/jsonl": {"itemSchema": {"type": "string"}},
            }}}}}},
            "components": {"mediaTypes": {"Item": {"schema": {"type": "integer"}}}},
        }));
        let content = &doc["paths"]["/a"]["get"]["responses"]["200"]["content"];
        assert_eq!(
            content["application/json"],
            json!({"schema": {"type": "integer"}})
        );
        let pointers: Vec<&str> = warnings.iter().map(|w| w.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "#/paths/~1a/get/responses/200/content/text~1plain/$ref",
                "#/paths/~1a/get/responses/200/content/application~1jsonl/itemSchema",
            ]
        );
    }

    #[test]
    fn tag_parents_must_name_tags_and_end() {
        let (_, warnings) = run(json!({
            "openapi": "3.2.0",
            "tags": [
                {"name": "a", "kind": "nav", "summary": "A"},
                {"name": "b", "parent": "a"},
                {"name": "c", "parent": "nowhere"},
                {"name": "d", "parent": "e"},
                {"name": "e", "parent": "d"},
            ],
        }));
        let pointers: Vec<&str> = warnings.iter().map(|w| w.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            ["#/tags/2/parent", "#/tags/3/parent", "#/tags/4/parent"]
        );
    }
}
