//! Patching host files: `Cargo.toml` through `toml_edit`, Rust files by locating the
//! spot with `syn` and splicing text at byte offsets.

pub mod cargo_toml;
pub mod rust;
pub mod rustfmt;
pub mod splice;
