//! The host's routes, written by hand: what `#[derive(RowKeySchema)]` generates from
//!
//! ```text
//! [integration = ::tento_myprovider::connector::MyProvider] {
//!     ":~myprovider:{authId}" {
//!         ":activities" { get list sync }
//!     }
//! }
//! ```

use std::any::type_name;
use std::sync::LazyLock;

use futures::future::BoxFuture;
use tento::connector::{
    DepsKey, DispatchCtx, DispatchError, Request, ResolveError, Response, RouteMatch, RouteParams,
    RouteSchema, Row, RowKeySchema, Verb,
};
use tento::host::dispatch_row;
use tento_myprovider::connector::activities::Activities;
use tento_myprovider::connector::{MyProvider, MyProviderBackendDeps};

/// The host's lookup-key routes.
pub struct RowKeys;

static SCHEMAS: LazyLock<[RouteSchema; 1]> = LazyLock::new(|| {
    [RouteSchema {
        pattern: ":~myprovider:{authId}:activities",
        row_label: Activities::ROW_LABEL,
        row_type: type_name::<Activities>(),
        kind: "myprovider",
        integration: type_name::<MyProvider>(),
        verbs: &[Verb::Get, Verb::List, Verb::Sync],
        deps: DepsKey::of::<dyn MyProviderBackendDeps>(),
        sync_shape: Activities::sync_shape(),
    }]
});

impl RowKeySchema for RowKeys {
    fn schemas() -> &'static [RouteSchema] {
        &*SCHEMAS
    }

    fn resolve(key: &str) -> Result<RouteMatch<'_>, ResolveError> {
        if let Some(rest) = key.strip_prefix(":~myprovider:")
            && let Some((auth_id, row)) = rest.split_once(':')
            && !auth_id.is_empty()
            && row == "activities"
        {
            let mut params = RouteParams::new();
            params.push("authId", auth_id);
            return Ok(RouteMatch { route: 0, params });
        }
        Err(ResolveError::miss(key))
    }

    fn dispatch_route<'a>(
        m: RouteMatch<'a>,
        key: &'a str,
        request: Request,
        ctx: &'a DispatchCtx<'a>,
    ) -> BoxFuture<'a, Result<Response, DispatchError>> {
        dispatch_row::<Activities>(key, m.params, request, ctx)
    }
}
