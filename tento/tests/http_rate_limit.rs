//! The per-account rate limit of `tento::http`, against a real server on 127.0.0.1.
#![cfg(all(feature = "http", feature = "testing"))]

use std::sync::Arc;
use std::time::Duration;

use tento::http::local::{Incoming, Reply, Server};
use tento::http::{ApiClient, HttpTransport, RateLimit, Request, Retry};

fn api(server: &Server, account: &str) -> ApiClient {
    let transport = HttpTransport::new(server.url()).unwrap();
    ApiClient::new("acme", Arc::new(transport))
        .with_retry(Retry::never())
        .with_rate_limit(RateLimit::per_account(account, 20, Duration::from_secs(1)))
}

/// The most requests that arrived within any window of `window`, and how many arrived
/// in the window that starts with the first.
fn counts(server: &Server, window: Duration) -> (usize, usize) {
    let at: Vec<_> = server.requests().iter().map(|r| r.at).collect();
    let in_window = |i: usize| at.iter().filter(|t| **t >= at[i] && **t - at[i] < window).count();
    ((0..at.len()).map(in_window).max().unwrap(), in_window(0))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_syncs_of_one_account_share_its_rate_limit() {
    let server = Arc::new(Server::start(|_: &Incoming| Reply::json(serde_json::json!([]))).await);
    // Four syncs of one account, each with its own client, as four rows would have.
    let mut syncs = Vec::new();
    for _ in 0..4 {
        let api = api(&server, "acme:shared-account");
        syncs.push(tokio::spawn(async move {
            for _ in 0..10 {
                api.send("activities", Request::get("/activities")).await.unwrap();
            }
        }));
    }
    for sync in syncs {
        sync.await.unwrap();
    }
    assert_eq!(server.hits(), 40);
    // 20 per second, within 10%: no second holds more, the first second holds about that.
    let (most, first) = counts(&server, Duration::from_secs(1));
    assert!(most <= 22, "{most} requests within one second, limit 20");
    assert!(first >= 18, "{first} requests in the first second, limit 20");
}

#[tokio::test]
async fn another_account_has_its_own_limit() {
    let a = RateLimit::per_account("acme:a", 2, Duration::from_secs(60));
    let b = RateLimit::per_account("acme:b", 2, Duration::from_secs(60));
    assert!(Arc::ptr_eq(
        &a,
        &RateLimit::per_account("acme:a", 2, Duration::from_secs(60))
    ));
    assert!(!Arc::ptr_eq(&a, &b));
    assert_eq!(a.interval(), Duration::from_secs(30));
    // A limit of zero is read as one, so nothing hangs forever.
    assert_eq!(
        RateLimit::new(0, Duration::from_secs(1)).interval(),
        Duration::from_secs(1)
    );
}
