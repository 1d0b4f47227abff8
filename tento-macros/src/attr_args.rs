//! The `name = value, …` arguments of `#[tento::provider(…)]` and `#[tento::row(…)]`.
//!
//! Each macro declares its arguments and the shape of each value. The tokens are cut into
//! arguments first (at top-level commas, and before a `name =` that follows a complete
//! value without its comma), and each argument is parsed on its own: a mistake in one
//! costs only that one, so the arguments around it are kept and never reported missing.
//! Every mistake is one error at its tokens, saying what to write.

use proc_macro2::{Span, TokenStream, TokenTree};
use syn::{Ident, LitStr, Path, Type};

use crate::errors::Errors;
use tento_rowkey::nearest;

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
    /// Whether every argument was written `name = value`. When one was not (positional
    /// arguments), what it meant is unknown, so the macro reports no missing argument on
    /// top of its error.
    pub(crate) clean: bool,
}

impl Args {
    /// Parses `tokens` against `specs`, recording every mistake in `errors`.
    pub(crate) fn parse(tokens: TokenStream, specs: &[Spec], errors: &mut Errors) -> Args {
        let mut args = Args {
            given: Vec::new(),
            mentioned: Vec::new(),
            clean: true,
        };
        let mut unnamed_reported = false;
        for segment in split_at_commas(tokens) {
            let chunks = split_at_names(segment, specs);
            for (i, chunk) in chunks.into_iter().enumerate() {
                if i > 0 {
                    let name = chunk.first().map(ToString::to_string).unwrap_or_default();
                    errors.at(
                        chunk_span(&chunk),
                        format!("expected `,` before `{name}`: arguments are separated by commas"),
                    );
                }
                args.argument(chunk, specs, errors, &mut unnamed_reported);
            }
        }
        args.clean = !unnamed_reported;
        args
    }

    /// One `name = value` argument.
    fn argument(
        &mut self,
        chunk: Vec<TokenTree>,
        specs: &[Spec],
        errors: &mut Errors,
        unnamed_reported: &mut bool,
    ) {
        let mut tokens = chunk.into_iter();
        let name = match tokens.next() {
            Some(TokenTree::Ident(name)) => name,
            first => {
                // `#[tento::provider("myprovider")]`: one error for the attribute, not one
                // per unnamed argument; the same fix serves them all.
                if !*unnamed_reported {
                    *unnamed_reported = true;
                    let span = first.as_ref().map_or_else(Span::call_site, TokenTree::span);
                    errors.at(
                        span,
                        format!(
                            "arguments are named, `name = value`: write `{}`; the arguments are {}",
                            specs[0].example,
                            expected_list(specs)
                        ),
                    );
                }
                return;
            }
        };
        let Some(spec) = specs.iter().find(|s| name == s.name) else {
            let message = match nearest(&name.to_string(), specs.iter().map(|s| s.name)) {
                Some(meant) => {
                    self.mentioned.push(meant.to_owned());
                    format!("unknown argument `{name}`; did you mean `{meant}`?")
                }
                None => format!("unknown argument `{name}`; expected {}", expected_list(specs)),
            };
            errors.at(name.span(), message);
            return;
        };
        let is_eq = |tt: &TokenTree| matches!(tt, TokenTree::Punct(p) if p.as_char() == '=');
        match tokens.next() {
            Some(tt) if is_eq(&tt) => {}
            _ => {
                self.mentioned.push(spec.name.to_owned());
                errors.at(name.span(), format!("write `{}`", spec.example));
                return;
            }
        }
        let value: TokenStream = tokens.collect();
        if value.is_empty() {
            self.mentioned.push(spec.name.to_owned());
            errors.at(
                name.span(),
                format!("`{name}` has no value: write `{}`", spec.example),
            );
            return;
        }
        match parse_value(value.clone(), spec.shape) {
            Ok(parsed) => {
                if self.given.iter().any(|(n, _)| *n == name) {
                    errors.at(name.span(), format!("`{name}` is given twice; keep one"));
                } else {
                    self.given.push((name, parsed));
                }
            }
            Err(()) => {
                self.mentioned.push(spec.name.to_owned());
                errors.spanned(&value, wrong_shape(spec, &value));
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

/// A whole value, all of `tokens`; `Err` when they are not one value of `shape`.
fn parse_value(tokens: TokenStream, shape: Shape) -> Result<Value, ()> {
    let parsed = match shape {
        Shape::Str => syn::parse2(tokens).map(Value::Str),
        Shape::Path => syn::parse2(tokens).map(Value::Path),
        Shape::Type => syn::parse2(tokens).map(Value::Type),
        Shape::StrList => {
            let mut trees = tokens.into_iter();
            match (trees.next(), trees.next()) {
                (Some(TokenTree::Group(g)), None) if g.delimiter() == proc_macro2::Delimiter::Bracket => {
                    let items = split_at_commas(g.stream())
                        .into_iter()
                        .map(|item| syn::parse2::<LitStr>(item.into_iter().collect()))
                        .collect::<syn::Result<Vec<LitStr>>>();
                    items.map(|items| Value::StrList(items, g.span()))
                }
                _ => Err(syn::Error::new(Span::call_site(), "")),
            }
        }
    };
    parsed.map_err(|_| ())
}

/// What to write instead of a value of the wrong shape, built from what was written where
/// that is clear: `kind = myprovider` → `kind = "myprovider"`, `credentials = "Creds"` →
/// `credentials = Creds`, `stages = [viewport]` → `stages = ["viewport"]`.
fn wrong_shape(spec: &Spec, value: &TokenStream) -> String {
    let name = spec.name;
    let written = compact(value);
    let unquoted = syn::parse2::<LitStr>(value.clone()).ok().map(|lit| lit.value());
    let suggestion = match spec.shape {
        Shape::Str if !written.contains('"') => Some(format!("{name} = \"{written}\"")),
        Shape::Path => unquoted
            .filter(|s| syn::parse_str::<Path>(s).is_ok())
            .map(|s| format!("{name} = {s}")),
        Shape::Type => unquoted
            .filter(|s| syn::parse_str::<Type>(s).is_ok())
            .map(|s| format!("{name} = {s}")),
        Shape::StrList => {
            let items: Vec<String> = match value.clone().into_iter().next() {
                Some(TokenTree::Group(g)) => split_at_commas(g.stream())
                    .iter()
                    .map(|item| quoted(&item.iter().cloned().collect()))
                    .collect(),
                _ => vec![quoted(value)],
            };
            Some(format!("{name} = [{}]", items.join(", ")))
        }
        Shape::Str => None,
    };
    let what = describe(spec.shape);
    match suggestion {
        Some(s) => format!("`{name}` takes {what}: write `{s}`"),
        None => format!("`{name}` takes {what}: write `{}`", spec.example),
    }
}

/// A string literal holding what `tokens` say: the literal itself, or the tokens quoted.
fn quoted(tokens: &TokenStream) -> String {
    match syn::parse2::<LitStr>(tokens.clone()) {
        Ok(lit) => format!("{:?}", lit.value()),
        Err(_) => format!("\"{}\"", compact(tokens)),
    }
}

/// Tokens as written, without the spaces token printing puts between them, but with one
/// between two words (`My Provider`).
fn compact(tokens: &TokenStream) -> String {
    let mut out = String::new();
    let mut prev_word = false;
    for tt in tokens.clone() {
        let word = matches!(tt, TokenTree::Ident(_) | TokenTree::Literal(_));
        if word && prev_word {
            out.push(' ');
        }
        match &tt {
            TokenTree::Group(g) => {
                let (open, close) = match g.delimiter() {
                    proc_macro2::Delimiter::Parenthesis => ("(", ")"),
                    proc_macro2::Delimiter::Brace => ("{", "}"),
                    proc_macro2::Delimiter::Bracket => ("[", "]"),
                    proc_macro2::Delimiter::None => ("", ""),
                };
                out.push_str(open);
                out.push_str(&compact(&g.stream()));
                out.push_str(close);
            }
            other => out.push_str(&other.to_string()),
        }
        prev_word = word;
    }
    out
}

/// The tokens between top-level commas (commas inside `<…>` belong to a type; groups are
/// single tokens already). Empty pieces, as after a trailing comma, are dropped.
fn split_at_commas(tokens: TokenStream) -> Vec<Vec<TokenTree>> {
    let mut pieces = vec![Vec::new()];
    let mut depth = 0usize;
    let mut prev_dash = false;
    for tt in tokens {
        if let TokenTree::Punct(p) = &tt {
            match p.as_char() {
                ',' if depth == 0 => {
                    pieces.push(Vec::new());
                    prev_dash = false;
                    continue;
                }
                '<' => depth += 1,
                // `->` in a `fn(…) -> T` type closes nothing.
                '>' if !prev_dash => depth = depth.saturating_sub(1),
                _ => {}
            }
            prev_dash = p.as_char() == '-';
        } else {
            prev_dash = false;
        }
        if let Some(last) = pieces.last_mut() {
            last.push(tt);
        }
    }
    pieces.retain(|p| !p.is_empty());
    pieces
}

/// One comma-separated piece cut before each `name =` that starts an argument after the
/// first (a missing comma): `kind = "a" name = "b"` is two arguments.
fn split_at_names(piece: Vec<TokenTree>, specs: &[Spec]) -> Vec<Vec<TokenTree>> {
    let mut chunks: Vec<Vec<TokenTree>> = vec![Vec::new()];
    let mut depth = 0usize;
    for i in 0..piece.len() {
        let starts_argument = i > 1
            && depth == 0
            && matches!(&piece[i], TokenTree::Ident(id) if specs.iter().any(|s| id == s.name))
            && matches!(piece.get(i + 1), Some(TokenTree::Punct(p))
                if p.as_char() == '=' && p.spacing() == proc_macro2::Spacing::Alone);
        if starts_argument {
            chunks.push(Vec::new());
        }
        if let TokenTree::Punct(p) = &piece[i] {
            match p.as_char() {
                '<' => depth += 1,
                '>' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        if let Some(last) = chunks.last_mut() {
            last.push(piece[i].clone());
        }
    }
    chunks
}

fn chunk_span(chunk: &[TokenTree]) -> Span {
    chunk.first().map_or_else(Span::call_site, TokenTree::span)
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

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    const SPECS: &[Spec] = &[
        Spec {
            name: "kind",
            shape: Shape::Str,
            example: "kind = \"myprovider\"",
        },
        Spec {
            name: "deps",
            shape: Shape::Type,
            example: "deps = dyn Deps",
        },
        Spec {
            name: "stages",
            shape: Shape::StrList,
            example: "stages = [\"viewport\"]",
        },
    ];

    fn messages(tokens: TokenStream) -> (Args, Vec<String>) {
        let mut errors = Errors::new();
        let args = Args::parse(tokens, SPECS, &mut errors);
        (args, errors.messages())
    }

    #[test]
    fn a_broken_argument_keeps_the_others() {
        let (mut args, errors) = messages(quote!(stages = [viewport, backfill], kind = "a", deps = dyn D));
        assert_eq!(
            errors,
            ["`stages` takes a list of string literals: write `stages = [\"viewport\", \"backfill\"]`"]
        );
        assert_eq!(args.str("kind").unwrap().value(), "a");
        assert!(args.ty("deps").is_some());
        assert!(args.clean);
        assert_eq!(args.mentioned, ["stages"]);
    }

    #[test]
    fn a_missing_comma_is_one_error_and_both_arguments_count() {
        let (mut args, errors) = messages(quote!(kind = "a" deps = dyn D<X = u8>));
        assert_eq!(
            errors,
            ["expected `,` before `deps`: arguments are separated by commas"]
        );
        assert!(args.str("kind").is_some() && args.ty("deps").is_some());
    }

    #[test]
    fn wrong_shapes_suggest_the_value_written_in_the_right_shape() {
        let (_, errors) = messages(quote!(kind = my provider, deps = "Box<dyn D>", stages = "viewport"));
        assert_eq!(
            errors,
            [
                "`kind` takes a string literal: write `kind = \"my provider\"`",
                "`deps` takes a type: write `deps = Box<dyn D>`",
                "`stages` takes a list of string literals: write `stages = [\"viewport\"]`",
            ]
        );
    }

    #[test]
    fn unnamed_arguments_are_one_error() {
        let (args, errors) = messages(quote!("a", "b", kind = "c"));
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].starts_with("arguments are named"), "{errors:?}");
        assert!(!args.clean);
    }

    #[test]
    fn values_written_without_quotes_are_quoted_as_written() {
        assert_eq!(
            compact(&quote!(:~myprovider:{authId}:activities)),
            ":~myprovider:{authId}:activities"
        );
        assert_eq!(compact(&quote!(My Provider)), "My Provider");
    }

    #[test]
    fn commas_inside_types_and_fn_arrows_do_not_split() {
        let pieces = split_at_commas(quote!(deps = fn(u8, u8) -> HashMap<u8, u8>, kind = "a"));
        assert_eq!(pieces.len(), 2);
    }
}
