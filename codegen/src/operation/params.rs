//! An operation's parameters: path parameters as positional arguments (in template
//! order), query, header and cookie parameters gathered in a params struct, and headers
//! the spec fixes to one value sent for the caller.

use crate::error::Error;
use crate::ir::{Docs, Location, Param, PathPiece, Style, Ty};
use crate::naming::{Scope, camel, snake};
use crate::schema::TypeSpace;
use crate::spec::view::{ParameterView, SchemaView, View};

use crate::spec::path::template_names;

/// The parameters of one operation, sorted by where they go.
pub(super) struct Parameters {
    pub path: Vec<Param>,
    pub other: Vec<Param>,
    /// Required headers with one allowed value: `(name, value)`.
    pub constant_headers: Vec<(String, String)>,
}

/// Headers OpenAPI says are ignored as parameters: the client sets them itself.
const CLIENT_HEADERS: &[&str] = &["accept", "content-type", "authorization"];

/// Lowers the path item's and the operation's parameters; an operation's parameter
/// replaces the path item's with the same name and location.
pub(super) fn parameters<'a>(
    space: &mut TypeSpace<'a>,
    declared: Vec<ParameterView<'a>>,
    template: &[PathPiece],
    type_base: &str,
    arg_scope: &mut Scope,
) -> Result<Parameters, Error> {
    let mut resolved_params: Vec<ParameterView<'a>> = Vec::new();
    for param in declared {
        let resolved = space.deref(&param)?;
        let key = resolved.identity();
        resolved_params.retain(|p| p.identity() != key);
        resolved_params.push(resolved);
    }

    let mut out = Parameters {
        path: Vec::new(),
        other: Vec::new(),
        constant_headers: Vec::new(),
    };
    let mut scope = Scope::default();
    for raw in resolved_params {
        let Some(wire) = raw.name() else {
            return Err(Error::unsupported(
                raw.pointer(),
                "parameter without a `name`",
            ));
        };
        let location = raw.location().map_err(|other| {
            Error::unsupported(
                raw.pointer(),
                format!(
                    "parameter location {other:?} is not one of path, query, querystring, header, cookie"
                ),
            )
        })?;
        if location == Location::Header
            && CLIENT_HEADERS.contains(&wire.to_ascii_lowercase().as_str())
        {
            continue;
        }
        let source = raw.schema();
        if location == Location::QueryString && !source.form {
            // Only a form-encoded query string has a Rust form yet; the spec stage
            // reported this parameter with its pointer.
            continue;
        }
        let required = location == Location::Path || raw.required();
        if let Some(schema) = &source.schema {
            let resolved = space.deref(schema)?;
            // A required header with one allowed value is sent for the caller.
            if let Some(value) = single_value(&resolved)
                && required
                && location == Location::Header
            {
                out.constant_headers.push((wire.to_string(), value));
                continue;
            }
        }
        let hint = format!("{type_base}{}", camel(wire, "Param"));
        let ty = match &source.schema {
            Some(schema) => space.ty(schema, &hint)?,
            None => Ty::String,
        };
        let ty = match ty {
            Ty::Option(inner) => *inner,
            other => other,
        };
        let style = raw.style().unwrap_or(match location {
            Location::Query | Location::Cookie | Location::QueryString => Style::Form,
            Location::Path | Location::Header => Style::Simple,
        });
        let ident = if location == Location::Path {
            arg_scope.claim_with(snake(wire, "param"), &[crate::naming::SEGMENT])
        } else {
            scope.claim(snake(wire, "param"))
        };
        let param = Param {
            ident,
            wire: wire.to_string(),
            location,
            ty,
            required,
            style,
            explode: raw.explode().unwrap_or(style == Style::Form),
            json: source.json,
            docs: Docs {
                description: raw.description().map(str::to_string),
                deprecated: raw.deprecated(),
                default: source.schema.as_ref().and_then(SchemaView::default_json),
            },
            always_send: raw.always_send(),
        };
        if location == Location::Path {
            out.path.push(param);
        } else {
            out.other.push(param);
        }
    }
    // A declared path parameter the template does not name has nowhere to go.
    let names = template_names(template);
    out.path.retain(|p| names.contains(&p.wire.as_str()));
    // Path parameters the template names but the spec never declares still need a value.
    for name in &names {
        if !out.path.iter().any(|p| p.wire == *name) {
            out.path.push(Param {
                ident: arg_scope.claim_with(snake(name, "param"), &[crate::naming::SEGMENT]),
                wire: name.to_string(),
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
    out.path.sort_by_key(|p| {
        names
            .iter()
            .position(|n| *n == p.wire)
            .unwrap_or(usize::MAX)
    });
    Ok(out)
}

/// The one value a schema allows, when its `enum` has exactly one string.
fn single_value(schema: &SchemaView<'_>) -> Option<String> {
    match schema.enum_values() {
        Some([serde_json::Value::String(value)]) => Some(value.clone()),
        _ => None,
    }
}
