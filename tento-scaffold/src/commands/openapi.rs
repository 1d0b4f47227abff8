//! `tento-scaffold openapi sync`: a provider generated from an OpenAPI document
//! (`new --from-openapi`) regenerated from its spec and `openapi.tento.toml`: its
//! `src/api/`, and a connector row wired into the host for each operation new in the
//! spec; and how both commands report what became of each operation.

use std::path::PathBuf;

use super::{Context, Mode, finish};
use crate::openapi::Outcome;
use crate::status::Status;

/// `openapi`'s subcommands.
#[derive(clap::Subcommand)]
pub(crate) enum OpenapiCommand {
    /// Regenerate the provider's src/api/ from its spec and openapi.tento.toml, and add
    /// (as add-row does) the row of each operation new in the spec; the crate's other
    /// files are yours and never rewritten.
    #[command(after_help = "Example: tento-scaffold openapi sync my-host/tento-acme --dry-run")]
    Sync(SyncArgs),
}

/// `openapi sync`'s command line.
#[derive(clap::Args)]
pub(crate) struct SyncArgs {
    /// The provider crate.
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// The spec (default: the one openapi.tento.toml names).
    #[arg(long)]
    spec: Option<PathBuf>,
    /// Print the changes as a diff and write nothing.
    #[arg(long)]
    dry_run: bool,
}

impl OpenapiCommand {
    /// Runs the subcommand.
    pub(crate) fn run(self, cx: &Context) -> anyhow::Result<()> {
        match self {
            OpenapiCommand::Sync(args) => {
                let outcome = crate::openapi::sync(&args.dir, args.spec.as_deref(), &cx.templates)?;
                let what = args.dir.display().to_string();
                finish_outcome(&outcome, Mode::of(args.dry_run, false), &cx.status, &what)
            }
        }
    }
}

/// What became of the spec's operations (skipped ones with `--verbose`), then the plan.
pub(crate) fn finish_outcome(
    outcome: &Outcome,
    mode: Mode,
    status: &Status,
    what: &str,
) -> anyhow::Result<()> {
    for line in &outcome.report {
        if line.starts_with("skipped ") {
            status.detail("OpenAPI", line);
        } else {
            status.say("OpenAPI", line);
        }
    }
    if outcome.skipped > 0 {
        status.say(
            "OpenAPI",
            &format!(
                "{} operation(s) skipped; --verbose lists each with why",
                outcome.skipped
            ),
        );
    }
    for warning in &outcome.warnings {
        status.say("Warning", warning);
    }
    finish(&outcome.plan, mode, status, what, false)
}
