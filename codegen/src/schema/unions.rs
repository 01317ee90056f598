//! `oneOf`/`anyOf` become enums: an open string enum when every branch is a string
//! (how specs write an open enum), else one variant per branch, with the
//! discriminator's values when the spec names them.

use crate::error::Error;
use crate::ir::{Ty, TypeKind, Union, UnionVariant};
use crate::naming::{Scope, camel};
use crate::spec::pointer;
use crate::spec::view::SchemaView;

use super::TypeSpace;
use super::enums::enum_variants;

impl<'a> TypeSpace<'a> {
    pub(super) fn union(
        &mut self,
        schema: &SchemaView<'a>,
        branches: &[SchemaView<'a>],
        name: &str,
    ) -> Result<Option<TypeKind>, Error> {
        let kept: Vec<&SchemaView<'a>> = branches.iter().filter(|b| !b.is_null()).collect();
        if kept.len() <= 1 {
            return Ok(None);
        }
        // `anyOf: [string, string enum]` is how specs write an open enum.
        let mut strings = Vec::new();
        let mut all_string = true;
        for branch in &kept {
            let resolved = self.deref(*branch)?;
            if !resolved.is_string() || resolved.has_one_of() {
                all_string = false;
                break;
            }
            if let Some(values) = resolved.enum_values() {
                strings.extend(
                    values
                        .iter()
                        .filter_map(serde_json::Value::as_str)
                        .map(str::to_string),
                );
            }
        }
        if all_string && !strings.is_empty() {
            return Ok(Some(TypeKind::StringEnum(enum_variants(
                strings.into_iter(),
            ))));
        }
        let mut scope = Scope::with_reserved(crate::naming::OPEN_ENUM_RESERVED);
        let mut variants = Vec::new();
        for (index, branch) in branches.iter().enumerate().filter(|(_, b)| !b.is_null()) {
            let hint = match branch.title() {
                Some(title) => format!("{name}{}", camel(title, "Variant")),
                None => format!("{name}Variant{index}"),
            };
            let ty = match self.ty(branch, &hint)? {
                Ty::Option(inner) => *inner,
                other => other,
            };
            let base = match &ty {
                Ty::Named(id) => self.types[*id].name.to_string(),
                other => ty_word(other).to_string(),
            };
            variants.push(UnionVariant {
                ident: scope.claim(base),
                ty,
            });
        }
        let discriminator = schema.discriminator().map(|d| {
            let target_of =
                |branch: &SchemaView<'_>| branch.reference_target().map(pointer::canonical);
            let mut pairs: Vec<(String, usize)> = Vec::new();
            for (value, target) in d.mapping {
                let index = kept
                    .iter()
                    .position(|b| target_of(b).as_ref() == Some(&target));
                if let Some(index) = index.filter(|_| !pairs.iter().any(|(v, _)| v == value)) {
                    pairs.push((value.to_string(), index));
                }
            }
            // Without a mapping entry, a branch's value is its component's name.
            for (index, branch) in kept.iter().enumerate() {
                if let Some(target) = branch.reference_target() {
                    let implicit = pointer::last_segment(target);
                    if !pairs.iter().any(|(v, i)| *i == index || *v == implicit) {
                        pairs.push((implicit, index));
                    }
                }
            }
            (d.property.to_string(), pairs)
        });
        // A branch whose discriminator property holds one value (`enum: [x]`, or a 3.1
        // `const`) is also chosen by that value: many specs tag their data so and never
        // write a mapping, whose implicit values (component names) no server sends.
        let discriminator = match discriminator {
            Some((property, mut pairs)) => {
                for (index, branch) in kept.iter().enumerate() {
                    let resolved = self.deref(*branch)?;
                    let Some((_, tag)) = resolved.properties().find(|(key, _)| *key == property)
                    else {
                        continue;
                    };
                    let tag = self.deref(&tag)?;
                    if let Some([serde_json::Value::String(value)]) = tag.enum_values()
                        && !pairs.iter().any(|(v, _)| v == value)
                    {
                        pairs.push((value.clone(), index));
                    }
                }
                Some((property, pairs))
            }
            None => None,
        };
        Ok(Some(TypeKind::Union(Union {
            variants,
            discriminator,
        })))
    }
}

/// A variant name for a branch whose type has no name of its own.
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
