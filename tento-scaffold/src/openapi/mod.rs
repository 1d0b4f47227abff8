//! `tento-scaffold new <provider> --from-openapi <spec>` and `openapi sync`: a provider
//! from its OpenAPI document. spec → classified operations → the mapping file the user
//! reviews (`openapi.tento.toml`, written once) → the generated module `src/api/` the
//! tool owns. The rest of the crate is `new`'s, rendered once and the user's after; a
//! re-run regenerates `src/api/`, and adds the connector row (wired as `add-row` wires
//! one) of an operation new in the spec, planned like every other change.

pub mod auth;
pub mod classify;
pub mod document;
pub mod generate;
pub mod mapping;
pub mod records;

use std::collections::BTreeMap;
use std::path::Path;

use minijinja::context;

use crate::add_row::{self, AddRowError, AddRowOptions};
use crate::host::{Host, HostError};
use crate::inventory::Provider;
use crate::names::{NameError, ProviderNames, RowNames};
use crate::new::{NewError, NewOptions};
use crate::patch::rustfmt::Formatter;
use crate::plan::Plan;
use crate::spec::{RowSpec, SyncPlugin};
use crate::templates::{RenderError, Templates};
use crate::wire::Files;

use self::auth::Auth;
use self::classify::Classified;
use self::document::{Document, DocumentError};
use self::mapping::{Mapping, MappingError};
use self::records::{Records, RecordsError};

/// Why nothing was planned from a spec.
#[derive(Debug, thiserror::Error)]
pub enum OpenApiError {
    /// The document.
    #[error(transparent)]
    Document(#[from] DocumentError),
    /// Its operations.
    #[error(transparent)]
    Classify(#[from] classify::ClassifyError),
    /// Its schemas.
    #[error(transparent)]
    Records(#[from] RecordsError),
    /// The mapping file.
    #[error(transparent)]
    Mapping(#[from] MappingError),
    /// A row name the spec gives.
    #[error("operation `{operation}` would be row `{row}`: {source}")]
    RowName {
        /// The operation.
        operation: String,
        /// The name.
        row: String,
        /// Why it is refused.
        source: NameError,
    },
    /// A row named like a module of `src/api/` itself.
    #[error(
        "operation `{operation}` would be row `{row}`, a name src/api/ keeps for itself; name the row with `row = \"…\"` under [operations.{operation}] in the crate's openapi.tento.toml (write it before the first run) and run again"
    )]
    Reserved {
        /// The operation, as a TOML key.
        operation: String,
        /// The name.
        row: String,
    },
    /// A bad provider name.
    #[error(transparent)]
    Name(#[from] NameError),
    /// `new`'s own refusal.
    #[error(transparent)]
    New(#[from] NewError),
    /// The host could not be read.
    #[error(transparent)]
    Host(#[from] HostError),
    /// A template failed.
    #[error(transparent)]
    Render(#[from] RenderError),
    /// rustfmt is missing or refused a generated file.
    #[error(transparent)]
    Format(#[from] crate::patch::rustfmt::FormatError),
    /// `openapi sync` on a crate without a mapping file.
    #[error(
        "{0} has no openapi.tento.toml; make the provider with `tento-scaffold new <provider> --from-openapi <spec>` first"
    )]
    NoMapping(String),
    /// A row the connector serves vanished from the spec.
    #[error(
        "row `{0}` is no longer in the spec (or is skipped in openapi.tento.toml), but src/connector/{0} uses it; keep its operation, or `tento-scaffold remove` the row first"
    )]
    RowGone(String),
    /// A row the spec gained could not be planned as `add-row` plans one.
    #[error(transparent)]
    AddRow(#[from] AddRowError),
    /// A file could not be read.
    #[error("could not read {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
}

/// A plan from a spec, and what became of each operation.
pub struct Outcome {
    /// The plan.
    pub plan: Plan,
    /// One line per operation: rows, verbs, skipped ones with why.
    pub report: Vec<String>,
    /// How many operations were skipped (listed in `report` with --verbose only).
    pub skipped: usize,
    /// Schemas typed as `serde_json::Value`.
    pub warnings: Vec<String>,
}

/// Files a generated provider adds to (or puts in place of) `new`'s, and its rows'
/// verbs: `new` renders the crate with these.
#[derive(Clone, Debug, Default)]
pub struct CrateFiles {
    /// `(path relative to the crate, content)`.
    pub files: Vec<(String, String)>,
    /// Extra verbs by row module.
    pub verbs: BTreeMap<String, Vec<String>>,
}

impl CrateFiles {
    /// Adds each row's write verbs.
    pub fn apply_verbs(&self, rows: &mut [RowSpec]) {
        for row in rows {
            if let Some(extra) = self.verbs.get(&row.names.module) {
                row.verbs.extend(extra.iter().cloned());
            }
        }
    }

    /// Whether `rel` is one of these files (not a template `new` renders, whose output
    /// the scaffold's own tests parse).
    pub fn owns(&self, rel: &str) -> bool {
        self.files.iter().any(|(r, _)| r == rel)
    }

    /// `files` with these in place of the ones at the same paths, and added.
    pub fn merge(&self, files: &mut Vec<(String, String)>) {
        for (rel, content) in &self.files {
            match files.iter_mut().find(|(r, _)| r == rel) {
                Some(slot) => slot.1 = content.clone(),
                None => files.push((rel.clone(), content.clone())),
            }
        }
    }
}

/// Everything made from a spec and a mapping.
struct Built {
    classified: Classified,
    module: generate::Module,
    auth: Auth,
    base_url: Option<String>,
}

fn build(spec: &Path, spec_shown: &str, mapping: &Mapping, display: &str) -> Result<Built, OpenApiError> {
    let (doc, text) = Document::read(spec)?;
    let classified = classify::classify(&doc, mapping)?;
    let mut modules = Vec::new();
    for row in &classified.rows {
        let names = RowNames::parse(&row.name).map_err(|source| OpenApiError::RowName {
            operation: row.operation_id.clone(),
            row: row.name.clone(),
            source,
        })?;
        // src/api/ holds `local`, `offline` and `types` beside the rows.
        if matches!(names.module.as_str(), "local" | "offline" | "types") {
            return Err(OpenApiError::Reserved {
                operation: mapping::table_key(&row.operation_id),
                row: names.module,
            });
        }
        modules.push(names.module);
    }
    let base_url = auth::base_url(&doc);
    let auth = Auth::read(&doc, base_url.as_deref());
    let hash = document::spec_hash(&text);
    let header = format!(
        "//! {display}'s API as its OpenAPI document describes it. Generated by tento-scaffold\n//! from `{spec_shown}`; do not edit: change openapi.tento.toml or the spec and run\n//! `tento-scaffold openapi sync`.\n//!\n//! spec-hash: {hash}\n"
    );
    let mut records = Records::new(&doc);
    let module = generate::module(&mut records, &classified, &modules, &auth, &header)?;
    Ok(Built {
        classified,
        module,
        auth,
        base_url,
    })
}

fn report(classified: &Classified) -> Vec<String> {
    let mut out = Vec::new();
    for row in &classified.rows {
        out.push(format!(
            "row {}: GET {} ({}; {} pagination; id {}; date `{}`)",
            row.name,
            row.path,
            row.operation_id,
            row.paging.name(),
            row.id.as_deref().map_or("none".to_owned(), |i| format!("`{i}`")),
            row.date.0
        ));
    }
    for (operation, row) in &classified.attached {
        out.push(format!("verb of row {row}: {operation}"));
    }
    for s in &classified.skipped {
        out.push(format!("skipped {}: {}", s.operation, s.reason));
    }
    out
}

/// `new --from-openapi`: the crate and host wiring `new` plans, with the generated module,
/// the mapping file and the generated provider's own client, rows and tests. When the
/// crate already has a mapping file, only its generated module is planned
/// ([`sync`]).
pub fn plan_new(opts: &NewOptions, spec: &Path, templates: &Templates) -> Result<Outcome, OpenApiError> {
    let names = ProviderNames::parse(&opts.provider)?;
    let providers_dir = if opts.no_host {
        opts.host.clone()
    } else {
        Host::read(&opts.host)?.providers_dir()
    };
    let crate_dir = providers_dir.join(&names.crate_name);
    if crate_dir.join(mapping::FILE).is_file() {
        return sync(&crate_dir, Some(spec), templates);
    }
    let display = opts.name.clone().unwrap_or_else(|| names.display.clone());
    let rel_spec = relative(&crate_dir, spec);
    let built = build(spec, &rel_spec, &Mapping::default(), &display)?;
    let mut new_opts = opts.clone();
    new_opts.rows = built.module.rows.iter().map(|r| r.module.clone()).collect();
    if new_opts.base_url.is_none() {
        new_opts.base_url = built.base_url.clone();
    }
    if new_opts.token_url.is_none() {
        new_opts.token_url = built.auth.token_url.clone();
    }
    let mut files = built.module.files.clone();
    files.push((
        mapping::FILE.into(),
        mapping::render(&rel_spec, &built.classified),
    ));
    let rows: Vec<_> = built
        .module
        .rows
        .iter()
        .map(|r| {
            let names = RowNames::parse(&r.module).expect("checked in build");
            context! { names => names, view => r }
        })
        .collect();
    let ctx = context! {
        names => &names,
        display => &display,
        rows => &rows,
        auth => &built.auth,
        base_url => new_opts
            .base_url
            .clone()
            .unwrap_or_else(|| crate::spec::ProviderSpec::placeholder_base_url(&names.kind)),
        sync_plugin => opts.sync_plugin != SyncPlugin::None,
    };
    // The full sync plugin's executor pages each row through its generated listing in
    // src/api/, not the hand-written client's `pages`; its other files are `new`'s.
    let executor = ("src/sync_plugin/executor.rs", "openapi/sync_plugin/executor.rs");
    for (rel, template) in [
        ("src/lib.rs", "openapi/lib.rs"),
        ("src/client.rs", "openapi/client.rs"),
        ("tests/api.rs", "openapi/tests/api.rs"),
    ]
    .into_iter()
    .chain((opts.sync_plugin == SyncPlugin::Full).then_some(executor))
    {
        files.push((rel.into(), templates.render(template, &ctx)?));
    }
    // The typed create/update calls' tests, for a spec that has them.
    if built
        .module
        .rows
        .iter()
        .any(|r| r.create_sample.is_some() || (r.update_sample.is_some() && r.has_id))
    {
        files.push((
            "tests/writes.rs".into(),
            templates.render("openapi/tests/writes.rs", &ctx)?,
        ));
    }
    for view in &built.module.rows {
        files.push(connector_row(
            templates,
            &names,
            &display,
            &row_spec(view)?,
            view,
        )?);
    }
    let generated = CrateFiles {
        files,
        verbs: built
            .module
            .rows
            .iter()
            .map(|r| (r.module.clone(), r.writes.clone()))
            .collect(),
    };
    let plan = crate::new::plan_with(&new_opts, templates, Some(&generated))?;
    Ok(Outcome {
        plan,
        report: report(&built.classified),
        skipped: built.classified.skipped.len(),
        warnings: built.module.warnings,
    })
}

/// `openapi sync`: the generated module of the crate at `crate_dir` regenerated from its
/// spec (`spec`, or the one its mapping file names) and mapping; and for each row the
/// spec gained, its connector row (`src/connector/<row>/`, calling `crate::api::<row>`)
/// planned as `add-row` plans one, wired into the host that loads the crate. Nothing
/// else: the user's files that exist are theirs.
pub fn sync(crate_dir: &Path, spec: Option<&Path>, templates: &Templates) -> Result<Outcome, OpenApiError> {
    let mapping_path = crate_dir.join(mapping::FILE);
    if !mapping_path.is_file() {
        return Err(OpenApiError::NoMapping(crate_dir.display().to_string()));
    }
    let mapping = Mapping::read(&mapping_path)?;
    let spec_path = match (spec, &mapping.spec) {
        (Some(spec), _) => spec.to_path_buf(),
        (None, Some(rel)) => crate_dir.join(rel),
        (None, None) => return Err(OpenApiError::NoMapping(crate_dir.display().to_string())),
    };
    // Absolute, so the plan shows its files from the host's root (or the crate's parent).
    let absolute = std::path::absolute(crate_dir).unwrap_or_else(|_| crate_dir.to_path_buf());
    let crate_dir = absolute.as_path();
    let shown = relative(crate_dir, &spec_path);
    let display = crate_display(crate_dir);
    let built = build(&spec_path, &shown, &mapping, &display)?;
    let modules: Vec<&str> = built.module.rows.iter().map(|r| r.module.as_str()).collect();
    // A connector row the spec no longer has would stop compiling: refused.
    let connector = crate_dir.join("src/connector");
    if let Ok(entries) = std::fs::read_dir(&connector) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let uses = std::fs::read_to_string(entry.path().join("mod.rs"))
                .is_ok_and(|t| names_module(&t, &format!("crate::api::{name}")));
            if uses && !modules.contains(&name.as_str()) {
                return Err(OpenApiError::RowGone(name));
            }
        }
    }
    // A row whose module the connector has (a directory or a file) is the user's.
    let new_rows: Vec<&generate::RowView> = built
        .module
        .rows
        .iter()
        .filter(|r| {
            !connector.join(&r.module).exists() && !connector.join(format!("{}.rs", r.module)).exists()
        })
        .collect();
    // The host is read only when there is a row to wire: a sync that regenerates
    // src/api/ alone costs no more than it did.
    let located = if new_rows.is_empty() {
        None
    } else {
        provider_and_host(crate_dir)?
    };
    let host = located.as_ref().and_then(|(_, host)| host.as_ref());
    let root = host.map_or_else(
        || crate_dir.parent().unwrap_or(crate_dir).to_path_buf(),
        |h| h.root.clone(),
    );
    let templates = match host {
        Some(host) => templates.with_overrides(&host.root).map_err(AddRowError::from)?,
        None => templates.clone(),
    };
    let mut plan = Plan::new(root);
    let mut generated = Vec::new();
    for (rel, content) in &built.module.files {
        let path = crate_dir.join(rel);
        match crate::fs::read_text(&path) {
            Ok(before) => plan.modify(&path, before, content.clone(), "regenerate"),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                plan.create(&path, content.clone(), "generate")
            }
            Err(source) => {
                return Err(OpenApiError::Read {
                    path: path.display().to_string(),
                    source,
                });
            }
        }
        // rustfmt parses it as it lays it out (see `new`'s crate files).
        plan.prove(&path);
        generated.push(path);
    }
    // A row module of an operation gone from the spec goes with it.
    if let Ok(entries) = std::fs::read_dir(crate_dir.join("src/api")) {
        for entry in entries.flatten() {
            let path = entry.path();
            let planned = built
                .module
                .files
                .iter()
                .any(|(rel, _)| crate_dir.join(rel) == path);
            if !planned
                && path.extension().is_some_and(|e| e == "rs")
                && let Ok(before) = crate::fs::read_text(&path)
            {
                plan.delete(&path, before, "operation gone from the spec");
            }
        }
    }
    let mut report = report(&built.classified);
    let proven = !templates.has_overrides();
    // Each new row's connector row, when the crate has a connector to add it to.
    let mut rows = Vec::new();
    for view in &new_rows {
        match &located {
            Some((provider, _)) => {
                let row = row_spec(view)?;
                let file = connector_row(&templates, &provider.names(), &display, &row, view)?;
                rows.push((provider, row, vec![file]));
            }
            // A mapping file written before the crate was made: the rows wait for it.
            None => report.push(format!(
                "row {0} is new: src/api/{0}.rs is generated, but the crate has no #[tento::provider] connector to add its row to yet",
                view.module
            )),
        }
    }
    match host {
        Some(host) => {
            let files = Files::new(host, Formatter::new(&host.crate_dir));
            for path in &generated {
                files.format_file(path);
            }
            for (provider, row, row_files) in rows {
                add_row::plan_row(&mut plan, &files, &templates, provider, &row, row_files, proven)?;
                report.push(format!(
                    "row {0} is new: src/connector/{0}/ calls crate::api::{0}, and the host routes it as `add-row` would",
                    row.names.module
                ));
            }
            files.into_formatter().finish(&mut plan)?;
        }
        None => {
            let mut formatter = Formatter::new(crate_dir);
            for path in &generated {
                formatter.file(path);
            }
            for (_, row, row_files) in rows {
                add_row::create_row_files(&mut plan, crate_dir, row_files, proven, |p| formatter.file(p));
                add_row::declare_module(&mut plan, crate_dir, &row.names.module)?;
                report.push(format!(
                    "row {0} is new: src/connector/{0}/ calls crate::api::{0}; no host loads this crate, so none is wired",
                    row.names.module
                ));
            }
            formatter.finish(&mut plan)?;
        }
    }
    Ok(Outcome {
        plan,
        report,
        skipped: built.classified.skipped.len(),
        warnings: built.module.warnings,
    })
}

/// The connector row of generated row `view` (routed as `row`):
/// `src/connector/<row>/mod.rs`, a `#[tento::row]` whose calls are `crate::api::<row>`'s.
fn connector_row(
    templates: &Templates,
    names: &ProviderNames,
    display: &str,
    row: &RowSpec,
    view: &generate::RowView,
) -> Result<(String, String), RenderError> {
    let row = context! { names => &row.names, view => view };
    let ctx = context! { names => names, display => display, row => row };
    Ok((
        format!("src/connector/{}/mod.rs", view.module),
        templates.render("openapi/row.rs", &ctx)?,
    ))
}

/// The row a host routes for `view`, as `new --from-openapi` routes it: synced, with its
/// write verbs.
fn row_spec(view: &generate::RowView) -> Result<RowSpec, OpenApiError> {
    let mut row = RowSpec::synced(&view.module).map_err(|source| OpenApiError::RowName {
        operation: view.operation_id.clone(),
        row: view.module.clone(),
        source,
    })?;
    row.verbs.extend(view.writes.iter().cloned());
    Ok(row)
}

/// The provider crate at `crate_dir` and the host that loads it, found as `add-row`
/// finds them from inside the crate; without such a host, the crate alone; `None` when
/// the crate has no `#[tento::provider]` connector (not made yet).
fn provider_and_host(crate_dir: &Path) -> Result<Option<(Provider, Option<Host>)>, OpenApiError> {
    // Looked for from the crate itself only: a crate above it is another provider.
    if !crate_dir.join("Cargo.toml").is_file() || !crate_dir.join("src/connector/mod.rs").is_file() {
        return Ok(None);
    }
    let opts = AddRowOptions {
        cwd: crate_dir.to_path_buf(),
        ..AddRowOptions::default()
    };
    match add_row::locate(&opts) {
        Ok((host, provider)) => Ok(Some((provider, Some(host)))),
        Err(AddRowError::NoHost(_) | AddRowError::UnknownProvider(_)) => {
            let crate_name = crate_dir
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            let lib_name = crate_name.replace('-', "_");
            Ok(Provider::read(&crate_name, &lib_name, crate_dir, false).map(|p| (p, None)))
        }
        Err(e) => Err(e.into()),
    }
}

/// Whether `text` names the path `module` (not merely a longer name it starts).
fn names_module(text: &str, module: &str) -> bool {
    text.match_indices(module).any(|(at, _)| {
        text[at + module.len()..]
            .chars()
            .next()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_'))
    })
}

/// The provider's display name, from the crate's connector (`name = "…"`), else its
/// directory.
fn crate_display(crate_dir: &Path) -> String {
    std::fs::read_to_string(crate_dir.join("src/connector/mod.rs"))
        .ok()
        .and_then(|t| {
            let rest = t.split("    name = \"").nth(1)?;
            Some(rest.split('"').next()?.to_owned())
        })
        .unwrap_or_else(|| {
            crate_dir
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned()
        })
}

/// Whether the spec changed since `src/api/` was generated: `Some(message)` when it did,
/// or when it cannot be read.
pub fn drift(crate_dir: &Path) -> Option<String> {
    let mapping = Mapping::read(&crate_dir.join(mapping::FILE)).ok()?;
    let spec = crate_dir.join(mapping.spec?);
    let generated = std::fs::read_to_string(crate_dir.join("src/api/mod.rs")).ok()?;
    let stored = generated
        .lines()
        .find_map(|l| l.strip_prefix("//! spec-hash: "))?
        .trim()
        .to_owned();
    let name = crate_dir.file_name().unwrap_or_default().to_string_lossy();
    match std::fs::read_to_string(&spec) {
        Ok(text) if document::spec_hash(&text) == stored => None,
        Ok(_) => Some(format!(
            "{name}: {} changed since src/api/ was generated; run `tento-scaffold openapi sync {}`",
            spec.display(),
            crate_dir.display()
        )),
        Err(e) => Some(format!("{name}: cannot read its spec {}: {e}", spec.display())),
    }
}

/// `to` relative to directory `from` (which may not exist yet), with `/`.
fn relative(from: &Path, to: &Path) -> String {
    let absolute = |p: &Path| {
        let p = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
        // Canonical where it exists, so symlinked temp dirs compare equal.
        let mut existing = p.clone();
        let mut tail = Vec::new();
        while !existing.exists() {
            match (existing.file_name().map(|n| n.to_owned()), existing.parent()) {
                (Some(name), Some(parent)) => {
                    tail.push(name);
                    existing = parent.to_path_buf();
                }
                _ => break,
            }
        }
        let mut out = existing.canonicalize().unwrap_or(existing);
        out.extend(tail.into_iter().rev());
        out
    };
    let (from, to) = (absolute(from), absolute(to));
    // On another drive there is no path from one to the other.
    if from.components().next() != to.components().next() {
        return to.display().to_string();
    }
    crate::wire::relative(&from, &to)
}
