//! The provider of DESIGN.md, as written there: kind, name, deps, credentials; the
//! client is `MyProviderClient`, built `From` the acquired handle.
#![deny(warnings, missing_docs)]

use std::sync::Arc;

use tento::connector::{AuthProvider, Integration, Provider, ProviderInfo};
use tento::oauth::{AuthHandle, OAuthCredentials};

/// The provider's OAuth credential.
#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
pub struct MyProviderOAuthCredentials {
    /// Account name.
    pub account: String,
}
impl OAuthCredentials for MyProviderOAuthCredentials {}

/// Per-integration grab bag the Row bodies reach into.
#[derive(Clone)]
pub struct MyProviderClient {
    /// The token the client sends.
    pub token: Arc<String>,
}

impl From<AuthHandle<MyProviderOAuthCredentials>> for MyProviderClient {
    fn from(handle: AuthHandle<MyProviderOAuthCredentials>) -> Self {
        MyProviderClient {
            token: Arc::new(handle.access_token),
        }
    }
}

/// Host-supplied seams the Row bodies invoke.
pub trait MyProviderBackendDeps: Send + Sync {}

/// MyProvider integration marker.
#[tento::provider(kind = "myprovider", name = "My Provider",
                  deps = dyn MyProviderBackendDeps, credentials = MyProviderOAuthCredentials)]
pub struct MyProvider;

fn main() {
    assert_eq!(MY_PROVIDER_ID, "myprovider");
    assert_eq!(<MyProviderAuth as AuthProvider>::KIND, "myprovider");
    assert_eq!(
        MyProvider::INFO,
        ProviderInfo {
            id: "myprovider",
            name: "My Provider",
            auth_kind: "myprovider",
            key_prefix: ":~myprovider:{authId}",
        }
    );
    assert_eq!(MyProviderAuth::PROVIDER, Some(MyProvider::INFO));
    let params: <MyProvider as Integration>::Params =
        serde_json::from_value(serde_json::json!({ "authId": "abc" })).unwrap();
    assert_eq!(params, MyProviderParams { auth_id: "abc".into() });
}
