//! Request bodies: one entry per media type (several make a body enum), with a form
//! struct for multipart bodies.

use crate::error::Error;
use crate::ir::{BodyMedia, RequestBody, Ty, TypeDef, TypeKind};
use crate::naming::Scope;
use crate::schema::{TypeSpace, component_name, docs};
use crate::spec::pointer;
use crate::spec::view::{MediaKind, RequestBodyView, SchemaView, View};

pub(super) fn request_body<'a>(
    space: &mut TypeSpace<'a>,
    body: &RequestBodyView<'a>,
    type_base: &str,
) -> Result<RequestBody, Error> {
    let body = space.deref(body)?;
    let mut media = Vec::new();
    let mut variants = Scope::default();
    for (content_type, entry) in body.content() {
        let kind = content_type.kind();
        let schema = entry.schema();
        let ty = match (kind, &schema) {
            (MediaKind::Json | MediaKind::Form, Some(schema)) => {
                space.ty(schema, &format!("{type_base}Body"))?
            }
            (MediaKind::Json | MediaKind::Form, None) => Ty::Value,
            (MediaKind::Multipart, Some(schema)) => form_type(space, schema, type_base)?,
            (MediaKind::Multipart, None) => Ty::Vec(Box::new(Ty::File)),
            (MediaKind::Text, _) => Ty::String,
            (MediaKind::Binary, _) => Ty::Bytes,
        };
        let word = match kind {
            MediaKind::Json => "Json",
            MediaKind::Multipart => "Multipart",
            MediaKind::Form => "Form",
            MediaKind::Text => "Text",
            MediaKind::Binary => "Binary",
        };
        media.push(BodyMedia {
            content_type: content_type.as_str().to_string(),
            kind,
            ty,
            variant: variants.claim(word.to_string()),
        });
    }
    let enum_name = (media.len() > 1).then(|| space.claim_name(&format!("{type_base}Body")));
    Ok(RequestBody {
        required: body.required(),
        media,
        enum_name,
    })
}

/// A multipart body: a form struct named after its component (when the component is
/// used for nothing else) or after the operation.
fn form_type<'a>(
    space: &mut TypeSpace<'a>,
    schema: &SchemaView<'a>,
    type_base: &str,
) -> Result<Ty, Error> {
    let resolved = space.deref(schema)?;
    if !resolved.is_object() {
        return Ok(Ty::Vec(Box::new(Ty::File)));
    }
    let resolved_ptr = resolved.pointer().to_string();
    let base = if space.form_components.contains(&resolved_ptr) {
        let key = pointer::last_segment(&resolved_ptr);
        component_name(&key, &resolved).to_string()
    } else {
        format!("{type_base}Form")
    };
    if let Some(id) = space.form_id(&resolved_ptr) {
        return Ok(Ty::Named(id));
    }
    let name = space.claim_name(&base);
    let form = space.form(schema, &name)?;
    let id = space.push(TypeDef {
        name,
        docs: docs(&resolved),
        kind: TypeKind::Struct(form),
        pointer: resolved_ptr.clone(),
    });
    space.remember_form(resolved_ptr, id);
    Ok(Ty::Named(id))
}
