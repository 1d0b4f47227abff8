//! Where refreshed tokens go: the host's [`TokenStore`], keyed by [`AccountKey`].

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use futures::future::BoxFuture;

use super::TokenSet;
use crate::connector::Owner;

/// One user's account of one auth kind: the key a [`TokenStore`] files a token set under.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AccountKey {
    /// The user.
    pub owner: Owner,
    /// The auth kind ([`AuthProvider::KIND`](crate::connector::AuthProvider::KIND)).
    pub kind: String,
    /// The account's auth id.
    pub auth_id: String,
}

impl AccountKey {
    /// The key of `owner`'s account `auth_id` of `kind`.
    pub fn new(owner: Owner, kind: impl Into<String>, auth_id: impl Into<String>) -> Self {
        AccountKey {
            owner,
            kind: kind.into(),
            auth_id: auth_id.into(),
        }
    }
}

/// The host's seam for OAuth tokens: every refreshed token set is saved here before its
/// access token is used, so a rotated refresh token survives a crash or a restart.
///
/// A host returns one from [`UserAuth::token_store`](crate::connector::UserAuth::token_store).
/// `save` must be durable when it returns (the old refresh token may already be dead);
/// `load` returns the last set saved for the account, which wins over the token inside
/// the stored credential. Hosts usually write the set back into that credential too.
pub trait TokenStore: Send + Sync {
    /// The last token set saved for `account`, `None` if none was.
    fn load<'a>(&'a self, account: &'a AccountKey) -> BoxFuture<'a, anyhow::Result<Option<TokenSet>>>;

    /// Saves `tokens` as `account`'s current token set.
    fn save<'a>(&'a self, account: &'a AccountKey, tokens: &'a TokenSet)
    -> BoxFuture<'a, anyhow::Result<()>>;

    /// Takes `account`'s refresh lock where every instance of the host sees it (a lease
    /// in the database), held until the guard drops. A refresh runs under it, after the
    /// process-wide lock, so instances never spend one rotating refresh token twice.
    ///
    /// The default takes nothing: a store serving one process needs only the
    /// process-wide lock.
    fn lock_refresh<'a>(&'a self, account: &'a AccountKey) -> BoxFuture<'a, anyhow::Result<RefreshGuard>> {
        let _ = account;
        Box::pin(std::future::ready(Ok(RefreshGuard::none())))
    }
}

/// An account's refresh lock, from [`TokenStore::lock_refresh`]: released when dropped.
pub struct RefreshGuard {
    _held: Option<Box<dyn Send>>,
}

impl RefreshGuard {
    /// A guard holding nothing.
    pub fn none() -> Self {
        RefreshGuard { _held: None }
    }

    /// A guard released by dropping `held` (a handle whose `Drop` gives a lease back).
    pub fn new(held: impl Send + 'static) -> Self {
        RefreshGuard {
            _held: Some(Box::new(held)),
        }
    }
}

/// A [`TokenStore`] in memory, for tests and for hosts that keep nothing across restarts.
#[derive(Debug, Default)]
pub struct MemoryTokenStore {
    sets: Mutex<HashMap<AccountKey, TokenSet>>,
}

impl MemoryTokenStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty store, shared: what [`UserAuth::token_store`](crate::connector::UserAuth::token_store) returns.
    pub fn shared() -> Arc<Self> {
        Arc::new(Self::new())
    }

    /// The set saved for `account`, if any.
    pub fn get(&self, account: &AccountKey) -> Option<TokenSet> {
        self.sets().get(account).cloned()
    }

    fn sets(&self) -> std::sync::MutexGuard<'_, HashMap<AccountKey, TokenSet>> {
        self.sets.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl TokenStore for MemoryTokenStore {
    fn load<'a>(&'a self, account: &'a AccountKey) -> BoxFuture<'a, anyhow::Result<Option<TokenSet>>> {
        Box::pin(std::future::ready(Ok(self.get(account))))
    }

    fn save<'a>(
        &'a self,
        account: &'a AccountKey,
        tokens: &'a TokenSet,
    ) -> BoxFuture<'a, anyhow::Result<()>> {
        self.sets().insert(account.clone(), tokens.clone());
        Box::pin(std::future::ready(Ok(())))
    }
}

/// An account and the store its tokens go to: what ties a resolved credential to the
/// host, so a refresh is stored. `user.auth::<A>(id)` attaches one when the host has a
/// token store.
#[derive(Clone)]
pub struct TokenAccount {
    /// The account.
    pub key: AccountKey,
    /// Where its refreshed tokens are saved.
    pub store: Arc<dyn TokenStore>,
}

impl std::fmt::Debug for TokenAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenAccount")
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}
