#![allow(dead_code)]

use tento::oauth::{AuthHandle, OAuthCredentials};

#[derive(Clone, serde::Deserialize)]
pub struct Creds;
impl OAuthCredentials for Creds {}

// The client exists, under another name than the default `MyProviderClient`.
pub struct Api;
impl From<AuthHandle<Creds>> for Api {
    fn from(_: AuthHandle<Creds>) -> Self {
        Api
    }
}

pub trait MyProviderBackendDeps: Send + Sync {}

#[tento::provider(kind = "myprovider", name = "My Provider", deps = dyn MyProviderBackendDeps,
                  credentials = Creds)]
pub struct MyProvider; //~ ERROR

fn main() {}
