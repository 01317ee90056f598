//! Paths and operations become [`Operation`]s: names, parameters with their styles,
//! request bodies per media type, success responses, errors and pagination.
//!
//! One file per concern: `params`, `bodies`, `responses`, `client` (spec-wide client facts), `incoming` (webhook and callback
//! bodies).

mod bodies;
mod client;
mod incoming;
mod params;
mod responses;

use std::collections::HashMap;

use crate::error::Error;
use crate::ir::{
    Docs, ErrorVariant, Field, HttpMethod, Operation, ResponseBody, StatusMatch, Struct,
    StructRole, Ty, TypeDef, TypeKind,
};
use crate::naming::{RustIdent, Scope, camel, snake};
use crate::pagination;
use crate::schema::TypeSpace;
use crate::spec::view::{Document, OperationView, ParameterView};

pub(crate) use client::client_facts;
pub(crate) use incoming::incoming_payloads;

pub(crate) fn operations<'a>(
    doc: Document<'a>,
    space: &mut TypeSpace<'a>,
) -> Result<Vec<Operation>, Error> {
    let mut names = Scope::with_reserved(crate::naming::CLIENT_METHODS);
    let mut out = Vec::new();
    for (path, item) in doc.paths() {
        let item = space.deref(&item)?;
        let shared: Vec<ParameterView<'a>> = item.parameters().collect();
        for (method, op) in item.operations() {
            let base = match op.operation_id() {
                Some(id) => snake(id, "operation"),
                None => snake(&format!("{} {path}", method.key()), "operation"),
            };
            let suffixes = if responses::is_streamed(space, &op) {
                crate::naming::STREAMED_OPERATION_SUFFIXES
            } else {
                crate::naming::OPERATION_SUFFIXES
            };
            let ident = names.claim_with(base, suffixes);
            out.push(operation(space, ident, method, path, &op, &shared)?);
        }
    }
    share_error_enums(&mut out, space);
    Ok(out)
}

/// Operations whose error enums would be identical share one enum with a name of its
/// own (see [`shared_error_names`]); each keeps its own name as a type
/// alias: large specs repeat the same few error responses on every operation.
fn share_error_enums(operations: &mut [Operation], space: &mut TypeSpace<'_>) {
    // Operations with the same variants, in order of first use; the map is only looked
    // up, never iterated.
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut by_shape: HashMap<&[ErrorVariant], usize> = HashMap::new();
    for (i, op) in operations.iter().enumerate() {
        let Some(errors) = &op.errors else { continue };
        let group = *by_shape.entry(&errors.variants).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[group].push(i);
    }
    groups.retain(|ops| ops.len() > 1);
    let shapes: Vec<&[ErrorVariant]> = groups
        .iter()
        .filter_map(|ops| operations[ops[0]].errors.as_ref())
        .map(|errors| errors.variants.as_slice())
        .collect();
    let names = shared_error_names(&shapes, &space.types);
    for (ops, base) in groups.iter().zip(names) {
        let name = space.claim_name(&base);
        for &i in ops {
            if let Some(errors) = operations[i].errors.as_mut() {
                errors.shared = Some(name.clone());
            }
        }
    }
}

/// The base names of error enums that several operations share, one per shape (the
/// variants, in order of first use), for [`Scope::claim`] in the type namespace:
///
/// - `<Body>ByStatus` when every status with a body has the same named type `<Body>`
///   (`ErrorResponse` → `ErrorResponseByStatus`). Not `<Body>Error`: that is the name a
///   body's own `error` property gets (`ErrorResponse.error` → `ErrorResponseError`);
/// - `Status<statuses>Error` otherwise, the statuses in spec order joined by `And`
///   (`Status404And5xxError`, `StatusDefaultError`);
/// - when shapes with the same body type differ in their statuses, each of them gets
///   `<Body>ByStatus<statuses>` (`ErrorResponseByStatus404And5xx`), so no shape takes the
///   short name by being first.
fn shared_error_names(shapes: &[&[ErrorVariant]], types: &[TypeDef]) -> Vec<String> {
    let statuses = |variants: &[ErrorVariant]| {
        let words: Vec<String> = variants
            .iter()
            .map(|v| match v.status {
                StatusMatch::Exact(code) => code.to_string(),
                StatusMatch::Range(class) => format!("{class}xx"),
                StatusMatch::Default => "Default".to_string(),
            })
            .collect();
        words.join("And")
    };
    let body = |variants: &[ErrorVariant]| {
        let mut bodies = variants
            .iter()
            .filter(|v| v.body != ResponseBody::Empty)
            .map(|v| match &v.body {
                ResponseBody::Json(Ty::Named(id)) => Some(*id),
                _ => None,
            });
        let first = bodies.next().flatten()?;
        bodies
            .all(|id| id == Some(first))
            .then(|| types[first].name.clone())
    };
    let short: Vec<String> = shapes
        .iter()
        .map(|variants| match body(variants) {
            Some(body) => format!("{body}ByStatus"),
            None => format!("Status{}Error", statuses(variants)),
        })
        .collect();
    shapes
        .iter()
        .zip(&short)
        .map(|(variants, name)| match body(variants) {
            Some(body) if short.iter().filter(|n| *n == name).count() > 1 => {
                format!("{body}ByStatus{}", statuses(variants))
            }
            _ => name.clone(),
        })
        .collect()
}

fn operation<'a>(
    space: &mut TypeSpace<'a>,
    ident: RustIdent,
    method: HttpMethod,
    path: &str,
    op: &OperationView<'a>,
    shared: &[ParameterView<'a>],
) -> Result<Operation, Error> {
    let type_base = camel(crate::naming::unraw(&ident), "Operation");
    let (request_path, fixed_query) = crate::spec::path::request_path(path);
    let mut arg_scope = Scope::with_reserved(crate::naming::METHOD_LOCALS);
    let declared = shared.iter().cloned().chain(op.parameters()).collect();
    let params::Parameters {
        path: path_params,
        other: params,
        constant_headers,
    } = params::parameters(space, declared, &request_path, &type_base, &mut arg_scope)?;

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
            pointer: op.parameters_pointer(),
        });
        Some(name)
    };

    let body = match op.request_body() {
        Some(body) => Some(bodies::request_body(space, &body, &type_base)?),
        None => None,
    };
    let response = responses::responses(space, op, &type_base)?;
    let errors = responses::errors(space, op, &type_base);
    let stream = responses::stream(space, op, body.as_ref(), &type_base)?;
    let pagination = match op.pagination() {
        Some(declared) => Some(pagination::declared(
            &space.types,
            declared?,
            &params,
            &response,
        )?),
        None if method == HttpMethod::Get => pagination::inferred(&space.types, &params, &response),
        None => None,
    };
    Ok(Operation {
        ident,
        method,
        path: path.to_string(),
        request_path,
        fixed_query,
        docs: Docs {
            description: op.description().map(str::to_string),
            deprecated: op.deprecated(),
            default: None,
        },
        summary: op.summary().map(str::to_string),
        tags: op.tags().map(str::to_string).collect(),
        path_params,
        params,
        params_type,
        constant_headers,
        body,
        response,
        errors,
        pagination,
        stream,
    })
}

#[cfg(test)]
mod tests {
    use super::shared_error_names;
    use crate::ir::{Docs, ErrorVariant, ResponseBody, StatusMatch, Ty, TypeDef, TypeKind};
    use crate::naming::RustIdent;

    #[test]
    fn shared_error_enums_are_named_after_their_body_or_statuses() {
        let types = vec![TypeDef {
            name: RustIdent::for_test("Problem"),
            docs: Docs::default(),
            kind: TypeKind::Alias(Ty::Value),
            pointer: String::new(),
        }];
        let variant = |status, body| ErrorVariant {
            ident: RustIdent::for_test(""),
            status,
            body,
        };
        let problem = || ResponseBody::Json(Ty::Named(crate::ir::TypeId::for_test(0)));
        let a = [
            variant(StatusMatch::Exact(404), problem()),
            variant(StatusMatch::Range(5), problem()),
        ];
        let b = [
            variant(StatusMatch::Exact(400), problem()),
            variant(StatusMatch::Default, ResponseBody::Empty),
        ];
        let c = [
            variant(StatusMatch::Exact(404), ResponseBody::Text),
            variant(StatusMatch::Default, problem()),
        ];
        assert_eq!(
            shared_error_names(&[&a, &c], &types),
            ["ProblemByStatus", "Status404AndDefaultError"]
        );
        let names = shared_error_names(&[&a, &b, &c], &types);
        assert_eq!(
            names,
            [
                "ProblemByStatus404And5xx",
                "ProblemByStatus400AndDefault",
                "Status404AndDefaultError"
            ]
        );
        // Claiming keeps them as they are.
        for name in names {
            assert_eq!(crate::naming::type_name(&name), name);
        }
    }
}
