//! Procedural macros for [tento](https://docs.rs/tento), re-exported by the `tento`
//! crate: depend on `tento`, not on this crate.
#![deny(missing_docs)]

mod attr_args;
mod auth_registry;
mod crate_path;
mod errors;
#[cfg(test)]
mod expansion_tests;
mod item_span;
mod lookup_key;
mod nearest;
mod params_struct;
mod provider;
mod row;

use proc_macro::TokenStream;

/// Writes a provider's boilerplate from its marker struct: `#[tento::provider(kind = "…",
/// name = "…", deps = …, credentials = …)] pub struct MyProvider;`.
///
/// See `tento`'s crate docs (`tento::provider`) for every argument and what is generated.
#[proc_macro_attribute]
pub fn provider(args: TokenStream, item: TokenStream) -> TokenStream {
    provider::provider(args.into(), item.into()).into()
}

/// Writes `impl Row` from a row's inherent `impl` block: `#[tento::row(provider = …,
/// key = "…", stages = […])] impl Activities { async fn sync(…) … }`.
///
/// See `tento`'s crate docs (`tento::row`) for every argument and what is generated.
#[proc_macro_attribute]
pub fn row(args: TokenStream, item: TokenStream) -> TokenStream {
    row::row(args.into(), item.into()).into()
}

/// Declares a host's auth kinds from the providers' auth markers, one line each:
/// `tento::auth_registry! { pub struct HostAuthKinds { MyProviderAuth, … } }`.
///
/// See `tento`'s crate docs (`tento::auth_registry`) for what is generated.
#[proc_macro]
pub fn auth_registry(input: TokenStream) -> TokenStream {
    auth_registry::auth_registry(input.into()).into()
}
