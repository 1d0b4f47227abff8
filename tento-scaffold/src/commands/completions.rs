//! `tento-scaffold completions <shell>`: a completion script, from the command line's
//! own definition.

use super::out;

/// `completions`' command line.
#[derive(clap::Args)]
pub(crate) struct CompletionsArgs {
    /// The shell.
    shell: clap_complete::Shell,
}

impl CompletionsArgs {
    /// Prints the script.
    pub(crate) fn run(self) -> anyhow::Result<()> {
        let mut script = Vec::new();
        clap_complete::generate(
            self.shell,
            &mut crate::cli::command(),
            "tento-scaffold",
            &mut script,
        );
        out(&String::from_utf8_lossy(&script));
        Ok(())
    }
}
