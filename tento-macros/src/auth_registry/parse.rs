//! The registry's input:
//!
//! ```text
//! #[tento(crate = "…")]          // optional
//! /// docs
//! pub struct HostAuthKinds {
//!     path::to::MyProviderAuth,
//!     …
//! }
//! ```

use syn::parse::{Parse, ParseStream};
use syn::{Attribute, Ident, Path, Token, Visibility};

pub(super) struct Input {
    /// Every attribute but `#[tento(…)]`, kept on the generated struct.
    pub(super) attrs: Vec<Attribute>,
    /// The `#[tento(…)]` attributes.
    pub(super) options: Vec<Attribute>,
    pub(super) vis: Visibility,
    pub(super) name: Ident,
    pub(super) markers: Vec<Path>,
    /// Entries that are not paths (or lack their comma), each with its error: the others
    /// are kept, so the registry is still written.
    pub(super) errors: Vec<syn::Error>,
}

const SHAPE: &str =
    "write `pub struct HostAuthKinds { path::to::MyProviderAuth, … }`, one auth marker per provider";

impl Parse for Input {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let (options, attrs) = input
            .call(Attribute::parse_outer)?
            .into_iter()
            .partition(|a| a.path().is_ident("tento"));
        let vis: Visibility = input.parse()?;
        if !input.peek(Token![struct]) {
            return Err(input.error(format!("tento::auth_registry! declares a struct: {SHAPE}")));
        }
        input.parse::<Token![struct]>()?;
        let name: Ident = input.parse()?;
        if !input.peek(syn::token::Brace) {
            return Err(input.error(format!("expected the auth markers in braces: {SHAPE}")));
        }
        let content;
        syn::braced!(content in input);
        let (markers, errors) = entries(&content);
        if !input.is_empty() {
            return Err(input.error("tento::auth_registry! declares one struct; nothing may follow it"));
        }
        Ok(Input {
            attrs,
            options,
            vis,
            name,
            markers,
            errors,
        })
    }
}

/// The comma-separated entries, each parsed on its own: a broken one is an error and the
/// others are kept; two paths without a comma between them are both kept, with one error
/// where the comma goes.
fn entries(content: ParseStream) -> (Vec<Path>, Vec<syn::Error>) {
    let mut markers = Vec::new();
    let mut errors = Vec::new();
    while !content.is_empty() {
        match content.parse::<Path>() {
            Ok(path) => {
                markers.push(path);
                if content.is_empty() || content.parse::<Token![,]>().is_ok() {
                    continue;
                }
                if content.fork().parse::<Path>().is_err() {
                    errors.push(content.error(format!("expected `,` and the next auth marker: {SHAPE}")));
                    skip_past_comma(content);
                } else {
                    errors.push(content.error("expected `,` between two auth markers"));
                }
            }
            Err(_) => {
                errors.push(content.error(format!("expected an auth marker's path: {SHAPE}")));
                skip_past_comma(content);
            }
        }
    }
    (markers, errors)
}

/// Skips the tokens of a broken entry, up to and including its comma.
fn skip_past_comma(content: ParseStream) {
    let _ = content.step(|cursor| {
        let mut rest = *cursor;
        while let Some((tt, next)) = rest.token_tree() {
            if matches!(&tt, proc_macro2::TokenTree::Punct(p) if p.as_char() == ',') {
                return Ok(((), next));
            }
            rest = next;
        }
        Ok(((), rest))
    });
}
