//! The host's `UserAuth`: stored credentials, typed through the auth registry, one line
//! per provider; and its token store, which writes refreshed OAuth tokens back into the
//! stored credential.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use futures::future::BoxFuture;
use tento::connector::{AuthRegistry, ErasedCredentials, Owner, UserAuth};
use tento::oauth::{AccountKey, TokenSet, TokenStore};

tento::auth_registry! {
    /// Every auth kind this host resolves: adding a provider is one line here.
    pub struct HostAuthKinds {
        tento_myprovider::connector::MyProviderAuth,
        tento_myprovider_macros::connector::MyMacroProviderAuth,
    }
}

/// Credentials by `(kind, auth_id)`, as JSON.
type Stored = HashMap<(String, String), serde_json::Value>;

/// A user and the credentials they connected, stored as JSON the way a database row
/// would hold them. Clones share the credentials, so a token refreshed through one is
/// what the next request reads.
#[derive(Clone, Debug)]
pub struct HostUserAuth {
    owner: Owner,
    stored: Arc<Mutex<Stored>>,
}

impl HostUserAuth {
    /// A user with no connected accounts.
    pub fn new(owner: Owner) -> Self {
        HostUserAuth {
            owner,
            stored: Arc::default(),
        }
    }

    /// Stores a credential of `kind` for account `auth_id`.
    pub fn connect(&mut self, kind: &str, auth_id: &str, credential: serde_json::Value) {
        self.stored()
            .insert((kind.to_owned(), auth_id.to_owned()), credential);
    }

    /// The stored credential of `kind` for account `auth_id`, as JSON.
    pub fn stored_credential(&self, kind: &str, auth_id: &str) -> Option<serde_json::Value> {
        self.stored().get(&(kind.to_owned(), auth_id.to_owned())).cloned()
    }

    fn stored(&self) -> MutexGuard<'_, Stored> {
        self.stored.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl UserAuth for HostUserAuth {
    fn owner(&self) -> Owner {
        self.owner
    }

    fn credentials<'a>(
        &'a self,
        kind: &'a str,
        auth_id: &'a str,
    ) -> BoxFuture<'a, anyhow::Result<Option<ErasedCredentials>>> {
        Box::pin(async move {
            let Some(raw) = self.stored_credential(kind, auth_id) else {
                return Ok(None);
            };
            HostAuthKinds::decode(kind, raw).map(Some)
        })
    }

    fn token_store(&self) -> Option<Arc<dyn TokenStore>> {
        Some(Arc::new(self.clone()))
    }
}

/// Refreshed tokens are written into the credential's `token` field, so the next
/// request resolves the new set (and its rotated refresh token). In memory for now: a
/// database-backed host updates the credential's row the same way.
impl TokenStore for HostUserAuth {
    fn load<'a>(&'a self, account: &'a AccountKey) -> BoxFuture<'a, anyhow::Result<Option<TokenSet>>> {
        Box::pin(async move {
            let token = self
                .stored_credential(&account.kind, &account.auth_id)
                .and_then(|credential| credential.get("token").cloned());
            Ok(token.map(serde_json::from_value).transpose()?)
        })
    }

    fn save<'a>(
        &'a self,
        account: &'a AccountKey,
        tokens: &'a TokenSet,
    ) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async move {
            anyhow::ensure!(
                account.owner == self.owner,
                "tokens of user {} cannot be saved with user {}'s credentials",
                account.owner,
                self.owner
            );
            let mut stored = self.stored();
            let credential = stored
                .get_mut(&(account.kind.clone(), account.auth_id.clone()))
                .and_then(serde_json::Value::as_object_mut)
                .ok_or_else(|| anyhow::anyhow!("no {} credential `{}`", account.kind, account.auth_id))?;
            credential.insert("token".into(), serde_json::to_value(tokens)?);
            Ok(())
        })
    }
}
