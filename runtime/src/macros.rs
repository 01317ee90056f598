//! Open enums: generated crates write the enum and its table of wire values; the
//! traits every open enum needs come from here, so each enum costs a few generated
//! lines instead of a page of identical impls.

/// An enum whose known values are listed in a table, with a catch-all variant that
/// keeps any other value. Implemented by generated code; [`open_string_enum_traits!`](super::open_string_enum_traits)
/// builds `Display`, `FromStr`, `From` and serde on top of it.
pub trait OpenStringEnum: Sized + PartialEq + 'static {
    /// Every known variant with its wire value, in spec order.
    const KNOWN: &'static [(Self, &'static str)];
    /// The catch-all variant holding `value`.
    fn other(value: String) -> Self;
    /// The value held by the catch-all variant, if this is it.
    fn as_other(&self) -> Option<&str>;

    /// The value as sent on the wire.
    fn wire_str(&self) -> &str {
        match self.as_other() {
            Some(value) => value,
            None => Self::KNOWN
                .iter()
                .find(|(known, _)| known == self)
                .map_or("", |(_, wire)| wire),
        }
    }

    /// The variant for a wire value; unknown values land in the catch-all.
    fn from_wire(value: &str) -> Self {
        match Self::KNOWN.iter().position(|(_, wire)| *wire == value) {
            Some(index) => Self::KNOWN[index].0.clone_known(),
            None => Self::other(value.to_owned()),
        }
    }

    /// Copies a known (field-less) variant.
    fn clone_known(&self) -> Self;
}

/// The integer counterpart of [`OpenStringEnum`].
pub trait OpenIntEnum: Sized + Copy + PartialEq + 'static {
    /// Every known variant with its wire value, in spec order.
    const KNOWN: &'static [(Self, i64)];
    /// The catch-all variant holding `value`.
    fn other(value: i64) -> Self;
    /// The value held by the catch-all variant, if this is it.
    fn as_other(&self) -> Option<i64>;

    /// The value as sent on the wire.
    fn wire_value(&self) -> i64 {
        match self.as_other() {
            Some(value) => value,
            None => Self::KNOWN
                .iter()
                .find(|(known, _)| known == self)
                .map_or(0, |(_, wire)| *wire),
        }
    }

    /// The variant for a wire value; unknown values land in the catch-all.
    fn from_wire(value: i64) -> Self {
        Self::KNOWN
            .iter()
            .find(|(_, wire)| *wire == value)
            .map_or_else(|| Self::other(value), |(known, _)| *known)
    }
}

/// The counterpart of [`OpenStringEnum`] for an enum whose values are of several JSON
/// types (`enum: [1, "auto", true]`): each known value is written as its JSON text.
pub trait OpenValueEnum: Sized + Clone + PartialEq + 'static {
    /// Every known variant with its wire value as JSON text, in spec order.
    const KNOWN: &'static [(Self, &'static str)];
    /// The catch-all variant holding `value`.
    fn other(value: serde_json::Value) -> Self;
    /// The value held by the catch-all variant, if this is it.
    fn as_other(&self) -> Option<&serde_json::Value>;

    /// The value as sent on the wire.
    fn wire_value(&self) -> serde_json::Value {
        if let Some(value) = self.as_other() {
            return value.clone();
        }
        Self::KNOWN
            .iter()
            .find(|(known, _)| known == self)
            .and_then(|(_, text)| serde_json::from_str(text).ok())
            .unwrap_or(serde_json::Value::Null)
    }

    /// The variant for a wire value (`1` and `1.0` are the same number); unknown values
    /// land in the catch-all.
    fn from_wire(value: serde_json::Value) -> Self {
        let known = Self::KNOWN.iter().find(|(_, text)| {
            serde_json::from_str::<serde_json::Value>(text)
                .is_ok_and(|known| same_json(&known, &value))
        });
        match known {
            Some((known, _)) => known.clone(),
            None => Self::other(value),
        }
    }
}

/// JSON equality that compares numbers by value, whatever their representation.
fn same_json(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_json(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
}

/// `as_str`, `Display`, `FromStr` (infallible), `From<&str>`, `From<String>` and serde
/// for a type implementing [`OpenStringEnum`]. Every value round-trips, known or not.
///
/// ```
/// #[derive(Debug, Clone, PartialEq)]
/// pub enum Order { Asc, Desc, Other(String) }
/// impl sdk_runtime::OpenStringEnum for Order {
///     const KNOWN: &'static [(Self, &'static str)] = &[(Order::Asc, "asc"), (Order::Desc, "desc")];
///     fn other(value: String) -> Self { Order::Other(value) }
///     fn as_other(&self) -> Option<&str> { match self { Order::Other(v) => Some(v), _ => None } }
///     fn clone_known(&self) -> Self { self.clone() }
/// }
/// sdk_runtime::open_string_enum_traits!(Order);
///
/// assert_eq!(Order::from("asc"), Order::Asc);
/// assert_eq!(Order::from("sideways").to_string(), "sideways");
/// assert_eq!(serde_json::to_string(&Order::Desc).unwrap(), "\"desc\"");
/// assert_eq!(serde_json::from_str::<Order>("\"up\"").unwrap(), Order::Other("up".into()));
/// ```
#[doc(hidden)]
#[macro_export]
macro_rules! __sdk_runtime_open_string_enum_traits {
    ($name:ident) => {
        impl $name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                $crate::sdk_runtime::OpenStringEnum::wire_str(self)
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                $crate::sdk_runtime::OpenStringEnum::from_wire(value)
            }
        }

        impl ::std::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                $crate::sdk_runtime::OpenStringEnum::from_wire(&value)
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok($crate::sdk_runtime::OpenStringEnum::from_wire(value))
            }
        }

        impl $crate::sdk_runtime::serde::Serialize for $name {
            fn serialize<S: $crate::sdk_runtime::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::sdk_runtime::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::sdk_runtime::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let value =
                    <::std::borrow::Cow<'de, str> as $crate::sdk_runtime::serde::Deserialize>::deserialize(
                        deserializer,
                    )?;
                Ok($crate::sdk_runtime::OpenStringEnum::from_wire(&value))
            }
        }
    };
}

/// `value`, `Display`, `From<i64>` and serde for a type implementing [`OpenIntEnum`].
///
/// ```
/// #[derive(Debug, Clone, Copy, PartialEq)]
/// pub enum Priority { V1, V2, Other(i64) }
/// impl sdk_runtime::OpenIntEnum for Priority {
///     const KNOWN: &'static [(Self, i64)] = &[(Priority::V1, 1), (Priority::V2, 2)];
///     fn other(value: i64) -> Self { Priority::Other(value) }
///     fn as_other(&self) -> Option<i64> { match self { Priority::Other(v) => Some(*v), _ => None } }
/// }
/// sdk_runtime::open_int_enum_traits!(Priority);
///
/// assert_eq!(Priority::from(2), Priority::V2);
/// assert_eq!(serde_json::from_str::<Priority>("7").unwrap(), Priority::Other(7));
/// assert_eq!(Priority::V1.value(), 1);
/// ```
#[doc(hidden)]
#[macro_export]
macro_rules! __sdk_runtime_open_int_enum_traits {
    ($name:ident) => {
        impl $name {
            /// The value as sent on the wire.
            pub fn value(self) -> i64 {
                $crate::sdk_runtime::OpenIntEnum::wire_value(&self)
            }
        }

        impl ::std::convert::From<i64> for $name {
            fn from(value: i64) -> Self {
                $crate::sdk_runtime::OpenIntEnum::from_wire(value)
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::write!(f, "{}", self.value())
            }
        }

        impl $crate::sdk_runtime::serde::Serialize for $name {
            fn serialize<S: $crate::sdk_runtime::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.value())
            }
        }

        impl<'de> $crate::sdk_runtime::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::sdk_runtime::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                <i64 as $crate::sdk_runtime::serde::Deserialize>::deserialize(deserializer)
                    .map($crate::sdk_runtime::OpenIntEnum::from_wire)
            }
        }
    };
}

/// `value`, `Display` (strings as themselves, anything else as JSON), `From<Value>` and
/// serde for a type implementing [`OpenValueEnum`].
///
/// ```
/// #[derive(Debug, Clone, PartialEq)]
/// pub enum Size { V1, Auto, Other(serde_json::Value) }
/// impl sdk_runtime::OpenValueEnum for Size {
///     const KNOWN: &'static [(Self, &'static str)] = &[(Size::V1, "1"), (Size::Auto, "\"auto\"")];
///     fn other(value: serde_json::Value) -> Self { Size::Other(value) }
///     fn as_other(&self) -> Option<&serde_json::Value> { match self { Size::Other(v) => Some(v), _ => None } }
/// }
/// sdk_runtime::open_value_enum_traits!(Size);
///
/// assert_eq!(serde_json::from_str::<Size>("1.0").unwrap(), Size::V1);
/// assert_eq!(serde_json::to_string(&Size::Auto).unwrap(), "\"auto\"");
/// assert_eq!(serde_json::from_str::<Size>("false").unwrap(), Size::Other(false.into()));
/// assert_eq!(Size::Auto.to_string(), "auto");
/// ```
#[doc(hidden)]
#[macro_export]
macro_rules! __sdk_runtime_open_value_enum_traits {
    ($name:ident) => {
        impl $name {
            /// The value as sent on the wire.
            pub fn value(&self) -> $crate::sdk_runtime::serde_json::Value {
                $crate::sdk_runtime::OpenValueEnum::wire_value(self)
            }
        }

        impl ::std::convert::From<$crate::sdk_runtime::serde_json::Value> for $name {
            fn from(value: $crate::sdk_runtime::serde_json::Value) -> Self {
                $crate::sdk_runtime::OpenValueEnum::from_wire(value)
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self.value() {
                    $crate::sdk_runtime::serde_json::Value::String(text) => f.write_str(&text),
                    other => ::std::write!(f, "{other}"),
                }
            }
        }

        impl $crate::sdk_runtime::serde::Serialize for $name {
            fn serialize<S: $crate::sdk_runtime::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                $crate::sdk_runtime::serde::Serialize::serialize(&self.value(), serializer)
            }
        }

        impl<'de> $crate::sdk_runtime::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::sdk_runtime::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                <$crate::sdk_runtime::serde_json::Value as $crate::sdk_runtime::serde::Deserialize>::deserialize(deserializer)
                    .map($crate::sdk_runtime::OpenValueEnum::from_wire)
            }
        }
    };
}
