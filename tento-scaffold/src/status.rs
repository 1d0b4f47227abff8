//! Status lines in cargo's style: a right-aligned, bold green verb, then the subject.

use std::io::{IsTerminal, Write};

use crate::diff::color_wanted;

/// How much to say.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verbosity {
    /// Errors only.
    Quiet,
    /// A line per file.
    Normal,
    /// A line per file, with what changed in it.
    Verbose,
}

/// Writes status lines to stderr.
pub struct Status {
    verbosity: Verbosity,
    color: bool,
}

impl Status {
    /// Status lines at `verbosity`, coloured when stderr is a terminal.
    pub fn new(verbosity: Verbosity) -> Self {
        Status {
            verbosity,
            color: color_wanted(std::io::stderr().is_terminal()),
        }
    }

    /// `verb subject`, unless quiet.
    pub fn say(&self, verb: &str, subject: &str) {
        if self.verbosity > Verbosity::Quiet {
            self.write(verb, subject, "\x1b[1;32m");
        }
    }

    /// `verb subject`, when verbose.
    pub fn detail(&self, verb: &str, subject: &str) {
        if self.verbosity == Verbosity::Verbose {
            self.write(verb, subject, "\x1b[1;36m");
        }
    }

    /// `error: message`, always.
    pub fn error(&self, message: &str) {
        let label = if self.color {
            "\x1b[1;31merror\x1b[0m"
        } else {
            "error"
        };
        let _ = writeln!(std::io::stderr(), "{label}: {message}");
    }

    fn write(&self, verb: &str, subject: &str, code: &str) {
        let verb = format!("{verb:>12}");
        let verb = if self.color {
            format!("{code}{verb}\x1b[0m")
        } else {
            verb
        };
        let _ = writeln!(std::io::stderr(), "{verb} {subject}");
    }
}
