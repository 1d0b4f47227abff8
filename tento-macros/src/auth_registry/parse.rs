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
use syn::punctuated::Punctuated;
use syn::{Attribute, Ident, Path, Token, Visibility};

pub(super) struct Input {
    /// Every attribute but `#[tento(…)]`, kept on the generated struct.
    pub(super) attrs: Vec<Attribute>,
    /// The `#[tento(…)]` attributes.
    pub(super) options: Vec<Attribute>,
    pub(super) vis: Visibility,
    pub(super) name: Ident,
    pub(super) markers: Vec<Path>,
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
        let markers = Punctuated::<Path, Token![,]>::parse_terminated(&content)
            .map_err(|e| syn::Error::new(e.span(), format!("expected an auth marker's path: {SHAPE}")))?;
        if !input.is_empty() {
            return Err(input.error("tento::auth_registry! declares one struct; nothing may follow it"));
        }
        Ok(Input {
            attrs,
            options,
            vis,
            name,
            markers: markers.into_iter().collect(),
        })
    }
}
