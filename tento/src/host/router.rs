//! The router `#[derive(RowKeySchema)]` writes, and what its generated code calls.
//!
//! The derive builds a [`Table`] from the `#[rowkey { … }]` routes at expansion time
//! (with [`build`], the same code a host's tests can run on routes made at run time)
//! and writes it out as a `static`; [`resolve`] walks a lookup key through it. The
//! other items are the small generic functions each generated route calls, so that
//! generated code stays a list of calls, and the traits whose bounds turn a wrong type
//! in the DSL into an error that says so.
//!
//! ```
//! use tento::host::router::{Pattern, build, resolve};
//!
//! let routes = [":~myprovider:{authId}:activities"].map(|p| Pattern::parse(p).unwrap());
//! let router = Box::leak(Box::new(build(&routes).unwrap()));
//! let m = resolve(&router.table(), ":~myprovider:abc:activities").unwrap();
//! assert_eq!((m.route, m.params.get("authId")), (0, Some("abc")));
//! assert!(resolve(&router.table(), ":~myprovider:abc:sleep").is_err());
//! ```

use std::any::type_name;
use std::marker::PhantomData;

use futures::future::BoxFuture;
pub use tento_router::{
    Aligned, BuildError, Conflict, MAX_PARAMS, Pattern, PatternError, Segment, Slot, Table, TableBuf, build,
};

use super::{
    DepsKey, DispatchCtx, DispatchError, MAX_ROUTE_PARAMS, Miss, Request, ResolveError, Response, RouteMatch,
    RouteParams, RouteSchema, dispatch_row,
};
use crate::contract::{Integration, Row, Verb};

const _: () = assert!(MAX_PARAMS == MAX_ROUTE_PARAMS);

/// The route `key` matches in `table`, with its params, or its [`Miss`]. Never panics,
/// never allocates.
///
/// Always inlined: the `RouteMatch` (272 bytes) is then built in the caller's frame,
/// where an out-of-line call built it on its own stack and copied it out (a `memmove`,
/// a tenth of a lookup).
#[inline(always)]
pub fn resolve<'k>(table: &Table<'static>, key: &'k str) -> Result<RouteMatch<'k>, Miss<'k>> {
    let mut params = RouteParams::new();
    match table.find(key, |name, value| {
        // The table holds at most MAX_PARAMS placeholders per route (`build` refuses
        // more), so the push always fits.
        params.push(name, value);
    }) {
        Some(route) => Ok(RouteMatch { route, params }),
        None => Err(Miss::new(key)),
    }
}

/// The type named by `[integration = …]` in a `#[rowkey]` block: any [`Integration`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an integration",
    label = "`[integration = …]` names this type",
    note = "name the provider's marker type, the one that implements `tento::connector::Integration` (e.g. `::tento_myprovider::connector::MyProvider`)"
)]
pub trait IsIntegration: Integration {}

impl<I: Integration> IsIntegration for I {}

/// A row of integration `I`: what a route under `[integration = I]` must lead to.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a row of `{I}`",
    label = "this route's row",
    note = "a route's row implements `tento::connector::Row` with `type Integration = {I}`; name another type with `\":segment\" as path::to::Row {{ … }}`"
)]
pub trait RowOf<I>: Row {}

impl<R: Row> RowOf<R::Integration> for R {}

/// One `[integration = …]` block of a derived schema. The derive implements it once per
/// block, on a marker type, with the type the DSL names (spanned there): a type that is
/// not an integration is one error, however many routes the block holds.
pub trait IntegrationBlock {
    /// The block's integration.
    type Integration: IsIntegration;
}

/// One route of a derived schema, as types. The derive implements it once per route, on
/// a marker type, with the types the DSL names (spanned there): a wrong type is reported
/// once, at the DSL, and every generated use goes through the marker. That the row is a
/// row *of the integration* is [`RouteCheck`]'s to say.
pub trait Route {
    /// The route's block.
    type Block: IntegrationBlock;
    /// The route's row.
    type Row: Row;
}

/// The integration of route `X`'s block.
pub type IntegrationOf<X> = <<X as Route>::Block as IntegrationBlock>::Integration;

/// The derive's checks of a route whose block names integration `I` and whose row is
/// `R`, each made only where its premise holds: `R` is a row of `I` only asked when `I`
/// is an integration and `R` a row, and the placeholders of the key prefix are read
/// from `I::Params` only when `I` is an integration (else from the row's integration's,
/// which the row already proved). A type that is not an integration is then one error,
/// at `[integration = …]`, and not one more per route and placeholder.
///
/// The premises are the inherent impls' bounds: where one fails, the call resolves to
/// [`RouteCheckFallback`]'s method of the same name, which checks nothing.
pub struct RouteCheck<I, R>(PhantomData<fn() -> (I, R)>);

impl<I: Integration, R: Row> RouteCheck<I, R> {
    /// Holds when `R` is a row of `I`.
    pub fn row_of_integration()
    where
        R: RowOf<I>,
    {
    }
}

impl<I: Integration, R> RouteCheck<I, R> {
    /// `read` reads the fields of `I::Params` that the key prefix's placeholders fill.
    pub fn integration_params(read: fn(&I::Params)) {
        let _ = read;
    }
}

/// [`RouteCheck`]'s methods where their premise fails.
pub trait RouteCheckFallback {
    /// `I` is not an integration or `R` not a row: that is reported where the DSL
    /// names them, and there is no row to compare.
    fn row_of_integration() {}
}

impl<I, R> RouteCheckFallback for RouteCheck<I, R> {}

/// [`RouteCheck::integration_params`] where `I` is not an integration: the fields are
/// read from the params of the row's integration.
pub trait RouteParamsFallback {
    /// The params of the row's integration.
    type Params;

    /// Reads the fields from [`Self::Params`](RouteParamsFallback::Params).
    fn integration_params(read: fn(&Self::Params)) {
        let _ = read;
    }
}

impl<I, R: Row> RouteParamsFallback for RouteCheck<I, R> {
    type Params = <R::Integration as Integration>::Params;
}

/// The integration's `Params` of route `X`, which the key's integration-level
/// placeholders fill.
pub type IntegrationParamsOf<X> = <IntegrationOf<X> as Integration>::Params;

/// The row's `Params` of route `X`, which the key's row-level placeholders fill.
pub type RowParamsOf<X> = <<X as Route>::Row as Row>::Params;

/// The schema of route `X`, whose full pattern is `pattern`.
pub fn route_schema<X: Route>(
    pattern: &'static str,
    kind: &'static str,
    verbs: &'static [Verb],
) -> RouteSchema {
    RouteSchema {
        pattern,
        row_label: <X::Row as Row>::ROW_LABEL,
        row_type: type_name::<X::Row>(),
        kind,
        integration: type_name::<IntegrationOf<X>>(),
        verbs,
        deps: DepsKey::of::<<IntegrationOf<X> as Integration>::Deps>(),
        sync_shape: <X::Row as Row>::sync_shape(),
    }
}

/// The verbs route `X`'s row declares (`Row::SERVES`), for the derive's compile-time
/// check of each verb the route lists.
pub const fn declared_verbs<X: Route>() -> Option<&'static [Verb]> {
    <X::Row as Row>::SERVES
}

/// Runs a request on route `X`'s row: [`dispatch_row`].
pub fn dispatch<'a, X: Route>(
    key: &'a str,
    params: RouteParams<'a>,
    request: Request,
    ctx: &'a DispatchCtx<'a>,
) -> BoxFuture<'a, Result<Response, DispatchError>> {
    dispatch_row::<X::Row>(key, params, request, ctx)
}

/// The answer to a [`RouteMatch`] whose route the schema does not have (one built by
/// hand, or from another schema): the key's miss.
pub fn unrouted(key: &str) -> BoxFuture<'_, Result<Response, DispatchError>> {
    Box::pin(std::future::ready(Err(DispatchError::resolve(
        key,
        ResolveError::miss(key),
    ))))
}
