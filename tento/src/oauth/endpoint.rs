//! A provider's OAuth token endpoint: the refresh-token grant of RFC 6749 §6, one form
//! POST, its answer read per §5.1 (success) and §5.2 (error).

use std::time::Duration;

use ::chrono::Utc;
use serde::Deserialize;

use super::{OAuthError, TokenSet};

/// How the client authenticates to the token endpoint (RFC 6749 §2.3.1).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ClientAuth {
    /// HTTP Basic with the client id and secret: what every server must accept.
    #[default]
    Basic,
    /// `client_id` and `client_secret` as form fields, for providers that want them there.
    Body,
}

/// Where and as whom a provider's tokens are refreshed: a credential type's
/// [`refresh`](super::OAuthCredentials::refresh) is usually one call of
/// [`TokenEndpoint::refresh`].
#[derive(Clone, Debug)]
pub struct TokenEndpoint {
    provider: String,
    token_url: String,
    client_id: String,
    client_secret: Option<String>,
    scopes: Vec<String>,
    client_auth: ClientAuth,
    /// The client, or why none could be built (a TLS backend that failed to start),
    /// reported by [`refresh`](Self::refresh) rather than a panic here.
    http: Result<reqwest::Client, String>,
}

/// The longest a refresh may take; the endpoint answers in well under a second normally.
const TIMEOUT: Duration = Duration::from_secs(30);

impl TokenEndpoint {
    /// The endpoint at `token_url` of `provider` (its name, used in errors), for the
    /// public client `client_id`.
    pub fn new(
        provider: impl Into<String>,
        token_url: impl Into<String>,
        client_id: impl Into<String>,
    ) -> Self {
        TokenEndpoint {
            provider: provider.into(),
            token_url: token_url.into(),
            client_id: client_id.into(),
            client_secret: None,
            scopes: Vec::new(),
            client_auth: ClientAuth::default(),
            http: reqwest::Client::builder()
                .timeout(TIMEOUT)
                .connect_timeout(Duration::from_secs(10))
                .build()
                .map_err(|err| err.to_string()),
        }
    }

    /// The client secret of a confidential client; `None` leaves a public client.
    pub fn client_secret(mut self, secret: Option<String>) -> Self {
        self.client_secret = secret;
        self
    }

    /// The scopes to ask for; empty (the default) keeps the grant's scopes.
    pub fn scopes<S: Into<String>>(mut self, scopes: impl IntoIterator<Item = S>) -> Self {
        self.scopes = scopes.into_iter().map(Into::into).collect();
        self
    }

    /// How the client id and secret are sent.
    pub fn client_auth(mut self, how: ClientAuth) -> Self {
        self.client_auth = how;
        self
    }

    /// The provider's name, as errors give it.
    pub fn provider(&self) -> &str {
        &self.provider
    }

    /// Exchanges `refresh_token` for a new token set.
    ///
    /// `invalid_grant` (the refresh token is revoked, expired or already used) is
    /// [`OAuthError::ReconnectNeeded`]; anything else that fails is
    /// [`OAuthError::TokenEndpoint`], with the status when there was one.
    pub async fn refresh(&self, refresh_token: &str) -> Result<TokenSet, OAuthError> {
        let scope = self.scopes.join(" ");
        let mut form = vec![("grant_type", "refresh_token"), ("refresh_token", refresh_token)];
        if !scope.is_empty() {
            form.push(("scope", &scope));
        }
        let http = self
            .http
            .as_ref()
            .map_err(|err| self.failed(None, format!("no HTTP client: {err}")))?;
        let mut request = http.post(&self.token_url).header("accept", "application/json");
        match (self.client_auth, &self.client_secret) {
            (ClientAuth::Basic, Some(secret)) => request = request.basic_auth(&self.client_id, Some(secret)),
            (ClientAuth::Body, Some(secret)) => {
                form.push(("client_id", &self.client_id));
                form.push(("client_secret", secret));
            }
            (_, None) => form.push(("client_id", &self.client_id)),
        }
        let answer = request
            .form(&form)
            .send()
            .await
            .map_err(|err| self.failed(None, format!("no answer from {}: {err}", self.token_url)))?;
        let status = answer.status();
        let body = answer
            .bytes()
            .await
            .map_err(|err| self.failed(Some(status.as_u16()), format!("the body broke off: {err}")))?;
        if status.is_success() {
            return self.token_set(status.as_u16(), &body);
        }
        match serde_json::from_slice::<ErrorAnswer>(&body) {
            Ok(e) if e.error == "invalid_grant" => Err(OAuthError::ReconnectNeeded {
                provider: self.provider.clone(),
                auth_id: None,
                reason: match e.error_description {
                    Some(d) => format!("the provider refused the refresh token (invalid_grant: {d})"),
                    None => "the provider refused the refresh token (invalid_grant)".into(),
                },
            }),
            Ok(e) => Err(self.failed(
                Some(status.as_u16()),
                match e.error_description {
                    Some(d) => format!("{}: {d}", e.error),
                    None => e.error,
                },
            )),
            Err(_) => Err(self.failed(Some(status.as_u16()), excerpt(&body))),
        }
    }

    fn token_set(&self, status: u16, body: &[u8]) -> Result<TokenSet, OAuthError> {
        let answer: TokenAnswer = serde_json::from_slice(body).map_err(|err| {
            self.failed(
                Some(status),
                format!("not a token response ({err}): {}", excerpt(body)),
            )
        })?;
        let expires_at = answer
            .expires_in
            .and_then(|secs| ::chrono::Duration::try_seconds(i64::try_from(secs).ok()?))
            .and_then(|ttl| Utc::now().checked_add_signed(ttl));
        Ok(TokenSet {
            access_token: answer.access_token,
            refresh_token: answer.refresh_token,
            expires_at,
        })
    }

    fn failed(&self, status: Option<u16>, detail: String) -> OAuthError {
        OAuthError::TokenEndpoint {
            provider: self.provider.clone(),
            status,
            detail,
        }
    }
}

/// A successful answer (RFC 6749 §5.1); `token_type` and `scope` are not needed.
#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    #[serde(default)]
    refresh_token: Option<String>,
    #[serde(default)]
    expires_in: Option<u64>,
}

/// An error answer (RFC 6749 §5.2).
#[derive(Deserialize)]
struct ErrorAnswer {
    error: String,
    #[serde(default)]
    error_description: Option<String>,
}

/// The start of a body for an error message: enough to recognise an HTML error page,
/// never a whole one.
fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    match text.char_indices().nth(200) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None if text.is_empty() => "an empty body".into(),
        None => text.to_owned(),
    }
}
