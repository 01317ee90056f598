//! YAML text to a `serde_json::Value`, accepting what YAML allows and JSON values do not:
//! integers beyond 64 bits (kept as floats), non-string keys (`200:` becomes `"200"`) and
//! tags (`!tag value` becomes `value`).

use std::fmt;

use serde::de::{
    DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor,
};
use serde_json::{Map, Number, Value};

pub(crate) fn from_yaml(text: &str) -> Result<Value, serde_yaml::Error> {
    AnyValue.deserialize(serde_yaml::Deserializer::from_str(text))
}

struct AnyValue;

impl<'de> DeserializeSeed<'de> for AnyValue {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

fn float(value: f64) -> Value {
    Number::from_f64(value).map_or(Value::Null, Value::Number)
}

/// A map key as text: scalars print as YAML wrote them, composites as JSON.
fn key_text(key: Value) -> String {
    match key {
        Value::String(s) => s,
        Value::Null => "null".to_string(),
        other => other.to_string(),
    }
}

impl<'de> Visitor<'de> for AnyValue {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(match (i64::try_from(v), u64::try_from(v)) {
            (Ok(n), _) => Value::from(n),
            (_, Ok(n)) => Value::from(n),
            _ => float(v as f64),
        })
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(u64::try_from(v).map_or_else(|_| float(v as f64), Value::from))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(AnyValue)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        let mut merged = Vec::new();
        while let Some(key) = map.next_key_seed(AnyValue)? {
            let value = map.next_value_seed(AnyValue)?;
            match (key, value) {
                // A YAML merge key (`<<: *base` or `<<: [*a, *b]`): its entries are defaults.
                (Value::String(key), Value::Object(from)) if key == "<<" => merged.push(from),
                (Value::String(key), Value::Array(froms))
                    if key == "<<" && froms.iter().all(Value::is_object) =>
                {
                    merged.extend(froms.into_iter().filter_map(|v| match v {
                        Value::Object(from) => Some(from),
                        _ => None,
                    }));
                }
                (key, value) => {
                    out.insert(key_text(key), value);
                }
            }
        }
        for from in merged {
            for (key, value) in from {
                out.entry(key).or_insert(value);
            }
        }
        Ok(Value::Object(out))
    }
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        // A tagged value (`!tag value`): the tag carries nothing OpenAPI reads.
        let (_tag, variant): (Value, _) = data.variant_seed(AnyValue)?;
        variant.newtype_variant_seed(AnyValue)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_beyond_json() {
        let value = from_yaml(
            "a: 18446744073709551615\nb: -99999999999999999999\n200: x\n? [1]\n: y\nc: !tag 5\n",
        )
        .unwrap();
        assert_eq!(value["a"], Value::from(u64::MAX));
        assert!(value["b"].as_f64().is_some_and(|f| f < -9e19));
        assert_eq!(value["200"], "x");
        assert_eq!(value["[1]"], "y");
        assert_eq!(value["c"], 5);
        let merged = from_yaml("a: &a {x: 1, y: 2}\nb:\n  <<: *a\n  y: 3\n").unwrap();
        assert_eq!(merged["b"], serde_json::json!({"y": 3, "x": 1}));
    }
}
