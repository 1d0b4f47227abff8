//! The boot check and typed credential lookup.

mod support;

use std::sync::Arc;

use support::*;
use tento::connector::*;
use tento::testing::FakeUserAuth;

struct Both;
impl DemoDeps for Both {
    fn persist(&self, _: uuid::Uuid, _: Vec<Cell>) -> futures::future::BoxFuture<'_, anyhow::Result<usize>> {
        Box::pin(async { Ok(0) })
    }
}
impl OtherDeps for Both {}

#[test]
fn ensure_all_registered_names_every_missing_trait_with_its_routes() {
    let mut integrations = IntegrationDeps::new();
    let err = integrations
        .ensure_all_registered(DemoKeys::schemas())
        .unwrap_err();
    let names: Vec<_> = err.names().collect();
    assert_eq!(names.len(), 2, "{err}");
    assert!(names.iter().any(|n| n.ends_with("DemoDeps")), "{err}");
    assert!(names.iter().any(|n| n.ends_with("OtherDeps")), "{err}");
    let text = err.to_string();
    assert!(
        text.starts_with("2 integration deps are not registered"),
        "{text}"
    );
    assert!(
        text.contains(":~demo:{authId}:plain, :~demo:{authId}:synced"),
        "{text}"
    );
    assert!(
        text.contains("add `integrations.register::<dyn deps_and_auth::support::OtherDeps>("),
        "{text}"
    );

    let deps = Arc::new(Both);
    integrations.register::<dyn DemoDeps>(deps.clone() as Arc<dyn DemoDeps>);
    let err = integrations
        .ensure_all_registered(DemoKeys::schemas())
        .unwrap_err();
    assert_eq!(err.names().count(), 1);
    assert!(
        err.to_string()
            .starts_with("1 integration deps is not registered"),
        "{err}"
    );
    assert!(err.to_string().contains("OtherDeps"));

    integrations.register::<dyn OtherDeps>(deps as Arc<dyn OtherDeps>);
    integrations.ensure_all_registered(DemoKeys::schemas()).unwrap();
}

#[tokio::test]
async fn auth_returns_present_credentials_typed() {
    let user = FakeUserAuth::new().with::<DemoAuth>("a1", DemoCreds { token: "t".into() });
    let creds = user.auth::<DemoAuth>("a1").await.unwrap().unwrap();
    assert_eq!(creds, DemoCreds { token: "t".into() });
    let as_dyn: &dyn UserAuth = &user;
    assert!(as_dyn.auth::<DemoAuth>("a1").await.unwrap().is_some());
}

#[tokio::test]
async fn auth_returns_none_for_absent_credentials() {
    let user = FakeUserAuth::new().with::<DemoAuth>("a1", DemoCreds { token: "t".into() });
    assert_eq!(user.auth::<DemoAuth>("a2").await.unwrap(), None);
    assert_eq!(FakeUserAuth::new().auth::<DemoAuth>("a1").await.unwrap(), None);
}

#[tokio::test]
async fn auth_refuses_credentials_of_the_wrong_type() {
    let user = FakeUserAuth::new().with_raw("demo", "a1", String::from("not demo creds"));
    let err = user.auth::<DemoAuth>("a1").await.unwrap_err();
    let auth_err = err.downcast_ref::<AuthError>().expect("a typed AuthError");
    assert!(
        matches!(auth_err, AuthError::WrongType { kind: "demo", .. }),
        "{err}"
    );
    assert!(err.to_string().contains("UserAuth match arm"), "{err}");
}

#[test]
fn decode_credentials_types_a_stored_value_or_says_why_not() {
    let erased = decode_credentials::<DemoAuth>(serde_json::json!({ "token": "t" })).unwrap();
    assert_eq!(
        erased.downcast_ref::<DemoCreds>(),
        Some(&DemoCreds { token: "t".into() })
    );
    let err = decode_credentials::<DemoAuth>(serde_json::json!({ "tok": "t" })).unwrap_err();
    assert!(err.to_string().contains("kind `demo`"), "{err}");
}
