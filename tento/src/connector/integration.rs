use futures::future::BoxFuture;
use serde::de::DeserializeOwned;

use super::UserAuth;

/// A provider, seen from the connector: what its rows need to run.
///
/// The marker type (`MyProvider`) is what a host names in `[integration = …]`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an integration",
    label = "not an integration",
    note = "an integration is a provider's marker type, the one `#[tento::provider]` is on (e.g. `::tento_myprovider::connector::MyProvider`)"
)]
pub trait Integration: Send + Sync + 'static {
    /// The host-supplied seam the rows call, usually `dyn MyProviderBackendDeps`.
    type Deps: ?Sized + Send + Sync + 'static;
    /// The per-integration grab bag the row bodies reach into (an HTTP client, …).
    type Client: Send + Sync + 'static;
    /// Path-level params shared by every row, parsed from the lookup key
    /// (`authId` in `:~myprovider:{authId}:…`).
    type Params: DeserializeOwned + Clone + Send + Sync + 'static;

    /// Builds the client for one call, typically from the user's credential.
    fn client<'a>(
        user: &'a dyn UserAuth,
        deps: &'a Self::Deps,
        p: &'a Self::Params,
    ) -> BoxFuture<'a, anyhow::Result<Self::Client>>;
}
