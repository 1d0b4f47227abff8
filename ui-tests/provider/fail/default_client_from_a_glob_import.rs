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

// The default client is found by name beside the marker: defined there, or imported by
// name. Through a glob import it is ambiguous with the macro's stand-in, and rustc says
// to import it by name (`use super::MyProviderClient;`), or name it with `client = …`.
pub mod connector {
    use super::*;

    #[tento::provider(kind = "myprovider", name = "My Provider", deps = dyn MyProviderBackendDeps,
                      credentials = Creds)]
    pub struct MyProvider; //~ ERROR
}

fn main() {}
