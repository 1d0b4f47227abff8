//! Expansion snapshots: what each macro writes for a few representative inputs,
//! formatted with prettyplease and kept with insta (`snapshots/` beside this file), so
//! a reviewer reads the generated code and a change to it shows in review.

use proc_macro2::TokenStream;
use quote::quote;

fn pretty(tokens: TokenStream) -> String {
    match syn::parse2::<syn::File>(tokens.clone()) {
        Ok(file) => prettyplease::unparse(&file),
        Err(e) => panic!("the expansion does not parse ({e}):\n{tokens}"),
    }
}

#[test]
fn provider_as_design_md_writes_it() {
    let out = crate::provider::provider(
        quote!(kind = "myprovider", name = "My Provider",
               deps = dyn MyProviderBackendDeps, credentials = crate::oauth::MyProviderOAuthCredentials),
        quote!(
            /// MyProvider integration marker.
            pub struct MyProvider;
        ),
    );
    insta::assert_snapshot!(pretty(out));
}

#[test]
fn provider_with_two_placeholders_a_client_a_display_hook_and_a_crate() {
    let out = crate::provider::provider(
        quote!(crate = "::my_connector", kind = "weather", name = "Weather", deps = dyn WeatherDeps,
               credentials = Creds, client = Api, display = account_label,
               key = ":~weather:{authId}:{regionCode}"),
        quote!(
            /// Weather.
            pub(crate) struct Weather;
        ),
    );
    insta::assert_snapshot!(pretty(out));
}

#[test]
fn provider_with_mistakes_keeps_the_item_and_stands_in() {
    let out = crate::provider::provider(
        quote!(knd = "myprovider", name = "My Provider"),
        quote!(
            pub struct MyProvider;
        ),
    );
    insta::assert_snapshot!(pretty(out));
}

#[test]
fn synced_row_as_design_md_writes_it() {
    let out = crate::row::row(
        quote!(
            provider = MyProvider,
            key = ":~myprovider:{authId}:activities",
            stages = ["viewport", "backfill"]
        ),
        quote!(
            impl Activities {
                async fn sync(ctx: SyncCtx<'_, Self>) -> anyhow::Result<usize> {
                    let n = fetch(ctx.stage).await?;
                    Ok(n)
                }
            }
        ),
    );
    insta::assert_snapshot!(pretty(out));
}

#[test]
fn writable_row_with_its_own_placeholder_and_helpers() {
    let out = crate::row::row(
        quote!(
            provider = super::Git,
            key = ":~git:{authId}:repos:{repoName}",
            label = "git-repos"
        ),
        quote!(
            impl Repos {
                /// A helper that stays inherent.
                fn page(id: &str) -> Cell {
                    make(id)
                }

                /// Reads the repository's cells.
                async fn list_cells(ctx: RowCtx<Self>, range: Option<DateRange>) -> anyhow::Result<Vec<Cell>> {
                    ctx.client.list(&ctx.row_params.repo_name, range).await
                }

                async fn post(_ctx: RowCtx<'_, Self>, cell: Cell) -> anyhow::Result<Cell> {
                    Ok(cell)
                }
            }
        ),
    );
    insta::assert_snapshot!(pretty(out));
}

#[test]
fn auth_registry_of_two_providers() {
    let out = crate::auth_registry::auth_registry(quote!(
        /// The auth kinds this host resolves.
        pub struct HostAuthKinds {
            tento_myprovider::connector::MyProviderAuth,
            tento_myprovider_macros::connector::MyMacroProviderAuth,
        }
    ));
    insta::assert_snapshot!(pretty(out));
}

/// What an expansion declares, for the tests below: the names of its items, each impl as
/// `Trait for Type`, and how many `compile_error!`s it holds. Items in `const _` blocks
/// count, as the impls sit there.
#[derive(Default, Debug)]
struct Outline {
    items: Vec<String>,
    impls: Vec<String>,
    /// The methods of each impl, as `Type::method`.
    methods: Vec<String>,
    errors: usize,
}

fn outline(tokens: TokenStream) -> Outline {
    let file: syn::File = syn::parse2(tokens).expect("the expansion parses");
    let mut out = Outline::default();
    collect(&file.items, &mut out);
    out
}

fn collect(items: &[syn::Item], out: &mut Outline) {
    use quote::ToTokens;
    let last = |path: &syn::Path| {
        path.segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default()
    };
    for item in items {
        match item {
            syn::Item::Struct(s) => out.items.push(s.ident.to_string()),
            syn::Item::Enum(e) => out.items.push(e.ident.to_string()),
            syn::Item::Const(c) if c.ident == "_" => {
                if let syn::Expr::Block(block) = &*c.expr {
                    let inner: Vec<syn::Item> = block
                        .block
                        .stmts
                        .iter()
                        .filter_map(|s| match s {
                            syn::Stmt::Item(i) => Some(i.clone()),
                            _ => None,
                        })
                        .collect();
                    collect(&inner, out);
                }
            }
            syn::Item::Const(c) => out.items.push(c.ident.to_string()),
            syn::Item::Impl(i) => {
                let ty = i.self_ty.to_token_stream().to_string();
                match &i.trait_ {
                    Some((_, path, _)) => out.impls.push(format!("{} for {ty}", last(path))),
                    None => out.impls.push(format!("impl {ty}")),
                }
                for member in &i.items {
                    if let syn::ImplItem::Fn(f) = member {
                        out.methods.push(format!("{ty}::{}", f.sig.ident));
                    }
                }
            }
            syn::Item::Macro(m) if last(&m.mac.path) == "compile_error" => out.errors += 1,
            _ => {}
        }
    }
}

fn has(list: &[String], wanted: &str) -> bool {
    list.iter().any(|s| s.replace(' ', "") == wanted.replace(' ', ""))
}

// rust-analyzer keeps completing and resolving the rest of a file while a macro argument
// is wrong only if the expansion still declares what a right one would: these check that
// each macro, given one broken argument, writes its items and impls beside the one error.

#[test]
fn provider_with_a_broken_argument_still_writes_every_item_and_impl() {
    let out = outline(crate::provider::provider(
        quote!(kind = myprovider, name = "My Provider", deps = dyn MyProviderBackendDeps, credentials = Creds),
        quote!(
            pub struct MyProvider;
        ),
    ));
    assert_eq!(out.errors, 1, "{out:?}");
    for item in [
        "MyProvider",
        "MY_PROVIDER_ID",
        "MyProviderParams",
        "MyProviderAuth",
    ] {
        assert!(has(&out.items, item), "{item} missing: {out:?}");
    }
    for imp in [
        "Deserialize for MyProviderParams",
        "AuthProvider for MyProviderAuth",
        "Provider for MyProvider",
        "Integration for MyProvider",
    ] {
        assert!(has(&out.impls, imp), "{imp} missing: {out:?}");
    }
}

#[test]
fn row_with_a_broken_argument_still_writes_impl_row_and_its_methods() {
    let out = outline(crate::row::row(
        quote!(
            provider = MyProvider,
            key = ":~myprovider:{authId}:activities:{day}",
            stages = [viewport]
        ),
        quote!(
            impl Activities {
                async fn sync(ctx: SyncCtx<'_, Self>) -> anyhow::Result<usize> {
                    Ok(0)
                }
                fn helper() -> u8 {
                    1
                }
            }
        ),
    ));
    assert_eq!(out.errors, 1, "{out:?}");
    assert!(has(&out.items, "ActivitiesParams"), "{out:?}");
    assert!(has(&out.impls, "Row for Activities"), "{out:?}");
    assert!(has(&out.impls, "impl Activities"), "{out:?}");
    for method in ["Activities::sync", "Activities::lookup_key", "Activities::helper"] {
        assert!(has(&out.methods, method), "{method} missing: {out:?}");
    }
}

#[test]
fn row_with_a_near_miss_method_keeps_it_callable_and_still_writes_impl_row() {
    let out = outline(crate::row::row(
        quote!(provider = MyProvider, key = ":~myprovider:{authId}:activities"),
        quote!(
            impl Activities {
                async fn list(ctx: RowCtx<'_, Self>, range: Option<DateRange>) -> anyhow::Result<Vec<Cell>> {
                    Ok(Vec::new())
                }
                async fn get(ctx: RowCtx<'_, Self>, cell_id: String) -> anyhow::Result<Option<Cell>> {
                    Ok(None)
                }
            }
        ),
    ));
    assert_eq!(out.errors, 1, "{out:?}");
    assert!(has(&out.methods, "Activities::get"), "{out:?}");
    assert!(has(&out.methods, "Activities::list"), "{out:?}");
    assert!(has(&out.impls, "Row for Activities"), "{out:?}");
}

#[test]
fn auth_registry_with_a_broken_entry_keeps_the_others() {
    let tokens = crate::auth_registry::auth_registry(quote!(
        pub struct HostAuthKinds {
            "myprovider",
            tento_other::connector::OtherAuth,
        }
    ));
    let text = tokens.to_string();
    let out = outline(tokens);
    assert_eq!(out.errors, 1, "{out:?}");
    assert!(has(&out.items, "HostAuthKinds"), "{out:?}");
    assert!(has(&out.impls, "AuthRegistry for HostAuthKinds"), "{out:?}");
    assert!(text.contains("OtherAuth"), "{text}");
}

#[test]
fn rowkey_with_a_mistake_still_writes_the_impl() {
    let out = outline(crate::rowkey::derive(quote!(
        #[rowkey {
            [integration = ::tento_myprovider::connector::MyProvider] {
                ":~myprovider:{authId}" {
                    ":activities" { get lists }
                }
            }
        }]
        pub struct RowKeys;
    )));
    assert_eq!(out.errors, 1, "{out:?}");
    assert!(has(&out.impls, "RowKeySchema for RowKeys"), "{out:?}");
}
