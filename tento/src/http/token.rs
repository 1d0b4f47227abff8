//! [`BearerToken`]: a [`TokenSource`] for a token that cannot be refreshed.

use futures::future::BoxFuture;

use crate::oauth::TokenSource;

/// A fixed access token, as an SDK has it before OAuth refresh is wired in (or for an
/// API key sent as a bearer token). A `401` cannot be answered with a new token: it
/// fails, saying the user must reconnect.
#[derive(Clone)]
pub struct BearerToken(String);

impl BearerToken {
    /// The token `token`.
    pub fn new(token: impl Into<String>) -> Self {
        BearerToken(token.into())
    }
}

impl std::fmt::Debug for BearerToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the secret.
        f.write_str("BearerToken(…)")
    }
}

impl TokenSource for BearerToken {
    fn access_token(&self) -> BoxFuture<'_, anyhow::Result<String>> {
        Box::pin(std::future::ready(Ok(self.0.clone())))
    }

    fn refresh_rejected<'a>(&'a self, _rejected: &'a str) -> BoxFuture<'a, anyhow::Result<String>> {
        Box::pin(std::future::ready(Err(anyhow::anyhow!(
            "the API refused the access token (401 Unauthorized) and it cannot be refreshed: the user must reconnect"
        ))))
    }
}
