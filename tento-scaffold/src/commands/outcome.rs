//! What a command does with its plan: show it as a diff, or write it (and, asked to,
//! prove it with `cargo check`), with cargo-style status lines.

use std::io::IsTerminal;
use std::path::Path;

use super::out;
use crate::diff::color_wanted;
use crate::plan::Plan;
use crate::status::Status;

/// What to do with a plan.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Print it as a diff.
    DryRun,
    /// Write it.
    Apply,
    /// Write it, then `cargo check` the host, rolling back on failure.
    Verify,
}

impl Mode {
    /// The mode `--dry-run` and `--verify` ask for; a dry run writes nothing to verify.
    pub(crate) fn of(dry_run: bool, verify: bool) -> Mode {
        match (dry_run, verify) {
            (true, _) => Mode::DryRun,
            (false, true) => Mode::Verify,
            (false, false) => Mode::Apply,
        }
    }
}

/// Shows or applies a plan, with cargo-style status lines; `unwiring` says `Unwiring`
/// for the host files a removal edits.
pub(crate) fn finish(
    plan: &Plan,
    mode: Mode,
    status: &Status,
    what: &str,
    unwiring: bool,
) -> anyhow::Result<()> {
    if plan.is_noop() {
        status.say("Fresh", &format!("{what}: nothing to change"));
        return Ok(());
    }
    match mode {
        Mode::DryRun => {
            // The checks applying makes first, so a dry run refuses what writing would.
            // Both read the plan only, and each is a pass over a long host file: the
            // check runs beside the diff.
            let color = color_wanted(std::io::stdout().is_terminal());
            let (checked, diff) = std::thread::scope(|s| {
                let check = s.spawn(|| plan.check());
                let diff = plan.diff(color);
                (check.join(), diff)
            });
            checked.unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
            out(&diff);
            status.say(
                "Planned",
                &format!("{} file(s); dry run, nothing written", plan.changes().count()),
            );
            return Ok(());
        }
        Mode::Apply => plan.apply()?,
        Mode::Verify => plan.apply_verified(|| cargo_check(plan.root(), status))?,
    }
    for change in plan.changes() {
        let verb = match (change.is_creation(), change.display.ends_with("Cargo.toml")) {
            _ if change.deleted => "Removing",
            _ if unwiring => "Unwiring",
            (true, _) => "Creating",
            (false, true) => "Adding",
            (false, false) => "Wiring",
        };
        status.say(verb, &change.display);
        status.detail("", &change.summary);
    }
    status.say("Finished", what);
    Ok(())
}

/// `cargo check` on the workspace at `root` (cargo's messages go to stderr); on failure
/// its `Cargo.lock` is put back as it was, since the rollback covers only the plan's files.
fn cargo_check(root: &Path, status: &Status) -> Result<(), String> {
    status.say("Checking", &format!("{} with cargo check", root.display()));
    let lock = root.join("Cargo.lock");
    let lock_before = std::fs::read(&lock).ok();
    // `CARGO` is the cargo that runs us when there is one, as cargo's own tools do.
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let result = std::process::Command::new(&cargo)
        .args(["check", "--workspace", "--all-targets"])
        .current_dir(root)
        .stdout(std::process::Stdio::null())
        .status();
    let failure = match result {
        Ok(exit) if exit.success() => return Ok(()),
        Ok(exit) => format!("cargo check failed on the host after writing ({exit})"),
        Err(e) => format!("cargo check could not run ({}: {e})", Path::new(&cargo).display()),
    };
    match lock_before {
        Some(bytes) => {
            let _ = std::fs::write(&lock, bytes);
        }
        None => {
            let _ = std::fs::remove_file(&lock);
        }
    }
    Err(failure)
}
