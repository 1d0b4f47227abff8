//! The derive input → [`ast`](super::ast): the `#[rowkey(…)]` options here, the
//! `#[rowkey { … }]` block by `tento-rowkey`. Parsing never stops at the first mistake:
//! each one is recorded where it is, and the derive reports them all at once.

use proc_macro2::TokenStream;
use syn::{Attribute, DeriveInput, LitStr, MacroDelimiter, Meta, Path};
use tento_rowkey::Block;

use super::ast::Input;
use crate::crate_path::{default_crate_path, parse_crate_path};
use crate::errors::Errors;

const EXAMPLE: &str = "#[rowkey { [integration = ::tento_myprovider::connector::MyProvider] { \
                       \":~myprovider:{authId}\" { \":activities\" { get } } } }]";

/// Reads the derive input's `#[rowkey …]` attributes.
pub(super) fn input(derive: DeriveInput, errors: &mut Errors) -> Input {
    let mut krate = None;
    let mut dsl: Option<(&Attribute, TokenStream)> = None;
    for attr in derive.attrs.iter().filter(|a| a.path().is_ident("rowkey")) {
        match &attr.meta {
            Meta::List(list) if matches!(list.delimiter, MacroDelimiter::Brace(_)) => {
                if dsl.is_some() {
                    errors.spanned(
                        attr,
                        "a second `#[rowkey { … }]` block: one block holds every route, merge this one \
                         into the first",
                    );
                } else {
                    dsl = Some((attr, list.tokens.clone()));
                }
            }
            Meta::List(list) if matches!(list.delimiter, MacroDelimiter::Paren(_)) => {
                options(attr, &mut krate, errors);
            }
            _ => errors.spanned(
                attr,
                format!("`#[rowkey]` takes its routes in braces: `{EXAMPLE}`; or options in parentheses: `#[rowkey(crate = \"…\")]`"),
            ),
        }
    }
    let blocks = match dsl {
        Some((attr, tokens)) => {
            let blocks = dsl_blocks(tokens, errors);
            // No integration at all is a host with no provider yet, as `tento-scaffold
            // init` writes it; integrations that route nothing are a mistake.
            if !blocks.is_empty() && blocks.iter().all(|b| b.prefixes.is_empty()) && errors.is_empty() {
                errors.spanned(
                    attr,
                    format!("no routes: add an integration block with its routes, e.g. `{EXAMPLE}`"),
                );
            }
            blocks
        }
        None => {
            errors.spanned(
                &derive.ident,
                format!("`#[derive(RowKeySchema)]` reads its routes from a `#[rowkey {{ … }}]` attribute: add one, e.g. `{EXAMPLE}`"),
            );
            Vec::new()
        }
    };
    Input {
        ident: derive.ident,
        generics: derive.generics,
        krate: krate.unwrap_or_else(default_crate_path),
        blocks,
    }
}

/// `#[rowkey(crate = "…")]`.
fn options(attr: &Attribute, krate: &mut Option<Path>, errors: &mut Errors) {
    let parsed = attr.parse_nested_meta(|meta| {
        if meta.path.is_ident("crate") {
            let lit: LitStr = meta.value()?.parse()?;
            match parse_crate_path(&lit) {
                Ok(path) if krate.is_none() => *krate = Some(path),
                Ok(_) => errors.at(lit.span(), "`crate = …` is given twice; keep one"),
                Err(e) => errors.push(e),
            }
            Ok(())
        } else {
            Err(meta.error("unknown `#[rowkey(…)]` option: the one option is `crate = \"path::to::tento\"`"))
        }
    });
    if let Err(e) = parsed {
        errors.push(e);
    }
}

/// The blocks inside `#[rowkey { … }]`, read with the grammar `tento-scaffold` reads
/// them with; each mistake is recorded here.
fn dsl_blocks(tokens: TokenStream, errors: &mut Errors) -> Vec<Block> {
    let parsed = tento_rowkey::parse(tokens);
    for error in parsed.errors {
        errors.push(error);
    }
    parsed.blocks
}
