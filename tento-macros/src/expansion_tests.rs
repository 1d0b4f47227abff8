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
