//! `tento-scaffold check`: the seeds' boot-time check, moved before the build. Every
//! provider the host depends on must have its routes, auth kind, deps registration and
//! (for synced rows under a sync plugin) sync registration; every route must reach a
//! row and every row be reached by a route. Each drift comes with the line to add.

use std::path::PathBuf;

use super::{Context, out};
use crate::host::Host;
use crate::inventory::Inventory;
use crate::wire::{Checking, STEPS};

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
        // Providers generated from a spec: has the spec changed since the last sync?
        let stale: Vec<String> = inventory
            .providers
            .iter()
            .filter_map(|p| crate::openapi::drift(&p.dir))
            .collect();
        for line in &stale {
            cx.status.error(line);
        }
        if self.json {
            out(&format!("{}\n", serde_json::to_string_pretty(&drifts)?));
        } else if !drifts.is_empty() {
            out(&table(&drifts));
        }
        if !stale.is_empty() && drifts.is_empty() {
            anyhow::bail!(
                "{} provider(s) generated from a spec that changed since; run the commands above",
                stale.len()
            );
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

pub use crate::wire::drift::{Drift, DriftKind};

/// Every drift of `host`, in provider order: each provider's by kind, then the routes
/// that reach no row.
pub fn check(host: &Host, inventory: &Inventory) -> Vec<Drift> {
    let cx = Checking::read(host, inventory);
    let mut drifts = Vec::new();
    for p in &inventory.providers {
        let first = drifts.len();
        for step in STEPS {
            step.check(&cx, p, &mut drifts);
        }
        // Steps look in their own order; a provider's drifts read in the kinds' order.
        drifts[first..].sort_by_key(|d| d.kind);
    }
    for step in STEPS {
        step.check_host(&cx, &mut drifts);
    }
    drifts
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
