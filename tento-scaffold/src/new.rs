//! `tento-scaffold new <provider>`: a provider crate rendered from the templates, and the
//! host wired to load it, planned as one change.

use std::path::{Path, PathBuf};

use crate::TentoSource;
use crate::host::{Host, HostError};
use crate::names::{NameError, ProviderNames};
use crate::patch::cargo_toml;
use crate::patch::rustfmt::Formatter;
use crate::plan::Plan;
use crate::provider_crate::{self, tento_dependency};
use crate::spec::{ProviderSpec, RowSpec, SyncPlugin};
use crate::templates::{RenderError, Templates};
use crate::wire::{self, Files, WireError};

/// What `new` was asked for.
#[derive(Clone, Debug)]
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
    /// Overwrite an existing crate whose files differ.
    pub force: bool,
    /// Render the crate only; wire nothing.
    pub no_host: bool,
    /// Where the crate finds tento when the host does not say.
    pub tento: TentoSource,
    /// The provider's OAuth token endpoint; default a placeholder under `.example`.
    pub token_url: Option<String>,
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
}

/// Plans the crate and, unless `no_host`, the host's wiring. Reads, never writes.
pub fn plan(opts: &NewOptions, templates: &Templates) -> Result<Plan, NewError> {
    let spec = spec(opts)?;
    if opts.no_host {
        let crate_dir = opts.host.join(&spec.names.crate_name);
        let mut plan = Plan::new(&opts.host);
        let mut formatter = Formatter::new(&opts.host);
        let dep = tento_dependency(false, &opts.tento);
        render_crate(&mut plan, &mut formatter, templates, &spec, &crate_dir, &dep)?;
        formatter.finish(&mut plan);
        refuse_changed_crate(&plan, &crate_dir, opts.force)?;
        return Ok(plan);
    }
    let host = Host::read(&opts.host)?;
    let templates = &templates.with_overrides(&host.root)?;
    let crate_dir = host.providers_dir().join(&spec.names.crate_name);
    if !crate_dir.exists()
        && let Some(file) = host
            .files
            .iter()
            .find(|f| wire::rowkey::routes_kind(&f.src, &spec.names.kind))
    {
        return Err(NewError::KindExists {
            kind: spec.names.kind.clone(),
            file: file.display.clone(),
        });
    }
    let root = cargo_toml::parse("Cargo.toml", &host.manifest).map_err(HostError::from)?;
    let dep = tento_dependency(
        cargo_toml::has_dependency(&root, &["workspace", "dependencies"], "tento"),
        &opts.tento,
    );
    let mut plan = Plan::new(&host.root);
    let mut formatter = Formatter::new(&host.crate_dir);
    render_crate(&mut plan, &mut formatter, templates, &spec, &crate_dir, &dep)?;
    let files = Files::new(&host, formatter);
    let has_fakes = wire::fakes::present(&plan, &files);
    wire::cargo::wire(&mut plan, &host, &spec, &crate_dir, has_fakes)?;
    wire::rowkey::wire(&mut plan, &files, &spec)?;
    wire::auth::wire(&mut plan, &files, &spec)?;
    wire::deps::register(&mut plan, &files, &spec)?;
    wire::deps::implement(&mut plan, &files, &spec)?;
    wire::sync::wire(&mut plan, &files, &spec)?;
    wire::fakes::wire(&mut plan, &files, &spec)?;
    host_test(&mut plan, &files, templates, &host, &spec)?;
    files.into_formatter().finish(&mut plan);
    refuse_changed_crate(&plan, &crate_dir, opts.force)?;
    Ok(plan)
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
    let token_url = match &opts.token_url {
        Some(url) if !is_quotable_http_url(url) => return Err(NewError::TokenUrl(url.clone())),
        Some(url) => url.clone(),
        None => ProviderSpec::placeholder_token_url(&names.kind),
    };
    Ok(ProviderSpec {
        names,
        display,
        rows,
        sync_plugin: opts.sync_plugin,
        token_url,
    })
}

/// An `http://` or `https://` URL with a host, and nothing that would need escaping in
/// the Rust string literal the crate quotes it in.
fn is_quotable_http_url(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    rest.is_some_and(|rest| {
        !rest.is_empty()
            && !rest.starts_with('/')
            && url
                .chars()
                .all(|c| c.is_ascii_graphic() && c != '"' && c != '\\' && c != '{' && c != '}')
    })
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
) -> Result<(), NewError> {
    // The templates are laid out as rustfmt would; only long names or a rustfmt config
    // of the host's own call for a rustfmt run.
    let as_rendered =
        !templates.has_overrides() && provider_crate::formatted_as_rendered(spec, "", crate_dir);
    for (rel, content) in provider_crate::render(templates, spec, tento_dep)? {
        let path = crate_dir.join(&rel);
        plan_file(plan, &path, content, "create");
        if rel.ends_with(".rs") && !as_rendered {
            formatter.file(&path);
        }
    }
    Ok(())
}

/// Plans `path` with `content`: a creation, or a rewrite of what is there.
fn plan_file(plan: &mut Plan, path: &Path, content: String, summary: &str) {
    match std::fs::read_to_string(path) {
        Ok(existing) => plan.modify(path, existing, content, summary),
        Err(_) => plan.create(path, content, summary),
    }
}

/// Plans `tests/<kind>.rs` in the host crate when the host has the shape the test
/// drives (`Host::boot`, `HostUserAuth::connect`): the host's own proof the provider
/// syncs through it.
fn host_test(
    plan: &mut Plan,
    files: &Files<'_>,
    templates: &Templates,
    host: &Host,
    spec: &ProviderSpec,
) -> Result<(), NewError> {
    let shaped = |needle: &str| host.files.iter().any(|f| f.src.contains(needle));
    if !(shaped("fn boot(") && shaped("fn connect(") && shaped("struct HostUserAuth")) {
        return Ok(());
    }
    let host_lib = host_lib(host)?;
    let path = host
        .crate_dir
        .join("tests")
        .join(format!("{}.rs", spec.names.kind));
    plan_file(
        plan,
        &path,
        provider_crate::render_host_test(templates, spec, &host_lib)?,
        "host test",
    );
    if templates.has_overrides() || !provider_crate::formatted_as_rendered(spec, &host_lib, &host.crate_dir) {
        files.format_file(&path);
    }
    Ok(())
}

/// The host crate's library name, as its tests `use` it.
fn host_lib(host: &Host) -> Result<String, NewError> {
    let host_doc = cargo_toml::parse("Cargo.toml", &host.crate_manifest).map_err(HostError::from)?;
    let package = host_doc
        .get("package")
        .and_then(|p| p.get("name"))
        .and_then(|n| n.as_str())
        .unwrap_or("host");
    Ok(package.replace('-', "_"))
}
