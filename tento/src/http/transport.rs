//! [`HttpTransport`]: the [`Transport`] seam over HTTP, on reqwest with rustls.

use std::time::Duration;

use futures::future::BoxFuture;

use super::{Method, Request, Response, Transport, TransportError};

/// Sends requests to one API over HTTP(S): a base URL, timeouts and a user agent.
///
/// A request's path is joined to the base URL; an absolute URL (a next-page link) is
/// sent only when it has the base URL's origin, so a bearer token never leaves for
/// another host.
#[derive(Clone, Debug)]
pub struct HttpTransport {
    base: reqwest::Url,
    client: reqwest::Client,
}

/// Builds an [`HttpTransport`]; from [`HttpTransport::builder`].
#[derive(Clone, Debug)]
pub struct HttpTransportBuilder {
    base_url: String,
    timeout: Duration,
    connect_timeout: Duration,
    user_agent: String,
}

impl HttpTransportBuilder {
    /// The most one attempt may take, reading the body included (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The most connecting may take (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The `User-Agent` sent (default `tento/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// The transport, or why the base URL or settings are not usable.
    pub fn build(self) -> Result<HttpTransport, TransportError> {
        let mut base = reqwest::Url::parse(&self.base_url).map_err(|e| {
            TransportError::Invalid(format!(
                "base URL `{}` is not an absolute URL ({e}); write it as `https://api.example.com`",
                self.base_url
            ))
        })?;
        if !matches!(base.scheme(), "http" | "https") || base.cannot_be_a_base() {
            return Err(TransportError::Invalid(format!(
                "base URL `{}` is not an http(s) URL; write it as `https://api.example.com`",
                self.base_url
            )));
        }
        // A base path joins like a directory: `https://h/v2` + `/things` = `https://h/v2/things`.
        if !base.path().ends_with('/') {
            let path = format!("{}/", base.path());
            base.set_path(&path);
        }
        let client = reqwest::Client::builder()
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout)
            .user_agent(self.user_agent)
            .build()
            .map_err(|e| TransportError::Invalid(format!("cannot build the HTTP client: {e}")))?;
        Ok(HttpTransport { base, client })
    }
}

impl HttpTransport {
    /// A builder for a transport to `base_url` (`https://api.acme.example`, or with a
    /// path prefix such as `https://acme.example/api/v2`).
    pub fn builder(base_url: impl Into<String>) -> HttpTransportBuilder {
        HttpTransportBuilder {
            base_url: base_url.into(),
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            user_agent: concat!("tento/", env!("CARGO_PKG_VERSION")).to_owned(),
        }
    }

    /// A transport to `base_url` with the default timeouts and user agent.
    pub fn new(base_url: impl Into<String>) -> Result<Self, TransportError> {
        Self::builder(base_url).build()
    }

    /// The base URL requests are joined to.
    pub fn base_url(&self) -> &str {
        self.base.as_str()
    }

    /// The URL `path` resolves to.
    fn url(&self, path: &str) -> Result<reqwest::Url, TransportError> {
        if path.contains("://") {
            let url = reqwest::Url::parse(path)
                .map_err(|e| TransportError::Invalid(format!("`{path}` is not a URL: {e}")))?;
            if url.origin() != self.base.origin() {
                return Err(TransportError::Invalid(format!(
                    "`{path}` is not on {}; a token is only sent to the API's own origin",
                    self.base.origin().ascii_serialization()
                )));
            }
            return Ok(url);
        }
        self.base
            .join(path.trim_start_matches('/'))
            .map_err(|e| TransportError::Invalid(format!("`{path}` does not join the base URL: {e}")))
    }

    async fn send_async(&self, request: Request) -> Result<Response, TransportError> {
        let mut url = self.url(&request.path)?;
        if !request.query.is_empty() {
            url.query_pairs_mut().extend_pairs(&request.query);
        }
        let method = match request.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Patch => reqwest::Method::PATCH,
            Method::Delete => reqwest::Method::DELETE,
        };
        let mut builder = self.client.request(method, url);
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        if let Some(body) = request.body {
            builder = builder.body(body);
        }
        let response = builder.send().await.map_err(classify)?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let body = response.bytes().await.map_err(|e| {
            if e.is_timeout() {
                TransportError::Timeout(chain(&e))
            } else {
                TransportError::Truncated {
                    status,
                    message: chain(&e),
                }
            }
        })?;
        Ok(Response {
            status,
            headers,
            body: body.into(),
        })
    }
}

impl Transport for HttpTransport {
    fn send(&self, request: Request) -> BoxFuture<'_, Result<Response, TransportError>> {
        Box::pin(self.send_async(request))
    }
}

fn classify(e: reqwest::Error) -> TransportError {
    if e.is_timeout() {
        TransportError::Timeout(chain(&e))
    } else if e.is_builder() {
        TransportError::Invalid(chain(&e))
    } else {
        TransportError::Connection(chain(&e))
    }
}

/// The error and its causes on one line: reqwest's own message is only "error sending
/// request", the useful part ("connection reset") is in its sources.
fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

/// A transport that could not be built, answering every request with why.
///
/// It lets an infallible constructor (an SDK client built `From` an OAuth handle) defer
/// a bad base URL to the first request, where it becomes a typed error naming the
/// provider and row, instead of a panic.
#[derive(Clone, Debug)]
pub struct BrokenTransport(String);

impl From<TransportError> for BrokenTransport {
    fn from(e: TransportError) -> Self {
        BrokenTransport(match e {
            TransportError::Invalid(m) => m,
            other => other.to_string(),
        })
    }
}

impl Transport for BrokenTransport {
    fn send(&self, _request: Request) -> BoxFuture<'_, Result<Response, TransportError>> {
        Box::pin(std::future::ready(Err(TransportError::Invalid(self.0.clone()))))
    }
}

impl HttpTransportBuilder {
    /// [`build`](Self::build), or a [`BrokenTransport`] that answers every request with
    /// why it could not be built.
    pub fn build_or_broken(self) -> std::sync::Arc<dyn Transport> {
        match self.build() {
            Ok(t) => std::sync::Arc::new(t),
            Err(e) => std::sync::Arc::new(BrokenTransport::from(e)),
        }
    }
}
