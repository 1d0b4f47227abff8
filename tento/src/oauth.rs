//! OAuth credentials as providers receive them: `Auth<C>` holds a provider's own
//! credential type `C` and the current token set, and
//! [`acquire_handle`](Auth::acquire_handle) yields a handle with a live access token,
//! refreshing through `C` when the stored token has expired.

use ::chrono::{DateTime, Duration, Utc};
use futures::future::BoxFuture;
use serde::{Deserialize, Serialize};

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
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthHandle<C> {
    /// The provider's credential.
    pub credentials: C,
    /// A token that is not expired.
    pub access_token: String,
}

impl<C: OAuthCredentials> Auth<C> {
    /// A handle with a live access token, refreshing first when the stored one expired.
    pub async fn acquire_handle(&self) -> anyhow::Result<AuthHandle<C>> {
        self.acquire_handle_at(Utc::now()).await
    }

    /// [`acquire_handle`](Self::acquire_handle) as of `now`, for tests.
    pub async fn acquire_handle_at(&self, now: DateTime<Utc>) -> anyhow::Result<AuthHandle<C>> {
        let access_token = if self.token.is_expired_at(now) {
            let Some(refresh) = self.token.refresh_token.as_deref() else {
                anyhow::bail!("access token expired and there is no refresh token: the user must reconnect");
            };
            self.credentials.refresh(refresh).await?.access_token
        } else {
            self.token.access_token.clone()
        };
        Ok(AuthHandle {
            credentials: self.credentials.clone(),
            access_token,
        })
    }
}

#[cfg(test)]
mod tests {
    use futures::executor::block_on;

    use super::*;

    #[derive(Clone, Debug)]
    struct Renewing;
    impl OAuthCredentials for Renewing {
        fn refresh<'a>(&'a self, refresh_token: &'a str) -> BoxFuture<'a, anyhow::Result<TokenSet>> {
            Box::pin(async move {
                Ok(TokenSet {
                    access_token: format!("renewed-{refresh_token}"),
                    refresh_token: None,
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
    fn expired_tokens_refresh_or_fail_clearly() {
        let now = Utc::now();
        let past = Some(now - Duration::seconds(1));
        let renewed = block_on(auth(Renewing, past, Some("r1")).acquire_handle_at(now)).unwrap();
        assert_eq!(renewed.access_token, "renewed-r1");
        let err = block_on(auth(Renewing, past, None).acquire_handle_at(now)).unwrap_err();
        assert!(err.to_string().contains("reconnect"), "{err}");
        let err = block_on(auth(Fixed, past, Some("r1")).acquire_handle_at(now)).unwrap_err();
        assert!(err.to_string().contains("cannot refresh"), "{err}");
    }
}
