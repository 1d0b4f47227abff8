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

pub struct Activities;

#[tento::row(
    provider = Option<MyProvider>, //~ ERROR
    key = ":~myprovider:{authId}:activities",
    stages = ["viewport"],
)]
impl Activities {
    async fn sync(_ctx: SyncCtx<'_, Self>) -> anyhow::Result<usize> {
        Ok(0)
    }
}

fn main() {}
