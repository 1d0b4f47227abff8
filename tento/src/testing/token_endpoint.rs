//! A provider's OAuth token endpoint, faked on 127.0.0.1 the way real providers behave
//! now: every refresh token works once, and each refresh issues the next one.

use std::sync::{Arc, Mutex, PoisonError};

use crate::http::local::{Incoming, Reply, Server};

/// A token endpoint that rotates refresh tokens: the first one given, then each one it
/// issues, is accepted once; a spent or unknown one gets `invalid_grant`. Point a
/// credential's token URL at [`url`](Self::url); it stops when dropped.
///
/// Refresh `n` issues access token `access-<n>` and refresh token `refresh-<n>`,
/// expiring in an hour.
pub struct FakeTokenEndpoint {
    server: Server,
    rotation: Arc<Mutex<Rotation>>,
}

#[derive(Default)]
struct Rotation {
    live_refresh_token: String,
    issued: usize,
    presented: Vec<String>,
}

impl FakeTokenEndpoint {
    /// An endpoint whose first valid refresh token is `first_refresh_token`.
    pub async fn start(first_refresh_token: &str) -> Self {
        let rotation = Arc::new(Mutex::new(Rotation {
            live_refresh_token: first_refresh_token.to_owned(),
            ..Rotation::default()
        }));
        let state = rotation.clone();
        let server = Server::start(move |request| {
            answer(&mut state.lock().unwrap_or_else(PoisonError::into_inner), request)
        })
        .await;
        FakeTokenEndpoint { server, rotation }
    }

    /// The token URL: `http://127.0.0.1:<port>/token`.
    pub fn url(&self) -> String {
        format!("{}/token", self.server.url())
    }

    /// How many refreshes succeeded.
    pub fn refreshes(&self) -> usize {
        self.rotation().issued
    }

    /// Every refresh token presented, in order, accepted or not.
    pub fn presented(&self) -> Vec<String> {
        self.rotation().presented.clone()
    }

    /// Requests answered, of any kind.
    pub fn hits(&self) -> usize {
        self.server.hits()
    }

    fn rotation(&self) -> std::sync::MutexGuard<'_, Rotation> {
        self.rotation.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn answer(rotation: &mut Rotation, request: &Incoming) -> Reply {
    let json = "application/json";
    if request.method != "POST" || request.form("grant_type").as_deref() != Some("refresh_token") {
        return Reply::with(400, json, r#"{"error":"unsupported_grant_type"}"#);
    }
    let presented = request.form("refresh_token").unwrap_or_default();
    rotation.presented.push(presented.clone());
    if presented != rotation.live_refresh_token {
        let body = r#"{"error":"invalid_grant","error_description":"unknown or spent refresh token"}"#;
        return Reply::with(400, json, body);
    }
    rotation.issued += 1;
    let n = rotation.issued;
    rotation.live_refresh_token = format!("refresh-{n}");
    let body = serde_json::json!({
        "access_token": format!("access-{n}"),
        "token_type": "Bearer",
        "expires_in": 3600,
        "refresh_token": rotation.live_refresh_token,
    });
    Reply::json(body)
}
