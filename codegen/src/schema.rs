//! Schemas (read from the raw document, so every `$ref` target and extension is
//! reachable) become [`Ty`] expressions and named [`TypeDef`]s.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use crate::error::Error;
use crate::ir::{
    Docs, EnumVariant, Field, Struct, StructRole, Ty, TypeDef, TypeId, TypeKind, Union,
    UnionVariant, UploadRules,
};
use crate::naming::{Scope, camel, snake, type_name};
use crate::pointer;

const COMPONENT_PREFIX: &str = "#/components/schemas/";

/// All named types of the crate, built on demand and cached by the pointer they come from.
pub(crate) struct TypeSpace<'a> {
    raw: &'a Value,
    pub types: Vec<TypeDef>,
    names: Scope,
    by_pointer: HashMap<String, TypeId>,
    /// Components that only ever appear as multipart bodies: they become forms, not models.
    pub form_components: HashSet<String>,
    forms: HashMap<String, TypeId>,
}

fn count_refs(value: &Value, counts: &mut HashMap<String, usize>) {
    match value {
        Value::Object(map) => {
            if let Some(target) = map.get("$ref").and_then(Value::as_str) {
                *counts.entry(pointer::canonical(target)).or_default() += 1;
            }
            map.values().for_each(|v| count_refs(v, counts));
        }
        Value::Array(items) => items.iter().for_each(|v| count_refs(v, counts)),
        _ => {}
    }
}

/// What a component schema's type is named after: its `x-rust-name` when it has one,
/// else its key.
pub(crate) fn component_name<'s>(key: &'s str, schema: &'s Value) -> &'s str {
    schema
        .get("x-rust-name")
        .and_then(Value::as_str)
        .filter(|name| !name.trim().is_empty())
        .unwrap_or(key)
}

fn component_type_name(key: &str, schema: &Value) -> String {
    type_name(component_name(key, schema))
}

impl<'a> TypeSpace<'a> {
    pub(crate) fn new(raw: &'a Value) -> Self {
        TypeSpace {
            raw,
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
        let Some(schemas) = self
            .raw
            .pointer("/components/schemas")
            .and_then(Value::as_object)
        else {
            return Ok(());
        };
        let mut pending = Vec::new();
        for (key, schema) in schemas {
            let ptr = format!("{COMPONENT_PREFIX}{}", pointer::escape(key));
            if self.form_components.contains(&ptr) {
                continue;
            }
            let id = self.placeholder(component_type_name(key, schema), &ptr);
            pending.push((id, ptr, schema));
        }
        for (id, ptr, schema) in pending {
            let name = self.types[id].name.clone();
            let kind = match self.def_kind(schema, &ptr, &name)? {
                Some(kind) => kind,
                None => TypeKind::Alias(self.inline_ty(schema, &ptr, &name)?),
            };
            self.types[id].kind = kind;
            self.types[id].docs = docs(schema);
        }
        Ok(())
    }

    /// Reserves a type name and id before its contents are known, so recursion resolves.
    fn placeholder(&mut self, base: String, ptr: &str) -> TypeId {
        let name = self.names.claim(base);
        let id = self.types.len();
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
    pub(crate) fn claim_name(&mut self, base: &str) -> String {
        self.names.claim(type_name(base))
    }

    /// Adds a finished type under a name from [`Self::claim_name`].
    pub(crate) fn push(&mut self, def: TypeDef) -> TypeId {
        self.types.push(def);
        self.types.len() - 1
    }

    pub(crate) fn at(&self, ptr: &str) -> Result<&'a Value, Error> {
        pointer::resolve(self.raw, ptr)
    }

    /// Follows `$ref` chains to the schema that holds content; errors on a cycle.
    pub(crate) fn deref(&self, schema: &'a Value, ptr: &str) -> Result<(&'a Value, String), Error> {
        let mut current = (schema, ptr.to_string());
        let mut seen = HashSet::new();
        while let Some(target) = current.0.get("$ref").and_then(Value::as_str) {
            if !seen.insert(target.to_string()) {
                return Err(Error::unsupported(
                    ptr,
                    format!("`$ref` cycle through {target}"),
                ));
            }
            let resolved = self.at(target).map_err(|mut e| {
                // Point at the `$ref` the user wrote, not at where it leads.
                e.pointer = current.1.clone();
                e
            })?;
            current = (resolved, pointer::canonical(target));
        }
        Ok(current)
    }

    /// The Rust type for the schema at `ptr`; `hint` names any type it has to create.
    pub(crate) fn ty(&mut self, schema: &'a Value, ptr: &str, hint: &str) -> Result<Ty, Error> {
        if let Some(reference) = schema.get("$ref") {
            if !reference.is_string() {
                return Err(Error::unsupported(ptr, "`$ref` is not a string"));
            }
            let (resolved, target_ptr) = self.deref(schema, ptr)?;
            let nullable = is_nullable(resolved);
            let ty = if let Some(&id) = self.by_pointer.get(&target_ptr) {
                Ty::Named(id)
            } else if target_ptr.starts_with(COMPONENT_PREFIX)
                && !self.form_components.contains(&target_ptr)
            {
                // A component not registered (add_components not run): build it now.
                let name = component_type_name(&pointer::last_segment(&target_ptr), resolved);
                self.named_always(resolved, &target_ptr, &name)?
            } else {
                self.named_always(resolved, &target_ptr, hint)?
            };
            return Ok(if nullable { ty.option() } else { ty });
        }
        let ty = self.named(schema, ptr, hint)?;
        Ok(if is_nullable(schema) { ty.option() } else { ty })
    }

    /// The target of a `$ref` always gets a definition (an alias when it needs none), so
    /// a reference back into it, however indirect, finds a name instead of recursing.
    fn named_always(&mut self, schema: &'a Value, ptr: &str, hint: &str) -> Result<Ty, Error> {
        if self.by_pointer.contains_key(ptr) || needs_def(schema) {
            return self.named(schema, ptr, hint);
        }
        let id = self.placeholder(type_name(hint), ptr);
        let name = self.types[id].name.clone();
        let ty = self.inline_ty(schema, ptr, &name)?;
        self.types[id].kind = TypeKind::Alias(ty);
        self.types[id].docs = docs(schema);
        Ok(Ty::Named(id))
    }

    /// A schema that needs a definition gets one (cached by pointer); others are inline.
    fn named(&mut self, schema: &'a Value, ptr: &str, hint: &str) -> Result<Ty, Error> {
        if let Some(&id) = self.by_pointer.get(ptr) {
            return Ok(Ty::Named(id));
        }
        if !needs_def(schema) {
            return self.inline_ty(schema, ptr, hint);
        }
        let id = self.placeholder(type_name(hint), ptr);
        let name = self.types[id].name.clone();
        match self.def_kind(schema, ptr, &name)? {
            Some(kind) => {
                self.types[id].kind = kind;
                self.types[id].docs = docs(schema);
                Ok(Ty::Named(id))
            }
            None => {
                // Turned out inline after all (e.g. a one-branch oneOf): keep it as an alias.
                let ty = self.inline_ty(schema, ptr, &name)?;
                self.types[id].kind = TypeKind::Alias(ty);
                Ok(Ty::Named(id))
            }
        }
    }

    /// The definition a schema needs, or `None` when it is a plain type expression.
    fn def_kind(
        &mut self,
        schema: &'a Value,
        ptr: &str,
        name: &str,
    ) -> Result<Option<TypeKind>, Error> {
        if schema.get("$ref").is_some() {
            return Ok(None);
        }
        if let Some(parts) = non_empty_array(schema, "allOf") {
            return self.all_of(schema, parts, ptr, name).map(Some);
        }
        if union_branches(schema).is_some() && is_object_with_properties(schema) {
            // Properties beside a oneOf: a struct with the union flattened into it.
            return self.all_of(schema, &[], ptr, name).map(Some);
        }
        if let Some((key, branches)) = union_branches(schema) {
            return self.union(schema, branches, key, ptr, name);
        }
        if schema.get("enum").is_some() {
            return Ok(match enum_values(schema) {
                Some(EnumValues::Strings(strings)) => {
                    Some(TypeKind::StringEnum(enum_variants(strings.into_iter())))
                }
                Some(EnumValues::Ints(ints)) => {
                    let mut scope = Scope::with_reserved(crate::naming::OPEN_ENUM_RESERVED);
                    let mut seen = HashSet::new();
                    let variants = ints
                        .into_iter()
                        .filter(|n| seen.insert(*n))
                        .map(|n| EnumVariant {
                            ident: scope.claim(camel(&n.to_string(), "V")),
                            value: n,
                        })
                        .collect();
                    Some(TypeKind::IntEnum(variants))
                }
                Some(EnumValues::Mixed(values)) => {
                    Some(TypeKind::ValueEnum(value_enum_variants(values)))
                }
                None => None,
            });
        }
        if is_object_with_properties(schema) {
            return self
                .object(schema, ptr, name)
                .map(|s| Some(TypeKind::Struct(s)));
        }
        Ok(None)
    }

    /// Types that need no definition of their own.
    fn inline_ty(&mut self, schema: &'a Value, ptr: &str, hint: &str) -> Result<Ty, Error> {
        if schema.get("$ref").is_some() {
            return self.ty(schema, ptr, hint);
        }
        if let Some(parts) = non_empty_array(schema, "allOf")
            && parts.len() == 1
        {
            return self.ty(&parts[0], &format!("{ptr}/allOf/0"), hint);
        }
        if let Some((key, branches)) = union_branches(schema) {
            let kept: Vec<usize> = (0..branches.len())
                .filter(|&i| !is_null_schema(&branches[i]))
                .collect();
            if let [i] = kept[..] {
                // A null branch beside it makes the schema nullable, which `ty` adds.
                return self.ty(&branches[i], &format!("{ptr}/{key}/{i}"), hint);
            }
            return Ok(Ty::Value);
        }
        let primary = primary_type(schema);
        Ok(match primary.as_deref() {
            Some("string") => match schema.get("format").and_then(Value::as_str) {
                Some("date-time") => Ty::DateTime,
                Some("date") => Ty::Date,
                _ => Ty::String,
            },
            Some("boolean") => Ty::Bool,
            Some("integer") => integer_ty(schema),
            Some("number") => match schema.get("format").and_then(Value::as_str) {
                Some("float") => Ty::F32,
                _ => Ty::F64,
            },
            Some("array") => match schema.get("items") {
                Some(items) if items.is_object() => {
                    let item = self.ty(items, &format!("{ptr}/items"), &format!("{hint}Item"))?;
                    Ty::Vec(Box::new(item))
                }
                _ => Ty::Vec(Box::new(Ty::Value)),
            },
            Some("object") => match schema.get("additionalProperties") {
                Some(ap) if ap.is_object() && !ap.as_object().is_some_and(|o| o.is_empty()) => {
                    let value = self.ty(
                        ap,
                        &format!("{ptr}/additionalProperties"),
                        &format!("{hint}Value"),
                    )?;
                    Ty::Map(Box::new(value))
                }
                _ => Ty::JsonMap,
            },
            _ => Ty::Value,
        })
    }

    fn object(&mut self, schema: &'a Value, ptr: &str, name: &str) -> Result<Struct, Error> {
        let mut fields = Vec::new();
        let mut scope = Scope::with_reserved(&["additional_properties"]);
        self.collect_fields(schema, ptr, name, &mut scope, &mut fields, false)?;
        let additional = self.additional(schema, ptr, name)?;
        Ok(Struct {
            fields,
            additional,
            role: StructRole::Model,
        })
    }

    fn additional(
        &mut self,
        schema: &'a Value,
        ptr: &str,
        name: &str,
    ) -> Result<Option<Ty>, Error> {
        Ok(match schema.get("additionalProperties") {
            Some(Value::Bool(true)) => Some(Ty::Value),
            Some(ap) if ap.is_object() => {
                if ap.as_object().is_some_and(|o| o.is_empty()) {
                    Some(Ty::Value)
                } else {
                    Some(self.ty(
                        ap,
                        &format!("{ptr}/additionalProperties"),
                        &format!("{name}Value"),
                    )?)
                }
            }
            _ => None,
        })
    }

    /// Adds the properties of `schema` to `fields`; `form` maps binary strings to files.
    fn collect_fields(
        &mut self,
        schema: &'a Value,
        ptr: &str,
        name: &str,
        scope: &mut Scope,
        fields: &mut Vec<Field>,
        form: bool,
    ) -> Result<(), Error> {
        let required: HashSet<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
            return Ok(());
        };
        for (wire, prop) in properties {
            let prop_ptr = format!("{ptr}/properties/{}", pointer::escape(wire));
            let hint = format!("{name}{}", camel(wire, "Field"));
            let (resolved, _) = self.deref(prop, &prop_ptr)?;
            let file = if form {
                form_file_ty(resolved, self)?
            } else {
                None
            };
            let (ty, nullable) = match file {
                Some(ty) => (ty, false),
                None => match self.ty(prop, &prop_ptr, &hint)? {
                    Ty::Option(inner) => (*inner, true),
                    ty => (ty, false),
                },
            };
            if let Some(existing) = fields.iter_mut().find(|f| f.wire == *wire) {
                // allOf parts may repeat a property: the later, more specific one wins.
                existing.ty = ty;
                existing.nullable = nullable;
                existing.required |= required.contains(wire.as_str());
                continue;
            }
            let upload = prop.get("x-upload").map(upload_rules);
            let write_only = flag(prop, "writeOnly") || flag(resolved, "writeOnly");
            let mut docs = docs(prop);
            if docs.default.is_none() {
                docs.default = default_json(resolved);
            }
            fields.push(Field {
                ident: scope.claim(snake(wire, "field")),
                wire: wire.clone(),
                ty,
                // Responses leave write-only properties out, so decoding must not need them.
                required: required.contains(wire.as_str()) && (form || !write_only),
                nullable,
                docs,
                read_only: flag(prop, "readOnly") || flag(resolved, "readOnly"),
                write_only,
                upload,
                flatten: false,
            });
        }
        Ok(())
    }

    fn all_of(
        &mut self,
        schema: &'a Value,
        parts: &'a [Value],
        ptr: &str,
        name: &str,
    ) -> Result<TypeKind, Error> {
        let mut fields = Vec::new();
        let mut scope = Scope::with_reserved(&["additional_properties"]);
        let mut additional = None;
        let mut objects = 0;
        let mut others = Vec::new();
        let mut flattened = Vec::new();
        let mut stack: Vec<(&'a Value, String)> = parts
            .iter()
            .enumerate()
            .rev()
            .map(|(i, p)| (p, format!("{ptr}/allOf/{i}")))
            .collect();
        let mut seen = HashSet::new();
        while let Some((part, part_ptr)) = stack.pop() {
            let (resolved, resolved_ptr) = self.deref(part, &part_ptr)?;
            if !seen.insert(resolved_ptr.clone()) {
                continue;
            }
            if let Some(nested) = non_empty_array(resolved, "allOf") {
                for (i, p) in nested.iter().enumerate().rev() {
                    stack.push((p, format!("{resolved_ptr}/allOf/{i}")));
                }
            }
            if union_branches(resolved).is_some()
                && let Some(field) = self.flattened_union(
                    part,
                    &part_ptr,
                    resolved,
                    &resolved_ptr,
                    name,
                    &mut scope,
                )?
            {
                flattened.push(field);
                if !is_object_like(resolved) {
                    continue;
                }
            }
            if is_object_like(resolved) {
                objects += 1;
                self.collect_fields(
                    resolved,
                    &resolved_ptr,
                    name,
                    &mut scope,
                    &mut fields,
                    false,
                )?;
                if let Some(extra) = self.additional(resolved, &resolved_ptr, name)? {
                    additional = Some(extra);
                }
            } else if non_empty_array(resolved, "allOf").is_none() && !is_empty_schema(resolved) {
                others.push((part, part_ptr));
            }
        }
        self.collect_fields(schema, ptr, name, &mut scope, &mut fields, false)?;
        if union_branches(schema).is_some()
            && let Some(field) = self.flattened_union(schema, ptr, schema, ptr, name, &mut scope)?
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
            if let Some((first, first_ptr)) = others.first() {
                return Ok(TypeKind::Alias(self.ty(first, first_ptr, name)?));
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
        part: &'a Value,
        part_ptr: &str,
        resolved: &'a Value,
        resolved_ptr: &str,
        name: &str,
        scope: &mut Scope,
    ) -> Result<Option<Field>, Error> {
        let Some((key, branches)) = union_branches(resolved) else {
            return Ok(None);
        };
        let mut kept = 0;
        for (i, branch) in branches.iter().enumerate() {
            if is_null_schema(branch) {
                continue;
            }
            let (branch, _) = self.deref(branch, &format!("{resolved_ptr}/{key}/{i}"))?;
            if !is_object_schema(branch) {
                return Ok(None);
            }
            kept += 1;
        }
        if kept < 2 {
            return Ok(None);
        }
        let ty = if is_object_like(resolved) {
            // The part also has properties of its own: the union gets a type of its own.
            let union_name = self.claim_name(&format!("{name}{}", camel(key, "")));
            match self.union(resolved, branches, key, resolved_ptr, &union_name)? {
                Some(kind) => Ty::Named(self.push(TypeDef {
                    name: union_name,
                    docs: Docs::default(),
                    kind,
                    pointer: format!("{resolved_ptr}/{key}"),
                })),
                None => return Ok(None),
            }
        } else {
            match self.ty(part, part_ptr, &format!("{name}{}", camel(key, "")))? {
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

    fn union(
        &mut self,
        schema: &'a Value,
        branches: &'a [Value],
        key: &str,
        ptr: &str,
        name: &str,
    ) -> Result<Option<TypeKind>, Error> {
        let kept: Vec<usize> = (0..branches.len())
            .filter(|&i| !is_null_schema(&branches[i]))
            .collect();
        if kept.len() <= 1 {
            return Ok(None);
        }
        // `anyOf: [string, string enum]` is how specs write an open enum.
        let mut strings = Vec::new();
        let mut all_string = true;
        for &i in &kept {
            let (resolved, _) = self.deref(&branches[i], &format!("{ptr}/{key}/{i}"))?;
            if primary_type(resolved).as_deref() != Some("string")
                || non_empty_array(resolved, "oneOf").is_some()
            {
                all_string = false;
                break;
            }
            if let Some(values) = resolved.get("enum").and_then(Value::as_array) {
                strings.extend(values.iter().filter_map(Value::as_str).map(str::to_string));
            }
        }
        if all_string && !strings.is_empty() {
            let mut unique = Vec::new();
            for s in strings {
                if !unique.contains(&s) {
                    unique.push(s);
                }
            }
            return Ok(Some(TypeKind::StringEnum(enum_variants(
                unique.into_iter(),
            ))));
        }
        let mut scope = Scope::with_reserved(&["Other"]);
        let mut variants = Vec::new();
        for &i in &kept {
            let branch_ptr = format!("{ptr}/{key}/{i}");
            let branch = &branches[i];
            let hint = branch_hint(branch, name, i);
            let ty = self.ty(branch, &branch_ptr, &hint)?;
            let ty = match ty {
                Ty::Option(inner) => *inner,
                other => other,
            };
            let base = match &ty {
                Ty::Named(id) => self.types[*id].name.clone(),
                other => ty_word(other).to_string(),
            };
            variants.push(UnionVariant {
                ident: scope.claim(base),
                ty,
            });
        }
        let discriminator = schema.get("discriminator").and_then(|d| {
            let property = d.get("propertyName")?.as_str()?.to_string();
            let mut pairs = Vec::new();
            if let Some(mapping) = d.get("mapping").and_then(Value::as_object) {
                for (value, target) in mapping {
                    let target = target.as_str().unwrap_or_default();
                    let target_ptr = if target.starts_with('#') {
                        pointer::canonical(target)
                    } else {
                        format!("{COMPONENT_PREFIX}{}", pointer::escape(target))
                    };
                    let index = kept.iter().position(|&i| {
                        branches[i]
                            .get("$ref")
                            .and_then(Value::as_str)
                            .map(pointer::canonical)
                            == Some(target_ptr.clone())
                    });
                    if let Some(index) = index.filter(|_| !pairs.iter().any(|(v, _)| v == value)) {
                        pairs.push((value.clone(), index));
                    }
                }
            }
            for (index, &i) in kept.iter().enumerate() {
                if let Some(target) = branches[i].get("$ref").and_then(Value::as_str) {
                    let implicit = pointer::last_segment(target);
                    if !pairs.iter().any(|(v, i)| *i == index || *v == implicit) {
                        pairs.push((implicit, index));
                    }
                }
            }
            Some((property, pairs))
        });
        Ok(Some(TypeKind::Union(Union {
            variants,
            discriminator,
        })))
    }

    /// A multipart form struct for a body schema (fields of binary type become files).
    pub(crate) fn form(
        &mut self,
        schema: &'a Value,
        ptr: &str,
        name: &str,
    ) -> Result<Struct, Error> {
        let (resolved, resolved_ptr) = self.deref(schema, ptr)?;
        let mut fields = Vec::new();
        let mut scope = Scope::default();
        let mut parts = vec![(resolved, resolved_ptr)];
        let mut seen = HashSet::new();
        while let Some((part, part_ptr)) = parts.pop() {
            if !seen.insert(part_ptr.clone()) {
                continue;
            }
            if let Some(nested) = non_empty_array(part, "allOf") {
                for (i, p) in nested.iter().enumerate().rev() {
                    let (r, rp) = self.deref(p, &format!("{part_ptr}/allOf/{i}"))?;
                    parts.push((r, rp));
                }
            }
            self.collect_fields(part, &part_ptr, name, &mut scope, &mut fields, true)?;
        }
        Ok(Struct {
            fields,
            additional: None,
            role: StructRole::Form,
        })
    }

    pub(crate) fn form_id(&self, ptr: &str) -> Option<TypeId> {
        self.forms.get(ptr).copied()
    }

    pub(crate) fn remember_form(&mut self, ptr: String, id: TypeId) {
        self.forms.insert(ptr, id);
    }

    /// Finds components used only as multipart bodies, so they become forms alone.
    pub(crate) fn find_form_components(&mut self) {
        let mut refs: HashMap<String, usize> = HashMap::new();
        count_refs(self.raw, &mut refs);
        let mut multipart: HashMap<String, usize> = HashMap::new();
        if let Some(paths) = self.raw.get("paths").and_then(Value::as_object) {
            for item in paths.values().filter_map(Value::as_object) {
                for op in item.values() {
                    let Some(content) = op
                        .pointer("/requestBody/content")
                        .and_then(Value::as_object)
                    else {
                        continue;
                    };
                    for (media, entry) in content {
                        if !media.to_ascii_lowercase().starts_with("multipart/") {
                            continue;
                        }
                        if let Some(target) = entry.pointer("/schema/$ref").and_then(Value::as_str)
                        {
                            *multipart.entry(pointer::canonical(target)).or_default() += 1;
                        }
                    }
                }
            }
        }
        self.form_components = multipart
            .into_iter()
            .filter(|(target, count)| {
                target.starts_with(COMPONENT_PREFIX) && refs.get(target) == Some(count)
            })
            .map(|(target, _)| target)
            .collect();
    }

    /// Wraps fields whose type leads back to their own type without indirection.
    pub(crate) fn box_cycles(&mut self) {
        self.alias_cycles_to_newtypes();
        let n = self.types.len();
        let edges: Vec<Vec<TypeId>> = self.types.iter().map(|t| direct_refs(&t.kind)).collect();
        let reach = |from: TypeId, to: TypeId| -> bool {
            let mut stack = vec![from];
            let mut seen = vec![false; n];
            while let Some(at) = stack.pop() {
                if at == to {
                    return true;
                }
                if std::mem::replace(&mut seen[at], true) {
                    continue;
                }
                stack.extend(edges[at].iter().copied());
            }
            false
        };
        for id in 0..n {
            let owner = id;
            let box_if = |ty: &mut Ty| {
                if let Some(target) = direct_target(ty)
                    && reach(target, owner)
                {
                    box_direct(ty);
                }
            };
            match &mut self.types[id].kind {
                TypeKind::Struct(s) => s.fields.iter_mut().for_each(|f| box_if(&mut f.ty)),
                TypeKind::Union(u) => u.variants.iter_mut().for_each(|v| box_if(&mut v.ty)),
                TypeKind::Alias(ty) | TypeKind::Newtype(ty) => box_if(ty),
                TypeKind::StringEnum(_) | TypeKind::IntEnum(_) | TypeKind::ValueEnum(_) => {}
            }
        }
    }

    /// Type aliases may not refer to themselves, even through `Vec`: every alias on a
    /// cycle of aliases becomes a transparent newtype.
    fn alias_cycles_to_newtypes(&mut self) {
        let aliases: Vec<Vec<TypeId>> = self
            .types
            .iter()
            .map(|t| match &t.kind {
                TypeKind::Alias(ty) => {
                    let mut out = Vec::new();
                    named_in(ty, &mut out);
                    out
                }
                _ => Vec::new(),
            })
            .collect();
        let on_cycle: Vec<TypeId> = (0..aliases.len())
            .filter(|&start| {
                let mut stack = aliases[start].clone();
                let mut seen = vec![false; aliases.len()];
                while let Some(at) = stack.pop() {
                    if at == start {
                        return true;
                    }
                    if !std::mem::replace(&mut seen[at], true) {
                        stack.extend(aliases[at].iter().copied());
                    }
                }
                false
            })
            .collect();
        for id in on_cycle {
            if let TypeKind::Alias(ty) = &self.types[id].kind {
                self.types[id].kind = TypeKind::Newtype(ty.clone());
            }
        }
    }
}

/// Every named type mentioned anywhere in `ty`.
fn named_in(ty: &Ty, out: &mut Vec<TypeId>) {
    match ty {
        Ty::Named(id) => out.push(*id),
        Ty::Vec(inner) | Ty::Map(inner) | Ty::Option(inner) | Ty::Boxed(inner) => {
            named_in(inner, out)
        }
        _ => {}
    }
}

/// The named type a type holds by value (through `Option` only), if any.
fn direct_target(ty: &Ty) -> Option<TypeId> {
    match ty {
        Ty::Named(id) => Some(*id),
        Ty::Option(inner) => direct_target(inner),
        _ => None,
    }
}

fn box_direct(ty: &mut Ty) {
    match ty {
        Ty::Option(inner) => box_direct(inner),
        Ty::Named(_) => *ty = Ty::Boxed(Box::new(ty.clone())),
        _ => {}
    }
}

fn direct_refs(kind: &TypeKind) -> Vec<TypeId> {
    match kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .filter_map(|f| direct_target(&f.ty))
            .collect(),
        TypeKind::Union(u) => u
            .variants
            .iter()
            .filter_map(|v| direct_target(&v.ty))
            .collect(),
        TypeKind::Alias(ty) | TypeKind::Newtype(ty) => direct_target(ty).into_iter().collect(),
        TypeKind::StringEnum(_) | TypeKind::IntEnum(_) | TypeKind::ValueEnum(_) => Vec::new(),
    }
}

fn form_file_ty(resolved: &Value, space: &TypeSpace<'_>) -> Result<Option<Ty>, Error> {
    if is_binary(resolved) {
        return Ok(Some(Ty::File));
    }
    if primary_type(resolved).as_deref() == Some("array")
        && let Some(items) = resolved.get("items")
        && is_binary(space.deref(items, "#")?.0)
    {
        return Ok(Some(Ty::Vec(Box::new(Ty::File))));
    }
    Ok(None)
}

fn is_binary(schema: &Value) -> bool {
    primary_type(schema).as_deref() == Some("string")
        && matches!(
            schema.get("format").and_then(Value::as_str),
            Some("binary" | "byte")
        )
        && schema.get("format").and_then(Value::as_str) == Some("binary")
}

fn upload_rules(ext: &Value) -> UploadRules {
    UploadRules {
        single_top_folder: ext
            .get("single-top-folder")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        required_top_file: ext
            .get("required-top-file")
            .and_then(Value::as_str)
            .map(str::to_string),
        max_total_bytes: ext.get("max-total-bytes").and_then(Value::as_u64),
    }
}

/// Variants for string values, each value once (a repeated value would be an
/// unreachable match arm).
pub(crate) fn enum_variants(values: impl Iterator<Item = String>) -> Vec<EnumVariant<String>> {
    let mut scope = Scope::with_reserved(crate::naming::OPEN_ENUM_RESERVED);
    let mut seen = HashSet::new();
    values
        .filter(|value| seen.insert(value.clone()))
        .map(|value| EnumVariant {
            ident: scope.claim(camel(&value, "Empty")),
            value,
        })
        .collect()
}

fn branch_hint(branch: &Value, name: &str, index: usize) -> String {
    if let Some(title) = branch.get("title").and_then(Value::as_str) {
        return format!("{name}{}", camel(title, "Variant"));
    }
    format!("{name}Variant{index}")
}

fn ty_word(ty: &Ty) -> &'static str {
    match ty {
        Ty::Unit => "Unit",
        Ty::Bool => "Boolean",
        Ty::I32 | Ty::I64 | Ty::U64 => "Integer",
        Ty::F32 | Ty::F64 => "Number",
        Ty::String => "String",
        Ty::DateTime => "DateTime",
        Ty::Date => "Date",
        Ty::Bytes | Ty::File => "Bytes",
        Ty::Vec(_) => "Array",
        Ty::Map(_) | Ty::JsonMap => "Object",
        Ty::Value => "Value",
        Ty::Named(_) | Ty::Option(_) | Ty::Boxed(_) => "Variant",
    }
}

pub(crate) fn docs(schema: &Value) -> Docs {
    let description = schema
        .get("description")
        .or_else(|| schema.get("title"))
        .and_then(Value::as_str)
        .map(str::to_string);
    Docs {
        description,
        deprecated: flag(schema, "deprecated"),
        default: default_json(schema),
    }
}

/// A schema's `default` as compact JSON, for the docs.
pub(crate) fn default_json(schema: &Value) -> Option<String> {
    schema
        .get("default")
        .filter(|v| !v.is_null())
        .map(Value::to_string)
}

fn flag(schema: &Value, key: &str) -> bool {
    schema.get(key).and_then(Value::as_bool).unwrap_or(false)
}

fn non_empty_array<'v>(schema: &'v Value, key: &str) -> Option<&'v [Value]> {
    schema
        .get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .filter(|a| !a.is_empty())
}

/// `type`, tolerating the 3.1 array form (`["string", "null"]`).
pub(crate) fn primary_type(schema: &Value) -> Option<String> {
    match schema.get("type")? {
        Value::String(s) => Some(s.clone()),
        Value::Array(types) => {
            let named: Vec<&str> = types
                .iter()
                .filter_map(Value::as_str)
                .filter(|t| *t != "null")
                .collect();
            if named.len() == 1 {
                Some(named[0].to_string())
            } else {
                None
            }
        }
        _ => None,
    }
}

pub(crate) fn is_nullable(schema: &Value) -> bool {
    flag(schema, "nullable")
        || schema
            .get("type")
            .and_then(Value::as_array)
            .is_some_and(|t| t.iter().any(|v| v == "null"))
        || schema
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|e| e.iter().any(Value::is_null))
        || ["oneOf", "anyOf"].iter().any(|k| {
            non_empty_array(schema, k).is_some_and(|b| b.len() > 1 && b.iter().any(is_null_schema))
        })
}

fn is_null_schema(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("null")
        || schema
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|e| !e.is_empty() && e.iter().all(Value::is_null))
        || schema
            .as_object()
            .is_some_and(|o| o.len() == 1 && flag(schema, "nullable"))
}

fn is_empty_schema(schema: &Value) -> bool {
    schema.as_object().is_none_or(|o| {
        o.keys().all(|k| {
            matches!(
                k.as_str(),
                "description" | "title" | "example" | "deprecated" | "nullable"
            )
        })
    })
}

fn is_object_like(schema: &Value) -> bool {
    primary_type(schema).as_deref() == Some("object")
        || schema.get("properties").is_some()
        || (primary_type(schema).is_none() && schema.get("additionalProperties").is_some())
}

pub(crate) fn is_object_schema(schema: &Value) -> bool {
    is_object_like(schema) || non_empty_array(schema, "allOf").is_some()
}

fn is_object_with_properties(schema: &Value) -> bool {
    matches!(primary_type(schema).as_deref(), Some("object") | None)
        && schema
            .get("properties")
            .and_then(Value::as_object)
            .is_some_and(|p| !p.is_empty())
}

/// A bound of an integer schema, if it is a number.
fn bound(schema: &Value, key: &str) -> Option<f64> {
    schema.get(key).and_then(Value::as_f64)
}

/// `format: int32` is kept only when the schema's bounds (if any) fit `i32`.
fn fits_i32(schema: &Value) -> bool {
    let fits =
        |b: Option<f64>| b.is_none_or(|b| (f64::from(i32::MIN)..=f64::from(i32::MAX)).contains(&b));
    fits(bound(schema, "minimum")) && fits(bound(schema, "maximum"))
}

/// The Rust type of an `integer` schema: `i64` unless a bound says otherwise.
fn integer_ty(schema: &Value) -> Ty {
    let format = schema.get("format").and_then(Value::as_str);
    let non_negative = bound(schema, "minimum").is_some_and(|b| b >= 0.0);
    let beyond_i64 = schema
        .get("maximum")
        .is_some_and(|m| m.as_i64().is_none() && m.as_f64().is_some_and(|f| f > 0.0));
    match format {
        Some("int32") if fits_i32(schema) => Ty::I32,
        Some("uint64" | "uint") => Ty::U64,
        _ if beyond_i64 && (non_negative || schema.get("minimum").is_none()) => Ty::U64,
        _ => Ty::I64,
    }
}

/// The `oneOf` (else `anyOf`) branches of a schema, unless every branch only constrains
/// the schema around it (`oneOf: [{required: [a]}, {required: [b]}]`): those describe
/// that schema, not alternatives to it.
fn union_branches(schema: &Value) -> Option<(&'static str, &[Value])> {
    const CONSTRAINTS: &[&str] = &[
        "required",
        "description",
        "title",
        "not",
        "minProperties",
        "maxProperties",
        "minItems",
        "maxItems",
        "minLength",
        "maxLength",
        "pattern",
        "minimum",
        "maximum",
        "example",
        "examples",
    ];
    let constraint_only = |b: &Value| {
        b.as_object()
            .is_some_and(|o| !o.is_empty() && o.keys().all(|k| CONSTRAINTS.contains(&k.as_str())))
    };
    ["oneOf", "anyOf"].into_iter().find_map(|key| {
        let branches = non_empty_array(schema, key)?;
        (!branches.iter().all(constraint_only)).then_some((key, branches))
    })
}

/// Whether a schema becomes a named definition rather than an inline type expression.
fn needs_def(schema: &Value) -> bool {
    if let Some(parts) = non_empty_array(schema, "allOf") {
        return parts.len() > 1 || schema.get("properties").is_some();
    }
    if let Some((_, branches)) = union_branches(schema) {
        return branches.iter().filter(|b| !is_null_schema(b)).count() > 1;
    }
    if schema.get("enum").is_some() {
        return enum_values(schema).is_some();
    }
    is_object_with_properties(schema)
}

/// The values of an enum the generator types, null left out (it makes the type nullable).
enum EnumValues {
    Strings(Vec<String>),
    Ints(Vec<i64>),
    /// Values of several JSON types, or of a type the schema does not declare.
    Mixed(Vec<Value>),
}

/// An `enum`'s values as strings, integers or JSON values. The declared `type` wins over
/// how the values are written: `type: string, enum: [169, 32]` is sent as `"169"`, and
/// `type: integer, enum: ["1", "2"]` as `1`. Values of several types (or of a type the
/// schema does not declare) are kept as JSON values.
fn enum_values(schema: &Value) -> Option<EnumValues> {
    let values = schema.get("enum")?.as_array()?;
    let present: Vec<&Value> = values.iter().filter(|v| !v.is_null()).collect();
    if present.is_empty() {
        return None;
    }
    let declared = primary_type(schema);
    let as_text = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(_) | Value::Bool(_) => Some(v.to_string()),
        _ => None,
    };
    let as_int = |v: &Value| match v {
        Value::String(s) => s.trim().parse::<i64>().ok(),
        other => other.as_i64(),
    };
    let mixed = || {
        Some(EnumValues::Mixed(
            present.iter().map(|v| (*v).clone()).collect(),
        ))
    };
    match declared.as_deref() {
        Some("string") => present
            .iter()
            .map(|v| as_text(v))
            .collect::<Option<Vec<_>>>()
            .map(EnumValues::Strings)
            .or_else(mixed),
        Some("integer") => present
            .iter()
            .map(|v| as_int(v))
            .collect::<Option<Vec<_>>>()
            .map(EnumValues::Ints)
            .or_else(mixed),
        // Lists and objects keep their shape; the enum only narrows them.
        Some("array" | "object") => None,
        _ if present.iter().all(|v| v.is_string()) => Some(EnumValues::Strings(
            present.iter().filter_map(|v| as_text(v)).collect(),
        )),
        _ if present.iter().all(|v| v.as_i64().is_some()) => Some(EnumValues::Ints(
            present.iter().filter_map(|v| v.as_i64()).collect(),
        )),
        // Declared numbers or booleans stay `f64` and `bool`.
        Some("number") if present.iter().all(|v| v.is_number()) => None,
        Some("boolean") if present.iter().all(|v| v.is_boolean()) => None,
        _ => mixed(),
    }
}

/// Variants of a [`TypeKind::ValueEnum`]: named after the value (a string as itself,
/// anything else after its JSON text), duplicates dropped.
fn value_enum_variants(values: Vec<Value>) -> Vec<EnumVariant<String>> {
    let mut scope = Scope::with_reserved(crate::naming::OPEN_ENUM_RESERVED);
    let mut seen = HashSet::new();
    values
        .into_iter()
        .filter(|value| seen.insert(value.to_string()))
        .map(|value| {
            let name = match &value {
                Value::String(text) => camel(text, "Empty"),
                other => camel(&other.to_string(), "Value"),
            };
            EnumVariant {
                ident: scope.claim(name),
                value: value.to_string(),
            }
        })
        .collect()
}
