//! The document's skeleton: a copy for the typed check (`load.rs`) without what that
//! check can never refuse, so that it reads a fraction of a large document.
//!
//! The typed check empties, in its copy, any schema `openapiv3` cannot hold (the
//! generator reads schemas from the raw document), and example values and extensions
//! are any JSON to it. So the skeleton has every schema that is an object emptied to
//! `{}`, every example value and top-level extension `null`, and callbacks left out
//! (as the typed check leaves them out); the rest is copied. A schema that is not an
//! object is kept as it is, for the typed check to refuse.
//!
//! A skeleton that passes the check means the document passes. One that fails does not
//! settle anything: the caller then runs the full check on the whole document, so what
//! is refused, and the error it gets, are the same as without the skeleton.

use serde_json::{Map, Value};

use crate::spec::view::HttpMethod;

/// What becomes of one member of an object in the skeleton.
enum Member {
    /// Copied as it is.
    Copy,
    /// Replaced by this value.
    Replace(Value),
    /// Left out.
    Drop,
}

/// The skeleton of a whole document (see the module docs).
pub(crate) fn skeleton(document: &Value) -> Value {
    object(document, |key, value| match key {
        "paths" => Member::Replace(entries(value, |key, item| {
            if key.starts_with("x-") {
                item.clone()
            } else {
                path_item(item)
            }
        })),
        "components" => Member::Replace(components(value)),
        _ if key.starts_with("x-") => Member::Replace(Value::Null),
        _ => Member::Copy,
    })
}

/// `value` with each member of an object decided by `member`; anything else copied.
fn object(value: &Value, member: impl Fn(&str, &Value) -> Member) -> Value {
    let Some(map) = value.as_object() else {
        return value.clone();
    };
    let mut out = Map::with_capacity(map.len());
    for (key, value) in map {
        match member(key, value) {
            Member::Copy => {
                out.insert(key.clone(), value.clone());
            }
            Member::Replace(new) => {
                out.insert(key.clone(), new);
            }
            Member::Drop => {}
        }
    }
    Value::Object(out)
}

/// A map whose every entry becomes `entry(key, value)`; anything else copied.
fn entries(value: &Value, entry: impl Fn(&str, &Value) -> Value) -> Value {
    match value.as_object() {
        Some(map) => Value::Object(
            map.iter()
                .map(|(key, value)| (key.clone(), entry(key, value)))
                .collect(),
        ),
        None => value.clone(),
    }
}

/// An array whose every item becomes `item(value)`; anything else copied.
fn items(value: &Value, item: impl Fn(&Value) -> Value) -> Value {
    match value.as_array() {
        Some(list) => Value::Array(list.iter().map(item).collect()),
        None => value.clone(),
    }
}

/// A schema: emptied when it is an object (a `$ref` included), kept otherwise.
fn schema(value: &Value) -> Value {
    if value.is_object() {
        Value::Object(Map::new())
    } else {
        value.clone()
    }
}

fn components(value: &Value) -> Value {
    object(value, |key, value| match key {
        "schemas" => Member::Replace(entries(value, |_, v| schema(v))),
        "examples" => Member::Replace(entries(value, |_, v| example(v))),
        "parameters" => Member::Replace(entries(value, |_, v| parameter(v))),
        "headers" => Member::Replace(entries(value, |_, v| parameter(v))),
        "responses" => Member::Replace(entries(value, |_, v| response(v))),
        "requestBodies" => Member::Replace(entries(value, |_, v| request_body(v))),
        "callbacks" => Member::Drop,
        _ if key.starts_with("x-") => Member::Replace(Value::Null),
        _ => Member::Copy,
    })
}

fn path_item(value: &Value) -> Value {
    object(value, |key, value| match key {
        "parameters" => Member::Replace(items(value, parameter)),
        _ if HttpMethod::from_key(key).is_some() => Member::Replace(operation(value)),
        _ => Member::Copy,
    })
}

fn operation(value: &Value) -> Value {
    object(value, |key, value| match key {
        "parameters" => Member::Replace(items(value, parameter)),
        "requestBody" => Member::Replace(request_body(value)),
        "responses" => Member::Replace(entries(value, |key, v| {
            if key.starts_with("x-") {
                v.clone()
            } else {
                response(v)
            }
        })),
        "callbacks" => Member::Drop,
        _ => Member::Copy,
    })
}

/// A parameter or a header (a header is a parameter without `name` and `in`).
fn parameter(value: &Value) -> Value {
    object(value, |key, value| match key {
        "schema" => Member::Replace(schema(value)),
        "content" => Member::Replace(content(value)),
        "example" => Member::Replace(Value::Null),
        "examples" => Member::Replace(entries(value, |_, v| example(v))),
        _ => Member::Copy,
    })
}

fn request_body(value: &Value) -> Value {
    object(value, |key, value| match key {
        "content" => Member::Replace(content(value)),
        _ => Member::Copy,
    })
}

fn response(value: &Value) -> Value {
    object(value, |key, value| match key {
        "headers" => Member::Replace(entries(value, |_, v| parameter(v))),
        "content" => Member::Replace(content(value)),
        _ => Member::Copy,
    })
}

fn content(value: &Value) -> Value {
    entries(value, |_, media| {
        object(media, |key, value| match key {
            "schema" => Member::Replace(schema(value)),
            "example" => Member::Replace(Value::Null),
            "examples" => Member::Replace(entries(value, |_, v| example(v))),
            "encoding" => Member::Replace(entries(value, |_, encoding| {
                object(encoding, |key, value| match key {
                    "headers" => Member::Replace(entries(value, |_, v| parameter(v))),
                    _ => Member::Copy,
                })
            })),
            _ => Member::Copy,
        })
    })
}

/// An Example object: its value is any JSON.
fn example(value: &Value) -> Value {
    object(value, |key, _| match key {
        "value" => Member::Replace(Value::Null),
        _ => Member::Copy,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn passes(document: &Value) -> bool {
        serde_json::from_value::<openapiv3::OpenAPI>(skeleton(document)).is_ok()
    }

    #[test]
    fn schemas_examples_and_callbacks_are_left_out_the_rest_is_kept() {
        let document = json!({
            "openapi": "3.0.3",
            "info": {"title": "T", "version": "1"},
            "x-big": {"any": [1, 2]},
            "paths": {
                "/a": {
                    "parameters": [{"name": "p", "in": "query", "schema": {"type": 5}}],
                    "get": {
                        "description": "kept",
                        "callbacks": {"c": {"$ref": "#/x"}},
                        "responses": {
                            "200": {
                                "description": "ok",
                                "content": {"application/json": {
                                    "schema": {"$ref": "#/components/schemas/S"},
                                    "example": {"a": 1},
                                    "examples": {"e": {"summary": "s", "value": [1]}},
                                }},
                            },
                        },
                    },
                },
            },
            "components": {
                "schemas": {"S": {"type": ["string", "null"]}, "N": true},
                "examples": {"E": {"value": {"deep": true}}},
            },
        });
        let expected = json!({
            "openapi": "3.0.3",
            "info": {"title": "T", "version": "1"},
            "x-big": null,
            "paths": {
                "/a": {
                    "parameters": [{"name": "p", "in": "query", "schema": {}}],
                    "get": {
                        "description": "kept",
                        "responses": {
                            "200": {
                                "description": "ok",
                                "content": {"application/json": {
                                    "schema": {},
                                    "example": null,
                                    "examples": {"e": {"summary": "s", "value": null}},
                                }},
                            },
                        },
                    },
                },
            },
            "components": {
                // A schema that is not an object is kept, for the check to refuse.
                "schemas": {"S": {}, "N": true},
                "examples": {"E": {"value": null}},
            },
        });
        assert_eq!(skeleton(&document), expected);
    }

    #[test]
    fn the_skeleton_still_fails_where_the_document_does() {
        let mut document = json!({
            "openapi": "3.0.3",
            "info": {"title": "T", "version": "1"},
            "paths": {"/a": {"get": {
                "parameters": [{"name": "p", "schema": {"type": "string"}}],
                "responses": {"200": {"description": "ok"}},
            }}},
        });
        // A parameter without `in`.
        assert!(!passes(&document));
        document["paths"]["/a"]["get"]["parameters"][0]["in"] = json!("query");
        assert!(passes(&document));
        document["paths"]["/a"]["get"]["responses"] = json!(5);
        assert!(!passes(&document));
    }
}
