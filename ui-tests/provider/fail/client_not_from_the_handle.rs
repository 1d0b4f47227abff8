#![allow(dead_code)]

use tento::oauth::OAuthCredentials;

#[derive(Clone, serde::Deserialize)]
pub struct Creds;
impl OAuthCredentials for Creds {}

// The client exists but is not `From<AuthHandle<Creds>>`.
pub struct MyProviderClient;

pub trait MyProviderBackendDeps: Send + Sync {}

#[tento::provider(kind = "myprovider", name = "My Provider", deps = dyn MyProviderBackendDeps,
                  credentials = Creds)]
pub struct MyProvider; //~ ERROR

fn main() {}
