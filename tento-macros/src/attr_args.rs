//! The `name = value, …` arguments of `#[tento::provider(…)]` and `#[tento::row(…)]`.
//!
//! Each macro declares its arguments and the shape of each value; parsing records an
//! error for an unknown name (suggesting the nearest known one), a name given twice or a
//! value of the wrong shape, skips to the next argument and goes on, so every mistake in
//! one attribute is reported at once.

use proc_macro2::{Span, TokenStream, TokenTree};
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{Ident, LitStr, Path, Token, Type};

use crate::errors::Errors;
use crate::nearest::nearest;

/// The shape of an argument's value.
#[derive(Clone, Copy)]
pub(crate) enum Shape {
    /// `"text"`.
    Str,
    /// `path::to::Item`.
    Path,
    /// A type, `dyn MyProviderBackendDeps`.
    Type,
    /// `["a", "b"]`.
    StrList,
}

/// One declared argument: its name, shape, and what to write, for messages
/// (`kind = "myprovider"`).
pub(crate) struct Spec {
    pub(crate) name: &'static str,
    pub(crate) shape: Shape,
    pub(crate) example: &'static str,
}

/// A parsed value.
pub(crate) enum Value {
    Str(LitStr),
    Path(Path),
    Type(Type),
    StrList(Vec<LitStr>, Span),
}

/// The arguments given, by name, each with the span of its name.
pub(crate) struct Args {
    given: Vec<(Ident, Value)>,
    /// Names written whose value did not parse, and declared names a misspelt one was
    /// taken for: their error is reported, so they are not reported missing as well.
    pub(crate) mentioned: Vec<String>,
}

impl Args {
    /// Parses `tokens` against `specs`, recording every mistake in `errors`.
    pub(crate) fn parse(tokens: TokenStream, specs: &[Spec], errors: &mut Errors) -> Args {
        let parser = |input: ParseStream| Ok(parse_args(input, specs, errors));
        match parser.parse2(tokens) {
            Ok(args) => args,
            Err(e) => {
                errors.push(e);
                Args {
                    given: Vec::new(),
                    mentioned: Vec::new(),
                }
            }
        }
    }

    fn take(&mut self, name: &str) -> Option<(Ident, Value)> {
        let i = self.given.iter().position(|(n, _)| n == name)?;
        Some(self.given.remove(i))
    }

    pub(crate) fn str(&mut self, name: &str) -> Option<LitStr> {
        match self.take(name)? {
            (_, Value::Str(s)) => Some(s),
            _ => None,
        }
    }

    pub(crate) fn path(&mut self, name: &str) -> Option<Path> {
        match self.take(name)? {
            (_, Value::Path(p)) => Some(p),
            _ => None,
        }
    }

    pub(crate) fn ty(&mut self, name: &str) -> Option<Type> {
        match self.take(name)? {
            (_, Value::Type(t)) => Some(t),
            _ => None,
        }
    }

    /// The strings of a list argument, with the name's span (for errors about the list).
    pub(crate) fn str_list(&mut self, name: &str) -> Option<(Ident, Vec<LitStr>, Span)> {
        match self.take(name)? {
            (ident, Value::StrList(items, span)) => Some((ident, items, span)),
            _ => None,
        }
    }
}

fn parse_args(input: ParseStream, specs: &[Spec], errors: &mut Errors) -> Args {
    let mut given: Vec<(Ident, Value)> = Vec::new();
    let mut mentioned: Vec<String> = Vec::new();
    while !input.is_empty() {
        // `Ident::parse_any` also takes keywords, so `crate = "…"` parses.
        let name = match input.call(Ident::parse_any) {
            Ok(name) => name,
            Err(_) => {
                errors.at(input.span(), expected_list(specs));
                skip_to_comma(input);
                continue;
            }
        };
        let Some(spec) = specs.iter().find(|s| name == s.name) else {
            let message = match nearest(&name.to_string(), specs.iter().map(|s| s.name)) {
                Some(meant) => {
                    mentioned.push(meant.to_owned());
                    format!("unknown argument `{name}`; did you mean `{meant}`?")
                }
                None => format!("unknown argument `{name}`; expected {}", expected_list(specs)),
            };
            errors.at(name.span(), message);
            skip_to_comma(input);
            continue;
        };
        if input.parse::<Token![=]>().is_err() {
            mentioned.push(spec.name.to_owned());
            errors.at(name.span(), format!("write `{}`", spec.example));
            skip_to_comma(input);
            continue;
        }
        match parse_value(input, spec.shape) {
            Ok(value) => {
                if given.iter().any(|(n, _)| *n == name) {
                    errors.at(name.span(), format!("`{name}` is given twice; keep one"));
                } else {
                    given.push((name, value));
                }
            }
            Err(_) => {
                mentioned.push(spec.name.to_owned());
                errors.at(
                    input.span(),
                    format!(
                        "`{name}` takes {}: write `{}`",
                        describe(spec.shape),
                        spec.example
                    ),
                );
                skip_to_comma(input);
                continue;
            }
        }
        if !input.is_empty() && input.parse::<Token![,]>().is_err() {
            errors.at(input.span(), "expected `,` between arguments");
            skip_to_comma(input);
        }
    }
    Args { given, mentioned }
}

fn parse_value(input: ParseStream, shape: Shape) -> syn::Result<Value> {
    Ok(match shape {
        Shape::Str => Value::Str(input.parse()?),
        Shape::Path => Value::Path(input.parse()?),
        Shape::Type => Value::Type(input.parse()?),
        Shape::StrList => {
            let content;
            let bracket = syn::bracketed!(content in input);
            let items = Punctuated::<LitStr, Token![,]>::parse_terminated(&content)?;
            Value::StrList(items.into_iter().collect(), bracket.span.join())
        }
    })
}

/// Skips the rest of a broken argument: tokens up to and including the next comma that
/// is not inside `<…>` (groups are single tokens already).
fn skip_to_comma(input: ParseStream) {
    let _ = input.step(|cursor| {
        let mut rest = *cursor;
        let mut depth = 0usize;
        while let Some((tt, next)) = rest.token_tree() {
            match &tt {
                TokenTree::Punct(p) if p.as_char() == ',' && depth == 0 => return Ok(((), next)),
                TokenTree::Punct(p) if p.as_char() == '<' => depth += 1,
                TokenTree::Punct(p) if p.as_char() == '>' => depth = depth.saturating_sub(1),
                _ => {}
            }
            rest = next;
        }
        Ok(((), rest))
    });
}

fn describe(shape: Shape) -> &'static str {
    match shape {
        Shape::Str => "a string literal",
        Shape::Path => "a path",
        Shape::Type => "a type",
        Shape::StrList => "a list of string literals",
    }
}

fn expected_list(specs: &[Spec]) -> String {
    let names: Vec<String> = specs.iter().map(|s| format!("`{}`", s.name)).collect();
    format!("one of {}", names.join(", "))
}
