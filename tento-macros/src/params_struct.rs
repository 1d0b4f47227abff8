//! The `Params` struct both macros write from a key's placeholders: one `String` field
//! per placeholder, snake_case, deserialized by placeholder name through
//! `tento::__private::deserialize_params` (no serde derive in the user's crate). The
//! struct goes where the user can name it, its `Deserialize` impl into the expansion's
//! `const _` block, whose single `use` of the crate path is the only place a wrong
//! `crate = "…"` is reported.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::{Ident, Visibility};

use crate::lookup_key::Placeholder;

/// `#vis struct #name { … }`, and its `Deserialize` impl naming serde and
/// `deserialize_params` under `private` (`__t::__private`). `field_doc` documents a field
/// from its placeholder.
pub(crate) fn params_struct(
    private: &TokenStream,
    vis: &Visibility,
    name: &Ident,
    doc: &str,
    placeholders: &[&Placeholder],
    field_doc: impl Fn(&Placeholder) -> String,
    span: Span,
) -> (TokenStream, TokenStream) {
    let fields: Vec<Ident> = placeholders
        .iter()
        .map(|p| format_ident!("{}", p.field, span = span))
        .collect();
    let docs = placeholders.iter().map(|p| field_doc(p));
    let names = placeholders.iter().map(|p| &p.name);
    let type_name = name.to_string();
    let item = quote! {
        #[doc = #doc]
        #[derive(Clone, Debug, PartialEq, Eq)]
        #vis struct #name {
            #(
                #[doc = #docs]
                pub #fields: ::std::string::String,
            )*
        }
    };
    let fields2 = fields.clone();
    let deserialize = quote! {
        impl<'de> #private::serde::Deserialize<'de> for #name {
            fn deserialize<D: #private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, <D as #private::serde::Deserializer<'de>>::Error> {
                let [#(#fields),*] =
                    #private::deserialize_params(deserializer, #type_name, &[#(#names),*])?;
                ::core::result::Result::Ok(Self { #(#fields2),* })
            }
        }
    };
    (item, deserialize)
}
