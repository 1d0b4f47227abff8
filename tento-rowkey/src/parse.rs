//! Tokens → [`ast`](crate::ast). Parsing never stops at the first mistake: each one is
//! recorded where it is, the parser skips to the next thing it recognises, and the
//! caller gets them all at once.

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::parse::{ParseBuffer, ParseStream, Parser};
use syn::{Ident, LitStr, Path, Token, braced, bracketed, token};

use crate::ast::{Block, Node};
use crate::nearest::nearest;
use crate::verb::Verb;

/// A block's routes as far as they parse, and every mistake found on the way.
#[derive(Default)]
pub struct Parsed {
    /// The integration blocks whose header parsed, in order.
    pub blocks: Vec<Block>,
    /// Each mistake, at its token, in the order found.
    pub errors: Vec<syn::Error>,
}

/// Reads the body of a `#[rowkey { … }]` attribute (the tokens between its braces).
pub fn parse(tokens: TokenStream) -> Parsed {
    let mut errors = Errors::default();
    let blocks = dsl_blocks(tokens, &mut errors);
    Parsed {
        blocks,
        errors: errors.0,
    }
}

/// The errors found so far.
#[derive(Default)]
struct Errors(Vec<syn::Error>);

impl Errors {
    fn at(&mut self, span: Span, message: impl std::fmt::Display) {
        self.0.push(syn::Error::new(span, message));
    }

    fn push(&mut self, error: syn::Error) {
        self.0.push(error);
    }

    fn len(&self) -> usize {
        self.0.len()
    }
}

/// The blocks inside `#[rowkey { … }]`.
fn dsl_blocks(tokens: TokenStream, errors: &mut Errors) -> Vec<Block> {
    let parser = |input: ParseStream| {
        let mut blocks = Vec::new();
        while !input.is_empty() {
            if input.peek(token::Bracket) {
                if let Some(block) = block(input, errors) {
                    blocks.push(block);
                }
            } else if input.peek(LitStr) {
                let lit: LitStr = input.parse()?;
                errors.at(
                    lit.span(),
                    format!(
                        "this segment has no integration: put it inside `[integration = path::to::Provider] {{ {} {{ … }} }}`",
                        lit.token()
                    ),
                );
                // Read what belongs to it, so its contents are not reported again.
                node_rest(input, lit, &mut Errors::default());
            } else {
                let tt: TokenTree = input.parse()?;
                errors.at(
                    tt.span(),
                    format!("expected an integration block, `[integration = path::to::Provider] {{ … }}`, found `{tt}`"),
                );
            }
        }
        Ok(blocks)
    };
    // The parser consumes every token tree it meets, so it cannot fail.
    parser.parse2(tokens).unwrap_or_default()
}

/// `[integration = path] { prefixes }`; `None` when the header is unusable.
fn block(input: ParseStream, errors: &mut Errors) -> Option<Block> {
    let (brackets, header) = match in_brackets(input) {
        Ok(parts) => parts,
        Err(e) => {
            errors.push(e);
            return None;
        }
    };
    let integration = integration_header(&header, brackets.span.join(), errors);
    let prefixes = if input.peek(token::Brace) {
        match in_braces(input) {
            Ok((_, body)) => body_items(&body, errors, Level::Integration, &mut Vec::new()),
            Err(e) => {
                errors.push(e);
                return None;
            }
        }
    } else {
        errors.at(
            brackets.span.join(),
            "expected `{ … }` after `[integration = …]`, holding its key prefixes: \
             `[integration = …] { \":~myprovider:{authId}\" { \":activities\" { get } } }`",
        );
        Vec::new()
    };
    Some(Block {
        integration: integration?,
        prefixes,
    })
}

/// `integration = path`, inside the brackets.
fn integration_header(header: ParseStream, span: Span, errors: &mut Errors) -> Option<Path> {
    const WRITE: &str = "write `[integration = path::to::Provider]`, naming the provider's marker type";
    if header.is_empty() {
        errors.at(span, format!("empty integration header: {WRITE}"));
        return None;
    }
    let key = match header.call(Ident::parse_any) {
        Ok(key) => key,
        Err(_) => {
            errors.at(header.span(), format!("expected `integration = …`: {WRITE}"));
            return None;
        }
    };
    if key != "integration" {
        let hint = match nearest(&key.to_string(), ["integration"]) {
            Some(_) => "did you mean `integration`? ",
            None => "",
        };
        errors.at(
            key.span(),
            format!("expected `integration`, found `{key}`: {hint}{WRITE}"),
        );
        return None;
    }
    if header.parse::<Token![=]>().is_err() {
        errors.at(
            header.span(),
            format!("expected `=` after `integration`: {WRITE}"),
        );
        return None;
    }
    if header.is_empty() {
        errors.at(key.span(), format!("`integration =` names no type: {WRITE}"));
        return None;
    }
    if header.peek(LitStr) {
        let lit: LitStr = header.parse().ok()?;
        errors.at(
            lit.span(),
            format!(
                "the integration is a type, not a string: write `[integration = {}]`",
                lit.value()
            ),
        );
        return None;
    }
    let path = match header.parse::<Path>() {
        Ok(path) => path,
        Err(_) => {
            errors.at(header.span(), format!("expected a type path: {WRITE}"));
            return None;
        }
    };
    if !header.is_empty() {
        errors.at(
            header.span(),
            format!("unexpected tokens after the integration's path: {WRITE}"),
        );
    }
    Some(path)
}

/// Where a list of nodes sits: right under an integration (key prefixes) or in a node.
#[derive(Clone, Copy, PartialEq)]
enum Level {
    Integration,
    Node,
}

/// The nodes of a `{ … }`; at [`Level::Node`], the verbs of the node it belongs to go
/// to `verbs`.
fn body_items(
    body: ParseStream,
    errors: &mut Errors,
    level: Level,
    verbs: &mut Vec<(Verb, Span)>,
) -> Vec<Node> {
    let mut children = Vec::new();
    while !body.is_empty() {
        if body.peek(LitStr) {
            let Ok(lit) = body.parse::<LitStr>() else { break };
            if let Some(node) = node_rest(body, lit, errors) {
                children.push(node);
            }
            continue;
        }
        let Ok(tt) = body.parse::<TokenTree>() else { break };
        match &tt {
            TokenTree::Ident(ident) if body.peek(token::Brace) => {
                let _ = body.parse::<TokenTree>();
                errors.at(
                    ident.span(),
                    format!("a segment is a string starting with `:`: write `\":{ident}\" {{ … }}`"),
                );
            }
            TokenTree::Ident(ident) if level == Level::Integration => errors.at(
                ident.span(),
                format!(
                    "`{ident}` directly in an integration block: verbs belong to a route, \
                     `\":~myprovider:{{authId}}\" {{ \":activities\" {{ {ident} }} }}`"
                ),
            ),
            TokenTree::Ident(ident) => match Verb::parse(&ident.to_string()) {
                Ok(verb) => {
                    if verbs.iter().any(|(v, _)| *v == verb) {
                        errors.at(
                            ident.span(),
                            format!("`{ident}` is listed twice for this route; list each verb once"),
                        );
                    } else {
                        verbs.push((verb, ident.span()));
                    }
                }
                Err(message) => errors.at(ident.span(), message),
            },
            TokenTree::Punct(p) if p.as_char() == ',' || p.as_char() == ';' => errors.at(
                p.span(),
                format!(
                    "unexpected `{}`: verbs and segments are separated by spaces, `{{ get list \":logs\" {{ list }} }}`",
                    p.as_char()
                ),
            ),
            TokenTree::Group(g) if g.delimiter() == proc_macro2::Delimiter::Brace => errors.at(
                g.span(),
                "a `{ … }` block with no segment before it: write the segment first, `\":activities\" { get }`",
            ),
            other => {
                let expected = match level {
                    Level::Integration => "a key prefix such as `\":~myprovider:{authId}\" { … }`",
                    Level::Node => {
                        "a verb (get, list, post, patch, delete, sync) or a nested segment such as \
                         `\":logs\" { list }`"
                    }
                };
                errors.at(other.span(), format!("expected {expected}, found `{other}`"));
            }
        }
    }
    children
}

/// What follows a segment's string: `(as Row)? { … }`.
fn node_rest(input: ParseStream, lit: LitStr, errors: &mut Errors) -> Option<Node> {
    let mut row = None;
    let mut row_tokens = None;
    if input.peek(Token![as]) {
        let as_token: Token![as] = input.parse().ok()?;
        match input.parse::<Path>() {
            Ok(path) => {
                let mut tokens = as_token.to_token_stream();
                path.to_tokens(&mut tokens);
                row_tokens = Some(tokens);
                row = Some(path);
            }
            Err(_) => errors.at(
                as_token.span,
                format!(
                    "expected the row's type path after `as`: `{} as path::to::Row {{ get }}`",
                    lit.token()
                ),
            ),
        }
    }
    if !input.peek(token::Brace) {
        let found = match input.cursor().token_tree() {
            Some((tt, _)) => format!(", found `{tt}`"),
            None => String::new(),
        };
        errors.at(
            lit.span(),
            format!(
                "expected `{{ … }}` after {}{found}: a segment's verbs and nested segments go in braces, \
                 `{} {{ get }}`",
                lit.token(),
                lit.token()
            ),
        );
        // Skip what was meant to be inside the braces, up to the next segment.
        while !input.is_empty() && !input.peek(LitStr) {
            if input.parse::<TokenTree>().is_err() {
                break;
            }
        }
        return None;
    }
    let (braces, body) = match in_braces(input) {
        Ok(parts) => parts,
        Err(e) => {
            errors.push(e);
            return None;
        }
    };
    let mut verbs = Vec::new();
    let errors_before = errors.len();
    let children = body_items(&body, errors, Level::Node, &mut verbs);
    Some(Node {
        incomplete: errors.len() > errors_before,
        lit,
        row,
        row_tokens,
        verbs,
        children,
        body_span: braces.span.join(),
    })
}

fn in_brackets<'a>(input: ParseStream<'a>) -> syn::Result<(token::Bracket, ParseBuffer<'a>)> {
    let content;
    let brackets = bracketed!(content in input);
    Ok((brackets, content))
}

fn in_braces<'a>(input: ParseStream<'a>) -> syn::Result<(token::Brace, ParseBuffer<'a>)> {
    let content;
    let braces = braced!(content in input);
    Ok((braces, content))
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    fn parse(tokens: TokenStream) -> (Vec<Block>, Vec<String>) {
        let parsed = super::parse(tokens);
        let messages = parsed
            .errors
            .iter()
            .flat_map(|e| e.to_compile_error())
            .filter_map(|tt| match tt {
                TokenTree::Group(g) => Some(g.stream().to_string()),
                _ => None,
            })
            .collect();
        (parsed.blocks, messages)
    }

    #[test]
    fn the_seeds_block_parses() {
        let (blocks, errors) = parse(quote! {
            [integration = ::tento_myprovider::connector::MyProvider] {
                ":~myprovider:{authId}" {
                    ":activities" { get }
                }
            }
        });
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(blocks.len(), 1);
        let prefix = &blocks[0].prefixes[0];
        assert_eq!(prefix.lit.value(), ":~myprovider:{authId}");
        assert!(prefix.verbs.is_empty());
        let row = &prefix.children[0];
        assert_eq!(row.lit.value(), ":activities");
        assert_eq!(row.verbs.iter().map(|(v, _)| *v).collect::<Vec<_>>(), [Verb::Get]);
    }

    #[test]
    fn rows_can_be_named_and_nested() {
        let (blocks, errors) = parse(quote! {
            [integration = a::P] {
                ":~p:{authId}" {
                    ":activities" as crate::rows::Acts { get list ":logs" { list } }
                }
            }
        });
        assert!(errors.is_empty(), "{errors:?}");
        let acts = &blocks[0].prefixes[0].children[0];
        let row = acts.row.as_ref().unwrap();
        assert_eq!(quote!(#row).to_string(), quote!(crate::rows::Acts).to_string());
        assert_eq!(acts.verbs.len(), 2);
        assert_eq!(acts.children[0].lit.value(), ":logs");
    }

    #[test]
    fn mistakes_are_all_reported_and_parsing_goes_on() {
        let (blocks, errors) = parse(quote! {
            [integration = a::P] {
                ":~p:{a}" {
                    ":x" { get gett get, }
                    ":y" list
                    ":z" { sync }
                }
            }
        });
        assert_eq!(errors.len(), 4, "{errors:#?}");
        assert!(errors[0].contains("did you mean `get`?"));
        assert!(errors[1].contains("listed twice"));
        assert!(errors[2].contains("separated by spaces"));
        assert!(
            errors[3].contains("expected `{ … }` after \\\":y\\\""),
            "{}",
            errors[3]
        );
        let names: Vec<String> = blocks[0].prefixes[0]
            .children
            .iter()
            .map(|n| n.lit.value())
            .collect();
        assert_eq!(names, [":x", ":z"]);
    }

    #[test]
    fn malformed_integration_headers_say_what_to_write() {
        for (tokens, expected) in [
            (quote!([integration MyProvider] {}), "expected `=`"),
            (quote!([integrations = a::P] {}), "did you mean `integration`?"),
            (
                quote!([integration = "a::P"] {}),
                "not a string: write `[integration = a::P]`",
            ),
            (quote!([integration = ] {}), "names no type"),
            (quote!([] {}), "empty integration header"),
            (
                quote!([integration = a::P]),
                "expected `{ … }` after `[integration = …]`",
            ),
            (quote!(":~p:{a}" { ":x" { get } }), "has no integration"),
        ] {
            let (_, errors) = parse(tokens);
            assert_eq!(errors.len(), 1, "{errors:?}");
            assert!(errors[0].contains(expected), "{errors:?} should say {expected}");
        }
    }
}
