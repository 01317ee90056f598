//! `api-surface.txt`: the generated crate's public API as text, one fact per line, so a
//! pull request shows what changed for users and [`crate::changes`] can compare two
//! versions.
//!
//! # Format
//! The first line is `# {header}` (the `@generated` header); other lines starting with `#`
//! are comments and blank lines separate items. Every other line is one fact,
//! `key: value`. The key is words separated by single spaces; a word that is not plain
//! (letters, digits, `_ - . $ @ # / [ ]`) is written as a JSON string, so a key never
//! holds `": "` outside quotes and the first `": "` outside quotes ends it. Operations
//! come in spec order, then types in spec order; each item's lines follow its own.
//!
//! | key | value |
//! |---|---|
//! | `client env base_url` (also `api_key`, `bearer_token`) | the environment variable read |
//! | `client api_key header` | the header the API key goes in |
//! | `operation {method}` | `{METHOD} {path}`, the path as the spec writes it |
//! | `operation {method} path {wire}` | the argument's Rust type (arguments follow the path's order) |
//! | `operation {method} params` | the parameters struct, the `params` argument |
//! | `operation {method} query\|header\|cookie\|querystring {wire}` | `required\|optional {Rust type}[ as {field}]` |
//! | `operation {method} body` | `required\|optional {Rust type}` of the `body` argument |
//! | `operation {method} body media {content type}` | the type sent as that media type[` as {Enum}::{Variant}`] |
//! | `operation {method} returns` | the success type |
//! | `operation {method} returns {status\|other}` | a response enum's variant: `{Variant}[({type})]` |
//! | `operation {method} stream` | `{method}_stream yields {item type}` |
//! | `operation {method} errors` | the enum of the error bodies the spec describes |
//! | `type {Name}` | `struct`, `form struct`, `string enum`, `int enum`, `value enum`, `union`, `alias {type}` or `newtype {type}` |
//! | `type {Name} field {wire}` | `required\|optional {Rust type}[ as {field}]` |
//! | `type {Name} flatten {field}` | the flattened type |
//! | `type {Name} additional` | the type of `additional_properties` |
//! | `type {Name} value {JSON value}` | the variant (values of open enums, by their wire value) |
//! | `type {Name} variant {Variant}` | the variant's type (unions) |
//! | `feature {name}` | the tag or path resource whose operations the Cargo feature compiles |
//! | `operation {method} features`, `type {Name} features` | the features that compile it, `, `-separated (absent: always compiled) |
//!
//! `as {field}` appears only where the Rust name differs from the wire name. Rust types are
//! written as the generated code writes them (`Option<Vec<Skill>>`,
//! `std::collections::BTreeMap<String, serde_json::Value>`). Parameter structs are not
//! listed as types: their fields are the operation's parameters.

use crate::emit::client::path_arg_ty;
use crate::emit::models::field_ty;
use crate::emit::ty_tokens;
use crate::features::{Features, Gate};
use crate::ir::{
    Location, Model, Operation, ResponseBody, ResponseShape, StructRole, Ty, TypeDef, TypeId,
    TypeKind,
};
use crate::naming::{suffixed, unraw};

/// The surface of the crate generated from `model`; `header` is the `@generated` line.
pub(crate) fn render(model: &Model, features: &Features, header: &str) -> String {
    let mut out = Lines::default();
    out.raw(&format!("# {header}"));
    out.raw("# The crate's public API, one `key: value` fact per line: a diff of this file is a diff of the API.");
    client(&mut out, model);
    for (name, group) in features.names().iter().zip(features.groups()) {
        out.fact(&["feature", name], group);
    }
    let gated = |out: &mut Lines, key: &[&str], gate: &Gate| {
        let names = features.of(gate);
        if !names.is_empty() {
            out.fact(key, &names.join(", "));
        }
    };
    for (i, op) in model.operations.iter().enumerate() {
        out.raw("");
        operation(&mut out, op, &model.types);
        gated(
            &mut out,
            &["operation", &op.ident, "features"],
            features.operation(i),
        );
    }
    for id in TypeId::all(&model.types) {
        let def = &model.types[id];
        if matches!(&def.kind, TypeKind::Struct(s) if s.role == StructRole::Params) {
            continue;
        }
        out.raw("");
        type_def(&mut out, def, &model.types);
        gated(
            &mut out,
            &["type", &def.name, "features"],
            features.type_gate(id),
        );
    }
    out.text
}

#[derive(Default)]
struct Lines {
    text: String,
}

impl Lines {
    fn raw(&mut self, line: &str) {
        self.text.push_str(&one_line(line));
        self.text.push('\n');
    }

    /// A fact: key words (each quoted if it needs it) and the value.
    fn fact(&mut self, key: &[&str], value: &str) {
        let key: Vec<String> = key.iter().map(|w| word(w)).collect();
        self.raw(&format!("{}: {value}", key.join(" ")));
    }
}

/// A key word as written: as is when plain, else as a JSON string.
fn word(text: &str) -> String {
    let plain = !text.is_empty()
        && !text.starts_with('"')
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-.$@#/[]".contains(c));
    if plain {
        text.to_string()
    } else {
        json_string(text)
    }
}

fn json_string(text: &str) -> String {
    serde_json::Value::String(text.to_string()).to_string()
}

/// Control characters escaped, so no text from the spec can split a fact across lines.
fn one_line(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// A Rust type as the generated code writes it (`Vec<Skill>`, `Option<String>`).
fn ty_text(ty: &Ty, types: &[TypeDef]) -> String {
    compact(&ty_tokens(ty, types).to_string())
}

/// Token text with only the spaces Rust needs (between words) and one after each comma:
/// `Vec < Option < X > >` → `Vec<Option<X>>`.
fn compact(tokens: &str) -> String {
    let chars: Vec<char> = tokens.chars().collect();
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let mut out = String::with_capacity(tokens.len());
    for (i, &c) in chars.iter().enumerate() {
        if c != ' ' {
            out.push(c);
            continue;
        }
        let before = out.chars().next_back();
        let after = chars[i + 1..].iter().copied().find(|&c| c != ' ');
        let keep = match (before, after) {
            (Some(','), _) => true,
            (Some(b), Some(a)) => is_word(b) && is_word(a),
            _ => false,
        };
        if keep && before != Some(' ') {
            out.push(' ');
        }
    }
    out
}

/// `required Ty` or `optional Ty`, with ` as {ident}` when the Rust name is not the wire name.
fn slot(required: bool, ty: &str, ident: &str, wire: &str) -> String {
    let flag = if required { "required" } else { "optional" };
    if unraw(ident) == wire {
        format!("{flag} {ty}")
    } else {
        format!("{flag} {ty} as {ident}")
    }
}

fn client(out: &mut Lines, model: &Model) {
    let facts = &model.client;
    let non_empty = |v: &Option<String>| v.clone().filter(|v| !v.is_empty());
    if let Some(env) = non_empty(&facts.base_url_env) {
        out.fact(&["client", "env", "base_url"], &env);
    }
    if let Some((header, env)) = &facts.api_key {
        if let Some(env) = non_empty(env) {
            out.fact(&["client", "env", "api_key"], &env);
        }
        out.fact(&["client", "api_key", "header"], header);
    }
    if let Some(env) = non_empty(&facts.bearer_env) {
        out.fact(&["client", "env", "bearer_token"], &env);
    }
}

fn location_word(location: Location) -> &'static str {
    match location {
        Location::Path => "path",
        Location::Query => "query",
        Location::Header => "header",
        Location::Cookie => "cookie",
        Location::QueryString => "querystring",
    }
}

fn response_text(body: &ResponseBody, types: &[TypeDef]) -> String {
    ty_text(&body.ty(), types)
}

fn operation(out: &mut Lines, op: &Operation, types: &[TypeDef]) {
    let name = op.ident.as_str();
    out.fact(
        &["operation", name],
        &format!("{} {}", op.method.wire(), op.path),
    );
    for p in &op.path_params {
        let ty = compact(&path_arg_ty(p, types).to_string());
        out.fact(&["operation", name, "path", &p.wire], &ty);
    }
    if let Some(params) = &op.params_type {
        out.fact(&["operation", name, "params"], params);
    }
    for p in &op.params {
        // As the field of the params struct: `Option` unless required.
        let ty = if p.required {
            p.ty.clone()
        } else {
            p.ty.clone().option()
        };
        let value = slot(p.required, &ty_text(&ty, types), &p.ident, &p.wire);
        out.fact(
            &["operation", name, location_word(p.location), &p.wire],
            &value,
        );
    }
    if let Some(body) = &op.body {
        let ty = match (&body.enum_name, body.media.first()) {
            (Some(enum_name), _) => Some(enum_name.to_string()),
            (None, Some(media)) => Some(ty_text(&media.ty, types)),
            (None, None) => None,
        };
        if let Some(ty) = ty {
            let flag = if body.required {
                "required"
            } else {
                "optional"
            };
            out.fact(&["operation", name, "body"], &format!("{flag} {ty}"));
        }
        for media in &body.media {
            let ty = ty_text(&media.ty, types);
            let value = match &body.enum_name {
                Some(enum_name) => format!("{ty} as {enum_name}::{}", media.variant),
                None => ty,
            };
            out.fact(
                &["operation", name, "body", "media", &media.content_type],
                &value,
            );
        }
    }
    match &op.response {
        ResponseShape::Single(body) => {
            out.fact(&["operation", name, "returns"], &response_text(body, types));
        }
        ResponseShape::ByStatus {
            name: enum_name,
            variants,
        } => {
            out.fact(&["operation", name, "returns"], enum_name);
            for v in variants {
                let status = v
                    .status
                    .map_or_else(|| "other".to_string(), |s| s.to_string());
                let value = match &v.body {
                    ResponseBody::Empty => v.ident.to_string(),
                    body => format!("{}({})", v.ident, response_text(body, types)),
                };
                out.fact(&["operation", name, "returns", &status], &value);
            }
        }
    }
    if let Some(page) = &op.pagination {
        let value = format!(
            "{} yields {}",
            suffixed(&op.ident, crate::naming::STREAM),
            ty_text(&page.item_ty, types)
        );
        out.fact(&["operation", name, "stream"], &value);
    }
    if let Some(stream) = &op.stream {
        let format = match stream.format {
            crate::ir::StreamFormat::Sse => "server-sent events",
            crate::ir::StreamFormat::JsonLines => "JSON lines",
        };
        let value = format!(
            "{} yields {} of {}",
            suffixed(&op.ident, crate::naming::EVENTS),
            format,
            ty_text(&stream.item, types)
        );
        out.fact(&["operation", name, "events"], &value);
    }
    if let Some(errors) = &op.errors {
        out.fact(&["operation", name, "errors"], &errors.name);
    }
}

fn type_def(out: &mut Lines, def: &TypeDef, types: &[TypeDef]) {
    let name = def.name.as_str();
    match &def.kind {
        TypeKind::Alias(ty) => {
            out.fact(&["type", name], &format!("alias {}", ty_text(ty, types)));
        }
        TypeKind::Newtype(ty) => {
            out.fact(&["type", name], &format!("newtype {}", ty_text(ty, types)));
        }
        TypeKind::Struct(s) => {
            let kind = match s.role {
                StructRole::Form => "form struct",
                StructRole::Model | StructRole::Params => "struct",
            };
            out.fact(&["type", name], kind);
            for f in &s.fields {
                let ty = ty_text(&field_ty(f, s.role), types);
                if f.flatten {
                    out.fact(&["type", name, "flatten", &f.ident], &ty);
                } else {
                    let value = slot(f.required, &ty, &f.ident, &f.wire);
                    out.fact(&["type", name, "field", &f.wire], &value);
                }
            }
            if let Some(additional) = &s.additional {
                let map = ty_text(&Ty::Map(Box::new(additional.clone())), types);
                out.fact(&["type", name, "additional"], &map);
            }
        }
        TypeKind::StringEnum(variants) => {
            out.fact(&["type", name], "string enum");
            for v in variants {
                let value = json_string(&v.value);
                out.raw(&format!("type {} value {value}: {}", word(name), v.ident));
            }
        }
        TypeKind::IntEnum(variants) => {
            out.fact(&["type", name], "int enum");
            for v in variants {
                out.fact(&["type", name, "value", &v.value.to_string()], &v.ident);
            }
        }
        TypeKind::ValueEnum(variants) => {
            out.fact(&["type", name], "value enum");
            for v in variants {
                // Compact JSON: spaces only inside strings, so the text is one key word.
                out.raw(&format!(
                    "type {} value {}: {}",
                    word(name),
                    v.value,
                    v.ident
                ));
            }
        }
        TypeKind::Union(union) => {
            out.fact(&["type", name], "union");
            for v in &union.variants {
                out.fact(&["type", name, "variant", &v.ident], &ty_text(&v.ty, types));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{compact, render, word};
    use crate::Spec;

    /// The surface of `spec` (YAML text), with a fixed header.
    fn surface_of(spec: &str) -> String {
        let spec = Spec::parse(spec, "test.yaml").expect("spec parses");
        let model = crate::model(&spec).expect("model builds");
        let features = crate::features::Features::new(&model, &["default"]);
        render(&model, &features, "@generated by test")
    }

    const SPEC: &str = r#"
openapi: 3.0.3
info: { title: T, version: "1" }
servers:
  - url: https://example.test
    x-env: EXAMPLE_BASE_URL
paths:
  /v1/skills:
    get:
      operationId: listSkills
      parameters:
        - { name: page, in: query, schema: { type: string } }
        - { name: limit, in: query, required: true, schema: { type: integer, format: int64 } }
        - name: anthropic-beta
          in: header
          schema: { type: array, items: { $ref: '#/components/schemas/Beta' } }
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                required: [data]
                properties:
                  data: { type: array, items: { $ref: '#/components/schemas/Skill' } }
  /v1/skills/{skill_id}:
    delete:
      operationId: deleteSkill
      parameters:
        - { name: skill_id, in: path, required: true, schema: { type: string } }
      requestBody:
        required: true
        content:
          application/json:
            schema: { $ref: '#/components/schemas/Skill' }
      responses:
        "204": { description: gone }
components:
  schemas:
    Skill:
      type: object
      required: [id, type]
      properties:
        id: { type: string }
        type: { type: string }
        display_title: { type: string, nullable: true }
        tags: { type: array, items: { type: string } }
    Beta:
      type: string
      enum: [skills-2025-10-02, "odd: value"]
    Level:
      type: integer
      enum: [1, 2]
    Block:
      oneOf:
        - { $ref: '#/components/schemas/Skill' }
        - { type: array, items: { $ref: '#/components/schemas/Level' } }
"#;

    #[test]
    fn lists_operations_parameters_fields_and_enum_values() {
        let surface = surface_of(SPEC);
        let lines: Vec<&str> = surface.lines().collect();
        assert_eq!(lines[0], "# @generated by test");
        for expected in [
            "client env base_url: EXAMPLE_BASE_URL",
            "operation list_skills: GET /v1/skills",
            "operation list_skills params: ListSkillsParams",
            "operation list_skills query page: optional Option<String>",
            "operation list_skills query limit: required i64",
            "operation list_skills header anthropic-beta: optional Option<Vec<Beta>> as anthropic_beta",
            "operation list_skills returns: ListSkillsResponse",
            "operation delete_skill: DELETE /v1/skills/{skill_id}",
            "operation delete_skill path skill_id: &str",
            "operation delete_skill body: required Skill",
            "operation delete_skill body media application/json: Skill",
            "operation delete_skill returns: ()",
            "type Skill: struct",
            "type Skill field id: required String",
            "type Skill field type: required String",
            "type Skill field display_title: optional Option<Option<String>>",
            "type Skill field tags: optional Option<Vec<String>>",
            "type Beta: string enum",
            "type Beta value \"skills-2025-10-02\": Skills20251002",
            "type Beta value \"odd: value\": OddValue",
            "type ListSkillsResponse field data: required Vec<Skill>",
            "type Level: int enum",
            "type Level value 2: V2",
            "type Block: union",
            "type Block variant Skill: Skill",
            "type Block variant Array: Vec<Level>",
        ] {
            assert!(
                lines.contains(&expected),
                "missing {expected:?} in:\n{surface}"
            );
        }
        // Parameter structs are described by their operations, not as types.
        assert!(!surface.contains("type ListSkillsParams"), "{surface}");
        // No operation without a pagination shape claims a stream.
        assert!(!surface.contains(" stream: "), "{surface}");
    }

    #[test]
    fn rendering_is_deterministic() {
        assert_eq!(surface_of(SPEC), surface_of(SPEC));
    }

    #[test]
    fn types_are_written_as_in_code_and_odd_words_are_quoted() {
        assert_eq!(
            compact("std :: collections :: BTreeMap < String , Vec < Option < X > > >"),
            "std::collections::BTreeMap<String, Vec<Option<X>>>"
        );
        assert_eq!(compact("& str"), "&str");
        assert_eq!(compact("()"), "()");
        assert_eq!(word("anthropic-beta"), "anthropic-beta");
        assert_eq!(word("files[]"), "files[]");
        assert_eq!(word("a: b"), "\"a: b\"");
        assert_eq!(word(""), "\"\"");
        assert_eq!(
            word("text/plain; charset=utf-8"),
            "\"text/plain; charset=utf-8\""
        );
    }
}
