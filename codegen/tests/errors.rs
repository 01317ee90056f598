//! What has no Rust form is an error that names the place: JSON pointer, and
//! `file:line:column` where the text has the node.

use codegen::{Settings, Spec};

fn settings() -> Settings {
    Settings {
        crate_name: "errors".into(),
        crate_version: "0.1.0".into(),
        runtime: codegen::Runtime::dependency("{ path = \"../runtime\" }"),
        standalone: true,
        spec_path_from_crate: None,
        overlay_path_from_crate: None,
        regenerate_command: "test".into(),
    }
}

/// The error's Display, from parsing or from generating.
fn error(text: &str) -> String {
    match Spec::parse(text, "spec.yaml") {
        Err(e) => e.to_string(),
        Ok(spec) => match codegen::generate(&spec, &settings()) {
            Err(e) => e.to_string(),
            Ok(_) => panic!("expected an error for:\n{text}"),
        },
    }
}

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\n";

#[test]
fn external_ref_names_pointer_and_position() {
    let text = format!(
        "{HEAD}components:\n  schemas:\n    A:\n      type: object\n      properties:\n        b:\n          $ref: 'other.yaml#/x'\n"
    );
    let message = error(&text);
    assert!(
        message.contains("#/components/schemas/A/properties/b"),
        "{message}"
    );
    assert!(message.starts_with("spec.yaml:9:9: "), "{message}");
    assert!(
        message.contains("other.yaml#/x") && message.contains("only local"),
        "{message}"
    );
}

#[test]
fn dangling_ref_names_the_ref() {
    let text = format!(
        "{HEAD}components:\n  schemas:\n    A:\n      type: array\n      items:\n        $ref: '#/components/schemas/Missing'\n"
    );
    let message = error(&text);
    assert!(
        message.starts_with("spec.yaml:8:7: at #/components/schemas/A/items: "),
        "{message}"
    );
    assert!(
        message.contains("#/components/schemas/Missing") && message.contains("points at nothing"),
        "{message}"
    );
}

#[test]
fn ref_cycle_without_content_is_refused() {
    let text = format!(
        "{HEAD}components:\n  schemas:\n    A:\n      $ref: '#/components/schemas/B'\n    B:\n      $ref: '#/components/schemas/A'\n"
    );
    let message = error(&text);
    assert!(
        message.contains("#/components/schemas/") && message.contains("cycle"),
        "{message}"
    );
    assert!(
        message.starts_with("spec.yaml:6:5: ") || message.starts_with("spec.yaml:8:5: "),
        "{message}"
    );
}

#[test]
fn yaml_syntax_error_has_line_and_column() {
    let message = error("openapi: 3.0.3\ninfo: {title: T, version: '1'\npaths: {}\n");
    assert!(message.starts_with("spec.yaml:"), "{message}");
    assert!(message.contains("invalid YAML"), "{message}");
    let position: Vec<&str> = message.splitn(4, ':').collect();
    assert!(
        position[1].parse::<usize>().is_ok() && position[2].parse::<usize>().is_ok(),
        "{message}"
    );
}

#[test]
fn json_syntax_error_has_line_and_column() {
    let message = error(
        "{\n  \"openapi\": \"3.0.3\",\n  \"info\": {\"title\": \"T\" \"version\": \"1\"}\n}\n",
    );
    assert!(message.starts_with("spec.yaml:3:"), "{message}");
    assert!(message.contains("invalid JSON"), "{message}");
}

#[test]
fn swagger_2_is_refused_clearly() {
    let message = error("swagger: '2.0'\ninfo: {title: T, version: '1'}\npaths: {}\n");
    assert!(
        message.contains("Swagger 2.0 is not supported"),
        "{message}"
    );
    assert!(message.starts_with("spec.yaml:1:1: "), "{message}");
}

#[test]
fn versions_after_3_2_are_refused_clearly() {
    for version in ["3.3.0", "3.20.0", "4.0.0"] {
        let message = error(&format!(
            "openapi: {version}\ninfo: {{title: T, version: '1'}}\npaths: {{}}\n"
        ));
        assert!(
            message.contains(&format!("OpenAPI {version} is not supported")),
            "{message}"
        );
        assert!(message.contains("3.0.x, 3.1.x and 3.2.x"), "{message}");
        assert!(message.starts_with("spec.yaml:1:"), "{message}");
    }
}

#[test]
fn openapi_3_1_is_read() {
    // No `paths` (optional in 3.1), webhooks only.
    let text = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\nwebhooks:\n  w:\n    post:\n      responses: {'200': {description: ok}}\n";
    let spec = Spec::parse(text, "spec.yaml").unwrap_or_else(|e| panic!("{e}"));
    codegen::generate(&spec, &settings()).unwrap_or_else(|e| panic!("{e}"));
    let message = error(
        "openapi: 3.1.1\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      responses: 5\n",
    );
    assert!(
        message.contains("not a valid OpenAPI 3.1 document"),
        "{message}"
    );
}

#[test]
fn openapi_3_2_is_read_and_what_has_no_rust_form_is_a_warning() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/oas32.yaml"),
    )
    .expect("the oas32 fixture");
    let spec = Spec::parse(&text, "oas32.yaml").unwrap_or_else(|e| panic!("{e}"));
    codegen::generate(&spec, &settings()).unwrap_or_else(|e| panic!("{e}"));
    let warnings: Vec<(&str, &str)> = spec
        .warnings()
        .iter()
        .map(|w| (w.pointer.as_str(), w.message.as_str()))
        .collect();
    assert_eq!(warnings.len(), 2, "{warnings:#?}");
    assert_eq!(
        warnings[0].0,
        "#/paths/~1books~1{id}/additionalOperations/NOT A METHOD"
    );
    assert!(
        warnings[0].1.contains("not an HTTP method name"),
        "{warnings:?}"
    );
    assert_eq!(
        warnings[1].0,
        "#/paths/~1books~1{id}~1changes/get/responses/200/content/application~1jsonl/itemSchema"
    );
    // A querystring whose media type has no Rust form yet is reported, not dropped silently.
    let text = "openapi: 3.2.0\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      parameters:\n        - {name: q, in: querystring, content: {application/json: {schema: {type: object}}}}\n      responses: {'204': {description: ok}}\n";
    let spec = Spec::parse(text, "spec.yaml").unwrap_or_else(|e| panic!("{e}"));
    codegen::generate(&spec, &settings()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        spec.warnings()[0].pointer,
        "#/paths/~1a/get/parameters/0/content/application~1json"
    );
    let message = error(
        "openapi: 3.2.0\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      responses: 5\n",
    );
    assert!(
        message.contains("not a valid OpenAPI 3.2 document"),
        "{message}"
    );
}

#[test]
fn not_an_openapi_document() {
    for text in ["just a string", "[1, 2]", "{}", "", "openapi: 3\n"] {
        let message = error(text);
        assert!(message.starts_with("spec.yaml"), "{text:?}: {message}");
    }
}

#[test]
fn invalid_structure_names_the_place() {
    let message = error(
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      responses: 5\n",
    );
    assert!(message.contains("#/paths"), "{message}");
    assert!(
        message.contains("not a valid OpenAPI 3.0 document"),
        "{message}"
    );
}

#[test]
fn tolerated_deviations_still_generate() {
    // A number as version, 3.1-style type lists and bounds beyond i64 are read leniently.
    let text = "openapi: 3.0.0\ninfo: {title: T, version: 1.0}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        n: {type: integer, maximum: 18446744073709551615}\n        s: {type: [string, 'null']}\n";
    let spec = Spec::parse(text, "spec.yaml").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(spec.version(), "1.0");
    let files = codegen::generate(&spec, &settings()).unwrap_or_else(|e| panic!("{e}"));
    let models = files
        .iter()
        .find(|f| f.path == "src/models.rs")
        .expect("models.rs");
    assert!(
        models.contents.contains("pub n: Option<u64>"),
        "{}",
        models.contents
    );
}

#[test]
fn an_invalid_node_inside_paths_is_named_exactly() {
    // openapiv3 reads paths through `#[serde(flatten)]`, which alone would only say `#/paths`.
    let text = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      parameters:\n        - {in: query, schema: {type: string}}\n      responses:\n        '200': {description: ok}\n";
    let message = error(text);
    assert!(
        message.starts_with("spec.yaml:7:11: at #/paths/~1a/get/parameters/0: "),
        "{message}"
    );
    assert!(message.contains("missing field `name`"), "{message}");

    let text = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200': {content: {}}\n";
    let message = error(text);
    assert!(
        message.contains("at #/paths/~1a/get/responses/200: ") && message.contains("description"),
        "{message}"
    );
}

/// Parses and generates `text`, or panics with the error.
fn generates(text: &str) {
    let spec = Spec::parse(text, "spec.yaml").unwrap_or_else(|e| panic!("{e}"));
    codegen::generate(&spec, &settings()).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn tolerated_inside_paths_as_in_components() {
    // A 3.1-style type list in a 3.0 document's response schema is read from the raw
    // document; the typed view leaves that schema out instead of refusing the spec.
    generates(
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content: {application/json: {schema: {type: object, properties: {x: {type: [string, 'null']}}}}}\n",
    );
}

#[test]
fn text_handed_over_is_read_and_placed_as_text_lent() {
    // A byte-order mark, then an error inside an operation: the same fingerprint, the
    // same error with the same line and column, however the text is given.
    let text = "\u{feff}openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/nowhere'}}}}}\n";
    let lent = Spec::parse(text, "spec.yaml").unwrap();
    let owned = Spec::parse_owned(text.to_string(), "spec.yaml", None).unwrap();
    assert_eq!(owned.fingerprint(), lent.fingerprint());
    let generate = |spec: &Spec| {
        codegen::generate(spec, &settings())
            .unwrap_err()
            .to_string()
    };
    let message = generate(&owned);
    assert_eq!(message, generate(&lent));
    assert!(message.starts_with("spec.yaml:6:"), "{message}");
}

#[test]
fn byte_order_mark_and_unquoted_version_are_read() {
    generates(
        "\u{feff}{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"T\", \"version\": \"1\"}, \"paths\": {}}",
    );
    generates("\u{feff}openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\n");
    generates("openapi: 3.0\ninfo: {title: T, version: 1}\npaths: {}\n");
}

#[test]
fn a_webhook_the_generator_cannot_type_costs_nothing_else() {
    // A dangling `$ref` in a request the server sends leaves that one type out; the same
    // in an operation of the client is an error.
    let webhook = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\nwebhooks:\n  a:\n    post:\n      requestBody: {content: {application/json: {schema: {type: object, properties: {x: {type: string}}}}}}\n  b:\n    post:\n      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Nope'}}}}\n";
    let spec = Spec::parse(webhook, "spec.yaml").unwrap_or_else(|e| panic!("{e}"));
    let files = codegen::generate(&spec, &settings()).unwrap_or_else(|e| panic!("{e}"));
    let models = files.iter().find(|f| f.path == "src/models.rs").unwrap();
    assert!(!models.contents.contains("Nope"), "{}", models.contents);
    assert!(
        models.contents.contains("pub struct AWebhook"),
        "{}",
        models.contents
    );
    let operation = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    post:\n      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Nope'}}}}\n      responses: {'204': {description: ok}}\n";
    let message = error(operation);
    assert!(message.contains("Nope"), "{message}");
}

#[test]
fn a_declared_pagination_with_a_required_cursor_is_refused_clearly() {
    let text = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      x-pagination: {cursor-param: page, next-cursor: next, items: data}\n      parameters:\n        - {name: page, in: query, required: true, schema: {type: string}}\n      responses:\n        '200':\n          description: ok\n          content: {application/json: {schema: {type: object, properties: {next: {type: string}, data: {type: array, items: {type: string}}}}}}\n";
    let message = error(text);
    assert!(
        message.contains("#/paths/~1a/get/x-pagination"),
        "{message}"
    );
    assert!(message.contains("`page` is required"), "{message}");
}

/// An upstream document, and an overlay that writes a broken `$ref` into it.
const UPSTREAM: &str = "openapi: 3.1.0\ninfo: {title: T}\npaths:\n  /items?beta=true:\n    get:\n      operationId: list\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Broken'}\ncomponents:\n  schemas:\n    Item: {type: object}\n";

fn with_overlay(upstream: &str, overlay: &str) -> Result<Vec<codegen::GeneratedFile>, String> {
    let overlay = codegen::Overlay::parse(overlay, "overlay.yaml").map_err(|e| e.to_string())?;
    let spec = Spec::parse_with_overlay(upstream, "upstream.yaml", Some(&overlay))
        .map_err(|e| e.to_string())?;
    codegen::generate(&spec, &settings()).map_err(|e| e.to_string())
}

#[test]
fn errors_point_into_the_file_that_caused_them() {
    // The upstream's own broken `$ref` is reported in the upstream file.
    let overlay = "overlay: 1.1.0\ninfo: {title: o, version: '1'}\nactions:\n  - target: $.info\n    update: {version: '2'}\n";
    let message = with_overlay(UPSTREAM, overlay).unwrap_err();
    assert!(message.starts_with("upstream.yaml:12:"), "{message}");

    // A broken `$ref` the overlay wrote is reported at the action that wrote it.
    let fixed = UPSTREAM.replace("Broken", "Item");
    let overlay = "overlay: 1.1.0\ninfo: {title: o, version: '1'}\nactions:\n  - target: $.info\n    update: {version: '2'}\n  - target: $.paths['/items?beta=true'].get\n    description: a parameter of a missing type\n    update:\n      parameters:\n        - {name: q, in: query, schema: {$ref: '#/components/schemas/Missing'}}\n";
    let message = with_overlay(&fixed, overlay).unwrap_err();
    assert!(
        message.starts_with("overlay.yaml:6:") && message.contains(" at #/actions/1: "),
        "{message}"
    );
    assert!(message.contains("written by action 1"), "{message}");
}

#[test]
fn a_missing_info_version_is_a_warning_not_a_refusal() {
    let spec = Spec::parse(&UPSTREAM.replace("Broken", "Item"), "upstream.yaml").unwrap();
    let warnings: Vec<String> = spec.warnings().iter().map(|w| w.to_string()).collect();
    assert_eq!(
        warnings,
        [
            "at #/info/version: the document has no `info.version`, which OpenAPI requires; read as \"\""
        ]
    );
    codegen::generate(&spec, &settings()).expect("generates");
    // Given by the overlay, the stand-in is not needed.
    let overlay = codegen::Overlay::parse(
        "overlay: 1.0.0\ninfo: {title: o, version: '1'}\nactions:\n  - target: $.info\n    update: {version: '2'}\n",
        "overlay.yaml",
    )
    .unwrap();
    let spec = Spec::parse_with_overlay(
        &UPSTREAM.replace("Broken", "Item"),
        "u.yaml",
        Some(&overlay),
    )
    .unwrap();
    assert!(spec.warnings().is_empty(), "{:?}", spec.warnings());
}

#[test]
fn the_mock_document_keeps_path_queries_as_required_parameters() {
    let overlay = codegen::Overlay::parse(
        "overlay: 1.1.0\ninfo: {title: o, version: '1'}\nactions:\n  - target: $.info\n    update: {version: '2'}\n",
        "overlay.yaml",
    )
    .unwrap();
    let upstream = UPSTREAM.replace("Broken", "Item");
    let effective: serde_json::Value =
        serde_json::from_str(&codegen::effective_document(&upstream, "u.yaml", &overlay).unwrap())
            .unwrap();
    assert_eq!(effective["info"]["version"], "2");
    assert!(effective["paths"].get("/items?beta=true").is_some());
    let mock: serde_json::Value =
        serde_json::from_str(&codegen::mock_document(&upstream, "u.yaml", &overlay).unwrap())
            .unwrap();
    assert!(mock["paths"].get("/items?beta=true").is_none());
    assert_eq!(
        mock["paths"]["/items"]["get"]["parameters"],
        serde_json::json!([{"name": "beta", "in": "query", "required": true,
            "schema": {"type": "string", "enum": ["true"]}}])
    );
    // 3.2: the operations of `additionalOperations` get the pairs too.
    let upstream = "openapi: 3.2.0\ninfo: {title: T, version: '1'}\npaths:\n  /x?mode=a:\n    additionalOperations:\n      LOCK: {responses: {'204': {description: ok}}}\n";
    let mock: serde_json::Value =
        serde_json::from_str(&codegen::mock_document(upstream, "u.yaml", &overlay).unwrap())
            .unwrap();
    assert_eq!(
        mock["paths"]["/x"]["additionalOperations"]["LOCK"]["parameters"],
        serde_json::json!([{"name": "mode", "in": "query", "required": true,
            "schema": {"type": "string", "enum": ["a"]}}])
    );
}
