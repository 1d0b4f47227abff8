//! `tento-scaffold names <provider>`: the crate, kind and type names a provider name
//! maps to, as `new` would write them.

use super::out;
use crate::names::ProviderNames;
use crate::wire::paths::key_prefix;

/// `names`' command line.
#[derive(clap::Args)]
pub(crate) struct NamesArgs {
    /// The provider's name: `my-provider`, `my_provider` or `MyProvider`.
    provider: String,
}

impl NamesArgs {
    /// Prints the names.
    pub(crate) fn run(self) -> anyhow::Result<()> {
        let n = ProviderNames::parse(&self.provider)?;
        out(&format!(
            "crate         {}\nlibrary       {}\nkind          {}\ntype          {}\nlookup key    {}\ndisplay name  {}\n",
            n.crate_name,
            n.lib_name,
            n.kind,
            n.type_name,
            key_prefix(&n.kind),
            n.display
        ));
        Ok(())
    }
}
