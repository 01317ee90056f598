//! Structs: an object's properties, `allOf` parts merged into one struct, a union
//! flattened beside named fields, and multipart forms (binary fields become files).

use std::collections::{HashMap, HashSet};

use crate::error::Error;
use crate::ir::{Docs, Field, Struct, StructRole, Ty, TypeDef, TypeId, TypeKind, UploadRules};
use crate::naming::{Scope, camel, snake};
use crate::spec::view::{Additional, Document, SchemaView, View};

use super::{TypeSpace, docs};

impl<'a> TypeSpace<'a> {
    pub(super) fn object(&mut self, schema: &SchemaView<'a>, name: &str) -> Result<Struct, Error> {
        let mut fields = Vec::new();
        let mut scope = Scope::with_reserved(&["additional_properties"]);
        self.collect_fields(schema, name, &mut scope, &mut fields, false)?;
        let additional = self.additional(schema, name)?;
        Ok(Struct {
            fields,
            additional,
            role: StructRole::Model,
        })
    }

    /// The type of the values `additionalProperties` admits beside the named fields.
    fn additional(&mut self, schema: &SchemaView<'a>, name: &str) -> Result<Option<Ty>, Error> {
        Ok(match schema.additional() {
            Additional::Any => Some(Ty::Value),
            Additional::Schema(values) => Some(self.ty(&values, &format!("{name}Value"))?),
            Additional::Absent | Additional::Closed => None,
        })
    }

    /// Adds the properties of `schema` to `fields`; `form` maps binary strings to files.
    fn collect_fields(
        &mut self,
        schema: &SchemaView<'a>,
        name: &str,
        scope: &mut Scope,
        fields: &mut Vec<Field>,
        form: bool,
    ) -> Result<(), Error> {
        let required = schema.required();
        for (wire, prop) in schema.properties() {
            let hint = format!("{name}{}", camel(wire, "Field"));
            let resolved = self.deref(&prop)?;
            let file = if form {
                self.form_file_ty(&resolved)?
            } else {
                None
            };
            let (ty, nullable) = match file {
                Some(ty) => (ty, false),
                None => match self.ty(&prop, &hint)? {
                    Ty::Option(inner) => (*inner, true),
                    ty => (ty, false),
                },
            };
            if let Some(existing) = fields.iter_mut().find(|f| f.wire == wire) {
                // allOf parts may repeat a property: the later, more specific one wins.
                existing.ty = ty;
                existing.nullable = nullable;
                existing.required |= required.contains(wire);
                continue;
            }
            let upload = prop.upload().map(|ext| UploadRules {
                single_top_folder: ext.single_top_folder,
                required_top_file: ext.required_top_file,
                max_total_bytes: ext.max_total_bytes,
            });
            let write_only = prop.write_only() || resolved.write_only();
            let mut docs = docs(&prop);
            if docs.default.is_none() {
                docs.default = resolved.default_json();
            }
            fields.push(Field {
                ident: scope.claim(snake(wire, "field")),
                wire: wire.to_string(),
                ty,
                // Responses leave write-only properties out, so decoding must not need them.
                required: required.contains(wire) && (form || !write_only),
                nullable,
                docs,
                read_only: prop.read_only() || resolved.read_only(),
                write_only,
                upload,
                flatten: false,
            });
        }
        Ok(())
    }

    /// Every part `parts` stands for, nested `allOf`s included, depth first in spec
    /// order, each once: as written (a `$ref` perhaps) and resolved.
    fn all_of_parts(
        &self,
        parts: Vec<SchemaView<'a>>,
    ) -> Result<Vec<(SchemaView<'a>, SchemaView<'a>)>, Error> {
        let mut stack: Vec<SchemaView<'a>> = parts.into_iter().rev().collect();
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        while let Some(part) = stack.pop() {
            let resolved = self.deref(&part)?;
            if !seen.insert(resolved.pointer().to_string()) {
                continue;
            }
            if let Some(nested) = resolved.all_of() {
                stack.extend(nested.into_iter().rev());
            }
            out.push((part, resolved));
        }
        Ok(out)
    }

    /// One struct of every object part of an `allOf` (and `schema`'s own properties);
    /// an `allOf` of one union or of non-objects is an alias instead.
    pub(super) fn all_of(
        &mut self,
        schema: &SchemaView<'a>,
        parts: Vec<SchemaView<'a>>,
        name: &str,
    ) -> Result<TypeKind, Error> {
        let mut fields = Vec::new();
        let mut scope = Scope::with_reserved(&["additional_properties"]);
        let mut additional = None;
        let mut objects = 0;
        let mut others = Vec::new();
        let mut flattened = Vec::new();
        for (part, resolved) in self.all_of_parts(parts)? {
            if resolved.union_keyword().is_some()
                && let Some(field) = self.flattened_union(&part, &resolved, name, &mut scope)?
            {
                flattened.push(field);
                if !resolved.is_object_like() {
                    continue;
                }
            }
            if resolved.is_object_like() {
                objects += 1;
                self.collect_fields(&resolved, name, &mut scope, &mut fields, false)?;
                if let Some(extra) = self.additional(&resolved, name)? {
                    additional = Some(extra);
                }
            } else if !resolved.has_all_of() && !resolved.is_annotation_only() {
                others.push(part);
            }
        }
        self.collect_fields(schema, name, &mut scope, &mut fields, false)?;
        if schema.union_keyword().is_some()
            && let Some(field) = self.flattened_union(schema, schema, name, &mut scope)?
        {
            flattened.push(field);
        }
        if objects == 0 && fields.is_empty() && flattened.len() == 1 {
            // allOf of one union (and constraints): the union itself.
            return Ok(TypeKind::Alias(flattened.remove(0).ty));
        }
        fields.append(&mut flattened);
        if objects == 0 && fields.is_empty() {
            // allOf of non-objects (a ref plus constraints): the first one stands for all.
            if let Some(first) = others.first() {
                return Ok(TypeKind::Alias(self.ty(first, name)?));
            }
            return Ok(TypeKind::Alias(Ty::Value));
        }
        Ok(TypeKind::Struct(Struct {
            fields,
            additional,
            role: StructRole::Model,
        }))
    }

    /// The field that flattens the `oneOf`/`anyOf` of `resolved` (an allOf part or the
    /// schema itself) into a struct, when every branch is an object: serde cannot flatten
    /// a string or a number into a map. Other unions add nothing (they constrain values
    /// the named fields already hold).
    fn flattened_union(
        &mut self,
        part: &SchemaView<'a>,
        resolved: &SchemaView<'a>,
        name: &str,
        scope: &mut Scope,
    ) -> Result<Option<Field>, Error> {
        let Some((keyword, branches)) = resolved.union() else {
            return Ok(None);
        };
        let mut kept = 0;
        for branch in branches.iter().filter(|b| !b.is_null()) {
            if !self.deref(branch)?.is_object() {
                return Ok(None);
            }
            kept += 1;
        }
        if kept < 2 {
            return Ok(None);
        }
        let key = keyword.keyword();
        let ty = if resolved.is_object_like() {
            // The part also has properties of its own: the union gets a type of its own.
            let union_name = self.claim_name(&format!("{name}{}", camel(key, "")));
            match self.union(resolved, &branches, &union_name)? {
                Some(kind) => Ty::Named(self.push(TypeDef {
                    name: union_name,
                    docs: Docs::default(),
                    kind,
                    pointer: format!("{}/{key}", resolved.pointer()),
                })),
                None => return Ok(None),
            }
        } else {
            match self.ty(part, &format!("{name}{}", camel(key, "")))? {
                Ty::Option(inner) => *inner,
                ty => ty,
            }
        };
        Ok(Some(Field {
            ident: scope.claim("variant".to_string()),
            wire: String::new(),
            ty,
            required: true,
            nullable: false,
            docs: Docs {
                description: Some(format!(
                    "One of the shapes `{key}` allows; its properties sit beside the named fields."
                )),
                ..Docs::default()
            },
            read_only: false,
            write_only: false,
            upload: None,
            flatten: true,
        }))
    }

    /// A multipart form struct for a body schema (fields of binary type become files).
    pub(crate) fn form(&mut self, schema: &SchemaView<'a>, name: &str) -> Result<Struct, Error> {
        let mut fields = Vec::new();
        let mut scope = Scope::default();
        for (_, part) in self.all_of_parts(vec![schema.clone()])? {
            self.collect_fields(&part, name, &mut scope, &mut fields, true)?;
        }
        Ok(Struct {
            fields,
            additional: None,
            role: StructRole::Form,
        })
    }

    /// A form field's file type: a binary string is one file, an array of them many.
    fn form_file_ty(&self, resolved: &SchemaView<'a>) -> Result<Option<Ty>, Error> {
        if resolved.is_binary() {
            return Ok(Some(Ty::File));
        }
        if resolved.is_array()
            && let Some(items) = resolved.items()
            && self.deref(&items)?.is_binary()
        {
            return Ok(Some(Ty::Vec(Box::new(Ty::File))));
        }
        Ok(None)
    }

    pub(crate) fn form_id(&self, ptr: &str) -> Option<TypeId> {
        self.forms.get(ptr).copied()
    }

    pub(crate) fn remember_form(&mut self, ptr: String, id: TypeId) {
        self.forms.insert(ptr, id);
    }

    /// Finds components used only as multipart bodies, so they become forms alone.
    pub(crate) fn find_form_components(&mut self) {
        let mut multipart: HashMap<String, usize> = HashMap::new();
        for (_, item) in self.doc.paths() {
            for (_, op) in item.operations() {
                let Some(body) = op.request_body() else {
                    continue;
                };
                for (media, entry) in body.content() {
                    if !media.is_multipart() {
                        continue;
                    }
                    if let Some(target) = entry.schema().and_then(|s| s.reference_target()) {
                        *multipart
                            .entry(crate::spec::pointer::canonical(target))
                            .or_default() += 1;
                    }
                }
            }
        }
        if multipart.is_empty() {
            // No multipart body names a component: no need to count every `$ref`.
            return;
        }
        let refs = self.doc.reference_counts();
        self.form_components = multipart
            .into_iter()
            .filter(|(target, count)| {
                Document::is_component_schema(target) && refs.get(target) == Some(count)
            })
            .map(|(target, _)| target)
            .collect();
    }
}
