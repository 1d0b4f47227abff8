//! What `check` reports: each thing the host is missing of a step, with the line to
//! add; and what it reads the host for, once, before every step looks.

use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::host::Host;
use crate::inventory::{Inventory, Provider, Route};
use crate::patch::splice::{code_only, compact};

/// What is missing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DriftKind {
    /// The provider has no `[integration = …]` block in the host's `#[rowkey]`.
    Integration,
    /// The host does not resolve the provider's auth kind.
    Auth,
    /// The host does not register the provider's deps.
    Deps,
    /// A synced row is not registered with the orchestrator.
    Sync,
    /// A route calls a row that does not exist.
    RouteWithoutRow,
    /// A row no route reaches.
    RowWithoutRoute,
}

impl DriftKind {
    /// The kind as the table prints it.
    pub fn label(self) -> &'static str {
        match self {
            DriftKind::Integration => "integration",
            DriftKind::Auth => "auth",
            DriftKind::Deps => "deps",
            DriftKind::Sync => "sync",
            DriftKind::RouteWithoutRow => "route-without-row",
            DriftKind::RowWithoutRoute => "row-without-route",
        }
    }
}

/// One thing missing, and how to add it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Drift {
    /// What is missing.
    pub kind: DriftKind,
    /// The provider's crate (or, for a route, its integration).
    pub provider: String,
    /// What it is about: a row, a route, or the provider itself.
    pub subject: String,
    /// The file to add it to, relative to the host root.
    pub file: String,
    /// The line to add (or, for a route without a row, the command that writes one).
    pub fix: String,
}

/// The host as `check`'s steps look at it: what it registers, resolves and routes,
/// collected in one pass over its files (a host with a hundred providers holds a
/// thousand registrations, and searching every file for each would be quadratic).
pub(crate) struct Checking<'a> {
    host: &'a Host,
    /// The type arguments of its `.register::<…>` calls, compacted.
    registered: HashSet<String>,
    /// The type arguments of its `.register_row_with_sync::<…>` calls, compacted.
    synced: HashSet<String>,
    /// The crates the host depends on, as code names them.
    dependencies: HashSet<String>,
    /// The files resolving auth kinds (code only), each compacted when first needed.
    auth_files: Vec<(String, OnceCell<String>)>,
    /// The file holding the `#[rowkey]` block.
    pub rowkey_file: String,
    /// Each provider by its marker, found once: a big host has a thousand routes.
    owners: HashMap<String, &'a Provider>,
    /// The routes under each integration.
    routes: HashMap<&'a str, Vec<&'a Route>>,
    /// Every route.
    pub all_routes: &'a [Route],
}

impl<'a> Checking<'a> {
    /// Reads what `check` needs of `host`, whose providers and routes are `inventory`.
    pub(crate) fn read(host: &'a Host, inventory: &'a Inventory) -> Self {
        let sources: Vec<String> = host
            .files
            .iter()
            .filter(|f| f.src.contains("register"))
            .map(|f| code_only(&f.src))
            .collect();
        // A host names types through its `use` lines as often as by path: each argument
        // is also known by the path its first segment was imported from.
        let uses: Vec<HashMap<String, String>> = sources.iter().map(|src| use_paths(src)).collect();
        let dependencies = host
            .crate_doc
            .get("dependencies")
            .and_then(|d| d.as_table_like())
            .map(|t| t.iter().map(|(k, _)| k.replace('-', "_")).collect())
            .unwrap_or_default();
        // An auth line is looked for as written first; a file is compacted (its lib.rs
        // may be long) only when a line is not found so.
        let auth_files = host
            .files
            .iter()
            .filter(|f| f.src.contains("auth_registry") || f.src.contains("UserAuth"))
            .map(|f| (code_only(&f.src), OnceCell::new()))
            .collect();
        let mut owners = HashMap::new();
        for p in &inventory.providers {
            owners.entry(p.marker()).or_insert(p);
        }
        let mut routes: HashMap<&str, Vec<&Route>> = HashMap::new();
        for route in &inventory.routes {
            routes.entry(&route.integration).or_default().push(route);
        }
        let mut checking = Checking {
            host,
            registered: turbofish_args(&sources, &uses, "register"),
            synced: turbofish_args(&sources, &uses, "register_row_with_sync"),
            dependencies,
            auth_files,
            rowkey_file: String::new(),
            owners,
            routes,
            all_routes: &inventory.routes,
        };
        checking.rowkey_file = inventory
            .rowkey_file
            .clone()
            .unwrap_or_else(|| checking.file_with("RowKeySchema"));
        checking
    }

    /// Whether the host registers deps of type `ty` (compacted).
    pub(crate) fn registers(&self, ty: &str) -> bool {
        self.registered.contains(ty)
    }

    /// Whether the host registers row `path` with its orchestrator.
    pub(crate) fn syncs(&self, path: &str) -> bool {
        self.synced.contains(path)
    }

    /// Whether a file resolving auth kinds holds `needle` (in its code, however laid out).
    pub(crate) fn mentions_auth(&self, needle: &str) -> bool {
        self.auth_files.iter().any(|(src, _)| src.contains(needle))
            || self
                .auth_files
                .iter()
                .any(|(src, compacted)| compacted.get_or_init(|| compact(src)).contains(needle))
    }

    /// The first host file holding `needle`, else the host crate's `src/lib.rs`: where
    /// to add a line.
    pub(crate) fn file_with(&self, needle: &str) -> String {
        self.host
            .files
            .iter()
            .find(|f| f.src.contains(needle))
            .map(|f| f.display.clone())
            .unwrap_or_else(|| self.host.display(&self.host.crate_dir.join("src/lib.rs")))
    }

    /// The routes under provider `p`'s integration.
    pub(crate) fn routes_of(&self, p: &Provider) -> &[&'a Route] {
        self.routes
            .get(p.marker().as_str())
            .map_or(&[][..], Vec::as_slice)
    }

    /// The provider whose marker is `integration`.
    pub(crate) fn owner(&self, integration: &str) -> Option<&'a Provider> {
        self.owners.get(integration).copied()
    }

    /// Whether the host depends on the crate code names `krate`.
    pub(crate) fn depends_on(&self, krate: &str) -> bool {
        self.dependencies.contains(krate)
    }
}

/// What each name a file's `use` lines bring in stands for: `Activities` →
/// `tento_acme::connector::activities::Activities`, `Alias` for `… as Alias`. Read from
/// the `use` statements alone (`code` has its comments and literals blanked).
fn use_paths(code: &str) -> HashMap<String, String> {
    fn walk(tree: &syn::UseTree, prefix: &str, out: &mut HashMap<String, String>) {
        let join = |name: &str| {
            if prefix.is_empty() {
                name.to_owned()
            } else {
                format!("{prefix}::{name}")
            }
        };
        match tree {
            syn::UseTree::Path(p) => walk(&p.tree, &join(&p.ident.to_string()), out),
            syn::UseTree::Name(n) if n.ident == "self" => {
                if let Some(last) = prefix.rsplit("::").next() {
                    out.insert(last.to_owned(), prefix.to_owned());
                }
            }
            syn::UseTree::Name(n) => {
                out.insert(n.ident.to_string(), join(&n.ident.to_string()));
            }
            syn::UseTree::Rename(r) if r.ident == "self" => {
                out.insert(r.rename.to_string(), prefix.to_owned());
            }
            syn::UseTree::Rename(r) => {
                out.insert(r.rename.to_string(), join(&r.ident.to_string()));
            }
            syn::UseTree::Group(g) => g.items.iter().for_each(|t| walk(t, prefix, out)),
            syn::UseTree::Glob(_) => {}
        }
    }
    let mut out = HashMap::new();
    let mut at = 0;
    while let Some(found) = code[at..].find("use ") {
        let start = at + found;
        at = start + 4;
        let before = code[..start].trim_end();
        // A `use` item: at a statement's start, maybe after `pub` or `pub(…)`.
        let item_start = before.is_empty()
            || before.ends_with([';', '{', '}'])
            || before.ends_with("pub")
            || before.ends_with(')') && before.trim_end_matches(|c: char| c != '(').ends_with("pub(");
        if !item_start || code[..start].ends_with(|c: char| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let Some(end) = code[start..].find(';') else { break };
        if let Ok(item) = syn::parse_str::<syn::ItemUse>(&code[start..=start + end]) {
            walk(&item.tree, "", &mut out);
        }
        at = start + end + 1;
    }
    out
}

/// The type arguments, compacted, of every `.<method>::<…>` in `files`, however the
/// call is laid out (rustfmt may break a long turbofish across lines); each also as
/// the path its first segment was imported from (`uses`, a map per file).
fn turbofish_args(files: &[String], uses: &[HashMap<String, String>], method: &str) -> HashSet<String> {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut found = HashSet::new();
    for (src, uses) in files.iter().zip(uses) {
        for (at, _) in src.match_indices(method) {
            let before = src[..at].trim_end();
            let after = src[at + method.len()..].trim_start();
            if !before.ends_with('.') || src[..at].ends_with(ident) {
                continue;
            }
            let Some(open) = after.strip_prefix("::").map(str::trim_start) else {
                continue;
            };
            let Some(args) = open.strip_prefix('<') else {
                continue;
            };
            let mut depth = 1usize;
            for (i, c) in args.char_indices() {
                match c {
                    '<' => depth += 1,
                    '>' => {
                        depth -= 1;
                        if depth == 0 {
                            let arg = compact(&args[..i]);
                            let raw = args[..i].trim();
                            let (dyn_, path) = match raw
                                .strip_prefix("dyn")
                                .filter(|r| r.starts_with(char::is_whitespace))
                            {
                                Some(rest) => ("dyn", compact(rest)),
                                None => ("", arg.clone()),
                            };
                            let (first, rest) = path.split_once("::").unwrap_or((&path, ""));
                            if let Some(full) = uses.get(first) {
                                let sep = if rest.is_empty() { "" } else { "::" };
                                found.insert(format!("{dyn_}{full}{sep}{rest}"));
                            }
                            found.insert(arg);
                            break;
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registrations_are_known_by_the_paths_their_names_were_imported_from() {
        let src = code_only(
            "use a::connector::ABackendDeps;\npub use b::connector::{self as bc, rows::Rows as BRows};\nfn f() {\n    i.register::<dyn ABackendDeps>(d);\n    i.register::<dyn bc::BBackendDeps>(d);\n    o.register_row_with_sync::<BRows>(p, e);\n    // use c::C;\n}\n",
        );
        let uses = vec![use_paths(&src)];
        let registered = turbofish_args(std::slice::from_ref(&src), &uses, "register");
        assert!(
            registered.contains("dyna::connector::ABackendDeps"),
            "{registered:?}"
        );
        assert!(
            registered.contains("dynb::connector::BBackendDeps"),
            "{registered:?}"
        );
        assert!(
            registered.contains("dynABackendDeps"),
            "as written too: {registered:?}"
        );
        let synced = turbofish_args(std::slice::from_ref(&src), &uses, "register_row_with_sync");
        assert!(synced.contains("b::connector::rows::Rows"), "{synced:?}");
        assert!(!uses[0].contains_key("C"), "a commented-out use is none");
    }
}
