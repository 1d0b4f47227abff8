//! The live token behind an [`AuthHandle`](super::AuthHandle): it renews through the
//! provider's credential, stores the new set before handing it out, and lets one caller
//! per account refresh at a time.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex, PoisonError, Weak};

use ::chrono::{DateTime, Utc};
use futures::future::BoxFuture;

use super::{OAuthCredentials, OAuthError, TokenAccount, TokenSet, TokenSource};
use crate::oauth::AccountKey;

/// One lock per account, process-wide. A host may build a new `UserAuth` per request, so
/// the lock cannot live in it; entries go away when no caller holds them.
static FLIGHTS: LazyLock<Mutex<HashMap<AccountKey, Weak<futures::lock::Mutex<()>>>>> =
    LazyLock::new(Default::default);

fn flight(key: &AccountKey) -> Arc<futures::lock::Mutex<()>> {
    let mut flights = FLIGHTS.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(lock) = flights.get(key).and_then(Weak::upgrade) {
        return lock;
    }
    flights.retain(|_, lock| lock.strong_count() > 0);
    let lock = Arc::new(futures::lock::Mutex::new(()));
    flights.insert(key.clone(), Arc::downgrade(&lock));
    lock
}

/// A credential's current token set, renewable.
pub(super) struct LiveToken<C> {
    pub(super) credentials: C,
    account: Option<TokenAccount>,
    current: Mutex<TokenSet>,
}

impl<C: OAuthCredentials> LiveToken<C> {
    pub(super) fn new(credentials: C, token: TokenSet, account: Option<TokenAccount>) -> Self {
        LiveToken {
            credentials,
            account,
            current: Mutex::new(token),
        }
    }

    pub(super) fn current(&self) -> TokenSet {
        self.current
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn set_current(&self, tokens: &TokenSet) {
        *self.current.lock().unwrap_or_else(PoisonError::into_inner) = tokens.clone();
    }

    /// A token set that is live at `now` and is not `rejected`, refreshing when needed.
    pub(super) async fn live_at(
        &self,
        now: DateTime<Utc>,
        rejected: Option<&str>,
    ) -> anyhow::Result<TokenSet> {
        let usable = |t: &TokenSet| !t.is_expired_at(now) && rejected != Some(t.access_token.as_str());
        let ours = self.current();
        if usable(&ours) {
            return Ok(ours);
        }
        let Some(account) = &self.account else {
            return Err(OAuthError::NoTokenStore {
                credentials: std::any::type_name::<C>(),
            }
            .into());
        };
        let lock = flight(&account.key);
        let _one_at_a_time = lock.lock().await;
        // And one instance at a time, when the store's database serves many.
        let _one_instance_at_a_time = account.store.lock_refresh(&account.key).await?;
        // Whoever held the lock before us may have refreshed already: the store has the
        // newest set, and a rotated refresh token must not be spent twice.
        let latest = account.store.load(&account.key).await?.unwrap_or(ours);
        if usable(&latest) {
            self.set_current(&latest);
            return Ok(latest);
        }
        let Some(refresh_token) = latest.refresh_token.clone() else {
            return Err(OAuthError::ReconnectNeeded {
                provider: account.key.kind.clone(),
                auth_id: Some(account.key.auth_id.clone()),
                reason: "the access token expired and there is no refresh token".into(),
            }
            .into());
        };
        let mut fresh = self
            .credentials
            .refresh(&refresh_token)
            .await
            .map_err(|err| name_the_account(err, &account.key))?;
        // A provider that does not rotate may omit the refresh token (RFC 6749 §6): the
        // old one stays valid.
        if fresh.refresh_token.is_none() {
            fresh.refresh_token = Some(refresh_token);
        }
        account.store.save(&account.key, &fresh).await.map_err(|err| {
            err.context(format!(
                "storing the refreshed {} token of account `{}`",
                account.key.kind, account.key.auth_id
            ))
        })?;
        self.set_current(&fresh);
        Ok(fresh)
    }
}

/// A refresh error with the account filled in where the credential could not know it.
fn name_the_account(err: anyhow::Error, key: &AccountKey) -> anyhow::Error {
    match err.downcast::<OAuthError>() {
        Ok(OAuthError::ReconnectNeeded {
            provider,
            auth_id: None,
            reason,
        }) => OAuthError::ReconnectNeeded {
            provider,
            auth_id: Some(key.auth_id.clone()),
            reason,
        }
        .into(),
        Ok(other) => other.into(),
        Err(err) => err.context(format!(
            "refreshing the {} token of account `{}`",
            key.kind, key.auth_id
        )),
    }
}

impl<C: OAuthCredentials> TokenSource for LiveToken<C> {
    fn access_token(&self) -> BoxFuture<'_, anyhow::Result<String>> {
        Box::pin(async move { Ok(self.live_at(Utc::now(), None).await?.access_token) })
    }

    fn refresh_rejected<'a>(&'a self, rejected: &'a str) -> BoxFuture<'a, anyhow::Result<String>> {
        Box::pin(async move { Ok(self.live_at(Utc::now(), Some(rejected)).await?.access_token) })
    }
}
