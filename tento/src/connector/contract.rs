//! The provider-facing contract, published as [`crate::connector`]: what a
//! `tento-<provider>` crate implements and a host calls. It names nothing of
//! [`crate::host`], which is built on it; `connector` re-exports both.

mod auth;
mod auth_registry;
mod cell;
mod cell_store;
mod ctx;
mod integration;
mod owner;
mod provider;
mod row;
mod shape;
mod verb;

pub use auth::{
    AuthError, AuthProvider, ErasedCredentials, Resolved, UserAuth, UserAuthExt, decode_credentials,
};
pub use auth_registry::{AuthKind, AuthRegistry};
pub use cell::Cell;
pub use cell_store::CellStore;
pub use ctx::{ClientOf, DepsOf, IntegrationParams, RowCtx, SyncCtx};
pub use integration::Integration;
pub use owner::Owner;
pub use provider::{AuthDisplay, Provider, ProviderInfo, oauth_client};
pub use row::{Row, Unsupported, serves};
pub use shape::{Gating, Locking, SyncShape, wearable_window_for_stage, wearable_window_for_stage_at};
pub use verb::{UnknownVerb, Verb};

/// The token seam a host implements beside [`UserAuth`], defined in [`crate::oauth`].
pub use crate::oauth::{AccountKey, MemoryTokenStore, TokenStore};
