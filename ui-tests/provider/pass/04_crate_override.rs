//! `crate = "…"` points the generated code at a crate that re-exports tento, such as a
//! user's own connector crate.
#![deny(warnings, missing_docs)]

/// A connector crate of the user's own, re-exporting tento.
pub mod my_connector {
    pub use tento::*;
}

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

/// A provider over the user's crate.
#[tento::provider(crate = "crate::my_connector", kind = "own", name = "Own", deps = dyn OwnDeps,
                  credentials = Creds)]
pub struct Own;

fn main() {
    use my_connector::connector::Provider;
    assert_eq!(Own::INFO.id, "own");
}
