//! `tento::auth_registry! { pub struct HostAuthKinds { MyProviderAuth, … } }`: the host's
//! table of auth kinds, one line per provider. Parse ([`parse`]), check ([`validate`]),
//! write the `AuthRegistry` impl and the compile-time duplicate-kind check ([`expand`]).

mod expand;
mod parse;
mod validate;

use proc_macro2::TokenStream;

use crate::errors::Errors;

/// The whole macro: the registry and every error found.
pub(crate) fn auth_registry(input: TokenStream) -> TokenStream {
    let mut errors = Errors::new();
    let mut out = match syn::parse2::<parse::Input>(input) {
        Ok(input) => expand::expand(&validate::validate(input, &mut errors)),
        Err(e) => {
            errors.push(e);
            TokenStream::new()
        }
    };
    out.extend(errors.to_compile_errors());
    out
}
