//! The commands, a file each: what the command line asks of it (its clap `Args`), how
//! it plans its change (the entry point the tests call too) and how it runs. What the
//! commands share — the host, plans, the wiring steps, patching — lives outside.

pub mod add_row;
pub mod check;
pub(crate) mod completions;
pub mod export;
pub mod init;
pub mod list;
pub(crate) mod names;
pub mod new;
pub(crate) mod openapi;
mod outcome;
pub mod remove;

use std::path::PathBuf;

use crate::TentoSource;
use crate::status::Status;
use crate::templates::Templates;

pub(crate) use outcome::{Mode, finish};

/// What every command runs with.
pub(crate) struct Context {
    /// Where status lines go.
    pub status: Status,
    /// The embedded templates.
    pub templates: Templates,
}

/// Where generated crates find tento when the host does not say.
#[derive(clap::Args)]
pub(crate) struct TentoArgs {
    /// Depend on tento at this path.
    #[arg(long, conflicts_with = "tento_version")]
    tento_path: Option<PathBuf>,
    /// Depend on this crates.io version of tento.
    #[arg(long)]
    tento_version: Option<String>,
}

impl TentoArgs {
    fn source(&self) -> TentoSource {
        match (&self.tento_path, &self.tento_version) {
            (Some(path), _) => TentoSource::Path(std::path::absolute(path).unwrap_or_else(|_| path.clone())),
            (None, Some(version)) => TentoSource::Version(version.clone()),
            (None, None) => TentoSource::from_build(),
        }
    }
}

/// Writes a report to stdout; a reader that closed the pipe early (`| head`) has what it
/// wanted, so that is no failure.
pub(crate) fn out(text: &str) {
    use std::io::Write;
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}
