//! MyProvider's OAuth credential.

use serde::{Deserialize, Serialize};

/// What a host stores for one MyProvider account, besides its tokens.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyProviderOAuthCredentials {
    /// The OAuth client the account was connected with.
    pub client_id: String,
    /// The account's id at MyProvider.
    pub account: String,
}

#[cfg(any(feature = "connector", feature = "sync-plugin"))]
impl tento::oauth::OAuthCredentials for MyProviderOAuthCredentials {
    fn refresh<'a>(
        &'a self,
        refresh_token: &'a str,
    ) -> futures::future::BoxFuture<'a, anyhow::Result<tento::oauth::TokenSet>> {
        // The offline API accepts any refresh token and issues a token that does not expire.
        Box::pin(async move {
            Ok(tento::oauth::TokenSet {
                access_token: format!("{}:{refresh_token}:refreshed", self.account),
                refresh_token: Some(refresh_token.to_owned()),
                expires_at: None,
            })
        })
    }
}
