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

#[tento::provider(kind = "myprovider", name = "My Provider", deps = dyn MyProviderBackendDeps,
                  credentials = Creds, key = ":~other:{authId}")] //~ ERROR
pub struct MyProvider;

fn main() {}
