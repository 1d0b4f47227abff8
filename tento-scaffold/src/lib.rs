//! The library behind the `tento-scaffold` CLI: `args → validated names → plan → show
//! or apply`. The binary is a thin shell over it, so tests drive the same code.
#![deny(missing_docs)]

pub mod add_row;
pub mod check;
pub mod cli;
pub mod diff;
pub mod export;
pub mod fs;
pub mod host;
pub mod init;
pub mod inventory;
pub mod list;
pub mod names;
pub mod new;
pub mod openapi;
pub mod patch;
pub mod plan;
pub mod provider_crate;
pub mod remove;
pub mod spec;
pub mod status;
pub mod templates;
pub mod verify;
pub mod wire;

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
