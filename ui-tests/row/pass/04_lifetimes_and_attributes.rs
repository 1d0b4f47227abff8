//! Lifetimes as a user may write them: `'_`, a named one, or none on the context type;
//! attributes on a method stay on it.
#![deny(warnings, missing_docs)]

use tento::connector::{Row, RowCtx, SyncCtx, Verb};
use tento::oauth::{AuthHandle, OAuthCredentials};

/// Credential.
#[derive(Clone, serde::Deserialize)]
pub struct Creds;
impl OAuthCredentials for Creds {}

/// Client.
pub struct SleepClient;
impl From<AuthHandle<Creds>> for SleepClient {
    fn from(_: AuthHandle<Creds>) -> Self {
        SleepClient
    }
}

/// Deps.
pub trait SleepDeps: Send + Sync {}

/// Provider.
#[tento::provider(kind = "sleep", name = "Sleep", deps = dyn SleepDeps, credentials = Creds)]
pub struct Sleep;

/// Nights.
pub struct Nights;

#[tento::row(provider = Sleep, key = ":~sleep:{authId}:nights", stages = ["recent"])]
impl Nights {
    /// A named lifetime.
    async fn sync<'x>(ctx: SyncCtx<'x, Self>) -> anyhow::Result<usize> {
        Ok(ctx.stage.len())
    }

    #[allow(clippy::needless_pass_by_value)]
    async fn delete(ctx: RowCtx<Self>, cell_id: String) -> anyhow::Result<()> {
        let _ = (ctx.lookup_key, cell_id);
        Ok(())
    }
}

fn main() {
    assert_eq!(Nights::SERVES, Some(&[Verb::Get, Verb::List, Verb::Delete, Verb::Sync][..]));
}
