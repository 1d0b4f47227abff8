//! OAuth refresh against a real token endpoint on 127.0.0.1: rotation, single flight,
//! 401 → refresh → retry, and the typed errors a host shows.

use std::sync::{Arc, Mutex};

use futures::future::BoxFuture;
use serde::{Deserialize, Serialize};
use tento::chrono::NaiveDate;
use tento::connector::{AccountKey, AuthProvider, Owner, UserAuthExt};
use tento::http::local::{Incoming as Request, Reply, Server};
use tento::oauth::{
    Auth, MemoryTokenStore, OAuthCredentials, OAuthError, TokenEndpoint, TokenSet, TokenSource,
};
use tento::testing::{FakeTokenEndpoint, FakeUserAuth};

#[derive(Clone, Debug, Serialize, Deserialize)]
struct AcmeCreds {
    token_url: String,
}

impl OAuthCredentials for AcmeCreds {
    fn refresh<'a>(&'a self, refresh_token: &'a str) -> BoxFuture<'a, anyhow::Result<TokenSet>> {
        Box::pin(async move {
            let endpoint = TokenEndpoint::new("Acme", &self.token_url, "client-1")
                .client_secret(Some("s3cret".into()))
                .scopes(["read", "write"]);
            Ok(endpoint.refresh(refresh_token).await?)
        })
    }
}

struct AcmeAuth;
impl AuthProvider for AcmeAuth {
    const KIND: &'static str = "acme";
    type AuthId = str;
    type Credentials = Auth<AcmeCreds>;
}

/// A provider that rotates refresh tokens: each refresh token works once, and only the
/// last access token it issued is accepted by its API.
#[derive(Default)]
struct Rotating {
    issued: usize,
    refresh_token: String,
    access_token: Option<String>,
    /// Refresh tokens presented, in order.
    presented: Vec<String>,
}

impl Rotating {
    fn new(first_refresh_token: &str) -> Arc<Mutex<Self>> {
        Arc::new(Mutex::new(Rotating {
            refresh_token: first_refresh_token.into(),
            ..Default::default()
        }))
    }

    fn answer(&mut self, req: &Request) -> Reply {
        if req.path == "/token" {
            assert_eq!(req.method, "POST");
            assert_eq!(req.header("authorization"), Some("Basic Y2xpZW50LTE6czNjcmV0"));
            assert_eq!(req.form("grant_type").as_deref(), Some("refresh_token"));
            assert_eq!(req.form("scope").as_deref(), Some("read write"));
            let presented = req.form("refresh_token").unwrap_or_default();
            self.presented.push(presented.clone());
            if presented != self.refresh_token {
                let body = r#"{"error":"invalid_grant","error_description":"refresh token already used"}"#;
                return Reply::with(400, "application/json", body);
            }
            self.issued += 1;
            self.refresh_token = format!("r{}", self.issued + 1);
            let access = format!("a{}", self.issued);
            self.access_token = Some(access.clone());
            let body = serde_json::json!({
                "access_token": access, "token_type": "Bearer", "expires_in": 3600,
                "refresh_token": self.refresh_token,
            });
            return Reply::json(body);
        }
        let bearer = req
            .header("authorization")
            .and_then(|h| h.strip_prefix("Bearer "));
        match (bearer, &self.access_token) {
            (Some(b), Some(live)) if b == live => Reply::with(200, "application/json", r#"{"me":"ada"}"#),
            _ => Reply::with(401, "application/json", r#"{"error":"invalid_token"}"#),
        }
    }
}

async fn rotating_server(first_refresh_token: &str) -> (Server, Arc<Mutex<Rotating>>) {
    let provider = Rotating::new(first_refresh_token);
    let p = provider.clone();
    let server = Server::start(move |req| p.lock().unwrap().answer(req)).await;
    (server, provider)
}

fn a_long_time_ago() -> chrono::DateTime<chrono::Utc> {
    NaiveDate::from_ymd_opt(2020, 1, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap()
        .and_utc()
}

fn stored(server: &Server, access: &str, refresh: Option<&str>, expired: bool) -> Auth<AcmeCreds> {
    Auth {
        credentials: AcmeCreds {
            token_url: format!("{}/token", server.url()),
        },
        token: TokenSet {
            access_token: access.into(),
            refresh_token: refresh.map(Into::into),
            expires_at: expired.then(a_long_time_ago),
        },
    }
}

fn key(user: &FakeUserAuth) -> AccountKey {
    AccountKey::new(tento::connector::UserAuth::owner(user), "acme", "acct")
}

#[tokio::test]
async fn the_second_refresh_uses_the_rotated_token_and_the_old_one_is_refused() {
    let (server, provider) = rotating_server("r1").await;
    // The host's credential keeps its stale token set, as a host that only updates its
    // token store would: every resolve starts from `r1`.
    let user = FakeUserAuth::new().with::<AcmeAuth>("acct", stored(&server, "a0", Some("r1"), true));

    let first = user.auth::<AcmeAuth>("acct").await.unwrap().unwrap();
    assert_eq!(first.acquire_handle().await.unwrap().access_token, "a1");
    // Two hours on, the refreshed token has expired too: the next refresh must spend `r2`.
    let later = chrono::Utc::now() + chrono::Duration::hours(2);
    let second = user.auth::<AcmeAuth>("acct").await.unwrap().unwrap();
    assert_eq!(second.acquire_handle_at(later).await.unwrap().access_token, "a2");

    assert_eq!(provider.lock().unwrap().presented, ["r1", "r2"]);
    let saved = user.tokens().get(&key(&user)).unwrap();
    assert_eq!(
        (saved.access_token.as_str(), saved.refresh_token.as_deref()),
        ("a2", Some("r3"))
    );

    // The server does rotate: the spent token is refused, as a typed reconnect error.
    let endpoint = TokenEndpoint::new("Acme", format!("{}/token", server.url()), "client-1")
        .client_secret(Some("s3cret".into()))
        .scopes(["read", "write"]);
    let refused = endpoint.refresh("r1").await.unwrap_err();
    assert!(refused.is_reconnect_needed(), "{refused}");
}

#[tokio::test]
async fn fifty_concurrent_acquisitions_of_one_account_refresh_once() {
    let (server, provider) = rotating_server("r1").await;
    let user =
        Arc::new(FakeUserAuth::new().with::<AcmeAuth>("acct", stored(&server, "a0", Some("r1"), true)));
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let user = user.clone();
            tokio::spawn(async move {
                let auth = user.auth::<AcmeAuth>("acct").await?.expect("stored");
                anyhow::Ok(auth.acquire_handle().await?.access_token)
            })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap(), "a1");
    }
    assert_eq!(server.hits(), 1, "one refresh for fifty acquisitions");
    assert_eq!(provider.lock().unwrap().presented, ["r1"]);
}

/// What `tento::http` does with a [`TokenSource`]: send its token, and on a 401 ask for a
/// new one once and retry once.
async fn get_with_retry_on_401(url: &str, tokens: &dyn TokenSource) -> anyhow::Result<(u16, usize)> {
    let http = reqwest::Client::new();
    let token = tokens.access_token().await?;
    let status = http.get(url).bearer_auth(&token).send().await?.status();
    if status != 401 {
        return Ok((status.as_u16(), 1));
    }
    let token = tokens.refresh_rejected(&token).await?;
    Ok((
        http.get(url).bearer_auth(&token).send().await?.status().as_u16(),
        2,
    ))
}

#[tokio::test]
async fn a_401_refreshes_once_and_the_retry_succeeds() {
    let (server, provider) = rotating_server("r1").await;
    // The token has no expiry, but the provider revoked it: only a 401 tells.
    let user = FakeUserAuth::new().with::<AcmeAuth>("acct", stored(&server, "a0", Some("r1"), false));
    let handle = user
        .auth::<AcmeAuth>("acct")
        .await
        .unwrap()
        .unwrap()
        .acquire_handle()
        .await
        .unwrap();
    assert_eq!(
        handle.access_token, "a0",
        "a live token is used without a refresh"
    );
    let (status, attempts) = get_with_retry_on_401(&format!("{}/me", server.url()), &handle)
        .await
        .unwrap();
    assert_eq!((status, attempts), (200, 2));
    assert_eq!(provider.lock().unwrap().presented, ["r1"]);
    assert_eq!(server.hits(), 3, "401, refresh, retry");
    // A second caller still holding the rejected token gets the replacement, no refresh.
    assert_eq!(handle.refresh_rejected("a0").await.unwrap(), "a1");
    assert_eq!(server.hits(), 3);
}

#[tokio::test]
async fn the_refreshed_set_is_stored_before_its_access_token_is_used() {
    let tokens = MemoryTokenStore::shared();
    let user = FakeUserAuth::new().with_token_store(tokens.clone());
    let owner = tento::connector::UserAuth::owner(&user);
    let seen = tokens.clone();
    // The API answers 200 only when the token it is shown is already in the host's store.
    let provider = Rotating::new("r1");
    let p = provider.clone();
    let server = Server::start(move |req| {
        let mut p = p.lock().unwrap();
        if req.path == "/token" {
            return p.answer(req);
        }
        let shown = req
            .header("authorization")
            .unwrap_or_default()
            .trim_start_matches("Bearer ");
        let saved = seen.get(&AccountKey::new(owner, "acme", "acct"));
        match saved {
            Some(set) if set.access_token == shown => p.answer(req),
            _ => Reply::with(409, "text/plain", "used before it was stored"),
        }
    })
    .await;
    let user = user.with::<AcmeAuth>("acct", stored(&server, "a0", Some("r1"), true));
    let handle = user
        .auth::<AcmeAuth>("acct")
        .await
        .unwrap()
        .unwrap()
        .acquire_handle()
        .await
        .unwrap();
    let (status, _) = get_with_retry_on_401(&format!("{}/me", server.url()), &handle)
        .await
        .unwrap();
    assert_eq!(status, 200);
}

/// A store that cannot save: the refreshed token must then never be handed out.
struct Broken;
impl tento::oauth::TokenStore for Broken {
    fn load<'a>(&'a self, _: &'a AccountKey) -> BoxFuture<'a, anyhow::Result<Option<TokenSet>>> {
        Box::pin(async { Ok(None) })
    }
    fn save<'a>(&'a self, _: &'a AccountKey, _: &'a TokenSet) -> BoxFuture<'a, anyhow::Result<()>> {
        Box::pin(async { anyhow::bail!("disk full") })
    }
}

#[tokio::test]
async fn a_refresh_the_store_cannot_save_is_not_used() {
    let (server, _provider) = rotating_server("r1").await;
    let auth = stored(&server, "a0", Some("r1"), true);
    let account = tento::oauth::TokenAccount {
        key: AccountKey::new(Owner(uuid::Uuid::nil()), "acme", "acct"),
        store: Arc::new(Broken),
    };
    let err = auth
        .acquire_for(Some(account), chrono::Utc::now())
        .await
        .unwrap_err();
    let text = format!("{err:#}");
    assert!(
        text.contains("storing the refreshed acme token of account `acct`"),
        "{text}"
    );
    assert!(text.contains("disk full"), "{text}");
}

#[tokio::test]
async fn invalid_grant_is_a_typed_reconnect_error_naming_the_account() {
    let (server, _provider) = rotating_server("r1").await;
    let user = FakeUserAuth::new().with::<AcmeAuth>("acct", stored(&server, "a0", Some("revoked"), true));
    let err = user
        .auth::<AcmeAuth>("acct")
        .await
        .unwrap()
        .unwrap()
        .acquire_handle()
        .await
        .unwrap_err();
    match err.downcast_ref::<OAuthError>() {
        Some(OAuthError::ReconnectNeeded {
            provider,
            auth_id,
            reason,
        }) => {
            assert_eq!((provider.as_str(), auth_id.as_deref()), ("Acme", Some("acct")));
            assert!(reason.contains("refresh token already used"), "{reason}");
        }
        other => panic!("expected ReconnectNeeded, got {other:?} ({err:#})"),
    }
    assert!(
        err.to_string()
            .starts_with("the Acme account `acct` must be reconnected"),
        "{err}"
    );
    assert!(user.tokens().get(&key(&user)).is_none(), "nothing stored");
}

#[tokio::test]
async fn a_failing_token_endpoint_is_a_typed_error_naming_the_provider() {
    let cases: [(u16, &'static str, &str, &str); 3] = [
        (
            500,
            "text/html",
            "<html><body>Internal Server Error</body></html>",
            "(500): <html>",
        ),
        (
            200,
            "text/html",
            "<html>login</html>",
            "(200): not a token response",
        ),
        (
            503,
            "application/json",
            r#"{"error":"temporarily_unavailable"}"#,
            "(503): temporarily_unavailable",
        ),
    ];
    for (status, content_type, body, expected) in cases {
        let server = Server::start(move |_| Reply::with(status, content_type, body)).await;
        let endpoint = TokenEndpoint::new("Acme", format!("{}/token", server.url()), "client-1");
        let err = endpoint.refresh("r1").await.unwrap_err();
        assert!(
            matches!(&err, OAuthError::TokenEndpoint { provider, status: Some(s), .. } if provider == "Acme" && *s == status),
            "{err:?}"
        );
        let text = err.to_string();
        assert!(text.starts_with("Acme's token endpoint failed"), "{text}");
        assert!(text.contains(expected), "{text}");
        assert_eq!(server.hits(), 1, "no retry of a refresh");
    }

    // Nothing listens: no status, and the URL in the message.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    let endpoint = TokenEndpoint::new("Acme", format!("http://{closed}/token"), "client-1");
    let err = endpoint.refresh("r1").await.unwrap_err();
    assert!(
        matches!(err, OAuthError::TokenEndpoint { status: None, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains(&closed.to_string()), "{err}");
}

#[tokio::test]
async fn the_fake_token_endpoint_rotates_like_a_provider() {
    let fake = FakeTokenEndpoint::start("first").await;
    let endpoint = TokenEndpoint::new("Acme", fake.url(), "client-1");
    let one = endpoint.refresh("first").await.unwrap();
    assert_eq!(
        (one.access_token.as_str(), one.refresh_token.as_deref()),
        ("access-1", Some("refresh-1"))
    );
    assert!(one.expires_at.is_some());
    assert!(endpoint.refresh("first").await.unwrap_err().is_reconnect_needed());
    assert_eq!(
        endpoint.refresh("refresh-1").await.unwrap().access_token,
        "access-2"
    );
    assert_eq!(fake.refreshes(), 2);
    assert_eq!(fake.presented(), ["first", "first", "refresh-1"]);
    assert_eq!(fake.hits(), 3);
}
