//! What the provider macro's arguments mean, checked: the kind, the key prefix and its
//! placeholders, the names every generated item takes.

use syn::{Ident, ItemStruct, Path, Type};

use super::parse::Input;
use crate::ascii::non_ascii;
use crate::crate_path::{default_crate_path, parse_crate_path};
use crate::errors::{Errors, Missing};
use crate::lookup_key::{Key, Placeholder};

/// The placeholder a provider's client finds the user's credential by.
pub(super) const AUTH_ID: &str = "authId";

/// A provider, checked. Where an argument is missing or wrong the error is recorded and
/// a stand-in is used, so the rest still expands and later code sees no second error.
pub(super) struct Provider {
    pub(super) item: ItemStruct,
    pub(super) krate: Path,
    pub(super) kind: String,
    pub(super) name: String,
    pub(super) deps: Option<Type>,
    pub(super) credentials: Option<Type>,
    pub(super) client: Type,
    /// Whether `client` is the default `<Marker>Client`, not named with `client = …`.
    pub(super) client_defaulted: bool,
    pub(super) key_prefix: String,
    pub(super) params: Vec<Placeholder>,
    pub(super) display: Option<Path>,
    pub(super) names: Names,
}

/// The names of the generated items, from the marker's: `MyProvider` gives
/// `MyProviderParams`, `MyProviderAuth` and `MY_PROVIDER_ID`.
pub(super) struct Names {
    pub(super) params: Ident,
    pub(super) auth: Ident,
    pub(super) id_const: Ident,
}

pub(super) fn validate(input: Input, errors: &mut Errors) -> Provider {
    let marker = input.item.ident.clone();
    // Arguments not written, reported together in one error once the others parse.
    let mut missing = Missing::default();
    if !input.item.generics.params.is_empty() {
        errors.spanned(
            &input.item.generics,
            format!("a provider marker is a plain type: write `pub struct {marker};`, without generics"),
        );
    }

    let marker_name = marker.to_string();
    let allowed = "the provider's generated names (`MY_PROVIDER_ID`, `MyProviderParams`, …) and its default \
                   kind come from the marker's, so it is ASCII letters and digits";
    if let Some(message) = non_ascii(&marker_name, &format!("`{marker}`"), allowed, |ascii| {
        format!("pub struct {ascii};")
    }) {
        errors.at(marker.span(), message);
    }

    let krate = match &input.krate {
        Some(lit) => parse_crate_path(lit).unwrap_or_else(|e| {
            errors.push(e);
            default_crate_path()
        }),
        None => default_crate_path(),
    };

    let kind = match &input.kind {
        Some(lit) => {
            let kind = lit.value();
            if let Some(problem) = kind_problem(&kind) {
                errors.at(lit.span(), problem);
            }
            kind
        }
        None => {
            if !input.mentioned.iter().any(|m| m == "kind") {
                missing.push(
                    "kind = \"…\"",
                    "the provider's auth kind and lookup-key prefix",
                    format!("kind = \"{}\"", kind_example(&marker)),
                );
            }
            kind_example(&marker)
        }
    };

    let name = match &input.name {
        Some(lit) if lit.value().trim().is_empty() => {
            errors.at(
                lit.span(),
                "the display name is what an auth UI shows; it cannot be empty",
            );
            marker.to_string()
        }
        Some(lit) => lit.value(),
        None => {
            if !input.mentioned.iter().any(|m| m == "name") {
                missing.push(
                    "name = \"…\"",
                    "the name an auth UI shows",
                    format!("name = \"{}\"", spaced(&marker.to_string())),
                );
            }
            marker.to_string()
        }
    };

    if input.deps.is_none() && !input.mentioned.iter().any(|m| m == "deps") {
        missing.push(
            "deps = …",
            "the seam the host implements",
            format!("deps = dyn {marker}BackendDeps"),
        );
    }
    if input.credentials.is_none() && !input.mentioned.iter().any(|m| m == "credentials") {
        missing.push(
            "credentials = …",
            "the provider's OAuth credential type",
            format!("credentials = crate::oauth::{marker}OAuthCredentials"),
        );
    }
    if input.clean {
        missing.report("#[tento::provider]", errors);
    }

    let default_prefix = format!(":~{kind}:{{{AUTH_ID}}}");
    let (key_prefix, params) = match &input.key {
        Some(lit) => match key_prefix(lit, &kind) {
            Ok(parsed) => parsed,
            Err(message) => {
                errors.at(lit.span(), message);
                default_params(&default_prefix)
            }
        },
        None => default_params(&default_prefix),
    };

    // Unless named, the client is `<Marker>Client`, found where the marker is.
    let client_defaulted = input.client.is_none();
    let client = input.client.unwrap_or_else(|| {
        let ident = Ident::new(&format!("{marker}Client"), marker.span());
        syn::parse_quote!(#ident)
    });

    let names = Names {
        params: Ident::new(&format!("{marker}Params"), marker.span()),
        auth: Ident::new(&format!("{marker}Auth"), marker.span()),
        id_const: Ident::new(
            &format!("{}_ID", screaming(&ascii_name(&marker_name))),
            marker.span(),
        ),
    };

    Provider {
        item: input.item,
        krate,
        kind,
        name,
        deps: input.deps,
        credentials: input.credentials,
        client,
        client_defaulted,
        key_prefix,
        params,
        display: input.display,
        names,
    }
}

/// The marker's name in ASCII, for the generated constant's: a non-ASCII name is an
/// error already, and the constant should not add a lint on top of it.
fn ascii_name(name: &str) -> String {
    crate::ascii::transliterate(name)
        .unwrap_or_else(|| name.chars().filter(char::is_ascii_alphanumeric).collect())
}

/// Why `kind` cannot be a kind, if it cannot: a kind is lower-case ASCII letters and
/// digits starting with a letter, as it appears in `:~myprovider:` and in stored
/// credentials.
fn kind_problem(kind: &str) -> Option<String> {
    let allowed = "a kind is lower-case ASCII letters and digits, starting with a letter, as it appears in \
                   lookup keys and stored credentials";
    let fold = |ascii: &str| format!("kind = \"{}\"", kind_example_of(ascii));
    if let Some(message) = non_ascii(kind, &format!("kind `{kind}`"), allowed, fold) {
        return Some(message);
    }
    let ok = kind.starts_with(|c: char| c.is_ascii_lowercase())
        && kind.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if ok {
        return None;
    }
    let suggestion: String = kind
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .skip_while(char::is_ascii_digit)
        .collect();
    let hint = if suggestion.is_empty() {
        "e.g. `kind = \"myprovider\"`".to_owned()
    } else {
        format!("write `kind = \"{suggestion}\"`")
    };
    Some(format!(
        "kind `{kind}` is not a kind: a kind is lower-case letters and digits, starting with a letter; {hint}"
    ))
}

/// `MyProvider` → `myprovider`: what the kind of a marker usually is.
fn kind_example(marker: &Ident) -> String {
    kind_example_of(&marker.to_string())
}

/// `My-Provider` → `myprovider`.
fn kind_example_of(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// `MyProvider` → `My Provider`.
fn spaced(camel: &str) -> String {
    let mut out = String::new();
    for (i, c) in camel.chars().enumerate() {
        if i > 0 && c.is_ascii_uppercase() {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// `MyProvider` → `MY_PROVIDER`.
pub(super) fn screaming(camel: &str) -> String {
    let mut out = String::new();
    let mut prev_lower = false;
    for c in camel.chars() {
        if c.is_ascii_uppercase() && prev_lower {
            out.push('_');
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        out.push(c.to_ascii_uppercase());
    }
    out
}

/// The key prefix given with `key = "…"`, checked against the kind: `:~<kind>` then
/// placeholders only, one of them `{authId}`.
fn key_prefix(lit: &syn::LitStr, kind: &str) -> Result<(String, Vec<Placeholder>), String> {
    let key = Key::parse(lit)?;
    let text = &key.text;
    let suggestion = format!(":~{kind}:{{{AUTH_ID}}}");
    if key.kind != kind {
        return Err(format!(
            "the key prefix `{text}` does not match kind `{kind}`: write `key = \"{}\"`",
            key.provider_part()
                .replacen(&format!(":~{}", key.kind), &format!(":~{kind}"), 1)
        ));
    }
    if key.provider_len() != key.rest.len() {
        return Err(format!(
            "the key prefix `{text}` holds a row segment: a provider's prefix is `:~{kind}` and its \
             placeholders (`{}`); each row's key adds its own segments",
            key.provider_part()
        ));
    }
    let params: Vec<Placeholder> = key.provider_placeholders().cloned().collect();
    if !params.iter().any(|p| p.name == AUTH_ID) {
        return Err(format!(
            "the key prefix `{text}` has no `{{{AUTH_ID}}}` placeholder, which the client looks up the \
             user's credential by: write `key = \"{suggestion}\"`"
        ));
    }
    Ok((key.provider_part(), params))
}

fn default_params(prefix: &str) -> (String, Vec<Placeholder>) {
    let params = vec![Placeholder {
        name: AUTH_ID.to_owned(),
        field: "auth_id".to_owned(),
    }];
    (prefix.to_owned(), params)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_names_follow_the_marker() {
        assert_eq!(screaming("MyProvider"), "MY_PROVIDER");
        assert_eq!(screaming("Github2Api"), "GITHUB2_API");
        assert_eq!(spaced("MyProvider"), "My Provider");
    }

    #[test]
    fn kinds_are_lower_case_letters_and_digits() {
        assert_eq!(kind_problem("myprovider2"), None);
        assert!(
            kind_problem("My-Provider")
                .unwrap()
                .contains("`kind = \"myprovider\"`")
        );
        assert!(kind_problem("2fa").unwrap().contains("`kind = \"fa\"`"));
        assert!(kind_problem("").unwrap().contains("e.g."));
    }

    #[test]
    fn key_prefixes_must_match_the_kind_and_hold_the_auth_id() {
        let lit = |s: &str| syn::LitStr::new(s, proc_macro2::Span::call_site());
        let (prefix, params) = key_prefix(&lit(":~p:{authId}:{region}"), "p").unwrap();
        assert_eq!(prefix, ":~p:{authId}:{region}");
        assert_eq!(params.len(), 2);
        assert!(
            key_prefix(&lit(":~q:{authId}"), "p")
                .unwrap_err()
                .contains("write `key = \":~p:{authId}\"`")
        );
        assert!(
            key_prefix(&lit(":~p:{authId}:rows"), "p")
                .unwrap_err()
                .contains("row segment")
        );
        assert!(
            key_prefix(&lit(":~p:{account}"), "p")
                .unwrap_err()
                .contains("no `{authId}`")
        );
    }
}
