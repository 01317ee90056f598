//! `Option<Option<T>>` fields for properties that are optional *and* nullable:
//! absent is `None`, `null` is `Some(None)`, a value is `Some(Some(v))`. Use with
//! `#[serde(default, skip_serializing_if = "Option::is_none", with = "sdk_runtime::double_option")]`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Serialises the inner option: `Some(None)` as `null`.
pub fn serialize<T: Serialize, S: Serializer>(
    value: &Option<Option<T>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(inner) => inner.serialize(serializer),
        None => serializer.serialize_none(),
    }
}

/// Deserialises a present field: `null` becomes `Some(None)`.
pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(deserializer).map(Some)
}
