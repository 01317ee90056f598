//! Serde for generated structs with little generated code.
//!
//! `#[derive(Serialize, Deserialize)]` expands, for every struct, a field-name enum with
//! its own visitor, map and sequence visitors, and a duplicate and a missing check per
//! field: for the thousands of structs of a large spec, that expansion is most of what
//! the compiler spends its time and memory on. A generated struct instead names its
//! fields once, with their wire names and kinds, in [`object!`](super::object!):
//!
//! ```
//! #[derive(Debug, PartialEq)]
//! pub struct Skill {
//!     pub id: String,
//!     pub r#type: Option<String>,
//!     pub parent: Option<Option<u32>>,
//! }
//! sdk_runtime::object!(Skill {
//!     Required id = "id",
//!     Optional r#type = "type",
//!     Nullable parent = "parent_id",
//! });
//!
//! let skill: Skill = serde_json::from_str(r#"{"id": "s", "parent_id": null}"#).unwrap();
//! assert_eq!(skill, Skill { id: "s".into(), r#type: None, parent: Some(None) });
//! assert_eq!(serde_json::to_string(&skill).unwrap(), r#"{"id":"s","parent_id":null}"#);
//! ```
//!
//! The kinds: `Required` (the key must be there), `RequiredNullable` (an `Option`:
//! absent or `null` is `None`, as the derive reads a required `Option`; always written),
//! `Optional` (an `Option`: absent or `null` is `None`; written only when `Some`) and
//! `Nullable` (an `Option<Option<_>>`: absent is `None`, `null` is `Some(None)`;
//! written when `Some`). Decoding gives what the derive gives,
//! with the same errors, except that a struct is read only from a map: a JSON array is
//! not taken for its fields in order (which let an untagged union pick a struct variant
//! for an array). Unknown keys are skipped.

use std::fmt;
use std::marker::PhantomData;

use serde::Serialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess};
use serde::ser::SerializeStruct;

/// A struct whose serde impls [`object!`](super::object!) wrote.
pub trait Object: Sized {
    /// The type's name, for error messages.
    const NAME: &'static str;
    /// Every field's wire name.
    const FIELDS: &'static [&'static str];

    /// Reads the struct from a map's entries (keys through [`next_key`]).
    fn visit<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// Deserialises an [`Object`] from a map.
pub fn deserialize<'de, T: Object, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_struct(T::NAME, T::FIELDS, ObjectVisitor(PhantomData))
}

/// Reads the next key of `map` into `key` (emptied first); `false` at the end of the map.
/// One buffer per struct serves every key, borrowed or not.
pub fn next_key<'de, A: MapAccess<'de>>(map: &mut A, key: &mut String) -> Result<bool, A::Error> {
    loop {
        key.clear();
        match map.next_key_seed(KeyText(key))? {
            None => return Ok(false),
            Some(true) => return Ok(true),
            // A key that is not text (an integer, bytes that are not UTF-8: never in
            // JSON) names no field, not even one whose wire name is empty.
            Some(false) => skip(map)?,
        }
    }
}

/// Skips the value of a key the struct does not have.
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(|_| ())
}

/// The kind of a field whose key must be present (its slot is `Option<T>`, matched
/// as `Some` once the map ended); always written.
pub struct Required;

impl Required {
    /// Reads the field's value into its slot; a second one is a duplicate-field error.
    pub fn fill<'de, T: de::Deserialize<'de>, A: MapAccess<'de>>(
        slot: &mut Option<T>,
        map: &mut A,
        wire: &'static str,
    ) -> Result<(), A::Error> {
        fill(slot, map, wire)
    }

    /// The field from its slot's value.
    pub fn finish<T>(value: T) -> T {
        value
    }

    /// Whether the key was absent, which is an error for this kind.
    pub fn is_missing<T>(slot: &Option<T>) -> bool {
        slot.is_none()
    }

    /// 1: the field is always written.
    pub fn count<T>(_value: &T) -> usize {
        1
    }

    /// Writes the field.
    pub fn write<S: SerializeStruct, T: Serialize>(
        state: &mut S,
        wire: &'static str,
        value: &T,
    ) -> Result<(), S::Error> {
        state.serialize_field(wire, value)
    }
}

/// The kind of a required field that may be `null`, as an `Option`: an absent key or
/// `null` is `None` (as `serde_derive` reads a required `Option`); always written,
/// `None` as `null`.
pub struct RequiredNullable;

impl RequiredNullable {
    /// Reads the field's value (`null` allowed) into its slot; a second one is a
    /// duplicate-field error.
    pub fn fill<'de, T: de::Deserialize<'de>, A: MapAccess<'de>>(
        slot: &mut Option<Option<T>>,
        map: &mut A,
        wire: &'static str,
    ) -> Result<(), A::Error> {
        fill(slot, map, wire)
    }

    /// The field's value: `None` when the key was absent or `null`.
    pub fn finish<T>(slot: Option<Option<T>>) -> Option<T> {
        slot.flatten()
    }

    /// Never: an absent key is `None`.
    pub fn is_missing<T>(_slot: &T) -> bool {
        false
    }

    /// 1: the field is always written.
    pub fn count<T>(_value: &T) -> usize {
        1
    }

    /// Writes the field (`None` as `null`).
    pub fn write<S: SerializeStruct, T: Serialize>(
        state: &mut S,
        wire: &'static str,
        value: &T,
    ) -> Result<(), S::Error> {
        state.serialize_field(wire, value)
    }
}

/// The kind of an `Option` field: absent or `null` is `None`, and `None` is not
/// written.
pub struct Optional;

impl Optional {
    /// Reads the field's value (`null` allowed) into its slot; a second one is a
    /// duplicate-field error.
    pub fn fill<'de, T: de::Deserialize<'de>, A: MapAccess<'de>>(
        slot: &mut Option<Option<T>>,
        map: &mut A,
        wire: &'static str,
    ) -> Result<(), A::Error> {
        fill(slot, map, wire)
    }

    /// The field's value: `None` when the key was absent or `null`.
    pub fn finish<T>(slot: Option<Option<T>>) -> Option<T> {
        slot.flatten()
    }

    /// Never: an absent key is `None`.
    pub fn is_missing<T>(_slot: &T) -> bool {
        false
    }

    /// Whether the field is written.
    pub fn count<T>(value: &Option<T>) -> usize {
        usize::from(value.is_some())
    }

    /// Writes the field when it is `Some`.
    pub fn write<S: SerializeStruct, T: Serialize>(
        state: &mut S,
        wire: &'static str,
        value: &Option<T>,
    ) -> Result<(), S::Error> {
        match value {
            Some(_) => state.serialize_field(wire, value),
            None => state.skip_field(wire),
        }
    }
}

/// The kind of an optional field that may be `null`, as `Option<Option<_>>`: absent is
/// `None`, `null` is `Some(None)`, a value is `Some(Some(_))`; `None` is not written
/// and `Some(None)` is written as `null`.
pub struct Nullable;

impl Nullable {
    /// Reads the field's value (`null` allowed) into its slot, which is the field; a
    /// second one is a duplicate-field error.
    pub fn fill<'de, T: de::Deserialize<'de>, A: MapAccess<'de>>(
        slot: &mut Option<Option<T>>,
        map: &mut A,
        wire: &'static str,
    ) -> Result<(), A::Error> {
        fill(slot, map, wire)
    }

    /// The field's value: its slot as it is.
    pub fn finish<T>(slot: Option<Option<T>>) -> Option<Option<T>> {
        slot
    }

    /// Never: an absent key is `None`.
    pub fn is_missing<T>(_slot: &T) -> bool {
        false
    }

    /// Whether the field is written.
    pub fn count<T>(value: &Option<Option<T>>) -> usize {
        Optional::count(value)
    }

    /// Writes the field when it is `Some` (`Some(None)` as `null`).
    pub fn write<S: SerializeStruct, T: Serialize>(
        state: &mut S,
        wire: &'static str,
        value: &Option<Option<T>>,
    ) -> Result<(), S::Error> {
        Optional::write(state, wire, value)
    }
}

/// The error for a map that ended without a required key: the first field flagged
/// missing.
pub fn missing<E: de::Error>(fields: &[(&'static str, bool)]) -> E {
    match fields.iter().find(|(_, missing)| *missing) {
        Some((wire, _)) => E::missing_field(wire),
        None => E::custom("a required field is missing"),
    }
}

fn fill<'de, T: de::Deserialize<'de>, A: MapAccess<'de>>(
    slot: &mut Option<T>,
    map: &mut A,
    wire: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(wire));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Object> de::Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::visit(map)
    }
}

/// A key's text, copied into the struct's buffer; `false` for a key that is not text.
struct KeyText<'k>(&'k mut String);

impl<'de> de::DeserializeSeed<'de> for KeyText<'_> {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de> de::Visitor<'de> for KeyText<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("field identifier")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<bool, E> {
        self.0.push_str(value);
        Ok(true)
    }

    fn visit_bytes<E: de::Error>(self, value: &[u8]) -> Result<bool, E> {
        match std::str::from_utf8(value) {
            Ok(text) => self.visit_str(text),
            Err(_) => Ok(false),
        }
    }

    fn visit_u64<E: de::Error>(self, _value: u64) -> Result<bool, E> {
        Ok(false)
    }
}

/// `Serialize`, `Deserialize` and [`Object`] for a struct, from each field's kind
/// ([`Required`], [`RequiredNullable`], [`Optional`], [`Nullable`]), name and
/// wire name; the `object` module says
/// what each kind means.
#[doc(hidden)]
#[macro_export]
macro_rules! __sdk_runtime_object {
    ($name:ident { $($kind:ident $field:ident = $wire:literal),* $(,)? }) => {
        impl $crate::sdk_runtime::object::Object for $name {
            const NAME: &'static str = ::std::stringify!($name);
            const FIELDS: &'static [&'static str] = &[$($wire),*];

            fn visit<'de, A: $crate::sdk_runtime::serde::de::MapAccess<'de>>(
                mut map: A,
            ) -> ::std::result::Result<Self, A::Error> {
                // Every slot in one tuple: a `?` leaving early drops one value, not one
                // per field (which made the compiler's work grow with the square of the
                // number of fields).
                let mut slots = ($($crate::__sdk_runtime_object_slot!($kind),)*);
                {
                    #[allow(unused_variables)] // a struct may have no fields
                    let ($($field,)*) = &mut slots;
                    let mut key = ::std::string::String::new();
                    while $crate::sdk_runtime::object::next_key(&mut map, &mut key)? {
                        match key.as_str() {
                            $($wire => $crate::sdk_runtime::object::$kind::fill($field, &mut map, $wire)?,)*
                            _ => $crate::sdk_runtime::object::skip(&mut map)?,
                        }
                    }
                }
                match slots {
                    ($($crate::__sdk_runtime_object_slot!($kind $field),)*) => ::std::result::Result::Ok(Self {
                        $($field: $crate::sdk_runtime::object::$kind::finish($field),)*
                    }),
                    #[allow(unreachable_patterns)] // without required fields the first arm matches all
                    ($($field,)*) => ::std::result::Result::Err($crate::sdk_runtime::object::missing(&[
                        $(($wire, $crate::sdk_runtime::object::$kind::is_missing(&$field))),*
                    ])),
                }
            }
        }

        impl<'de> $crate::sdk_runtime::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::sdk_runtime::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::sdk_runtime::object::deserialize(deserializer)
            }
        }

        impl $crate::sdk_runtime::serde::Serialize for $name {
            fn serialize<S: $crate::sdk_runtime::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                use $crate::sdk_runtime::serde::ser::SerializeStruct as _;
                let len = 0 $(+ $crate::sdk_runtime::object::$kind::count(&self.$field))*;
                #[allow(unused_mut)] // a struct may have no fields
                let mut state = serializer.serialize_struct(::std::stringify!($name), len)?;
                $($crate::sdk_runtime::object::$kind::write(&mut state, $wire, &self.$field)?;)*
                state.end()
            }
        }
    };
}

/// For [`object!`](super::object!): a field's empty slot (`($kind)`), or the pattern
/// its slot matches once the map ended (`($kind $field)`): `Some` for a required
/// field, anything for the others.
#[doc(hidden)]
#[macro_export]
macro_rules! __sdk_runtime_object_slot {
    ($kind:ident) => {
        ::std::option::Option::None
    };
    (Required $field:ident) => {
        ::std::option::Option::Some($field)
    };
    ($kind:ident $field:ident) => {
        $field
    };
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    /// What the generator writes for `{id (required), note (required, nullable),
    /// title (optional), parent (optional, nullable)}`, plus a field named like the
    /// macro's own locals.
    #[derive(Debug, PartialEq, Default)]
    struct Item {
        id: String,
        note: Option<String>,
        title: Option<String>,
        parent: Option<Option<u32>>,
        map: Option<u8>,
        key: Option<u8>,
    }

    super::super::object!(Item {
        Required id = "id",
        RequiredNullable note = "note",
        Optional title = "title",
        Nullable parent = "parent",
        Optional map = "map",
        Optional key = "key",
    });

    /// The same shape through `serde_derive`, the behaviour to match (under the same
    /// name, which error messages quote).
    mod derived {
        use serde::{Deserialize, Serialize};

        #[derive(Debug, Deserialize, Serialize, Default)]
        pub struct Item {
            pub id: String,
            pub note: Option<String>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub title: Option<String>,
            #[serde(
                default,
                skip_serializing_if = "Option::is_none",
                with = "super::super::super::double_option"
            )]
            pub parent: Option<Option<u32>>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub map: Option<u8>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub key: Option<u8>,
        }
    }

    fn both(json: &str) -> (Result<Item, String>, Result<String, String>) {
        let ours = serde_json::from_str::<Item>(json).map_err(|e| e.to_string());
        let derived = serde_json::from_str::<derived::Item>(json)
            .map(|item| serde_json::to_string(&item).unwrap())
            .map_err(|e| e.to_string());
        (ours, derived)
    }

    #[test]
    fn decodes_and_encodes_like_the_derive() {
        for json in [
            r#"{"id":"a","note":null,"extra":[1,{"x":2}],"parent":null}"#,
            r#"{"parent":7,"title":"t","id":"b","map":1,"key":2}"#,
            r#"{"id":"c","title":null,"note":"n","parent":null}"#,
            r#"{"i\u0064":"escaped key"}"#,
        ] {
            let (ours, derived) = both(json);
            let ours = ours.unwrap();
            assert_eq!(
                serde_json::to_string(&ours).unwrap(),
                derived.unwrap(),
                "for {json}"
            );
        }
        let (ours, _) = both(r#"{"id":"a","parent":null}"#);
        assert_eq!(
            ours.unwrap(),
            Item {
                id: "a".into(),
                parent: Some(None),
                ..Item::default()
            }
        );
    }

    #[test]
    fn errors_match_the_derive() {
        for json in [
            r#"{"note":"n"}"#,
            r#"{"id":"a","id":"b"}"#,
            r#"{"id":"a","parent":1,"parent":null}"#,
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
    fn from_a_value() {
        let value = serde_json::json!({"id": "v", "note": "n", "map": 3});
        let item = Item::deserialize(value).unwrap();
        assert_eq!((item.note.as_deref(), item.map), (Some("n"), Some(3)));
        let round = serde_json::to_value(&item).unwrap();
        assert_eq!(round, serde_json::json!({"id": "v", "note": "n", "map": 3}));
    }

    /// A field whose wire name is empty, which a key that is not text must not fill.
    #[derive(Debug, PartialEq)]
    struct Unnamed {
        blank: Option<u8>,
        name: Option<u8>,
    }

    super::super::object!(Unnamed {
        Optional blank = "",
        Optional name = "name",
    });

    #[test]
    fn keys_that_are_not_text_name_no_field() {
        use serde::de::value::{BytesDeserializer, MapDeserializer, U64Deserializer};
        use serde_json::{Error, Value};

        // Integer keys, as a format other than JSON may give: skipped.
        let by_index = MapDeserializer::<_, Error>::new(
            [(0u64, 1), (1, 2)]
                .into_iter()
                .map(|(k, v)| (U64Deserializer::<Error>::new(k), Value::from(v))),
        );
        assert_eq!(
            Unnamed::deserialize(by_index).unwrap(),
            Unnamed {
                blank: None,
                name: None
            }
        );
        // Bytes that are not UTF-8 are skipped too; text given as bytes still counts,
        // the empty key included.
        let bytes: [(&[u8], u8); 3] = [(b"\xff", 1), (b"name", 2), (b"", 3)];
        let by_bytes = MapDeserializer::<_, Error>::new(
            bytes
                .into_iter()
                .map(|(k, v)| (BytesDeserializer::<Error>::new(k), Value::from(v))),
        );
        assert_eq!(
            Unnamed::deserialize(by_bytes).unwrap(),
            Unnamed {
                blank: Some(3),
                name: Some(2)
            }
        );
    }

    #[derive(Debug, PartialEq)]
    struct Empty {}

    super::super::object!(Empty {});

    #[test]
    fn a_struct_without_fields() {
        assert_eq!(
            serde_json::from_str::<Empty>(r#"{"a":1}"#).unwrap(),
            Empty {}
        );
        assert_eq!(serde_json::to_string(&Empty {}).unwrap(), "{}");
    }
}
