//! [`ApiClient`]: the layers around a transport for one provider account.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::SystemTime;

use serde_json::value::RawValue;

use serde::de::DeserializeOwned;
use tokio::time::Instant;
use tracing::Instrument;

use super::error::{HttpError, HttpErrorKind, TransportError};
use super::paginate::{Pager, Pagination};
use super::rate_limit::RateLimit;
use super::retry::{Retry, is_retryable_status, parse_retry_after};
use super::{Request, Response, Transport};
use crate::oauth::TokenSource;

/// How many bytes of an error body go into an error message.
const BODY_EXCERPT: usize = 300;

/// One provider account's way to its API: a [`Transport`] and the layers a provider
/// configures — bearer tokens (refreshed once on `401`), [`Retry`], a [`RateLimit`] — plus
/// JSON decoding with typed errors and [`pager`](Self::pager)s.
#[derive(Clone)]
pub struct ApiClient {
    provider: String,
    transport: Arc<dyn Transport>,
    tokens: Option<Arc<dyn TokenSource>>,
    retry: Retry,
    rate_limit: Option<Arc<RateLimit>>,
    error_fields: Vec<String>,
}

impl std::fmt::Debug for ApiClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiClient")
            .field("provider", &self.provider)
            .field("retry", &self.retry)
            .field("rate_limit", &self.rate_limit)
            .finish_non_exhaustive()
    }
}

impl ApiClient {
    /// A client of `provider` (its kind, for messages and spans) over `transport`, with
    /// the default [`Retry`], no rate limit and no token.
    pub fn new(provider: impl Into<String>, transport: Arc<dyn Transport>) -> Self {
        ApiClient {
            provider: provider.into(),
            transport,
            tokens: None,
            retry: Retry::default(),
            rate_limit: None,
            error_fields: vec!["error".into(), "errors".into()],
        }
    }

    /// Sends `Authorization: Bearer <token>` from `tokens`, and on a `401` asks it for a
    /// new token once and retries once.
    pub fn with_tokens(mut self, tokens: Arc<dyn TokenSource>) -> Self {
        self.tokens = Some(tokens);
        self
    }

    /// Replaces the retry policy.
    pub fn with_retry(mut self, retry: Retry) -> Self {
        self.retry = retry;
        self
    }

    /// Sends every attempt through `limit` (usually [`RateLimit::per_account`]).
    pub fn with_rate_limit(mut self, limit: Arc<RateLimit>) -> Self {
        self.rate_limit = Some(limit);
        self
    }

    /// The top-level fields whose presence (not `null`, `false` or empty) in a success
    /// body marks it as an error object; default `error` and `errors`. An API that
    /// answers `{"ok": false}` is caught as well.
    pub fn with_error_fields<I, S>(mut self, fields: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.error_fields = fields.into_iter().map(Into::into).collect();
        self
    }

    /// The provider's kind.
    pub fn provider(&self) -> &str {
        &self.provider
    }

    /// Sends `request` for `row` through the layers and returns a success response:
    /// retried per the [`Retry`] policy, refreshed once on `401`, paced by the rate limit.
    pub async fn send(&self, row: &str, request: Request) -> Result<Response, HttpError> {
        let fail = |kind| self.error(row, &request, kind);
        let started = Instant::now();
        let mut token = match &self.tokens {
            Some(tokens) => Some(
                tokens
                    .access_token()
                    .await
                    .map_err(|e| fail(HttpErrorKind::Token(e)))?,
            ),
            None => None,
        };
        let mut refreshed = false;
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            let mut sent = request.clone();
            if let Some(token) = &token {
                sent.headers
                    .push(("authorization".into(), format!("Bearer {token}")));
            }
            if let Some(limit) = &self.rate_limit {
                limit.acquire().await;
            }
            let span = tracing::info_span!(
                "http.request",
                provider = %self.provider,
                row,
                method = request.method.as_str(),
                path = %request.path,
                attempt,
                status = tracing::field::Empty,
            );
            let outcome = self.transport.send(sent).instrument(span.clone()).await;
            if let Ok(response) = &outcome {
                span.record("status", response.status);
            }
            // What the last attempt saw, and how long the API asked us to wait.
            let (last, status, retry_after) = match outcome {
                Ok(response) if response.is_success() => return Ok(response),
                Ok(response) if response.status == 401 && !refreshed => {
                    if let (Some(tokens), Some(rejected)) = (&self.tokens, &token) {
                        refreshed = true;
                        let fresh = tokens
                            .refresh_rejected(rejected)
                            .await
                            .map_err(|e| fail(HttpErrorKind::Token(e)))?;
                        token = Some(fresh);
                        // The refreshed retry is a new start, not a spent attempt.
                        attempt -= 1;
                        continue;
                    }
                    return Err(fail(status_error(&response)));
                }
                Ok(response) if response.status == 401 => {
                    return Err(fail(HttpErrorKind::Unauthorized {
                        status: response.status,
                    }));
                }
                Ok(response) => {
                    let retryable = is_retryable_status(response.status)
                        && (response.status == 429 || request.method.is_idempotent());
                    if !retryable {
                        return Err(fail(status_error(&response)));
                    }
                    let after = response
                        .header("retry-after")
                        .and_then(|v| parse_retry_after(v, SystemTime::now()));
                    if let Some(after) = after.filter(|a| *a > self.retry.max_retry_after) {
                        return Err(fail(HttpErrorKind::RetryAfterTooLong {
                            status: response.status,
                            after,
                            limit: self.retry.max_retry_after,
                        }));
                    }
                    if self.retry.max_attempts <= 1 {
                        return Err(fail(status_error(&response)));
                    }
                    let last = format!("status {}: {}", response.status, excerpt(&response.body));
                    (last, Some(response.status), after)
                }
                Err(e)
                    if e.is_transient() && request.method.is_idempotent() && self.retry.max_attempts > 1 =>
                {
                    let status = match &e {
                        TransportError::Truncated { status, .. } => Some(*status),
                        _ => None,
                    };
                    (e.to_string(), status, None)
                }
                // Not retryable, or retries are off: the failure as it happened.
                Err(e) => return Err(fail(HttpErrorKind::Transport(e))),
            };
            let wait = retry_after.unwrap_or_else(|| self.retry.backoff(attempt));
            let elapsed = started.elapsed();
            if attempt >= self.retry.max_attempts || elapsed + wait > self.retry.max_elapsed {
                return Err(fail(HttpErrorKind::BudgetExhausted {
                    status,
                    attempts: attempt,
                    elapsed,
                    last,
                }));
            }
            tracing::debug!(parent: &span, ?wait, %last, "retrying");
            tokio::time::sleep(wait).await;
        }
    }

    /// Sends `request` and decodes the success body as JSON, refusing HTML, malformed
    /// JSON and success bodies that are error objects.
    pub async fn json<T: DeserializeOwned>(&self, row: &str, request: Request) -> Result<T, HttpError> {
        let value = self.json_value(row, &request).await?.1;
        T::deserialize(value)
            .map_err(|source| self.error(row, &request, HttpErrorKind::Malformed { status: 200, source }))
    }

    /// [`json`](Self::json) as a `serde_json::Value`, with the response it came from.
    pub(crate) async fn json_value(
        &self,
        row: &str,
        request: &Request,
    ) -> Result<(Response, serde_json::Value), HttpError> {
        let mut response = self.send(row, request.clone()).await?;
        let body = std::mem::take(&mut response.body);
        let value = self
            .decode(&response, &body)
            .map_err(|kind| self.error(row, request, kind))?;
        Ok((response, value))
    }

    /// Decodes a success body one level deep, or says why it is not usable JSON: the
    /// pager reads a page's records from it straight into the row's type, without a
    /// `serde_json::Value` of every record in between.
    pub(crate) fn decode_shallow<'b>(
        &self,
        response: &Response,
        body: &'b [u8],
    ) -> Result<Shallow<'b>, HttpErrorKind> {
        let status = response.status;
        refuse_html(response, body)?;
        let malformed = |source| HttpErrorKind::Malformed { status, source };
        let root: &RawValue = serde_json::from_slice(body).map_err(malformed)?;
        let fields = if root.get().starts_with('{') {
            Some(serde_json::from_str::<HashMap<String, &RawValue>>(root.get()).map_err(malformed)?)
        } else {
            None
        };
        if let Some(fields) = &fields {
            self.refuse_error_fields(status, fields)?;
        }
        Ok(Shallow {
            root: Some(root),
            fields,
        })
    }

    /// An error object among a success body's top-level `fields` is refused.
    pub(crate) fn refuse_error_fields(
        &self,
        status: u16,
        fields: &HashMap<String, &RawValue>,
    ) -> Result<(), HttpErrorKind> {
        // Only the fields that can mark an error object are decoded to look at.
        let marks: serde_json::Map<String, serde_json::Value> = std::iter::once("ok")
            .chain(self.error_fields.iter().map(String::as_str))
            .filter_map(|f| Some((f.to_owned(), serde_json::from_str(fields.get(f)?.get()).ok()?)))
            .collect();
        match self.error_object(&serde_json::Value::Object(marks)) {
            Some(message) => Err(HttpErrorKind::ErrorObject { status, message }),
            None => Ok(()),
        }
    }

    /// Decodes a success body, or says why it is not usable JSON.
    fn decode(&self, response: &Response, body: &[u8]) -> Result<serde_json::Value, HttpErrorKind> {
        let status = response.status;
        refuse_html(response, body)?;
        let value: serde_json::Value =
            serde_json::from_slice(body).map_err(|source| HttpErrorKind::Malformed { status, source })?;
        if let Some(message) = self.error_object(&value) {
            return Err(HttpErrorKind::ErrorObject { status, message });
        }
        Ok(value)
    }

    /// The error object inside a success body, as JSON, if there is one.
    fn error_object(&self, value: &serde_json::Value) -> Option<String> {
        use serde_json::Value;
        let object = value.as_object()?;
        if object.get("ok") == Some(&Value::Bool(false)) {
            return Some(value.to_string());
        }
        self.error_fields
            .iter()
            .find_map(|field| match object.get(field)? {
                Value::Null | Value::Bool(false) => None,
                Value::Array(a) if a.is_empty() => None,
                Value::Object(o) if o.is_empty() => None,
                Value::String(s) if s.is_empty() => None,
                found => Some(found.to_string()),
            })
    }

    /// A pager over `request`'s pages for `row`.
    pub fn pager(&self, row: &str, request: Request, pagination: Pagination) -> Pager<'_> {
        Pager::new(self, row, request, pagination)
    }

    pub(crate) fn error(&self, row: &str, request: &Request, kind: HttpErrorKind) -> HttpError {
        HttpError {
            provider: self.provider.clone(),
            row: row.to_owned(),
            method: request.method.as_str(),
            path: request.path.clone(),
            kind,
        }
    }
}

/// A JSON body parsed one level deep, from [`ApiClient::decode_shallow`].
pub(crate) struct Shallow<'b> {
    /// The whole body (`None` when the pager decoded it in one pass).
    pub root: Option<&'b RawValue>,
    /// Its top-level fields, when it is an object.
    pub fields: Option<HashMap<String, &'b RawValue>>,
}

/// HTML where JSON was expected (a login page, a proxy's error page) is refused by its
/// content type or its first byte.
pub(crate) fn refuse_html(response: &Response, body: &[u8]) -> Result<(), HttpErrorKind> {
    let html = response
        .header("content-type")
        .is_some_and(|t| t.to_ascii_lowercase().contains("text/html"))
        || body.trim_ascii_start().starts_with(b"<");
    if html {
        return Err(HttpErrorKind::Html {
            status: response.status,
        });
    }
    Ok(())
}

fn status_error(response: &Response) -> HttpErrorKind {
    HttpErrorKind::Status {
        status: response.status,
        body: excerpt(&response.body),
    }
}

/// The start of a body, for an error message.
fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(BODY_EXCERPT)]);
    let mut text = text.trim().replace(['\n', '\r'], " ");
    if body.len() > BODY_EXCERPT {
        text.push('…');
    }
    text
}
