//! Procedural macros for [tento](https://docs.rs/tento), re-exported by the `tento`
//! crate: depend on `tento`, not on this crate.
#![deny(missing_docs)]
