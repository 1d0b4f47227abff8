//! The routes of a host's `#[rowkey { … }]` block, read from its tokens with the
//! grammar `#[derive(RowKeySchema)]` documents, and the row each route calls.

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Delimiter, TokenStream, TokenTree};
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
    /// after the last). `None` for a route with no literal segment of its own.
    pub row: Option<String>,
    /// Its verbs, as listed.
    pub verbs: Vec<String>,
}

/// The routes of a block body (the text between `#[rowkey {` and `}]`); `None` when
/// the body is not the derive's grammar (the build would say why).
pub fn parse(body: &str) -> Option<Vec<Route>> {
    let tokens: TokenStream = body.parse().ok()?;
    let mut routes = Vec::new();
    let mut iter = tokens.into_iter().peekable();
    while let Some(tree) = iter.next() {
        let TokenTree::Group(head) = tree else {
            return None;
        };
        if head.delimiter() != Delimiter::Bracket {
            return None;
        }
        let text = compact(&head.stream());
        let integration = text
            .strip_prefix("integration=")?
            .trim_start_matches("::")
            .to_owned();
        let Some(TokenTree::Group(items)) = iter.next() else {
            return None;
        };
        let module = integration
            .rsplit_once("::")
            .map(|(m, _)| m.to_owned())
            .unwrap_or_default();
        items_of(&items.stream(), &integration, &module, "", None, &mut routes)?;
    }
    Some(routes)
}

/// Walks `item*`: verbs of the route at `key`, and nested segments. `under` is the
/// literal segments below the prefix so far (`None` at the integration's top level,
/// where the string is the prefix).
fn items_of(
    stream: &TokenStream,
    integration: &str,
    module: &str,
    key: &str,
    under: Option<&[String]>,
    routes: &mut Vec<Route>,
) -> Option<Vec<String>> {
    let mut verbs = Vec::new();
    let mut iter = stream.clone().into_iter().peekable();
    while let Some(tree) = iter.next() {
        match tree {
            TokenTree::Ident(verb) => verbs.push(verb.to_string()),
            TokenTree::Literal(lit) => {
                let segment = lit.to_string().trim_matches('"').to_owned();
                let mut named = None;
                if matches!(iter.peek(), Some(TokenTree::Ident(i)) if i == "as") {
                    iter.next();
                    let mut path = String::new();
                    while let Some(t) = iter.peek() {
                        if matches!(t, TokenTree::Group(g) if g.delimiter() == Delimiter::Brace) {
                            break;
                        }
                        path.push_str(&t.to_string());
                        iter.next();
                    }
                    named = Some(path.trim_start_matches("::").to_owned());
                }
                let Some(TokenTree::Group(group)) = iter.next() else {
                    return None;
                };
                let mut segments: Vec<String> = under.map(<[String]>::to_vec).unwrap_or_default();
                if under.is_some() {
                    segments.extend(
                        segment
                            .split(':')
                            .filter(|s| !s.is_empty() && !s.starts_with('{'))
                            .map(str::to_owned),
                    );
                }
                let child_key = format!("{key}{segment}");
                let at = routes.len();
                let child_verbs = items_of(
                    &group.stream(),
                    integration,
                    module,
                    &child_key,
                    Some(&segments),
                    routes,
                )?;
                if !child_verbs.is_empty() {
                    let row = named.or_else(|| row_path(module, &segments));
                    routes.insert(
                        at,
                        Route {
                            integration: integration.to_owned(),
                            key: child_key,
                            row,
                            verbs: child_verbs,
                        },
                    );
                }
            }
            _ => return None,
        }
    }
    Some(verbs)
}

/// The row the derive finds for literal `segments` under `module`.
pub fn row_path(module: &str, segments: &[String]) -> Option<String> {
    let last = segments.last()?;
    let mut path = module.to_owned();
    for segment in segments {
        path.push_str("::");
        path.push_str(&segment.to_snake_case());
    }
    path.push_str("::");
    path.push_str(&last.to_upper_camel_case());
    Some(path)
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
