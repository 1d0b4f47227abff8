//! The code `#[tento::provider]` writes: the marker as given, the provider-id constant,
//! the `Params` struct, the `…Auth` marker and the `AuthProvider`, `Provider` and
//! `Integration` impls. Bodies call into `tento`, so each expansion stays short.
//!
//! The impls sit in a `const _` block opened by `use <crate>::__private::provider as __t;`: a wrong
//! `crate = "…"` is that one unresolved import, and rustc says nothing more about the
//! paths through it. The types the user gave are checked where they were written: the
//! `AuthProvider` impl's `where` clause requires the credential and client bounds, each
//! spanned on its argument, and the `Integration` impl (which rows depend on) holds even
//! when they fail, so a mistake is one error at its argument.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::Path;

use super::validate::{AUTH_ID, Provider};
use crate::lookup_key::Placeholder;
use crate::params_struct::params_struct;
use crate::span::{bound_over, respan};

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
    let private = quote!(__t::__private);
    let (params_struct, params_deserialize) =
        params_struct(&private, vis, params, &params_doc, &placeholders, field_doc, span);

    let deps = match &p.deps {
        Some(deps) => quote!(#deps),
        None => quote!(dyn ::core::any::Any + ::core::marker::Send + ::core::marker::Sync),
    };
    let client = &p.client;
    let credentials = match &p.credentials {
        Some(c) => quote!(<#c as __t::__private::CredentialType>::Stored),
        None => quote!(()),
    };
    // Each bound at the argument it is about; identical errors at one span show once.
    let mut bounds = Vec::new();
    if let Some(c) = &p.credentials {
        bounds.push(bound_over(c, quote!(__t::__private::CredentialType)));
        let client_tokens = if p.client_defaulted {
            quote_spanned!(span=> #client)
        } else {
            quote!(#client)
        };
        bounds.push(bound_over(&client_tokens, quote!(__t::__private::ClientFrom<#c>)));
    }
    let where_clause = (!bounds.is_empty()).then(|| quote!(where #(#bounds),*));
    let account_label = p.display.as_ref().map(|display| {
        // Coerced to the hook's fn pointer type first: a hook with another signature is
        // one error at `display = …`, naming the signature to write.
        let last = quote!(#display).into_iter().last().map_or(span, |t| t.span());
        let hook_type = respan(
            quote!(fn(&str, &Self::Credentials) -> ::std::string::String),
            last,
        );
        quote! {
            fn account_label(auth_id: &str, credentials: &Self::Credentials) -> ::std::string::String {
                let hook: #hook_type = #display;
                hook(auth_id, credentials)
            }
        }
    });
    let auth_field = format_ident!("auth_id", span = span);
    let client_body = if ok {
        // The probe's stand-in is picked only when the `where` clause above fails.
        quote! {
            #[allow(unused_imports)]
            use __t::__private::ClientOfErrors as _;
            <__t::__private::ClientOf<#auth, #client>>::client(user, &p.#auth_field)
        }
    } else {
        quote!(__t::__private::provider_has_errors())
    };
    let key_prefix_fn = key_prefix_fn(p, span);
    let (client_fallback, client_check) = if p.client_defaulted {
        default_client(p)
    } else {
        (TokenStream::new(), TokenStream::new())
    };

    quote! {
        #item

        #[doc = #id_doc]
        #vis const #id_const: &str = #kind;

        #params_struct

        #[doc = #auth_doc]
        #vis struct #auth;

        #client_fallback

        const _: () = {
            use #krate::__private::provider as __t;

            #params_deserialize

            impl __t::connector::AuthProvider for #auth #where_clause {
                const KIND: &'static str = #id_const;
                type AuthId = str;
                type Credentials = #credentials;
                const PROVIDER: ::core::option::Option<__t::connector::ProviderInfo> =
                    ::core::option::Option::Some(<#marker as __t::connector::Provider>::INFO);
                #account_label
            }

            impl __t::connector::Provider for #marker {
                const INFO: __t::connector::ProviderInfo = __t::connector::ProviderInfo {
                    id: #id_const,
                    name: #name,
                    auth_kind: #id_const,
                    key_prefix: #key_prefix,
                };

                #key_prefix_fn
            }

            impl __t::connector::Integration for #marker {
                type Deps = #deps;
                type Client = #client;
                type Params = #params;

                fn client<'a>(
                    user: &'a dyn __t::connector::UserAuth,
                    _deps: &'a Self::Deps,
                    p: &'a Self::Params,
                ) -> __t::__private::BoxFuture<'a, __t::__private::anyhow::Result<Self::Client>> {
                    #client_body
                }
            }

            #client_check
        };
    }
}

/// The default client `<Marker>Client`, found where the marker is or else stood in for:
/// a hidden module holds `type <Marker>Client = NoClient<Marker>`, glob-imported, so a
/// `<Marker>Client` the user defines or imports by name shadows it; when none does, the
/// stand-in satisfies every bound and a compile-time check says to define the client or
/// name it with `client = …` (one error, at the marker).
fn default_client(p: &Provider) -> (TokenStream, TokenStream) {
    let marker = &p.item.ident;
    let span = marker.span();
    let client = &p.client;
    let module = format_ident!("__tento_default_client_of_{}", marker);
    let krate = from_child_module(&p.krate);
    let fallback = quote! {
        #[doc(hidden)]
        #[allow(non_snake_case, dead_code)]
        mod #module {
            pub(super) type #client = #krate::__private::NoClient<super::#marker>;
        }
        #[allow(unused_imports)]
        use self::#module::*;
    };
    let credentials = p
        .credentials
        .as_ref()
        .map_or_else(|| "C".to_owned(), |c| quote!(#c).to_string().replace(' ', ""));
    let message = format!(
        "#[tento::provider] found no `{client}` beside `{marker}`, which is its default client type: \
         define `pub struct {client}` there (or import it with `use`), with \
         `impl From<AuthHandle<{credentials}>> for {client}`, or name the client type with `client = …`",
        client = quote!(#client),
    );
    let check = quote_spanned! {span=>
        #[allow(unused_imports)]
        use __t::__private::ClientFound as _;
        __t::__private::check_default_client(<__t::__private::ClientProbe<#client>>::MISSING, #message);
    };
    (fallback, check)
}

/// `krate` as seen from a module nested in the macro's: a path starting `self::` or
/// `super::` is relative to the module the macro is in.
fn from_child_module(krate: &Path) -> Path {
    let mut path = krate.clone();
    match path.segments.first() {
        Some(first) if first.ident == "self" => {
            path.segments[0].ident = syn::Ident::new("super", first.ident.span());
        }
        Some(first) if first.ident == "super" => {
            path.segments
                .insert(0, syn::Ident::new("super", first.ident.span()).into());
        }
        _ => {}
    }
    path
}

/// `Provider::key_prefix`: the prefix with each placeholder filled from its field.
fn key_prefix_fn(p: &Provider, span: Span) -> TokenStream {
    // `INFO.key_prefix` with each `{name}` segment a `{}` (the kind escaped, should it
    // hold a brace the validation already reported), so the two cannot disagree.
    let format = p
        .key_prefix
        .split(':')
        .map(
            |seg| match seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(_) => "{}".to_owned(),
                None => seg.replace('{', "{{").replace('}', "}}"),
            },
        )
        .collect::<Vec<_>>()
        .join(":");
    let fields: Vec<_> = p
        .params
        .iter()
        .map(|ph| format_ident!("{}", ph.field, span = span))
        .collect();
    // Every prefix holds `{authId}` (validation makes sure), so `params` is always read.
    quote! {
        fn key_prefix(params: &Self::Params) -> ::std::string::String {
            ::std::format!(#format, #(params.#fields),*)
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
