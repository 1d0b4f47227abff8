//! Fakes for a host's tests: a [`UserAuth`] with canned credentials and an in-memory
//! token store, stub deps over an in-memory cell store, and [`FakeRowKeyDeps`] tying
//! them together. With `http`, a provider's token endpoint that rotates refresh tokens
//! (`FakeTokenEndpoint`), on tento's test server on 127.0.0.1 (`tento::http::local`).
//!
//! ```
//! # use std::sync::Arc;
//! # use tento::testing::{FakeRowKeyDeps, StubDeps};
//! # use tento::connector::MemoryCellStore;
//! trait WeatherDeps: Send + Sync { fn cells(&self) -> usize; }
//! impl WeatherDeps for MemoryCellStore { fn cells(&self) -> usize { self.len() } }
//! impl StubDeps for dyn WeatherDeps {
//!     fn stub(store: Arc<MemoryCellStore>) -> Arc<Self> { store }
//! }
//!
//! let fake = FakeRowKeyDeps::new().with_stub::<dyn WeatherDeps>();
//! assert_eq!(fake.deps.expect::<dyn WeatherDeps>().cells(), 0);
//! ```

use std::collections::HashMap;
use std::sync::Arc;

use futures::future::BoxFuture;
use uuid::Uuid;

use crate::connector::{AuthProvider, ErasedCredentials, Owner, UserAuth};
use crate::host::{DispatchCtx, IntegrationDeps, MemoryCellStore};
use crate::oauth::{MemoryTokenStore, TokenStore};

#[cfg(feature = "http")]
mod token_endpoint;

#[cfg(feature = "http")]
pub use token_endpoint::FakeTokenEndpoint;

type MakeCredentials = Arc<dyn Fn() -> ErasedCredentials + Send + Sync>;

/// A [`UserAuth`] answering from credentials given up front, saving refreshed OAuth
/// tokens to a [`MemoryTokenStore`] a test can read ([`tokens`](Self::tokens)).
#[derive(Clone)]
pub struct FakeUserAuth {
    owner: Owner,
    credentials: HashMap<(String, String), MakeCredentials>,
    tokens: Arc<MemoryTokenStore>,
}

impl FakeUserAuth {
    /// A user with no credentials, owned by a fixed test owner.
    pub fn new() -> Self {
        Self::with_owner(Owner(Uuid::from_u128(0x7e57)))
    }

    /// A user with no credentials and the given owner.
    pub fn with_owner(owner: Owner) -> Self {
        FakeUserAuth {
            owner,
            credentials: HashMap::new(),
            tokens: MemoryTokenStore::shared(),
        }
    }

    /// Saves refreshed tokens to `tokens` instead of a store of its own: how several fake
    /// users (or a test and its fake) share one.
    pub fn with_token_store(mut self, tokens: Arc<MemoryTokenStore>) -> Self {
        self.tokens = tokens;
        self
    }

    /// The store refreshed tokens are saved to.
    pub fn tokens(&self) -> &Arc<MemoryTokenStore> {
        &self.tokens
    }

    /// Adds `credentials` of `A`'s kind under `auth_id`.
    pub fn with<A: AuthProvider>(mut self, auth_id: &str, credentials: A::Credentials) -> Self
    where
        A::Credentials: Clone,
    {
        let make: MakeCredentials = Arc::new(move || Box::new(credentials.clone()));
        self.credentials
            .insert((A::KIND.to_owned(), auth_id.to_owned()), make);
        self
    }

    /// Adds a value of any type under `kind` and `auth_id`: how a test gives a provider
    /// credentials of the wrong type.
    pub fn with_raw<T: Clone + Send + Sync + 'static>(mut self, kind: &str, auth_id: &str, value: T) -> Self {
        let make: MakeCredentials = Arc::new(move || Box::new(value.clone()));
        self.credentials
            .insert((kind.to_owned(), auth_id.to_owned()), make);
        self
    }
}

impl Default for FakeUserAuth {
    fn default() -> Self {
        Self::new()
    }
}

impl UserAuth for FakeUserAuth {
    fn owner(&self) -> Owner {
        self.owner
    }

    fn credentials<'a>(
        &'a self,
        kind: &'a str,
        auth_id: &'a str,
    ) -> BoxFuture<'a, anyhow::Result<Option<ErasedCredentials>>> {
        let found = self
            .credentials
            .get(&(kind.to_owned(), auth_id.to_owned()))
            .map(|make| make());
        Box::pin(std::future::ready(Ok(found)))
    }

    fn token_store(&self) -> Option<Arc<dyn TokenStore>> {
        Some(self.tokens.clone())
    }
}

/// A deps trait object type with a stub for tests, built over the fake's store.
///
/// A provider implements it for `dyn TheirBackendDeps` (often by implementing the trait
/// for [`MemoryCellStore`] itself) behind its own `testing` feature.
pub trait StubDeps: Send + Sync + 'static {
    /// The stub, persisting into `store`.
    fn stub(store: Arc<MemoryCellStore>) -> Arc<Self>;
}

/// Everything a dispatch needs, faked: registered stub deps, an in-memory store and a
/// [`FakeUserAuth`].
pub struct FakeRowKeyDeps {
    /// The deps registry, holding the stubs registered so far.
    pub deps: IntegrationDeps,
    /// The store stubs persist into.
    pub store: Arc<MemoryCellStore>,
    /// The user dispatches run as.
    pub user: FakeUserAuth,
}

impl FakeRowKeyDeps {
    /// A fake host with an empty store, a user with no credentials and no deps; chain
    /// [`with_stub`](Self::with_stub) once per provider.
    pub fn new() -> Self {
        FakeRowKeyDeps {
            deps: IntegrationDeps::new(),
            store: Arc::new(MemoryCellStore::new()),
            user: FakeUserAuth::new(),
        }
    }

    /// Registers `T`'s stub over this fake's store.
    pub fn with_stub<T: ?Sized + StubDeps>(mut self) -> Self {
        self.deps.register::<T>(T::stub(self.store.clone()));
        self
    }

    /// Replaces the user.
    pub fn with_user(mut self, user: FakeUserAuth) -> Self {
        self.user = user;
        self
    }

    /// A dispatch context over the fakes.
    pub fn ctx(&self) -> DispatchCtx<'_> {
        DispatchCtx {
            user: &self.user,
            deps: &self.deps,
            store: &*self.store,
        }
    }
}

impl Default for FakeRowKeyDeps {
    fn default() -> Self {
        Self::new()
    }
}
