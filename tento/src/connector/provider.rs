//! Provider metadata for hosts' auth UIs, and the client-building path every OAuth
//! provider shares. `#[tento::provider]` implements [`Provider`] and fills
//! [`AuthProvider::PROVIDER`](super::AuthProvider::PROVIDER); a provider written by hand
//! may do the same in a few lines.

use futures::future::BoxFuture;

use super::{AuthProvider, Integration, UserAuth, UserAuthExt};
use crate::oauth::{Auth, AuthHandle, OAuthCredentials};

/// What a host's auth UI shows about a provider, and what routing needs of it.
///
/// ```
/// # use tento::connector::ProviderInfo;
/// const INFO: ProviderInfo = ProviderInfo {
///     id: "myprovider",
///     name: "My Provider",
///     auth_kind: "myprovider",
///     key_prefix: ":~myprovider:{authId}",
/// };
/// assert_eq!(INFO.placeholders().collect::<Vec<_>>(), ["authId"]);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ProviderInfo {
    /// The provider's id, the `myprovider` of `:~myprovider:`.
    pub id: &'static str,
    /// The name a person reads: `My Provider`.
    pub name: &'static str,
    /// The kind its credentials are stored under ([`AuthProvider::KIND`]).
    pub auth_kind: &'static str,
    /// The part every lookup key of the provider starts with: `:~myprovider:{authId}`.
    pub key_prefix: &'static str,
}

impl ProviderInfo {
    /// The placeholder names of the key prefix, in order (`authId`, …).
    pub fn placeholders(&self) -> impl Iterator<Item = &'static str> + use<> {
        self.key_prefix
            .split(':')
            .filter_map(|seg| seg.strip_prefix('{')?.strip_suffix('}'))
    }
}

/// A provider with metadata: implemented on the integration marker by
/// `#[tento::provider]`. `#[tento::row(provider = P, …)]` checks each row key against
/// `P::INFO.key_prefix` at compile time.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a provider",
    label = "not a provider's marker",
    note = "`provider = …` names the marker struct `#[tento::provider]` is on (`provider = MyProvider`), \
            not its `…Auth` marker nor a row"
)]
pub trait Provider: Integration {
    /// The provider's id, name, auth kind and key prefix.
    const INFO: ProviderInfo;

    /// The key prefix with `params` filled in: `:~myprovider:abc123` when `authId` is
    /// `abc123`. A `#[tento::row]`'s `lookup_key` starts with it, so the row reads no
    /// field of the provider's `Params` itself: a row whose `provider = …` is not a
    /// provider fails that one bound, and nothing else.
    fn key_prefix(params: &Self::Params) -> String;
}

/// How one stored credential shows in a host's auth UI: which provider, which account.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AuthDisplay {
    /// The credential's auth kind.
    pub kind: &'static str,
    /// The provider's display name, or the kind when the provider declares no metadata.
    pub provider: &'static str,
    /// The account, as [`AuthProvider::account_label`] renders it (the auth id by default).
    pub account: String,
}

impl AuthDisplay {
    /// How `credentials`, stored under `auth_id`, show for auth kind `A`.
    pub fn of<A: AuthProvider>(auth_id: &str, credentials: &A::Credentials) -> Self {
        AuthDisplay {
            kind: A::KIND,
            provider: A::PROVIDER.map_or(A::KIND, |p| p.name),
            account: A::account_label(auth_id, credentials),
        }
    }
}

/// The client of an OAuth provider for the user's account `auth_id`: looks up `A`'s
/// credential, acquires a live handle and builds the client `From` it. Fails with
/// `no <kind> auth` when the user has no such account.
///
/// This is the body of the `Integration::client` that `#[tento::provider]` writes; a
/// provider written by hand can call it too.
pub fn oauth_client<'a, A, O, C>(user: &'a dyn UserAuth, auth_id: &'a str) -> BoxFuture<'a, anyhow::Result<C>>
where
    A: AuthProvider<AuthId = str, Credentials = Auth<O>>,
    O: OAuthCredentials,
    C: From<AuthHandle<O>> + 'a,
{
    Box::pin(async move {
        let auth = user
            .auth::<A>(auth_id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("no {} auth", A::KIND))?;
        let handle = auth.acquire_handle().await?;
        Ok(C::from(handle))
    })
}

#[cfg(test)]
mod tests {
    use futures::executor::block_on;
    use serde::Deserialize;

    use super::*;
    use crate::contract::{ErasedCredentials, Owner};
    use crate::oauth::TokenSet;

    /// A user holding one credential of `DemoAuth` under `a1`.
    struct OneAccount;
    impl UserAuth for OneAccount {
        fn owner(&self) -> Owner {
            Owner(uuid::Uuid::nil())
        }
        fn credentials<'a>(
            &'a self,
            kind: &'a str,
            auth_id: &'a str,
        ) -> BoxFuture<'a, anyhow::Result<Option<ErasedCredentials>>> {
            let found = (kind == "demo" && auth_id == "a1").then(|| Box::new(stored()) as ErasedCredentials);
            Box::pin(std::future::ready(Ok(found)))
        }
    }

    #[derive(Clone, Debug, PartialEq, Deserialize)]
    struct Creds {
        account: String,
    }
    impl OAuthCredentials for Creds {}

    struct DemoAuth;
    impl AuthProvider for DemoAuth {
        const KIND: &'static str = "demo";
        type AuthId = str;
        type Credentials = Auth<Creds>;
        const PROVIDER: Option<ProviderInfo> = Some(ProviderInfo {
            id: "demo",
            name: "Demo",
            auth_kind: "demo",
            key_prefix: ":~demo:{authId}:{region}",
        });

        fn account_label(_: &str, credentials: &Auth<Creds>) -> String {
            credentials.credentials.account.clone()
        }
    }

    struct PlainAuth;
    impl AuthProvider for PlainAuth {
        const KIND: &'static str = "plain";
        type AuthId = str;
        type Credentials = Auth<Creds>;
    }

    #[derive(Debug, PartialEq)]
    struct Client(String);
    impl From<AuthHandle<Creds>> for Client {
        fn from(h: AuthHandle<Creds>) -> Self {
            Client(format!("{}/{}", h.credentials.account, h.access_token))
        }
    }

    fn stored() -> Auth<Creds> {
        Auth {
            credentials: Creds {
                account: "ada".into(),
            },
            token: TokenSet {
                access_token: "tok".into(),
                refresh_token: None,
                expires_at: None,
            },
        }
    }

    #[test]
    fn the_oauth_client_is_built_from_a_live_handle_or_names_the_missing_kind() {
        let user = OneAccount;
        let client: Client = block_on(oauth_client::<DemoAuth, _, _>(&user, "a1")).unwrap();
        assert_eq!(client, Client("ada/tok".into()));
        let err = block_on(oauth_client::<DemoAuth, _, Client>(&user, "a2")).unwrap_err();
        assert_eq!(err.to_string(), "no demo auth");
    }

    #[test]
    fn auth_display_uses_the_providers_name_and_label_hook_or_falls_back() {
        let shown = AuthDisplay::of::<DemoAuth>("a1", &stored());
        assert_eq!(
            shown,
            AuthDisplay {
                kind: "demo",
                provider: "Demo",
                account: "ada".into()
            }
        );
        let plain = AuthDisplay::of::<PlainAuth>("a1", &stored());
        assert_eq!((plain.provider, plain.account.as_str()), ("plain", "a1"));
    }

    #[test]
    fn placeholders_are_read_from_the_key_prefix() {
        let info = DemoAuth::PROVIDER.unwrap();
        assert_eq!(info.placeholders().collect::<Vec<_>>(), ["authId", "region"]);
    }
}
