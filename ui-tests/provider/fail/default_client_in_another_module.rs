#![allow(dead_code)]

use tento::oauth::{AuthHandle, OAuthCredentials};

#[derive(Clone, serde::Deserialize)]
pub struct Creds;
impl OAuthCredentials for Creds {}

pub mod client {
    use super::*;

    // The default client's name, but not where the marker is.
    pub struct ShopClient;
    impl From<AuthHandle<Creds>> for ShopClient {
        fn from(_: AuthHandle<Creds>) -> Self {
            ShopClient
        }
    }
}

pub trait ShopBackendDeps: Send + Sync {}

#[tento::provider(kind = "shop", name = "Shop", deps = dyn ShopBackendDeps, credentials = Creds)]
pub struct Shop; //~ ERROR

fn main() {}
