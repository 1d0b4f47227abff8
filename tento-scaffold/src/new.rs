//! `tento-scaffold new <provider>`: a provider crate rendered from the templates, and the
//! host wired to load it, planned as one change.

use std::path::{Path, PathBuf};

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
    /// A file in the way could not be read as text.
    #[error("could not read {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
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
}

/// Plans the crate and, unless `no_host`, the host's wiring. Reads, never writes.
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
    }
    if opts.no_host {
        let crate_dir = opts.host.join(&spec.names.crate_name);
        let mut plan = Plan::new(&opts.host);
        let mut formatter = Formatter::new(&opts.host);
        let dep = tento_dependency(false, &opts.tento);
        render_crate(
            &mut plan,
            &mut formatter,
            templates,
            &spec,
            &crate_dir,
            &dep,
            generated,
        )?;
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
    let has_fakes = wire::fakes::present(&plan, &files);
    wire::cargo::wire(&mut plan, &host, &spec, &crate_dir, has_fakes)?;
    wire::rowkey::wire(&mut plan, &files, &spec)?;
    wire::auth::wire(&mut plan, &files, &spec)?;
    wire::deps::register(&mut plan, &files, &spec)?;
    wire::deps::implement(&mut plan, &files, &spec)?;
    wire::sync::wire(&mut plan, &files, &spec)?;
    wire::fakes::wire(&mut plan, &files, &spec)?;
    let test = host_test(&mut plan, &files, templates, &host, &spec)?;
    files.into_formatter().finish(&mut plan);
    refuse_changed_crate(&plan, &crate_dir, opts.force)?;
    // The host test is the scaffold's, but edits made to it since are the user's.
    if let Some(test) = test
        && !opts.force
        && plan.changes().any(|c| c.path == test && !c.is_creation())
    {
        return Err(NewError::Exists(host.display(&test)));
    }
    Ok(plan)
}

/// An existing crate wired into the host whose rows `new` would not write: --force would
/// drop rows the host routes, so it is refused whatever the flags.
fn refuse_dropping_rows(host: &Host, spec: &ProviderSpec, crate_dir: &Path) -> Result<(), NewError> {
    let wired = cargo_toml::parse("Cargo.toml", &host.crate_manifest)
        .is_ok_and(|doc| cargo_toml::has_dependency(&doc, &["dependencies"], &spec.names.crate_name));
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
    // The templates are laid out as rustfmt would; only long names or a rustfmt config
    // of the host's own call for a rustfmt run, or generated code.
    let as_rendered =
        !templates.has_overrides() && provider_crate::formatted_as_rendered(spec, "", crate_dir);
    let mut files = provider_crate::render(templates, spec, tento_dep)?;
    if let Some(generated) = generated {
        generated.merge(&mut files);
    }
    for (rel, content) in files {
        let path = crate_dir.join(&rel);
        plan_file(plan, &path, content, "create")?;
        let owned = generated.is_some_and(|g| g.owns(&rel));
        if !templates.has_overrides() && !owned {
            plan.prove(&path);
        }
        let unformatted = generated.is_some_and(|g| g.unformatted(&rel));
        if rel.ends_with(".rs") && (!as_rendered || unformatted) {
            formatter.file(&path);
        }
    }
    Ok(())
}

/// Plans `path` with `content`: a creation, or a rewrite of what is there; a file there
/// that cannot be read as text is refused, never taken for a missing one.
fn plan_file(plan: &mut Plan, path: &Path, content: String, summary: &str) -> Result<(), NewError> {
    match crate::fs::read_text(path) {
        Ok(existing) => plan.modify(path, existing, content, summary),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && std::fs::symlink_metadata(path).is_err() => {
            plan.create(path, content, summary)
        }
        Err(source) => {
            return Err(NewError::Read {
                path: path.display().to_string(),
                source,
            });
        }
    }
    Ok(())
}

/// Plans `tests/<kind>.rs` in the host crate when the host has the shape the test
/// drives (`Host::boot`, `HostUserAuth::connect`): the host's own proof the provider
/// syncs through it. Returns where it goes.
fn host_test(
    plan: &mut Plan,
    files: &Files<'_>,
    templates: &Templates,
    host: &Host,
    spec: &ProviderSpec,
) -> Result<Option<PathBuf>, NewError> {
    let shaped = |needle: &str| host.files.iter().any(|f| f.src.contains(needle));
    if !(shaped("fn boot(") && shaped("fn connect(") && shaped("struct HostUserAuth")) {
        return Ok(None);
    }
    let host_lib = host_lib(host)?;
    let path = host_test_path(plan, host, spec)?;
    plan_file(
        plan,
        &path,
        provider_crate::render_host_test(templates, spec, &host_lib)?,
        "host test",
    )?;
    if templates.has_overrides() || !provider_crate::formatted_as_rendered(spec, &host_lib, &host.crate_dir) {
        files.format_file(&path);
    }
    if !templates.has_overrides() {
        plan.prove(&path);
    }
    Ok(Some(path))
}

/// Where the host's test of provider `kind` goes: `tests/<kind>.rs`, or when the host
/// has a file of that name of its own (its `tests/host.rs` for a provider `host`),
/// `tests/<kind>_provider.rs`, then `…_provider_2.rs` and on. A file the scaffold wrote
/// for this provider ([`provider_crate::is_host_test`]) is its own to
/// rewrite; any other is never taken.
fn host_test_path(plan: &Plan, host: &Host, spec: &ProviderSpec) -> Result<PathBuf, NewError> {
    let kind = &spec.names.kind;
    let tests = host.crate_dir.join("tests");
    let names = std::iter::once(kind.to_owned())
        .chain(std::iter::once(format!("{kind}_provider")))
        .chain((2..).map(|n| format!("{kind}_provider_{n}")));
    for name in names {
        let path = tests.join(format!("{name}.rs"));
        if plan.changes().any(|c| c.path == path) {
            continue;
        }
        match crate::fs::read_text(&path) {
            Ok(text) if provider_crate::is_host_test(&text, &spec.names.kind, &spec.display) => {
                return Ok(path);
            }
            Ok(_) => continue,
            Err(e)
                if e.kind() == std::io::ErrorKind::NotFound && std::fs::symlink_metadata(&path).is_err() =>
            {
                return Ok(path);
            }
            // Not text, or a link to nothing: someone's, and refused rather than replaced.
            Err(source) => {
                return Err(NewError::Read {
                    path: host.display(&path),
                    source,
                });
            }
        }
    }
    unreachable!("the names never end")
}

/// The host crate's library name, as its tests `use` it: `[lib] name` when the
/// manifest sets one, else the package name with `-` as `_`.
fn host_lib(host: &Host) -> Result<String, NewError> {
    let host_doc = cargo_toml::parse("Cargo.toml", &host.crate_manifest).map_err(HostError::from)?;
    if let Some(lib) = host_doc
        .get("lib")
        .and_then(|l| l.get("name"))
        .and_then(|n| n.as_str())
    {
        return Ok(lib.to_owned());
    }
    let package = host_doc
        .get("package")
        .and_then(|p| p.get("name"))
        .and_then(|n| n.as_str())
        .unwrap_or("host");
    Ok(package.replace('-', "_"))
}
