//! What only the code `#[tento::provider]`, `#[tento::row]` and `tento::auth_registry!`
//! generate uses: kept here, once, so each expansion stays short. Mounted as
//! `tento::__private`; not a public API.

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};

use crate::connector::{AuthKind, Provider};
use crate::oauth::{AuthHandle, OAuthCredentials};

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

/// The credential type of a `#[tento::provider]`: the generated `AuthProvider` impl
/// requires it in its `where` clause, spanned on `credentials = …`, and stores
/// credentials as [`Stored`](CredentialType::Stored) (`Auth<C>`). It has no supertraits,
/// on purpose: rustc reports an unmet `where` clause by its supertraits when it has
/// some, with their messages instead of this one. rustc's help line names the part that
/// is missing, [`CredentialsDeserialize`] or [`CredentialsRefresh`], whose impls are
/// `do_not_recommend` so it stops there instead of listing every `Deserialize` type.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an OAuth credential type",
    label = "needs `Clone`, `serde::Deserialize` and `tento::oauth::OAuthCredentials`",
    note = "derive `Clone` and `serde::Deserialize` on `{Self}`, and write \
            `impl tento::oauth::OAuthCredentials for {Self} {{}}` (with `refresh` if its tokens expire)"
)]
pub trait CredentialType {
    /// How a credential of this type is stored: `Auth<Self>`.
    type Stored: serde::de::DeserializeOwned + Send + Sync + 'static;
}
impl<C: CredentialsDeserialize + CredentialsRefresh> CredentialType for C {
    type Stored = crate::oauth::Auth<C>;
}

/// `serde::Deserialize`, as a credential type needs it: stored credentials are read back.
pub trait CredentialsDeserialize: serde::de::DeserializeOwned {}
#[diagnostic::do_not_recommend]
impl<C: serde::de::DeserializeOwned> CredentialsDeserialize for C {}

/// `OAuthCredentials`, as a credential type needs it: tokens are refreshed through it.
pub trait CredentialsRefresh: OAuthCredentials {}
#[diagnostic::do_not_recommend]
impl<C: OAuthCredentials> CredentialsRefresh for C {}

/// The client type of a `#[tento::provider]`, required where `client = …` is written
/// (or at the marker, for the default `<Marker>Client`): it is built from the acquired
/// OAuth handle. (Its `Send + Sync + 'static` bounds are `Integration::Client`'s, which
/// rustc checks at the same tokens.) No supertraits, for the reason [`CredentialType`]
/// has none.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the client of a provider with credentials `{C}`",
    label = "needs `impl From<AuthHandle<{C}>> for {Self}`",
    note = "the client is built from the acquired OAuth handle: write \
            `impl From<tento::oauth::AuthHandle<{C}>> for {Self} {{ fn from(handle: AuthHandle<{C}>) -> Self {{ … }} }}`"
)]
pub trait ClientFrom<C> {}
impl<C, T: From<AuthHandle<C>>> ClientFrom<C> for T {}

/// `<ClientOf<A, C>>::client` is [`oauth_client`](crate::connector::oauth_client) when `A`
/// is an OAuth auth marker and `C` is built from its handle, and a stand-in otherwise
/// (the [`ClientOfErrors`] fallback, which inherent items outrank). The stand-in never
/// runs: it is picked only when the `where` clause of the generated `AuthProvider` impl
/// fails, which is a compile error at `credentials = …` or `client = …`. So that error is
/// the only one, and the provider's `Integration` impl (which rows depend on) holds.
pub struct ClientOf<A, C>(PhantomData<fn() -> (A, C)>);

/// An auth marker whose credential is `Auth<Self::Creds>`, found by `AuthProvider`.
pub trait OAuthAuth: crate::connector::AuthProvider<AuthId = str> {
    /// The OAuth credential type.
    type Creds: OAuthCredentials;
}
impl<A, O> OAuthAuth for A
where
    A: crate::connector::AuthProvider<AuthId = str, Credentials = crate::oauth::Auth<O>>,
    O: OAuthCredentials,
{
    type Creds = O;
}

impl<A, C> ClientOf<A, C>
where
    A: OAuthAuth + crate::connector::AuthProvider<Credentials = crate::oauth::Auth<<A as OAuthAuth>::Creds>>,
    C: From<AuthHandle<A::Creds>>,
{
    /// The client for the user's account `auth_id`.
    pub fn client<'a>(
        user: &'a dyn crate::connector::UserAuth,
        auth_id: &'a str,
    ) -> BoxFuture<'a, anyhow::Result<C>>
    where
        C: 'a,
    {
        crate::connector::oauth_client::<A, A::Creds, C>(user, auth_id)
    }
}

/// The fallback of [`ClientOf::client`].
pub trait ClientOfErrors<C> {
    /// The stand-in of a provider whose types the compiler reports.
    fn client<'a>(_: &'a dyn crate::connector::UserAuth, _: &'a str) -> BoxFuture<'a, anyhow::Result<C>>
    where
        C: Send + 'a,
    {
        provider_has_errors()
    }
}
impl<A, C> ClientOfErrors<C> for ClientOf<A, C> {}

/// What `type Client` is when `client = …` is not given and no `<Marker>Client` is
/// defined where the marker is: the generated code reaches it through a glob import, so
/// a `<Marker>Client` the user defines or imports by name shadows it. It builds from any
/// handle, so nothing else fails, and [`ClientProbe`] turns it into the one error that
/// says to define the client or name it with `client = …`.
pub struct NoClient<M>(PhantomData<fn() -> M>);

impl<M, C> From<AuthHandle<C>> for NoClient<M> {
    fn from(_: AuthHandle<C>) -> Self {
        NoClient(PhantomData)
    }
}

/// `<ClientProbe<T>>::MISSING` is true for [`NoClient`] (an inherent constant) and false
/// for every other type (the [`ClientFound`] fallback, which inherent items outrank).
pub struct ClientProbe<T>(PhantomData<fn() -> T>);

impl<M> ClientProbe<NoClient<M>> {
    /// The default client was not found.
    pub const MISSING: bool = true;
}

/// The fallback of [`ClientProbe::MISSING`].
pub trait ClientFound {
    /// A client type was found.
    const MISSING: bool = false;
}
impl<T> ClientFound for ClientProbe<T> {}

/// Compile-time check that the default client exists; `message` says what to write.
#[track_caller]
pub const fn check_default_client(missing: bool, message: &str) {
    if missing {
        panic!("{}", message);
    }
}

/// `<ProviderProbe<P>>::KEY_PREFIX` is `P`'s key prefix when `P` is a provider, and
/// `None` otherwise (the [`NotAProvider`] fallback): the row's key check then passes, and
/// the one error is the row impl's `where P: Provider`, at `provider = …`.
pub struct ProviderProbe<P>(PhantomData<fn() -> P>);

impl<P: Provider> ProviderProbe<P> {
    /// The provider's key prefix.
    pub const KEY_PREFIX: Option<&'static str> = Some(P::INFO.key_prefix);
}

/// The fallback of [`ProviderProbe::KEY_PREFIX`].
pub trait NotAProvider {
    /// Not a provider: no prefix to check against.
    const KEY_PREFIX: Option<&'static str> = None;
}
impl<P> NotAProvider for ProviderProbe<P> {}

/// Everything a `#[tento::provider]` expansion names, under one path: the expansion opens
/// `use ::tento::__private::provider as __t;` once, so a wrong `crate = "…"` is that one
/// unresolved path, and rustc says nothing more about the names reached through it.
pub mod provider {
    pub use crate::__private;
    pub use crate::{connector, oauth};
}

/// Everything a `#[tento::row]` expansion names, under one short path: the expansion
/// opens `use ::tento::__private::row as __r;` once, so each name costs two tokens and
/// the expansion stays small (it is parsed again on every build).
pub mod row {
    pub use super::{
        BoxFuture, NotAProvider, ProviderProbe, check_key_prefix, deserialize_params,
        row_future_must_be_send, row_return, serde,
    };
    pub use crate::connector::{Cell, IntegrationParams, Provider, Row, SyncShape, Verb};
    pub use anyhow::Result;
    pub use std::format;
    pub use std::option::Option::{self, None, Some};
    pub use std::string::String;
    pub use std::vec::Vec;

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

/// The result of a `Row` method written as `async fn`, as the trait's type. The
/// generated call is spanned on the return type the user wrote, so a method declared to
/// return another type than the trait's is one error there, naming the type to write.
pub fn row_return<T, U: RowReturn<T>>(value: U) -> T {
    value.into_row_return()
}

/// Implemented by a type for itself only: `U: RowReturn<T>` holds when `U` is `T`, and
/// its message says what to write when it is not.
#[diagnostic::on_unimplemented(
    message = "this Row method returns `{T}`, not `{Self}`",
    label = "write `{T}` here",
    note = "#[tento::row] turns the `async fn` into the `Row` method, whose return type is fixed; \
            `anyhow::Result<…>` is `Result<…, anyhow::Error>`"
)]
pub trait RowReturn<T> {
    /// `self`, as `T`.
    fn into_row_return(self) -> T;
}

impl<T> RowReturn<T> for T {
    fn into_row_return(self) -> T {
        self
    }
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
/// `prefix` is `None` when the row's `provider` is not a provider, which the row impl
/// reports.
#[track_caller]
pub const fn check_key_prefix(row_key: &str, provider_part: &str, provider: &str, prefix: Option<&str>) {
    let Some(prefix) = prefix else { return };
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
    fn probes_tell_stand_ins_and_non_providers_apart_without_an_error() {
        struct Marker;
        let missing = [
            <ClientProbe<NoClient<Marker>>>::MISSING,
            <ClientProbe<String>>::MISSING,
        ];
        assert_eq!(missing, [true, false]);
        assert_eq!(<ProviderProbe<String>>::KEY_PREFIX, None);
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
        check_key_prefix(":~p:{authId}:rows", ":~p:{authId}", "P", Some(":~p:{authId}"));
        check_key_prefix(":~p:{authId}:rows", ":~p:{authId}", "NotAProvider", None);
        let err = std::panic::catch_unwind(|| {
            check_key_prefix(":~q:{authId}:rows", ":~q:{authId}", "P", Some(":~p:{authId}"))
        })
        .unwrap_err();
        let text = err.downcast_ref::<String>().cloned().unwrap_or_default();
        assert!(text.contains("write `key = \":~p:{authId}:<row>\"`"), "{text}");
    }
}
