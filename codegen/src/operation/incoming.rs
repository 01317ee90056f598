//! Types for the JSON bodies of requests the server sends (a 3.1 document's `webhooks`,
//! operations' `callbacks`), so receivers can decode them.

use crate::ir::{Ty, TypeId};
use crate::naming::camel;
use crate::schema::TypeSpace;
use crate::spec::view::{Document, PathItem, SchemaView};

/// Components these bodies `$ref` are models already. Such a body the generator cannot
/// type is left out: it describes no call this client makes, so it must not cost the
/// whole crate.
pub(crate) fn incoming_payloads<'a>(doc: Document<'a>, space: &mut TypeSpace<'a>) {
    // (path item, the type name hint, a doc note)
    let mut items: Vec<(PathItem<'a>, String, String)> = Vec::new();
    for (name, item) in doc.webhooks() {
        let note = format!("The body of the `{name}` webhook's requests to you.");
        items.push((item, format!("{}Webhook", camel(name, "Incoming")), note));
    }
    for (path, item) in doc.paths() {
        let Ok(item) = space.deref(&item) else {
            continue;
        };
        for (method, op) in item.operations() {
            for (name, callback) in op.callbacks() {
                let Ok(callback) = space.deref(&callback) else {
                    continue;
                };
                for (_, item) in callback.expressions() {
                    let note = format!(
                        "The body of the `{name}` callback's requests to you (set up by `{} {path}`).",
                        method.wire()
                    );
                    items.push((item, format!("{}Callback", camel(name, "Incoming")), note));
                }
            }
        }
    }
    let mut bodies: Vec<(SchemaView<'a>, String, String)> = Vec::new();
    for (item, hint, note) in items {
        let Ok(item) = space.deref(&item) else {
            continue;
        };
        for (_, op) in item.operations() {
            let Some(body) = op.request_body() else {
                continue;
            };
            let Ok(body) = space.deref(&body) else {
                continue;
            };
            let json = body.content().find(|(media, _)| media.is_json());
            if let Some(schema) = json.and_then(|(_, entry)| entry.schema()) {
                bodies.push((schema, hint.clone(), note.clone()));
            }
        }
    }
    let known = TypeId::next(&space.types);
    for (schema, hint, note) in bodies {
        let before = space.types.len();
        let Ok(ty) = space.ty(&schema, &hint) else {
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
