//! Identical types share one definition. Large specs repeat the same inline schema
//! (`[Bot, User, Organization]`, `[open, closed]`, the same small object) in hundreds of
//! places; each copy would be a type with its derives and trait impls for the compiler
//! to check. One copy keeps its definition (the first component schema among them, or
//! else the first in spec order) and every inline copy becomes an alias of it under its
//! own name, with its own docs, so code that names either still compiles and variants
//! and struct literals work through the alias (`Later::Open`, `Later { .. }`). Component
//! schemas, whose names the spec's authors chose, always stay types of their own. Enums,
//! model structs and unions are shared; a struct counts as identical only with the same
//! field docs, so no alias loses a doc line.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use crate::ir::{Field, Struct, StructRole, Ty, TypeDef, TypeId, TypeKind, Union, UnionVariant};
use crate::spec::view::Document;

use super::TypeSpace;

impl TypeSpace<'_> {
    /// Turns every inline type identical to another into an alias of the one kept.
    pub(crate) fn share_identical_types(&mut self) {
        share_identical_types(&mut self.types);
    }
}

fn share_identical_types(types: &mut [TypeDef]) {
    let mut canonical = canonical_ids(types);
    let mut hashes: Vec<Option<u64>> = types.iter().map(|t| hash(t, &canonical)).collect();
    // Types that point at copies become identical once those are aliases, so repeat
    // until nothing changes; each round only ever turns types into aliases, and only
    // the hashes of types that name a type that moved are made again.
    loop {
        // The definition each type keeps: the first component schema identical to it,
        // or else the first identical type. Types are grouped by hash, then compared
        // whole; the map is only looked up, never iterated, so its order cannot leak out.
        let mut keepers: HashMap<u64, Vec<TypeId>> = HashMap::new();
        for id in TypeId::all(types) {
            let Some(hash) = hashes[id.index()] else {
                continue;
            };
            let bucket = keepers.entry(hash).or_default();
            let same = bucket
                .iter_mut()
                .find(|kept| identical(&types[**kept], &types[id], &canonical));
            match same {
                Some(kept) if is_named(&types[id]) && !is_named(&types[*kept]) => *kept = id,
                Some(_) => {}
                None => bucket.push(id),
            }
        }
        let mut aliases = Vec::new();
        for id in TypeId::all(types) {
            let Some(hash) = hashes[id.index()] else {
                continue;
            };
            let kept = keepers.get(&hash).and_then(|bucket| {
                bucket
                    .iter()
                    .copied()
                    .find(|kept| identical(&types[*kept], &types[id], &canonical))
            });
            // A name the spec's authors chose stays a type of its own.
            if let Some(kept) = kept
                && kept != id
                && !is_named(&types[id])
            {
                aliases.push((id, kept));
            }
        }
        if aliases.is_empty() {
            return;
        }
        for (id, kept) in aliases {
            types[id.index()].kind = TypeKind::Alias(Ty::Named(kept));
            hashes[id.index()] = None;
        }
        let before = std::mem::replace(&mut canonical, canonical_ids(types));
        let moved: Vec<bool> = before.iter().zip(&canonical).map(|(a, b)| a != b).collect();
        for id in TypeId::all(types) {
            if hashes[id.index()].is_some() && names_any(&types[id].kind, &moved) {
                hashes[id.index()] = hash(&types[id], &canonical);
            }
        }
    }
}

/// Whether a type's definition names a type flagged in `moved`.
fn names_any(kind: &TypeKind, moved: &[bool]) -> bool {
    fn in_ty(ty: &Ty, moved: &[bool]) -> bool {
        match ty {
            Ty::Named(id) => moved[id.index()],
            Ty::Vec(inner) | Ty::Map(inner) | Ty::Option(inner) | Ty::Boxed(inner) => {
                in_ty(inner, moved)
            }
            _ => false,
        }
    }
    match kind {
        TypeKind::Struct(s) => {
            s.fields.iter().any(|f| in_ty(&f.ty, moved))
                || s.additional.as_ref().is_some_and(|ty| in_ty(ty, moved))
        }
        TypeKind::Union(u) => u.variants.iter().any(|v| in_ty(&v.ty, moved)),
        TypeKind::Alias(ty) | TypeKind::Newtype(ty) => in_ty(ty, moved),
        TypeKind::StringEnum(_) | TypeKind::IntEnum(_) | TypeKind::ValueEnum(_) => false,
    }
}

/// Whether the type is a component schema (named by the spec), not an inline one.
fn is_named(def: &TypeDef) -> bool {
    Document::is_named_component_schema(&def.pointer)
}

/// For each type, the type it stands for: itself, or what its chain of aliases to named
/// types ends at.
fn canonical_ids(types: &[TypeDef]) -> Vec<TypeId> {
    TypeId::all(types)
        .map(|id| {
            let mut target = id;
            // Alias cycles became newtypes before this pass; the bound is a guard.
            for _ in 0..types.len() {
                match &types[target].kind {
                    TypeKind::Alias(Ty::Named(next)) => target = *next,
                    _ => break,
                }
            }
            target
        })
        .collect()
}

// What makes two types the same: their kind and content, with every named type
// replaced by the type it stands for (`canonical`). Only enums, model structs and unions
// are shared. The walks below compare and hash the IR without copying it; each of them
// takes its structs apart whole, so a member added to the IR is a compile error here
// until it is compared too.

/// The hash of a shared kind's definition, `None` for kinds that are never shared.
fn hash(def: &TypeDef, canonical: &[TypeId]) -> Option<u64> {
    let mut state = DefaultHasher::new();
    match &def.kind {
        TypeKind::StringEnum(variants) => (0u8, variants).hash(&mut state),
        TypeKind::IntEnum(variants) => (1u8, variants).hash(&mut state),
        TypeKind::ValueEnum(variants) => (2u8, variants).hash(&mut state),
        TypeKind::Struct(s) if s.role == StructRole::Model => {
            let Struct {
                fields,
                additional,
                role: _,
            } = s;
            3u8.hash(&mut state);
            fields.len().hash(&mut state);
            for field in fields {
                let Field {
                    ident,
                    wire,
                    ty,
                    required,
                    nullable,
                    docs,
                    read_only,
                    write_only,
                    upload,
                    flatten,
                } = field;
                // Docs are long and rarely tell two otherwise equal types apart: they
                // are compared, not hashed.
                (ident, wire, required, nullable, docs.deprecated).hash(&mut state);
                (read_only, write_only, upload, flatten).hash(&mut state);
                hash_ty(ty, canonical, &mut state);
            }
            additional.is_some().hash(&mut state);
            if let Some(ty) = additional {
                hash_ty(ty, canonical, &mut state);
            }
        }
        TypeKind::Union(Union {
            variants,
            discriminator,
        }) => {
            4u8.hash(&mut state);
            discriminator.hash(&mut state);
            variants.len().hash(&mut state);
            for UnionVariant { ident, ty } in variants {
                ident.hash(&mut state);
                hash_ty(ty, canonical, &mut state);
            }
        }
        TypeKind::Struct(_) | TypeKind::Alias(_) | TypeKind::Newtype(_) => return None,
    }
    Some(state.finish())
}

fn hash_ty(ty: &Ty, canonical: &[TypeId], state: &mut DefaultHasher) {
    std::mem::discriminant(ty).hash(state);
    match ty {
        Ty::Named(id) => canonical[id.index()].hash(state),
        Ty::Vec(inner) | Ty::Map(inner) | Ty::Option(inner) | Ty::Boxed(inner) => {
            hash_ty(inner, canonical, state)
        }
        _ => {}
    }
}

/// Whether two types with a hash are the same type.
fn identical(a: &TypeDef, b: &TypeDef, canonical: &[TypeId]) -> bool {
    match (&a.kind, &b.kind) {
        (TypeKind::StringEnum(a), TypeKind::StringEnum(b)) => a == b,
        (TypeKind::IntEnum(a), TypeKind::IntEnum(b)) => a == b,
        (TypeKind::ValueEnum(a), TypeKind::ValueEnum(b)) => a == b,
        (TypeKind::Struct(a), TypeKind::Struct(b)) => {
            let Struct {
                fields,
                additional,
                role,
            } = a;
            *role == b.role
                && fields.len() == b.fields.len()
                && fields
                    .iter()
                    .zip(&b.fields)
                    .all(|(a, b)| same_field(a, b, canonical))
                && match (additional, &b.additional) {
                    (Some(a), Some(b)) => same_ty(a, b, canonical),
                    (None, None) => true,
                    _ => false,
                }
        }
        (TypeKind::Union(a), TypeKind::Union(b)) => {
            let Union {
                variants,
                discriminator,
            } = a;
            *discriminator == b.discriminator
                && variants.len() == b.variants.len()
                && variants.iter().zip(&b.variants).all(|(a, b)| {
                    let UnionVariant { ident, ty } = a;
                    *ident == b.ident && same_ty(ty, &b.ty, canonical)
                })
        }
        _ => false,
    }
}

fn same_field(a: &Field, b: &Field, canonical: &[TypeId]) -> bool {
    let Field {
        ident,
        wire,
        ty,
        required,
        nullable,
        docs,
        read_only,
        write_only,
        upload,
        flatten,
    } = a;
    *ident == b.ident
        && *wire == b.wire
        && *required == b.required
        && *nullable == b.nullable
        && *docs == b.docs
        && *read_only == b.read_only
        && *write_only == b.write_only
        && *upload == b.upload
        && *flatten == b.flatten
        && same_ty(ty, &b.ty, canonical)
}

fn same_ty(a: &Ty, b: &Ty, canonical: &[TypeId]) -> bool {
    match (a, b) {
        (Ty::Named(a), Ty::Named(b)) => canonical[a.index()] == canonical[b.index()],
        (Ty::Vec(a), Ty::Vec(b))
        | (Ty::Map(a), Ty::Map(b))
        | (Ty::Option(a), Ty::Option(b))
        | (Ty::Boxed(a), Ty::Boxed(b)) => same_ty(a, b, canonical),
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Docs, EnumVariant};
    use crate::naming::RustIdent;

    fn def(name: &str, kind: TypeKind) -> TypeDef {
        TypeDef {
            name: RustIdent::for_test(name),
            docs: Docs::default(),
            kind,
            pointer: String::new(),
        }
    }

    fn strings(values: &[&str]) -> TypeKind {
        TypeKind::StringEnum(
            values
                .iter()
                .map(|v| EnumVariant {
                    ident: RustIdent::for_test(&heck::ToUpperCamelCase::to_upper_camel_case(*v)),
                    value: (*v).to_owned(),
                })
                .collect(),
        )
    }

    #[test]
    fn later_copies_alias_the_first() {
        let mut types = vec![
            def("State", strings(&["open", "closed"])),
            def("Kind", strings(&["bot", "user"])),
            def("IssueState", strings(&["open", "closed"])),
            def("Order", strings(&["closed", "open"])),
            def("PrState", strings(&["open", "closed"])),
            def("Level", TypeKind::IntEnum(vec![])),
            def("Empty", strings(&[])),
        ];
        share_identical_types(&mut types);
        let shape: Vec<String> = types
            .iter()
            .map(|t| match &t.kind {
                TypeKind::Alias(Ty::Named(id)) => {
                    format!("{} = {}", t.name.as_str(), types[*id].name.as_str())
                }
                _ => t.name.as_str().to_owned(),
            })
            .collect();
        // Order matters (a different order is another enum); an empty int enum and an
        // empty string enum are different types.
        assert_eq!(
            shape,
            [
                "State",
                "Kind",
                "IssueState = State",
                "Order",
                "PrState = State",
                "Level",
                "Empty"
            ]
        );
    }

    fn object(fields: &[(&str, Ty)]) -> TypeKind {
        TypeKind::Struct(Struct {
            fields: fields
                .iter()
                .map(|(name, ty)| Field {
                    ident: RustIdent::for_test(name),
                    wire: (*name).to_owned(),
                    ty: ty.clone(),
                    required: true,
                    nullable: false,
                    docs: Docs::default(),
                    read_only: false,
                    write_only: false,
                    upload: None,
                    flatten: false,
                })
                .collect(),
            additional: None,
            role: StructRole::Model,
        })
    }

    fn shape(types: &[TypeDef]) -> Vec<String> {
        types
            .iter()
            .map(|t| match &t.kind {
                TypeKind::Alias(Ty::Named(id)) => {
                    format!("{} = {}", t.name.as_str(), types[*id].name.as_str())
                }
                _ => t.name.as_str().to_owned(),
            })
            .collect()
    }

    #[test]
    fn structs_that_hold_copies_become_copies_too() {
        let id = TypeId::for_test;
        let mut types = vec![
            def("UserKind", strings(&["bot", "user"])),
            def(
                "User",
                object(&[("login", Ty::String), ("kind", Ty::Named(id(0)))]),
            ),
            def("AuthorKind", strings(&["bot", "user"])),
            // Identical to `User` once `AuthorKind` is an alias of `UserKind`.
            def(
                "Author",
                object(&[("login", Ty::String), ("kind", Ty::Named(id(2)))]),
            ),
            def(
                "Issue",
                object(&[("author", Ty::Vec(Box::new(Ty::Named(id(3)))))]),
            ),
            def(
                "Pull",
                object(&[("author", Ty::Vec(Box::new(Ty::Named(id(1)))))]),
            ),
            def("Named", object(&[("name", Ty::String)])),
            def("Other", object(&[("title", Ty::String)])),
        ];
        share_identical_types(&mut types);
        assert_eq!(
            shape(&types),
            [
                "UserKind",
                "User",
                "AuthorKind = UserKind",
                "Author = User",
                "Issue",
                "Pull = Issue",
                "Named",
                "Other"
            ]
        );
    }

    #[test]
    fn a_struct_with_other_docs_or_a_params_struct_keeps_its_own_definition() {
        let mut documented = object(&[("name", Ty::String)]);
        if let TypeKind::Struct(s) = &mut documented {
            s.fields[0].docs.description = Some("The name.".into());
        }
        let mut params = object(&[("name", Ty::String)]);
        if let TypeKind::Struct(s) = &mut params {
            s.role = StructRole::Params;
        }
        let mut types = vec![
            def("Plain", object(&[("name", Ty::String)])),
            def("Documented", documented),
            def("ListParams", params.clone()),
            def("GetParams", params),
        ];
        share_identical_types(&mut types);
        assert_eq!(
            shape(&types),
            ["Plain", "Documented", "ListParams", "GetParams"]
        );
    }

    #[test]
    fn component_schemas_keep_their_definitions_and_are_preferred() {
        let at = |name: &str, pointer: &str| TypeDef {
            pointer: pointer.to_owned(),
            ..def(name, strings(&["open", "closed"]))
        };
        let mut types = vec![
            at("ThingState", "#/components/schemas/Thing/properties/state"),
            at("State", "#/components/schemas/State"),
            at("Status", "#/components/schemas/Status"),
            at("OtherState", "#/paths/~1other/get/parameters/0/schema"),
        ];
        share_identical_types(&mut types);
        assert_eq!(
            shape(&types),
            [
                "ThingState = State",
                "State",
                "Status",
                "OtherState = State"
            ]
        );
    }
}
