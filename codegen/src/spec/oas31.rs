//! OpenAPI 3.1 documents rewritten, in their raw JSON form and before the typed parse, to
//! the OpenAPI 3.0 shapes the rest of the generator reads. Both views of the document
//! (typed and raw) come from the rewritten value, so they agree.
//!
//! What changes, in Schema Objects (found by walking the document's structure, so a
//! parameter's `examples` map is never mistaken for a schema's `examples` list):
//! - `type: [X, "null"]` → `type: X, nullable: true`; `type: "null"` (or `["null"]`) → a
//!   null-only schema (`enum: [null], nullable: true`); several non-null types →
//!   a `oneOf` of one schema per type, each with the keywords that apply to it (and the
//!   `enum` values it can hold); `[integer, number]` → `number`;
//! - a `{type: "null"}` branch of `oneOf`/`anyOf` → `nullable: true` on the schema; the one
//!   branch left merges into it (or becomes `allOf: [branch]`, as 3.0 writes a nullable
//!   `$ref`);
//! - `const` → a one-value `enum`; `examples` → its first item as `example`; numeric
//!   `exclusiveMinimum`/`exclusiveMaximum` → `minimum`/`maximum` with a boolean;
//! - `contentEncoding: base64` → `format: byte`; a non-text `contentMediaType` →
//!   `format: binary`; `prefixItems` → `items` (a `serde_json::Value` when the positions
//!   differ, with a note in the description); a single `patternProperties` schema →
//!   `additionalProperties` (several → `additionalProperties: true`); boolean schemas → `{}` / `{not: {}}`;
//! - a `$ref` whose siblings change its shape (`properties`, a union, `nullable`) →
//!   `allOf: [{$ref}]` beside them; other siblings (`description`, …) stay beside it.
//!
//! In the document: a missing `paths` or operation `responses` becomes `{}`, `info.summary`
//! stands in for a missing `info.description`, and a `mutualTLS` security scheme
//! becomes an `http` one the client notes as not applied. `webhooks` and callbacks are
//! rewritten like paths (their request bodies become types); `$defs`,
//! `jsonSchemaDialect`, `if`/`then`/`else` and the like stay where they are, unread.
//! A 3.2 document (whose schemas are 3.1's) is rewritten the same way, once
//! [`crate::spec::oas32`] has read what 3.2 adds: the operations of `query` and
//! `additionalOperations`, a media type's `itemSchema` and `components.mediaTypes` too.
//! The rewrite is idempotent: a normalized document normalizes to itself.

use serde_json::{Map, Value, json};

/// Whether the document declares OpenAPI 3.1 or 3.2 (whose schemas are 3.1's).
pub(crate) fn is_31(raw: &Value) -> bool {
    raw.get("openapi")
        .and_then(Value::as_str)
        .is_some_and(|v| v.starts_with("3.1") || v.starts_with("3.2"))
}

/// Rewrites an OpenAPI 3.1 document in place (see the module docs).
pub(crate) fn normalize(doc: &mut Value) {
    let Some(root) = doc.as_object_mut() else {
        return;
    };
    if let Some(info) = root.get_mut("info").and_then(Value::as_object_mut)
        && !info.contains_key("description")
        && let Some(summary) = info.get("summary").cloned()
    {
        // The crate's docs open with the API's description; 3.1 may give a summary only.
        info.insert("description".into(), summary);
    }
    if !root.contains_key("paths") {
        root.insert("paths".into(), Value::Object(Map::new()));
    }
    for item in values_mut(root.get_mut("paths")) {
        path_item(item);
    }
    // Read for the types of the requests they describe.
    for item in values_mut(root.get_mut("webhooks")) {
        path_item(item);
    }
    let Some(components) = root.get_mut("components").and_then(Value::as_object_mut) else {
        return;
    };
    type Normalize = fn(&mut Value);
    let sections: [(&str, Normalize); 9] = [
        ("schemas", schema),
        ("parameters", parameter),
        ("headers", parameter),
        ("responses", response),
        ("requestBodies", request_body),
        ("pathItems", path_item),
        ("callbacks", callback),
        ("securitySchemes", security_scheme),
        // 3.2: reusable Media Type Objects.
        ("mediaTypes", media_type),
    ];
    for (key, normalize) in sections {
        for node in values_mut(components.get_mut(key)) {
            normalize(node);
        }
    }
}

/// The values of an object (nothing for anything else).
fn values_mut(node: Option<&mut Value>) -> impl Iterator<Item = &mut Value> {
    node.and_then(Value::as_object_mut)
        .into_iter()
        .flat_map(|map| map.values_mut())
}

/// The items of an array (nothing for anything else).
fn items_mut(node: Option<&mut Value>) -> impl Iterator<Item = &mut Value> {
    node.and_then(Value::as_array_mut)
        .into_iter()
        .flat_map(|items| items.iter_mut())
}

fn path_item(item: &mut Value) {
    let Some(item) = item.as_object_mut() else {
        return;
    };
    for (key, value) in item.iter_mut() {
        if key == "parameters" {
            items_mut(Some(value)).for_each(parameter);
        } else if crate::spec::view::HttpMethod::from_key(key).is_some() {
            operation(value);
        } else if key == crate::spec::view::ADDITIONAL_OPERATIONS {
            // 3.2: operations by method names of their own.
            values_mut(Some(value)).for_each(operation);
        }
    }
}

fn operation(op: &mut Value) {
    let Some(op) = op.as_object_mut() else {
        return;
    };
    if !op.contains_key("responses") {
        // Optional in 3.1.
        op.insert("responses".into(), Value::Object(Map::new()));
    }
    items_mut(op.get_mut("parameters")).for_each(parameter);
    if let Some(body) = op.get_mut("requestBody") {
        request_body(body);
    }
    values_mut(op.get_mut("responses")).for_each(response);
    values_mut(op.get_mut("callbacks")).for_each(callback);
}

/// A Callback Object: path items by runtime expression.
fn callback(callback: &mut Value) {
    values_mut(Some(callback)).for_each(path_item);
}

/// A Parameter Object or a Header Object: a schema, or content with one.
fn parameter(param: &mut Value) {
    let Some(param) = param.as_object_mut() else {
        return;
    };
    if let Some(node) = param.get_mut("schema") {
        schema(node);
    }
    values_mut(param.get_mut("content")).for_each(media_type);
}

fn request_body(body: &mut Value) {
    values_mut(body.get_mut("content")).for_each(media_type);
}

fn response(response: &mut Value) {
    values_mut(response.get_mut("headers")).for_each(parameter);
    values_mut(response.get_mut("content")).for_each(media_type);
}

fn media_type(media: &mut Value) {
    let Some(media) = media.as_object_mut() else {
        return;
    };
    if let Some(node) = media.get_mut("schema") {
        schema(node);
    }
    // 3.2: the schema of each item of a sequential media type.
    if let Some(node) = media.get_mut("itemSchema") {
        schema(node);
    }
    for encoding in values_mut(media.get_mut("encoding")) {
        values_mut(encoding.get_mut("headers")).for_each(parameter);
    }
}

/// `mutualTLS` (new in 3.1) has no 3.0 form; as an `http` scheme it parses and the client
/// lists it among the schemes it does not apply.
fn security_scheme(scheme: &mut Value) {
    if let Some(scheme) = scheme.as_object_mut()
        && scheme.get("type").and_then(Value::as_str) == Some("mutualTLS")
    {
        scheme.insert("type".into(), json!("http"));
        scheme.insert("scheme".into(), json!("mutualTLS"));
    }
}

/// Keywords whose subschemas are maps of schemas.
const SCHEMA_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
];

/// Keywords whose values are lists of schemas.
const SCHEMA_LISTS: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems"];

/// Keywords whose values are one schema (a boolean one becomes an object).
const SCHEMA_ONE: &[&str] = &[
    "items",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "contentSchema",
];

/// Keywords holding one schema or a boolean, both valid as they are.
const SCHEMA_OR_BOOL: &[&str] = &[
    "additionalProperties",
    "unevaluatedItems",
    "unevaluatedProperties",
];

/// Normalizes one Schema Object and everything below it.
fn schema(node: &mut Value) {
    if let Value::Bool(accept) = node {
        *node = if *accept {
            json!({})
        } else {
            json!({"not": {}})
        };
        return;
    }
    let Some(map) = node.as_object_mut() else {
        return;
    };
    const_to_enum(map);
    first_example(map);
    exclusive_bounds(map);
    types(map);
    content_format(map);
    pattern_properties(map);
    prefix_items(map);
    ref_siblings(map);
    for (key, value) in map.iter_mut() {
        let key = key.as_str();
        if SCHEMA_MAPS.contains(&key) {
            values_mut(Some(value)).for_each(schema);
        } else if SCHEMA_LISTS.contains(&key) {
            items_mut(Some(value)).for_each(schema);
        } else if SCHEMA_ONE.contains(&key) || (SCHEMA_OR_BOOL.contains(&key) && value.is_object())
        {
            schema(value);
        }
    }
    null_branches(map);
}

fn const_to_enum(map: &mut Map<String, Value>) {
    if let Some(value) = map.shift_remove("const")
        && !map.contains_key("enum")
    {
        map.insert("enum".into(), Value::Array(vec![value]));
    }
}

/// 3.1 schemas list `examples`; 3.0 schemas have one `example`.
fn first_example(map: &mut Map<String, Value>) {
    if !map.get("examples").is_some_and(Value::is_array) {
        return;
    }
    if let Some(Value::Array(examples)) = map.shift_remove("examples")
        && !map.contains_key("example")
        && let Some(first) = examples.into_iter().next()
    {
        map.insert("example".into(), first);
    }
}

/// A numeric `exclusiveMinimum: n` (3.1) is `minimum: n, exclusiveMinimum: true` (3.0),
/// whichever of it and an inclusive `minimum` beside it is the stricter.
fn exclusive_bounds(map: &mut Map<String, Value>) {
    for (exclusive, inclusive, lower) in [
        ("exclusiveMinimum", "minimum", true),
        ("exclusiveMaximum", "maximum", false),
    ] {
        let Some(bound) = map.get(exclusive).filter(|v| v.is_number()).cloned() else {
            continue;
        };
        let stricter = match (bound.as_f64(), map.get(inclusive).and_then(Value::as_f64)) {
            (Some(b), Some(i)) => {
                if lower {
                    b >= i
                } else {
                    b <= i
                }
            }
            _ => true,
        };
        if stricter {
            map.insert(inclusive.into(), bound);
            map.insert(exclusive.into(), Value::Bool(true));
        } else {
            map.shift_remove(exclusive);
        }
    }
}

/// Keywords that apply to one JSON type only; they follow their type into its branch
/// when a list of types becomes a `oneOf`.
fn keyword_type(key: &str) -> Option<&'static [&'static str]> {
    const STRING: &[&str] = &["string"];
    const NUMERIC: &[&str] = &["integer", "number"];
    const ARRAY: &[&str] = &["array"];
    const OBJECT: &[&str] = &["object"];
    Some(match key {
        "minLength" | "maxLength" | "pattern" | "contentMediaType" | "contentEncoding"
        | "contentSchema" => STRING,
        "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" | "multipleOf" => NUMERIC,
        "items" | "prefixItems" | "minItems" | "maxItems" | "uniqueItems" | "contains"
        | "minContains" | "maxContains" | "unevaluatedItems" => ARRAY,
        "properties"
        | "additionalProperties"
        | "patternProperties"
        | "required"
        | "minProperties"
        | "maxProperties"
        | "propertyNames"
        | "dependentRequired"
        | "dependentSchemas"
        | "unevaluatedProperties"
        | "discriminator" => OBJECT,
        _ => return None,
    })
}

fn is_numeric_format(format: &str) -> bool {
    matches!(
        format,
        "int8"
            | "int16"
            | "int32"
            | "int64"
            | "uint"
            | "uint8"
            | "uint16"
            | "uint32"
            | "uint64"
            | "float"
            | "double"
    )
}

/// Whether a value of JSON type `ty` can be `value` (unknown type names hold anything).
fn holds(ty: &str, value: &Value) -> bool {
    match ty {
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => true,
    }
}

/// `type` as a list (3.1) → one type plus `nullable`, or a `oneOf` of one schema per type.
fn types(map: &mut Map<String, Value>) {
    let (mut names, null) = match map.get("type") {
        Some(Value::String(name)) if name == "null" => (Vec::new(), true),
        Some(Value::Array(list)) => {
            let mut names: Vec<String> = Vec::new();
            let mut null = false;
            for name in list.iter().filter_map(Value::as_str) {
                if name == "null" {
                    null = true;
                } else if !names.iter().any(|n| n == name) {
                    names.push(name.to_string());
                }
            }
            (names, null)
        }
        _ => return,
    };
    if names.iter().any(|n| n == "number") {
        // Every integer is a number.
        names.retain(|n| n != "integer");
    }
    if null {
        map.insert("nullable".into(), Value::Bool(true));
    }
    if names.len() > 1
        && let Some(values) = map.get("enum").and_then(Value::as_array)
    {
        // Types none of the listed values has cannot occur.
        let possible: Vec<String> = names
            .iter()
            .filter(|n| values.iter().any(|v| holds(n, v)))
            .cloned()
            .collect();
        if !possible.is_empty() {
            names = possible;
        }
    }
    match names.len() {
        0 => {
            map.shift_remove("type");
            if null && !map.contains_key("enum") {
                map.insert("enum".into(), json!([null]));
            }
        }
        1 => {
            map.insert("type".into(), Value::String(names.remove(0)));
        }
        _ if map.contains_key("oneOf") || map.contains_key("anyOf") => {
            // The union beside the list already says which shapes a value takes.
            map.shift_remove("type");
        }
        _ => {
            map.shift_remove("type");
            let format = map
                .get("format")
                .and_then(Value::as_str)
                .map(str::to_string);
            let values = map.shift_remove("enum");
            let specific: Vec<(String, Value)> = map
                .keys()
                .filter(|k| keyword_type(k).is_some())
                .cloned()
                .collect::<Vec<_>>()
                .into_iter()
                .filter_map(|k| map.shift_remove(&k).map(|v| (k, v)))
                .collect();
            if format.is_some() {
                map.shift_remove("format");
            }
            let branches = names
                .iter()
                .map(|name| {
                    let mut branch = Map::new();
                    branch.insert("type".into(), Value::String(name.clone()));
                    if let Some(format) = &format {
                        let numeric = matches!(name.as_str(), "integer" | "number");
                        let string = name == "string";
                        if (numeric && is_numeric_format(format))
                            || (string && !is_numeric_format(format))
                        {
                            branch.insert("format".into(), Value::String(format.clone()));
                        }
                    }
                    for (key, value) in &specific {
                        if keyword_type(key).is_some_and(|types| types.contains(&name.as_str())) {
                            branch.insert(key.clone(), value.clone());
                        }
                    }
                    if let Some(Value::Array(values)) = &values {
                        let mine: Vec<Value> =
                            values.iter().filter(|v| holds(name, v)).cloned().collect();
                        if !mine.is_empty() {
                            branch.insert("enum".into(), Value::Array(mine));
                        }
                    }
                    Value::Object(branch)
                })
                .collect();
            map.insert("oneOf".into(), Value::Array(branches));
        }
    }
}

/// Whether a media type names text (which a string holds as it is) rather than bytes.
fn is_text_media(media: &str) -> bool {
    crate::spec::view::MediaType(media).is_textual()
}

/// `contentEncoding: base64` → `format: byte`; a string of some non-text media type →
/// `format: binary` (a file in a multipart form).
fn content_format(map: &mut Map<String, Value>) {
    let encoding = map.get("contentEncoding").and_then(Value::as_str);
    let media = map.get("contentMediaType").and_then(Value::as_str);
    if (encoding.is_none() && media.is_none()) || map.contains_key("format") {
        return;
    }
    let string = match map.get("type") {
        Some(ty) => ty == "string",
        None => ![
            "$ref",
            "allOf",
            "anyOf",
            "oneOf",
            "properties",
            "items",
            "enum",
        ]
        .iter()
        .any(|k| map.contains_key(*k)),
    };
    if !string {
        return;
    }
    let format = match (encoding, media) {
        (Some(e), _) if e.eq_ignore_ascii_case("base64") || e.eq_ignore_ascii_case("base64url") => {
            "byte"
        }
        (None, Some(m)) if !is_text_media(m) => "binary",
        _ => return,
    };
    map.insert("type".into(), json!("string"));
    map.insert("format".into(), json!(format));
}

/// One `patternProperties` schema describes every other property, as
/// `additionalProperties` does, and moves there (moved, not copied, so nesting cannot
/// multiply the document); several keep extra properties as JSON values.
fn pattern_properties(map: &mut Map<String, Value>) {
    if map.contains_key("additionalProperties") {
        return;
    }
    let Some(patterns) = map.get("patternProperties").and_then(Value::as_object) else {
        return;
    };
    let mut schemas = patterns.values();
    let Some(first) = schemas.next() else {
        return;
    };
    if !schemas.all(|s| s == first) {
        map.insert("additionalProperties".into(), Value::Bool(true));
        return;
    }
    if let Some(Value::Object(patterns)) = map.shift_remove("patternProperties")
        && let Some((_, first)) = patterns.into_iter().next()
    {
        map.insert("additionalProperties".into(), first);
    }
}

/// A tuple (`prefixItems`) becomes a list: of its item type when every position has the
/// same one, else of JSON values, with a note in the description.
fn prefix_items(map: &mut Map<String, Value>) {
    if !map.get("prefixItems").is_some_and(Value::is_array) {
        return;
    }
    let Some(Value::Array(positions)) = map.shift_remove("prefixItems") else {
        return;
    };
    let mut candidates = positions;
    if let Some(rest) = map.get("items").filter(|v| v.is_object()) {
        candidates.push(rest.clone());
    }
    let Some(first) = candidates.first().cloned() else {
        return;
    };
    if candidates.iter().all(|c| *c == first) {
        map.insert("items".into(), first);
        return;
    }
    map.insert("items".into(), json!({}));
    let note = "Its items are typed by position (`prefixItems`), which a Rust list cannot say: each is a JSON value.";
    let description = match map.get("description").and_then(Value::as_str) {
        Some(text) if !text.is_empty() => format!("{text}\n\n{note}"),
        _ => note.to_string(),
    };
    map.insert("description".into(), Value::String(description));
}

/// Keywords beside a `$ref` that change the shape it names (3.0 ignores them; 3.1 applies
/// them as if in an `allOf`).
const SHAPING: &[&str] = &[
    "properties",
    "additionalProperties",
    "patternProperties",
    "items",
    "allOf",
    "anyOf",
    "oneOf",
];

fn ref_siblings(map: &mut Map<String, Value>) {
    if !map.contains_key("$ref") {
        return;
    }
    let nullable = map.get("nullable").and_then(Value::as_bool) == Some(true);
    if !nullable && !SHAPING.iter().any(|k| map.contains_key(*k)) {
        return;
    }
    let Some(reference) = map.shift_remove("$ref") else {
        return;
    };
    let part = json!({ "$ref": reference });
    match map.get_mut("allOf") {
        Some(Value::Array(parts)) => parts.insert(0, part),
        _ => {
            map.insert("allOf".into(), Value::Array(vec![part]));
        }
    }
}

/// A schema that only `null` satisfies (after [`types`] and [`const_to_enum`]).
fn is_null_schema(node: &Value) -> bool {
    node.get("$ref").is_none()
        && node
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|e| !e.is_empty() && e.iter().all(Value::is_null))
}

/// Keywords that only describe: when a lone branch merges into its schema, the schema's
/// own win.
const ANNOTATIONS: &[&str] = &[
    "description",
    "title",
    "example",
    "default",
    "deprecated",
    "readOnly",
    "writeOnly",
    "nullable",
    "externalDocs",
    "$comment",
];

/// `oneOf`/`anyOf` with a null branch → `nullable: true` and the other branches; one
/// other branch merges into the schema when their keywords do not clash, else becomes
/// `allOf: [branch]`.
fn null_branches(map: &mut Map<String, Value>) {
    for key in ["oneOf", "anyOf"] {
        let Some(Value::Array(branches)) = map.get(key) else {
            continue;
        };
        if !branches.iter().any(is_null_schema) {
            continue;
        }
        let Some(Value::Array(branches)) = map.shift_remove(key) else {
            continue;
        };
        let mut others: Vec<Value> = branches
            .into_iter()
            .filter(|b| !is_null_schema(b))
            .collect();
        map.insert("nullable".into(), Value::Bool(true));
        match others.len() {
            0 => {
                if !map.contains_key("enum") {
                    map.insert("enum".into(), json!([null]));
                }
            }
            1 => {
                let branch = others.remove(0);
                if let Some(Value::Array(parts)) = map.get_mut("allOf") {
                    parts.push(branch);
                    continue;
                }
                let mergeable = match &branch {
                    Value::Object(inner) => {
                        !inner.contains_key("$ref")
                            && inner
                                .keys()
                                .all(|k| !map.contains_key(k) || ANNOTATIONS.contains(&k.as_str()))
                    }
                    _ => false,
                };
                match branch {
                    Value::Object(inner) if mergeable => {
                        for (k, v) in inner {
                            map.entry(k).or_insert(v);
                        }
                    }
                    branch => {
                        map.insert("allOf".into(), Value::Array(vec![branch]));
                    }
                }
            }
            _ => {
                map.insert(key.into(), Value::Array(others));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Normalizes `schema` as a component of a 3.1 document and returns it.
    fn norm(schema: Value) -> Value {
        let mut doc = json!({
            "openapi": "3.1.0",
            "info": {"title": "T", "version": "1"},
            "components": {"schemas": {"S": schema}},
        });
        normalize(&mut doc);
        let out = doc["components"]["schemas"]["S"].clone();
        let mut again = doc.clone();
        normalize(&mut again);
        assert_eq!(doc, again, "normalizing twice changes the document");
        out
    }

    #[test]
    fn nullable_type_lists() {
        assert_eq!(
            norm(json!({"type": ["string", "null"], "maxLength": 3})),
            json!({"type": "string", "maxLength": 3, "nullable": true})
        );
        assert_eq!(
            norm(json!({"type": ["null", "integer"]})),
            json!({"type": "integer", "nullable": true})
        );
        assert_eq!(
            norm(json!({"type": ["null"]})),
            json!({"nullable": true, "enum": [null]})
        );
        assert_eq!(
            norm(json!({"type": "null"})),
            json!({"nullable": true, "enum": [null]})
        );
        assert_eq!(
            norm(json!({"type": ["integer", "number"]})),
            json!({"type": "number"})
        );
        assert_eq!(norm(json!({"type": []})), json!({}));
    }

    #[test]
    fn several_types_become_a_one_of() {
        assert_eq!(
            norm(json!({
                "description": "d",
                "type": ["string", "integer", "array", "null"],
                "minLength": 1,
                "minimum": 0,
                "items": {"type": ["boolean", "null"]},
                "format": "int64",
            })),
            json!({
                "description": "d",
                "nullable": true,
                "oneOf": [
                    {"type": "string", "minLength": 1},
                    {"type": "integer", "format": "int64", "minimum": 0},
                    {"type": "array", "items": {"type": "boolean", "nullable": true}},
                ],
            })
        );
        // The enum's values go to the branches that can hold them; types none can are gone.
        assert_eq!(
            norm(json!({"type": ["string", "integer"], "enum": ["a", 1, "b"]})),
            json!({"oneOf": [
                {"type": "string", "enum": ["a", "b"]},
                {"type": "integer", "enum": [1]},
            ]})
        );
        assert_eq!(
            norm(json!({"type": ["string", "boolean"], "enum": ["a"]})),
            json!({"type": "string", "enum": ["a"]})
        );
        // A union beside the list already gives the shapes.
        assert_eq!(
            norm(
                json!({"type": ["object", "string"], "oneOf": [{"type": "string"}, {"$ref": "#/x"}]})
            ),
            json!({"oneOf": [{"type": "string"}, {"$ref": "#/x"}]})
        );
    }

    #[test]
    fn null_branches_become_nullable() {
        assert_eq!(
            norm(
                json!({"description": "d", "anyOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}]})
            ),
            json!({"description": "d", "nullable": true, "allOf": [{"$ref": "#/components/schemas/A"}]})
        );
        assert_eq!(
            norm(json!({"oneOf": [{"type": "string", "format": "date"}, {"type": "null"}]})),
            json!({"nullable": true, "type": "string", "format": "date"})
        );
        assert_eq!(
            norm(json!({"type": "object", "oneOf": [{"type": "string"}, {"const": null}]})),
            json!({"type": "object", "nullable": true, "allOf": [{"type": "string"}]})
        );
        assert_eq!(
            norm(
                json!({"oneOf": [{"$ref": "#/a"}, {"type": "null"}, {"$ref": "#/b"}], "discriminator": {"propertyName": "k"}})
            ),
            json!({"oneOf": [{"$ref": "#/a"}, {"$ref": "#/b"}], "discriminator": {"propertyName": "k"}, "nullable": true})
        );
        assert_eq!(
            norm(
                json!({"allOf": [{"$ref": "#/a"}], "anyOf": [{"$ref": "#/b"}, {"type": ["null"]}]})
            ),
            json!({"allOf": [{"$ref": "#/a"}, {"$ref": "#/b"}], "nullable": true})
        );
        assert_eq!(
            norm(json!({"anyOf": [{"type": "null"}]})),
            json!({"nullable": true, "enum": [null]})
        );
    }

    #[test]
    fn keywords_3_0_spells_differently() {
        assert_eq!(norm(json!({"const": "x"})), json!({"enum": ["x"]}));
        assert_eq!(
            norm(json!({"const": 1, "enum": [1, 2]})),
            json!({"enum": [1, 2]})
        );
        assert_eq!(
            norm(json!({"type": "string", "examples": ["a", "b"]})),
            json!({"type": "string", "example": "a"})
        );
        assert_eq!(
            norm(json!({"example": "x", "examples": ["a"]})),
            json!({"example": "x"})
        );
        assert_eq!(
            norm(
                json!({"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 10, "maximum": 5})
            ),
            json!({"type": "integer", "exclusiveMinimum": true, "minimum": 0, "maximum": 5})
        );
        assert_eq!(
            norm(json!({"type": "number", "minimum": 1, "exclusiveMinimum": 1.5})),
            json!({"type": "number", "minimum": 1.5, "exclusiveMinimum": true})
        );
        assert_eq!(
            norm(json!({"type": "number", "exclusiveMinimum": true, "minimum": 1})),
            json!({"type": "number", "exclusiveMinimum": true, "minimum": 1})
        );
    }

    #[test]
    fn content_keywords_become_formats() {
        assert_eq!(
            norm(json!({"type": "string", "contentEncoding": "base64"})),
            json!({"type": "string", "contentEncoding": "base64", "format": "byte"})
        );
        assert_eq!(
            norm(json!({"type": "string", "contentMediaType": "image/png"})),
            json!({"type": "string", "contentMediaType": "image/png", "format": "binary"})
        );
        assert_eq!(
            norm(json!({"contentMediaType": "application/octet-stream"})),
            json!({"contentMediaType": "application/octet-stream", "type": "string", "format": "binary"})
        );
        assert_eq!(
            norm(json!({"type": "string", "contentMediaType": "application/json"})),
            json!({"type": "string", "contentMediaType": "application/json"})
        );
        assert_eq!(
            norm(json!({"type": "string", "format": "uri", "contentEncoding": "base64"})),
            json!({"type": "string", "format": "uri", "contentEncoding": "base64"})
        );
    }

    #[test]
    fn tuples_patterns_and_boolean_schemas() {
        assert_eq!(
            norm(
                json!({"type": "array", "prefixItems": [{"type": "number"}, {"type": "number"}], "items": false})
            ),
            json!({"type": "array", "items": {"type": "number"}})
        );
        let mixed = norm(
            json!({"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}]}),
        );
        assert_eq!(mixed["items"], json!({}));
        assert!(
            mixed["description"]
                .as_str()
                .unwrap()
                .contains("prefixItems")
        );
        assert_eq!(
            norm(
                json!({"type": "object", "patternProperties": {"^x-": {"type": ["string", "null"]}}})
            ),
            json!({
                "type": "object",
                "additionalProperties": {"type": "string", "nullable": true},
            })
        );
        assert_eq!(
            norm(
                json!({"type": "object", "patternProperties": {"a": {"type": "string"}, "b": {"type": "integer"}}})
            )["additionalProperties"],
            json!(true)
        );
        assert_eq!(
            norm(
                json!({"type": "object", "properties": {"a": true, "b": false}, "additionalProperties": false, "unevaluatedProperties": false})
            ),
            json!({"type": "object", "properties": {"a": {}, "b": {"not": {}}}, "additionalProperties": false, "unevaluatedProperties": false})
        );
    }

    #[test]
    fn ref_siblings() {
        // Annotations stay beside the reference.
        assert_eq!(
            norm(json!({"$ref": "#/a", "description": "d", "readOnly": true})),
            json!({"$ref": "#/a", "description": "d", "readOnly": true})
        );
        // Whatever changes its shape joins it in an allOf.
        assert_eq!(
            norm(
                json!({"$ref": "#/a", "type": ["object", "null"], "properties": {"x": {"const": 1}}})
            ),
            json!({"type": "object", "nullable": true, "properties": {"x": {"enum": [1]}}, "allOf": [{"$ref": "#/a"}]})
        );
    }

    #[test]
    fn document_level() {
        let mut doc = json!({
            "openapi": "3.1.0",
            "info": {"title": "T", "summary": "s", "version": "1", "license": {"name": "MIT", "identifier": "MIT"}},
            "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
            "webhooks": {"w": {"post": {"requestBody": {"content": {"application/json": {"schema": {"type": ["string", "null"]}}}}}}},
            "components": {
                "securitySchemes": {"mtls": {"type": "mutualTLS"}},
                "pathItems": {"P": {"get": {"parameters": [{"name": "q", "in": "query", "schema": {"type": ["integer", "null"]}, "examples": {"a": {"value": 1}}}], "responses": {}}}},
                "parameters": {"Q": {"name": "q", "in": "query", "content": {"application/json": {"schema": {"const": 1}}}}},
            },
        });
        normalize(&mut doc);
        assert_eq!(doc["paths"], json!({}));
        assert_eq!(doc["info"]["description"], "s");
        assert_eq!(
            doc["components"]["securitySchemes"]["mtls"],
            json!({"type": "http", "scheme": "mutualTLS"})
        );
        let param = &doc["components"]["pathItems"]["P"]["get"]["parameters"][0];
        assert_eq!(
            param["schema"],
            json!({"type": "integer", "nullable": true})
        );
        // A parameter's `examples` is a map of Example Objects, not a schema keyword.
        assert_eq!(param["examples"], json!({"a": {"value": 1}}));
        assert_eq!(
            doc["components"]["parameters"]["Q"]["content"]["application/json"]["schema"],
            json!({"enum": [1]})
        );
        // Webhooks are read (for the types of their requests), so rewritten too.
        assert_eq!(
            doc["webhooks"]["w"]["post"]["requestBody"]["content"]["application/json"]["schema"],
            json!({"type": "string", "nullable": true})
        );
        assert!(is_31(&doc));
        assert!(!is_31(&json!({"openapi": "3.0.3"})));
    }

    #[test]
    fn what_3_2_adds_is_rewritten_too() {
        let mut doc = json!({
            "openapi": "3.2.0",
            "info": {"title": "T", "version": "1"},
            "paths": {"/a": {
                "query": {"requestBody": {"content": {"application/json": {"schema": {"const": 1}}}}},
                "additionalOperations": {"LOCK": {"parameters": [{"name": "q", "in": "query", "schema": {"type": ["string", "null"]}}]}},
                "get": {"responses": {"200": {"content": {"application/jsonl": {
                    "itemSchema": {"type": ["integer", "null"], "examples": [1]},
                }}}}},
            }},
            "components": {"mediaTypes": {"M": {"itemSchema": {"const": "x"}}}},
        });
        assert!(is_31(&doc));
        normalize(&mut doc);
        let item = &doc["paths"]["/a"];
        assert_eq!(
            item["query"]["requestBody"]["content"]["application/json"]["schema"],
            json!({"enum": [1]})
        );
        assert_eq!(item["query"]["responses"], json!({}));
        assert_eq!(
            item["additionalOperations"]["LOCK"]["parameters"][0]["schema"],
            json!({"type": "string", "nullable": true})
        );
        // `itemSchema` stays where it is, for the view, in 3.0 shapes.
        assert_eq!(
            item["get"]["responses"]["200"]["content"]["application/jsonl"]["itemSchema"],
            json!({"type": "integer", "nullable": true, "example": 1})
        );
        assert_eq!(
            doc["components"]["mediaTypes"]["M"]["itemSchema"],
            json!({"enum": ["x"]})
        );
        let mut again = doc.clone();
        normalize(&mut again);
        assert_eq!(doc, again);
    }
}
