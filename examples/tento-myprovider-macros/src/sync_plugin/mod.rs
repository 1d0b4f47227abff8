//! MyMacroProvider's orchestrator wiring. The API, and so the topology and the executor's
//! work, are MyProvider's: this module reuses `tento_myprovider::sync_plugin` rather than
//! copy it, and adds what differs — keys of kind `mymacroprovider`, and a client resolved
//! through [`MyMacroProviderAuth`], so a host
//! implements no auth seam for it.
//!
//! The state and persistence seam is MyProvider's [`MyProviderSyncDeps`]: a host that
//! implements it once serves both providers.

use std::sync::Arc;

use async_trait::async_trait;
use futures::future::BoxFuture;
use tento::connector::{UserAuth, oauth_client};
use tento::host::match_pattern;
use tento::sync::{StageJob, SyncExecutor};
use tento_myprovider::sync_plugin::{ACTIVITIES_KEY as MYPROVIDER_ACTIVITIES_KEY, MyProviderApiContext};
pub use tento_myprovider::sync_plugin::{
    MyProviderSyncDeps, MyProviderSyncProvider as MyMacroProviderSyncProvider, RowSyncState,
};

use crate::connector::MyMacroProviderAuth;

/// The lookup-key pattern the executor serves.
pub const ACTIVITIES_KEY: &str = ":~mymacroprovider:{authId}:activities";

/// Runs MyMacroProvider's stages with MyProvider's executor: fetches what the row does
/// not hold yet, persists it through the host's [`MyProviderSyncDeps`] and records it.
pub struct MyMacroProviderSyncExecutor {
    inner: tento_myprovider::sync_plugin::MyProviderSyncExecutor,
}

impl MyMacroProviderSyncExecutor {
    /// An executor persisting through the host's `deps`.
    pub fn new(deps: Arc<dyn MyProviderSyncDeps>) -> Self {
        MyMacroProviderSyncExecutor {
            inner: tento_myprovider::sync_plugin::MyProviderSyncExecutor::new(Arc::new(OAuthContext), deps),
        }
    }
}

#[async_trait]
impl SyncExecutor for MyMacroProviderSyncExecutor {
    async fn execute(&self, job: &StageJob<'_>) -> anyhow::Result<usize> {
        let params = match_pattern(ACTIVITIES_KEY, job.lookup_key)
            .ok_or_else(|| anyhow::anyhow!("`{}` is not a {ACTIVITIES_KEY} key", job.lookup_key))?;
        let auth_id = params.get("authId").unwrap_or_default();
        // The inner executor reads the account from the key it knows; row id, state and
        // persistence stay this row's.
        let key = MYPROVIDER_ACTIVITIES_KEY.replace("{authId}", auth_id);
        let job = StageJob {
            lookup_key: &key,
            ..*job
        };
        self.inner.execute(&job).await
    }
}

/// The executor's client: resolved from the user's `mymacroprovider` credential.
struct OAuthContext;

impl MyProviderApiContext for OAuthContext {
    fn client<'a>(
        &'a self,
        user: &'a dyn UserAuth,
        auth_id: &'a str,
    ) -> BoxFuture<'a, anyhow::Result<crate::Client>> {
        oauth_client::<MyMacroProviderAuth, _, _>(user, auth_id)
    }
}
