//! Where a route's row is when the block does not name it with `as`: under the
//! integration's module, one module per literal segment under the key prefix, the type
//! named after the last (`:activities:logs` → `…::connector::activities::logs::Logs`).

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::Span;
use syn::punctuated::Punctuated;
use syn::{Ident, Path, PathSegment};

/// The row of a route under `integration` whose literal segments under the key prefix
/// are `literals` (each with the span its path segment gets); the error says why the
/// convention finds none.
///
/// ```
/// # use proc_macro2::Span;
/// let int: syn::Path = syn::parse_str("::tento_acme::connector::Acme").unwrap();
/// let literals = [("heart-rate".to_owned(), Span::call_site())];
/// let row = tento_rowkey::row_by_convention(&int, &literals).unwrap();
/// let text = quote::quote!(#row).to_string().replace(' ', "");
/// assert_eq!(text, "::tento_acme::connector::heart_rate::HeartRate");
/// ```
pub fn row_by_convention(integration: &Path, literals: &[(String, Span)]) -> Result<Path, String> {
    let Some((last, last_span)) = literals.last() else {
        return Err("it has no literal segment under its key prefix to name the row after".to_owned());
    };
    let mut segments: Punctuated<PathSegment, syn::Token![::]> = integration
        .segments
        .iter()
        .take(integration.segments.len().saturating_sub(1))
        .cloned()
        .collect();
    let module_of = |lit: &str| {
        let module = lit.to_snake_case();
        syn::parse_str::<Ident>(&module).ok().map(|_| module)
    };
    for (lit, span) in literals {
        let Some(module) = module_of(lit) else {
            return Err(format!("segment `{lit}` does not make a Rust module name"));
        };
        segments.push(Ident::new(&module, *span).into());
    }
    let name = last.to_upper_camel_case();
    if syn::parse_str::<Ident>(&name).is_err() {
        return Err(format!("segment `{last}` does not make a Rust type name"));
    }
    segments.push(Ident::new(&name, *last_span).into());
    Ok(Path {
        leading_colon: integration.leading_colon,
        segments,
    })
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    fn path(tokens: proc_macro2::TokenStream) -> Path {
        syn::parse2(tokens).unwrap()
    }

    fn lits(names: &[&str]) -> Vec<(String, Span)> {
        names
            .iter()
            .map(|n| ((*n).to_owned(), Span::call_site()))
            .collect()
    }

    #[test]
    fn rows_are_found_under_the_integrations_module() {
        let int = path(quote!(::a::connector::MyProvider));
        let row = row_by_convention(&int, &lits(&["activities"])).unwrap();
        assert_eq!(
            quote!(#row).to_string(),
            quote!(::a::connector::activities::Activities).to_string()
        );
        let row = row_by_convention(&int, &lits(&["activities", "logs"])).unwrap();
        assert_eq!(
            quote!(#row).to_string(),
            quote!(::a::connector::activities::logs::Logs).to_string()
        );
        let row = row_by_convention(&path(quote!(MyProvider)), &lits(&["sleep-score"])).unwrap();
        assert_eq!(
            quote!(#row).to_string(),
            quote!(sleep_score::SleepScore).to_string()
        );
    }

    #[test]
    fn the_convention_says_why_it_cannot_name_a_row() {
        let int = path(quote!(::a::connector::MyProvider));
        let why = |names: &[&str]| row_by_convention(&int, &lits(names)).err().unwrap_or_default();
        assert!(why(&[]).contains("no literal segment"));
        assert!(why(&["7days"]).contains("`7days` does not make a Rust module name"));
        assert!(why(&["type"]).contains("module name"));
    }
}
