//! Identical enums share one definition. Large specs repeat the same inline enum
//! (`[Bot, User, Organization]`, `[open, closed]`) in hundreds of schemas; each copy
//! would be an enum with its derives and trait impls for the compiler to check. The
//! first one (in spec order) keeps its definition, and every later copy becomes an alias
//! of it under its own name, with its own docs: code that names either still compiles,
//! and variants are reached through the alias as before (`Later::Open`).

use std::collections::HashMap;

use crate::ir::{EnumVariant, Ty, TypeDef, TypeId, TypeKind};

use super::TypeSpace;

/// What makes two enums the same type: their kind and their variants, in order.
#[derive(PartialEq, Eq, Hash)]
enum EnumKey {
    String(Vec<(String, String)>),
    Int(Vec<(String, i64)>),
    Value(Vec<(String, String)>),
}

fn key(def: &TypeDef) -> Option<EnumKey> {
    fn pairs<V: Clone>(variants: &[EnumVariant<V>]) -> Vec<(String, V)> {
        variants
            .iter()
            .map(|v| (v.ident.as_str().to_owned(), v.value.clone()))
            .collect()
    }
    match &def.kind {
        TypeKind::StringEnum(variants) => Some(EnumKey::String(pairs(variants))),
        TypeKind::IntEnum(variants) => Some(EnumKey::Int(pairs(variants))),
        TypeKind::ValueEnum(variants) => Some(EnumKey::Value(pairs(variants))),
        _ => None,
    }
}

impl TypeSpace<'_> {
    /// Turns every enum identical to an earlier one into an alias of that one.
    pub(crate) fn share_identical_enums(&mut self) {
        share_identical_enums(&mut self.types);
    }
}

fn share_identical_enums(types: &mut [TypeDef]) {
    // Only the first of each kind is looked up later, so the map holds no order that
    // could leak into the output.
    let mut first: HashMap<EnumKey, TypeId> = HashMap::new();
    for id in TypeId::all(types) {
        let Some(key) = key(&types[id]) else { continue };
        match first.get(&key) {
            Some(&shared) => types[id.index()].kind = TypeKind::Alias(Ty::Named(shared)),
            None => {
                first.insert(key, id);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Docs;
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
        share_identical_enums(&mut types);
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
}
