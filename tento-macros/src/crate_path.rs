//! The path generated code names the runtime crate by: `::tento` unless the user
//! overrides it with `crate = "…"` (serde's convention), for a user who owns their own
//! connector crate that re-exports tento's modules.

use syn::{LitStr, Path};

/// `::tento`, absolute so a user's own `mod tento` cannot shadow it.
pub(crate) fn default_crate_path() -> Path {
    syn::parse_quote!(::tento)
}

/// Parses the value of `crate = "…"`, spanned on the string so a bad path points there.
pub(crate) fn parse_crate_path(lit: &LitStr) -> syn::Result<Path> {
    lit.parse::<Path>().map_err(|_| {
        syn::Error::new(
            lit.span(),
            format!(
                "`crate = {:?}` is not a path; write the path of the crate that re-exports tento, \
                 e.g. `crate = \"::my_connector\"`",
                lit.value()
            ),
        )
    })
}
