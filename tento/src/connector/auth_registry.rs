//! The host's table of auth kinds: what `tento::auth_registry!` generates from a list of
//! providers' auth markers, replacing the `UserAuth` kind match a host writes by hand.

use std::fmt;

use super::{AuthDisplay, AuthError, AuthProvider, ErasedCredentials, ProviderInfo, decode_credentials};

/// One auth kind a host resolves: its kind string, its provider's metadata and how its
/// stored credentials decode and display. Build one with [`AuthKind::of`].
#[derive(Clone, Copy)]
pub struct AuthKind {
    /// The kind string ([`AuthProvider::KIND`]).
    pub kind: &'static str,
    /// The auth marker's path as the registry names it, for error messages.
    pub marker: &'static str,
    /// The provider's metadata, when the marker declares it.
    pub provider: Option<ProviderInfo>,
    decode: fn(serde_json::Value) -> anyhow::Result<ErasedCredentials>,
    display: fn(&str, serde_json::Value) -> anyhow::Result<AuthDisplay>,
}

impl AuthKind {
    /// The entry of auth marker `A`, named `marker` in messages.
    pub const fn of<A: AuthProvider>(marker: &'static str) -> Self {
        AuthKind {
            kind: A::KIND,
            marker,
            provider: A::PROVIDER,
            decode: decode_credentials::<A>,
            display: display_credentials::<A>,
        }
    }

    /// Decodes a stored JSON credential as this kind's `Credentials`.
    pub fn decode(&self, raw: serde_json::Value) -> anyhow::Result<ErasedCredentials> {
        (self.decode)(raw)
    }

    /// How a stored JSON credential of this kind shows in an auth UI.
    pub fn display(&self, auth_id: &str, raw: serde_json::Value) -> anyhow::Result<AuthDisplay> {
        (self.display)(auth_id, raw)
    }
}

impl fmt::Debug for AuthKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthKind")
            .field("kind", &self.kind)
            .field("marker", &self.marker)
            .field("provider", &self.provider)
            .finish_non_exhaustive()
    }
}

fn display_credentials<A: AuthProvider>(
    auth_id: &str,
    raw: serde_json::Value,
) -> anyhow::Result<AuthDisplay> {
    let typed = decode_credentials::<A>(raw)?;
    // `decode_credentials::<A>` boxes an `A::Credentials`, so the downcast holds.
    match typed.downcast::<A::Credentials>() {
        Ok(credentials) => Ok(AuthDisplay::of::<A>(auth_id, &credentials)),
        Err(_) => Err(AuthError::WrongType {
            kind: A::KIND,
            expected: std::any::type_name::<A::Credentials>(),
        }
        .into()),
    }
}

/// A host's auth kinds, one per provider. `tento::auth_registry!` implements it from a
/// list of auth markers, checking at compile time that no two share a kind; the host's
/// `UserAuth::credentials` then decodes with [`decode`](AuthRegistry::decode) instead of
/// a hand-written match.
pub trait AuthRegistry {
    /// Every kind, in the order the registry lists them.
    const KINDS: &'static [AuthKind];

    /// The entry of `kind`, if registered.
    fn kind(kind: &str) -> Option<&'static AuthKind> {
        Self::KINDS.iter().find(|k| k.kind == kind)
    }

    /// Decodes a stored credential of `kind`; [`AuthError::UnknownKind`] for a kind no
    /// provider registered.
    fn decode(kind: &str, raw: serde_json::Value) -> anyhow::Result<ErasedCredentials> {
        match Self::kind(kind) {
            Some(entry) => entry.decode(raw),
            None => Err(AuthError::UnknownKind(kind.to_owned()).into()),
        }
    }

    /// How a stored credential of `kind` shows in an auth UI.
    fn display(kind: &str, auth_id: &str, raw: serde_json::Value) -> anyhow::Result<AuthDisplay> {
        match Self::kind(kind) {
            Some(entry) => entry.display(auth_id, raw),
            None => Err(AuthError::UnknownKind(kind.to_owned()).into()),
        }
    }

    /// The metadata of every registered provider that declares it: what an auth UI lists.
    fn providers() -> impl Iterator<Item = &'static ProviderInfo> {
        Self::KINDS.iter().filter_map(|k| k.provider.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Clone, Debug, PartialEq, Deserialize)]
    struct Token {
        token: String,
    }

    struct Described;
    impl AuthProvider for Described {
        const KIND: &'static str = "described";
        type AuthId = str;
        type Credentials = Token;
        const PROVIDER: Option<ProviderInfo> = Some(ProviderInfo {
            id: "described",
            name: "Described",
            auth_kind: "described",
            key_prefix: ":~described:{authId}",
        });

        fn account_label(auth_id: &str, credentials: &Token) -> String {
            format!("{auth_id} ({} chars)", credentials.token.len())
        }
    }

    struct Bare;
    impl AuthProvider for Bare {
        const KIND: &'static str = "bare";
        type AuthId = str;
        type Credentials = Token;
    }

    struct Kinds;
    impl AuthRegistry for Kinds {
        const KINDS: &'static [AuthKind] = &[
            AuthKind::of::<Described>("Described"),
            AuthKind::of::<Bare>("Bare"),
        ];
    }

    fn raw() -> serde_json::Value {
        serde_json::json!({ "token": "abc" })
    }

    #[test]
    fn decode_types_each_kind_and_names_an_unknown_one() {
        let typed = Kinds::decode("bare", raw()).unwrap();
        assert_eq!(
            typed.downcast_ref::<Token>(),
            Some(&Token { token: "abc".into() })
        );
        let err = Kinds::decode("whoop", raw()).unwrap_err();
        assert!(matches!(err.downcast_ref::<AuthError>(), Some(AuthError::UnknownKind(k)) if k == "whoop"));
        let err = Kinds::decode("bare", serde_json::json!({})).unwrap_err();
        assert!(matches!(
            err.downcast_ref::<AuthError>(),
            Some(AuthError::Decode { kind: "bare", .. })
        ));
    }

    #[test]
    fn display_goes_through_each_providers_hook() {
        let shown = Kinds::display("described", "a1", raw()).unwrap();
        assert_eq!(shown.provider, "Described");
        assert_eq!(shown.account, "a1 (3 chars)");
        let bare = Kinds::display("bare", "b1", raw()).unwrap();
        assert_eq!((bare.provider, bare.account.as_str()), ("bare", "b1"));
        assert!(Kinds::display("nope", "x", raw()).is_err());
    }

    #[test]
    fn providers_lists_the_declared_metadata_in_order() {
        let names: Vec<_> = Kinds::providers().map(|p| p.name).collect();
        assert_eq!(names, ["Described"]);
        assert_eq!(Kinds::kind("bare").map(|k| k.marker), Some("Bare"));
        assert!(format!("{:?}", Kinds::KINDS[1]).contains("\"bare\""));
    }
}
