//! Errors that wrap a cause show it once, however they are printed, and token expiry
//! holds at the edge of time.

mod support;

use chrono::{DateTime, Duration, Utc};
use support::DemoKeys;
use tento::connector::*;
use tento::oauth::TokenSet;
use tento::testing::FakeRowKeyDeps;

/// How often `needle` shows in the error printed with its whole chain (`{:#}`), the
/// way hosts and the orchestrator's reports print errors.
fn times_in_chain(err: impl Into<anyhow::Error>, needle: &str) -> usize {
    format!("{:#}", err.into()).matches(needle).count()
}

#[tokio::test]
async fn a_dispatch_error_shows_its_cause_once() {
    let fake = FakeRowKeyDeps::new();
    let ctx = DispatchCtx {
        user: &fake.user,
        deps: &fake.deps,
        store: &*fake.store,
    };
    let err = DemoKeys::dispatch(":~nope:a1:rows", Request::List { range: None }, &ctx)
        .await
        .unwrap_err();
    let shown = format!("{:#}", anyhow::Error::from(err));
    assert_eq!(shown.matches("no route matches").count(), 1, "{shown}");
    assert!(shown.starts_with(":~nope:a1:rows: "), "{shown}");

    // A missing deps registration, through a route that resolves.
    let err = DemoKeys::dispatch(":~demo:a1:plain", Request::List { range: None }, &ctx)
        .await
        .unwrap_err();
    let cause = err.kind.to_string();
    assert_eq!(times_in_chain(err, &cause), 1);
}

#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct Token {
    token: String,
}

struct Kind;
impl AuthProvider for Kind {
    const KIND: &'static str = "kind";
    type AuthId = str;
    type Credentials = Token;
}

#[test]
fn an_auth_decode_error_shows_the_decoders_complaint_once() {
    let err = decode_credentials::<Kind>(serde_json::json!({})).unwrap_err();
    let shown = format!("{err:#}");
    assert_eq!(shown.matches("missing field `token`").count(), 1, "{shown}");
    assert!(shown.contains("does not decode as"), "{shown}");
    assert!(matches!(
        err.downcast_ref::<AuthError>(),
        Some(AuthError::Decode { kind: "kind", .. })
    ));
}

fn expiring(at: Option<DateTime<Utc>>) -> TokenSet {
    TokenSet {
        access_token: "t".into(),
        refresh_token: None,
        expires_at: at,
    }
}

#[test]
fn token_expiry_is_answered_at_the_end_of_time_without_overflow() {
    let end = DateTime::<Utc>::MAX_UTC;
    assert!(expiring(Some(end)).is_expired_at(end));
    assert!(expiring(Some(end)).is_expired_at(end - Duration::seconds(30)));
    assert!(!expiring(Some(end)).is_expired_at(end - Duration::minutes(2)));
    assert!(!expiring(None).is_expired_at(end));
    let start = DateTime::<Utc>::MIN_UTC;
    assert!(!expiring(Some(start + Duration::minutes(2))).is_expired_at(start));
    assert!(expiring(Some(start)).is_expired_at(start));
}
