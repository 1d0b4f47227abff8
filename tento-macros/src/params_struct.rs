//! The `Params` struct both macros write from a key's placeholders: one `String` field
//! per placeholder, snake_case, deserialized by placeholder name through
//! `tento::__private::deserialize_params` (no serde derive in the user's crate).

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::{Ident, Path, Visibility};

use crate::lookup_key::Placeholder;

/// `#vis struct #name { … }` and its `Deserialize` impl. `field_doc` documents a field
/// from its placeholder.
pub(crate) fn params_struct(
    krate: &Path,
    vis: &Visibility,
    name: &Ident,
    doc: &str,
    placeholders: &[&Placeholder],
    field_doc: impl Fn(&Placeholder) -> String,
    span: Span,
) -> TokenStream {
    let fields: Vec<Ident> = placeholders
        .iter()
        .map(|p| format_ident!("{}", p.field, span = span))
        .collect();
    let docs = placeholders.iter().map(|p| field_doc(p));
    let names = placeholders.iter().map(|p| &p.name);
    let type_name = name.to_string();
    quote! {
        #[doc = #doc]
        #[derive(Clone, Debug, PartialEq, Eq)]
        #vis struct #name {
            #(
                #[doc = #docs]
                pub #fields: ::std::string::String,
            )*
        }

        impl<'de> #krate::__private::serde::Deserialize<'de> for #name {
            fn deserialize<D: #krate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                let [#(#fields),*] =
                    #krate::__private::deserialize_params(deserializer, #type_name, &[#(#names),*])?;
                ::core::result::Result::Ok(Self { #(#fields),* })
            }
        }
    }
}
