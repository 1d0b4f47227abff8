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

pub trait CaféBackendDeps: Send + Sync {}

#[tento::provider(kind = "cafe", name = "Café", deps = dyn CaféBackendDeps, credentials = Creds,
                  client = MyProviderClient)]
pub struct Café; //~ ERROR

fn main() {}
