//! OAuth credentials as providers receive them: `Auth<C>` holds a provider's own
//! credential type `C` and the current token set, and
//! [`acquire_handle`](Auth::acquire_handle) yields a handle with a live access token,
//! refreshing through `C` when the stored token has expired.
//!
//! A refresh is stored before it is used: `user.auth::<A>(id)` ties the credential to its
//! account and the host's [`TokenStore`], and the refreshed set (with a rotated refresh
//! token) is saved there before the new access token reaches the API. Callers of one
//! account refresh one at a time, and each re-reads the store first, so a refresh token
//! is never spent twice.

use std::sync::Arc;

use ::chrono::{DateTime, Duration, Utc};
use futures::future::BoxFuture;
use serde::{Deserialize, Serialize};

use crate::connector::Resolved;

#[cfg(feature = "oauth-http")]
mod endpoint;
mod error;
mod live;
mod store;

#[cfg(feature = "oauth-http")]
pub use endpoint::{ClientAuth, TokenEndpoint};
pub use error::OAuthError;
use live::LiveToken;
pub use store::{AccountKey, MemoryTokenStore, RefreshGuard, TokenAccount, TokenStore};

/// A provider's OAuth credential type: what it needs to refresh a token.
pub trait OAuthCredentials: Clone + Send + Sync + 'static {
    /// Exchanges a refresh token for a new token set.
    ///
    /// The default refuses: providers whose tokens never expire need not implement it.
    fn refresh<'a>(&'a self, refresh_token: &'a str) -> BoxFuture<'a, anyhow::Result<TokenSet>> {
        let _ = refresh_token;
        Box::pin(std::future::ready(Err(anyhow::anyhow!(
            "`{}` cannot refresh tokens; implement OAuthCredentials::refresh",
            std::any::type_name::<Self>()
        ))))
    }
}

/// An access token and what is needed to renew it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenSet {
    /// The bearer token sent to the API.
    pub access_token: String,
    /// The token that renews it, when the provider issues one.
    #[serde(default)]
    pub refresh_token: Option<String>,
    /// When the access token stops working; `None` for tokens that do not expire.
    #[serde(default)]
    pub expires_at: Option<DateTime<Utc>>,
}

impl TokenSet {
    /// Whether the token is expired at `now`, counting a minute of slack so a token
    /// does not expire mid-request.
    pub fn is_expired_at(&self, now: DateTime<Utc>) -> bool {
        // Within a minute of the end of time, `now` plus the slack is past every
        // representable expiry: the token counts as expired rather than overflowing.
        let slack = now.checked_add_signed(Duration::minutes(1));
        self.expires_at
            .is_some_and(|at| slack.is_none_or(|slack| at <= slack))
    }
}

/// Where an HTTP client takes the bearer token for one provider account.
///
/// This is the seam between the network edge (`tento::http`, which sends the token and
/// answers a `401` by asking for a new one) and OAuth (which refreshes through the
/// provider's token endpoint and stores the rotated token set before it is used).
pub trait TokenSource: Send + Sync {
    /// The access token to send now, refreshed first when the stored one has expired.
    fn access_token(&self) -> BoxFuture<'_, anyhow::Result<String>>;

    /// The API refused `rejected` with `401 Unauthorized`: refresh once (unless another
    /// caller already replaced `rejected`, in which case return that replacement) and
    /// return the token to retry with.
    fn refresh_rejected<'a>(&'a self, rejected: &'a str) -> BoxFuture<'a, anyhow::Result<String>>;
}

/// A user's stored OAuth credential for one provider account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Auth<C> {
    /// The provider's credential (client id, scopes, …).
    pub credentials: C,
    /// The current tokens.
    pub token: TokenSet,
}

/// A credential with a live access token, from [`Auth::acquire_handle`]; a provider's
/// SDK client is built `From` it.
///
/// [`access_token`](Self::access_token) is the token as acquired; a client that outlives
/// it (or meets a `401`) asks the handle, a [`TokenSource`], for the current one.
#[derive(Clone)]
pub struct AuthHandle<C> {
    /// The provider's credential.
    pub credentials: C,
    /// A token that was not expired when the handle was acquired.
    pub access_token: String,
    live: Arc<LiveToken<C>>,
}

impl<C: OAuthCredentials> AuthHandle<C> {
    /// The handle as a shareable [`TokenSource`], for an HTTP client to keep.
    pub fn token_source(&self) -> Arc<dyn TokenSource> {
        self.live.clone()
    }

    /// The current token set, as last acquired or refreshed.
    pub fn tokens(&self) -> TokenSet {
        self.live.current()
    }
}

impl<C: std::fmt::Debug> std::fmt::Debug for AuthHandle<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthHandle")
            .field("credentials", &self.credentials)
            .finish_non_exhaustive()
    }
}

impl<C: OAuthCredentials> TokenSource for AuthHandle<C> {
    fn access_token(&self) -> BoxFuture<'_, anyhow::Result<String>> {
        self.live.access_token()
    }

    fn refresh_rejected<'a>(&'a self, rejected: &'a str) -> BoxFuture<'a, anyhow::Result<String>> {
        self.live.refresh_rejected(rejected)
    }
}

impl<C: OAuthCredentials> Auth<C> {
    /// A handle with a live access token, refreshing first when the stored one expired.
    ///
    /// This credential is tied to no account, so an expired token fails with
    /// [`OAuthError::NoTokenStore`]; resolve it through `user.auth::<A>(id)` (a
    /// [`Resolved`] credential) for a refresh that is stored.
    pub async fn acquire_handle(&self) -> anyhow::Result<AuthHandle<C>> {
        self.acquire_handle_at(Utc::now()).await
    }

    /// [`acquire_handle`](Self::acquire_handle) as of `now`, for tests.
    pub async fn acquire_handle_at(&self, now: DateTime<Utc>) -> anyhow::Result<AuthHandle<C>> {
        self.acquire_for(None, now).await
    }

    /// A handle whose refreshes are saved to `account`'s store before they are used.
    pub async fn acquire_for(
        &self,
        account: Option<TokenAccount>,
        now: DateTime<Utc>,
    ) -> anyhow::Result<AuthHandle<C>> {
        let live = LiveToken::new(self.credentials.clone(), self.token.clone(), account);
        let tokens = live.live_at(now, None).await?;
        Ok(AuthHandle {
            credentials: self.credentials.clone(),
            access_token: tokens.access_token,
            live: Arc::new(live),
        })
    }
}

/// The seeds' call shape: `user.auth::<A>(id).await?` resolves a credential tied to its
/// account, and `auth.acquire_handle().await?` refreshes through the host's store.
impl<C: OAuthCredentials> Resolved<Auth<C>> {
    /// A handle with a live access token; an expired one is refreshed, the new set saved
    /// to the host's [`TokenStore`] first.
    pub async fn acquire_handle(&self) -> anyhow::Result<AuthHandle<C>> {
        self.acquire_handle_at(Utc::now()).await
    }

    /// [`acquire_handle`](Self::acquire_handle) as of `now`, for tests.
    pub async fn acquire_handle_at(&self, now: DateTime<Utc>) -> anyhow::Result<AuthHandle<C>> {
        self.get().acquire_for(self.account().cloned(), now).await
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use futures::executor::block_on;

    use super::*;
    use crate::connector::Owner;

    /// Renews `r<n>` into `live-<n+1>` / `r<n+1>`, counting calls: a rotating provider.
    #[derive(Clone, Debug, Default)]
    struct Rotating(Arc<AtomicUsize>);
    impl OAuthCredentials for Rotating {
        fn refresh<'a>(&'a self, refresh_token: &'a str) -> BoxFuture<'a, anyhow::Result<TokenSet>> {
            Box::pin(async move {
                self.0.fetch_add(1, Ordering::SeqCst);
                let n: u32 = refresh_token.trim_start_matches('r').parse()?;
                Ok(TokenSet {
                    access_token: format!("live-{}", n + 1),
                    refresh_token: Some(format!("r{}", n + 1)),
                    expires_at: None,
                })
            })
        }
    }

    #[derive(Clone, Debug)]
    struct Fixed;
    impl OAuthCredentials for Fixed {}

    fn auth<C>(credentials: C, expires_at: Option<DateTime<Utc>>, refresh: Option<&str>) -> Auth<C> {
        Auth {
            credentials,
            token: TokenSet {
                access_token: "live".into(),
                refresh_token: refresh.map(Into::into),
                expires_at,
            },
        }
    }

    fn account(store: &Arc<MemoryTokenStore>) -> TokenAccount {
        TokenAccount {
            key: AccountKey::new(Owner(uuid::Uuid::from_u128(1)), "demo", "a1"),
            store: store.clone(),
        }
    }

    #[test]
    fn live_tokens_are_used_as_they_are() {
        let now = Utc::now();
        let a = auth(Fixed, Some(now + Duration::hours(1)), None);
        assert_eq!(block_on(a.acquire_handle_at(now)).unwrap().access_token, "live");
        let never = auth(Fixed, None, None);
        assert_eq!(
            block_on(never.acquire_handle_at(now)).unwrap().access_token,
            "live"
        );
    }

    #[test]
    fn a_refresh_is_stored_and_the_next_acquisition_uses_it() {
        let now = Utc::now();
        let store = MemoryTokenStore::shared();
        let creds = Rotating::default();
        // Two acquisitions of the same stored (stale) credential, as two syncs would make.
        let stale = auth(creds.clone(), Some(now - Duration::seconds(1)), Some("r1"));
        let first = block_on(stale.acquire_for(Some(account(&store)), now)).unwrap();
        assert_eq!(first.access_token, "live-2");
        assert_eq!(
            store.get(&account(&store).key).unwrap().refresh_token.as_deref(),
            Some("r2")
        );
        let second = block_on(stale.acquire_for(Some(account(&store)), now)).unwrap();
        assert_eq!(second.access_token, "live-2");
        assert_eq!(creds.0.load(Ordering::SeqCst), 1, "one refresh for both");
    }

    #[test]
    fn expired_tokens_without_a_way_to_renew_fail_with_a_typed_error() {
        let now = Utc::now();
        let past = Some(now - Duration::seconds(1));
        let store = MemoryTokenStore::shared();
        let no_refresh =
            block_on(auth(Rotating::default(), past, None).acquire_for(Some(account(&store)), now))
                .unwrap_err();
        let typed = no_refresh.downcast_ref::<OAuthError>().unwrap();
        assert!(typed.is_reconnect_needed(), "{no_refresh}");
        assert!(
            no_refresh.to_string().contains("`a1` must be reconnected"),
            "{no_refresh}"
        );

        let unbound =
            block_on(auth(Rotating::default(), past, Some("r1")).acquire_handle_at(now)).unwrap_err();
        assert!(
            matches!(unbound.downcast_ref(), Some(OAuthError::NoTokenStore { .. })),
            "{unbound}"
        );

        let err =
            block_on(auth(Fixed, past, Some("r1")).acquire_for(Some(account(&store)), now)).unwrap_err();
        assert!(format!("{err:#}").contains("cannot refresh"), "{err:#}");
        assert!(
            store.get(&account(&store).key).is_none(),
            "nothing stored on failure"
        );
    }

    #[test]
    fn a_rejected_token_is_refreshed_once_and_a_replacement_is_reused() {
        let store = MemoryTokenStore::shared();
        let creds = Rotating::default();
        let handle =
            block_on(auth(creds.clone(), None, Some("r1")).acquire_for(Some(account(&store)), Utc::now()))
                .unwrap();
        assert_eq!(block_on(handle.access_token()).unwrap(), "live");
        assert_eq!(block_on(handle.refresh_rejected("live")).unwrap(), "live-2");
        // A second caller that still holds the old token gets the replacement, no refresh.
        assert_eq!(block_on(handle.refresh_rejected("live")).unwrap(), "live-2");
        assert_eq!(creds.0.load(Ordering::SeqCst), 1);
        assert_eq!(block_on(handle.token_source().access_token()).unwrap(), "live-2");
        assert_eq!(handle.tokens().refresh_token.as_deref(), Some("r2"));
    }
}
