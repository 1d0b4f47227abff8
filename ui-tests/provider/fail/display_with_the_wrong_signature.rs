#![allow(dead_code)]

use tento::oauth::{AuthHandle, OAuthCredentials};

#[derive(Clone, serde::Deserialize)]
pub struct Creds;
impl OAuthCredentials for Creds {}

pub struct MyProviderClient;
impl From<AuthHandle<Creds>> for MyProviderClient {
    fn from(_: AuthHandle<Creds>) -> Self {
        MyProviderClient
    }
}

pub trait MyProviderBackendDeps: Send + Sync {}

// Takes the auth id only; the hook is `fn(&str, &Auth<Creds>) -> String`.
fn account_label(auth_id: &str) -> String {
    auth_id.to_owned()
}

#[tento::provider(kind = "myprovider", name = "My Provider", deps = dyn MyProviderBackendDeps,
                  credentials = Creds, display = account_label)] //~ ERROR
pub struct MyProvider;

fn main() {}
