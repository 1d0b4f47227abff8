use std::any::{Any, type_name};
use std::ops::{Deref, DerefMut};
use std::sync::Arc;

use futures::future::BoxFuture;
use serde::de::DeserializeOwned;

use super::{Owner, ProviderInfo};
use crate::oauth::{AccountKey, TokenAccount, TokenStore};

/// Ties an auth kind (the string a host stores credentials under) to the typed
/// credential a provider's client is built from.
///
/// A provider declares one marker per kind:
///
/// ```
/// # use tento::connector::AuthProvider;
/// # #[derive(serde::Deserialize)] pub struct Creds { token: String }
/// pub struct MyProviderAuth;
/// impl AuthProvider for MyProviderAuth {
///     const KIND: &'static str = "myprovider";
///     type AuthId = str;
///     type Credentials = Creds;
/// }
/// ```
pub trait AuthProvider: Send + Sync + 'static {
    /// The kind string, unique among a host's providers.
    const KIND: &'static str;
    /// How one of the user's accounts of this kind is named (usually `str`).
    type AuthId: ?Sized + AsRef<str> + Sync;
    /// The typed credential the host resolves for this kind.
    type Credentials: DeserializeOwned + Send + Sync + 'static;

    /// The provider's metadata for auth UIs; `#[tento::provider]` fills it, a marker
    /// written by hand may leave it `None`.
    const PROVIDER: Option<ProviderInfo> = None;

    /// How an account of this kind is named in an auth UI, from its stored credential
    /// (the hook behind [`AuthDisplay`](super::AuthDisplay)). The default is the auth id.
    fn account_label(auth_id: &str, credentials: &Self::Credentials) -> String {
        let _ = credentials;
        auth_id.to_owned()
    }
}

/// A credential whose type only the host's kind match knows; [`UserAuthExt::auth`]
/// turns it back into the provider's `Credentials`.
pub type ErasedCredentials = Box<dyn Any + Send + Sync>;

/// The host's view of a user's stored credentials. Object safe: providers receive
/// `&dyn UserAuth`.
///
/// A host implements [`credentials`](UserAuth::credentials) with one match arm per auth
/// kind, each decoding the stored value into that kind's `Credentials`, usually through
/// [`decode_credentials`].
pub trait UserAuth: Send + Sync {
    /// The user these credentials belong to.
    fn owner(&self) -> Owner;

    /// The credential of `kind` stored under `auth_id`, or `None` when the user has none.
    fn credentials<'a>(
        &'a self,
        kind: &'a str,
        auth_id: &'a str,
    ) -> BoxFuture<'a, anyhow::Result<Option<ErasedCredentials>>>;

    /// Where this user's refreshed OAuth tokens are saved. `None` (the default) means
    /// OAuth credentials of this user cannot renew an expired token: a refreshed set,
    /// with its rotated refresh token, would be lost.
    fn token_store(&self) -> Option<Arc<dyn TokenStore>> {
        None
    }
}

/// A credential as [`UserAuthExt::auth`] resolves it: the provider's typed value (this
/// derefs to it) and the account it belongs to, so an OAuth refresh through
/// `acquire_handle` is saved to the host's [`TokenStore`].
#[derive(Clone, Debug)]
pub struct Resolved<T> {
    value: T,
    account: Option<TokenAccount>,
}

impl<T> Resolved<T> {
    /// `value`, tied to `account` (or to none).
    pub fn new(value: T, account: Option<TokenAccount>) -> Self {
        Resolved { value, account }
    }

    /// The credential.
    pub fn get(&self) -> &T {
        &self.value
    }

    /// The credential, untied from its account.
    pub fn into_inner(self) -> T {
        self.value
    }

    /// The account and store the credential is tied to, when the host has a token store.
    pub fn account(&self) -> Option<&TokenAccount> {
        self.account.as_ref()
    }
}

impl<T> Deref for Resolved<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T> DerefMut for Resolved<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.value
    }
}

/// Compares the credentials; the account a credential is tied to is not part of it.
impl<T: PartialEq> PartialEq for Resolved<T> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<T: PartialEq> PartialEq<T> for Resolved<T> {
    fn eq(&self, other: &T) -> bool {
        self.value == *other
    }
}

/// Typed access to a [`UserAuth`]: `user.auth::<MyProviderAuth>(id)`.
pub trait UserAuthExt {
    /// The credential of `A`'s kind stored under `id`, typed as `A::Credentials` and
    /// tied to the account (and the host's token store, if any).
    ///
    /// `Ok(None)` when the user has no such credential; an [`AuthError::WrongType`]
    /// when the host's match arm for the kind produced another type.
    fn auth<'a, A: AuthProvider>(
        &'a self,
        id: &'a A::AuthId,
    ) -> BoxFuture<'a, anyhow::Result<Option<Resolved<A::Credentials>>>>;
}

impl<U: UserAuth + ?Sized> UserAuthExt for U {
    fn auth<'a, A: AuthProvider>(
        &'a self,
        id: &'a A::AuthId,
    ) -> BoxFuture<'a, anyhow::Result<Option<Resolved<A::Credentials>>>> {
        Box::pin(async move {
            let Some(erased) = self.credentials(A::KIND, id.as_ref()).await? else {
                return Ok(None);
            };
            let account = self.token_store().map(|store| TokenAccount {
                key: AccountKey::new(self.owner(), A::KIND, id.as_ref()),
                store,
            });
            match erased.downcast::<A::Credentials>() {
                Ok(typed) => Ok(Some(Resolved::new(*typed, account))),
                Err(_) => Err(AuthError::WrongType {
                    kind: A::KIND,
                    expected: type_name::<A::Credentials>(),
                }
                .into()),
            }
        })
    }
}

/// Decodes a stored JSON credential as `A`'s `Credentials`: the body of a host's match
/// arm for `A::KIND`.
pub fn decode_credentials<A: AuthProvider>(raw: serde_json::Value) -> anyhow::Result<ErasedCredentials> {
    let typed: A::Credentials = serde_json::from_value(raw).map_err(|source| AuthError::Decode {
        kind: A::KIND,
        expected: type_name::<A::Credentials>(),
        source,
    })?;
    Ok(Box::new(typed))
}

/// Why a credential could not be resolved.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// The host's match arm for `kind` returned a value of another type.
    #[error(
        "credential of kind `{kind}` is not a `{expected}`: the host's UserAuth match arm for \
         \"{kind}\" must produce that provider's credentials"
    )]
    WrongType {
        /// The auth kind asked for.
        kind: &'static str,
        /// The type the provider expects.
        expected: &'static str,
    },
    /// The stored value does not deserialize as the kind's credentials.
    // The decoder's complaint is the error's source, so a chain (`{:#}`) shows it once.
    #[error("stored credential of kind `{kind}` does not decode as `{expected}`")]
    Decode {
        /// The auth kind decoded.
        kind: &'static str,
        /// The type it should decode as.
        expected: &'static str,
        /// The decoder's error.
        source: serde_json::Error,
    },
    /// The host has no match arm for the kind.
    #[error("no auth provider of kind `{0}` is registered with this host")]
    UnknownKind(String),
}
