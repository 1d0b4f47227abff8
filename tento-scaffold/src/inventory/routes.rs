//! The routes of a host's `#[rowkey { … }]` block, read with the grammar
//! `#[derive(RowKeySchema)]` reads it with (`tento-rowkey`), and the row each route
//! calls, found by the derive's own convention.

use proc_macro2::TokenStream;
use quote::ToTokens;
use serde::Serialize;

/// One route: a key with verbs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Route {
    /// The integration's path as the block names it, without a leading `::`
    /// (`tento_acme::connector::Acme`).
    pub integration: String,
    /// The whole key pattern: `:~acme:{authId}:activities`.
    pub key: String,
    /// The row's path: named with `as`, or found by the derive's convention (the
    /// literal segments under the prefix as modules of the integration's module, the type
    /// after the last). `None` when the convention finds none (the build says why).
    pub row: Option<String>,
    /// Its verbs, as listed.
    pub verbs: Vec<String>,
}

/// The routes of a block body (the text between `#[rowkey {` and `}]`); `None` when
/// the body is not the derive's grammar (the build would say why).
pub fn parse(body: &str) -> Option<Vec<Route>> {
    let tokens: TokenStream = body.parse().ok()?;
    let parsed = tento_rowkey::parse(tokens);
    if !parsed.errors.is_empty() {
        return None;
    }
    let path = |p: &syn::Path| compact(&p.to_token_stream()).trim_start_matches("::").to_owned();
    let routes = tento_rowkey::routes(&parsed.blocks)
        .into_iter()
        .map(|route| Route {
            integration: path(route.integration),
            key: route.pattern,
            row: route.row.ok().map(|row| path(&row)),
            verbs: route.verbs.iter().map(|v| v.name().to_owned()).collect(),
        })
        .collect();
    Some(routes)
}

/// Tokens as text without spaces, for comparing paths.
pub fn compact(stream: &TokenStream) -> String {
    crate::patch::splice::compact(&stream.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_named_and_placeholder_routes_resolve_like_the_derive() {
        let body = r#"
            [integration = ::tento_acme::connector::Acme] {
                ":~acme:{authId}" {
                    ":activities" { get list sync
                        ":logs" { list }
                    }
                    ":heart-rate" as crate::rows::HeartRate { get }
                    ":{day}:hourly" { get list }
                }
            }
            [integration = w::connector::W] { ":~w:{city}" { } }
        "#;
        let routes = parse(body).unwrap();
        let got: Vec<_> = routes
            .iter()
            .map(|r| (r.key.as_str(), r.row.as_deref().unwrap_or("-"), r.verbs.join(" ")))
            .collect();
        assert_eq!(
            got,
            [
                (
                    ":~acme:{authId}:activities",
                    "tento_acme::connector::activities::Activities",
                    "get list sync".to_owned()
                ),
                (
                    ":~acme:{authId}:activities:logs",
                    "tento_acme::connector::activities::logs::Logs",
                    "list".to_owned()
                ),
                (
                    ":~acme:{authId}:heart-rate",
                    "crate::rows::HeartRate",
                    "get".to_owned()
                ),
                (
                    ":~acme:{authId}:{day}:hourly",
                    "tento_acme::connector::hourly::Hourly",
                    "get list".to_owned()
                ),
            ]
        );
        assert!(routes.iter().all(|r| r.integration != "w::connector::W"));
        assert_eq!(parse("not the grammar"), None);
    }
}
