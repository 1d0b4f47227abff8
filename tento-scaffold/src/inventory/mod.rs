//! What a host has, read without building: the providers it depends on (each crate's
//! marker and rows) and the routes of its `#[rowkey]` block. `list` prints it and
//! `check` compares its parts.

mod by_hand;
pub mod provider;
pub mod routes;

use std::path::PathBuf;

use serde::Serialize;

use crate::host::{Host, HostError};
use crate::patch::rust;
pub use provider::{Provider, Row};
pub use routes::Route;

/// A host's providers and routes.
#[derive(Debug, Serialize)]
pub struct Inventory {
    /// The providers the host crate depends on, in manifest order.
    pub providers: Vec<Provider>,
    /// The routes of its `#[rowkey]` block, in block order.
    pub routes: Vec<Route>,
    /// The file holding the block, relative to the host root.
    pub rowkey_file: Option<String>,
}

impl Inventory {
    /// Reads `host`'s providers and routes.
    pub fn read(host: &Host) -> Result<Inventory, HostError> {
        // The routes (a thousand in a big host) are parsed while the crates are read.
        let (providers, found) = std::thread::scope(|scope| {
            let found = scope.spawn(|| Self::routes(host));
            let providers = Self::providers(host, |_, _| true);
            (
                providers,
                found.join().unwrap_or_else(|e| std::panic::resume_unwind(e)),
            )
        });
        let providers = providers?;
        let (routes, rowkey_file) = found?;
        Ok(Inventory {
            providers,
            routes,
            rowkey_file,
        })
    }

    /// The routes of the host's `#[rowkey]` block, with the file holding it.
    fn routes(host: &Host) -> Result<(Vec<Route>, Option<String>), HostError> {
        // Only the tail of the file holding the attribute is parsed: a host's lib.rs
        // that merely names `rowkeys` can hold a thousand registrations.
        for file in host.files.iter().filter(|f| f.src.contains("#[rowkey")) {
            let parsed = rust::parse_tail(&file.display, &file.src, "#[rowkey")?;
            if let Some(block) = rust::rowkey_blocks(&parsed).into_iter().next() {
                let routes = routes::parse(&file.src[block.body]).unwrap_or_default();
                return Ok((routes, Some(file.display.clone())));
            }
        }
        Ok((Vec::new(), None))
    }

    /// The providers among the host crate's path dependencies for which `wanted(crate
    /// name, directory)` holds, each crate read; the others are not opened.
    pub fn providers(
        host: &Host,
        wanted: impl Fn(&str, &std::path::Path) -> bool,
    ) -> Result<Vec<Provider>, HostError> {
        let root_doc = &host.manifest_doc;
        let doc = &host.crate_doc;
        let Some(deps) = doc.get("dependencies").and_then(|d| d.as_table_like()) else {
            return Ok(Vec::new());
        };
        let mut candidates = Vec::new();
        for (name, item) in deps.iter() {
            let Some(dir) = dependency_dir(host, root_doc, name, item) else {
                continue;
            };
            if !wanted(name, &dir) {
                continue;
            }
            let sync_plugin = item
                .as_table_like()
                .and_then(|t| t.get("features"))
                .and_then(|f| f.as_array())
                .is_some_and(|a| a.iter().any(|v| v.as_str() == Some("sync-plugin")));
            candidates.push((name.to_owned(), dir, sync_plugin));
        }
        // Reading a crate is mostly waiting on the filesystem, a hundred crates of ten
        // row files each: the crates are read on every core, and kept in manifest order.
        let providers = crate::parallel::map(&candidates, |(name, dir, sync_plugin)| {
            Provider::read(name, &name.replace('-', "_"), dir, *sync_plugin)
        })
        .into_iter()
        .flatten()
        .collect();
        Ok(providers)
    }

    /// The routes under `provider`'s integration.
    pub fn routes_of<'a>(&'a self, provider: &'a Provider) -> impl Iterator<Item = &'a Route> {
        let marker = provider.marker();
        self.routes.iter().filter(move |r| r.integration == marker)
    }
}

/// Where a path dependency (directly, or through `[workspace.dependencies]`) lives.
fn dependency_dir(
    host: &Host,
    root_doc: &toml_edit::DocumentMut,
    name: &str,
    item: &toml_edit::Item,
) -> Option<PathBuf> {
    let table = item.as_table_like()?;
    if let Some(path) = table.get("path").and_then(|p| p.as_str()) {
        return Some(host.crate_dir.join(path));
    }
    if table.get("workspace").and_then(|w| w.as_bool()) == Some(true) {
        let path = root_doc
            .get("workspace")?
            .get("dependencies")?
            .get(name)?
            .as_table_like()?
            .get("path")?
            .as_str()?;
        return Some(host.root.join(path));
    }
    None
}
