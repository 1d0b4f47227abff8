//! OAuth through the host: an expired token is refreshed once at the provider's token
//! endpoint (a fake that rotates refresh tokens, on 127.0.0.1), written back into the
//! stored credential before it is used, and every later client is built from the
//! rotated set.

use std::sync::Arc;

use tento::connector::{Owner, Request, RowKeySchema};
use tento::testing::FakeTokenEndpoint;
use tento_example_host::{Host, HostUserAuth, RowKeys};

const KEY: &str = ":~myprovider:acct-1:activities";

#[tokio::test]
async fn an_expired_token_is_refreshed_once_and_the_rotated_one_is_kept() {
    let provider = FakeTokenEndpoint::start("refresh-0").await;
    let mut user = HostUserAuth::new(Owner(uuid::Uuid::from_u128(7)));
    user.connect(
        "myprovider",
        "acct-1",
        serde_json::json!({
            "credentials": { "client_id": "c", "account": "acct-1", "token_url": provider.url() },
            "token": {
                "access_token": "old",
                "refresh_token": "refresh-0",
                "expires_at": "2020-01-01T00:00:00Z"
            }
        }),
    );
    let user = Arc::new(user);
    let host = Host::boot().unwrap();

    // Both stages build a client from the credential, and so do ten syncs at once.
    let report = host.sync(user.clone(), &[KEY.to_owned()]).await.unwrap();
    assert!(report.is_success(), "{report:?}");
    let ctx = host.ctx(&*user);
    let requests = (0..10).map(|_| {
        RowKeys::dispatch(
            KEY,
            Request::Sync {
                stage: "viewport".into(),
            },
            &ctx,
        )
    });
    for answer in futures::future::join_all(requests).await {
        answer.unwrap();
    }

    assert_eq!(provider.refreshes(), 1, "one refresh for every client built");
    assert_eq!(provider.presented(), ["refresh-0"]);
    let stored = user.stored_credential("myprovider", "acct-1").unwrap();
    assert_eq!(stored["token"]["access_token"], "access-1");
    assert_eq!(stored["token"]["refresh_token"], "refresh-1");
    assert_eq!(stored["credentials"]["account"], "acct-1");
}
