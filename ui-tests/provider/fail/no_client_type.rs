#![allow(dead_code)]

use tento::oauth::OAuthCredentials;

#[derive(Clone, serde::Deserialize)]
pub struct Creds;
impl OAuthCredentials for Creds {}

pub trait MyProviderBackendDeps: Send + Sync {}

// No `MyProviderClient`, and no `client = …` naming another type.
#[tento::provider(kind = "myprovider", name = "My Provider", deps = dyn MyProviderBackendDeps,
                  credentials = Creds)]
pub struct MyProvider; //~ ERROR

fn main() {}
