use futures::future::BoxFuture;
use tento::connector::UserAuth;

/// Auth resolution for the executor, implemented by the host: how a user's MyProvider
/// account becomes an API client.
pub trait MyProviderApiContext: Send + Sync {
    /// The API client for `user`'s account `auth_id`.
    fn client<'a>(
        &'a self,
        user: &'a dyn UserAuth,
        auth_id: &'a str,
    ) -> BoxFuture<'a, anyhow::Result<crate::Client>>;
}
