use uuid::Uuid;

use super::{CellStore, Integration, Owner, Row};

/// The client type of a row's integration.
pub type ClientOf<R> = <<R as Row>::Integration as Integration>::Client;
/// The deps type of a row's integration (usually `dyn …BackendDeps`).
pub type DepsOf<R> = <<R as Row>::Integration as Integration>::Deps;
/// The path-level params of a row's integration.
pub type IntegrationParams<R> = <<R as Row>::Integration as Integration>::Params;

/// What [`Row::sync`] runs with: one stage of one row for one user.
pub struct SyncCtx<'a, R: Row> {
    /// The stage being run, one of the row's `SyncShape::stages`.
    pub stage: &'a str,
    /// The integration's client, built for this user.
    pub client: &'a ClientOf<R>,
    /// The host's deps for the integration.
    pub deps: &'a DepsOf<R>,
    /// The id of the row being synced; cells are persisted under it.
    pub row_id: Uuid,
    /// The user the row belongs to.
    pub owner: Owner,
    /// The row's lookup key.
    pub lookup_key: &'a str,
    /// The integration's params parsed from the lookup key.
    pub params: &'a IntegrationParams<R>,
    /// The row's own params parsed from the lookup key (`()` when it has none).
    pub row_params: &'a R::Params,
}

/// What the reading and writing `Row` methods run with.
pub struct RowCtx<'a, R: Row> {
    /// The integration's client, built for this user.
    pub client: &'a ClientOf<R>,
    /// The host's deps for the integration.
    pub deps: &'a DepsOf<R>,
    /// The id of the row addressed.
    pub row_id: Uuid,
    /// The user the row belongs to.
    pub owner: Owner,
    /// The row's lookup key.
    pub lookup_key: &'a str,
    /// The integration's params parsed from the lookup key.
    pub params: &'a IntegrationParams<R>,
    /// The row's own params parsed from the lookup key (`()` when it has none).
    pub row_params: &'a R::Params,
    /// The host's cell store, where synced rows' cells live.
    pub store: &'a dyn CellStore,
}
