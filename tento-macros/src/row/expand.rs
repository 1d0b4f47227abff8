//! The code `#[tento::row]` writes: the row-level `Params` struct when the key has
//! placeholders of its own, an inherent impl of the block's other items, `impl Row`, and
//! a compile-time check of the key against the provider's prefix.

use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::Visibility;

use super::methods::Method;
use super::validate::RowModel;
use crate::lookup_key::{Placeholder, Segment};
use crate::params_struct::params_struct;
use crate::span::bound_over;

pub(super) fn expand(m: &RowModel) -> TokenStream {
    let krate = &m.krate;
    let self_ty = &m.self_ty;
    let mut out = TokenStream::new();
    let mut params_deserialize = TokenStream::new();

    if let (Some(params), Some(key)) = (&m.params, &m.key) {
        let own: Vec<&Placeholder> = key.row_placeholders().collect();
        let doc = format!(
            " Row-level params of `{}` lookup keys: the placeholders after the provider's prefix.",
            key.text
        );
        let vis: Visibility = syn::parse_quote!(pub);
        let field_doc = |p: &Placeholder| format!(" The `{{{}}}` placeholder.", p.name);
        let (item, deserialize) =
            params_struct(&quote!(__r), &vis, params, &doc, &own, field_doc, params.span());
        out.extend(item);
        params_deserialize = deserialize;
    }

    if let Some(inherent) = &m.inherent {
        out.extend(inherent.clone());
    }

    let Some(provider) = &m.provider else {
        return out;
    };
    let row_params = match &m.params {
        Some(params) => quote!(#params),
        None => quote!(()),
    };
    let label = &m.label;
    let verbs = m.serves.iter().map(|v| format_ident!("{v}"));
    let lookup_key = lookup_key(m);
    let sync_shape = (!m.stages.is_empty()).then(|| {
        let stages = &m.stages;
        quote! {
            fn sync_shape() -> __r::Option<__r::SyncShape> {
                __r::staged(&[#(#stages),*])
            }
        }
    });
    let methods = m.methods.iter().map(Method::rewrite);
    let check = m.key.as_ref().map(|key| {
        let (text, part) = (&key.text, key.provider_part());
        let provider_name = provider.to_token_stream().to_string().replace(' ', "");
        // Spanned on the key, where a prefix that is not the provider's is reported.
        // The probe is `None` for a `provider` that is not a provider: the impl's `where`
        // clause reports that, once.
        quote_spanned! {key.span=>
            __r::check_key_prefix(#text, #part, #provider_name, <__r::ProviderProbe<#provider>>::KEY_PREFIX)
        }
    });
    // `provider` is checked where it is written, and the impl holds only for a provider:
    // a type that is not one is that one error, and nothing in the impl (nor the user's
    // methods in it) fails a second time for it.
    let provider_bound = bound_over(provider, quote!(__r::Provider));

    // In a `const` block, so one `use` serves the whole impl (serde_derive's trick): the
    // expansion is re-parsed on every build, and short paths keep it small.
    out.extend(quote! {
        const _: () = {
            use #krate::__private::row as __r;
            #[allow(unused_imports)]
            use __r::NotAProvider as _;

            #params_deserialize

            impl __r::Row for #self_ty where #provider_bound {
                type Integration = #provider;
                type Params = #row_params;
                const ROW_LABEL: &'static str = #label;
                const SERVES: __r::Option<&'static [__r::Verb]> = __r::Some(&[#(__r::Verb::#verbs),*]);

                #lookup_key
                #sync_shape
                #(#methods)*
            }

            #check
        };
    });
    out
}

/// `lookup_key`: the provider's prefix filled by the provider (`Provider::key_prefix`),
/// then the row's part with each placeholder filled from the row's params. The row never
/// reads a field of the provider's `Params`: for a `provider` that is not a provider the
/// impl's `where` clause is the one error, and rustc cannot see those fields then.
fn lookup_key(m: &RowModel) -> TokenStream {
    let Some(key) = &m.key else {
        return quote! {
            fn lookup_key(_: &__r::IntegrationParams<Self>, _: &Self::Params) -> __r::String {
                __r::String::new()
            }
        };
    };
    let span = key.span;
    let mut format = String::from("{}");
    let mut args = Vec::new();
    for seg in key.row_segments() {
        format.push(':');
        match seg {
            Segment::Literal(s) => format.push_str(s),
            Segment::Placeholder(p) => {
                format.push_str("{}");
                let field = format_ident!("{}", p.field, span = span);
                args.push(quote_spanned!(span=> row.#field));
            }
        }
    }
    let prefix = quote!(<Self::Integration as __r::Provider>::key_prefix(int));
    let row = if args.is_empty() { quote!(_) } else { quote!(row) };
    let body = if args.is_empty() {
        let rest = &format["{}".len()..];
        quote!(#prefix + #rest)
    } else {
        quote!(__r::format!(#format, #prefix, #(#args),*))
    };
    quote! {
        fn lookup_key(int: &__r::IntegrationParams<Self>, #row: &Self::Params) -> __r::String {
            #body
        }
    }
}
