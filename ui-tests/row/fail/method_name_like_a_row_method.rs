#![allow(unused_imports, dead_code)]

use tento::connector::{Cell, RowCtx, SyncCtx};
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

#[tento::provider(kind = "myprovider", name = "My Provider", deps = dyn MyProviderBackendDeps, credentials = Creds)]
pub struct MyProvider;

pub struct Activities;

#[tento::row(provider = MyProvider, key = ":~myprovider:{authId}:activities")]
impl Activities {
    async fn list_cell(_ctx: RowCtx<'_, Self>, _range: Option<tento::chrono::DateRange>) -> anyhow::Result<Vec<Cell>> { //~ ERROR
        Ok(Vec::new())
    }

    // Not flagged: not async, takes no row context.
    fn set(value: u8) -> u8 {
        value
    }
}

fn main() {}
