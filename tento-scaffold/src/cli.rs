//! The command line, shared by the `tento-scaffold` binary and `cargo tento`: clap's
//! parse, then a thin shell over the rest of the library.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::add_row::AddRowOptions;
use crate::diff::color_wanted;
use crate::host::Host;
use crate::inventory::Inventory;
use crate::names::ProviderNames;
use crate::new::NewOptions;
use crate::plan::Plan;
use crate::remove::RemoveOptions;
use crate::spec::SyncPlugin;
use crate::status::{Status, Verbosity};
use crate::templates::Templates;
use crate::{TentoSource, init};
use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

/// Scaffold tento providers and wire them into a host.
#[derive(Parser)]
#[command(name = "tento-scaffold", version, about)]
struct Cli {
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
    Init {
        /// Where to create it (must not exist, or be empty).
        dir: PathBuf,
        #[command(flatten)]
        tento: TentoArgs,
        /// Where the host keeps its data: `sqlite` (a file in the workspace, the default),
        /// `postgres` (many instances, `DATABASE_URL`) or `memory` (nothing kept).
        #[arg(long, value_enum, default_value = "sqlite")]
        store: StoreArg,
        /// Print the files as a diff and write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Create a provider crate and wire it into the host.
    #[command(after_help = "Example: tento-scaffold new acme --rows activities,sleep --sync-plugin")]
    New {
        /// The provider's name: `my-provider`, `my_provider` or `MyProvider`.
        provider: String,
        /// The host workspace.
        #[arg(long, default_value = ".")]
        host: PathBuf,
        /// The rows to create, comma separated (default: activities).
        #[arg(long, value_delimiter = ',')]
        rows: Vec<String>,
        /// Ship the sync-plugin feature: `full` (topology and executor, the default) or
        /// `provider-only` (the host supplies the executor).
        #[arg(long, num_args = 0..=1, default_missing_value = "full", value_enum)]
        sync_plugin: Option<SyncPluginArg>,
        /// The name an auth UI shows (default from the provider's name).
        #[arg(long)]
        name: Option<String>,
        /// The API's base URL the SDK's client talks to (default `https://api.<kind>.example`).
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Print the changes as a diff and write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Overwrite an existing crate's files.
        #[arg(long)]
        force: bool,
        /// Create the crate only; leave the host alone.
        #[arg(long)]
        no_host: bool,
        /// After writing, run `cargo check` on the host and roll every file back if it fails.
        #[arg(long)]
        verify: bool,
        /// The provider's OAuth token endpoint (default: a placeholder under .example).
        #[arg(long)]
        token_url: Option<String>,
        /// Generate the provider from its OpenAPI document (JSON or YAML): a row per
        /// listing with a date window, its types, pagination and auth (`--verbose` lists
        /// every operation). Again on an existing crate: regenerates its src/api/ only.
        #[arg(long, value_name = "SPEC", conflicts_with = "rows")]
        from_openapi: Option<PathBuf>,
        #[command(flatten)]
        tento: TentoArgs,
    },
    /// Work with a provider generated from an OpenAPI document.
    #[command(subcommand)]
    Openapi(OpenapiCommand),
    /// Add a row to a provider and route it in the host.
    #[command(
        after_help = "Example: tento-scaffold add-row weight --provider acme --verbs get,post --no-sync\nInside a provider crate: tento-scaffold add-row sleep --logs"
    )]
    AddRow {
        /// The row's name: `heart-rate`, `heart_rate` or `HeartRate`.
        metric: String,
        /// The provider (default: the provider crate this runs in).
        #[arg(long)]
        provider: Option<String>,
        /// The host workspace (default: `.` with --provider, else the workspace above
        /// the provider crate).
        #[arg(long)]
        host: Option<PathBuf>,
        /// Add the `:<metric>:logs` child row too.
        #[arg(long)]
        logs: bool,
        /// Verbs to serve, comma separated: get, list, post, patch, delete.
        #[arg(long, value_delimiter = ',')]
        verbs: Vec<String>,
        /// Sync stages, comma separated (default: viewport,backfill).
        #[arg(long, value_delimiter = ',', conflicts_with = "no_sync")]
        stages: Vec<String>,
        /// Serve the row on request only; never sync it.
        #[arg(long)]
        no_sync: bool,
        /// Print the changes as a diff and write nothing.
        #[arg(long)]
        dry_run: bool,
        /// After writing, run `cargo check` on the host and roll every file back if it fails.
        #[arg(long)]
        verify: bool,
    },
    /// Undo what `new` and `add-row` wired into the host for a provider.
    #[command(after_help = "Example: tento-scaffold remove acme --delete-crate --dry-run")]
    Remove {
        /// The provider's name or crate.
        provider: String,
        /// The host workspace.
        #[arg(long, default_value = ".")]
        host: PathBuf,
        /// Delete the provider crate's files too.
        #[arg(long)]
        delete_crate: bool,
        /// Print the changes as a diff and write nothing.
        #[arg(long)]
        dry_run: bool,
        /// After writing, run `cargo check` on the host and roll every file back if it fails.
        #[arg(long)]
        verify: bool,
    },
    /// Print a completion script for a shell.
    #[command(
        after_help = "Example: tento-scaffold completions bash > ~/.local/share/bash-completion/completions/tento-scaffold"
    )]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Work with the templates the scaffold renders.
    #[command(subcommand)]
    Templates(TemplatesCommand),
    /// List the host's providers, their kinds and rows, and its routes and verbs.
    #[command(after_help = "Example: tento-scaffold list --host my-host --json")]
    List {
        /// The host workspace.
        #[arg(long, default_value = ".")]
        host: PathBuf,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Report what the host is missing for its providers, with the line to add for each;
    /// fails when anything is.
    #[command(after_help = "Example: tento-scaffold check --host my-host --json")]
    Check {
        /// The host workspace.
        #[arg(long, default_value = ".")]
        host: PathBuf,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show the crate, kind and type names a provider name maps to.
    #[command(after_help = "Example: tento-scaffold names my-provider")]
    Names {
        /// The provider's name: `my-provider`, `my_provider` or `MyProvider`.
        provider: String,
    },
}

#[derive(Subcommand)]
enum TemplatesCommand {
    /// Write the embedded templates to DIR, to start overrides from: a host's
    /// `.tento/templates/<name>.j2` shadows the embedded `<name>`.
    #[command(after_help = "Example: tento-scaffold templates export my-host/.tento/templates")]
    Export {
        /// Where to write them.
        dir: PathBuf,
        /// Print the files as a diff and write nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Subcommand)]
enum OpenapiCommand {
    /// Regenerate the provider's src/api/ from its spec and openapi.tento.toml; nothing
    /// else in the crate changes.
    #[command(after_help = "Example: tento-scaffold openapi sync my-host/tento-acme --dry-run")]
    Sync {
        /// The provider crate.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The spec (default: the one openapi.tento.toml names).
        #[arg(long)]
        spec: Option<PathBuf>,
        /// Print the changes as a diff and write nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum StoreArg {
    Sqlite,
    Postgres,
    Memory,
}

impl From<StoreArg> for init::Store {
    fn from(arg: StoreArg) -> Self {
        match arg {
            StoreArg::Sqlite => init::Store::Sqlite,
            StoreArg::Postgres => init::Store::Postgres,
            StoreArg::Memory => init::Store::Memory,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum SyncPluginArg {
    Full,
    ProviderOnly,
}

/// Where generated crates find tento when the host does not say.
#[derive(clap::Args)]
struct TentoArgs {
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

/// Runs the CLI on `args` (the program name first, as `std::env::args_os` gives them).
pub fn run(args: impl IntoIterator<Item = std::ffi::OsString>) -> ExitCode {
    let cli = Cli::parse_from(args);
    let verbosity = match (cli.quiet, cli.verbose) {
        (true, _) => Verbosity::Quiet,
        (_, true) => Verbosity::Verbose,
        _ => Verbosity::Normal,
    };
    let status = Status::new(verbosity);
    let templates = Templates::embedded();
    let result = match cli.command {
        Command::Names { provider } => names(&provider),
        Command::List { host, json } => list(&host, json),
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "tento-scaffold", &mut script);
            out(&String::from_utf8_lossy(&script));
            Ok(())
        }
        Command::Templates(TemplatesCommand::Export { dir, dry_run }) => crate::export::plan(&dir)
            .map_err(|e| e.to_string())
            .and_then(|plan| {
                finish(
                    &plan,
                    dry_run,
                    &status,
                    &format!("templates in {}", dir.display()),
                )
            }),
        Command::Remove {
            provider,
            host,
            delete_crate,
            dry_run,
            verify,
        } => {
            let opts = RemoveOptions {
                provider,
                host,
                delete_crate,
            };
            crate::remove::plan(&opts)
                .map_err(|e| e.to_string())
                .and_then(|plan| {
                    let crate_dirs: Vec<PathBuf> = plan
                        .changes()
                        .filter(|c| c.deleted && c.display.ends_with("Cargo.toml"))
                        .filter_map(|c| c.path.parent().map(Path::to_path_buf))
                        .collect();
                    let what = format!("remove {}", opts.provider);
                    finish_as(&plan, Mode::of(dry_run, verify), &status, &what, true)?;
                    if !dry_run {
                        crate_dirs.iter().for_each(|d| crate::remove::prune_empty_dirs(d));
                    }
                    Ok(())
                })
        }
        Command::AddRow {
            metric,
            provider,
            host,
            logs,
            verbs,
            stages,
            no_sync,
            dry_run,
            verify,
        } => {
            let opts = AddRowOptions {
                metric,
                provider,
                host,
                cwd: std::env::current_dir().unwrap_or_default(),
                logs,
                verbs,
                stages,
                no_sync,
            };
            crate::add_row::plan(&opts, &templates)
                .map_err(|e| e.to_string())
                .and_then(|plan| {
                    finish_as(
                        &plan,
                        Mode::of(dry_run, verify),
                        &status,
                        &format!("row {}", opts.metric),
                        false,
                    )
                })
        }
        Command::Check { host, json } => check(&host, json, &status),
        Command::Init {
            dir,
            tento,
            store,
            dry_run,
        } => init::plan_with_store(&dir, &tento.source(), &templates, store.into())
            .map_err(|e| e.to_string())
            .and_then(|plan| {
                finish(
                    &plan,
                    dry_run,
                    &status,
                    &format!("host workspace {}", dir.display()),
                )
            }),
        Command::New {
            provider,
            host,
            rows,
            sync_plugin,
            name,
            base_url,
            dry_run,
            force,
            no_host,
            verify,
            token_url,
            from_openapi,
            tento,
        } => {
            let sync_plugin = match sync_plugin {
                None => SyncPlugin::None,
                Some(SyncPluginArg::Full) => SyncPlugin::Full,
                Some(SyncPluginArg::ProviderOnly) => SyncPlugin::ProviderOnly,
            };
            let opts = NewOptions {
                provider,
                host,
                rows,
                sync_plugin,
                name,
                base_url,
                force,
                no_host,
                tento: tento.source(),
                token_url,
            };
            if let Some(spec) = from_openapi {
                let crate_name = ProviderNames::parse(&opts.provider)
                    .map(|n| n.crate_name)
                    .unwrap_or_default();
                crate::openapi::plan_new(&opts, &spec, &templates)
                    .map_err(|e| e.to_string())
                    .and_then(|outcome| {
                        openapi_finish(&outcome, Mode::of(dry_run, verify), &status, &crate_name)
                    })
            } else {
                crate::new::plan(&opts, &templates)
                    .map_err(|e| e.to_string())
                    .and_then(|plan| {
                        let crate_name = ProviderNames::parse(&opts.provider)
                            .map(|n| n.crate_name)
                            .unwrap_or_default();
                        finish_as(&plan, Mode::of(dry_run, verify), &status, &crate_name, false)
                    })
            }
        }
        Command::Openapi(OpenapiCommand::Sync { dir, spec, dry_run }) => {
            crate::openapi::sync(&dir, spec.as_deref())
                .map_err(|e| e.to_string())
                .and_then(|outcome| {
                    openapi_finish(
                        &outcome,
                        Mode::of(dry_run, false),
                        &status,
                        &dir.display().to_string(),
                    )
                })
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            status.error(&message);
            ExitCode::FAILURE
        }
    }
}

/// What became of the spec's operations (skipped ones with `--verbose`), then the plan.
fn openapi_finish(
    outcome: &crate::openapi::Outcome,
    mode: Mode,
    status: &Status,
    what: &str,
) -> Result<(), String> {
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
    finish_as(&outcome.plan, mode, status, what, false)
}

fn list(root: &Path, json: bool) -> Result<(), String> {
    let host = Host::read(root).map_err(|e| e.to_string())?;
    let inventory = Inventory::read(&host).map_err(|e| e.to_string())?;
    if json {
        out(&crate::list::json(&inventory));
    } else {
        out(&crate::list::text(&inventory));
    }
    Ok(())
}

fn check(root: &Path, json: bool, status: &Status) -> Result<(), String> {
    let host = Host::read(root).map_err(|e| e.to_string())?;
    let inventory = Inventory::read(&host).map_err(|e| e.to_string())?;
    let drifts = crate::check::check(&host, &inventory);
    // Providers generated from a spec: has the spec changed since the last sync?
    let stale: Vec<String> = inventory
        .providers
        .iter()
        .filter_map(|p| crate::openapi::drift(&p.dir))
        .collect();
    for line in &stale {
        status.error(line);
    }
    if json {
        out(&format!(
            "{}\n",
            serde_json::to_string_pretty(&drifts).map_err(|e| e.to_string())?
        ));
    } else if !drifts.is_empty() {
        out(&crate::check::table(&drifts));
    }
    if !stale.is_empty() && drifts.is_empty() {
        return Err(format!(
            "{} provider(s) generated from a spec that changed since; run the commands above",
            stale.len()
        ));
    }
    if drifts.is_empty() {
        status.say(
            "Checked",
            &format!("{} provider(s): nothing missing", inventory.providers.len()),
        );
        Ok(())
    } else {
        Err(format!(
            "{} thing(s) missing from the host; add the lines above",
            drifts.len()
        ))
    }
}

/// Writes a report to stdout; a reader that closed the pipe early (`| head`) has what it
/// wanted, so that is no failure.
fn out(text: &str) {
    use std::io::Write;
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

fn names(provider: &str) -> Result<(), String> {
    let n = ProviderNames::parse(provider).map_err(|e| e.to_string())?;
    out(&format!(
        "crate         {}\nlibrary       {}\nkind          {}\ntype          {}\nlookup key    :~{}:{{authId}}\ndisplay name  {}\n",
        n.crate_name, n.lib_name, n.kind, n.type_name, n.kind, n.display
    ));
    Ok(())
}

/// What to do with a plan.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Print it as a diff.
    DryRun,
    /// Write it.
    Apply,
    /// Write it, then `cargo check` the host, rolling back on failure.
    Verify,
}

impl Mode {
    fn of(dry_run: bool, verify: bool) -> Mode {
        match (dry_run, verify) {
            (true, _) => Mode::DryRun,
            (false, true) => Mode::Verify,
            (false, false) => Mode::Apply,
        }
    }
}

/// Shows or applies a plan, with cargo-style status lines.
fn finish(plan: &Plan, dry_run: bool, status: &Status, what: &str) -> Result<(), String> {
    finish_as(plan, Mode::of(dry_run, false), status, what, false)
}

/// [`finish`], saying `Unwiring` for the host files of a removal.
fn finish_as(plan: &Plan, mode: Mode, status: &Status, what: &str, unwiring: bool) -> Result<(), String> {
    if plan.is_noop() {
        status.say("Fresh", &format!("{what}: nothing to change"));
        return Ok(());
    }
    match mode {
        Mode::DryRun => {
            // The checks applying makes first, so a dry run refuses what writing would.
            plan.check().map_err(|e| e.to_string())?;
            out(&plan.diff(color_wanted(std::io::stdout().is_terminal())));
            status.say(
                "Planned",
                &format!("{} file(s); dry run, nothing written", plan.changes().count()),
            );
            return Ok(());
        }
        Mode::Apply => plan.apply().map_err(|e| e.to_string())?,
        Mode::Verify => plan
            .apply_verified(|| cargo_check(plan.root(), status))
            .map_err(|e| e.to_string())?,
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
