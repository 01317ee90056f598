//! `enum`s become open enums of strings, integers or mixed JSON values; the declared
//! `type` decides how values are sent, and a catch-all keeps values the spec omits.

use std::collections::HashSet;

use serde_json::Value;

use crate::ir::{EnumVariant, TypeKind};
use crate::naming::{Scope, camel};
use crate::spec::view::{JsonType, SchemaView};

/// The enum a schema with `enum` becomes, or `None` when it stays its plain type.
pub(super) fn enum_kind(schema: &SchemaView<'_>) -> Option<TypeKind> {
    Some(match enum_values(schema)? {
        EnumValues::Strings(strings) => TypeKind::StringEnum(enum_variants(strings.into_iter())),
        EnumValues::Ints(ints) => {
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
            TypeKind::IntEnum(variants)
        }
        EnumValues::Mixed(values) => TypeKind::ValueEnum(value_enum_variants(values)),
    })
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

/// The values of an enum the generator types, null left out (it makes the type nullable).
#[derive(Debug, PartialEq)]
pub(super) enum EnumValues {
    Strings(Vec<String>),
    Ints(Vec<i64>),
    /// Values of several JSON types, or of a type the schema does not declare.
    Mixed(Vec<Value>),
}

/// An `enum`'s values as strings, integers or JSON values. The declared `type` wins over
/// how the values are written: `type: string, enum: [169, 32]` is sent as `"169"`, and
/// `type: integer, enum: ["1", "2"]` as `1`. Values of several types (or of a type the
/// schema does not declare) are kept as JSON values.
pub(super) fn enum_values(schema: &SchemaView<'_>) -> Option<EnumValues> {
    let values = schema.enum_values()?;
    let present: Vec<&Value> = values.iter().filter(|v| !v.is_null()).collect();
    if present.is_empty() {
        return None;
    }
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
    match schema.primary_type() {
        Some(JsonType::String) => present
            .iter()
            .map(|v| as_text(v))
            .collect::<Option<Vec<_>>>()
            .map(EnumValues::Strings)
            .or_else(mixed),
        Some(JsonType::Integer) => present
            .iter()
            .map(|v| as_int(v))
            .collect::<Option<Vec<_>>>()
            .map(EnumValues::Ints)
            .or_else(mixed),
        // Lists and objects keep their shape; the enum only narrows them.
        Some(JsonType::Array | JsonType::Object) => None,
        _ if present.iter().all(|v| v.is_string()) => Some(EnumValues::Strings(
            present.iter().filter_map(|v| as_text(v)).collect(),
        )),
        _ if present.iter().all(|v| v.as_i64().is_some()) => Some(EnumValues::Ints(
            present.iter().filter_map(|v| v.as_i64()).collect(),
        )),
        // Declared numbers or booleans stay `f64` and `bool`.
        Some(JsonType::Number) if present.iter().all(|v| v.is_number()) => None,
        Some(JsonType::Boolean) if present.iter().all(|v| v.is_boolean()) => None,
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

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::spec::view::Document;

    fn values(schema: Value) -> Option<EnumValues> {
        let raw = json!({"components": {"schemas": {"S": schema}}});
        let doc = Document::new(&raw);
        let (_, view) = doc.component_schemas().next().unwrap();
        enum_values(&view)
    }

    #[test]
    fn the_declared_type_decides_how_values_are_sent() {
        assert_eq!(
            values(json!({"type": "string", "enum": [169, "a", null]})),
            Some(EnumValues::Strings(vec!["169".into(), "a".into()]))
        );
        assert_eq!(
            values(json!({"type": "integer", "enum": ["1", 2]})),
            Some(EnumValues::Ints(vec![1, 2]))
        );
        assert_eq!(
            values(json!({"type": "integer", "enum": ["one", 2]})),
            Some(EnumValues::Mixed(vec![json!("one"), json!(2)]))
        );
    }

    #[test]
    fn untyped_enums_follow_their_values_and_some_stay_plain() {
        assert_eq!(
            values(json!({"enum": [1, 2]})),
            Some(EnumValues::Ints(vec![1, 2]))
        );
        assert_eq!(
            values(json!({"enum": ["a", 2.5, true]})),
            Some(EnumValues::Mixed(vec![json!("a"), json!(2.5), json!(true)]))
        );
        assert_eq!(values(json!({"type": "number", "enum": [1.5, 2]})), None);
        assert_eq!(values(json!({"type": "array", "enum": [[1]]})), None);
        assert_eq!(values(json!({"enum": [null]})), None);
    }
}
