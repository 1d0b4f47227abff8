//! What can go wrong at the network edge, each case typed and named in the message with
//! the provider, the row and the status, so a host's log line says where to look.

use std::time::Duration;

/// A transport could not produce a whole response.
#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    /// No connection, or it was reset before the response began.
    #[error("connection failed: {0}")]
    Connection(String),
    /// The request took longer than the transport's timeout.
    #[error("timed out: {0}")]
    Timeout(String),
    /// The response began (with this status) but its body did not arrive whole.
    #[error("truncated body after status {status}: {message}")]
    Truncated {
        /// The status the response started with.
        status: u16,
        /// What the transport saw.
        message: String,
    },
    /// The request could not be built (a bad URL, a header that is not valid).
    #[error("invalid request: {0}")]
    Invalid(String),
}

impl TransportError {
    /// Whether sending the same request again may succeed.
    pub fn is_transient(&self) -> bool {
        !matches!(self, TransportError::Invalid(_))
    }
}

/// A request through an [`ApiClient`](super::ApiClient) failed: `{provider} {row}: {method} {path}: {kind}`.
#[derive(Debug, thiserror::Error)]
#[error("{provider} {row}: {method} {path}: {kind}")]
pub struct HttpError {
    /// The provider's kind.
    pub provider: String,
    /// The row the request was made for.
    pub row: String,
    /// The request's method.
    pub method: &'static str,
    /// The request's path or URL.
    pub path: String,
    /// What went wrong.
    #[source]
    pub kind: HttpErrorKind,
}

impl HttpError {
    /// The HTTP status the failure came with, if a response arrived.
    pub fn status(&self) -> Option<u16> {
        use HttpErrorKind::*;
        match &self.kind {
            Status { status, .. }
            | Html { status }
            | Malformed { status, .. }
            | ErrorObject { status, .. }
            | Unauthorized { status }
            | RetryAfterTooLong { status, .. }
            | NoRecords { status, .. } => Some(*status),
            Transport(TransportError::Truncated { status, .. }) => Some(*status),
            BudgetExhausted { status, .. } => *status,
            _ => None,
        }
    }
}

/// What went wrong, for [`HttpError`].
#[derive(Debug, thiserror::Error)]
pub enum HttpErrorKind {
    /// The API answered a status that is not retried (or no longer), with the start of
    /// its body.
    #[error("status {status}: {body}")]
    Status {
        /// The status.
        status: u16,
        /// The first few hundred bytes of the body.
        body: String,
    },
    /// The API answered HTML where JSON was expected (a login page, a proxy's error page).
    #[error("status {status}: the body is HTML, not JSON")]
    Html {
        /// The status.
        status: u16,
    },
    /// The body is not the JSON expected.
    #[error("status {status}: malformed JSON: {source}")]
    Malformed {
        /// The status.
        status: u16,
        /// Where parsing stopped.
        source: serde_json::Error,
    },
    /// A success status whose body is an error object (`{"error": …}`).
    #[error("status {status} with an error object: {message}")]
    ErrorObject {
        /// The status.
        status: u16,
        /// The error object, as JSON.
        message: String,
    },
    /// The API refused the token, and again after one refresh.
    #[error("status {status}: unauthorized after refreshing the token once")]
    Unauthorized {
        /// The status (401).
        status: u16,
    },
    /// The token source failed (the token endpoint answered 500, the user must reconnect, …).
    #[error("no access token: {0:#}")]
    Token(anyhow::Error),
    /// The retry budget (attempts or total time) ran out.
    #[error("retry budget exhausted after {attempts} attempts in {elapsed:?}: {last}")]
    BudgetExhausted {
        /// The last status, if the last attempt got a response.
        status: Option<u16>,
        /// Attempts made.
        attempts: u32,
        /// Time spent.
        elapsed: Duration,
        /// What the last attempt saw.
        last: String,
    },
    /// The API asked to wait longer than [`Retry::max_retry_after`](super::Retry): refused, not slept.
    #[error("status {status}: Retry-After of {after:?} exceeds the {limit:?} this client waits")]
    RetryAfterTooLong {
        /// The status (429 or 503).
        status: u16,
        /// What the API asked for.
        after: Duration,
        /// The most this client waits.
        limit: Duration,
    },
    /// The transport failed and the request was not retried (or is not retryable).
    #[error(transparent)]
    Transport(TransportError),
    /// A pager was handed a cursor or next URL it had already followed: the API would loop.
    #[error("pagination loops: `{0}` was already followed")]
    RepeatedCursor(String),
    /// A page-number or offset pager got the same page twice in a row.
    #[error("pagination loops: page {0} repeats the page before it")]
    RepeatedPage(u64),
    /// The records were not where the pager was told to find them.
    #[error("status {status}: no records array at `{pointer}`")]
    NoRecords {
        /// The status.
        status: u16,
        /// The JSON pointer looked at.
        pointer: String,
    },
}
