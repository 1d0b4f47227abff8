//! What a command is asked to make, validated: the provider, its rows, its sync plugin.

use serde::Serialize;

use crate::names::{NameError, ProviderNames, RowNames};
use crate::wire::paths;

/// Whether and how the provider ships the `sync-plugin` feature.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum SyncPlugin {
    /// No `sync-plugin`: rows sync through `Row::sync`.
    None,
    /// The topology provider and the executor with its seams.
    Full,
    /// The topology provider alone; the host supplies the executor.
    ProviderOnly,
}

/// One row to scaffold.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RowSpec {
    /// `module`, `type_name`, `words`.
    pub names: RowNames,
    /// Its sync stages (empty: not synced).
    pub stages: Vec<String>,
    /// The verbs its route lists.
    pub verbs: Vec<String>,
    /// Whether it has the seeds' `:logs` child row, in `<module>/logs.rs`.
    pub logs: bool,
}

impl RowSpec {
    /// A synced row with the seeds' stages, served by `get`, `list` and `sync`.
    pub fn synced(input: &str) -> Result<Self, NameError> {
        Ok(RowSpec {
            names: RowNames::parse(input)?,
            stages: vec!["viewport".into(), "backfill".into()],
            verbs: vec!["get".into(), "list".into(), "sync".into()],
            logs: false,
        })
    }
}

/// A provider to scaffold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProviderSpec {
    /// Its names.
    pub names: ProviderNames,
    /// Its display name.
    pub display: String,
    /// Its rows, at least one.
    pub rows: Vec<RowSpec>,
    /// Its sync plugin.
    pub sync_plugin: SyncPlugin,
    /// Its OAuth token endpoint, where the credential type refreshes tokens.
    pub token_url: String,
    /// Its API's base URL, which the SDK's client is built with.
    pub base_url: String,
    /// Generated from an OpenAPI document (`new --from-openapi`): the host's test syncs
    /// it from the crate's local server answering as the spec says.
    pub from_openapi: bool,
}

impl ProviderSpec {
    /// The base URL `new` writes when not given one: a placeholder that names the
    /// provider, for the author to replace with the real API's.
    pub fn placeholder_base_url(kind: &str) -> String {
        format!("https://api.{}.example", kind.replace('_', "-"))
    }

    /// The token URL `new` writes when not given one, under the placeholder base URL.
    pub fn placeholder_token_url(kind: &str) -> String {
        format!("{}/oauth/token", Self::placeholder_base_url(kind))
    }

    /// The integration marker's path from a host: `::tento_acme::connector::Acme`.
    pub fn marker_path(&self) -> String {
        format!(
            "::{}",
            paths::connector_item(&self.names.lib_name, &self.names.type_name)
        )
    }

    /// The auth marker's path from a host: `tento_acme::connector::AcmeAuth`.
    pub fn auth_marker(&self) -> String {
        paths::connector_item(&self.names.lib_name, &paths::auth_type(&self.names.type_name))
    }

    /// The deps trait's path from a host: `tento_acme::connector::AcmeBackendDeps`.
    pub fn deps_trait_path(&self) -> String {
        paths::connector_item(&self.names.lib_name, &paths::deps_trait(&self.names.type_name))
    }

    /// The deps trait object type: `dyn tento_acme::connector::AcmeBackendDeps`.
    pub fn deps_type(&self) -> String {
        paths::deps_type(&self.names.lib_name, &paths::deps_trait(&self.names.type_name))
    }

    /// The host's crate features for this provider.
    pub fn features(&self) -> Vec<&'static str> {
        match self.sync_plugin {
            SyncPlugin::None => vec!["connector"],
            _ => vec!["connector", "sync-plugin"],
        }
    }
}
