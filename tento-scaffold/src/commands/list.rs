//! `tento-scaffold list`: a host's providers with their kinds and rows, and its routes
//! with their verbs, as text or JSON.

use std::path::PathBuf;

use crate::host::Host;
use crate::inventory::Inventory;

/// `list`'s command line.
#[derive(clap::Args)]
pub(crate) struct ListArgs {
    /// The host workspace.
    #[arg(long, default_value = ".")]
    host: PathBuf,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

impl ListArgs {
    /// Prints the host's inventory.
    pub(crate) fn run(self) -> anyhow::Result<()> {
        let host = Host::read(&self.host)?;
        let inventory = Inventory::read(&host)?;
        super::out(&if self.json {
            json(&inventory)
        } else {
            text(&inventory)
        });
        Ok(())
    }
}

/// The inventory as text: each provider, its rows, then its routes; then routes into
/// integrations the host does not depend on.
pub fn text(inventory: &Inventory) -> String {
    let mut out = String::new();
    if inventory.providers.is_empty() {
        out.push_str("no providers yet: add one with `tento-scaffold new <provider>`\n");
    }
    for p in &inventory.providers {
        let plugin = match (p.sync_plugin, p.executor) {
            (false, _) => "",
            (true, true) => "  sync-plugin",
            (true, false) => "  sync-plugin (provider-only)",
        };
        out.push_str(&format!(
            "{}  kind {}  type {}  \"{}\"{plugin}\n",
            p.crate_name, p.kind, p.type_name, p.display
        ));
        for row in &p.rows {
            let stages = if row.stages.is_empty() {
                "not synced".to_owned()
            } else {
                format!("stages {}", row.stages.join(","))
            };
            out.push_str(&format!(
                "  row    {}  {}  serves {}  ({stages})\n",
                row.path
                    .strip_prefix(&format!("{}::", p.lib_name))
                    .unwrap_or(&row.path),
                row.key,
                row.serves.join(" ")
            ));
        }
        for route in inventory.routes_of(p) {
            out.push_str(&format!("  route  {}  {}\n", route.key, route.verbs.join(" ")));
        }
    }
    let others: Vec<_> = inventory
        .routes
        .iter()
        .filter(|r| !inventory.providers.iter().any(|p| p.marker() == r.integration))
        .collect();
    for route in others {
        out.push_str(&format!(
            "route  {}  {}  ({})\n",
            route.key,
            route.verbs.join(" "),
            route.integration
        ));
    }
    out
}

/// The inventory as `list --json` prints it.
pub fn json(inventory: &Inventory) -> String {
    // Every field is a string, bool or list of them: serializing cannot fail.
    serde_json::to_string_pretty(inventory).unwrap_or_default() + "\n"
}
