//! What can go wrong renewing a token, typed so a host can tell "ask the user to
//! reconnect" from "try again later".

/// Why a live access token could not be had.
#[derive(Debug, thiserror::Error)]
pub enum OAuthError {
    /// The grant is gone: the provider refused the refresh token (`invalid_grant`), or
    /// there is none. Only the user can fix it, by connecting the account again; a host
    /// shows this to them.
    #[error("the {provider} account{} must be reconnected: {reason}", account_suffix(.auth_id))]
    ReconnectNeeded {
        /// The provider (its name, or its auth kind).
        provider: String,
        /// The account, when known.
        auth_id: Option<String>,
        /// What the provider said, or why there is nothing to refresh with.
        reason: String,
    },
    /// The token endpoint failed in a way that may pass: unreachable, a server error, an
    /// answer that is not a token response. The stored tokens are untouched.
    #[error("{provider}'s token endpoint failed{}: {detail}", status_suffix(.status))]
    TokenEndpoint {
        /// The provider.
        provider: String,
        /// The HTTP status, when there was an answer.
        status: Option<u16>,
        /// What went wrong.
        detail: String,
    },
    /// The token expired and the credential is tied to no [`TokenStore`](super::TokenStore),
    /// so a refreshed (possibly rotated) token set would be lost.
    #[error(
        "the access token of `{credentials}` expired and there is no token store to keep a \
         refreshed one: resolve the credential with `user.auth::<…>(id)` from a host whose \
         `UserAuth::token_store` returns a store"
    )]
    NoTokenStore {
        /// The credential type.
        credentials: &'static str,
    },
}

fn account_suffix(auth_id: &Option<String>) -> String {
    auth_id.as_ref().map(|id| format!(" `{id}`")).unwrap_or_default()
}

fn status_suffix(status: &Option<u16>) -> String {
    status.map(|s| format!(" ({s})")).unwrap_or_default()
}

impl OAuthError {
    /// Whether the user must reconnect the account.
    pub fn is_reconnect_needed(&self) -> bool {
        matches!(self, OAuthError::ReconnectNeeded { .. })
    }
}
