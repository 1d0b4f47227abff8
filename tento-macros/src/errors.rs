//! Error collection, after serde_derive's `Ctxt`: every check records its error and
//! carries on, so one build shows every mistake, each at its own token.

use proc_macro2::{Span, TokenStream};
use std::fmt::Display;

/// The errors found so far in one macro invocation.
#[derive(Default)]
pub(crate) struct Errors {
    errors: Vec<syn::Error>,
}

impl Errors {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Records an error at `span`.
    pub(crate) fn at(&mut self, span: Span, message: impl Display) {
        self.errors.push(syn::Error::new(span, message));
    }

    /// Records an error spanning `tokens` (all of a path or type, not just its first token).
    pub(crate) fn spanned(&mut self, tokens: &impl quote::ToTokens, message: impl Display) {
        self.errors.push(syn::Error::new_spanned(tokens, message));
    }

    /// Records an error syn already built.
    pub(crate) fn push(&mut self, error: syn::Error) {
        self.errors.push(error);
    }

    pub(crate) fn len(&self) -> usize {
        self.errors.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// The messages, in the order found, for the macros' unit tests.
    #[cfg(test)]
    pub(crate) fn messages(&self) -> Vec<String> {
        self.errors.iter().map(ToString::to_string).collect()
    }

    /// Every error as `compile_error!` invocations, in the order found.
    pub(crate) fn to_compile_errors(&self) -> TokenStream {
        self.errors.iter().map(syn::Error::to_compile_error).collect()
    }
}

/// Required arguments a macro was not given, reported as one error at the attribute:
/// the fix is one edit, adding them.
#[derive(Default)]
pub(crate) struct Missing {
    /// `(argument, what it is, example)`.
    args: Vec<(&'static str, &'static str, String)>,
}

impl Missing {
    pub(crate) fn push(&mut self, arg: &'static str, what: &'static str, example: String) {
        self.args.push((arg, what, example));
    }

    /// One error naming every missing argument, if any: ``#[tento::row] needs `key = "…"`
    /// (the row's lookup-key pattern): add `key = ":~myprovider:{authId}:activities"` ``.
    pub(crate) fn report(self, macro_name: &str, errors: &mut Errors) {
        if self.args.is_empty() {
            return;
        }
        let needs: Vec<String> = self
            .args
            .iter()
            .map(|(arg, what, _)| format!("`{arg}` ({what})"))
            .collect();
        let add: Vec<&str> = self.args.iter().map(|(_, _, example)| example.as_str()).collect();
        errors.at(
            Span::call_site(),
            format!(
                "{macro_name} needs {}: add `{}`",
                and_list(&needs),
                add.join(", ")
            ),
        );
    }
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
