//! `tento-scaffold add-row <metric>`: a row module in a provider crate, declared in its
//! `connector/mod.rs`, routed under the provider's integration in the host's
//! `#[rowkey]` block and, when synced under a sync plugin, registered with the host's
//! orchestrator; planned as one change, like `new`.

use std::path::{Path, PathBuf};

use super::{Context, Mode, finish};
use crate::host::{Host, HostError};
use crate::inventory::{Inventory, Provider};
use crate::names::{NameError, ProviderNames, RowNames};
use crate::patch::cargo_toml;
use crate::patch::rustfmt::Formatter;
use crate::plan::Plan;
use crate::provider_crate;
use crate::spec::{ProviderSpec, RowSpec, SyncPlugin};
use crate::templates::{RenderError, Templates};
use crate::wire::{Files, STEPS, WireError, Wiring};

/// The verbs `--verbs` takes, in the order routes list them.
pub const VERBS: &[&str] = &["get", "list", "post", "patch", "delete"];

/// `add-row`'s command line.
#[derive(clap::Args)]
pub(crate) struct AddRowArgs {
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
}

impl AddRowArgs {
    /// Plans the row, then shows or writes it.
    pub(crate) fn run(self, cx: &Context) -> anyhow::Result<()> {
        let mode = Mode::of(self.dry_run, self.verify);
        let opts = AddRowOptions {
            metric: self.metric,
            provider: self.provider,
            host: self.host,
            cwd: std::env::current_dir().unwrap_or_default(),
            logs: self.logs,
            verbs: self.verbs,
            stages: self.stages,
            no_sync: self.no_sync,
        };
        let plan = plan(&opts, &cx.templates)?;
        finish(&plan, mode, &cx.status, &format!("row {}", opts.metric), false)
    }
}

/// What `add-row` was asked for, as the library takes it.
#[derive(Clone, Debug, Default)]
pub struct AddRowOptions {
    /// The row's name.
    pub metric: String,
    /// The provider, by name or crate; `None`: the provider crate holding `cwd`.
    pub provider: Option<String>,
    /// The host workspace; `None`: `cwd` with `--provider`, else the workspace above
    /// the provider crate.
    pub host: Option<PathBuf>,
    /// Where the command runs.
    pub cwd: PathBuf,
    /// Add the `:logs` child row too.
    pub logs: bool,
    /// Verbs beyond those a synced row serves (`get`, `list`, `sync`).
    pub verbs: Vec<String>,
    /// Sync stages; empty means the seeds' `viewport,backfill`.
    pub stages: Vec<String>,
    /// Not synced: served on request only.
    pub no_sync: bool,
}

/// Why `add-row` planned nothing.
#[derive(Debug, thiserror::Error)]
pub enum AddRowError {
    /// A bad row or provider name.
    #[error(transparent)]
    Name(#[from] NameError),
    /// The host could not be read.
    #[error(transparent)]
    Host(#[from] HostError),
    /// A verb `--verbs` does not take.
    #[error("unknown verb `{0}` in --verbs: use get, list, post, patch or delete (sync comes with --stages)")]
    Verb(String),
    /// A stage name that is no identifier.
    #[error("invalid stage `{0}` in --stages: use lower-case words such as viewport,backfill")]
    Stage(String),
    /// A stage listed twice, which `#[tento::row]` refuses.
    #[error("stage `{0}` is listed twice in --stages; each stage runs once per sync, so list it once")]
    DuplicateStage(String),
    /// `--no-sync` with no verb to serve.
    #[error("a row with --no-sync serves nothing without --verbs; pass --verbs get,list (or more)")]
    NothingServed,
    /// Not inside a provider crate, and no `--provider`.
    #[error(
        "{0} is not inside a provider crate (no src/connector/mod.rs with #[tento::provider] above it); run inside one, or pass --provider P --host DIR"
    )]
    NotInProvider(String),
    /// No host above the provider crate.
    #[error("no host workspace above {0}; pass it with --host DIR")]
    NoHost(String),
    /// The host does not depend on the provider.
    #[error(
        "the host does not depend on provider `{0}`; create it with `tento-scaffold new {0}`, or name one the host has (`tento-scaffold list`)"
    )]
    UnknownProvider(String),
    /// The provider is written by hand.
    #[error(
        "provider {0} is written by hand (`impl Integration`, `impl Row`, no #[tento::provider]), and add-row writes #[tento::row] rows: add the row by hand, as its other rows are written"
    )]
    ByHand(String),
    /// The row exists.
    #[error("provider {provider} already has a row `{module}` ({file}); choose another name")]
    Exists {
        /// The provider's crate.
        provider: String,
        /// The row's module.
        module: String,
        /// What is there.
        file: String,
    },
    /// A provider file to patch does not read.
    #[error("could not read {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The crate's `connector/mod.rs` declares no module to put the new one beside.
    #[error(
        "{0} declares no `pub mod …;` to add the row beside; add `pub mod <row>;` there by hand and run again"
    )]
    NoModules(String),
    /// A template failed.
    #[error(transparent)]
    Render(#[from] RenderError),
    /// A host spot is missing.
    #[error(transparent)]
    Wire(#[from] WireError),
    /// A host template override is unusable.
    #[error(transparent)]
    Override(#[from] crate::templates::OverrideError),
    /// rustfmt is missing or refused a new file.
    #[error(transparent)]
    Format(#[from] crate::patch::rustfmt::FormatError),
}

/// Plans the row: its files, its module declaration, then each step of
/// [`wire`](crate::wire) that grows with a row. Reads, never writes.
pub fn plan(opts: &AddRowOptions, templates: &Templates) -> Result<Plan, AddRowError> {
    let row = row_spec(opts)?;
    let (host, provider) = locate(opts)?;
    let templates = &templates.with_overrides(&host.root)?;
    let row_files = provider_crate::render_row(templates, &spec_of(&provider, &row), &row)?;
    let mut plan = Plan::new(&host.root);
    let files = Files::new(&host, Formatter::new(&host.crate_dir));
    let proven = !templates.has_overrides();
    plan_row(&mut plan, &files, templates, &provider, &row, row_files, proven)?;
    files.into_formatter().finish(&mut plan)?;
    Ok(plan)
}

/// Plans a new row `row` of `provider` into `plan`: its files (`row_files`, relative to
/// the crate; `proven` when rendered from the embedded templates), its module
/// declaration, then each wiring step that grows with a row, over the host of `files`.
/// `add-row` and `openapi sync` (a row the spec gained, whose files call the generated
/// module) both plan a row through here, so the two cannot wire a row differently.
pub(crate) fn plan_row(
    plan: &mut Plan,
    files: &Files<'_>,
    templates: &Templates,
    provider: &Provider,
    row: &RowSpec,
    row_files: Vec<(String, String)>,
    proven: bool,
) -> Result<(), AddRowError> {
    refuse(provider, row)?;
    create_row_files(plan, &provider.dir, row_files, proven, |path| {
        files.format_file(path)
    });
    declare_module(plan, &provider.dir, &row.names.module)?;
    let spec = spec_of(provider, row);
    let cx = Wiring::new(files, &spec, templates, &provider.dir);
    for step in STEPS {
        step.add_row(plan, &cx, &provider.prefix, row)?;
    }
    Ok(())
}

/// Plans creating a row's files (`row_files`, relative to the crate at `crate_dir`),
/// each handed to `format` to be laid out by rustfmt.
pub(crate) fn create_row_files(
    plan: &mut Plan,
    crate_dir: &Path,
    row_files: Vec<(String, String)>,
    proven: bool,
    mut format: impl FnMut(&Path),
) {
    for (rel, content) in row_files {
        let path = crate_dir.join(rel);
        plan.create(&path, content, "row");
        if proven {
            plan.prove(&path);
        }
        format(&path);
    }
}

/// Refuses a provider written by hand (its rows are not `#[tento::row]`s), and a row
/// that is there already.
fn refuse(provider: &Provider, row: &RowSpec) -> Result<(), AddRowError> {
    if provider.by_hand {
        return Err(AddRowError::ByHand(provider.crate_name.clone()));
    }
    match existing_row(provider, &row.names.module) {
        Some(existing) => Err(AddRowError::Exists {
            provider: provider.crate_name.clone(),
            module: row.names.module.clone(),
            file: existing,
        }),
        None => Ok(()),
    }
}

/// The provider as the host has it, with `row` its one row: what the templates and the
/// steps write the row from.
fn spec_of(provider: &Provider, row: &RowSpec) -> ProviderSpec {
    ProviderSpec {
        names: provider.names(),
        display: provider.display.clone(),
        rows: vec![row.clone()],
        token_url: ProviderSpec::placeholder_token_url(&provider.kind),
        sync_plugin: match (provider.sync_plugin, provider.executor) {
            (false, _) => SyncPlugin::None,
            (true, true) => SyncPlugin::Full,
            (true, false) => SyncPlugin::ProviderOnly,
        },
        // A row's files do not name the API's base URL.
        base_url: ProviderSpec::placeholder_base_url(&provider.kind),
        // Only `new` writes the host's test, the one thing this tells apart.
        from_openapi: false,
    }
}

/// The row asked for: synced with its stages and the seeds' verbs plus any writes, or
/// served on request with the verbs given.
fn row_spec(opts: &AddRowOptions) -> Result<RowSpec, AddRowError> {
    let names = RowNames::parse(&opts.metric)?;
    for verb in &opts.verbs {
        if !VERBS.contains(&verb.as_str()) {
            return Err(AddRowError::Verb(verb.clone()));
        }
    }
    // The rules of `#[tento::row]`'s `stages` (a word each, none twice), checked here so
    // the crate is not written with a row its macro then refuses.
    for (i, stage) in opts.stages.iter().enumerate() {
        if opts.stages[..i].contains(stage) {
            return Err(AddRowError::DuplicateStage(stage.clone()));
        }
        if stage.is_empty()
            || !stage
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            return Err(AddRowError::Stage(stage.clone()));
        }
    }
    let stages = match (opts.no_sync, opts.stages.is_empty()) {
        (true, _) => Vec::new(),
        (false, true) => vec!["viewport".into(), "backfill".into()],
        (false, false) => opts.stages.clone(),
    };
    let synced = !stages.is_empty();
    if !synced && opts.verbs.is_empty() {
        return Err(AddRowError::NothingServed);
    }
    let wanted = |v: &str| opts.verbs.iter().any(|w| w == v) || synced && (v == "get" || v == "list");
    let mut verbs: Vec<String> = VERBS
        .iter()
        .filter(|v| wanted(v))
        .map(|v| (*v).to_owned())
        .collect();
    if synced {
        verbs.push("sync".into());
    }
    Ok(RowSpec {
        names,
        stages,
        verbs,
        logs: opts.logs,
    })
}

/// The host and the provider the row goes into.
pub(crate) fn locate(opts: &AddRowOptions) -> Result<(Host, Provider), AddRowError> {
    let (root, wanted) = match &opts.provider {
        Some(name) => {
            let root = opts.host.clone().unwrap_or_else(|| opts.cwd.clone());
            (root, Wanted::Named(name.clone()))
        }
        None => {
            let crate_dir = provider_crate_above(&opts.cwd)
                .ok_or_else(|| AddRowError::NotInProvider(opts.cwd.display().to_string()))?;
            let root = match &opts.host {
                Some(host) => host.clone(),
                None => workspace_above(&crate_dir)
                    .ok_or_else(|| AddRowError::NoHost(crate_dir.display().to_string()))?,
            };
            (root, Wanted::Dir(crate_dir))
        }
    };
    let host = Host::read(&root)?;
    let matches = |p: &Provider| match &wanted {
        Wanted::Named(name) => {
            p.crate_name == *name
                || p.kind == *name
                || ProviderNames::parse(name).is_ok_and(|n| n.kind == p.kind)
        }
        Wanted::Dir(dir) => same_dir(&p.dir, dir),
    };
    // Open only the crate the name or directory points at (a host may have a hundred);
    // a crate named otherwise than `tento-<kind>` is found by reading them all.
    let likely = |crate_name: &str, dir: &Path| match &wanted {
        Wanted::Named(name) => {
            crate_name == name || ProviderNames::parse(name).is_ok_and(|n| n.crate_name == crate_name)
        }
        Wanted::Dir(wanted_dir) => same_dir(dir, wanted_dir),
    };
    let mut found = Inventory::providers(&host, likely)?.into_iter().find(&matches);
    if found.is_none() {
        found = Inventory::providers(&host, |_, _| true)?
            .into_iter()
            .find(&matches);
    }
    match found {
        Some(p) => Ok((host, p)),
        None => Err(AddRowError::UnknownProvider(match wanted {
            Wanted::Named(name) => name,
            Wanted::Dir(dir) => dir.file_name().unwrap_or_default().to_string_lossy().into_owned(),
        })),
    }
}

enum Wanted {
    Named(String),
    Dir(PathBuf),
}

fn same_dir(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// The nearest directory at or above `dir` holding a provider crate.
fn provider_crate_above(dir: &Path) -> Option<PathBuf> {
    let dir = std::path::absolute(dir).ok()?;
    dir.ancestors()
        .find(|d| d.join("Cargo.toml").is_file() && d.join("src/connector/mod.rs").is_file())
        .map(Path::to_path_buf)
}

/// The nearest workspace root above `crate_dir`.
fn workspace_above(crate_dir: &Path) -> Option<PathBuf> {
    crate_dir.ancestors().skip(1).find_map(|d| {
        let text = std::fs::read_to_string(d.join("Cargo.toml")).ok()?;
        let doc = cargo_toml::parse("Cargo.toml", &text).ok()?;
        cargo_toml::is_workspace(&doc).then(|| d.to_path_buf())
    })
}

/// What already holds `module` in the provider, if anything does.
fn existing_row(provider: &Provider, module: &str) -> Option<String> {
    if let Some(row) = provider
        .rows
        .iter()
        .find(|r| r.modules.first().is_some_and(|m| m == module))
    {
        return Some(format!("{}/{}", provider.crate_name, row.file));
    }
    let connector = provider.dir.join("src/connector");
    [connector.join(module), connector.join(format!("{module}.rs"))]
        .into_iter()
        .find(|p| p.exists())
        .map(|p| p.display().to_string())
}

/// Plans `pub mod <module>;` in the `connector/mod.rs` of the crate at `crate_dir` (as
/// the plan has it so far: several rows may be added at once), in the sorted run of
/// module declarations, where rustfmt would keep it.
pub(crate) fn declare_module(plan: &mut Plan, crate_dir: &Path, module: &str) -> Result<(), AddRowError> {
    let path = crate_dir.join("src/connector/mod.rs");
    let src = match plan.content_of(&path) {
        Some(planned) => planned.to_owned(),
        None => crate::fs::read_text(&path).map_err(|source| AddRowError::Read {
            path: path.display().to_string(),
            source,
        })?,
    };
    let newline = crate::patch::splice::newline_of(&src);
    let mut offset = 0;
    let mut at = None;
    let mut last_mod_end = None;
    for line in src.split_inclusive('\n') {
        let end = offset + line.len();
        if let Some(name) = line
            .trim_end()
            .strip_prefix("pub mod ")
            .and_then(|l| l.strip_suffix(';'))
        {
            last_mod_end = Some(end);
            if at.is_none() && name > module {
                at = Some(offset);
            }
        } else if last_mod_end.is_some() && at.is_none() {
            // The run of declarations ended before any sorted after the new one.
            at = last_mod_end;
        }
        offset = end;
    }
    let at = at
        .or(last_mod_end)
        .ok_or_else(|| AddRowError::NoModules(path.display().to_string()))?;
    let after = crate::patch::splice::insert(&src, at, &format!("pub mod {module};{newline}"));
    plan.modify(&path, src, after, format!("pub mod {module}"));
    Ok(())
}
