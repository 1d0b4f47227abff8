//! MyMacroProvider: MyProvider's API (the same SDK, re-exported from `tento-myprovider`)
//! with a connector written with `#[tento::provider]` and `#[tento::row]` instead of by
//! hand. It does what `tento-myprovider`'s connector does under its own kind,
//! `mymacroprovider`, so a host can load both side by side.
//!
//! The default build is the SDK alone; `connector`, `sync-plugin` and `testing` are
//! opt-in, as for the by-hand provider.
#![deny(missing_docs)]

pub use tento_myprovider::{
    ActivitiesApi, ActivityRecord, BASE_URL, Client, DayRange, OfflineTransport, REQUESTS_PER_SECOND, oauth,
};

#[cfg(feature = "connector")]
pub mod connector;
#[cfg(feature = "sync-plugin")]
pub mod sync_plugin;
