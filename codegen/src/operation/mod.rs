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
    Docs, ErrorVariant, Field, HttpMethod, Operation, Struct, StructRole, TypeDef, TypeKind,
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
            let ident = names.claim_with(base, crate::naming::OPERATION_SUFFIXES);
            out.push(operation(space, ident, method, path, &op, &shared)?);
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
