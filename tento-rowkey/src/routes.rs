//! The routes a parsed block declares, walked as the derive walks them: every segment
//! that lists verbs is a route, in the order written (a segment before the segments
//! nested in it), whose key is the segment strings from the key prefix down.

use proc_macro2::Span;
use syn::Path;

use crate::ast::{Block, Node};
use crate::convention::row_by_convention;
use crate::verb::Verb;

/// One route of a block.
#[derive(Clone)]
pub struct Route<'a> {
    /// The block's integration.
    pub integration: &'a Path,
    /// The whole key pattern: `:~acme:{authId}:activities`.
    pub pattern: String,
    /// The row: named with `as`, or found by [`row_by_convention`] (the error says why
    /// the convention finds none).
    pub row: Result<Path, String>,
    /// Its verbs, in the order listed.
    pub verbs: Vec<Verb>,
    /// The segment that declares it.
    pub node: &'a Node,
}

/// Every route of `blocks`, in order.
pub fn routes(blocks: &[Block]) -> Vec<Route<'_>> {
    let mut routes = Vec::new();
    for block in blocks {
        for prefix in &block.prefixes {
            walk(block, prefix, String::new(), None, &mut routes);
        }
    }
    routes
}

/// `literals` is `None` at the key prefix, whose literal segments name no module.
fn walk<'a>(
    block: &'a Block,
    node: &'a Node,
    mut pattern: String,
    literals: Option<&[(String, Span)]>,
    routes: &mut Vec<Route<'a>>,
) {
    let text = node.lit.value();
    pattern.push_str(&text);
    let mut own = literals.map(<[_]>::to_vec).unwrap_or_default();
    if literals.is_some() {
        let literal = |s: &&str| !s.is_empty() && !s.starts_with('{');
        own.extend(
            text.split(':')
                .filter(literal)
                .map(|s| (s.to_owned(), node.lit.span())),
        );
    }
    if !node.verbs.is_empty() {
        let row = match &node.row {
            Some(row) => Ok(row.clone()),
            None => row_by_convention(&block.integration, &own),
        };
        routes.push(Route {
            integration: &block.integration,
            pattern: pattern.clone(),
            row,
            verbs: node.verbs.iter().map(|(v, _)| *v).collect(),
            node,
        });
    }
    for child in &node.children {
        walk(block, child, pattern.clone(), Some(&own), routes);
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    #[test]
    fn routes_are_walked_in_order_with_named_and_conventional_rows() {
        let parsed = crate::parse(quote! {
            [integration = ::tento_acme::connector::Acme] {
                ":~acme:{authId}" {
                    ":activities" { get list sync
                        ":logs" { list }
                    }
                    ":heart-rate" as crate::rows::HeartRate { get }
                    ":{day}:hourly" { get list }
                    ":7days" { get }
                }
            }
            [integration = w::connector::W] { ":~w:{city}" { } }
        });
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        let got: Vec<_> = routes(&parsed.blocks)
            .iter()
            .map(|r| {
                let row = match &r.row {
                    Ok(row) => quote!(#row).to_string().replace(' ', ""),
                    Err(why) => why.clone(),
                };
                let verbs: Vec<_> = r.verbs.iter().map(|v| v.name()).collect();
                (r.pattern.clone(), row, verbs.join(" "))
            })
            .collect();
        let expected = [
            (
                ":~acme:{authId}:activities",
                "::tento_acme::connector::activities::Activities",
                "get list sync",
            ),
            (
                ":~acme:{authId}:activities:logs",
                "::tento_acme::connector::activities::logs::Logs",
                "list",
            ),
            (":~acme:{authId}:heart-rate", "crate::rows::HeartRate", "get"),
            (
                ":~acme:{authId}:{day}:hourly",
                "::tento_acme::connector::hourly::Hourly",
                "get list",
            ),
            (
                ":~acme:{authId}:7days",
                "segment `7days` does not make a Rust module name",
                "get",
            ),
        ];
        let expected: Vec<_> = expected
            .iter()
            .map(|(p, r, v)| ((*p).to_owned(), (*r).to_owned(), (*v).to_owned()))
            .collect();
        assert_eq!(got, expected);
    }
}
