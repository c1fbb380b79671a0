//! How answer types read upstream JSON: known fields typed, every field this version does
//! not know kept in `extra`, in its original order, so that what the hosted API adds later
//! is passed through instead of dropped.
//!
//! `#[serde(flatten)]` does this too, but its `Deserialize` buffers every field in serde's
//! private `Content` tree and generates a large visitor per type and per deserializer: the
//! largest functions of the binary (issue 15). Here a type's `Deserialize` reads the JSON
//! object once into a map, hands the fields a flatten-free derived copy of the type knows
//! to that copy, and keeps the rest. The known names come from that derive itself, so they
//! cannot drift from the fields. Writing keeps `#[serde(flatten)]`, which is cheap there.
//!
//! Every answer is read from a `serde_json::Value` (paid answers, the session cache, the
//! free endpoint), so nothing is lost by reading the object into a map first.
//!
//! One name is never kept: [`RESERVED`], which this server writes itself beside the answer's
//! fields (and each batch row's). Answers are serialised straight to text, so an upstream
//! field of that name would go out as a second key, and a client reading the first of two
//! keys would read the upstream's. Dropped here, where every upstream object is read, no
//! entry point can let it through.
//!
//! The tests here pin that reading down literally — kept fields and their order, nulls,
//! missing fields, wrong types and which error wins — for every answer type; they were
//! recorded from the `#[serde(flatten)]` reading this replaces.

use std::fmt;

use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, Visitor};
use serde_json::Value;

/// Unknown fields, kept verbatim.
pub type Extra = serde_json::Map<String, Value>;

/// A type read from a JSON object already in hand (see the module doc); its `Deserialize`
/// is [`deserialize`].
pub trait FromObject: Sized {
    /// The type's name, for "expected struct …" errors worded as serde's own.
    const NAME: &'static str;

    fn from_object(object: Extra) -> Result<Self, serde_json::Error>;
}

/// The body of `Deserialize::deserialize` for a [`FromObject`] type. Only the reading of
/// the object is generic over the deserializer; the rest is compiled once per type.
pub fn deserialize<'de, T: FromObject, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    let object = d.deserialize_map(ObjectVisitor { name: T::NAME })?;
    T::from_object(object).map_err(de::Error::custom)
}

/// Reads a JSON object into a map, keys in order; anything else is refused as "expected
/// struct {name}", as a derived `Deserialize` refuses it.
struct ObjectVisitor {
    name: &'static str,
}

impl<'de> Visitor<'de> for ObjectVisitor {
    type Value = Extra;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "struct {}", self.name)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Extra, A::Error> {
        let mut object = Extra::new();
        while let Some((key, value)) = map.next_entry::<String, Value>()? {
            object.insert(key, value);
        }
        Ok(object)
    }
}

/// `object` split into the fields `Known` has, read as a `Known`, and every other field,
/// in order.
pub fn split<Known: DeserializeOwned>(object: Extra) -> Result<(Known, Extra), serde_json::Error> {
    let (known, rest) = partition(object, field_names::<Known>());
    Ok((Known::deserialize(known)?, rest))
}

/// The field name this server writes itself (see the module doc): never kept from upstream.
pub const RESERVED: &str = "provenance";

/// `object` split into the fields named in `names` and the others, each in order, the
/// others without [`RESERVED`]. Not generic, so compiled once rather than into every type's
/// reader.
fn partition(object: Extra, names: &[&str]) -> (Extra, Extra) {
    let (mut known, mut rest) = (Extra::new(), Extra::new());
    for (key, value) in object {
        if names.contains(&key.as_str()) {
            known.insert(key, value);
        } else if key != RESERVED {
            rest.insert(key, value);
        }
    }
    (known, rest)
}

/// The JSON names of the fields `T`'s derived `Deserialize` reads, renames applied: the
/// derive hands them to `Deserializer::deserialize_struct`, where this one keeps them and
/// stops.
fn field_names<T: DeserializeOwned>() -> &'static [&'static str] {
    struct Names<'a>(&'a mut &'static [&'static str]);

    impl<'de> Deserializer<'de> for Names<'_> {
        type Error = de::value::Error;

        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
            Err(de::Error::custom("not a struct with named fields"))
        }

        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Self::Error> {
            *self.0 = fields;
            Err(de::Error::custom("field names taken"))
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
            byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map enum
            identifier ignored_any
        }
    }

    let mut names: &'static [&'static str] = &[];
    let _ = T::deserialize(Names(&mut names));
    // Empty only for a type serde reads as a map (one with a flattened field of its own).
    debug_assert!(!names.is_empty(), "no field names caught");
    names
}

/// A field's value, read by one out-of-line function per field type instead of code inlined
/// into every struct's reader (the same `Option<String>` reading served ~60 fields).
/// Transparent to serde: missing, `null` and `default` behave as for a bare `T`.
pub struct OutOfLine<T>(pub T);

impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for OutOfLine<T> {
    #[inline(never)]
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::deserialize(d).map(OutOfLine)
    }
}

impl<T: Default> Default for OutOfLine<T> {
    fn default() -> Self {
        OutOfLine(T::default())
    }
}

/// Defines an answer object type that keeps what upstream adds, in one of two forms:
///
/// - a struct as written, plus a last field `pub extra: Extra` holding every field it does
///   not know (written after the known ones, flattened);
/// - a struct whose first field is `#[serde(flatten)]` another such type: its own fields
///   are read here, and every other field goes to that one.
///
/// Either way the type's `Deserialize` goes through [`FromObject`], reading the written
/// fields (with their `#[serde]` attributes) through a flatten-free derived copy of them.
macro_rules! keeps_unknown_fields {
    (
        $(#[$attr:meta])*
        pub struct $name:ident {
            #[serde(flatten)]
            pub $base:ident: $base_ty:ty,
            $(
                $(#[$field_attr:meta])*
                pub $field:ident: $ty:ty,
            )*
        }
    ) => {
        $(#[$attr])*
        pub struct $name {
            #[serde(flatten)]
            pub $base: $base_ty,
            $(
                $(#[$field_attr])*
                pub $field: $ty,
            )*
        }

        impl $crate::api::unknown_fields::FromObject for $name {
            const NAME: &'static str = stringify!($name);

            fn from_object(
                object: $crate::api::unknown_fields::Extra,
            ) -> Result<Self, serde_json::Error> {
                #[derive(serde::Deserialize)]
                struct Known {
                    $(
                        $(#[$field_attr])*
                        $field: $crate::api::unknown_fields::OutOfLine<$ty>,
                    )*
                }
                let (known, rest) = $crate::api::unknown_fields::split::<Known>(object)?;
                Ok(Self {
                    $base: <$base_ty as $crate::api::unknown_fields::FromObject>::from_object(
                        rest,
                    )?,
                    $($field: known.$field.0,)*
                })
            }
        }

        $crate::api::unknown_fields::keeps_unknown_fields!(@deserialize $name);
    };
    (
        $(#[$attr:meta])*
        pub struct $name:ident {
            $(
                $(#[$field_attr:meta])*
                pub $field:ident: $ty:ty,
            )*
        }
    ) => {
        $(#[$attr])*
        pub struct $name {
            $(
                $(#[$field_attr])*
                pub $field: $ty,
            )*
            // Fields this version does not know, verbatim and in order.
            #[serde(flatten)]
            pub extra: $crate::api::unknown_fields::Extra,
        }

        impl $crate::api::unknown_fields::FromObject for $name {
            const NAME: &'static str = stringify!($name);

            fn from_object(
                object: $crate::api::unknown_fields::Extra,
            ) -> Result<Self, serde_json::Error> {
                #[derive(serde::Deserialize)]
                struct Known {
                    $(
                        $(#[$field_attr])*
                        $field: $crate::api::unknown_fields::OutOfLine<$ty>,
                    )*
                }
                let (known, extra) = $crate::api::unknown_fields::split::<Known>(object)?;
                Ok(Self {
                    $($field: known.$field.0,)*
                    extra,
                })
            }
        }

        $crate::api::unknown_fields::keeps_unknown_fields!(@deserialize $name);
    };
    (@deserialize $name:ident) => {
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $crate::api::unknown_fields::deserialize(d)
            }
        }
    };
}

pub(crate) use keeps_unknown_fields;

// Its tests read upstream JSON into the tools' answer types, so they live beside those
// types: `tools/upstream_fields_tests.rs` (`api` never imports `tools`).
