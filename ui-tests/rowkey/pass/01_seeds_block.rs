//! The seeds' block, verbatim: it compiles in a host, routes `:~myprovider:<id>:activities`
//! to `tento_myprovider::connector::activities::Activities` with `authId` parsed, and
//! dispatches `get` to it.
#![deny(warnings, missing_docs)]

use tento::connector::{AuthProvider, Request, Response, RowKeySchema, Verb};
use tento::testing::{FakeRowKeyDeps, FakeUserAuth};
use tento_myprovider::connector::{MyProviderAuth, MyProviderBackendDeps};

/// The host's routes.
#[derive(RowKeySchema)]
#[rowkey {
    [integration = ::tento_myprovider::connector::MyProvider] {
        ":~myprovider:{authId}" {
            ":activities" { get }
        }
    }
}]
pub struct RowKeys;

fn main() {
    let key = ":~myprovider:acct-1:activities";
    let m = RowKeys::resolve(key).unwrap();
    assert_eq!(m.params.get("authId"), Some("acct-1"));
    let route = &RowKeys::schemas()[m.route];
    assert_eq!(route.pattern, ":~myprovider:{authId}:activities");
    assert_eq!(route.row_type, "tento_myprovider::connector::activities::Activities");
    assert_eq!(route.kind, "myprovider");
    assert_eq!(route.verbs, [Verb::Get]);

    let creds: <MyProviderAuth as AuthProvider>::Credentials = serde_json::from_value(serde_json::json!({
        "credentials": { "client_id": "c", "account": "a" },
        "token": { "access_token": "tok" }
    }))
    .unwrap();
    let fake = FakeRowKeyDeps::new()
        .with_stub::<dyn MyProviderBackendDeps>()
        .with_user(FakeUserAuth::new().with::<MyProviderAuth>("acct-1", creds));
    fake.deps.ensure_all_registered(RowKeys::schemas()).unwrap();
    let get = Request::Get { cell_id: "act-1".into() };
    let answer = futures::executor::block_on(RowKeys::dispatch(key, get, &fake.ctx())).unwrap();
    // The row's `get` ran (against an empty store), with the client built for `acct-1`.
    assert_eq!(answer, Response::Cell(None));

    // A user without that account: the row's integration was asked for `acct-2`'s client.
    let other = ":~myprovider:acct-2:activities";
    let err = futures::executor::block_on(RowKeys::dispatch(other, Request::Get { cell_id: "x".into() }, &fake.ctx()))
        .unwrap_err();
    assert!(err.to_string().contains("no myprovider auth"), "{err}");
    // Only `get` is listed.
    assert!(RowKeys::route_for(key, Verb::List).is_err());
}
