//! The example host's routes written by hand, as the host wrote them before
//! `#[derive(RowKeySchema)]` (plus the route of the provider made with the macros): the
//! baseline the derived `RowKeys` is tested against in `tests/rowkeys.rs`. Same routes
//! as `src/rowkeys.rs`:
//!
//! ```text
//! [integration = ::tento_myprovider::connector::MyProvider] {
//!     ":~myprovider:{authId}" {
//!         ":activities" { get list sync }
//!     }
//! }
//! [integration = ::tento_myprovider_macros::connector::MyMacroProvider] {
//!     ":~mymacroprovider:{authId}" {
//!         ":activities" { get list sync }
//!     }
//! }
//! ```

use std::any::type_name;
use std::sync::LazyLock;

use futures::future::BoxFuture;
use tento::connector::{
    DepsKey, DispatchCtx, DispatchError, Miss, Request, Response, RouteMatch, RouteParams, RouteSchema, Row,
    RowKeySchema, Verb,
};
use tento::host::dispatch_row;
use tento_myprovider::connector::activities::Activities;
use tento_myprovider::connector::{MyProvider, MyProviderBackendDeps};
use tento_myprovider_macros::connector::activities::Activities as MacroActivities;
use tento_myprovider_macros::connector::{MyMacroProvider, MyMacroProviderBackendDeps};

/// The host's lookup-key routes, by hand.
pub struct HandRowKeys;

static SCHEMAS: LazyLock<[RouteSchema; 2]> = LazyLock::new(|| {
    [
        RouteSchema {
            pattern: ":~myprovider:{authId}:activities",
            row_label: Activities::ROW_LABEL,
            row_type: type_name::<Activities>(),
            kind: "myprovider",
            integration: type_name::<MyProvider>(),
            verbs: &[Verb::Get, Verb::List, Verb::Sync],
            deps: DepsKey::of::<dyn MyProviderBackendDeps>(),
            sync_shape: Activities::sync_shape(),
        },
        RouteSchema {
            pattern: ":~mymacroprovider:{authId}:activities",
            row_label: MacroActivities::ROW_LABEL,
            row_type: type_name::<MacroActivities>(),
            kind: "mymacroprovider",
            integration: type_name::<MyMacroProvider>(),
            verbs: &[Verb::Get, Verb::List, Verb::Sync],
            deps: DepsKey::of::<dyn MyMacroProviderBackendDeps>(),
            sync_shape: MacroActivities::sync_shape(),
        },
    ]
});

impl RowKeySchema for HandRowKeys {
    fn schemas() -> &'static [RouteSchema] {
        &*SCHEMAS
    }

    fn resolve(key: &str) -> Result<RouteMatch<'_>, Miss<'_>> {
        for (route, prefix) in [":~myprovider:", ":~mymacroprovider:"].into_iter().enumerate() {
            if let Some(rest) = key.strip_prefix(prefix)
                && let Some((auth_id, row)) = rest.split_once(':')
                && !auth_id.is_empty()
                && row == "activities"
            {
                let mut params = RouteParams::new();
                params.push("authId", auth_id);
                return Ok(RouteMatch { route, params });
            }
        }
        Err(Miss::new(key))
    }

    fn dispatch_route<'a>(
        m: RouteMatch<'a>,
        key: &'a str,
        request: Request,
        ctx: &'a DispatchCtx<'a>,
    ) -> BoxFuture<'a, Result<Response, DispatchError>> {
        match m.route {
            0 => dispatch_row::<Activities>(key, m.params, request, ctx),
            _ => dispatch_row::<MacroActivities>(key, m.params, request, ctx),
        }
    }
}
