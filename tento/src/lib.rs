//! # tento
//!
//! The connector contract that `tento-<provider>` crates and the hosts that load them
//! share. A provider implements [`connector::Integration`] once and one
//! [`connector::Row`] per lookup-key pattern; a host implements
//! [`connector::UserAuth`], registers each provider's deps in an
//! [`connector::IntegrationDeps`] and routes lookup keys through a
//! [`connector::RowKeySchema`].
//!
//! | module | holds |
//! |---|---|
//! | [`connector`] | the provider-facing contract (`Cell`, `Row`, `Integration`, auth, contexts) and, re-exported, the host-side registry, schema and store types |
//! | [`chrono`] | `PartialDate`, `SemanticTime`, `DateRange` |
//! | [`oauth`] | `Auth<C>` with `acquire_handle()`, the host's `TokenStore`, `TokenSource`; `TokenEndpoint` (feature `oauth-http`) |
//! | `http` (feature `http`) | the transport seam, `HttpTransport`, retry, rate limit, pagination |
//! | [`host`] | deps registry, route schemas, dispatch, cell store |
//! | `store` (feature `sync`; `sqlite`, `postgres`) | host stores: cells, sync state and tokens on memory, SQLite, PostgreSQL |
//! | `sync` (feature `sync`) | `SyncProvider`, `SyncExecutor`, the orchestrator, `SyncedRanges` |
//! | `testing` (feature `testing`) | fakes for a host's tests |
//! | [`provider`], [`row`], [`auth_registry!`] | the macros that write a provider, its rows and a host's auth-kind table |
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod chrono;
pub mod connector;
// The contract's definitions, which `connector` publishes beside the host side's. Its
// files stay in `connector/`, where they always were: `connector` is only re-exports.
#[path = "connector/contract.rs"]
mod contract;
pub mod host;
pub mod oauth;

#[cfg(feature = "http")]
pub mod http;

#[cfg(feature = "sync")]
pub mod store;
#[cfg(feature = "sync")]
pub mod sync;

#[cfg(feature = "testing")]
pub mod testing;

#[doc(hidden)]
#[path = "macro_support.rs"]
pub mod __private;

pub use tento_macros::{auth_registry, provider, row};
