//! The code `#[tento::provider]` writes: the marker as given, the provider-id constant,
//! the `Params` struct, the `…Auth` marker and the `AuthProvider`, `Provider` and
//! `Integration` impls. Bodies call into `tento`, so each expansion stays short.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};

use super::validate::{AUTH_ID, Provider};
use crate::lookup_key::Placeholder;
use crate::params_struct::params_struct;

/// `ok` is false when errors were recorded: then the client body is a stand-in, so the
/// only errors the user sees are the ones reported.
pub(super) fn expand(p: &Provider, ok: bool) -> TokenStream {
    let Provider {
        item,
        krate,
        kind,
        name,
        key_prefix,
        names,
        ..
    } = p;
    let vis = &item.vis;
    let marker = &item.ident;
    let (params, auth, id_const) = (&names.params, &names.auth, &names.id_const);
    let span = marker.span();

    let id_doc = format!(" The id of {name}: its auth kind, and the `~{kind}` of its lookup keys.");
    let params_doc =
        format!(" Path-level params of `{key_prefix}:…` lookup keys, one field per placeholder.");
    let auth_doc = format!(
        " Marker wiring `user.auth::<{auth}>(id)` to {name}'s credential, stored under auth kind `{kind}`."
    );

    let placeholders: Vec<_> = p.params.iter().collect();
    let params_struct = params_struct(krate, vis, params, &params_doc, &placeholders, field_doc, span);

    let deps = match &p.deps {
        Some(deps) => quote!(#deps),
        None => quote!(dyn ::core::any::Any + ::core::marker::Send + ::core::marker::Sync),
    };
    let client = &p.client;
    let credentials = match &p.credentials {
        Some(c) => quote!(#krate::oauth::Auth<#c>),
        None => quote!(()),
    };
    let account_label = p.display.as_ref().map(|display| {
        quote! {
            fn account_label(auth_id: &str, credentials: &Self::Credentials) -> ::std::string::String {
                #display(auth_id, credentials)
            }
        }
    });
    let auth_field = format_ident!("auth_id", span = span);
    let client_body = if ok {
        // Spanned on the marker: a client type that is missing, or not `From` the
        // acquired handle, is reported there.
        quote_spanned!(span=> #krate::connector::oauth_client::<#auth, _, _>(user, &p.#auth_field))
    } else {
        quote!(#krate::__private::provider_has_errors())
    };

    quote! {
        #item

        #[doc = #id_doc]
        #vis const #id_const: &str = #kind;

        #params_struct

        #[doc = #auth_doc]
        #vis struct #auth;

        impl #krate::connector::AuthProvider for #auth {
            const KIND: &'static str = #id_const;
            type AuthId = str;
            type Credentials = #credentials;
            const PROVIDER: ::core::option::Option<#krate::connector::ProviderInfo> =
                ::core::option::Option::Some(<#marker as #krate::connector::Provider>::INFO);
            #account_label
        }

        impl #krate::connector::Provider for #marker {
            const INFO: #krate::connector::ProviderInfo = #krate::connector::ProviderInfo {
                id: #id_const,
                name: #name,
                auth_kind: #id_const,
                key_prefix: #key_prefix,
            };
        }

        impl #krate::connector::Integration for #marker {
            type Deps = #deps;
            type Client = #client;
            type Params = #params;

            fn client<'a>(
                user: &'a dyn #krate::connector::UserAuth,
                _deps: &'a Self::Deps,
                p: &'a Self::Params,
            ) -> #krate::__private::BoxFuture<'a, #krate::__private::anyhow::Result<Self::Client>> {
                #client_body
            }
        }
    }
}

fn field_doc(ph: &Placeholder) -> String {
    if ph.name == AUTH_ID {
        format!(" The `{{{AUTH_ID}}}` placeholder: the account the user's credential is stored under.")
    } else {
        format!(" The `{{{}}}` placeholder.", ph.name)
    }
}
