use serde::de::value::{Error as ValueError, MapDeserializer};
use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};
use serde::forward_to_deserialize_any;

use super::RouteParams;

/// A lookup key's placeholders did not fit a `Params` type.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("params of `{type_name}` do not fit the lookup key's placeholders: {message}")]
pub struct ParamsError {
    /// The `Params` type.
    pub type_name: &'static str,
    /// The deserializer's complaint.
    pub message: String,
}

/// Deserializes `T` from route params: a struct reads its fields by placeholder name
/// (with `#[serde(rename = "authId")]` where the names differ), each parsed from the key's
/// text as the field's type asks (`day: u32`, a `bool`, a unit-variant enum, an `Option`
/// that is `Some` when the placeholder is there), and `()` accepts any params, so a row
/// without placeholders of its own shares the key with its integration.
pub fn parse_params<T: DeserializeOwned>(params: &RouteParams<'_>) -> Result<T, ParamsError> {
    T::deserialize(ParamsDeserializer { params }).map_err(|e| ParamsError {
        type_name: std::any::type_name::<T>(),
        message: e.to_string(),
    })
}

struct ParamsDeserializer<'p, 'k> {
    params: &'p RouteParams<'k>,
}

impl<'de> de::Deserializer<'de> for ParamsDeserializer<'_, '_> {
    type Error = ValueError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        let values = self.params.iter().map(|(name, value)| (name, ParamValue(value)));
        visitor.visit_map(MapDeserializer::new(values))
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_unit()
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

/// One placeholder's text, parsed as whatever type the field asks for: a lookup key is
/// text, so a number or a flag in it is only known to be one by the `Params` type.
struct ParamValue<'k>(&'k str);

impl<'k> IntoDeserializer<'_, ValueError> for ParamValue<'k> {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

/// Deserializes a `FromStr` type from the placeholder's text, or says which text did not
/// parse as which type.
macro_rules! parse_as {
    ($($method:ident => $visit:ident: $ty:ty),* $(,)?) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
            match self.0.parse::<$ty>() {
                Ok(v) => visitor.$visit(v),
                Err(_) => Err(de::Error::invalid_value(
                    de::Unexpected::Str(self.0),
                    &concat!("a placeholder that parses as ", stringify!($ty)),
                )),
            }
        }
    )*};
}

impl<'de> de::Deserializer<'de> for ParamValue<'_> {
    type Error = ValueError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_str(self.0)
    }

    parse_as! {
        deserialize_bool => visit_bool: bool,
        deserialize_i8 => visit_i8: i8,
        deserialize_i16 => visit_i16: i16,
        deserialize_i32 => visit_i32: i32,
        deserialize_i64 => visit_i64: i64,
        deserialize_i128 => visit_i128: i128,
        deserialize_u8 => visit_u8: u8,
        deserialize_u16 => visit_u16: u16,
        deserialize_u32 => visit_u32: u32,
        deserialize_u64 => visit_u64: u64,
        deserialize_u128 => visit_u128: u128,
        deserialize_f32 => visit_f32: f32,
        deserialize_f64 => visit_f64: f64,
        deserialize_char => visit_char: char,
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        // A placeholder that is in the params has a value; an absent one never gets here.
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        // The text names a unit variant.
        visitor.visit_enum(self.0.into_deserializer())
    }

    forward_to_deserialize_any! {
        str string bytes byte_buf unit unit_struct seq tuple
        tuple_struct map struct identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Deserialize, Debug, PartialEq)]
    struct Int {
        #[serde(rename = "authId")]
        auth_id: String,
    }

    #[derive(Deserialize, Debug, PartialEq)]
    struct Both {
        #[serde(rename = "authId")]
        auth_id: String,
        day: String,
    }

    fn params<'k>(pairs: &[(&'static str, &'k str)]) -> RouteParams<'k> {
        let mut p = RouteParams::new();
        for (k, v) in pairs {
            p.push(k, v);
        }
        p
    }

    #[test]
    fn structs_read_fields_by_placeholder_name() {
        let p = params(&[("authId", "abc"), ("day", "2024-01-02")]);
        assert_eq!(
            parse_params::<Int>(&p).unwrap(),
            Int {
                auth_id: "abc".into()
            }
        );
        assert_eq!(
            parse_params::<Both>(&p).unwrap(),
            Both {
                auth_id: "abc".into(),
                day: "2024-01-02".into()
            }
        );
        parse_params::<()>(&p).unwrap();
    }

    #[test]
    fn a_missing_placeholder_is_an_error_naming_the_field() {
        let err = parse_params::<Both>(&params(&[("authId", "abc")])).unwrap_err();
        assert!(err.message.contains("day"), "{err}");
    }

    #[derive(Deserialize, Debug, PartialEq)]
    struct Typed {
        #[serde(rename = "authId")]
        auth_id: String,
        day: u32,
        ratio: f64,
        on: bool,
        tag: Option<char>,
        unit: Unit,
        year: Year,
    }

    #[derive(Deserialize, Debug, PartialEq)]
    #[serde(rename_all = "lowercase")]
    enum Unit {
        Km,
        Mi,
    }

    #[derive(Deserialize, Debug, PartialEq)]
    struct Year(i32);

    #[test]
    fn placeholders_deserialize_as_the_field_types_they_fill() {
        let p = params(&[
            ("authId", "abc"),
            ("day", "31"),
            ("ratio", "0.5"),
            ("on", "true"),
            ("tag", "x"),
            ("unit", "km"),
            ("year", "-44"),
        ]);
        assert_eq!(
            parse_params::<Typed>(&p).unwrap(),
            Typed {
                auth_id: "abc".into(),
                day: 31,
                ratio: 0.5,
                on: true,
                tag: Some('x'),
                unit: Unit::Km,
                year: Year(-44),
            }
        );
    }

    #[test]
    fn a_placeholder_that_does_not_parse_names_the_value_and_the_type() {
        #[derive(Deserialize, Debug)]
        #[allow(dead_code)]
        struct Day {
            day: u32,
        }
        let err = parse_params::<Day>(&params(&[("day", "tuesday")])).unwrap_err();
        assert!(
            err.message.contains("tuesday") && err.message.contains("u32"),
            "{err}"
        );
    }
}
