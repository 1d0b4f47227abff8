//! `#[tento::provider(…)]` on a provider's marker struct: parse the arguments and the
//! item ([`parse`]), check what they mean ([`validate`]), write the code ([`expand`]).

mod expand;
mod parse;
mod validate;

use proc_macro2::TokenStream;

use crate::errors::Errors;

/// The whole macro: the item as written, what it generates, and every error found.
pub(crate) fn provider(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::new();
    let input = match parse::Input::parse(args, item, &mut errors) {
        Ok(input) => input,
        Err(item) => {
            let mut out = item;
            out.extend(errors.to_compile_errors());
            return out;
        }
    };
    if !input.item.generics.params.is_empty() {
        // A generic marker cannot be a provider: give it back as it is, so the one error
        // is the one that says so.
        let mut out = quote::ToTokens::to_token_stream(&input.item);
        validate::validate(input, &mut errors);
        out.extend(errors.to_compile_errors());
        return out;
    }
    let model = validate::validate(input, &mut errors);
    let mut out = expand::expand(&model, errors.is_empty());
    out.extend(errors.to_compile_errors());
    out
}
