//! The retry and token layers of `tento::http::ApiClient` against a real server on
//! 127.0.0.1: what is retried, how long it waits, when it gives up, and 401 → refresh.
#![cfg(all(feature = "http", feature = "testing"))]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use futures::future::BoxFuture;
use tento::http::local::{Incoming, Reply, Server};
use tento::http::{ApiClient, HttpErrorKind, HttpTransport, Request, Retry, TransportError};
use tento::oauth::TokenSource;

/// Fast retries, so a test waits milliseconds, not seconds, unless the server says so.
fn quick() -> Retry {
    Retry {
        max_attempts: 4,
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(40),
        max_elapsed: Duration::from_secs(10),
        max_retry_after: Duration::from_secs(5),
    }
}

fn api(server: &Server) -> ApiClient {
    let transport = HttpTransport::builder(server.url())
        .timeout(Duration::from_millis(500))
        .build()
        .unwrap();
    ApiClient::new("acme", Arc::new(transport)).with_retry(quick())
}

fn ok() -> Reply {
    Reply::json(serde_json::json!({ "ok": true, "n": 1 }))
}

/// Answers `first` to the first `times` requests, then 200.
fn fails_then_ok(
    times: usize,
    first: impl Fn() -> Reply + Send + Sync + 'static,
) -> impl Fn(&Incoming) -> Reply {
    move |r: &Incoming| if r.n < times { first() } else { ok() }
}

async fn get(api: &ApiClient) -> Result<serde_json::Value, tento::http::HttpError> {
    api.json("activities", Request::get("/activities")).await
}

fn gap(server: &Server, a: usize, b: usize) -> Duration {
    let r = server.requests();
    r[b].at - r[a].at
}

#[tokio::test]
async fn a_429_waits_the_retry_after_seconds() {
    let server = Server::start(fails_then_ok(1, || {
        Reply::with(429, "text/plain", "slow down").header("retry-after", "1")
    }))
    .await;
    let body = get(&api(&server)).await.unwrap();
    assert_eq!(body["n"], 1);
    assert_eq!(server.hits(), 2);
    assert!(
        gap(&server, 0, 1) >= Duration::from_secs(1),
        "waited {:?}",
        gap(&server, 0, 1)
    );
}

#[tokio::test]
async fn a_429_waits_until_the_retry_after_date() {
    let server = Server::start(fails_then_ok(1, || {
        let at = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(2));
        Reply::with(429, "text/plain", "slow down").header("retry-after", &at)
    }))
    .await;
    get(&api(&server)).await.unwrap();
    assert_eq!(server.hits(), 2);
    // The date has whole seconds: two seconds ahead is at least one second of waiting.
    assert!(
        gap(&server, 0, 1) >= Duration::from_secs(1),
        "waited {:?}",
        gap(&server, 0, 1)
    );
}

#[tokio::test]
async fn a_429_without_retry_after_backs_off_and_retries() {
    let server = Server::start(fails_then_ok(2, || Reply::with(429, "text/plain", "slow down"))).await;
    get(&api(&server)).await.unwrap();
    assert_eq!(server.hits(), 3);
    // Equal jitter keeps at least half of each backoff: 5 ms then 10 ms.
    assert!(gap(&server, 0, 2) >= Duration::from_millis(15));
}

#[tokio::test]
async fn a_503_is_retried() {
    let server = Server::start(fails_then_ok(2, || Reply::with(503, "text/plain", "maintenance"))).await;
    assert_eq!(get(&api(&server)).await.unwrap()["n"], 1);
    assert_eq!(server.hits(), 3);
}

#[tokio::test]
async fn a_reset_connection_is_retried() {
    let server = Server::start(fails_then_ok(1, || Reply::Reset)).await;
    assert_eq!(get(&api(&server)).await.unwrap()["n"], 1);
    assert_eq!(server.hits(), 2);
}

#[tokio::test]
async fn a_timeout_is_retried() {
    let server = Server::start(fails_then_ok(1, || Reply::Hang(Duration::from_secs(2)))).await;
    assert_eq!(get(&api(&server)).await.unwrap()["n"], 1);
    assert_eq!(server.hits(), 2);
}

#[tokio::test]
async fn the_attempt_budget_runs_out_with_a_typed_error() {
    let server = Server::start(|_: &Incoming| Reply::with(503, "text/plain", "down for good")).await;
    let err = get(&api(&server)).await.unwrap_err();
    assert_eq!(server.hits(), 4, "max_attempts, then no more");
    let HttpErrorKind::BudgetExhausted { status, attempts, .. } = &err.kind else {
        panic!("expected an exhausted budget, got {err}")
    };
    assert_eq!((*status, *attempts), (Some(503), 4));
    let message = err.to_string();
    for part in ["acme", "activities", "503", "GET /activities", "down for good"] {
        assert!(message.contains(part), "{message} lacks {part}");
    }
}

#[tokio::test]
async fn the_time_budget_runs_out_before_sleeping_past_it() {
    let server =
        Server::start(|_: &Incoming| Reply::with(503, "text/plain", "down").header("retry-after", "2")).await;
    let api = api(&server).with_retry(Retry {
        max_elapsed: Duration::from_secs(1),
        ..quick()
    });
    let started = std::time::Instant::now();
    let err = get(&api).await.unwrap_err();
    assert!(
        matches!(
            err.kind,
            HttpErrorKind::BudgetExhausted {
                status: Some(503),
                attempts: 1,
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(server.hits(), 1);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "it did not sleep the 2 s it could not afford"
    );
}

#[tokio::test]
async fn a_retry_after_of_a_year_is_refused_not_slept() {
    let server =
        Server::start(|_: &Incoming| Reply::with(429, "text/plain", "").header("retry-after", "31536000"))
            .await;
    let started = std::time::Instant::now();
    let err = get(&api(&server)).await.unwrap_err();
    let HttpErrorKind::RetryAfterTooLong { status, after, .. } = &err.kind else {
        panic!("expected a refused Retry-After, got {err}")
    };
    assert_eq!((*status, *after), (429, Duration::from_secs(31_536_000)));
    assert_eq!(server.hits(), 1);
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(err.to_string().contains("acme activities"), "{err}");
}

#[tokio::test]
async fn client_errors_and_non_idempotent_5xx_are_not_retried() {
    let server = Server::start(|r: &Incoming| match r.path.as_str() {
        "/missing" => Reply::with(404, "application/json", r#"{"message":"no such thing"}"#),
        _ => Reply::with(503, "text/plain", "down"),
    })
    .await;
    let api = api(&server);
    let err = api
        .json::<serde_json::Value>("things", Request::get("/missing"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err.kind, HttpErrorKind::Status { status: 404, body } if body.contains("no such thing")),
        "{err}"
    );
    assert_eq!(err.status(), Some(404));
    let post = Request::new(tento::http::Method::Post, "/things").json(&serde_json::json!({"a": 1}));
    let err = api.send("things", post).await.unwrap_err();
    assert!(
        matches!(err.kind, HttpErrorKind::Status { status: 503, .. }),
        "{err}"
    );
    assert_eq!(server.hits(), 2, "neither was sent twice");
}

#[tokio::test]
async fn a_truncated_body_is_a_typed_error() {
    let server = Server::start(|_: &Incoming| Reply::Truncate {
        status: 200,
        declared: 100,
        body: br#"{"data": [1, 2"#.to_vec(),
    })
    .await;
    let err = get(&api(&server).with_retry(Retry::never())).await.unwrap_err();
    assert!(
        matches!(
            &err.kind,
            HttpErrorKind::Transport(TransportError::Truncated { status: 200, .. })
        ),
        "{err}"
    );
    assert_eq!(err.status(), Some(200));
    // Retried like any broken connection, within the budget.
    let err = get(&api(&server)).await.unwrap_err();
    assert!(
        matches!(
            err.kind,
            HttpErrorKind::BudgetExhausted {
                status: Some(200),
                attempts: 4,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("truncated"), "{err}");
    assert_eq!(server.hits(), 5);
}

#[tokio::test]
async fn a_base_url_that_is_not_one_is_refused() {
    for bad in ["api.acme.example", "ftp://acme.example", "mailto:a@b.c", ""] {
        let err = HttpTransport::new(bad).unwrap_err();
        assert!(matches!(err, TransportError::Invalid(_)), "{bad}: {err}");
        assert!(err.to_string().contains("https://"), "{bad}: {err}");
    }
}

#[tokio::test]
async fn urls_off_the_api_origin_never_get_the_token() {
    let server = Server::start(|_: &Incoming| ok()).await;
    let api = api(&server).with_tokens(Arc::new(Tokens::new(None)));
    let err = api
        .send("things", Request::get("http://127.0.0.2:9/steal"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err.kind, HttpErrorKind::Transport(TransportError::Invalid(m)) if m.contains("origin")),
        "{err}"
    );
    assert_eq!(server.hits(), 0);
}

/// A token source as OAuth would be: `access_token` reads the current token, and
/// `refresh_rejected` asks the server's token endpoint for a new one.
struct Tokens {
    current: std::sync::Mutex<String>,
    token_endpoint: Option<ApiClient>,
    refreshes: AtomicUsize,
}

impl Tokens {
    fn new(token_endpoint: Option<ApiClient>) -> Self {
        Tokens {
            current: std::sync::Mutex::new("token-1".into()),
            token_endpoint,
            refreshes: AtomicUsize::new(0),
        }
    }

    async fn refresh(&self, rejected: &str) -> anyhow::Result<String> {
        self.refreshes.fetch_add(1, Ordering::SeqCst);
        let endpoint = self.token_endpoint.as_ref().expect("a token endpoint");
        let token: serde_json::Value = endpoint
            .json(
                "token",
                Request::new(tento::http::Method::Post, "/token")
                    .json(&serde_json::json!({ "rejected": rejected })),
            )
            .await?;
        let fresh = token["access_token"].as_str().unwrap_or_default().to_owned();
        *self.current.lock().unwrap() = fresh.clone();
        Ok(fresh)
    }
}

impl TokenSource for Tokens {
    fn access_token(&self) -> BoxFuture<'_, anyhow::Result<String>> {
        let token = self.current.lock().unwrap().clone();
        Box::pin(async move { Ok(token) })
    }

    fn refresh_rejected<'a>(&'a self, rejected: &'a str) -> BoxFuture<'a, anyhow::Result<String>> {
        Box::pin(self.refresh(rejected))
    }
}

fn token_server(access_token: &'static str) -> impl Fn(&Incoming) -> Reply {
    move |r: &Incoming| match (r.path.as_str(), r.header("authorization")) {
        ("/token", _) => Reply::json(serde_json::json!({ "access_token": "token-2" })),
        (_, Some(auth)) if auth == format!("Bearer {access_token}") => ok(),
        _ => Reply::with(401, "application/json", r#"{"error":"invalid_token"}"#),
    }
}

#[tokio::test]
async fn a_401_refreshes_once_and_retries_once() {
    let server = Server::start(token_server("token-2")).await;
    let tokens = Arc::new(Tokens::new(Some(api(&server))));
    let api = api(&server).with_tokens(tokens.clone());
    assert_eq!(get(&api).await.unwrap()["n"], 1);
    assert_eq!(tokens.refreshes.load(Ordering::SeqCst), 1);
    let seen: Vec<_> = server
        .requests()
        .iter()
        .map(|r| format!("{} {}", r.path, r.header("authorization").unwrap_or("-")))
        .collect();
    assert_eq!(
        seen,
        [
            "/activities Bearer token-1",
            "/token -",
            "/activities Bearer token-2"
        ]
    );
    // The refreshed token is the one used from now on, without another refresh.
    get(&api).await.unwrap();
    assert_eq!(tokens.refreshes.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_second_401_is_unauthorized_not_a_loop() {
    let server = Server::start(token_server("never-valid")).await;
    let tokens = Arc::new(Tokens::new(Some(api(&server))));
    let err = get(&api(&server).with_tokens(tokens.clone())).await.unwrap_err();
    assert!(
        matches!(err.kind, HttpErrorKind::Unauthorized { status: 401 }),
        "{err}"
    );
    assert_eq!(tokens.refreshes.load(Ordering::SeqCst), 1);
    assert_eq!(server.hits(), 3, "request, token, retried request");
}

#[tokio::test]
async fn a_token_endpoint_answering_500_is_a_typed_token_error() {
    let server = Server::start(|r: &Incoming| match r.path.as_str() {
        "/token" => Reply::with(500, "text/plain", "token service down"),
        _ => Reply::with(401, "application/json", r#"{"error":"expired"}"#),
    })
    .await;
    let endpoint = api(&server).with_retry(Retry::never());
    let tokens = Arc::new(Tokens::new(Some(endpoint)));
    let err = get(&api(&server).with_tokens(tokens)).await.unwrap_err();
    let HttpErrorKind::Token(cause) = &err.kind else {
        panic!("expected a token error, got {err}")
    };
    assert!(format!("{cause:#}").contains("500"), "{cause:#}");
    let message = err.to_string();
    assert!(
        message.contains("acme activities") && message.contains("token service down"),
        "{message}"
    );
}

#[tokio::test]
async fn a_transport_that_could_not_be_built_fails_each_request_in_a_typed_way() {
    let transport = HttpTransport::builder("not a url").build_or_broken();
    let err = ApiClient::new("acme", transport)
        .send("sleep", Request::get("/sleep"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err.kind, HttpErrorKind::Transport(TransportError::Invalid(m)) if m.contains("not a url")),
        "{err}"
    );
    assert!(err.to_string().starts_with("acme sleep: GET /sleep"), "{err}");
}

#[tokio::test]
async fn a_fixed_bearer_token_refused_with_401_asks_for_a_reconnect() {
    let server =
        Server::start(|_: &Incoming| Reply::with(401, "application/json", r#"{"error":"revoked"}"#)).await;
    let api = api(&server).with_tokens(Arc::new(tento::http::BearerToken::new("t")));
    let err = get(&api).await.unwrap_err();
    let HttpErrorKind::Token(cause) = &err.kind else {
        panic!("expected a token error, got {err}")
    };
    assert!(cause.to_string().contains("reconnect"), "{cause}");
    assert_eq!(server.hits(), 1);
    assert_eq!(server.requests()[0].header("authorization"), Some("Bearer t"));
}
