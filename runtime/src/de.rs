//! Deserialising generated structs with little generated code.
//!
//! `#[derive(Deserialize)]` expands, for every struct, a field-name enum with its own
//! visitor, a map visitor, a sequence visitor and a duplicate and a missing check per
//! field: for the thousands of structs of a large spec, that expansion is most of what
//! the compiler spends its time and memory on. Here a struct only lists its wire names
//! and fills one slot per field ([`Object`]); the loop over the JSON object, the lookup
//! of each key, skipping unknown keys and the errors for duplicate and missing fields are
//! written once, in [`object`].
//!
//! The result decodes what the derive decodes, with the same errors, except that an
//! object is read only from a map: a JSON array is not taken for a struct's fields in
//! order (which let an untagged union pick an object variant for an array).

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, DeserializeSeed, Deserializer, IgnoredAny, MapAccess};

/// A struct whose `Deserialize` is [`object`]: generated code lists the fields' wire
/// names and says how to fill and finish one value.
pub trait Object: Sized {
    /// The type's name, for error messages.
    const NAME: &'static str;
    /// Each field's wire name; a field's index is its position here.
    const FIELDS: &'static [&'static str];
    /// One `Option` slot per field.
    type Partial;

    /// Every slot empty.
    fn start() -> Self::Partial;

    /// Reads the next value of `map` into the slot of field `index`. `Ok(false)`, without
    /// reading the value, if that slot was filled already (a duplicate key).
    fn field<'de, A: MapAccess<'de>>(
        partial: &mut Self::Partial,
        index: usize,
        map: &mut A,
    ) -> Result<bool, A::Error>;

    /// The value from its slots, once the object ended: a required field left empty is
    /// [`de::Error::missing_field`] (see [`required`]).
    fn finish<E: de::Error>(partial: Self::Partial) -> Result<Self, E>;
}

/// Deserialises an [`Object`] from a map: keys it does not know are skipped, a key seen
/// twice is an error.
pub fn object<'de, T: Object, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_struct(T::NAME, T::FIELDS, ObjectVisitor(PhantomData))
}

/// Fills `slot` with the next value of `map`, unless it is filled already (`Ok(false)`).
pub fn fill<'de, T: de::Deserialize<'de>, A: MapAccess<'de>>(
    slot: &mut Option<T>,
    map: &mut A,
) -> Result<bool, A::Error> {
    if slot.is_some() {
        return Ok(false);
    }
    *slot = Some(map.next_value()?);
    Ok(true)
}

/// Fills the slot of an optional, nullable field, which is the field itself: absent
/// stays `None`, `null` becomes `Some(None)`, a value `Some(Some(value))`. `Ok(false)`
/// if it was filled already.
pub fn fill_nullable<'de, T: de::Deserialize<'de>, A: MapAccess<'de>>(
    slot: &mut Option<Option<T>>,
    map: &mut A,
) -> Result<bool, A::Error> {
    if slot.is_some() {
        return Ok(false);
    }
    *slot = Some(map.next_value()?);
    Ok(true)
}

/// A required field's value. When its key was absent this is what `serde_derive` does:
/// `None` for an `Option` (a required but nullable field), otherwise a
/// missing-field error naming `name`.
pub fn required<T: DeserializeOwned, E: de::Error>(
    slot: Option<T>,
    name: &'static str,
) -> Result<T, E> {
    match slot {
        Some(value) => Ok(value),
        None => T::deserialize(Missing(name, PhantomData)),
    }
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Object> de::Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut partial = T::start();
        while let Some(key) = map.next_key_seed(Key(T::FIELDS))? {
            match key {
                Some(index) => {
                    if !T::field(&mut partial, index, &mut map)? {
                        return Err(de::Error::duplicate_field(T::FIELDS[index]));
                    }
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        T::finish(partial)
    }
}

/// A key: the index of the field it names, or `None` for a key to skip. Like the
/// derive, a field may also be named by its index.
struct Key(&'static [&'static str]);

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de> de::Visitor<'de> for Key {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("field identifier")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        Ok(self.0.iter().position(|name| *name == value))
    }

    fn visit_bytes<E: de::Error>(self, value: &[u8]) -> Result<Self::Value, E> {
        Ok(self.0.iter().position(|name| name.as_bytes() == value))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
        Ok(usize::try_from(value).ok().filter(|&i| i < self.0.len()))
    }
}

/// The stand-in for an absent field: an `Option` reads it as `None`, anything else
/// fails with a missing-field error.
struct Missing<E>(&'static str, PhantomData<E>);

impl<'de, E: de::Error> Deserializer<'de> for Missing<E> {
    type Error = E;

    fn deserialize_any<V: de::Visitor<'de>>(self, _visitor: V) -> Result<V::Value, E> {
        Err(E::missing_field(self.0))
    }

    fn deserialize_option<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_none()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
        byte_buf unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    /// What the generator writes for `{id (required), note (required, nullable),
    /// title (optional), parent (optional, nullable)}`.
    #[derive(Debug, PartialEq)]
    struct Item {
        id: String,
        note: Option<String>,
        title: Option<String>,
        parent: Option<Option<u32>>,
    }

    impl Object for Item {
        const NAME: &'static str = "Item";
        const FIELDS: &'static [&'static str] = &["id", "note", "title", "parent"];
        type Partial = (
            Option<String>,
            Option<Option<String>>,
            Option<Option<String>>,
            Option<Option<u32>>,
        );

        fn start() -> Self::Partial {
            (None, None, None, None)
        }

        fn field<'de, A: MapAccess<'de>>(
            partial: &mut Self::Partial,
            index: usize,
            map: &mut A,
        ) -> Result<bool, A::Error> {
            match index {
                0 => fill(&mut partial.0, map),
                1 => fill(&mut partial.1, map),
                2 => fill(&mut partial.2, map),
                _ => fill_nullable(&mut partial.3, map),
            }
        }

        fn finish<E: de::Error>(partial: Self::Partial) -> Result<Self, E> {
            Ok(Self {
                id: required(partial.0, "id")?,
                note: required(partial.1, "note")?,
                title: partial.2.unwrap_or_default(),
                parent: partial.3,
            })
        }
    }

    impl<'de> Deserialize<'de> for Item {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            object(deserializer)
        }
    }

    /// The same shape through `serde_derive`, the behaviour to match (under the same
    /// name, which error messages quote).
    mod derived {
        use serde::Deserialize;

        #[derive(Debug, Deserialize)]
        #[allow(dead_code)] // read only through Debug, to compare errors
        pub struct Item {
            id: String,
            note: Option<String>,
            #[serde(default)]
            title: Option<String>,
            #[serde(default, with = "crate::double_option")]
            parent: Option<Option<u32>>,
        }
    }

    fn both(json: &str) -> (Result<Item, String>, Result<(), String>) {
        let ours = serde_json::from_str::<Item>(json).map_err(|e| e.to_string());
        let derived = serde_json::from_str::<derived::Item>(json)
            .map(|_| ())
            .map_err(|e| e.to_string());
        (ours, derived)
    }

    #[test]
    fn decodes_like_the_derive() {
        let (ours, derived) = both(r#"{"id":"a","note":null,"extra":[1,{"x":2}],"parent":null}"#);
        assert_eq!(
            ours.unwrap(),
            Item {
                id: "a".into(),
                note: None,
                title: None,
                parent: Some(None),
            }
        );
        assert!(derived.is_ok());

        let (ours, _) = both(r#"{"parent":7,"title":"t","id":"b"}"#);
        let item = ours.unwrap();
        assert_eq!((item.note, item.parent), (None, Some(Some(7))));
        assert_eq!(item.title.as_deref(), Some("t"));
    }

    #[test]
    fn errors_match_the_derive() {
        for json in [
            r#"{"note":"n"}"#,
            r#"{"id":"a","id":"b"}"#,
            r#"{"id":1}"#,
            r#"{"id":"a","parent":"x"}"#,
            r#""text""#,
            r#"{"id":"a""#,
        ] {
            let (ours, derived) = both(json);
            assert_eq!(ours.unwrap_err(), derived.unwrap_err(), "for {json}");
        }
    }

    #[test]
    fn an_array_is_not_an_object() {
        let error = serde_json::from_str::<Item>(r#"["a", null, null, null]"#).unwrap_err();
        assert!(
            error.to_string().contains("expected struct Item"),
            "{error}"
        );
    }

    #[test]
    fn from_a_value_and_with_borrowed_keys() {
        let value = serde_json::json!({"id": "v", "note": "n"});
        let item: Item = serde_json::from_value(value).unwrap();
        assert_eq!(item.note.as_deref(), Some("n"));
        let bytes = br#"{"id":"w"}"#;
        let item: Item = serde_json::from_slice(bytes).unwrap();
        assert_eq!(item.id, "w");
    }
}
