use serde::de::value::{Error as ValueError, MapDeserializer};
use serde::de::{self, DeserializeOwned, Visitor};
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
/// (with `#[serde(rename = "authId")]` where the names differ), and `()` accepts any
/// params, so a row without placeholders of its own shares the key with its integration.
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
        visitor.visit_map(MapDeserializer::new(self.params.iter()))
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
}
