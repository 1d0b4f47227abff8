#![allow(dead_code)]

use tento::oauth::AuthHandle;

// A credential type that forgot `impl OAuthCredentials`.
#[derive(Clone, serde::Deserialize)]
pub struct Creds {
    client_id: String,
}

pub struct MyProviderClient;
impl From<AuthHandle<Creds>> for MyProviderClient {
    fn from(_: AuthHandle<Creds>) -> Self {
        MyProviderClient
    }
}

pub trait MyProviderBackendDeps: Send + Sync {}

#[tento::provider(
    kind = "myprovider",
    name = "My Provider",
    deps = dyn MyProviderBackendDeps,
    credentials = crate::Creds, //~ ERROR
)]
pub struct MyProvider;

fn main() {}
