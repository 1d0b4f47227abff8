//! The command line, shared by the `tento-scaffold` binary and `cargo tento`: clap's
//! parse, then each command's own `run` (one file per command, in `src/commands/`).

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::commands::Context;
use crate::commands::add_row::AddRowArgs;
use crate::commands::check::CheckArgs;
use crate::commands::completions::CompletionsArgs;
use crate::commands::export::TemplatesCommand;
use crate::commands::init::InitArgs;
use crate::commands::list::ListArgs;
use crate::commands::names::NamesArgs;
use crate::commands::new::NewArgs;
use crate::commands::openapi::OpenapiCommand;
use crate::commands::remove::RemoveArgs;
use crate::status::{Status, Verbosity};
use crate::templates::Templates;

/// Scaffold tento providers and wire them into a host.
#[derive(Parser)]
#[command(name = "tento-scaffold", version, about)]
pub(crate) struct Cli {
    /// Print errors only.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Print what changed in each file.
    #[arg(short, long, global = true)]
    verbose: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a host workspace that builds and passes its tests.
    #[command(after_help = "Example: tento-scaffold init my-host && cd my-host && cargo test")]
    Init(InitArgs),
    /// Create a provider crate and wire it into the host.
    #[command(after_help = "Example: tento-scaffold new acme --rows activities,sleep --sync-plugin")]
    New(NewArgs),
    /// Work with a provider generated from an OpenAPI document.
    #[command(subcommand)]
    Openapi(OpenapiCommand),
    /// Add a row to a provider and route it in the host.
    #[command(
        after_help = "Example: tento-scaffold add-row weight --provider acme --verbs get,post --no-sync\nInside a provider crate: tento-scaffold add-row sleep --logs"
    )]
    AddRow(AddRowArgs),
    /// Undo what `new` and `add-row` wired into the host for a provider.
    #[command(after_help = "Example: tento-scaffold remove acme --delete-crate --dry-run")]
    Remove(RemoveArgs),
    /// Print a completion script for a shell.
    #[command(
        after_help = "Example: tento-scaffold completions bash > ~/.local/share/bash-completion/completions/tento-scaffold"
    )]
    Completions(CompletionsArgs),
    /// Work with the templates the scaffold renders.
    #[command(subcommand)]
    Templates(TemplatesCommand),
    /// List the host's providers, their kinds and rows, and its routes and verbs.
    #[command(after_help = "Example: tento-scaffold list --host my-host --json")]
    List(ListArgs),
    /// Report what the host is missing for its providers, with the line to add for each;
    /// fails when anything is.
    #[command(after_help = "Example: tento-scaffold check --host my-host --json")]
    Check(CheckArgs),
    /// Show the crate, kind and type names a provider name maps to.
    #[command(after_help = "Example: tento-scaffold names my-provider")]
    Names(NamesArgs),
}

impl Cli {
    fn verbosity(&self) -> Verbosity {
        match (self.quiet, self.verbose) {
            (true, _) => Verbosity::Quiet,
            (_, true) => Verbosity::Verbose,
            _ => Verbosity::Normal,
        }
    }
}

/// Runs the CLI on `args` (the program name first, as `std::env::args_os` gives them).
pub fn run(args: impl IntoIterator<Item = std::ffi::OsString>) -> ExitCode {
    let cli = Cli::parse_from(args);
    let cx = Context {
        status: Status::new(cli.verbosity()),
        templates: Templates::embedded(),
    };
    let result = match cli.command {
        Command::Init(args) => args.run(&cx),
        Command::New(args) => args.run(&cx),
        Command::Openapi(command) => command.run(&cx),
        Command::AddRow(args) => args.run(&cx),
        Command::Remove(args) => args.run(&cx),
        Command::Completions(args) => args.run(),
        Command::Templates(command) => command.run(&cx),
        Command::List(args) => args.run(),
        Command::Check(args) => args.run(&cx),
        Command::Names(args) => args.run(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            cx.status.error(&error.to_string());
            ExitCode::FAILURE
        }
    }
}

/// The command line's definition, for completion scripts.
pub(crate) fn command() -> clap::Command {
    <Cli as clap::CommandFactory>::command()
}
