//! `tento-scaffold check`: the seeds' boot-time check, moved before the build. Every
//! provider the host depends on must have its routes, auth kind, deps registration and
//! (for synced rows under a sync plugin) sync registration; every route must reach a
//! row and every row be reached by a route. Each drift comes with the line to add.

use std::path::PathBuf;

use serde::Serialize;

use super::{Context, out};
use crate::host::Host;
use crate::inventory::{Inventory, Provider, Row};
use crate::patch::splice::{code_only, compact};
use crate::wire::sync::{Executor, registration};

/// `check`'s command line.
#[derive(clap::Args)]
pub(crate) struct CheckArgs {
    /// The host workspace.
    #[arg(long, default_value = ".")]
    host: PathBuf,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

impl CheckArgs {
    /// Prints what the host is missing; fails when anything is.
    pub(crate) fn run(self, cx: &Context) -> anyhow::Result<()> {
        let host = Host::read(&self.host)?;
        let inventory = Inventory::read(&host)?;
        let drifts = check(&host, &inventory);
        if self.json {
            out(&format!("{}\n", serde_json::to_string_pretty(&drifts)?));
        } else if !drifts.is_empty() {
            out(&table(&drifts));
        }
        if !drifts.is_empty() {
            anyhow::bail!(
                "{} thing(s) missing from the host; add the lines above",
                drifts.len()
            );
        }
        cx.status.say(
            "Checked",
            &format!("{} provider(s): nothing missing", inventory.providers.len()),
        );
        Ok(())
    }
}

/// What is missing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
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

/// Every drift of `host`, in provider order.
pub fn check(host: &Host, inventory: &Inventory) -> Vec<Drift> {
    // What the host registers, collected in one pass over its files: a host with a
    // hundred providers holds a thousand registrations, and searching every file for
    // each would be quadratic.
    let sources: Vec<String> = host
        .files
        .iter()
        .filter(|f| f.src.contains("register"))
        .map(|f| code_only(&f.src))
        .collect();
    // A host names types through its `use` lines as often as by path: each argument is
    // also known by the path its first segment was imported from.
    let uses: Vec<std::collections::HashMap<String, String>> =
        sources.iter().map(|src| use_paths(src)).collect();
    let registered = turbofish_args(&sources, &uses, "register");
    let synced = turbofish_args(&sources, &uses, "register_row_with_sync");
    // The names of the crates the host depends on, as code names them.
    let dependencies: std::collections::HashSet<String> =
        crate::patch::cargo_toml::parse("Cargo.toml", &host.crate_manifest)
            .ok()
            .and_then(|doc| {
                doc.get("dependencies")
                    .and_then(|d| d.as_table_like())
                    .map(|t| t.iter().map(|(k, _)| k.replace('-', "_")).collect())
            })
            .unwrap_or_default();
    // An auth line is looked for as written first; a file is compacted (its lib.rs
    // may be long) only when a line is not found so.
    let auth_files: Vec<(String, std::cell::OnceCell<String>)> = host
        .files
        .iter()
        .filter(|f| f.src.contains("auth_registry") || f.src.contains("UserAuth"))
        .map(|f| (code_only(&f.src), std::cell::OnceCell::new()))
        .collect();
    let mentions_auth = |needle: &str| {
        auth_files.iter().any(|(src, _)| src.contains(needle))
            || auth_files
                .iter()
                .any(|(src, compacted)| compacted.get_or_init(|| compact(src)).contains(needle))
    };
    let file_with = |needle: &str| {
        host.files
            .iter()
            .find(|f| f.src.contains(needle))
            .map(|f| f.display.clone())
            .unwrap_or_else(|| host.display(&host.crate_dir.join("src/lib.rs")))
    };
    let rowkey_file = inventory
        .rowkey_file
        .clone()
        .unwrap_or_else(|| file_with("RowKeySchema"));
    // Each provider's marker and routes, found once: a big host has a thousand routes.
    let markers: Vec<String> = inventory.providers.iter().map(Provider::marker).collect();
    let mut owners: std::collections::HashMap<&str, &Provider> = std::collections::HashMap::new();
    for (marker, p) in markers.iter().zip(&inventory.providers) {
        owners.entry(marker).or_insert(p);
    }
    let mut routes_by_integration: std::collections::HashMap<&str, Vec<&crate::inventory::Route>> =
        std::collections::HashMap::new();
    for route in &inventory.routes {
        routes_by_integration
            .entry(&route.integration)
            .or_default()
            .push(route);
    }
    let mut drifts = Vec::new();
    for (p, marker) in inventory.providers.iter().zip(&markers) {
        let routes = routes_by_integration
            .get(marker.as_str())
            .map_or(&[][..], Vec::as_slice);
        let mut push = |kind, subject: String, file: String, fix: String| {
            drifts.push(Drift {
                kind,
                provider: p.crate_name.clone(),
                subject,
                file,
                fix,
            })
        };
        let routed = !routes.is_empty();
        if !routed {
            push(
                DriftKind::Integration,
                p.kind.clone(),
                rowkey_file.clone(),
                integration_block(p),
            );
        }
        let auth = format!("{}::connector::{}", p.lib_name, p.auth_type);
        if !mentions_auth(&auth) && !mentions_auth(&format!("\"{}\"=>", p.kind)) {
            push(
                DriftKind::Auth,
                p.kind.clone(),
                file_with("auth_registry"),
                format!("{auth},"),
            );
        }
        let deps = format!("dyn {}::connector::{}", p.lib_name, p.deps_trait);
        if !registered.contains(&compact(&deps)) {
            push(
                DriftKind::Deps,
                p.kind.clone(),
                file_with("&mut IntegrationDeps"),
                format!("integrations.register::<{deps}>(deps.clone() as Arc<{deps}>);"),
            );
        }
        if p.sync_plugin {
            for row in p.rows.iter().filter(|r| !r.stages.is_empty()) {
                if !synced.contains(&row.path) {
                    push(
                        DriftKind::Sync,
                        row.path.clone(),
                        file_with("&mut Orchestrator"),
                        sync_line(p, row),
                    );
                }
            }
        }
        if routed {
            for row in &p.rows {
                if !routes.iter().any(|r| r.row.as_deref() == Some(row.path.as_str())) {
                    push(
                        DriftKind::RowWithoutRoute,
                        row.path.clone(),
                        rowkey_file.clone(),
                        route_line(p, row),
                    );
                }
            }
        }
    }
    for route in &inventory.routes {
        let Some(row) = &route.row else { continue };
        let owner = owners.get(route.integration.as_str()).copied();
        let exists = match owner {
            Some(p) => p.rows.iter().any(|r| &r.path == row),
            // A route into a crate the host does not depend on cannot build; one whose
            // row the host names elsewhere (`as crate::…`) is the host's own to check,
            // and so is one into a crate it depends on but that this does not read as
            // a provider: advising to remove a route of a host that builds breaks it.
            None => {
                let module = route.integration.rsplit_once("::").map_or("", |(m, _)| m);
                let krate = route.integration.split("::").next().unwrap_or_default();
                !row.starts_with(module) || dependencies.contains(krate)
            }
        };
        if !exists {
            let provider = owner
                .map(|p| p.crate_name.clone())
                .unwrap_or_else(|| route.integration.clone());
            let metric = row.rsplit("::").nth(1).unwrap_or_default();
            let fix = match owner {
                Some(p) => format!("tento-scaffold add-row {metric} --provider {}", p.kind),
                None => format!(
                    "remove the route, or depend on the crate of {}",
                    route.integration
                ),
            };
            drifts.push(Drift {
                kind: DriftKind::RouteWithoutRow,
                provider,
                subject: route.key.clone(),
                file: rowkey_file.clone(),
                fix,
            });
        }
    }
    drifts
}

/// What each name a file's `use` lines bring in stands for: `Activities` →
/// `tento_acme::connector::activities::Activities`, `Alias` for `… as Alias`. Read from
/// the `use` statements alone (`code` has its comments and literals blanked).
fn use_paths(code: &str) -> std::collections::HashMap<String, String> {
    fn walk(tree: &syn::UseTree, prefix: &str, out: &mut std::collections::HashMap<String, String>) {
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
    let mut out = std::collections::HashMap::new();
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
fn turbofish_args(
    files: &[String],
    uses: &[std::collections::HashMap<String, String>],
    method: &str,
) -> std::collections::HashSet<String> {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut found = std::collections::HashSet::new();
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

/// The provider's whole integration block, on one line.
pub fn integration_block(p: &Provider) -> String {
    let rows: Vec<String> = p.rows.iter().map(|r| route_line(p, r)).collect();
    format!(
        "[integration = ::{}] {{ \"{}\" {{ {} }} }}",
        p.marker(),
        p.prefix,
        rows.join(" ")
    )
}

/// A row's route, as a line inside its provider's prefix block.
pub fn route_line(p: &Provider, row: &Row) -> String {
    format!("\"{}\" {{ {} }}", p.segment_of(row), row.serves.join(" "))
}

/// A synced row's orchestrator registration, as `new` writes it. A provider written by
/// hand builds its sync provider and executor its own way, which this cannot know:
/// its line names them for the user to fill in rather than guess a constructor.
fn sync_line(p: &Provider, row: &Row) -> String {
    if p.by_hand {
        return format!(
            "orchestrator.register_row_with_sync::<{}>(/* {}'s sync provider for the row */, /* its executor */);",
            row.path, p.crate_name
        );
    }
    let executor = if p.executor {
        Executor::Provider { deps: "deps" }
    } else {
        Executor::Host { executor: "executor" }
    };
    let module = row.modules.join("::");
    registration(
        "orchestrator",
        &p.lib_name,
        &p.type_name,
        &row.path,
        &module,
        executor,
    )
}

/// The drifts as a table, one per line, columns aligned.
pub fn table(drifts: &[Drift]) -> String {
    let header = ["MISSING", "PROVIDER", "FOR", "FILE", "LINE TO ADD"];
    let rows: Vec<[&str; 5]> = drifts
        .iter()
        .map(|d| [d.kind.label(), &d.provider, &d.subject, &d.file, &d.fix])
        .collect();
    let mut widths = header.map(str::len);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.len());
        }
    }
    let mut out = String::new();
    for row in std::iter::once(&header).chain(&rows) {
        let cells: Vec<String> = row[..4]
            .iter()
            .zip(widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        out.push_str(&format!("{}  {}\n", cells.join("  "), row[4]));
    }
    out
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
