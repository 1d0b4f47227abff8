//! The example host, end to end: boot, auth, routing, both sync paths, the store.

#[path = "support/expected.rs"]
mod expected;
#[path = "support/fakes.rs"]
mod fakes;

use std::collections::HashSet;
use std::sync::Arc;

use expected::{expected_ids, ids};
use tento::connector::*;
use tento::sync::StageOutcome;
use tento::testing::FakeUserAuth;
use tento_example_host::{Host, HostUserAuth, RowKeys};
use tento_myprovider::connector::activities::Activities;
use tento_myprovider::connector::{MyProviderAuth, MyProviderParams};
use tento_myprovider::oauth::MyProviderOAuthCredentials;

const KEY: &str = ":~myprovider:acct-1:activities";

fn user() -> Arc<HostUserAuth> {
    let mut user = HostUserAuth::new(Owner(uuid::Uuid::from_u128(7)));
    user.connect(
        "myprovider",
        "acct-1",
        serde_json::json!({
            "credentials": { "client_id": "c", "account": "acct-1" },
            "token": { "access_token": "tok" }
        }),
    );
    Arc::new(user)
}

#[tokio::test]
async fn the_orchestrator_syncs_the_row_into_the_store_through_the_sync_plugin() {
    let host = Host::boot().unwrap();
    let user = user();
    let report = host.sync(user.clone(), &[KEY.to_owned()]).await.unwrap();
    assert!(report.is_success(), "{:?}", report);
    let stages: Vec<_> = report.rows[0].stages.iter().map(|s| s.stage).collect();
    assert_eq!(stages, ["viewport", "backfill"]);

    let cells = host.store.row(user.owner().row_id(KEY));
    assert_eq!(ids(&cells), expected_ids("backfill").await);
    assert!(
        cells.windows(2).all(|w| w[0].date <= w[1].date),
        "cells come back in date order"
    );
    let first = &cells[0];
    assert_eq!(first.data["id"], first.id.clone().unwrap());
    assert_eq!(
        first.date,
        tento::chrono::SemanticTime::from_partial(tento::chrono::PartialDate::Ymd(
            first.data["date"].as_str().unwrap().parse().unwrap()
        ))
    );

    // A second run refreshes the viewport and finds nothing left to backfill.
    let again = host.sync(user.clone(), &[KEY.to_owned()]).await.unwrap();
    assert_eq!(again.rows[0].stages[1].outcome, StageOutcome::Synced(0));
    assert_eq!(host.store.row(user.owner().row_id(KEY)).len(), cells.len());
}

#[tokio::test]
async fn a_sync_request_on_the_lookup_key_runs_the_rows_own_sync() {
    let host = Host::boot().unwrap();
    let user = user();
    let ctx = host.ctx(&*user);
    let synced = RowKeys::dispatch(
        KEY,
        Request::Sync {
            stage: "viewport".into(),
        },
        &ctx,
    )
    .await
    .unwrap();
    let Response::Synced(n) = synced else {
        panic!("sync answers a count, got {synced:?}")
    };
    let expected = expected_ids("viewport").await;
    assert_eq!(n, expected.len());

    let Response::Cells(cells) = RowKeys::dispatch(KEY, Request::List { range: None }, &ctx)
        .await
        .unwrap()
    else {
        panic!("list answers cells")
    };
    assert_eq!(ids(&cells), expected);

    let id = cells[0].id.clone().unwrap();
    let got = RowKeys::dispatch(KEY, Request::Get { cell_id: id.clone() }, &ctx)
        .await
        .unwrap();
    assert_eq!(got, Response::Cell(Some(cells[0].clone())));
}

#[tokio::test]
async fn routing_parses_the_auth_id_and_refuses_what_it_does_not_serve() {
    let m = RowKeys::resolve(KEY).unwrap();
    assert_eq!(m.params.get("authId"), Some("acct-1"));
    let key = Activities::lookup_key(
        &MyProviderParams {
            auth_id: "acct-1".into(),
        },
        &(),
    );
    assert_eq!(key, KEY);

    let host = Host::boot().unwrap();
    let user = user();
    let ctx = host.ctx(&*user);
    let post = RowKeys::dispatch(KEY, Request::Post { cell: sample_cell() }, &ctx)
        .await
        .unwrap_err();
    assert!(
        matches!(
            post.kind,
            DispatchErrorKind::Resolve(ResolveError::VerbNotAllowed { .. })
        ),
        "{post}"
    );
    for bad in [
        ":~myprovider::activities",
        ":~myprovider:acct-1:sleep",
        "activities",
        "",
    ] {
        assert!(RowKeys::resolve(bad).is_err(), "{bad}");
    }
}

fn sample_cell() -> Cell {
    Cell {
        id: None,
        date: tento::chrono::SemanticTime::from_partial(tento::chrono::PartialDate::Y(2024)),
        end_date: None,
        data: serde_json::Value::Null,
    }
}

#[tokio::test]
async fn a_user_without_the_account_gets_the_providers_auth_error() {
    let host = Host::boot().unwrap();
    let stranger = HostUserAuth::new(Owner(uuid::Uuid::from_u128(8)));
    let err = RowKeys::dispatch(KEY, Request::List { range: None }, &host.ctx(&stranger))
        .await
        .unwrap_err();
    assert!(matches!(err.kind, DispatchErrorKind::Client(_)));
    assert!(err.to_string().contains("no myprovider auth"), "{err}");

    let report = host.sync(Arc::new(stranger), &[KEY.to_owned()]).await.unwrap();
    assert!(
        matches!(&report.rows[0].stages[0].outcome, StageOutcome::Failed(m) if m.contains("no myprovider auth"))
    );
}

#[test]
fn the_boot_check_names_the_provider_deps_a_host_forgot_to_register() {
    let err = IntegrationDeps::new()
        .ensure_all_registered(RowKeys::schemas())
        .unwrap_err();
    let names: Vec<_> = err.names().collect();
    for provider in [
        "dyn tento_myprovider::connector::MyProviderBackendDeps",
        "dyn tento_myprovider_macros::connector::MyMacroProviderBackendDeps",
    ] {
        assert!(names.contains(&provider), "{names:?}");
    }
    assert_eq!(
        names.len(),
        RowKeys::schemas()
            .iter()
            .map(|r| r.deps.name())
            .collect::<HashSet<_>>()
            .len()
    );
    assert!(
        err.to_string().contains(":~myprovider:{authId}:activities"),
        "{err}"
    );
}

#[tokio::test]
async fn the_host_auth_match_types_the_credential_or_names_the_unknown_kind() {
    let user = user();
    let auth = user.auth::<MyProviderAuth>("acct-1").await.unwrap().unwrap();
    assert_eq!(
        auth.credentials,
        MyProviderOAuthCredentials {
            client_id: "c".into(),
            account: "acct-1".into(),
            token_url: None,
        }
    );

    let mut other = HostUserAuth::new(Owner(uuid::Uuid::from_u128(9)));
    other.connect("whoop", "w1", serde_json::json!({}));
    let err = other.credentials("whoop", "w1").await.err().unwrap();
    assert!(
        err.to_string().contains("no auth provider of kind `whoop`"),
        "{err}"
    );
}

#[tokio::test]
async fn the_providers_stub_deps_let_a_test_dispatch_without_the_host() {
    let creds: <MyProviderAuth as AuthProvider>::Credentials = serde_json::from_value(serde_json::json!({
        "credentials": { "client_id": "c", "account": "a" },
        "token": { "access_token": "tok" }
    }))
    .unwrap();
    let fake =
        fakes::fake_row_key_deps().with_user(FakeUserAuth::new().with::<MyProviderAuth>("acct-1", creds));
    fake.deps.ensure_all_registered(RowKeys::schemas()).unwrap();
    let answer = RowKeys::dispatch(
        KEY,
        Request::Sync {
            stage: "viewport".into(),
        },
        &fake.ctx(),
    )
    .await
    .unwrap();
    assert_eq!(answer, Response::Synced(expected_ids("viewport").await.len()));
    assert_eq!(
        ids(&fake.store.row(fake.user.owner().row_id(KEY))),
        expected_ids("viewport").await
    );
}

#[tokio::test]
async fn a_refreshed_token_set_is_written_back_into_the_stored_credential() {
    let user = user();
    let owner = user.owner();
    let next_request = (*user).clone();
    let key = AccountKey::new(owner, "myprovider", "acct-1");
    let fresh = tento::oauth::TokenSet {
        access_token: "new".into(),
        refresh_token: Some("r2".into()),
        expires_at: None,
    };
    user.token_store().unwrap().save(&key, &fresh).await.unwrap();
    assert_eq!(
        next_request.token_store().unwrap().load(&key).await.unwrap(),
        Some(fresh.clone())
    );
    // The next request resolves the new set, and the credential around it is intact.
    let auth = next_request
        .auth::<MyProviderAuth>("acct-1")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(auth.token, fresh);
    assert_eq!(auth.credentials.account, "acct-1");
    assert_eq!(auth.acquire_handle().await.unwrap().access_token, "new");

    let stranger = AccountKey::new(Owner(uuid::Uuid::from_u128(8)), "myprovider", "acct-1");
    assert!(user.token_store().unwrap().save(&stranger, &fresh).await.is_err());
}
