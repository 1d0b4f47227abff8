//! The library behind the `tento-scaffold` CLI: `args → validated names → plan → show
//! or apply`. The binary is a thin shell over it, so tests drive the same code.
//!
//! Where things are: `src/commands/` holds a file per command (its clap `Args`, its
//! `plan`, its `run`), public here under the command's name ([`new`], [`add_row`],
//! [`remove`], [`check`], …); [`wire`] holds a module per seed step (the manifests,
//! the routes, auth, the deps registration and impl, the sync registrations, the test
//! fakes, the host's test), each knowing how its step is added, removed and checked,
//! which the commands walk in order; [`patch`] edits Rust and TOML text in place;
//! [`plan`] is what every command builds and [`fs`] how a plan is written.
#![deny(missing_docs)]

pub mod cli;
mod commands;
pub(crate) mod diff;
pub mod fs;
pub mod host;
pub mod inventory;
pub mod names;
pub mod openapi;
mod parallel;
pub mod patch;
pub mod plan;
pub mod provider_crate;
pub mod spec;
pub(crate) mod status;
pub mod templates;
pub(crate) mod verify;
pub mod wire;

// The commands' entry points, where the tests and the end-to-end tests call them.
pub use commands::{add_row, check, export, init, list, new, remove};

use std::path::PathBuf;

/// Where generated crates find tento when the host does not say.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TentoSource {
    /// A path dependency on a checkout's `tento/`.
    Path(PathBuf),
    /// A crates.io version requirement.
    Version(String),
}

impl TentoSource {
    /// This checkout's `tento/` when the CLI runs from its source tree, else the
    /// version this CLI was built at.
    pub fn from_build() -> Self {
        let checkout = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tento");
        match checkout.canonicalize() {
            Ok(path) if path.join("Cargo.toml").is_file() => TentoSource::Path(path),
            _ => TentoSource::Version(env!("CARGO_PKG_VERSION").to_owned()),
        }
    }
}
