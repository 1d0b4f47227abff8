//! MyProvider: an SDK for a (fictional) wearable API, plus the tento connector and
//! sync-plugin modules that plug it into a host.
//!
//! The default build is the SDK alone; `connector` and `sync-plugin` are opt-in.
//! This crate is written by hand exactly as the seeds write a provider, and stays the
//! baseline the macros are compared against.
#![deny(missing_docs)]

mod client;
pub mod oauth;

pub use client::{
    ActivitiesApi, ActivityRecord, BASE_URL, Client, DayRange, OfflineTransport, REQUESTS_PER_SECOND,
};

#[cfg(feature = "connector")]
pub mod connector;
#[cfg(feature = "sync-plugin")]
pub mod sync_plugin;
