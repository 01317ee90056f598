//! Responses: what a successful call returns (one type, or an enum by status), and the
//! error bodies the spec describes, by status.

use crate::error::Error;
use crate::ir::{
    ErrorShape, ErrorVariant, FieldRef, RequestBody, ResponseBody, ResponseShape, StatusMatch,
    StatusVariant, Streaming, Ty, TypeKind,
};
use crate::naming::{Scope, camel};
use crate::schema::TypeSpace;
use crate::spec::view::{JsonType, MediaType, OperationView, ResponseView};

pub(super) fn responses<'a>(
    space: &mut TypeSpace<'a>,
    op: &OperationView<'a>,
    type_base: &str,
) -> Result<ResponseShape, Error> {
    let mut success: Vec<(&str, ResponseView<'a>)> = Vec::new();
    let mut default = None;
    for (key, response) in op.responses() {
        if key.is_success() {
            success.push((key.as_str(), response));
        } else if key.is_default() {
            // A response for any status stands for success when nothing else does.
            default = Some(("2XX", response));
        }
    }
    if success.is_empty() {
        success.extend(default);
    }
    let mut bodies = Vec::new();
    for (code, response) in &success {
        let hint = if success.len() == 1 {
            format!("{type_base}Response")
        } else {
            format!("{type_base}Response{}", camel(code, ""))
        };
        bodies.push((*code, response_body(space, response, &hint)?));
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
            ident: scope.claim(status_word(code)),
            status: code.parse().ok(),
            body,
        })
        .collect();
    Ok(ResponseShape::ByStatus { name, variants })
}

/// The first streamed media type (server-sent events, JSON Lines) of the success
/// responses, the one [`stream`] reads.
fn streamed_media<'a>(
    space: &TypeSpace<'a>,
    op: &OperationView<'a>,
) -> Result<Option<(ResponseView<'a>, MediaType<'a>)>, Error> {
    for (key, response) in op.responses() {
        if !key.is_success() {
            continue;
        }
        let response = space.deref(&response)?;
        if let Some(media) = response.media_types().find(|m| m.stream_format().is_some()) {
            return Ok(Some((response, media)));
        }
    }
    Ok(None)
}

/// Whether a success response is streamed, which gives the operation an `_events`
/// method (and so the name it claims).
pub(super) fn is_streamed(space: &TypeSpace<'_>, op: &OperationView<'_>) -> bool {
    matches!(streamed_media(space, op), Ok(Some(_)))
}

/// How the operation's streamed success response is read, if it has one: each item's
/// schema is the media type's `itemSchema` (3.2), else its `schema`; a union with a
/// discriminator lets event names pick the variant; a boolean `stream` property of a
/// JSON request body is what asks for the stream.
pub(super) fn stream<'a>(
    space: &mut TypeSpace<'a>,
    op: &OperationView<'a>,
    body: Option<&RequestBody>,
    type_base: &str,
) -> Result<Option<Streaming>, Error> {
    let Some((response, media)) = streamed_media(space, op)? else {
        return Ok(None);
    };
    let Some(format) = media.stream_format() else {
        return Ok(None);
    };
    let entry = response.media(media);
    let schema = entry
        .as_ref()
        .and_then(|e| e.item_schema().or_else(|| e.schema()));
    let hint = match format {
        crate::ir::StreamFormat::Sse => format!("{type_base}Event"),
        crate::ir::StreamFormat::JsonLines => format!("{type_base}Item"),
    };
    let item = match &schema {
        Some(schema) => space.ty(schema, &hint)?,
        None => Ty::Value,
    };
    // Event names pick a variant only where the discriminator maps them explicitly: an
    // implicit value (a component's name) is no event name a server sends.
    let mapped: Vec<String> = match &schema {
        Some(schema) => space
            .deref(schema)?
            .discriminator()
            .map(|d| {
                d.mapping
                    .iter()
                    .map(|(value, _)| value.to_string())
                    .collect()
            })
            .unwrap_or_default(),
        None => Vec::new(),
    };
    let mut events = Vec::new();
    if format == crate::ir::StreamFormat::Sse
        && let Ty::Named(id) = &item
        && let TypeKind::Union(union) = &space.types[*id].kind
        && let Some((_, pairs)) = &union.discriminator
    {
        for (value, index) in pairs {
            let variant = &union.variants[*index];
            let seen = events
                .iter()
                .any(|(seen, _, _): &(String, _, _)| seen == value);
            if mapped.contains(value) && !seen {
                events.push((value.clone(), variant.ident.clone(), variant.ty.clone()));
            }
        }
    }
    Ok(Some(Streaming {
        format,
        content_type: media.as_str().to_string(),
        item,
        events,
        flag: body.and_then(|body| stream_flag(space, body)),
    }))
}

/// The boolean property `stream` of a JSON request body (one media type, an object).
fn stream_flag(space: &TypeSpace<'_>, body: &RequestBody) -> Option<FieldRef> {
    let [media] = body.media.as_slice() else {
        return None;
    };
    if media.kind != crate::ir::BodyKind::Json {
        return None;
    }
    let Ty::Named(id) = &media.ty else {
        return None;
    };
    let TypeKind::Struct(fields) = &space.types[*id].kind else {
        return None;
    };
    fields
        .fields
        .iter()
        .find(|f| f.wire == "stream" && f.ty == Ty::Bool && !f.flatten)
        .map(|f| FieldRef {
            ident: f.ident.clone(),
            ty: f.full_ty(),
        })
}

/// The error responses (`4XX`, `5XX`, exact or ranges, and `default` beside success
/// statuses; the client returns 3xx as responses, never as errors) as
/// an enum, when at least one of them has a body worth decoding. Error schemas the
/// generator cannot type become `serde_json::Value` rather than failing the spec: they
/// only ever describe a failure.
pub(super) fn errors<'a>(
    space: &mut TypeSpace<'a>,
    op: &OperationView<'a>,
    type_base: &str,
) -> Option<ErrorShape> {
    let has_success = op.has_success_response();
    let mut entries: Vec<(StatusMatch, &str, ResponseView<'a>)> = Vec::new();
    for (key, response) in op.responses() {
        let status = if key.is_default() {
            if !has_success {
                continue;
            }
            StatusMatch::Default
        } else {
            match error_status(key.as_str()) {
                Some(status) => status,
                None => continue,
            }
        };
        let code = key.as_str();
        // `4XX` and `4xx` both written: the first one describes the class.
        if entries.iter().all(|(seen, _, _)| *seen != status) {
            entries.push((status, code, response));
        }
    }
    if entries.is_empty() {
        return None;
    }
    let mut scope = Scope::with_reserved(&["Self"]);
    let mut variants = Vec::new();
    for (status, code, response) in entries {
        let hint = format!("{type_base}Error{}", camel(code, ""));
        let body = response_body(space, &response, &hint).unwrap_or(ResponseBody::Json(Ty::Value));
        variants.push(ErrorVariant {
            ident: scope.claim(match status {
                StatusMatch::Default => "Default".to_string(),
                _ => error_word(code),
            }),
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
        "2XX" | "2xx" => "Success".into(),
        other => format!("Status{}", camel(other, "")),
    }
}

/// What a response's body decodes as: JSON (the first JSON media type), text, or bytes.
fn response_body<'a>(
    space: &mut TypeSpace<'a>,
    response: &ResponseView<'a>,
    hint: &str,
) -> Result<ResponseBody, Error> {
    let response = space.deref(response)?;
    let media: Vec<_> = response.media_types().collect();
    if media.is_empty() {
        return Ok(ResponseBody::Empty);
    }
    if let Some(json) = media.iter().find(|m| m.is_json()) {
        return Ok(
            match response.media(*json).and_then(|entry| entry.schema()) {
                Some(schema) => ResponseBody::Json(space.ty(&schema, hint)?),
                None => ResponseBody::Json(Ty::Value),
            },
        );
    }
    if media.iter().any(|m| m.is_text()) {
        return Ok(ResponseBody::Text);
    }
    if let Some(any) = media.iter().find(|m| m.is_any()) {
        // `*/*` with an object schema is JSON in practice; without one, bytes.
        if let Some(schema) = response
            .media(*any)
            .and_then(|entry| entry.schema())
            .filter(|s| s.primary_type() != Some(JsonType::String))
        {
            return Ok(ResponseBody::Json(space.ty(&schema, hint)?));
        }
    }
    Ok(ResponseBody::Binary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_statuses_are_4xx_and_5xx_exact_or_ranges() {
        assert_eq!(error_status("404"), Some(StatusMatch::Exact(404)));
        assert_eq!(error_status("5xx"), Some(StatusMatch::Range(5)));
        assert_eq!(error_status("4XX"), Some(StatusMatch::Range(4)));
        assert_eq!(error_status("302"), None);
        assert_eq!(error_status("40"), None);
        assert_eq!(error_status("4x1"), None);
    }

    /// Which operations stream, how, and which event names pick a variant: only those
    /// the discriminator maps explicitly; a `stream` flag only on a boolean property.
    #[test]
    fn streamed_operations_and_their_event_names() {
        let text = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a:
    post:
      operationId: mapped
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              properties:
                stream: {type: boolean}
      responses:
        "200":
          description: ok
          content:
            text/event-stream:
              schema:
                oneOf: [{$ref: '#/components/schemas/One'}, {$ref: '#/components/schemas/Two'}]
                discriminator: {propertyName: type, mapping: {one: '#/components/schemas/One'}}
  /b:
    post:
      operationId: implicit
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                stream: {type: string}
      responses:
        "200":
          description: ok
          content:
            text/event-stream:
              schema:
                oneOf: [{$ref: '#/components/schemas/One'}, {$ref: '#/components/schemas/Two'}]
                discriminator: {propertyName: type}
  /c:
    get:
      operationId: lines
      responses:
        "200":
          description: ok
          content:
            application/json-seq:
              schema: {$ref: '#/components/schemas/One'}
  /d:
    get:
      operationId: plain
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/One'}
components:
  schemas:
    One: {type: object, properties: {type: {type: string}}}
    Two: {type: object, properties: {type: {type: string}}}
"##;
        let spec = crate::Spec::parse(text, "t.yaml").expect("parses");
        let model = crate::model(&spec).expect("model");
        let stream = |id: &str| {
            let op = model.operations.iter().find(|o| o.ident.as_str() == id);
            op.and_then(|o| o.stream.clone())
        };
        let mapped = stream("mapped").expect("mapped streams");
        let names: Vec<&str> = mapped.events.iter().map(|(e, _, _)| e.as_str()).collect();
        assert_eq!(names, ["one"]);
        assert_eq!(
            mapped.flag.map(|f| f.ident.to_string()),
            Some("stream".into())
        );
        let implicit = stream("implicit").expect("implicit streams");
        assert!(implicit.events.is_empty(), "{:?}", implicit.events);
        assert!(implicit.flag.is_none(), "a string `stream` is no flag");
        let lines = stream("lines").expect("json-seq streams");
        assert_eq!(lines.format, crate::ir::StreamFormat::JsonLines);
        assert_eq!(lines.content_type, "application/json-seq");
        assert!(stream("plain").is_none());
    }

    #[test]
    fn status_words_name_variants() {
        assert_eq!(error_word("4xx"), "ClientError");
        assert_eq!(error_word("418"), "StatusV418");
        assert_eq!(status_word("2XX"), "Success");
        assert_eq!(status_word("299"), "StatusV299");
    }
}
