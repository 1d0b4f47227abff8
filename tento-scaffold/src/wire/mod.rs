//! Wiring a provider into a host, one module per seed step, each holding how its step is
//! added (`new`, `add-row`), taken out (`remove`) and found missing (`check`): the
//! commands walk `STEPS`. Host edits are text spliced at spots found with `syn` (or
//! `toml_edit` for manifests). Each step reads the file as the plan has it so far, so
//! several edits of one file compose.
//!
//! | seed step | module |
//! |---|---|
//! | workspace member and host dependency | `manifest` |
//! | the integration block in the `#[rowkey]` DSL, a row's route | `routes` |
//! | the auth registry line (or a `UserAuth` match arm) | `auth` |
//! | the `register::<dyn …BackendDeps>` line | `deps_registration` |
//! | the host's `impl …BackendDeps` | `deps_impl` |
//! | `register_row_with_sync` for each synced row | [`sync`] |
//! | the test fakes' stub deps | `fakes` |
//! | the host's test of the provider | `host_test` |
//!
//! A ninth step is a new module implementing `Step`, and a line in `STEPS`.

mod auth;
mod body;
mod cut;
mod deps_impl;
mod deps_registration;
pub(crate) mod drift;
mod fakes;
mod host_test;
mod manifest;
mod parses;
pub(crate) mod paths;
mod routes;
pub mod sync;

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use crate::host::{Host, SourceFile};
use crate::inventory::Provider;
use crate::patch::rustfmt::{Formatter, Snippet};
use crate::patch::{rust, splice};
use crate::plan::Plan;
use crate::spec::{ProviderSpec, RowSpec};
use crate::templates::{RenderError, Templates};
use parses::Parses;

pub(crate) use body::{append_to_body, insert_statement, openable, param};
pub(crate) use cut::{Cut, cut};
pub(crate) use drift::{Checking, Drift, DriftKind};
pub(crate) use routes::routes_kind;

/// The seed steps, in the order `new` adds them (and so the order a file's edits are
/// summarised in).
pub(crate) const STEPS: &[&dyn Step] = &[
    &manifest::Manifest,
    &routes::Routes,
    &auth::Auth,
    &deps_registration::DepsRegistration,
    &deps_impl::DepsImpl,
    &sync::SyncRegistration,
    &fakes::Fakes,
    &host_test::HostTest,
];

/// One seed step: how it is added, taken out and found missing. Each method has a
/// default doing nothing, since not every step has every side (only the routes and
/// the sync registrations grow with `add-row`, say).
pub(crate) trait Step {
    /// Plans the step for a new provider (`new`).
    fn add(&self, _plan: &mut Plan, _cx: &Wiring<'_, '_>) -> Result<(), WireError> {
        Ok(())
    }

    /// Plans the step for a new row `row` of a provider whose routes sit under
    /// `prefix` (`add-row`).
    fn add_row(
        &self,
        _plan: &mut Plan,
        _cx: &Wiring<'_, '_>,
        _prefix: &str,
        _row: &RowSpec,
    ) -> Result<(), WireError> {
        Ok(())
    }

    /// Plans `remove`'s whole-file edits: a manifest's entries, a file deleted.
    fn unwire(&self, _removal: &mut Removal, _cx: &Unwiring<'_, '_>) -> Result<(), WireError> {
        Ok(())
    }

    /// The lines of a host file (`src`, parsed as `parsed`) that the step added for
    /// the provider, for `remove` to cut.
    fn cuts(&self, _cx: &Unwiring<'_, '_>, _src: &str, _parsed: &rust::Parsed) -> Vec<Cut> {
        Vec::new()
    }

    /// `src` (a host file shown as `display`, its cuts made) with what the step added
    /// taken out where whole lines would not do.
    fn uncut(&self, _cx: &Unwiring<'_, '_>, _display: &str, src: String) -> Result<String, WireError> {
        Ok(src)
    }

    /// Pushes what the host is missing of the step for provider `p` (`check`).
    fn check(&self, _cx: &Checking<'_>, _p: &Provider, _drifts: &mut Vec<Drift>) {}

    /// Pushes what the host has of the step for no provider (`check`, after every
    /// provider's).
    fn check_host(&self, _cx: &Checking<'_>, _drifts: &mut Vec<Drift>) {}
}

/// What a step adds for: the provider, the host as the plan has it so far.
pub(crate) struct Wiring<'a, 'h> {
    /// The host.
    pub host: &'h Host,
    /// Its files as planned.
    pub files: &'a Files<'h>,
    /// The provider (for `add-row`, with the new row alone).
    pub spec: &'a ProviderSpec,
    /// The templates, the host's overrides applied.
    pub templates: &'a Templates,
    /// The provider crate's directory.
    pub crate_dir: &'a Path,
    /// Files a step rewrites that the user may have edited since the scaffold wrote
    /// them: `new` refuses to change them without `--force`.
    pub guarded: RefCell<Vec<PathBuf>>,
}

impl<'a, 'h> Wiring<'a, 'h> {
    /// Wiring `spec`, whose crate is at `crate_dir`, into the host of `files`.
    pub fn new(
        files: &'a Files<'h>,
        spec: &'a ProviderSpec,
        templates: &'a Templates,
        crate_dir: &'a Path,
    ) -> Self {
        Wiring {
            host: files.host,
            files,
            spec,
            templates,
            crate_dir,
            guarded: RefCell::new(Vec::new()),
        }
    }
}

/// What a step takes out: the provider, as the host's inventory read it.
pub(crate) struct Unwiring<'a, 'h> {
    /// The host.
    pub host: &'h Host,
    /// Its files.
    pub files: &'a Files<'h>,
    /// The provider.
    pub provider: &'a Provider,
}

/// `remove`'s plan as its steps build it: edits planned as they come, deletions after
/// every edit (a user reads what changes, then what goes).
pub(crate) struct Removal {
    /// The edits.
    pub plan: Plan,
    deletions: Vec<(PathBuf, String, &'static str)>,
}

impl Removal {
    /// An empty removal from the host at `root`.
    pub fn new(root: &Path) -> Self {
        Removal {
            plan: Plan::new(root),
            deletions: Vec::new(),
        }
    }

    /// Deletes `path`, whose content is `before`, once the edits are planned.
    pub fn delete(&mut self, path: PathBuf, before: String, summary: &'static str) {
        self.deletions.push((path, before, summary));
    }

    /// The plan: the edits, then the deletions.
    pub fn into_plan(mut self) -> Plan {
        for (path, before, summary) in self.deletions {
            self.plan.delete(path, before, summary);
        }
        self.plan
    }
}

/// A spot the scaffold needs and could not find; nothing was written.
#[derive(Debug, thiserror::Error)]
#[error(
    "could not find {what} in {looked_in}: {hint}; add these lines by hand, or run again after:\n{snippet}"
)]
pub struct SpotNotFound {
    /// What was looked for.
    pub what: String,
    /// Which files were searched.
    pub looked_in: String,
    /// How to make it findable.
    pub hint: String,
    /// The lines to add by hand.
    pub snippet: String,
}

/// A failure while wiring.
#[derive(Debug, thiserror::Error)]
pub enum WireError {
    /// A spot is missing.
    #[error(transparent)]
    Spot(#[from] SpotNotFound),
    /// A host file no longer parses (after an earlier step of this plan: a bug).
    #[error(transparent)]
    Rust(#[from] rust::RustError),
    /// A manifest does not parse.
    #[error(transparent)]
    Manifest(#[from] crate::patch::cargo_toml::ManifestError),
    /// A file in the way could not be read as text.
    #[error("could not read {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// A template failed.
    #[error(transparent)]
    Render(#[from] RenderError),
    /// A function body to add to is in a shape `remove` could not give back byte for byte.
    #[error("{file}: the body of `{function}` {problem}; {fix} (as rustfmt does) and run again")]
    Body {
        /// The file.
        file: String,
        /// The function.
        function: String,
        /// What is wrong with its shape.
        problem: &'static str,
        /// What to write instead.
        fix: &'static str,
    },
}

/// The host's files as the plan being built has them so far, and the formatter that
/// lays out what the steps insert.
pub(crate) struct Files<'h> {
    host: &'h Host,
    formatter: RefCell<Formatter>,
    /// The host's deps types, found once (see [`host_deps_types`]).
    deps_types: RefCell<Option<Vec<String>>>,
    /// The parses made so far, for the steps after.
    pub(crate) parses: Parses,
}

impl<'h> Files<'h> {
    /// The files of `host`, with `formatter` for inserted code.
    pub(crate) fn new(host: &'h Host, formatter: Formatter) -> Self {
        Files {
            host,
            formatter: RefCell::new(formatter),
            deps_types: RefCell::new(None),
            parses: Parses::default(),
        }
    }

    /// The text to splice for `code` (see [`Formatter::snippet`]).
    pub(crate) fn format(&self, code: &str, kind: Snippet, depth: usize, unit: &str) -> String {
        self.formatter.borrow_mut().snippet(code, kind, depth, unit)
    }

    /// The text to splice in place of `otherwise`, decided by whether rustfmt lays
    /// `code` out on one line (see [`Formatter::if_one_line`]).
    pub(crate) fn if_one_line(
        &self,
        code: &str,
        depth: usize,
        unit: &str,
        joined: Option<String>,
        otherwise: String,
    ) -> String {
        self.formatter
            .borrow_mut()
            .if_one_line(code, depth, unit, joined, otherwise)
    }

    /// Marks a file the plan creates, to be laid out whole.
    pub(crate) fn format_file(&self, path: &Path) {
        self.formatter.borrow_mut().file(path);
    }

    /// The formatter, to finish the plan with.
    pub(crate) fn into_formatter(self) -> Formatter {
        self.formatter.into_inner()
    }

    /// Every host Rust file with its current (planned) text.
    /// The host's library files (not its tests) whose planned text contains one of
    /// `words`: the only ones a step parses, since a host may hold hundreds of files
    /// and parsing is most of a step's cost. A test that registers deps or matches on
    /// kinds is not where the host does.
    pub(crate) fn mentioning(&self, plan: &Plan, words: &[&str]) -> Vec<(&'h SourceFile, String)> {
        let tests = self.host.crate_dir.join("tests");
        self.matching(
            plan,
            |f| !f.path.starts_with(&tests),
            |src| words.iter().any(|w| src.contains(w)),
        )
    }

    /// The host's library files (not its tests) that may implement a trait whose name
    /// ends in `suffix` (`impl …{suffix} for …`): a file merely naming the trait is not
    /// worth parsing for its impls.
    pub(crate) fn implementing(&self, plan: &Plan, suffix: &str) -> Vec<(&'h SourceFile, String)> {
        let tests = self.host.crate_dir.join("tests");
        self.matching(
            plan,
            |f| !f.path.starts_with(&tests),
            |src| may_implement(src, suffix),
        )
    }

    /// Like [`mentioning`](Self::mentioning), tests included: where test fakes live.
    pub(crate) fn mentioning_with_tests(&self, plan: &Plan, words: &[&str]) -> Vec<(&'h SourceFile, String)> {
        self.matching(plan, |_| true, |src| words.iter().any(|w| src.contains(w)))
    }

    fn matching(
        &self,
        plan: &Plan,
        keep: impl Fn(&SourceFile) -> bool,
        test: impl Fn(&str) -> bool,
    ) -> Vec<(&'h SourceFile, String)> {
        self.host
            .files
            .iter()
            .filter(|f| keep(f))
            .map(|f| (f, plan.content_of(&f.path).unwrap_or(&f.src)))
            .filter(|(_, src)| test(src))
            .map(|(f, src)| (f, src.to_owned()))
            .collect()
    }

    /// Whether any host file, as planned, satisfies `test`: how each step sees it was
    /// done already, so a second run plans nothing.
    pub(crate) fn any(&self, plan: &Plan, test: impl Fn(&str) -> bool) -> bool {
        self.host
            .files
            .iter()
            .any(|f| test(plan.content_of(&f.path).unwrap_or(&f.src)))
    }

    /// The files searched, for messages.
    pub(crate) fn searched(&self) -> String {
        let names: Vec<&str> = self.host.files.iter().map(|f| f.display.as_str()).collect();
        if names.is_empty() {
            self.host.display(&self.host.crate_dir)
        } else {
            names.join(", ")
        }
    }
}

/// The host's deps structs, as their names: the types the host implements providers'
/// seams on (`impl …BackendDeps for HostDeps`, test code aside), else the structs with a
/// `store` field. A step that needs the host's deps takes the parameter of that type,
/// never merely the first `Arc` in a signature.
pub(crate) fn host_deps_types(plan: &Plan, files: &Files<'_>) -> Result<Vec<String>, WireError> {
    // Found once per command: the steps after the first only add impls on these types.
    if let Some(found) = files.deps_types.borrow().as_ref() {
        return Ok(found.clone());
    }
    let found = find_host_deps_types(plan, files)?;
    *files.deps_types.borrow_mut() = Some(found.clone());
    Ok(found)
}

fn find_host_deps_types(plan: &Plan, files: &Files<'_>) -> Result<Vec<String>, WireError> {
    let mut found = Vec::new();
    for (file, src) in files.implementing(plan, "BackendDeps") {
        let outline = files.parses.outline(file, &src, "BackendDeps for")?;
        let (parsed, tests) = &*outline;
        for imp in rust::trait_impls(parsed, &src, "BackendDeps") {
            if !rust::within(tests, imp.range.start) {
                found.push(last_segment(&imp.self_ty).to_owned());
            }
        }
    }
    if found.is_empty() {
        for (file, src) in files.mentioning(plan, &["store"]) {
            let parsed = rust::parse(&file.display, &src)?;
            found.extend(rust::structs_with_field(&parsed, "store"));
        }
    }
    found.sort();
    found.dedup();
    Ok(found)
}

/// Whether `src` may hold an `impl …{suffix} for …`: the name, then `for` after any
/// whitespace, since rustfmt breaks a long impl header before `for`.
fn may_implement(src: &str, suffix: &str) -> bool {
    src.match_indices(suffix).any(|(at, _)| {
        let rest = src[at + suffix.len()..].trim_start();
        rest.len() < src.len() - at - suffix.len()
            && rest
                .strip_prefix("for")
                .is_some_and(|r| r.starts_with(char::is_whitespace))
    })
}

/// The last segment of a path's source, generics dropped: `crate::deps::HostDeps` →
/// `HostDeps`.
pub(crate) fn last_segment(path: &str) -> &str {
    let path = path.split('<').next().unwrap_or(path).trim();
    path.rsplit("::").next().unwrap_or(path).trim()
}

/// The type an `Arc<…>`, `&Arc<…>` or `&mut Arc<…>` parameter holds (its last segment),
/// when the parameter is one.
pub(crate) fn arc_of(ty: &str) -> Option<&str> {
    let ty = ty.trim().trim_start_matches('&').trim_start();
    let ty = ty.strip_prefix("mut ").unwrap_or(ty).trim_start();
    let inner = ty.strip_prefix("Arc<").or_else(|| {
        ty.strip_prefix("std::sync::Arc<")
            .or_else(|| ty.strip_prefix("::std::sync::Arc<"))
    })?;
    let inner = inner.strip_suffix('>')?.trim();
    (!inner.starts_with("dyn ")).then(|| last_segment(inner))
}

/// The one parameter of `f` holding the host's deps (`&Arc<HostDeps>`), by its type;
/// `None` when there is none, or several of different names.
pub(crate) fn deps_param(f: &rust::FnWithParam, deps_types: &[String]) -> Option<String> {
    let mut names = f
        .params
        .iter()
        .filter(|(_, ty)| arc_of(ty).is_some_and(|t| deps_types.iter().any(|d| d == t)))
        .map(|(name, _)| name.clone());
    let first = names.next()?;
    names.next().is_none().then_some(first)
}

/// Plans replacing `file`'s text with `after`, in its own line endings.
pub(crate) fn write(plan: &mut Plan, file: &SourceFile, after: String, summary: String) {
    let after = splice::keep_final_newline(&file.src, splice::match_newlines(&file.src, after));
    plan.modify(&file.path, file.src.clone(), after, summary);
}

/// Plans `path` with `content`: a creation, or a rewrite of what is there; a file there
/// that cannot be read as text is refused, never taken for a missing one.
pub(crate) fn plan_file(
    plan: &mut Plan,
    path: &Path,
    content: String,
    summary: &str,
) -> Result<(), WireError> {
    match crate::fs::read_text(path) {
        Ok(existing) => plan.modify(path, existing, content, summary),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && std::fs::symlink_metadata(path).is_err() => {
            plan.create(path, content, summary)
        }
        Err(source) => {
            return Err(WireError::Read {
                path: path.display().to_string(),
                source,
            });
        }
    }
    Ok(())
}

/// How many indentation units `indent` is.
pub(crate) fn depth(indent: &str, unit: &str) -> usize {
    if unit.is_empty() {
        0
    } else {
        indent.len() / unit.len()
    }
}

/// The path from `from_dir` to `to`, both under one root, as a manifest writes it.
pub(crate) fn relative(from_dir: &Path, to: &Path) -> String {
    let from: Vec<_> = from_dir.components().collect();
    let to_parts: Vec<_> = to.components().collect();
    let common = from.iter().zip(&to_parts).take_while(|(a, b)| a == b).count();
    let mut path = PathBuf::new();
    for _ in common..from.len() {
        path.push("..");
    }
    for part in &to_parts[common..] {
        path.push(part);
    }
    path.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_climb_then_descend() {
        assert_eq!(
            relative(Path::new("/w/host"), Path::new("/w/tento-acme")),
            "../tento-acme"
        );
        assert_eq!(
            relative(Path::new("/w"), Path::new("/w/tento-acme")),
            "tento-acme"
        );
        assert_eq!(relative(Path::new("/w/a/b"), Path::new("/w/c")), "../../c");
        assert_eq!(depth("        ", "    "), 2);
        assert_eq!(depth("\t", "\t"), 1);
    }

    #[test]
    fn arc_parameters_are_read_by_their_type() {
        assert_eq!(arc_of("&Arc<HostDeps>"), Some("HostDeps"));
        assert_eq!(
            arc_of("& std::sync::Arc<crate::deps::HostDeps>"),
            Some("HostDeps")
        );
        assert_eq!(arc_of("Arc<dyn SyncExecutor>"), None);
        assert_eq!(arc_of("&mut Orchestrator"), None);
    }

    #[test]
    fn an_impl_header_broken_before_for_still_implements() {
        assert!(may_implement(
            "impl a::ABackendDeps for HostDeps {}",
            "BackendDeps"
        ));
        assert!(may_implement(
            "impl tento_long::connector::LongBackendDeps\n    for HostDeps\n{}",
            "BackendDeps"
        ));
        assert!(!may_implement(
            "i.register::<dyn ABackendDeps>(d);",
            "BackendDeps"
        ));
        assert!(!may_implement("type ABackendDepsfor = u8;", "BackendDeps"));
        assert!(!may_implement(
            "use a::ABackendDeps;\nfor x in y {}",
            "BackendDeps"
        ));
    }
}
