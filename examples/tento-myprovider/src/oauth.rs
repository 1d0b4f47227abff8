//! MyProvider's OAuth credential, and how its tokens are renewed.

use serde::{Deserialize, Serialize};

/// MyProvider's OAuth token endpoint, where a refresh token buys a new token set.
pub const TOKEN_URL: &str = "https://api.myprovider.example/oauth/token";

/// The environment variable the OAuth client's secret is read from: the secret is the
/// host's, so it is never stored with an account.
pub const CLIENT_SECRET_VAR: &str = "MYPROVIDER_CLIENT_SECRET";

/// What a host stores for one MyProvider account, besides its tokens.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyProviderOAuthCredentials {
    /// The OAuth client the account was connected with.
    pub client_id: String,
    /// The account's id at MyProvider.
    pub account: String,
    /// A token endpoint other than [`TOKEN_URL`]: a test server, a regional API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_url: Option<String>,
}

#[cfg(any(feature = "connector", feature = "sync-plugin"))]
impl MyProviderOAuthCredentials {
    /// The token endpoint, as this account's OAuth client.
    pub fn token_endpoint(&self) -> tento::oauth::TokenEndpoint {
        let url = self.token_url.as_deref().unwrap_or(TOKEN_URL);
        tento::oauth::TokenEndpoint::new("MyProvider", url, &self.client_id)
            .client_secret(std::env::var(CLIENT_SECRET_VAR).ok())
    }
}

/// Refreshes at MyProvider's token endpoint; tento stores the new set (with a rotated
/// refresh token) through the host's token store before it is used.
#[cfg(any(feature = "connector", feature = "sync-plugin"))]
impl tento::oauth::OAuthCredentials for MyProviderOAuthCredentials {
    fn refresh<'a>(
        &'a self,
        refresh_token: &'a str,
    ) -> futures::future::BoxFuture<'a, anyhow::Result<tento::oauth::TokenSet>> {
        Box::pin(async move { Ok(self.token_endpoint().refresh(refresh_token).await?) })
    }
}
