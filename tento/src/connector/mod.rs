//! The connector contract: what a `tento-<provider>` crate implements and a host calls.
//!
//! Providers use [`Cell`], [`Integration`], [`Row`], [`SyncCtx`], [`SyncShape`],
//! [`AuthProvider`] and [`UserAuthExt`]; hosts implement [`UserAuth`] and use the
//! registry, schema and store types of [`crate::host`], re-exported here so one `use`
//! line serves both sides.

mod auth;
mod auth_registry;
mod cell;
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
pub use ctx::{ClientOf, DepsOf, IntegrationParams, RowCtx, SyncCtx};
pub use integration::Integration;
pub use owner::Owner;
pub use provider::{AuthDisplay, Provider, ProviderInfo, oauth_client};
pub use row::{Row, Unsupported, serves};
pub use shape::{Gating, Locking, SyncShape, wearable_window_for_stage, wearable_window_for_stage_at};
pub use verb::{UnknownVerb, Verb};

/// The token seam a host implements beside [`UserAuth`], defined in [`crate::oauth`].
pub use crate::oauth::{AccountKey, MemoryTokenStore, TokenStore};

pub use crate::host::{
    CellStore, DepsKey, DispatchCtx, DispatchError, DispatchErrorKind, IntegrationDeps, MemoryCellStore,
    Miss, MissingDeps, Request, ResolveError, Response, RouteMatch, RouteParams, RouteSchema, RowKeySchema,
};
/// `#[derive(RowKeySchema)]`: the trait's implementation from a `#[rowkey { … }]` block
/// (same name, other namespace: one `use` brings both).
pub use tento_macros::RowKeySchema;
