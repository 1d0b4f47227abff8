#![allow(dead_code)]

use std::rc::Rc;

use tento::oauth::{AuthHandle, OAuthCredentials};

#[derive(Clone, serde::Deserialize)]
pub struct Creds;
impl OAuthCredentials for Creds {}

// An `Rc` inside: the client cannot cross threads.
pub struct Api(Rc<String>);
impl From<AuthHandle<Creds>> for Api {
    fn from(h: AuthHandle<Creds>) -> Self {
        Api(Rc::new(h.access_token))
    }
}

pub trait MyProviderBackendDeps: Send + Sync {}

#[tento::provider(kind = "myprovider", name = "My Provider", deps = dyn MyProviderBackendDeps,
                  credentials = Creds, client = Api)] //~ ERROR
pub struct MyProvider;

fn main() {}
