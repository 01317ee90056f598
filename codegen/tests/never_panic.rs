//! Property test: whatever the document, `Spec::parse` + `generate` return (an error is
//! fine) instead of panicking, never report an internal error, and every file they return
//! parses as Rust. Inputs are the fixtures with random mutations (nodes deleted, replaced,
//! copied elsewhere, types swapped, odd names inserted) and random OpenAPI-flavoured trees.

mod common;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Map, Value, json};

/// The fixtures as JSON documents, parsed once.
fn documents() -> &'static [Value] {
    static DOCS: OnceLock<Vec<Value>> = OnceLock::new();
    DOCS.get_or_init(|| {
        common::fixtures()
            .into_iter()
            .map(|(name, text)| {
                let spec = codegen::Spec::parse(&text, &name).expect("fixture parses");
                serde_json::from_str(&spec.document_json()).expect("the document is JSON")
            })
            .collect()
    })
}

/// Values a mutation may put anywhere.
fn replacements() -> Vec<Value> {
    vec![
        Value::Null,
        json!(true),
        json!(0),
        json!(-1),
        json!(1.5),
        json!(1e300),
        json!(18446744073709551615u64),
        json!(""),
        json!("string"),
        json!("{id}"),
        json!([]),
        json!({}),
        json!([{}]),
        json!({"type": "string"}),
        json!({"type": "object", "properties": {"type": {}, "": {"type": "integer"}}}),
        json!({"type": "array"}),
        json!({"type": "array", "items": []}),
        json!({"$ref": "#"}),
        json!({"$ref": "#/"}),
        json!({"$ref": "#/paths"}),
        json!({"$ref": "#/components/schemas"}),
        json!({"$ref": "#/components/schemas/Missing"}),
        json!({"$ref": "other.yaml#/x"}),
        json!({"$ref": 5}),
        json!({"oneOf": []}),
        json!({"oneOf": [{"type": "null"}]}),
        json!({"anyOf": [{"type": "string"}, {"type": "string", "enum": ["a", "A"]}]}),
        json!({"allOf": [{"$ref": "#"}]}),
        json!({"allOf": [{"type": "string"}, {"type": "integer"}]}),
        json!({"enum": [null]}),
        json!({"enum": ["", "_", "Self", "Other", 1, true]}),
        json!({"type": "integer", "enum": [1, 1, -1]}),
        json!({"discriminator": {"propertyName": "k", "mapping": {"a": "#/nowhere"}}, "oneOf": [{"$ref": "#/components/schemas/A"}, {}]}),
        json!({"additionalProperties": {"$ref": "#"}}),
        json!({"name": "p", "in": "path"}),
        json!({"name": "", "in": "query", "schema": {"type": "object"}}),
        json!({"name": "q", "in": "body", "schema": {}}),
        json!({"content": {"multipart/form-data": {"schema": {"type": "string", "format": "binary"}}}}),
        json!({"description": "```\nfn\n```\n    indented\n<b>"}),
        // What OpenAPI 3.2 adds.
        json!({"name": "q", "in": "querystring", "content": {"application/x-www-form-urlencoded": {"schema": {"type": "object"}}}}),
        json!({"name": "q", "in": "querystring", "content": {"application/json": {"schema": {"type": "string"}}}}),
        json!({"name": "q", "in": "querystring", "schema": {"type": "integer"}}),
        json!({"$ref": "#/components/mediaTypes/Missing"}),
        json!({"itemSchema": {"type": "string"}}),
        json!({"LOCK": {"responses": {}}, "GET": {}, "a b": {}}),
        json!({"name": "t", "parent": "t", "kind": 5}),
        json!("https://example.test/a.yaml#/components/schemas/Book"),
    ]
}

const ODD_NAMES: &[&str] = &[
    "type", "Self", "self", "", " ", "日本", "1x", "a b", "$ref", "r#x", "__", "_", "Other",
    "crate", "gen", "ASC", "asc", "/{id}", "{", "}", "~1", "%7B", "200", "2XX", "default",
];

const TYPES: &[&str] = &[
    "string", "integer", "number", "boolean", "array", "object", "null", "file", "",
];

/// Every node's path from the root (object keys and array indices).
fn paths(value: &Value, prefix: &mut Vec<Seg>, out: &mut Vec<Vec<Seg>>) {
    out.push(prefix.clone());
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                prefix.push(Seg::Key(key.clone()));
                paths(child, prefix, out);
                prefix.pop();
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                prefix.push(Seg::Index(i));
                paths(child, prefix, out);
                prefix.pop();
            }
        }
        _ => {}
    }
}

#[derive(Clone, Debug)]
enum Seg {
    Key(String),
    Index(usize),
}

fn node_mut<'v>(root: &'v mut Value, path: &[Seg]) -> Option<&'v mut Value> {
    let mut current = root;
    for seg in path {
        current = match (seg, current) {
            (Seg::Key(k), Value::Object(map)) => map.get_mut(k)?,
            (Seg::Index(i), Value::Array(items)) => items.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(current)
}

fn node<'v>(root: &'v Value, path: &[Seg]) -> Option<&'v Value> {
    let mut current = root;
    for seg in path {
        current = match (seg, current) {
            (Seg::Key(k), Value::Object(map)) => map.get(k)?,
            (Seg::Index(i), Value::Array(items)) => items.get(*i)?,
            _ => return None,
        };
    }
    Some(current)
}

/// Applies one mutation, chosen and placed by the three numbers.
fn mutate(doc: &mut Value, op: u8, a: usize, b: usize) {
    let mut all = Vec::new();
    paths(doc, &mut Vec::new(), &mut all);
    let target = all[a % all.len()].clone();
    match op % 6 {
        // Delete the node (not the root).
        0 => {
            if let Some((last, parent)) = target.split_last()
                && let Some(parent) = node_mut(doc, parent)
            {
                match (last, parent) {
                    (Seg::Key(k), Value::Object(map)) => {
                        map.shift_remove(k);
                    }
                    (Seg::Index(i), Value::Array(items)) if *i < items.len() => {
                        items.remove(*i);
                    }
                    _ => {}
                }
            }
        }
        // Replace it with an odd value.
        1 => {
            let values = replacements();
            if let Some(node) = node_mut(doc, &target) {
                *node = values[b % values.len()].clone();
            }
        }
        // Copy another node over it (makes refs, cycles and misplaced shapes).
        2 => {
            let source = node(doc, &all[b % all.len()]).cloned();
            if let (Some(source), Some(node)) = (source, node_mut(doc, &target)) {
                *node = source;
            }
        }
        // Swap the type of the nearest object.
        3 => {
            if let Some(Value::Object(map)) = node_mut(doc, &target) {
                map.insert("type".into(), json!(TYPES[b % TYPES.len()]));
            }
        }
        // Insert an odd name into an object.
        4 => {
            if let Some(Value::Object(map)) = node_mut(doc, &target) {
                let values = replacements();
                map.insert(
                    ODD_NAMES[b % ODD_NAMES.len()].into(),
                    values[(b / 7) % values.len()].clone(),
                );
            }
        }
        // Rename a key to an odd name.
        _ => {
            if let Some(Value::Object(map)) = node_mut(doc, &target)
                && !map.is_empty()
            {
                let key = map.keys().nth(b % map.len()).cloned().unwrap_or_default();
                if let Some(value) = map.shift_remove(&key) {
                    map.insert(ODD_NAMES[(b / 3) % ODD_NAMES.len()].into(), value);
                }
            }
        }
    }
}

/// Runs the generator on `text`; fails the property on a panic, an internal error or
/// output that is not Rust.
fn check(text: &str) -> Result<(), TestCaseError> {
    // A stack overflow aborts the process before any report: this keeps the input.
    if let Some(path) = std::env::var_os("NEVER_PANIC_DUMP") {
        let _ = std::fs::write(path, text);
    }
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let spec = codegen::Spec::parse(text, "mutated.json")?;
        codegen::generate(&spec, &common::snapshot_settings("mutated"))
    }));
    match outcome {
        Err(_) => Err(TestCaseError::fail(format!(
            "generator panicked on:\n{text}"
        ))),
        Ok(Err(e)) => {
            let message = e.to_string();
            if std::env::var_os("NEVER_PANIC_VERBOSE").is_some() {
                eprintln!("error: {message}");
            }
            prop_assert!(
                !message.contains("internal error"),
                "{message}\non:\n{text}"
            );
            Ok(())
        }
        Ok(Ok(files)) => {
            if std::env::var_os("NEVER_PANIC_VERBOSE").is_some() {
                eprintln!("ok");
            }
            // Keeps the documents that generate, to compile some of them by hand.
            if let Some(dir) = std::env::var_os("NEVER_PANIC_SAVE_DIR") {
                let name = format!("{}.json", codegen::fingerprint(text));
                let _ = std::fs::create_dir_all(&dir);
                let _ = std::fs::write(std::path::Path::new(&dir).join(name), text);
            }
            for file in files.iter().filter(|f| f.path.ends_with(".rs")) {
                if let Err(e) = syn::parse_file(&file.contents) {
                    return Err(TestCaseError::fail(format!(
                        "{} is not Rust ({e}) for:\n{text}",
                        file.path
                    )));
                }
            }
            Ok(())
        }
    }
}

/// `cases` by default; `NEVER_PANIC_CASES=N` runs a deeper search.
fn config(cases: u32) -> Config {
    let cases = std::env::var("NEVER_PANIC_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(cases);
    // Fixed seed source: the same cases on every run, so a failure reproduces.
    Config {
        cases,
        failure_persistence: None,
        rng_algorithm: proptest::test_runner::RngAlgorithm::ChaCha,
        ..Config::default()
    }
}

#[test]
fn mutated_fixtures_never_panic() {
    let docs = documents();
    let strategy = (
        0..docs.len(),
        prop::collection::vec((any::<u8>(), any::<usize>(), any::<usize>()), 1..8),
        any::<bool>(),
    );
    let mut runner = TestRunner::new_with_rng(
        config(160),
        proptest::test_runner::TestRng::deterministic_rng(config(160).rng_algorithm),
    );
    runner
        .run(&strategy, |(index, mutations, yaml)| {
            let mut doc = docs[index].clone();
            for (op, a, b) in mutations {
                mutate(&mut doc, op, a, b);
            }
            let text = if yaml {
                serde_yaml::to_string(&doc).unwrap_or_default()
            } else {
                doc.to_string()
            };
            check(&text)
        })
        .unwrap_or_else(|e| panic!("{e}"));
}

const NAMES: &[&str] = &[
    "a", "A", "type", "Self", "", "日本", "1x", "id", "x_y", "xY", "Other",
];
const REFS: &[&str] = &[
    "#/components/schemas/a",
    "#/components/schemas/A",
    "#/components/schemas/type",
    "#/components/schemas/missing",
    "#/paths/~1a~1{id}/get/responses/200/content/application~1json/schema",
    "#/components/schemas/a/properties/a",
    "#/components/schemas/a/items",
    "#",
];

fn pick(words: &'static [&'static str]) -> impl Strategy<Value = Value> {
    (0..words.len()).prop_map(move |i| json!(words[i]))
}

/// Random schemas: every keyword the generator reads, nested.
fn schema() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        pick(&[
            "string", "integer", "number", "boolean", "array", "object", "null"
        ])
        .prop_map(|t| json!({"type": t})),
        pick(REFS).prop_map(|r| json!({"$ref": r})),
        Just(json!({})),
        Just(json!({"type": "string", "format": "binary"})),
        Just(json!({"type": "integer", "format": "int32", "maximum": 18446744073709551615u64})),
        prop::collection::vec(
            prop_oneof![
                pick(NAMES),
                any::<i64>().prop_map(Value::from),
                Just(Value::Null)
            ],
            0..4
        )
        .prop_map(|values| json!({"enum": values})),
    ];
    leaf.prop_recursive(4, 48, 4, |inner| {
        let keyword = prop_oneof![
            inner.clone().prop_map(|s| ("items", s)),
            prop::collection::vec((0..NAMES.len(), inner.clone()), 0..4).prop_map(|props| {
                (
                    "properties",
                    Value::Object(
                        props
                            .into_iter()
                            .map(|(n, s)| (NAMES[n].to_string(), s))
                            .collect::<Map<_, _>>(),
                    ),
                )
            }),
            prop::collection::vec(inner.clone(), 0..4).prop_map(|b| ("oneOf", Value::Array(b))),
            prop::collection::vec(inner.clone(), 0..4).prop_map(|b| ("anyOf", Value::Array(b))),
            prop::collection::vec(inner.clone(), 0..4).prop_map(|b| ("allOf", Value::Array(b))),
            prop_oneof![any::<bool>().prop_map(Value::Bool), inner.clone()]
                .prop_map(|a| ("additionalProperties", a)),
            prop::collection::vec(pick(NAMES), 0..3).prop_map(|r| ("required", Value::Array(r))),
            any::<bool>().prop_map(|b| ("nullable", Value::Bool(b))),
            pick(&[
                "string", "integer", "number", "boolean", "array", "object", "null", "file"
            ])
            .prop_map(|t| ("type", t)),
            pick(&[
                "int32",
                "int64",
                "binary",
                "byte",
                "date-time",
                "uuid",
                "float",
                "x"
            ])
            .prop_map(|f| ("format", f)),
            (pick(NAMES), pick(REFS)).prop_map(|(p, r)| (
                "discriminator",
                json!({"propertyName": p, "mapping": {"m": r}})
            )),
            pick(&["```\nx\n```", "    code", "<b>", "[x]"]).prop_map(|d| ("description", d)),
        ];
        prop::collection::vec(keyword, 1..5).prop_map(|entries| {
            Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v))
                    .collect::<Map<_, _>>(),
            )
        })
    })
}

/// Random operations: parameters, bodies and responses around random schemas.
fn operation() -> impl Strategy<Value = Value> {
    // Styles follow the location (other pairs are refused before generation).
    let located = prop_oneof![
        (Just("path"), pick(&["simple", "label", "matrix"])),
        (
            Just("query"),
            pick(&["form", "deepObject", "pipeDelimited", "spaceDelimited"])
        ),
        (Just("header"), pick(&["simple"])),
        (Just("cookie"), pick(&["form"])),
        (Just("querystring"), pick(&["form"])),
    ];
    let querystring_media = pick(&[
        "application/x-www-form-urlencoded",
        "application/json",
        "text/plain",
    ]);
    let param = (
        pick(NAMES),
        located,
        any::<bool>(),
        any::<bool>(),
        schema(),
        querystring_media,
    )
        .prop_map(|(name, (location, style), required, explode, schema, media)| {
            if location == "querystring" {
                // 3.2: the whole query string, described by `content`.
                let media = media.as_str().unwrap_or_default().to_string();
                let mut content = Map::new();
                content.insert(media, json!({"schema": schema}));
                return json!({"name": name, "in": location, "required": required, "content": content});
            }
            json!({"name": name, "in": location, "required": required, "style": style, "explode": explode, "schema": schema})
        });
    let content = || {
        let media = pick(&[
            "application/json",
            "application/vnd.x+json",
            "multipart/form-data",
            "application/x-www-form-urlencoded",
            "application/octet-stream",
            "text/plain",
            "*/*",
            "image/*",
        ]);
        prop::collection::vec((media, schema()), 0..3).prop_map(|entries| {
            Value::Object(
                entries
                    .into_iter()
                    .map(|(m, s)| {
                        (
                            m.as_str().unwrap_or_default().to_string(),
                            json!({"schema": s}),
                        )
                    })
                    .collect(),
            )
        })
    };
    let status = pick(&["200", "201", "204", "2XX", "default", "400", "4XX", "299"]);
    let responses = prop::collection::vec((status, content()), 0..4).prop_map(|entries| {
        Value::Object(
            entries
                .into_iter()
                .map(|(code, c)| {
                    (
                        code.as_str().unwrap_or_default().to_string(),
                        json!({"description": "r", "content": c}),
                    )
                })
                .collect(),
        )
    });
    (
        pick(NAMES),
        prop::collection::vec(param, 0..4),
        prop::option::of((content(), any::<bool>())),
        responses,
    )
        .prop_map(|(id, params, body, responses)| {
            let mut op = json!({"operationId": id, "parameters": params, "responses": responses});
            if let Some((content, required)) = body {
                op["requestBody"] = json!({"required": required, "content": content});
            }
            op
        })
}

/// Random documents under a root that passes the version check.
fn openapi_document() -> impl Strategy<Value = Value> {
    let path = pick(&["/a/{id}", "/a", "/{type}/{self}", "/x{y}z", "/"]);
    // Lower case: a Path Item field (3.2's `query` among them); otherwise a key of 3.2's
    // `additionalOperations`, some of which name no method of their own.
    let method = pick(&[
        "get", "post", "put", "delete", "patch", "query", "LOCK", "PURGE", "GET", "a b",
    ]);
    let paths = prop::collection::vec((path, method, operation()), 0..4).prop_map(|entries| {
        let mut paths = Map::new();
        for (path, method, op) in entries {
            let item = paths
                .entry(path.as_str().unwrap_or_default())
                .or_insert_with(|| json!({}));
            let method = method.as_str().unwrap_or_default();
            if method.chars().all(|c| c.is_ascii_lowercase()) {
                item[method] = op;
            } else {
                item["additionalOperations"][method] = op;
            }
        }
        Value::Object(paths)
    });
    let schemas = prop::collection::vec((pick(NAMES), schema()), 0..6).prop_map(|entries| {
        Value::Object(
            entries
                .into_iter()
                .map(|(n, s)| (n.as_str().unwrap_or_default().to_string(), s))
                .collect(),
        )
    });
    let version = pick(&["3.0.3", "3.1.0", "3.2.0"]);
    (paths, schemas, version).prop_map(|(paths, schemas, version)| {
        json!({
            "openapi": version,
            "$self": "https://example.test/apis/openapi.yaml",
            "info": {"title": "Arbitrary", "version": "1"},
            "tags": [{"name": "a", "parent": "b"}, {"name": "b", "parent": "a", "kind": "nav"}],
            "paths": paths,
            "components": {"schemas": schemas},
        })
    })
}

#[test]
fn arbitrary_documents_never_panic() {
    let mut runner = TestRunner::new_with_rng(
        config(120),
        proptest::test_runner::TestRng::deterministic_rng(config(120).rng_algorithm),
    );
    runner
        .run(&openapi_document(), |doc| check(&doc.to_string()))
        .unwrap_or_else(|e| panic!("{e}"));
}
