//! `tento-scaffold`: a thin shell over the `tento_scaffold` library.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use tento_scaffold::names::ProviderNames;

/// Scaffold tento providers and wire them into a host.
#[derive(Parser)]
#[command(name = "tento-scaffold", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Show the crate, kind and type names a provider name maps to.
    ///
    /// Example: `tento-scaffold names my-provider`
    Names {
        /// The provider's name: `my-provider`, `my_provider` or `MyProvider`.
        provider: String,
    },
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Names { provider } => match ProviderNames::parse(&provider) {
            Ok(n) => {
                println!("crate         {}", n.crate_name);
                println!("library       {}", n.lib_name);
                println!("kind          {}", n.kind);
                println!("type          {}", n.type_name);
                println!("lookup key    :~{}:{{authId}}", n.kind);
                println!("display name  {}", n.display);
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
    }
}
