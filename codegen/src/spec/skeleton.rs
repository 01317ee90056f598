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
//!
//! Where the skeleton differs from the document is said once, by [`Shape`]; it is made
//! from a document already read ([`skeleton`]) or straight from JSON text ([`from_json`]),
//! which skips what it leaves out without building it.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::spec::view::HttpMethod;

/// What a node of the document is, as far as the skeleton cares.
#[derive(Clone, Copy)]
enum Shape {
    Document,
    Components,
    /// `paths`: path items, and extensions.
    Paths,
    PathItem,
    Operation,
    /// An operation's `responses`: responses, and extensions.
    Responses,
    /// A parameter or a header (a header is a parameter without `name` and `in`).
    Parameter,
    RequestBody,
    Response,
    /// A media type object.
    Media,
    Encoding,
    Example,
    /// A map whose every entry has the shape.
    MapOf(Entry),
    /// A list whose every item is a parameter.
    Parameters,
}

/// The shape of every entry of a [`Shape::MapOf`].
#[derive(Clone, Copy)]
enum Entry {
    Schema,
    Example,
    Parameter,
    Response,
    RequestBody,
    Media,
    Encoding,
}

/// What becomes of one member of an object, entry of a map or item of a list.
#[derive(Clone, Copy)]
enum Rule {
    /// Copied as it is.
    Copy,
    /// Made of this shape.
    Into(Shape),
    /// A schema: emptied when it is an object (a `$ref` included), kept otherwise.
    Schema,
    /// Replaced by `null`.
    Null,
    /// Left out.
    Drop,
}

impl Shape {
    /// The rule for the member `key` of an object of this shape.
    fn member(self, key: &str) -> Rule {
        use Shape::{MapOf, Parameters};
        let extension = key.starts_with("x-");
        match (self, key) {
            (Shape::Document, "paths") => Rule::Into(Shape::Paths),
            (Shape::Document, "components") => Rule::Into(Shape::Components),
            (Shape::Document | Shape::Components, _) if extension => Rule::Null,
            (Shape::Components, "schemas") => Rule::Into(MapOf(Entry::Schema)),
            (Shape::Components, "examples") => Rule::Into(MapOf(Entry::Example)),
            (Shape::Components, "parameters" | "headers") => Rule::Into(MapOf(Entry::Parameter)),
            (Shape::Components, "responses") => Rule::Into(MapOf(Entry::Response)),
            (Shape::Components, "requestBodies") => Rule::Into(MapOf(Entry::RequestBody)),
            (Shape::Components | Shape::Operation, "callbacks") => Rule::Drop,
            (Shape::Paths | Shape::Responses, _) if extension => Rule::Copy,
            (Shape::Paths, _) => Rule::Into(Shape::PathItem),
            (Shape::PathItem | Shape::Operation, "parameters") => Rule::Into(Parameters),
            (Shape::PathItem, _) if HttpMethod::from_key(key).is_some() => {
                Rule::Into(Shape::Operation)
            }
            (Shape::Operation, "requestBody") => Rule::Into(Shape::RequestBody),
            (Shape::Operation, "responses") => Rule::Into(Shape::Responses),
            (Shape::Responses, _) => Rule::Into(Shape::Response),
            (Shape::Parameter | Shape::Media, "schema") => Rule::Schema,
            (Shape::Parameter | Shape::Media, "example") => Rule::Null,
            (Shape::Parameter | Shape::Media, "examples") => Rule::Into(MapOf(Entry::Example)),
            (Shape::Parameter | Shape::RequestBody | Shape::Response, "content") => {
                Rule::Into(MapOf(Entry::Media))
            }
            (Shape::Response | Shape::Encoding, "headers") => Rule::Into(MapOf(Entry::Parameter)),
            (Shape::Media, "encoding") => Rule::Into(MapOf(Entry::Encoding)),
            (Shape::Example, "value") => Rule::Null,
            (MapOf(entry), _) => entry.rule(),
            _ => Rule::Copy,
        }
    }

    /// The rule for every item of a list of this shape.
    fn item(self) -> Rule {
        match self {
            Shape::Parameters => Rule::Into(Shape::Parameter),
            _ => Rule::Copy,
        }
    }
}

impl Entry {
    fn rule(self) -> Rule {
        match self {
            Entry::Schema => Rule::Schema,
            Entry::Example => Rule::Into(Shape::Example),
            Entry::Parameter => Rule::Into(Shape::Parameter),
            Entry::Response => Rule::Into(Shape::Response),
            Entry::RequestBody => Rule::Into(Shape::RequestBody),
            Entry::Media => Rule::Into(Shape::Media),
            Entry::Encoding => Rule::Into(Shape::Encoding),
        }
    }
}

/// The skeleton of a document already read (see the module docs).
pub(crate) fn skeleton(document: &Value) -> Value {
    project(document, Shape::Document)
}

/// The skeleton of the JSON document `text`, read straight from the text: what it leaves
/// out is skipped, never built. `None` when the text is not JSON.
pub(crate) fn from_json(text: &str) -> Option<Value> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = Seed(Rule::Into(Shape::Document))
        .deserialize(&mut deserializer)
        .ok()?;
    deserializer.end().ok()?;
    Some(value)
}

fn project(value: &Value, shape: Shape) -> Value {
    match value {
        Value::Object(map) => {
            let mut out = Map::with_capacity(map.len());
            for (key, value) in map {
                if let Some(value) = apply(shape.member(key), value) {
                    out.insert(key.clone(), value);
                }
            }
            Value::Object(out)
        }
        Value::Array(list) => Value::Array(
            list.iter()
                .filter_map(|value| apply(shape.item(), value))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn apply(rule: Rule, value: &Value) -> Option<Value> {
    Some(match rule {
        Rule::Copy => value.clone(),
        Rule::Into(shape) => project(value, shape),
        Rule::Schema if value.is_object() => Value::Object(Map::new()),
        Rule::Schema => value.clone(),
        Rule::Null => Value::Null,
        Rule::Drop => return None,
    })
}

/// Reads one value by `rule`; [`Rule::Drop`] reads it as `null`, which the caller leaves
/// out.
struct Seed(Rule);

impl<'de> DeserializeSeed<'de> for Seed {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        match self.0 {
            Rule::Copy => serde::Deserialize::deserialize(deserializer),
            Rule::Null | Rule::Drop => {
                IgnoredAny::deserialize(deserializer)?;
                Ok(Value::Null)
            }
            Rule::Into(shape) => deserializer.deserialize_any(Read(Some(shape))),
            Rule::Schema => deserializer.deserialize_any(Read(None)),
        }
    }
}

use serde::Deserialize as _;

/// A value of a shape; `None` is a schema (an object read as `{}`).
struct Read(Option<Shape>);

impl<'de> Visitor<'de> for Read {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let rule = self.0.map_or(Rule::Copy, Shape::item);
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(Seed(rule))? {
            if !matches!(rule, Rule::Drop) {
                items.push(item);
            }
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        let Some(shape) = self.0 else {
            // A schema: read, not kept.
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            return Ok(Value::Object(out));
        };
        while let Some(key) = map.next_key::<String>()? {
            let rule = shape.member(&key);
            let value = map.next_value_seed(Seed(rule))?;
            if !matches!(rule, Rule::Drop) {
                out.insert(key, value);
            }
        }
        Ok(Value::Object(out))
    }
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
    fn read_from_text_it_is_the_same_skeleton() {
        let text = r##"{
            "openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "x-top": [1, {"a": 2}],
            "paths": {
                "x-ext": {"schema": {"type": "string"}},
                "/a/{id}": {
                    "parameters": [{"name": "id", "in": "path", "required": true,
                        "schema": {"type": "string"}, "example": "x"}, 5],
                    "post": {
                        "callbacks": {"c": {}},
                        "requestBody": {"content": {"multipart/form-data": {
                            "schema": {"type": "object"},
                            "encoding": {"f": {"headers": {"h": {"schema": "bad"}}}}
                        }}},
                        "responses": {"x-r": {"schema": {}}, "default": {"$ref": "#/r"},
                            "200": {"description": "ok", "headers": {"x-rate": {
                                "schema": {"type": "integer"}, "examples": {"e": {"value": 1}}
                            }}}}
                    }
                }
            },
            "components": {
                "schemas": {"A": {"properties": {"schema": {}}}, "B": 1.5, "C": null},
                "parameters": {"p": {"name": "p", "in": "query", "content": {
                    "application/json": {"schema": {}, "examples": {"e": {"$ref": "#/e"}}}}}},
                "responses": {"r": {"description": "r"}},
                "requestBodies": {"b": {"content": {}}},
                "headers": {"h": {"schema": []}},
                "examples": {"e": {"summary": "s", "value": {"big": [1, 2, 3]}}},
                "callbacks": {"c": {}},
                "securitySchemes": {"k": {"type": "apiKey", "name": "k", "in": "header"}},
                "x-c": true
            }
        }"##;
        let document: Value = serde_json::from_str(text).unwrap();
        assert_eq!(from_json(text), Some(skeleton(&document)));
        assert_eq!(from_json("{} x"), None);
        assert_eq!(from_json("{"), None);
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
