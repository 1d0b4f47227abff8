//! The network edge: a transport seam that carries whole requests and responses, an
//! [`HttpTransport`] on reqwest (rustls), and the layers a provider configures rather
//! than writes, around any transport in an [`ApiClient`]:
//!
//! - **bearer tokens** from a [`TokenSource`](crate::oauth::TokenSource): a `401` asks it
//!   for a new token once and retries once;
//! - **retry** ([`Retry`]) on `429`, `5xx`, connection errors and timeouts, with
//!   exponential backoff and jitter, honouring `Retry-After` (seconds or HTTP date),
//!   bounded by attempts and total time;
//! - **rate limit** ([`RateLimit`]) per account, requests per period;
//! - **pagination** ([`Pagination`], [`Pager`]): page number, offset/limit, a cursor in the
//!   body, `Link: rel="next"`, a next URL in the body — page by page, so a row persists
//!   each page before the next is fetched;
//! - a `tracing` span per attempt (`provider`, `row`, `method`, `path`, `attempt`, `status`).
//!
//! Every failure is an [`HttpError`] naming provider, row and status. With the
//! `testing` feature, [`local`] is a server on 127.0.0.1 to test an SDK against.
//!
//! ```no_run
//! # async fn run() -> anyhow::Result<()> {
//! use std::sync::Arc;
//! use std::time::Duration;
//! use tento::http::{ApiClient, HttpTransport, Pagination, RateLimit, Request};
//!
//! let transport = HttpTransport::builder("https://api.acme.example")
//!     .user_agent("tento-acme/0.1")
//!     .build()?;
//! let api = ApiClient::new("acme", Arc::new(transport))
//!     .with_rate_limit(RateLimit::per_account("acme:account-1", 10, Duration::from_secs(1)));
//! let mut pages = api.pager(
//!     "activities",
//!     Request::get("/activities"),
//!     Pagination::cursor("next_token", "cursor").records("/data"),
//! );
//! while let Some(page) = pages.next_page::<serde_json::Value>().await? {
//!     // persist `page` here, before the next one is fetched
//!     # drop(page);
//! }
//! # Ok(()) }
//! ```

mod client;
mod error;
#[cfg(feature = "testing")]
pub mod local;
mod paginate;
mod rate_limit;
mod retry;
mod token;
mod transport;

pub use client::ApiClient;
pub use error::{HttpError, HttpErrorKind, TransportError};
pub use paginate::{CURSOR_FIELDS, Pager, Pagination};
pub use rate_limit::RateLimit;
pub use retry::Retry;
pub use token::BearerToken;
pub use transport::{BrokenTransport, HttpTransport, HttpTransportBuilder};

use futures::future::BoxFuture;

/// An HTTP method.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
}

impl Method {
    /// The method's name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    /// Whether sending it twice has the effect of sending it once (RFC 9110 §9.2.2), so
    /// a request that may or may not have reached the server can be sent again.
    pub fn is_idempotent(self) -> bool {
        !matches!(self, Method::Post | Method::Patch)
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A whole request: what a [`Transport`] sends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// The method.
    pub method: Method,
    /// A path below the transport's base URL (`/activities`), or an absolute URL on the
    /// same origin (a next-page URL the API handed out).
    pub path: String,
    /// Query parameters, in order.
    pub query: Vec<(String, String)>,
    /// Headers, in order; names are matched case-insensitively.
    pub headers: Vec<(String, String)>,
    /// The body, if any.
    pub body: Option<Vec<u8>>,
}

impl Request {
    /// A request with no query, headers or body.
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        Request {
            method,
            path: path.into(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
        }
    }

    /// A `GET` of `path`.
    pub fn get(path: impl Into<String>) -> Self {
        Self::new(Method::Get, path)
    }

    /// A `DELETE` of `path`.
    pub fn delete(path: impl Into<String>) -> Self {
        Self::new(Method::Delete, path)
    }

    /// Adds a query parameter.
    pub fn query(mut self, name: impl Into<String>, value: impl ToString) -> Self {
        self.query.push((name.into(), value.to_string()));
        self
    }

    /// Adds a header.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sets a JSON body (and its `Content-Type`).
    pub fn json(mut self, body: &serde_json::Value) -> Self {
        self.headers
            .push(("content-type".into(), "application/json".into()));
        self.body = Some(body.to_string().into_bytes());
        self
    }

    /// The value of query parameter `name`, if set.
    pub fn query_value(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Sets query parameter `name`, replacing any value it had.
    pub fn set_query(&mut self, name: &str, value: impl ToString) {
        self.query.retain(|(k, _)| k != name);
        self.query.push((name.to_owned(), value.to_string()));
    }
}

/// A whole response: what a [`Transport`] answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// Headers, in order; names are matched case-insensitively.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Response {
    /// A `200` with a JSON body, as an offline transport answers.
    pub fn json(body: &serde_json::Value) -> Self {
        Response {
            status: 200,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.to_string().into_bytes(),
        }
    }

    /// A response with `status` and a plain-text body.
    pub fn status(status: u16, body: impl Into<String>) -> Self {
        Response {
            status,
            headers: vec![("content-type".into(), "text/plain".into())],
            body: body.into().into_bytes(),
        }
    }

    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }

    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

fn header<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// The seam between an SDK and the network: one request in, one response out.
///
/// [`HttpTransport`] sends it over HTTP; a provider's offline transport answers it from
/// a generator, so tests and demos run without network. Any status is a response, not
/// an error: the layers in [`ApiClient`] decide what a `429` or a `500` means.
pub trait Transport: Send + Sync {
    /// Sends `request` and reads the whole response.
    fn send(&self, request: Request) -> BoxFuture<'_, Result<Response, TransportError>>;
}
