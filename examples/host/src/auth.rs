//! The host's `UserAuth`: stored credentials, typed through the auth registry, one line
//! per provider.

use std::collections::HashMap;

use futures::future::BoxFuture;
use tento::connector::{AuthRegistry, ErasedCredentials, Owner, UserAuth};

tento::auth_registry! {
    /// Every auth kind this host resolves: adding a provider is one line here.
    pub struct HostAuthKinds {
        tento_myprovider::connector::MyProviderAuth,
        tento_myprovider_macros::connector::MyMacroProviderAuth,
    }
}

/// A user and the credentials they connected, stored as JSON the way a database row
/// would hold them.
#[derive(Clone, Debug)]
pub struct HostUserAuth {
    owner: Owner,
    stored: HashMap<(String, String), serde_json::Value>,
}

impl HostUserAuth {
    /// A user with no connected accounts.
    pub fn new(owner: Owner) -> Self {
        HostUserAuth {
            owner,
            stored: HashMap::new(),
        }
    }

    /// Stores a credential of `kind` for account `auth_id`.
    pub fn connect(&mut self, kind: &str, auth_id: &str, credential: serde_json::Value) {
        self.stored
            .insert((kind.to_owned(), auth_id.to_owned()), credential);
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
            let Some(raw) = self.stored.get(&(kind.to_owned(), auth_id.to_owned())).cloned() else {
                return Ok(None);
            };
            HostAuthKinds::decode(kind, raw).map(Some)
        })
    }
}
