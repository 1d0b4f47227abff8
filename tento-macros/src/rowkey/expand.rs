//! The generated code: `impl RowKeySchema` whose `resolve` walks a `static` router
//! table built at expansion time, whose `schemas()` and `dispatch_route` are one call
//! per route, and compile-time checks of each route against its row and `Params`.

use proc_macro2::{Group, Literal, Span, TokenStream, TokenTree};
use quote::{format_ident, quote, quote_spanned};
use syn::{Ident, Path};
use tento_router::TableBuf;

use super::validate::{FieldCheck, Model, Route};

/// Everything the derive writes for a valid block.
pub(super) fn expand(model: &Model) -> TokenStream {
    let krate = &model.krate;
    let ident = &model.ident;
    let (impl_generics, ty_generics, where_clause) = model.generics.split_for_impl();

    // One marker per block with routes, so a wrong integration is one error there.
    let mut blocks: Vec<&Route> = Vec::new();
    for route in &model.routes {
        if !blocks.iter().any(|b| b.block == route.block) {
            blocks.push(route);
        }
    }
    let block_markers = blocks.iter().map(|r| {
        let (int, block) = (&r.integration, block_marker(r.block));
        quote! {
            impl #krate::host::router::IntegrationBlock for #block {
                type Integration = #int;
            }
        }
    });
    let markers = model.routes.iter().enumerate().map(|(i, r)| {
        let (block, row, marker) = (block_marker(r.block), &r.row, marker(i));
        quote! {
            impl #krate::host::router::Route for #marker {
                type Block = #block;
                type Row = #row;
            }
        }
    });
    let schemas = model.routes.iter().enumerate().map(|(i, r)| schema(krate, i, r));
    let arms = model.routes.iter().enumerate().map(|(i, _)| {
        let (marker, i) = (marker(i), Literal::usize_unsuffixed(i));
        quote! { #i => #krate::host::router::dispatch::<#marker>(key, m.params, request, ctx), }
    });
    let table = table(krate, &model.table);
    let verb_checks = model
        .routes
        .iter()
        .enumerate()
        .flat_map(|(i, r)| verb_checks(krate, i, r));
    let row_checks = model
        .routes
        .iter()
        .enumerate()
        .map(|(i, r)| row_check(krate, i, r));
    let field_checks = model.fields.iter().map(|f| field_check(krate, f));
    let signatures = Signatures::new(krate);
    let (schemas_sig, resolve_sig, dispatch_sig) =
        (&signatures.schemas, &signatures.resolve, &signatures.dispatch);

    quote! {
        const _: () = {
            /// Block `N` of the schema, as types.
            struct __RowKeyBlock<const N: usize>;
            #(#block_markers)*
            /// Route `N` of the schema, as types.
            struct __RowKeyRoute<const N: usize>;
            #(#markers)*

            #[automatically_derived]
            impl #impl_generics #krate::connector::RowKeySchema for #ident #ty_generics #where_clause {
                #schemas_sig {
                    static SCHEMAS: ::std::sync::LazyLock<::std::vec::Vec<#krate::connector::RouteSchema>> =
                        ::std::sync::LazyLock::new(|| ::std::vec![#(#schemas),*]);
                    &SCHEMAS
                }

                #[inline]
                #resolve_sig {
                    static ROUTER: #krate::host::router::Table<'static> = #table;
                    #krate::host::router::resolve(&ROUTER, key)
                }

                #dispatch_sig {
                    match m.route {
                        #(#arms)*
                        _ => #krate::host::router::unrouted(key),
                    }
                }
            }

            #[allow(unused_imports)]
            use #krate::host::router::{RouteCheckFallback as _, RouteParamsFallback as _};
            #(#row_checks)*
            #(#verb_checks)*
            #(#field_checks)*
        };
    }
}

/// What the derive writes when the block has errors: the errors, and an impl that
/// resolves nothing, so the type still implements the trait and no second error follows.
pub(super) fn dummy(krate: &Path, ident: &Ident, generics: &syn::Generics) -> TokenStream {
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let Signatures {
        schemas,
        resolve,
        dispatch,
    } = Signatures::new(krate);
    quote! {
        const _: () = {
            #[automatically_derived]
            impl #impl_generics #krate::connector::RowKeySchema for #ident #ty_generics #where_clause {
                #schemas { &[] }
                #resolve { ::core::result::Result::Err(#krate::connector::Miss::new(key)) }
                #dispatch {
                    let _ = (m, request, ctx);
                    #krate::host::router::unrouted(key)
                }
            }
        };
    }
}

/// The trait's three required methods' signatures.
struct Signatures {
    schemas: TokenStream,
    resolve: TokenStream,
    dispatch: TokenStream,
}

impl Signatures {
    fn new(krate: &Path) -> Self {
        Signatures {
            schemas: quote! {
                fn schemas() -> &'static [#krate::connector::RouteSchema]
            },
            resolve: quote! {
                fn resolve(key: &str) -> ::core::result::Result<
                    #krate::connector::RouteMatch<'_>,
                    #krate::connector::Miss<'_>,
                >
            },
            dispatch: quote! {
                fn dispatch_route<'a>(
                    m: #krate::connector::RouteMatch<'a>,
                    key: &'a str,
                    request: #krate::connector::Request,
                    ctx: &'a #krate::connector::DispatchCtx<'a>,
                ) -> ::core::pin::Pin<::std::boxed::Box<
                    dyn ::core::future::Future<
                        Output = ::core::result::Result<
                            #krate::connector::Response,
                            #krate::connector::DispatchError,
                        >,
                    > + ::core::marker::Send + 'a,
                >>
            },
        }
    }
}

/// The marker type of block `i`: `__RowKeyBlock<i>`.
fn block_marker(i: usize) -> TokenStream {
    let i = Literal::usize_unsuffixed(i);
    quote!(__RowKeyBlock<#i>)
}

/// The marker type of route `i`: `__RowKeyRoute<i>`.
fn marker(i: usize) -> TokenStream {
    let i = Literal::usize_unsuffixed(i);
    quote!(__RowKeyRoute<#i>)
}

fn schema(krate: &Path, i: usize, route: &Route) -> TokenStream {
    let marker = marker(i);
    let (pattern, kind) = (&route.pattern, &route.kind);
    let verbs = route.verbs.iter().map(|(v, _)| format_ident!("{}", v.variant()));
    quote! {
        #krate::host::router::route_schema::<#marker>(
            #pattern,
            #kind,
            &[#(#krate::connector::Verb::#verbs),*],
        )
    }
}

/// A const check per verb that the row serves it (`Row::SERVES`), failing the build
/// with a message at the verb.
fn verb_checks<'a>(krate: &'a Path, i: usize, route: &'a Route) -> impl Iterator<Item = TokenStream> + 'a {
    let row = &route.row;
    let marker = marker(i);
    let row_name = row
        .segments
        .last()
        .map_or_else(|| quote!(#row).to_string(), |s| s.ident.to_string());
    route.verbs.iter().map(move |&(verb, span)| {
        let message = format!(
            "route `{}` lists `{}`, but its row `{row_name}` does not serve it (its `Row::SERVES` \
             leaves `{}` out): remove `{}` from the route, or implement `Row::{}` on `{row_name}`",
            route.pattern,
            verb.name(),
            verb.name(),
            verb.name(),
            verb.row_method(),
        );
        let variant = Ident::new(verb.variant(), span);
        quote_spanned! {span=>
            const _: () = if !#krate::connector::serves(
                #krate::host::router::declared_verbs::<#marker>(),
                #krate::connector::Verb::#variant,
            ) {
                ::core::panic!("{}", #message)
            };
        }
    })
}

/// A check that the route's row is a row of its integration, spanned over what names the
/// row (rustc spans an expression from its first token to its last). Through
/// `tento::host::router::RouteCheck`, so it is made only when both types are what they
/// should be, each of which the route's marker reports on its own; and through the
/// marker, so a path that does not resolve is reported there once.
fn row_check(krate: &Path, i: usize, route: &Route) -> TokenStream {
    let (first, last) = route.row_spans;
    let types = route_check_types(krate, i);
    let open = respan(quote!(const _: fn() = || <#types), first);
    let close = respan(quote!(>::row_of_integration();), last);
    quote!(#open #close)
}

/// `RouteCheck<I, R>` of route `i`, with `I` and `R` read from its marker.
fn route_check_types(krate: &Path, i: usize) -> TokenStream {
    let marker = marker(i);
    let router = quote!(#krate::host::router);
    quote! {
        #router::RouteCheck<#router::IntegrationOf<#marker>, <#marker as #router::Route>::Row>
    }
}

/// A closure reading the placeholder's field, so a `Params` without it fails to compile
/// at the segment string: the row's own `Params`, or the integration's through
/// `tento::host::router::RouteCheck`, which reads them only from a type that is an
/// integration.
fn field_check(krate: &Path, check: &FieldCheck) -> TokenStream {
    let field = &check.field;
    let tokens = if check.row_level {
        let marker = marker(check.route);
        quote! {
            const _: fn(&#krate::host::router::RowParamsOf<#marker>) = |params| {
                let _ = &params.#field;
            };
        }
    } else {
        let types = route_check_types(krate, check.route);
        quote! {
            const _: fn() = || {
                <#types>::integration_params(|params| {
                    let _ = &params.#field;
                });
            };
        }
    };
    // Every token at the segment string, so that a `Params` the compiler cannot name
    // is one error there, not one more at the derive.
    respan(tokens, field.span())
}

fn respan(tokens: TokenStream, span: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut tt| {
            if let TokenTree::Group(g) = &tt {
                let mut group = Group::new(g.delimiter(), respan(g.stream(), span));
                group.set_span(span);
                tt = TokenTree::Group(group);
            } else {
                tt.set_span(span);
            }
            tt
        })
        .collect()
}

/// The router table as a `Table` literal.
fn table(krate: &Path, t: &TableBuf) -> TokenStream {
    let seed = Literal::u64_unsuffixed(t.seed);
    let buckets = Literal::u64_unsuffixed(t.buckets);
    let slot_shift = Literal::u32_unsuffixed(t.slot_shift);
    let pilots = t.pilots.iter().map(|&p| Literal::u16_unsuffixed(p));
    let slots = t.slots.iter().map(|slot| {
        let words = slot.iter().map(|&w| Literal::u64_unsuffixed(w));
        quote!([#(#words),*])
    });
    let text = Literal::string(&t.text);
    let u32s = |v: &[u32]| v.iter().map(|&x| Literal::u32_unsuffixed(x)).collect::<Vec<_>>();
    let (states, route_params, params) = (u32s(&t.states), u32s(&t.route_params), u32s(&t.params));
    quote! {
        #krate::host::router::Table {
            seed: #seed,
            buckets: #buckets,
            slot_shift: #slot_shift,
            pilots: &[#(#pilots),*],
            slots: &#krate::host::router::Aligned([#(#slots),*]).0,
            text: #text,
            states: &[#(#states),*],
            route_params: &[#(#route_params),*],
            params: &[#(#params),*],
        }
    }
}
