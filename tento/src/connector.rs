//! The connector contract: what a `tento-<provider>` crate implements and a host calls.
//!
//! Providers use [`Cell`], [`Integration`], [`Row`], [`SyncCtx`], [`SyncShape`],
//! [`AuthProvider`] and [`UserAuthExt`]; hosts implement [`UserAuth`] and use the
//! registry, schema and store types of [`crate::host`], re-exported here so one `use`
//! line serves both sides.
//!
//! This module only re-exports: the contract itself is defined apart from the host
//! side, which is built on it, so neither module imports the other's dependents.

pub use crate::contract::*;
pub use crate::host::{
    DepsKey, DispatchCtx, DispatchError, DispatchErrorKind, IntegrationDeps, MemoryCellStore, Miss,
    MissingDeps, Request, ResolveError, Response, RouteMatch, RouteParams, RouteSchema, RowKeySchema,
};
/// `#[derive(RowKeySchema)]`: the trait's implementation from a `#[rowkey { … }]` block
/// (same name, other namespace: one `use` brings both).
pub use tento_macros::RowKeySchema;
