//! Paths and operations become [`Operation`]s: names, parameters with their styles,
//! request bodies per media type, success responses and pagination.

use std::collections::HashMap;

use serde_json::Value;

use crate::error::Error;
use crate::ir::{
    BodyKind, BodyMedia, ClientFacts, Docs, ErrorShape, ErrorVariant, Field, Location, Operation,
    Param, RequestBody, ResponseBody, ResponseShape, StatusMatch, StatusVariant, Struct,
    StructRole, Style, Ty, TypeDef, TypeKind,
};
use crate::load::Spec;
use crate::naming::{Scope, camel, snake};
use crate::schema::{TypeSpace, default_json, docs, primary_type};
use crate::{pagination, pointer};

/// The operation keys of a Path Item Object.
pub(crate) const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Method names the generated `Client` already has.
const CLIENT_METHODS: &[&str] = &[
    "new",
    "builder",
    "builder_from_env",
    "from_env",
    "with_options",
    "runtime",
    "base_url",
    "clone",
    "fmt",
];

pub(crate) fn operations<'a>(
    spec: &'a Spec,
    space: &mut TypeSpace<'a>,
) -> Result<Vec<Operation>, Error> {
    let mut names = Scope::with_reserved(CLIENT_METHODS);
    let mut out = Vec::new();
    let Some(paths) = spec.raw.get("paths").and_then(Value::as_object) else {
        return Ok(out);
    };
    for (path, item) in paths {
        let item_ptr = format!("#/paths/{}", pointer::escape(path));
        let (item, item_ptr) = space.deref(item, &item_ptr)?;
        let shared: Vec<(&Value, String)> = list(item, "parameters")
            .iter()
            .enumerate()
            .map(|(i, p)| (p, format!("{item_ptr}/parameters/{i}")))
            .collect();
        for method in METHODS {
            let Some(op) = item.get(*method).filter(|o| o.is_object()) else {
                continue;
            };
            let op_ptr = format!("{item_ptr}/{method}");
            let base = match op.get("operationId").and_then(Value::as_str) {
                Some(id) => snake(id, "operation"),
                None => snake(&format!("{method} {path}"), "operation"),
            };
            // The emitter adds `<name>_with_response` and `<name>_stream` beside each one.
            let ident = names.claim_with(base, &["_with_response", "_stream"]);
            out.push(operation(space, ident, method, path, op, &op_ptr, &shared)?);
        }
    }
    share_error_enums(&mut out, space);
    Ok(out)
}

/// Operations whose error enums would be identical share one enum with a name of its
/// own (see [`crate::naming::shared_error_names`]); each keeps its own name as a type
/// alias: large specs repeat the same few error responses on every operation.
fn share_error_enums(operations: &mut [Operation], space: &mut TypeSpace<'_>) {
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    for (i, op) in operations.iter().enumerate() {
        let Some(errors) = &op.errors else { continue };
        let key = format!("{:?}", errors.variants);
        let group = *by_key.entry(key.clone()).or_insert_with(|| {
            groups.push((key, Vec::new()));
            groups.len() - 1
        });
        groups[group].1.push(i);
    }
    groups.retain(|(_, ops)| ops.len() > 1);
    let shapes: Vec<&[ErrorVariant]> = groups
        .iter()
        .filter_map(|(_, ops)| operations[ops[0]].errors.as_ref())
        .map(|errors| errors.variants.as_slice())
        .collect();
    let names = crate::naming::shared_error_names(&shapes, &space.types);
    for ((_, ops), base) in groups.iter().zip(names) {
        let name = space.claim_name(&base);
        for &i in ops {
            if let Some(errors) = operations[i].errors.as_mut() {
                errors.shared = Some(name.clone());
            }
        }
    }
}

/// Types for the JSON bodies of requests the server sends (a 3.1 document's `webhooks`,
/// operations' `callbacks`), so receivers can decode them; components they `$ref` are
/// models already. Such a body the generator cannot type is left out: it describes no
/// call this client makes, so it must not cost the whole crate.
pub(crate) fn incoming_payloads<'a>(spec: &'a Spec, space: &mut TypeSpace<'a>) {
    // (path item, its pointer, the type name hint, a doc note)
    let mut items: Vec<(&'a Value, String, String, String)> = Vec::new();
    if let Some(webhooks) = spec.raw.get("webhooks").and_then(Value::as_object) {
        for (name, item) in webhooks {
            let ptr = format!("#/webhooks/{}", pointer::escape(name));
            let note = format!("The body of the `{name}` webhook's requests to you.");
            items.push((
                item,
                ptr,
                format!("{}Webhook", camel(name, "Incoming")),
                note,
            ));
        }
    }
    let paths = spec.raw.get("paths").and_then(Value::as_object);
    for (path, item) in paths.into_iter().flatten() {
        let item_ptr = format!("#/paths/{}", pointer::escape(path));
        let Ok((item, item_ptr)) = space.deref(item, &item_ptr) else {
            continue;
        };
        for method in METHODS {
            let Some(callbacks) = item
                .get(*method)
                .and_then(|op| op.get("callbacks"))
                .and_then(Value::as_object)
            else {
                continue;
            };
            for (name, callback) in callbacks {
                let ptr = format!("{item_ptr}/{method}/callbacks/{}", pointer::escape(name));
                let Ok((callback, ptr)) = space.deref(callback, &ptr) else {
                    continue;
                };
                for (expression, item) in callback.as_object().into_iter().flatten() {
                    let ptr = format!("{ptr}/{}", pointer::escape(expression));
                    let note = format!(
                        "The body of the `{name}` callback's requests to you (set up by `{} {path}`).",
                        method.to_ascii_uppercase()
                    );
                    items.push((
                        item,
                        ptr,
                        format!("{}Callback", camel(name, "Incoming")),
                        note,
                    ));
                }
            }
        }
    }
    let mut bodies: Vec<(&'a Value, String, String, String)> = Vec::new();
    for (item, ptr, hint, note) in items {
        let Ok((item, ptr)) = space.deref(item, &ptr) else {
            continue;
        };
        for method in METHODS {
            let Some(body) = item.get(*method).and_then(|op| op.get("requestBody")) else {
                continue;
            };
            let Ok((body, body_ptr)) = space.deref(body, &format!("{ptr}/{method}/requestBody"))
            else {
                continue;
            };
            let content = body.get("content").and_then(Value::as_object);
            let json = content
                .into_iter()
                .flatten()
                .find(|(media, _)| is_json_media(media));
            if let Some((media, entry)) = json
                && let Some(schema) = entry.get("schema")
            {
                let ptr = format!("{body_ptr}/content/{}/schema", pointer::escape(media));
                bodies.push((schema, ptr, hint.clone(), note.clone()));
            }
        }
    }
    let known = space.types.len();
    for (schema, ptr, hint, note) in bodies {
        let before = space.types.len();
        let Ok(ty) = space.ty(schema, &ptr, &hint) else {
            // Types this body pushed could be half-built: drop them and stop, since
            // the next bodies could refer to them.
            space.types.truncate(before);
            return;
        };
        // A type made for this body (not a component) says what it is for.
        let ty = match ty {
            Ty::Option(inner) => *inner,
            other => other,
        };
        if let Ty::Named(id) = ty
            && id >= known
            && space.types[id].docs.description.is_none()
        {
            space.types[id].docs.description = Some(note);
        }
    }
}

fn is_json_media(media: &str) -> bool {
    let essence = media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}

fn list<'v>(value: &'v Value, key: &str) -> &'v [Value] {
    value
        .get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn operation<'a>(
    space: &mut TypeSpace<'a>,
    ident: String,
    method: &str,
    path: &str,
    op: &'a Value,
    op_ptr: &str,
    shared: &[(&'a Value, String)],
) -> Result<Operation, Error> {
    let type_base = camel(crate::naming::unraw(&ident), "Operation");
    // Operation-level parameters override path-level ones with the same name and location.
    let mut raw_params: Vec<(&'a Value, String)> = Vec::new();
    let own: Vec<(&'a Value, String)> = list(op, "parameters")
        .iter()
        .enumerate()
        .map(|(i, p)| (p, format!("{op_ptr}/parameters/{i}")))
        .collect();
    for (param, ptr) in shared.iter().cloned().chain(own) {
        let (resolved, resolved_ptr) = space.deref(param, &ptr)?;
        let key = (resolved.get("name").cloned(), resolved.get("in").cloned());
        raw_params.retain(|(p, _)| (p.get("name").cloned(), p.get("in").cloned()) != key);
        raw_params.push((resolved, resolved_ptr));
    }

    let mut path_params = Vec::new();
    let mut params = Vec::new();
    let mut constant_headers = Vec::new();
    let mut scope = Scope::default();
    let mut arg_scope = Scope::with_reserved(crate::naming::METHOD_LOCALS);
    for (raw, ptr) in raw_params {
        let Some(wire) = raw.get("name").and_then(Value::as_str) else {
            return Err(Error::unsupported(ptr, "parameter without a `name`"));
        };
        let location = match raw.get("in").and_then(Value::as_str) {
            Some("path") => Location::Path,
            Some("query") => Location::Query,
            Some("header") => Location::Header,
            Some("cookie") => Location::Cookie,
            other => {
                return Err(Error::unsupported(
                    ptr,
                    format!(
                        "parameter location {other:?} is not one of path, query, header, cookie"
                    ),
                ));
            }
        };
        if location == Location::Header
            && ["accept", "content-type", "authorization"]
                .contains(&wire.to_ascii_lowercase().as_str())
        {
            // OpenAPI says these are ignored as parameters; the client sets them itself.
            continue;
        }
        let (schema, schema_ptr, json) = param_schema(raw, &ptr);
        let required = location == Location::Path
            || raw
                .get("required")
                .and_then(Value::as_bool)
                .unwrap_or(false);
        if let Some(schema) = schema {
            let (resolved, _) = space.deref(schema, &schema_ptr)?;
            // A required header with one allowed value is sent for the caller.
            if let Some(value) = single_value(resolved)
                && required
                && location == Location::Header
            {
                constant_headers.push((wire.to_string(), value));
                continue;
            }
        }
        let hint = format!("{type_base}{}", camel(wire, "Param"));
        let ty = match schema {
            Some(schema) => space.ty(schema, &schema_ptr, &hint)?,
            None => Ty::String,
        };
        let ty = match ty {
            Ty::Option(inner) => *inner,
            other => other,
        };
        let style = match raw.get("style").and_then(Value::as_str) {
            Some("form") => Style::Form,
            Some("simple") => Style::Simple,
            Some("deepObject") => Style::DeepObject,
            Some("pipeDelimited") => Style::PipeDelimited,
            Some("spaceDelimited") => Style::SpaceDelimited,
            Some("label") => Style::Label,
            Some("matrix") => Style::Matrix,
            _ => match location {
                Location::Query | Location::Cookie => Style::Form,
                Location::Path | Location::Header => Style::Simple,
            },
        };
        let explode = raw
            .get("explode")
            .and_then(Value::as_bool)
            .unwrap_or(style == Style::Form);
        let always_send = raw
            .get("x-always-send")
            .and_then(Value::as_array)
            .map(|v| {
                v.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        let param = Param {
            ident: String::new(),
            wire: wire.to_string(),
            location,
            ty,
            required,
            style,
            explode,
            json,
            docs: Docs {
                default: raw.get("schema").and_then(default_json),
                ..docs(raw)
            },
            always_send,
        };
        if location == Location::Path {
            path_params.push(Param {
                ident: arg_scope.claim_with(snake(wire, "param"), &[crate::naming::SEGMENT]),
                ..param
            });
        } else {
            params.push(Param {
                ident: scope.claim(snake(wire, "param")),
                ..param
            });
        }
    }
    // A declared path parameter the template does not name has nowhere to go.
    let template = template_names(path);
    path_params.retain(|p| template.contains(&p.wire));
    // Path parameters the template names but the spec never declares still need a value.
    for name in template {
        if !path_params.iter().any(|p| p.wire == name) {
            path_params.push(Param {
                ident: arg_scope.claim_with(snake(&name, "param"), &[crate::naming::SEGMENT]),
                wire: name,
                location: Location::Path,
                ty: Ty::String,
                required: true,
                style: Style::Simple,
                explode: false,
                json: false,
                docs: Docs::default(),
                always_send: Vec::new(),
            });
        }
    }
    // Keep positional arguments in the order they appear in the path.
    path_params.sort_by_key(|p| path.find(&format!("{{{}}}", p.wire)).unwrap_or(usize::MAX));

    let params_type = if params.is_empty() {
        None
    } else {
        let name = space.claim_name(&format!("{type_base}Params"));
        let fields = params
            .iter()
            .map(|p| Field {
                ident: p.ident.clone(),
                wire: p.wire.clone(),
                ty: p.ty.clone(),
                required: p.required,
                nullable: false,
                docs: p.docs.clone(),
                read_only: false,
                write_only: false,
                upload: None,
                flatten: false,
            })
            .collect();
        space.push(TypeDef {
            name: name.clone(),
            docs: Docs {
                description: Some(format!("Query, header and cookie parameters of [`Client::{ident}`](crate::Client::{ident}).")),
                ..Docs::default()
            },
            kind: TypeKind::Struct(Struct { fields, additional: None, role: StructRole::Params }),
            pointer: format!("{op_ptr}/parameters"),
        });
        Some(name)
    };

    let body = match op.get("requestBody") {
        Some(body) => Some(request_body(
            space,
            body,
            &format!("{op_ptr}/requestBody"),
            &type_base,
        )?),
        None => None,
    };
    let (request_path, fixed_query) = request_path(path);
    let response = responses(space, op, op_ptr, &type_base)?;
    let errors = errors(space, op, op_ptr, &type_base);
    let pagination = match op.get("x-pagination") {
        Some(ext) => Some(pagination::declared(
            &space.types,
            ext,
            &params,
            &response,
            op_ptr,
        )?),
        None if method.eq_ignore_ascii_case("get") => {
            pagination::inferred(&space.types, &params, &response)
        }
        None => None,
    };
    Ok(Operation {
        ident,
        method: method.to_ascii_uppercase(),
        path: path.to_string(),
        request_path,
        fixed_query,
        docs: Docs {
            description: op
                .get("description")
                .and_then(Value::as_str)
                .map(str::to_string),
            deprecated: op
                .get("deprecated")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            default: None,
        },
        summary: op
            .get("summary")
            .and_then(Value::as_str)
            .map(str::to_string),
        path_params,
        params,
        params_type,
        constant_headers,
        body,
        response,
        errors,
        pagination,
    })
}

/// Splits a path key into what is sent: the path without any `#fragment` (AWS specs
/// write `/#X-Amz-Target=...` to keep keys unique; fragments never reach the server),
/// with a leading `/` and its literal text percent-encoded (`{templates}` left for the
/// parameters), and the pairs of any `?query` written into it.
pub(crate) fn request_path(key: &str) -> (String, Vec<(String, String)>) {
    let key = key.split('#').next().unwrap_or_default();
    let (path, query) = key.split_once('?').unwrap_or((key, ""));
    let mut out = String::with_capacity(path.len() + 1);
    if !path.starts_with('/') {
        out.push('/');
    }
    let mut in_template = false;
    for c in path.chars() {
        match c {
            '{' => in_template = true,
            '}' => in_template = false,
            _ => {}
        }
        let plain = c.is_ascii_alphanumeric() || "-._~%!$&'()*+,;=:@/{}".contains(c);
        if in_template || plain {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    let pairs = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(name), percent_decode(value))
        })
        .collect();
    (out, pairs)
}

/// `%XX` and `+` decoded; malformed escapes are kept as written.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The names inside `{}` of a path template, in order.
fn template_names(path: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        names.push(rest[start + 1..start + len].to_string());
        rest = &rest[start + len + 1..];
    }
    names
}

/// The parameter's schema: `schema`, or the first media type of `content` (JSON-encoded).
fn param_schema<'v>(raw: &'v Value, ptr: &str) -> (Option<&'v Value>, String, bool) {
    if let Some(schema) = raw.get("schema") {
        return (Some(schema), format!("{ptr}/schema"), false);
    }
    if let Some((media, content)) = raw
        .get("content")
        .and_then(Value::as_object)
        .and_then(|c| c.iter().next())
    {
        let media_ptr = format!("{ptr}/content/{}", pointer::escape(media));
        return (
            content.get("schema"),
            format!("{media_ptr}/schema"),
            is_json(media),
        );
    }
    (None, ptr.to_string(), false)
}

fn single_value(schema: &Value) -> Option<String> {
    match schema
        .get("enum")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
    {
        Some([Value::String(value)]) => Some(value.clone()),
        _ => None,
    }
}

fn is_json(media: &str) -> bool {
    let media = media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    media == "application/json" || media.ends_with("+json") || media == "text/json"
}

fn body_kind(media: &str) -> BodyKind {
    let lower = media.to_ascii_lowercase();
    if is_json(&lower) {
        BodyKind::Json
    } else if lower.starts_with("multipart/") {
        BodyKind::Multipart
    } else if lower.starts_with("application/x-www-form-urlencoded") {
        BodyKind::Form
    } else if lower.starts_with("text/") {
        BodyKind::Text
    } else {
        BodyKind::Binary
    }
}

fn request_body<'a>(
    space: &mut TypeSpace<'a>,
    body: &'a Value,
    ptr: &str,
    type_base: &str,
) -> Result<RequestBody, Error> {
    let (body, body_ptr) = space.deref(body, ptr)?;
    let mut media = Vec::new();
    let mut variants = Scope::default();
    if let Some(content) = body.get("content").and_then(Value::as_object) {
        for (content_type, entry) in content {
            let media_ptr = format!("{body_ptr}/content/{}", pointer::escape(content_type));
            let kind = body_kind(content_type);
            let schema = entry.get("schema");
            let schema_ptr = format!("{media_ptr}/schema");
            let ty = match (kind, schema) {
                (BodyKind::Json | BodyKind::Form, Some(schema)) => {
                    space.ty(schema, &schema_ptr, &format!("{type_base}Body"))?
                }
                (BodyKind::Json | BodyKind::Form, None) => Ty::Value,
                (BodyKind::Multipart, Some(schema)) => {
                    form_type(space, schema, &schema_ptr, type_base)?
                }
                (BodyKind::Multipart, None) => Ty::Vec(Box::new(Ty::File)),
                (BodyKind::Text, _) => Ty::String,
                (BodyKind::Binary, _) => Ty::Bytes,
            };
            let word = match kind {
                BodyKind::Json => "Json",
                BodyKind::Multipart => "Multipart",
                BodyKind::Form => "Form",
                BodyKind::Text => "Text",
                BodyKind::Binary => "Binary",
            };
            media.push(BodyMedia {
                content_type: content_type.clone(),
                kind,
                ty,
                variant: variants.claim(word.to_string()),
            });
        }
    }
    let enum_name = (media.len() > 1).then(|| space.claim_name(&format!("{type_base}Body")));
    Ok(RequestBody {
        required: body
            .get("required")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        media,
        enum_name,
    })
}

/// A multipart body: a form struct named after its component (when the component is
/// used for nothing else) or after the operation.
fn form_type<'a>(
    space: &mut TypeSpace<'a>,
    schema: &'a Value,
    ptr: &str,
    type_base: &str,
) -> Result<Ty, Error> {
    let (resolved, resolved_ptr) = space.deref(schema, ptr)?;
    if !crate::schema::is_object_schema(resolved) {
        return Ok(Ty::Vec(Box::new(Ty::File)));
    }
    let base = if space.form_components.contains(&resolved_ptr) {
        let key = pointer::last_segment(&resolved_ptr);
        crate::schema::component_name(&key, resolved).to_string()
    } else {
        format!("{type_base}Form")
    };
    if let Some(id) = space.form_id(&resolved_ptr) {
        return Ok(Ty::Named(id));
    }
    let name = space.claim_name(&base);
    let form = space.form(schema, ptr, &name)?;
    let id = space.push(TypeDef {
        name,
        docs: docs(resolved),
        kind: TypeKind::Struct(form),
        pointer: resolved_ptr.clone(),
    });
    space.remember_form(resolved_ptr, id);
    Ok(Ty::Named(id))
}

fn responses<'a>(
    space: &mut TypeSpace<'a>,
    op: &'a Value,
    op_ptr: &str,
    type_base: &str,
) -> Result<ResponseShape, Error> {
    let responses = op.get("responses").and_then(Value::as_object);
    let mut success: Vec<(String, &'a Value, String)> = Vec::new();
    let mut default = None;
    if let Some(responses) = responses {
        for (code, response) in responses {
            let ptr = format!("{op_ptr}/responses/{}", pointer::escape(code));
            if code.starts_with('2') {
                success.push((code.clone(), response, ptr));
            } else if code == "default" {
                default = Some((code.clone(), response, ptr));
            }
        }
    }
    if success.is_empty() {
        success.extend(default);
    }
    let mut bodies = Vec::new();
    for (code, response, ptr) in &success {
        let hint = if success.len() == 1 {
            format!("{type_base}Response")
        } else {
            format!("{type_base}Response{}", camel(code, ""))
        };
        bodies.push((code.clone(), response_body(space, response, ptr, &hint)?));
    }
    let first = bodies
        .first()
        .map(|(_, b)| b.clone())
        .unwrap_or(ResponseBody::Empty);
    // One type only when every success status has it: a 204 beside a 200 with a body
    // cannot decode as that body, so such operations return an enum by status.
    if bodies.iter().all(|(_, b)| *b == first) {
        return Ok(ResponseShape::Single(first));
    }
    let name = space.claim_name(&format!("{type_base}Response"));
    let mut scope = Scope::default();
    let variants = bodies
        .into_iter()
        .map(|(code, body)| StatusVariant {
            ident: scope.claim(status_word(&code)),
            status: code.parse().ok(),
            body,
        })
        .collect();
    Ok(ResponseShape::ByStatus { name, variants })
}

/// The error responses (`4XX`, `5XX`, exact or ranges, and `default` beside success
/// statuses; the client returns 3xx as responses, never as errors) as
/// an enum, when at least one of them has a body worth decoding. Error schemas the
/// generator cannot type become `serde_json::Value` rather than failing the spec: they
/// only ever describe a failure.
fn errors<'a>(
    space: &mut TypeSpace<'a>,
    op: &'a Value,
    op_ptr: &str,
    type_base: &str,
) -> Option<ErrorShape> {
    let responses = op.get("responses").and_then(Value::as_object)?;
    let has_success = responses.keys().any(|code| code.starts_with('2'));
    let mut entries: Vec<(StatusMatch, &String, &'a Value)> = Vec::new();
    for (code, response) in responses {
        let status = match code.as_str() {
            "default" if has_success => StatusMatch::Default,
            _ => match error_status(code) {
                Some(status) => status,
                None => continue,
            },
        };
        // `4XX` and `4xx` both written: the first one describes the class.
        if entries.iter().all(|(seen, _, _)| *seen != status) {
            entries.push((status, code, response));
        }
    }
    let mut scope = Scope::with_reserved(&["Self"]);
    let mut variants = Vec::new();
    for (status, code, response) in entries {
        let ptr = format!("{op_ptr}/responses/{}", pointer::escape(code));
        let hint = format!("{type_base}Error{}", camel(code, ""));
        let body =
            response_body(space, response, &ptr, &hint).unwrap_or(ResponseBody::Json(Ty::Value));
        variants.push(ErrorVariant {
            ident: scope.claim(error_word(code)),
            status,
            body,
        });
    }
    if variants.iter().all(|v| v.body == ResponseBody::Empty) {
        return None;
    }
    Some(ErrorShape {
        name: space.claim_name(&format!("{type_base}Error")),
        shared: None,
        variants,
    })
}

/// `404` or `4XX` (any case) for the 4xx and 5xx classes the client reports as errors.
fn error_status(code: &str) -> Option<StatusMatch> {
    let bytes = code.as_bytes();
    if bytes.len() != 3 || !matches!(bytes[0], b'4' | b'5') {
        return None;
    }
    let class = u16::from(bytes[0] - b'0');
    if bytes[1..].eq_ignore_ascii_case(b"xx") {
        return Some(StatusMatch::Range(class));
    }
    code.parse().ok().map(StatusMatch::Exact)
}

fn error_word(code: &str) -> String {
    match code.to_ascii_uppercase().as_str() {
        "400" => "BadRequest".into(),
        "401" => "Unauthorized".into(),
        "402" => "PaymentRequired".into(),
        "403" => "Forbidden".into(),
        "404" => "NotFound".into(),
        "405" => "MethodNotAllowed".into(),
        "406" => "NotAcceptable".into(),
        "408" => "RequestTimeout".into(),
        "409" => "Conflict".into(),
        "410" => "Gone".into(),
        "412" => "PreconditionFailed".into(),
        "413" => "PayloadTooLarge".into(),
        "415" => "UnsupportedMediaType".into(),
        "422" => "UnprocessableEntity".into(),
        "429" => "TooManyRequests".into(),
        "500" => "InternalServerError".into(),
        "501" => "NotImplemented".into(),
        "502" => "BadGateway".into(),
        "503" => "ServiceUnavailable".into(),
        "504" => "GatewayTimeout".into(),
        "4XX" => "ClientError".into(),
        "5XX" => "ServerError".into(),
        "DEFAULT" => "Default".into(),
        other => format!("Status{}", camel(other, "")),
    }
}

fn status_word(code: &str) -> String {
    match code {
        "200" => "Ok".into(),
        "201" => "Created".into(),
        "202" => "Accepted".into(),
        "203" => "NonAuthoritativeInformation".into(),
        "204" => "NoContent".into(),
        "205" => "ResetContent".into(),
        "206" => "PartialContent".into(),
        "2XX" | "2xx" | "default" => "Success".into(),
        other => format!("Status{}", camel(other, "")),
    }
}

fn response_body<'a>(
    space: &mut TypeSpace<'a>,
    response: &'a Value,
    ptr: &str,
    hint: &str,
) -> Result<ResponseBody, Error> {
    let (response, response_ptr) = space.deref(response, ptr)?;
    let Some(content) = response
        .get("content")
        .and_then(Value::as_object)
        .filter(|c| !c.is_empty())
    else {
        return Ok(ResponseBody::Empty);
    };
    let json = content.iter().find(|(media, _)| is_json(media));
    if let Some((media, entry)) = json {
        let schema_ptr = format!("{response_ptr}/content/{}/schema", pointer::escape(media));
        return Ok(match entry.get("schema") {
            Some(schema) => ResponseBody::Json(space.ty(schema, &schema_ptr, hint)?),
            None => ResponseBody::Json(Ty::Value),
        });
    }
    if content
        .keys()
        .any(|m| m.to_ascii_lowercase().starts_with("text/"))
    {
        return Ok(ResponseBody::Text);
    }
    if let Some((media, entry)) = content.iter().find(|(m, _)| m.as_str() == "*/*") {
        // `*/*` with an object schema is JSON in practice; without one, bytes.
        if let Some(schema) = entry
            .get("schema")
            .filter(|s| primary_type(s).as_deref() != Some("string"))
        {
            let schema_ptr = format!("{response_ptr}/content/{}/schema", pointer::escape(media));
            return Ok(ResponseBody::Json(space.ty(schema, &schema_ptr, hint)?));
        }
    }
    Ok(ResponseBody::Binary)
}

/// Spec-wide client facts: servers, security schemes and the `x-client` extension.
pub(crate) fn client_facts(spec: &Spec) -> ClientFacts {
    let raw = &spec.raw;
    let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_string);
    let server = raw.pointer("/servers/0");
    let mut facts = ClientFacts {
        title: text(raw.pointer("/info/title")).unwrap_or_default(),
        description: text(raw.pointer("/info/description")),
        version: text(raw.pointer("/info/version")).unwrap_or_default(),
        base_url: server.map(server_url).unwrap_or_default(),
        base_url_env: text(server.and_then(|s| s.get("x-env"))),
        ..ClientFacts::default()
    };
    let client = raw.get("x-client");
    let ext = |key: &str| text(client.and_then(|c| c.get(key)));
    facts.request_id_header = ext("request-id-header");
    facts.retry_count_header = ext("retry-count-header");
    facts.error_type_pointer = ext("error-type-pointer");
    facts.error_message_pointer = ext("error-message-pointer");
    facts.error_type_schema = ext("error-type-schema");
    if let Some(schemes) = raw
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object)
    {
        for (name, scheme) in schemes {
            let Ok(scheme) = resolve_local(raw, scheme) else {
                continue;
            };
            let kind = scheme
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let env = text(scheme.get("x-env"));
            match (kind, scheme.get("in").and_then(Value::as_str)) {
                ("apiKey", Some("header")) if facts.api_key.is_none() => {
                    let header = text(scheme.get("name")).unwrap_or_default();
                    facts.api_key = Some((header, env));
                }
                ("http", _)
                    if scheme.get("scheme").and_then(Value::as_str).is_some_and(|s| s.eq_ignore_ascii_case("bearer"))
                        && facts.bearer_env.is_none() =>
                {
                    facts.bearer_env = Some(env.unwrap_or_default());
                }
                ("oauth2" | "openIdConnect", _) if facts.bearer_env.is_none() => {
                    // Both end in a bearer token the caller obtains.
                    facts.bearer_env = Some(env.unwrap_or_default());
                }
                _ => facts.notes.push(format!(
                    "Security scheme `{name}` ({kind}) is not applied automatically; set it with `RequestOptions::header` or a default header."
                )),
            }
        }
    }
    facts
}

fn resolve_local<'v>(raw: &'v Value, value: &'v Value) -> Result<&'v Value, Error> {
    match value.get("$ref").and_then(Value::as_str) {
        Some(target) => pointer::resolve(raw, target),
        None => Ok(value),
    }
}

/// A server's URL with its `{variables}` replaced by their defaults.
fn server_url(server: &Value) -> String {
    let mut url = server
        .get("url")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    if let Some(variables) = server.get("variables").and_then(Value::as_object) {
        for (name, variable) in variables {
            if let Some(default) = variable.get("default").and_then(Value::as_str) {
                url = url.replace(&format!("{{{name}}}"), default);
            }
        }
    }
    url.trim_end_matches('/').to_string()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{percent_decode, request_path, server_url};

    #[test]
    fn path_keys_become_what_is_sent() {
        let split = |key: &str| request_path(key);
        assert_eq!(split("/#X-Amz-Target=Svc.Do"), ("/".to_string(), vec![]));
        assert_eq!(
            split("/search?mode=full&q=a%20b+c&flag#frag"),
            (
                "/search".to_string(),
                vec![
                    ("mode".to_string(), "full".to_string()),
                    ("q".to_string(), "a b c".to_string()),
                    ("flag".to_string(), String::new()),
                ]
            )
        );
        assert_eq!(
            split("users/{user id}/a b\\"),
            ("/users/{user id}/a%20b%5C".to_string(), vec![])
        );
        assert_eq!(
            split("/caf\u{e9}/%41"),
            ("/caf%C3%A9/%41".to_string(), vec![])
        );
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
    }

    #[test]
    fn server_variables_take_their_defaults() {
        let server = json!({"url": "https://{region}.example.com/{version}/", "variables": {
            "region": {"default": "eu"}, "version": {"default": "v2", "enum": ["v1", "v2"]}}});
        assert_eq!(server_url(&server), "https://eu.example.com/v2");
        assert_eq!(server_url(&json!({"url": "/api"})), "/api");
    }
}
