//! The host side of the contract: the deps registry, route schemas and dispatch, and the
//! cell store. Everything here is re-exported from [`crate::connector`].

mod deps;
mod dispatch;
mod params;
pub mod router;
mod schema;
mod store;

pub use crate::contract::CellStore;
pub use deps::{DepsKey, IntegrationDeps, MissingDeps};
pub use dispatch::{DispatchCtx, DispatchError, DispatchErrorKind, Request, Response, dispatch_row};
pub use params::{ParamsError, parse_params};
pub use schema::{
    MAX_ROUTE_PARAMS, Miss, ResolveError, RouteMatch, RouteParams, RouteSchema, RowKeySchema, match_pattern,
};
pub use store::{MemoryCellStore, content_id};
