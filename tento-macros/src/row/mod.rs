//! `#[tento::row(…)]` on a row's inherent `impl` block: parse the arguments and the
//! block ([`parse`]), check the key, stages and methods ([`validate`]), and write
//! `impl Row` plus an inherent impl of everything else ([`expand`]).

mod expand;
mod impl_block;
mod methods;
mod parse;
mod validate;

use proc_macro2::TokenStream;

use crate::errors::Errors;

/// The whole macro: what it generates, and every error found.
pub(crate) fn row(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::new();
    let input = match parse::Input::parse(args, item, &mut errors) {
        Ok(input) => input,
        Err(item) => {
            let mut out = item;
            out.extend(errors.to_compile_errors());
            return out;
        }
    };
    let model = validate::validate(input, &mut errors);
    let mut out = expand::expand(&model);
    out.extend(errors.to_compile_errors());
    out
}
