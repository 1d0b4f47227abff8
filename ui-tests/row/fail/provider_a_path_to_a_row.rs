#![allow(unused_imports, dead_code)]

use tento::chrono::DateRange;
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

pub mod sleep {
    pub struct Sleep;
}

pub struct Sleep;

#[tento::row(provider = self::sleep::Sleep, key = ":~myprovider:{authId}:sleep:{day}")] //~ ERROR
impl Sleep {
    async fn get(_ctx: RowCtx<'_, Self>, _cell_id: String) -> anyhow::Result<Option<Cell>> {
        Ok(None)
    }
}

fn main() {}
