//! The code `tento::auth_registry!` writes: the struct, its `AuthRegistry` impl (a table
//! of `AuthKind`s, decoded and displayed by `tento`), and a `const` that fails the build
//! when two markers share a kind, naming both.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote, quote_spanned};
use syn::spanned::Spanned;

use super::validate::Registry;

pub(super) fn expand(r: &Registry) -> TokenStream {
    let Registry {
        krate,
        attrs,
        vis,
        name,
        markers,
    } = r;
    let doc = (!attrs.iter().any(|a| a.path().is_ident("doc"))).then(|| {
        quote!(#[doc = " The host's auth kinds, one per provider: decodes and displays stored credentials by kind."])
    });
    let entries = markers.iter().map(|marker| {
        let text = marker.to_token_stream().to_string().replace(' ', "");
        // Spanned on the entry: a path that is not an auth marker is reported there.
        quote_spanned!(marker.span()=> #krate::connector::AuthKind::of::<#marker>(#text))
    });
    // Every token spanned on the registry's name, where a duplicate kind is reported.
    let span = name.span();
    let check = quote_spanned! {span=>
        const _: () = {
            use #krate::connector::AuthRegistry as _;
            use #krate::__private::check_unique_kinds as check;
            check(#name::KINDS)
        };
    };
    quote! {
        #doc
        #(#attrs)*
        #vis struct #name;

        impl #krate::connector::AuthRegistry for #name {
            const KINDS: &'static [#krate::connector::AuthKind] = &[#(#entries),*];
        }

        #check
    }
}
