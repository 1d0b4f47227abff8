//! `tento-scaffold templates export DIR`: the embedded templates written out, to start
//! a host's overrides from (`DIR` is usually the host's `.tento/templates`).

use std::path::{Path, PathBuf};

use super::{Context, Mode, finish};
use crate::plan::Plan;
use crate::templates::Templates;

/// `templates`' subcommands.
#[derive(clap::Subcommand)]
pub(crate) enum TemplatesCommand {
    /// Write the embedded templates to DIR, to start overrides from: a host's
    /// `.tento/templates/<name>.j2` shadows the embedded `<name>`.
    #[command(after_help = "Example: tento-scaffold templates export my-host/.tento/templates")]
    Export(ExportArgs),
}

impl TemplatesCommand {
    /// Runs the subcommand.
    pub(crate) fn run(self, cx: &Context) -> anyhow::Result<()> {
        match self {
            TemplatesCommand::Export(args) => args.run(cx),
        }
    }
}

/// `templates export`'s command line.
#[derive(clap::Args)]
pub(crate) struct ExportArgs {
    /// Where to write them.
    dir: PathBuf,
    /// Print the files as a diff and write nothing.
    #[arg(long)]
    dry_run: bool,
}

impl ExportArgs {
    /// Plans the export, then shows or writes it.
    fn run(self, cx: &Context) -> anyhow::Result<()> {
        let plan = plan(&self.dir)?;
        let what = format!("templates in {}", self.dir.display());
        finish(&plan, Mode::of(self.dry_run, false), &cx.status, &what, false)
    }
}

/// A file in the way; nothing was written.
#[derive(Debug, thiserror::Error)]
#[error("{0} exists and differs from the embedded template; export to another directory, or delete it first")]
pub struct ExportError(pub String);

/// Plans `DIR/<name>.j2` for every embedded template; a file already holding the
/// embedded text is no change, one holding other text (a user's override) is refused.
pub fn plan(dir: &Path) -> Result<Plan, ExportError> {
    let mut plan = Plan::new(dir);
    for (name, source) in Templates::embedded_sources() {
        let path: PathBuf = dir.join(format!("{name}.j2"));
        match std::fs::read_to_string(&path) {
            Ok(existing) if existing == *source => {}
            Ok(_) => return Err(ExportError(path.display().to_string())),
            Err(_) => plan.create(&path, (*source).to_owned(), "template"),
        }
    }
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_is_exported_once_and_an_override_is_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let plan = plan(dir.path()).unwrap();
        assert_eq!(plan.changes().count(), Templates::embedded_sources().len());
        plan.apply().unwrap();
        assert!(dir.path().join("provider/src/connector/row.rs.j2").is_file());
        assert!(super::plan(dir.path()).unwrap().is_noop());
        std::fs::write(dir.path().join("provider/Cargo.toml.j2"), "mine").unwrap();
        let err = super::plan(dir.path()).unwrap_err().to_string();
        assert!(err.contains("provider/Cargo.toml.j2 exists and differs"), "{err}");
    }
}
