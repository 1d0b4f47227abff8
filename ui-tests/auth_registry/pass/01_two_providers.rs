//! A registry of a provider written by hand and one written with the macro: the host's
//! `UserAuth` decodes through it, an auth UI lists and displays through it.
#![deny(warnings, missing_docs)]

use std::collections::HashMap;

use futures::future::BoxFuture;
use tento::connector::{AuthProvider, AuthRegistry, ErasedCredentials, Owner, UserAuth, UserAuthExt};
use tento::oauth::{Auth, AuthHandle, OAuthCredentials};

/// A provider's auth marker written by hand, as the seeds write one.
pub mod by_hand {
    /// Credential.
    #[derive(Clone, Debug, PartialEq, serde::Deserialize)]
    pub struct Token {
        /// The token.
        pub token: String,
    }
    /// Marker.
    pub struct HandAuth;
    impl tento::connector::AuthProvider for HandAuth {
        const KIND: &'static str = "hand";
        type AuthId = str;
        type Credentials = Token;
    }
}

/// Credential.
#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
pub struct Creds {
    /// Account.
    pub account: String,
}
impl OAuthCredentials for Creds {}

/// Client.
pub struct MacroClient;
impl From<AuthHandle<Creds>> for MacroClient {
    fn from(_: AuthHandle<Creds>) -> Self {
        MacroClient
    }
}

/// Deps.
pub trait MacroDeps: Send + Sync {}

/// Provider.
#[tento::provider(kind = "macro", name = "Macro Provider", deps = dyn MacroDeps, credentials = Creds)]
pub struct Macro;

tento::auth_registry! {
    /// The auth kinds this host resolves.
    pub struct HostAuthKinds {
        by_hand::HandAuth,
        MacroAuth,
    }
}

/// A host's user, its credentials stored as JSON.
pub struct HostUser(HashMap<(String, String), serde_json::Value>);

impl UserAuth for HostUser {
    fn owner(&self) -> Owner {
        Owner(uuid::Uuid::nil())
    }

    fn credentials<'a>(
        &'a self,
        kind: &'a str,
        auth_id: &'a str,
    ) -> BoxFuture<'a, anyhow::Result<Option<ErasedCredentials>>> {
        Box::pin(async move {
            let Some(raw) = self.0.get(&(kind.to_owned(), auth_id.to_owned())).cloned() else {
                return Ok(None);
            };
            HostAuthKinds::decode(kind, raw).map(Some)
        })
    }
}

fn main() {
    let macro_raw = serde_json::json!({
        "credentials": { "account": "ada" },
        "token": { "access_token": "t" }
    });
    let user = HostUser(HashMap::from([
        (("hand".to_owned(), "h1".to_owned()), serde_json::json!({ "token": "x" })),
        (("macro".to_owned(), "m1".to_owned()), macro_raw.clone()),
        (("other".to_owned(), "o1".to_owned()), serde_json::json!({})),
    ]));
    use futures::executor::block_on;
    let hand = block_on(user.auth::<by_hand::HandAuth>("h1")).unwrap().unwrap();
    assert_eq!(hand.token, "x");
    let typed: Auth<Creds> = block_on(user.auth::<MacroAuth>("m1")).unwrap().unwrap().into_inner();
    assert_eq!(typed.credentials.account, "ada");
    let err = block_on(user.credentials("other", "o1")).err().unwrap();
    assert_eq!(err.to_string(), "no auth provider of kind `other` is registered with this host");

    let kinds: Vec<_> = HostAuthKinds::KINDS.iter().map(|k| k.kind).collect();
    assert_eq!(kinds, ["hand", "macro"]);
    let listed: Vec<_> = HostAuthKinds::providers().map(|p| p.name).collect();
    assert_eq!(listed, ["Macro Provider"]);
    let shown = HostAuthKinds::display("macro", "m1", macro_raw).unwrap();
    assert_eq!((shown.provider, shown.account.as_str()), ("Macro Provider", "m1"));
    assert_eq!(HostAuthKinds::kind("hand").map(|k| k.marker), Some("by_hand::HandAuth"));
    assert_eq!(<MacroAuth as AuthProvider>::KIND, "macro");
}
