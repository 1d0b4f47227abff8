//! `crate = "…"` on a row, pointing at a crate that re-exports tento.
#![deny(warnings, missing_docs)]

/// A connector crate of the user's own, re-exporting tento.
pub mod my_connector {
    pub use tento::*;
}

use my_connector::connector::{Row, RowCtx};
use my_connector::oauth::{AuthHandle, OAuthCredentials};

/// Credential.
#[derive(Clone, serde::Deserialize)]
pub struct Creds;
impl OAuthCredentials for Creds {}

/// Client.
pub struct OwnClient;
impl From<AuthHandle<Creds>> for OwnClient {
    fn from(_: AuthHandle<Creds>) -> Self {
        OwnClient
    }
}

/// Deps.
pub trait OwnDeps: Send + Sync {}

/// Provider.
#[tento::provider(crate = "crate::my_connector", kind = "own", name = "Own", deps = dyn OwnDeps,
                  credentials = Creds)]
pub struct Own;

/// A row.
pub struct Things;

#[tento::row(crate = "crate::my_connector", provider = Own, key = ":~own:{authId}:things")]
impl Things {
    async fn get(_ctx: RowCtx<'_, Self>, _cell_id: String) -> anyhow::Result<Option<my_connector::connector::Cell>> {
        Ok(None)
    }
}

fn main() {
    assert_eq!(Things::ROW_LABEL, "own-things");
}
