//! `tento-scaffold new <provider>`: a provider crate rendered from the templates, and the
//! host wired to load it, planned as one change.

use std::path::{Path, PathBuf};

use super::{Context, Mode, TentoArgs, finish};
use crate::TentoSource;
use crate::host::{Host, HostError};
use crate::inventory::Provider;
use crate::names::{NameError, ProviderNames};
use crate::patch::cargo_toml;
use crate::patch::rustfmt::Formatter;
use crate::plan::Plan;
use crate::provider_crate::{self, tento_dependency};
use crate::spec::{ProviderSpec, RowSpec, SyncPlugin};
use crate::templates::{RenderError, Templates};
use crate::wire::{Files, STEPS, WireError, Wiring, plan_file, routes_kind};

/// `new`'s command line.
#[derive(clap::Args)]
pub(crate) struct NewArgs {
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
    /// every operation). Again on an existing crate: `openapi sync` (src/api/, and the
    /// rows of operations new in the spec).
    #[arg(long, value_name = "SPEC", conflicts_with = "rows")]
    from_openapi: Option<PathBuf>,
    #[command(flatten)]
    tento: TentoArgs,
}

impl NewArgs {
    /// Plans the crate and its wiring, then shows or writes them.
    pub(crate) fn run(self, cx: &Context) -> anyhow::Result<()> {
        let mode = Mode::of(self.dry_run, self.verify);
        let from_openapi = self.from_openapi.clone();
        let opts = NewOptions::from(self);
        let crate_name = ProviderNames::parse(&opts.provider)
            .map(|n| n.crate_name)
            .unwrap_or_default();
        if let Some(spec) = from_openapi {
            let outcome = crate::openapi::plan_new(&opts, &spec, &cx.templates)?;
            return super::openapi::finish_outcome(&outcome, mode, &cx.status, &crate_name);
        }
        let plan = plan(&opts, &cx.templates)?;
        finish(&plan, mode, &cx.status, &crate_name, false)
    }
}

/// `--sync-plugin`'s values; the flag absent is [`SyncPlugin::None`].
#[derive(Clone, Copy, clap::ValueEnum)]
enum SyncPluginArg {
    Full,
    ProviderOnly,
}

impl From<NewArgs> for NewOptions {
    fn from(args: NewArgs) -> Self {
        NewOptions {
            tento: args.tento.source(),
            sync_plugin: match args.sync_plugin {
                None => SyncPlugin::None,
                Some(SyncPluginArg::Full) => SyncPlugin::Full,
                Some(SyncPluginArg::ProviderOnly) => SyncPlugin::ProviderOnly,
            },
            provider: args.provider,
            host: args.host,
            rows: args.rows,
            name: args.name,
            base_url: args.base_url,
            force: args.force,
            no_host: args.no_host,
            token_url: args.token_url,
        }
    }
}

/// What `new` was asked for, as the library takes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewOptions {
    /// The provider's name.
    pub provider: String,
    /// The host workspace (or, with `no_host`, where the crate goes).
    pub host: PathBuf,
    /// Row names; empty means one row, `activities`.
    pub rows: Vec<String>,
    /// The sync plugin to ship.
    pub sync_plugin: SyncPlugin,
    /// The display name; default from the provider's name.
    pub name: Option<String>,
    /// The API's base URL; default `https://api.<kind>.example`.
    pub base_url: Option<String>,
    /// Overwrite an existing crate whose files differ.
    pub force: bool,
    /// Render the crate only; wire nothing.
    pub no_host: bool,
    /// Where the crate finds tento when the host does not say.
    pub tento: TentoSource,
    /// The provider's OAuth token endpoint; default a placeholder under `.example`.
    pub token_url: Option<String>,
}

impl Default for NewOptions {
    /// A provider with no name yet, into the host in the current directory, with one
    /// row (`activities`), no sync plugin and tento from where this CLI was built: a
    /// caller (a test, another command) sets what it means and takes the rest with
    /// `..NewOptions::default()`.
    fn default() -> Self {
        NewOptions {
            provider: String::new(),
            host: PathBuf::from("."),
            rows: Vec::new(),
            sync_plugin: SyncPlugin::None,
            name: None,
            base_url: None,
            force: false,
            no_host: false,
            tento: TentoSource::from_build(),
            token_url: None,
        }
    }
}

/// Why `new` planned nothing.
#[derive(Debug, thiserror::Error)]
pub enum NewError {
    /// A bad provider or row name.
    #[error(transparent)]
    Name(#[from] NameError),
    /// A bad display name.
    #[error(
        "invalid display name {0:?}: use letters, digits, spaces and punctuation other than `\"` and `\\`"
    )]
    Display(String),
    /// A token URL that is not an absolute http(s) URL the crate can quote.
    #[error(
        "invalid --token-url {0:?}: give the provider's token endpoint as an absolute URL, e.g. https://api.acme.example/oauth/token"
    )]
    TokenUrl(String),
    /// A base URL the SDK could not use.
    #[error(
        "invalid --base-url {0:?}: write an absolute http(s) URL without spaces or quotes, such as https://api.acme.com/v1"
    )]
    BaseUrl(String),
    /// A row listed twice.
    #[error("row `{0}` is listed twice in --rows; list each row once")]
    DuplicateRow(String),
    /// The host could not be read.
    #[error(transparent)]
    Host(#[from] HostError),
    /// The crate exists with other content.
    #[error(
        "{0} already exists and differs from what `new` would write; pass --force to overwrite its files, or choose another name"
    )]
    Exists(String),
    /// The crate is wired into the host with rows `new` would not write: overwriting it
    /// (even with --force) would leave the host routing rows that no longer exist.
    #[error(
        "{crate_name} is already a provider of this host with row(s) {rows} that `new` would not write; \
         add rows with `tento-scaffold add-row`, list every row in --rows, or `tento-scaffold remove {kind} --delete-crate` first"
    )]
    WiredRows {
        /// The crate.
        crate_name: String,
        /// Its rows missing from `--rows`, as `` `a`, `b` ``.
        rows: String,
        /// The provider's kind.
        kind: String,
    },
    /// The host already routes the kind, from another crate.
    #[error(
        "the host already has a provider of kind `{kind}` (in {file}); choose another name, or remove that provider first"
    )]
    KindExists {
        /// The kind.
        kind: String,
        /// Where the host routes it.
        file: String,
    },
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

/// Plans the crate and, unless `no_host`, the host's wiring: each step of
/// [`wire`](crate::wire) in turn. Reads, never writes.
pub fn plan(opts: &NewOptions, templates: &Templates) -> Result<Plan, NewError> {
    plan_with(opts, templates, None)
}

/// [`plan`], with the files and verbs of a provider generated from a spec
/// (`--from-openapi`) over the templates' own.
pub fn plan_with(
    opts: &NewOptions,
    templates: &Templates,
    generated: Option<&crate::openapi::CrateFiles>,
) -> Result<Plan, NewError> {
    let mut spec = spec(opts)?;
    if let Some(generated) = generated {
        generated.apply_verbs(&mut spec.rows);
        spec.from_openapi = true;
    }
    if opts.no_host {
        return plan_crate_alone(opts, &spec, templates, generated);
    }
    let host = Host::read(&opts.host)?;
    let templates = &templates.with_overrides(&host.root)?;
    let crate_dir = host.providers_dir().join(&spec.names.crate_name);
    refuse_taken_kind(&host, &spec, &crate_dir)?;
    let root = &host.manifest_doc;
    let dep = tento_dependency(
        cargo_toml::has_dependency(root, &["workspace", "dependencies"], "tento"),
        &opts.tento,
    );
    refuse_dropping_rows(&host, &spec, &crate_dir)?;
    let mut plan = Plan::new(&host.root);
    let mut formatter = Formatter::new(&host.crate_dir);
    render_crate(
        &mut plan,
        &mut formatter,
        templates,
        &spec,
        &crate_dir,
        &dep,
        generated,
    )?;
    let files = Files::new(&host, formatter);
    let cx = Wiring::new(&files, &spec, templates, &crate_dir);
    for step in STEPS {
        step.add(&mut plan, &cx)?;
    }
    let guarded = cx.guarded.take();
    files.into_formatter().finish(&mut plan)?;
    refuse_changed_crate(&plan, &crate_dir, opts.force)?;
    if let Some(path) = guarded
        .iter()
        .find(|path| !opts.force && plan.changes().any(|c| c.path == **path && !c.is_creation()))
    {
        return Err(NewError::Exists(host.display(path)));
    }
    Ok(plan)
}

/// Plans the crate alone (`--no-host`), in the directory given as the host.
fn plan_crate_alone(
    opts: &NewOptions,
    spec: &ProviderSpec,
    templates: &Templates,
    generated: Option<&crate::openapi::CrateFiles>,
) -> Result<Plan, NewError> {
    let crate_dir = opts.host.join(&spec.names.crate_name);
    let mut plan = Plan::new(&opts.host);
    let mut formatter = Formatter::new(&opts.host);
    let dep = tento_dependency(false, &opts.tento);
    render_crate(
        &mut plan,
        &mut formatter,
        templates,
        spec,
        &crate_dir,
        &dep,
        generated,
    )?;
    formatter.finish(&mut plan)?;
    refuse_changed_crate(&plan, &crate_dir, opts.force)?;
    Ok(plan)
}

/// A new crate whose kind the host already routes, from another crate: refused.
fn refuse_taken_kind(host: &Host, spec: &ProviderSpec, crate_dir: &Path) -> Result<(), NewError> {
    if crate_dir.exists() {
        return Ok(());
    }
    match host.files.iter().find(|f| routes_kind(&f.src, &spec.names.kind)) {
        Some(file) => Err(NewError::KindExists {
            kind: spec.names.kind.clone(),
            file: file.display.clone(),
        }),
        None => Ok(()),
    }
}

/// An existing crate wired into the host whose rows `new` would not write: --force would
/// drop rows the host routes, so it is refused whatever the flags.
fn refuse_dropping_rows(host: &Host, spec: &ProviderSpec, crate_dir: &Path) -> Result<(), NewError> {
    let wired = cargo_toml::has_dependency(&host.crate_doc, &["dependencies"], &spec.names.crate_name);
    if !wired {
        return Ok(());
    }
    let Some(existing) = Provider::read(&spec.names.crate_name, &spec.names.lib_name, crate_dir, false)
    else {
        return Ok(());
    };
    let dropped: Vec<String> = existing
        .rows
        .iter()
        .filter_map(|r| r.modules.first())
        .filter(|m| !spec.rows.iter().any(|r| &r.names.module == *m))
        .map(|m| format!("`{m}`"))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    if dropped.is_empty() {
        return Ok(());
    }
    Err(NewError::WiredRows {
        crate_name: spec.names.crate_name.clone(),
        rows: dropped.join(", "),
        kind: spec.names.kind.clone(),
    })
}

/// An existing crate the plan would change is the user's work: refused without --force.
fn refuse_changed_crate(plan: &Plan, crate_dir: &Path, force: bool) -> Result<(), NewError> {
    let overwrites = plan
        .changes()
        .any(|c| c.path.starts_with(crate_dir) && !c.is_creation())
        || crate_dir.exists() && plan.changes().any(|c| c.path.starts_with(crate_dir));
    if overwrites && !force {
        return Err(NewError::Exists(crate_dir.display().to_string()));
    }
    Ok(())
}

fn spec(opts: &NewOptions) -> Result<ProviderSpec, NewError> {
    let names = ProviderNames::parse(&opts.provider)?;
    let display = opts.name.clone().unwrap_or_else(|| names.display.clone());
    if display.trim().is_empty() || display.chars().any(|c| c == '"' || c == '\\' || c.is_control()) {
        return Err(NewError::Display(display));
    }
    let requested: Vec<&str> = if opts.rows.is_empty() {
        vec!["activities"]
    } else {
        opts.rows.iter().map(String::as_str).collect()
    };
    let mut rows: Vec<RowSpec> = Vec::new();
    for input in requested {
        let row = RowSpec::synced(input)?;
        if rows.iter().any(|r| r.names.module == row.names.module) {
            return Err(NewError::DuplicateRow(input.to_owned()));
        }
        rows.push(row);
    }
    let url = |given: &Option<String>, placeholder: String, invalid: fn(String) -> NewError| match given {
        Some(url) if !is_http_url(url) => Err(invalid(url.clone())),
        Some(url) => Ok(url.clone()),
        None => Ok(placeholder),
    };
    let token_url = url(
        &opts.token_url,
        ProviderSpec::placeholder_token_url(&names.kind),
        NewError::TokenUrl,
    )?;
    let base_url = url(
        &opts.base_url,
        ProviderSpec::placeholder_base_url(&names.kind),
        NewError::BaseUrl,
    )?;
    Ok(ProviderSpec {
        names,
        display,
        rows,
        sync_plugin: opts.sync_plugin,
        token_url,
        base_url,
        from_openapi: false,
    })
}

/// Whether `url` is an absolute http(s) URL with a host that can sit in a Rust string
/// literal as it is (the SDK's `BASE_URL`, the credential's `TOKEN_URL`); the SDK checks
/// it fully when it connects.
fn is_http_url(url: &str) -> bool {
    let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    !host.is_empty()
        && !host.starts_with(':')
        && url
            .chars()
            .all(|c| c.is_ascii_graphic() && !matches!(c, '"' | '\\' | '{' | '}' | '<' | '>' | '`'))
}

/// Plans every file of the crate, created or (when it exists) rewritten; the
/// formatter lays each out, after which a file already as it would be written is no
/// change at all.
fn render_crate(
    plan: &mut Plan,
    formatter: &mut Formatter,
    templates: &Templates,
    spec: &ProviderSpec,
    crate_dir: &Path,
    tento_dep: &str,
    generated: Option<&crate::openapi::CrateFiles>,
) -> Result<(), NewError> {
    let mut files = provider_crate::render(templates, spec, tento_dep)?;
    if let Some(generated) = generated {
        generated.merge(&mut files);
    }
    for (rel, content) in files {
        let path = crate_dir.join(&rel);
        plan_file(plan, &path, content, "create")?;
        // rustfmt lays out every Rust file made here, parsing it (a file it refuses
        // refuses the command), so the plan's check need not parse it again: a spec's
        // provider has a module per operation. A template the host overrides is left to
        // the check, whose message names the line that does not parse.
        let owned = generated.is_some_and(|g| g.owns(&rel));
        if owned || !templates.has_overrides() {
            plan.prove(&path);
        }
        if rel.ends_with(".rs") {
            formatter.file(&path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Parser)]
    struct Line {
        #[command(flatten)]
        args: NewArgs,
    }

    #[test]
    fn the_default_options_are_the_command_lines_defaults() {
        let args = Line::parse_from(["new", "acme"]).args;
        let expected = NewOptions {
            provider: "acme".into(),
            ..NewOptions::default()
        };
        assert_eq!(NewOptions::from(args), expected);
        let args = Line::parse_from(["new", "acme", "--sync-plugin", "--rows", "a,b"]).args;
        let options = NewOptions::from(args);
        assert_eq!(options.sync_plugin, SyncPlugin::Full);
        assert_eq!(options.rows, ["a", "b"]);
    }
}
