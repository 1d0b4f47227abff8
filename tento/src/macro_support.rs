//! What only the code `#[tento::provider]`, `#[tento::row]` and `tento::auth_registry!`
//! generate uses: kept here, once, so each expansion stays short. Mounted as
//! `tento::__private`; not a public API.

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};

use crate::connector::AuthKind;

pub use futures::future::BoxFuture;
pub use {anyhow, serde};

/// The `Integration::client` of a provider whose `#[tento::provider]` reported an error:
/// it keeps the impl well-formed so no second error follows. It never runs, since the
/// crate does not compile.
pub fn provider_has_errors<'a, T: Send + 'a>() -> BoxFuture<'a, anyhow::Result<T>> {
    Box::pin(std::future::ready(Err(anyhow::anyhow!(
        "#[tento::provider] reported a compile error"
    ))))
}

/// Everything a `#[tento::row]` expansion names, under one short path: the expansion
/// opens `use ::tento::__private::row as __r;` once, so each name costs two tokens and
/// the expansion stays small (it is parsed again on every build).
pub mod row {
    pub use super::{BoxFuture, check_key_prefix, row_future_must_be_send};
    pub use crate::connector::{IntegrationParams, Provider, Row, SyncShape, Verb};
    pub use std::format;
    pub use std::option::Option::{self, None, Some};
    pub use std::string::String;

    /// The sync shape of a row with these stages and every other setting at its default.
    pub fn staged(stages: &'static [&'static str]) -> Option<SyncShape> {
        Some(SyncShape {
            stages,
            ..Default::default()
        })
    }
}

/// Boxes the future of a `Row` method written as `async fn`. The `Send` bound sits here,
/// and the generated call is spanned on the user's method name, so a body holding a
/// non-`Send` value across an `.await` is reported at that method.
pub fn row_future_must_be_send<'a, T>(future: impl Future<Output = T> + Send + 'a) -> BoxFuture<'a, T> {
    Box::pin(future)
}

/// Deserializes a generated `Params` struct: one `String` per placeholder, read by
/// placeholder name; other names are ignored, a missing one is an error naming it.
pub fn deserialize_params<'de, D, const N: usize>(
    deserializer: D,
    type_name: &'static str,
    names: &'static [&'static str; N],
) -> Result<[String; N], D::Error>
where
    D: Deserializer<'de>,
{
    deserializer.deserialize_struct(
        type_name,
        names,
        ParamsVisitor {
            type_name,
            names,
            _lifetime: PhantomData,
        },
    )
}

struct ParamsVisitor<'de, const N: usize> {
    type_name: &'static str,
    names: &'static [&'static str; N],
    _lifetime: PhantomData<&'de ()>,
}

impl<'de, const N: usize> Visitor<'de> for ParamsVisitor<'de, N> {
    type Value = [String; N];

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the placeholders of `{}`", self.type_name)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found: [Option<String>; N] = std::array::from_fn(|_| None);
        while let Some(key) = map.next_key::<String>()? {
            match self.names.iter().position(|n| *n == key) {
                Some(i) if found[i].is_some() => return Err(de::Error::duplicate_field(self.names[i])),
                Some(i) => found[i] = Some(map.next_value()?),
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let mut values: [String; N] = std::array::from_fn(|_| String::new());
        for (i, value) in found.into_iter().enumerate() {
            values[i] = value.ok_or_else(|| de::Error::missing_field(self.names[i]))?;
        }
        Ok(values)
    }
}

/// Compile-time check of a `#[tento::row]` key: its provider part (`:~kind` and the
/// placeholders after it) must be the provider's key prefix.
#[track_caller]
pub const fn check_key_prefix(row_key: &str, provider_part: &str, provider: &str, prefix: &str) {
    if !str_eq(provider_part, prefix) {
        let message = Message::new()
            .push("the key `")
            .push(row_key)
            .push("` does not start with the key prefix of `")
            .push(provider)
            .push("`, `")
            .push(prefix)
            .push("`: write `key = \"")
            .push(prefix)
            .push(":<row>\"`");
        panic!("{}", message.as_str());
    }
}

/// Compile-time check of a `tento::auth_registry!`: no two entries share a kind.
#[track_caller]
pub const fn check_unique_kinds(kinds: &[AuthKind]) {
    let mut i = 0;
    while i < kinds.len() {
        let mut j = i + 1;
        while j < kinds.len() {
            if str_eq(kinds[i].kind, kinds[j].kind) {
                let message = Message::new()
                    .push("`")
                    .push(kinds[i].marker)
                    .push("` and `")
                    .push(kinds[j].marker)
                    .push("` both have the auth kind `")
                    .push(kinds[i].kind)
                    .push("`: a host resolves each kind to one provider; give one of them another `kind`");
                panic!("{}", message.as_str());
            }
            j += 1;
        }
        i += 1;
    }
}

/// Byte-wise string equality, usable in `const`.
pub const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// A compile-time message: strings appended into a fixed buffer. A string that does not
/// fit is replaced by `…`, so the buffer always holds whole UTF-8 characters.
struct Message {
    buf: [u8; 512],
    len: usize,
}

impl Message {
    const fn new() -> Self {
        Message {
            buf: [0; 512],
            len: 0,
        }
    }

    const fn push(mut self, s: &str) -> Self {
        let bytes = s.as_bytes();
        let (bytes, fits) = if self.len + bytes.len() <= self.buf.len() - 3 {
            (bytes, true)
        } else {
            ("…".as_bytes(), false)
        };
        if !fits && self.len + bytes.len() > self.buf.len() {
            return self;
        }
        let mut i = 0;
        while i < bytes.len() {
            self.buf[self.len + i] = bytes[i];
            i += 1;
        }
        self.len += bytes.len();
        self
    }

    const fn as_str(&self) -> &str {
        let (used, _) = self.buf.split_at(self.len);
        match std::str::from_utf8(used) {
            Ok(s) => s,
            Err(_) => "(message not UTF-8)",
        }
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;
    use crate::host::{RouteParams, parse_params};

    #[derive(Debug, PartialEq)]
    struct Two {
        auth_id: String,
        day: String,
    }

    impl<'de> Deserialize<'de> for Two {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let [auth_id, day] = deserialize_params(d, "Two", &["authId", "day"])?;
            Ok(Two { auth_id, day })
        }
    }

    #[test]
    fn params_read_placeholders_by_name_from_routes_and_json() {
        let mut p = RouteParams::new();
        p.push("day", "2024-01-02");
        p.push("authId", "abc");
        p.push("other", "x");
        let two: Two = parse_params(&p).unwrap();
        assert_eq!(
            two,
            Two {
                auth_id: "abc".into(),
                day: "2024-01-02".into()
            }
        );
        let json: Two = serde_json::from_value(serde_json::json!({"authId": "a", "day": "d"})).unwrap();
        assert_eq!(json.day, "d");
    }

    #[test]
    fn a_missing_or_repeated_placeholder_is_an_error_naming_it() {
        let mut p = RouteParams::new();
        p.push("authId", "abc");
        let err = parse_params::<Two>(&p).unwrap_err();
        assert!(err.message.contains("missing field `day`"), "{err}");
        p.push("authId", "again");
        p.push("day", "d");
        let err = parse_params::<Two>(&p).unwrap_err();
        assert!(err.message.contains("duplicate field `authId`"), "{err}");
        let err = serde_json::from_value::<Two>(serde_json::json!(3)).unwrap_err();
        assert!(err.to_string().contains("the placeholders of `Two`"), "{err}");
    }

    #[test]
    fn messages_keep_whole_characters_when_they_overflow() {
        let long = "é".repeat(300);
        let m = Message::new().push("start ").push(&long).push(" end");
        assert!(m.as_str().starts_with("start …"), "{}", m.as_str());
        assert!(m.as_str().ends_with(" end"));
        assert!(str_eq("abc", "abc") && !str_eq("abc", "abd") && !str_eq("ab", "abc"));
    }

    #[test]
    fn the_const_checks_pass_on_good_input_and_panic_naming_both_sides() {
        check_key_prefix(":~p:{authId}:rows", ":~p:{authId}", "P", ":~p:{authId}");
        let err = std::panic::catch_unwind(|| {
            check_key_prefix(":~q:{authId}:rows", ":~q:{authId}", "P", ":~p:{authId}")
        })
        .unwrap_err();
        let text = err.downcast_ref::<String>().cloned().unwrap_or_default();
        assert!(text.contains("write `key = \":~p:{authId}:<row>\"`"), "{text}");
    }
}
