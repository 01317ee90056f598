//! Schemas become [`Ty`] expressions and named [`TypeDef`]s, read through the typed view
//! ([`SchemaView`]) so every `$ref` target and extension is reachable.
//!
//! One file per concern: this one decides what a schema becomes and caches it by
//! pointer; `objects` builds structs and forms (`allOf` merged), `unions` the
//! `oneOf`/`anyOf` enums, `enums` the value enums, `cycles` the boxes recursion needs.

mod cycles;
mod enums;
mod objects;
mod shared;
mod unions;

use std::collections::{HashMap, HashSet};

use crate::error::Error;
use crate::ir::{Docs, Ty, TypeDef, TypeId, TypeKind};
use crate::naming::{RustIdent, Scope, type_name};
use crate::spec::pointer;
use crate::spec::view::{Additional, Document, JsonType, SchemaView, View};

/// All named types of the crate, built on demand and cached by the pointer they come from.
pub(crate) struct TypeSpace<'a> {
    doc: Document<'a>,
    pub types: Vec<TypeDef>,
    names: Scope,
    by_pointer: HashMap<String, TypeId>,
    /// Components that only ever appear as multipart bodies: they become forms, not models.
    pub form_components: HashSet<String>,
    forms: HashMap<String, TypeId>,
}

/// What a component schema's type is named after: its `x-rust-name` when it has one,
/// else its key.
pub(crate) fn component_name<'s>(key: &'s str, schema: &SchemaView<'s>) -> &'s str {
    schema.rust_name().unwrap_or(key)
}

fn component_type_name(key: &str, schema: &SchemaView<'_>) -> String {
    type_name(component_name(key, schema))
}

impl<'a> TypeSpace<'a> {
    pub(crate) fn new(doc: Document<'a>) -> Self {
        TypeSpace {
            doc,
            types: Vec::new(),
            names: Scope::default(),
            by_pointer: HashMap::new(),
            form_components: HashSet::new(),
            forms: HashMap::new(),
        }
    }

    /// Names every component schema first (so inline types never take a component's
    /// name), then builds them in spec order.
    pub(crate) fn add_components(&mut self) -> Result<(), Error> {
        let mut pending = Vec::new();
        for (key, schema) in self.doc.component_schemas() {
            if self.form_components.contains(schema.pointer()) {
                continue;
            }
            let id = self.placeholder(component_type_name(key, &schema), schema.pointer());
            pending.push((id, schema));
        }
        for (id, schema) in pending {
            let name = self.types[id].name.clone();
            let kind = match self.def_kind(&schema, &name)? {
                Some(kind) => kind,
                None => TypeKind::Alias(self.inline_ty(&schema, &name)?),
            };
            self.types[id].kind = kind;
            self.types[id].docs = docs(&schema);
        }
        Ok(())
    }

    /// Reserves a type name and id before its contents are known, so recursion resolves.
    fn placeholder(&mut self, base: String, ptr: &str) -> TypeId {
        let name = self.names.claim(base);
        let id = TypeId::next(&self.types);
        self.types.push(TypeDef {
            name,
            docs: Docs::default(),
            kind: TypeKind::Alias(Ty::Value),
            pointer: ptr.to_string(),
        });
        self.by_pointer.insert(ptr.to_string(), id);
        id
    }

    /// Claims a fresh type name (for operation-level types such as params structs).
    pub(crate) fn claim_name(&mut self, base: &str) -> RustIdent {
        self.names.claim(type_name(base))
    }

    /// Adds a finished type under a name from [`Self::claim_name`].
    pub(crate) fn push(&mut self, def: TypeDef) -> TypeId {
        let id = TypeId::next(&self.types);
        self.types.push(def);
        id
    }

    /// Follows `$ref` chains to the object that holds content; errors on a cycle.
    pub(crate) fn deref<V: View<'a>>(&self, view: &V) -> Result<V, Error> {
        self.doc.resolve(view)
    }

    /// The Rust type for a schema; `hint` names any type it has to create.
    pub(crate) fn ty(&mut self, schema: &SchemaView<'a>, hint: &str) -> Result<Ty, Error> {
        if schema.is_reference() {
            let resolved = self.deref(schema)?;
            let target_ptr = resolved.pointer();
            let nullable = resolved.is_nullable();
            let ty = if let Some(&id) = self.by_pointer.get(target_ptr) {
                Ty::Named(id)
            } else if Document::is_component_schema(target_ptr)
                && !self.form_components.contains(target_ptr)
            {
                // A component not registered (add_components not run): build it now.
                let name = component_type_name(&pointer::last_segment(target_ptr), &resolved);
                self.named_always(&resolved, &name)?
            } else {
                self.named_always(&resolved, hint)?
            };
            return Ok(if nullable { ty.option() } else { ty });
        }
        let ty = self.named(schema, hint)?;
        Ok(if schema.is_nullable() {
            ty.option()
        } else {
            ty
        })
    }

    /// The target of a `$ref` always gets a definition (an alias when it needs none), so
    /// a reference back into it, however indirect, finds a name instead of recursing.
    fn named_always(&mut self, schema: &SchemaView<'a>, hint: &str) -> Result<Ty, Error> {
        if self.by_pointer.contains_key(schema.pointer()) || needs_def(schema) {
            return self.named(schema, hint);
        }
        let id = self.placeholder(type_name(hint), schema.pointer());
        let name = self.types[id].name.clone();
        let ty = self.inline_ty(schema, &name)?;
        self.types[id].kind = TypeKind::Alias(ty);
        self.types[id].docs = docs(schema);
        Ok(Ty::Named(id))
    }

    /// A schema that needs a definition gets one (cached by pointer); others are inline.
    fn named(&mut self, schema: &SchemaView<'a>, hint: &str) -> Result<Ty, Error> {
        if let Some(&id) = self.by_pointer.get(schema.pointer()) {
            return Ok(Ty::Named(id));
        }
        if !needs_def(schema) {
            return self.inline_ty(schema, hint);
        }
        let id = self.placeholder(type_name(hint), schema.pointer());
        let name = self.types[id].name.clone();
        match self.def_kind(schema, &name)? {
            Some(kind) => {
                self.types[id].kind = kind;
                self.types[id].docs = docs(schema);
                Ok(Ty::Named(id))
            }
            None => {
                // Turned out inline after all (e.g. a one-branch oneOf): keep it as an alias.
                let ty = self.inline_ty(schema, &name)?;
                self.types[id].kind = TypeKind::Alias(ty);
                Ok(Ty::Named(id))
            }
        }
    }

    /// The definition a schema needs, or `None` when it is a plain type expression.
    fn def_kind(&mut self, schema: &SchemaView<'a>, name: &str) -> Result<Option<TypeKind>, Error> {
        if schema.is_reference() {
            return Ok(None);
        }
        if let Some(parts) = schema.all_of() {
            return self.all_of(schema, parts, name).map(Some);
        }
        if schema.union_keyword().is_some() && schema.has_named_properties() {
            // Properties beside a oneOf: a struct with the union flattened into it.
            return self.all_of(schema, Vec::new(), name).map(Some);
        }
        if let Some((_, branches)) = schema.union() {
            return self.union(schema, &branches, name);
        }
        if schema.has_enum() {
            return Ok(enums::enum_kind(schema));
        }
        if schema.has_named_properties() {
            return self.object(schema, name).map(|s| Some(TypeKind::Struct(s)));
        }
        Ok(None)
    }

    /// Types that need no definition of their own.
    fn inline_ty(&mut self, schema: &SchemaView<'a>, hint: &str) -> Result<Ty, Error> {
        if schema.is_reference() {
            return self.ty(schema, hint);
        }
        if let Some(parts) = schema.all_of()
            && let [part] = &parts[..]
        {
            return self.ty(part, hint);
        }
        if let Some((_, branches)) = schema.union() {
            let mut kept = branches.iter().filter(|b| !b.is_null());
            if let (Some(only), None) = (kept.next(), kept.next()) {
                // A null branch beside it makes the schema nullable, which `ty` adds.
                return self.ty(only, hint);
            }
            return Ok(Ty::Value);
        }
        Ok(match schema.primary_type() {
            Some(JsonType::String) => match schema.format() {
                Some("date-time") => Ty::DateTime,
                Some("date") => Ty::Date,
                _ => Ty::String,
            },
            Some(JsonType::Boolean) => Ty::Bool,
            Some(JsonType::Integer) => integer_ty(schema),
            Some(JsonType::Number) => match schema.format() {
                Some("float") => Ty::F32,
                _ => Ty::F64,
            },
            Some(JsonType::Array) => match schema.items() {
                Some(items) => Ty::Vec(Box::new(self.ty(&items, &format!("{hint}Item"))?)),
                None => Ty::Vec(Box::new(Ty::Value)),
            },
            Some(JsonType::Object) => match schema.additional() {
                Additional::Schema(values) => {
                    Ty::Map(Box::new(self.ty(&values, &format!("{hint}Value"))?))
                }
                _ => Ty::JsonMap,
            },
            _ => Ty::Value,
        })
    }
}

/// A schema's documentation: its description (or title), deprecation and default.
pub(crate) fn docs(schema: &SchemaView<'_>) -> Docs {
    Docs {
        description: schema.description().map(str::to_string),
        deprecated: schema.deprecated(),
        default: schema.default_json(),
    }
}

/// `format: int32` is kept only when the schema's bounds (if any) fit `i32`.
fn fits_i32(schema: &SchemaView<'_>) -> bool {
    let fits =
        |b: Option<f64>| b.is_none_or(|b| (f64::from(i32::MIN)..=f64::from(i32::MAX)).contains(&b));
    fits(schema.minimum().and_then(|n| n.as_f64()))
        && fits(schema.maximum().and_then(|m| m.as_f64()))
}

/// The Rust type of an `integer` schema: `i64` unless a bound says otherwise.
fn integer_ty(schema: &SchemaView<'_>) -> Ty {
    let non_negative = schema
        .minimum()
        .and_then(|n| n.as_f64())
        .is_some_and(|b| b >= 0.0);
    let beyond_i64 = schema
        .maximum()
        .is_some_and(|m| m.as_i64().is_none() && m.as_f64().is_some_and(|f| f > 0.0));
    match schema.format() {
        Some("int32") if fits_i32(schema) => Ty::I32,
        Some("uint64" | "uint") => Ty::U64,
        _ if beyond_i64 && (non_negative || !schema.has_minimum()) => Ty::U64,
        _ => Ty::I64,
    }
}

/// Whether a schema becomes a named definition rather than an inline type expression.
fn needs_def(schema: &SchemaView<'_>) -> bool {
    if schema.has_all_of() {
        return schema.all_of_len() > 1 || schema.has_properties();
    }
    if schema.union_keyword().is_some() {
        return schema.union_non_null_count() > 1;
    }
    if schema.has_enum() {
        return enums::enum_values(schema).is_some();
    }
    schema.has_named_properties()
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    fn with_schema<R>(schema: Value, f: impl FnOnce(&SchemaView<'_>) -> R) -> R {
        let raw = json!({"components": {"schemas": {"S": schema}}});
        let doc = Document::new(&raw);
        let (_, view) = doc.component_schemas().next().unwrap();
        f(&view)
    }

    #[test]
    fn integers_widen_only_when_their_bounds_say_so() {
        let ty = |s| with_schema(s, integer_ty);
        assert_eq!(ty(json!({"type": "integer", "format": "int32"})), Ty::I32);
        assert_eq!(
            ty(json!({"type": "integer", "format": "int32", "maximum": 4294967295u64})),
            Ty::I64
        );
        assert_eq!(
            ty(json!({"type": "integer", "maximum": 18446744073709551615u64})),
            Ty::U64
        );
        assert_eq!(
            ty(json!({"type": "integer", "minimum": -1, "maximum": 18446744073709551615u64})),
            Ty::I64
        );
        assert_eq!(ty(json!({"type": "integer", "format": "uint64"})), Ty::U64);
        assert_eq!(ty(json!({"type": "integer"})), Ty::I64);
    }

    #[test]
    fn what_needs_a_definition() {
        let needs = |s| with_schema(s, needs_def);
        assert!(needs(json!({"properties": {"a": {}}})));
        assert!(!needs(json!({"type": "object", "properties": {}})));
        assert!(needs(json!({"allOf": [{}, {}]})));
        assert!(!needs(json!({"allOf": [{"$ref": "#/x"}]})));
        assert!(needs(json!({"allOf": [{}], "properties": {}})));
        assert!(needs(
            json!({"oneOf": [{"type": "string"}, {"type": "integer"}]})
        ));
        assert!(!needs(
            json!({"oneOf": [{"type": "string"}, {"type": "null"}]})
        ));
        assert!(needs(json!({"enum": ["a"]})));
        assert!(!needs(json!({"type": "array", "enum": [[1]]})));
        assert!(!needs(json!({"type": "string"})));
    }

    #[test]
    fn docs_take_the_title_when_there_is_no_description() {
        let d = with_schema(
            json!({"title": "T", "deprecated": true, "default": 3}),
            docs,
        );
        assert_eq!(d.description.as_deref(), Some("T"));
        assert!(d.deprecated);
        assert_eq!(d.default.as_deref(), Some("3"));
        assert_eq!(with_schema(json!({"default": null}), docs).default, None);
    }
}
