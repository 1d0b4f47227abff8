//! `#[derive(RowKeySchema)]` with its `#[rowkey { … }]` routes: read the block
//! ([`parse`] into [`ast`], the block's grammar being `tento-rowkey`'s), check what it means and build the router ([`validate`]),
//! write the impl ([`expand`]).

mod ast;
mod expand;
mod parse;
mod validate;

use proc_macro2::TokenStream;
use syn::DeriveInput;

use crate::errors::Errors;

/// The whole derive: the impl, or every error found and a stand-in impl.
pub(crate) fn derive(input: TokenStream) -> TokenStream {
    let derive = match syn::parse2::<DeriveInput>(input) {
        Ok(derive) => derive,
        Err(e) => return e.to_compile_error(),
    };
    let mut errors = Errors::new();
    let input = parse::input(derive, &mut errors);
    let (krate, ident, generics) = (input.krate.clone(), input.ident.clone(), input.generics.clone());
    match validate::validate(input, &mut errors) {
        Some(model) if errors.is_empty() => expand::expand(&model),
        _ => {
            let mut out = expand::dummy(&krate, &ident, &generics);
            out.extend(errors.to_compile_errors());
            out
        }
    }
}
