//! Provider names: what a user types, checked, and every name derived from it.
//!
//! `my-provider`, `my_provider`, `MyProvider` and `myProvider` are the same provider.
//! Its words (`my`, `provider`) give every other name, following the seeds, whose
//! `MyProvider` lives in crate `tento-myprovider` under kind `myprovider`:
//!
//! | name | rule | `my-provider` |
//! |---|---|---|
//! | kind | the words, lower case, joined | `myprovider` |
//! | crate | `tento-` + kind | `tento-myprovider` |
//! | library | `tento_` + kind | `tento_myprovider` |
//! | type | the words in UpperCamelCase | `MyProvider` |
//! | snake | the words in snake_case, for variables | `my_provider` |
//! | display name | the words capitalised, spaced | `My Provider` |
//!
//! A name is refused when it is empty, holds anything but ASCII letters, digits, `-`
//! and `_` (so no path separators, `..` or spaces), does not start with a letter, is a
//! Rust keyword, or gives a type the generated code already names: one the templates
//! import (`arc` → `Arc`), a std prelude name they use (`vec` → `Vec`), or one of the
//! type's derived names doing so (`user` → `UserAuth`). The taken names are read from
//! the templates themselves, so a template that imports a new name refuses it at once.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use std::fmt;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Every name derived from one provider name.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ProviderNames {
    /// The auth kind and lookup-key prefix: `myprovider`.
    pub kind: String,
    /// The crate's package name: `tento-myprovider`.
    pub crate_name: String,
    /// The crate's library name, as Rust code names it: `tento_myprovider`.
    pub lib_name: String,
    /// The integration marker type: `MyProvider`.
    pub type_name: String,
    /// The snake_case form for variables: `my_provider`.
    pub snake: String,
    /// The default display name: `My Provider`.
    pub display: String,
}

impl ProviderNames {
    /// Checks `input` and derives the names, or says what is wrong and what to type.
    pub fn parse(input: &str) -> Result<Self, NameError> {
        let problem = if input.is_empty() {
            Some(Problem::Empty)
        } else if input.contains('/') || input.contains('\\') || input.contains("..") {
            Some(Problem::Path)
        } else if let Some(c) = input
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
        {
            Some(Problem::Char(c))
        } else if !input.starts_with(|c: char| c.is_ascii_alphabetic()) {
            Some(Problem::Start)
        } else {
            None
        };
        if let Some(problem) = problem {
            return Err(NameError {
                what: "provider",
                input: input.to_owned(),
                problem,
            });
        }
        let snake = input.to_snake_case();
        if is_keyword(&snake) {
            return Err(NameError {
                what: "provider",
                input: input.to_owned(),
                problem: Problem::Keyword,
            });
        }
        let type_name = snake.to_upper_camel_case();
        let taken = taken_names();
        if let Some(clash) = std::iter::once(String::new())
            .chain(taken.suffixes.iter().cloned())
            .map(|suffix| format!("{type_name}{suffix}"))
            .find(|ty| taken.types.contains(ty))
        {
            return Err(NameError {
                what: "provider",
                input: input.to_owned(),
                problem: Problem::Taken(clash),
            });
        }
        let words: Vec<&str> = snake.split('_').filter(|w| !w.is_empty()).collect();
        let kind = words.concat();
        let display = words
            .iter()
            .map(|w| {
                let mut chars = w.chars();
                chars
                    .next()
                    .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                    .unwrap_or_default()
            })
            .collect::<Vec<_>>()
            .join(" ");
        Ok(ProviderNames {
            crate_name: format!("tento-{kind}"),
            lib_name: format!("tento_{kind}"),
            type_name,
            kind,
            snake,
            display,
        })
    }
}

/// Every name derived from one row (metric) name: `heart-rate`, `heart_rate` and
/// `HeartRate` are the row with module `heart_rate`, type `HeartRate` and key segment
/// `:heart_rate`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct RowNames {
    /// The module, and the lookup-key segment: `heart_rate`.
    pub module: String,
    /// The row type: `HeartRate`.
    pub type_name: String,
    /// Words for docs: `heart rate`.
    pub words: String,
}

impl RowNames {
    /// The row type's path in provider library `lib`: `tento_acme::connector::heart_rate::HeartRate`.
    pub fn path_in(&self, lib: &str) -> String {
        format!("{lib}::connector::{}::{}", self.module, self.type_name)
    }

    /// Checks `input` by the same rules as a provider name and derives the row's names.
    pub fn parse(input: &str) -> Result<Self, NameError> {
        let names = ProviderNames::parse(input).map_err(|e| NameError { what: "row", ..e })?;
        // A row module is declared beside the connector's `use` of these crates: one of
        // their names would make every such path ambiguous.
        if taken_names().crates.contains(&names.snake) {
            return Err(NameError {
                what: "row",
                input: input.to_owned(),
                problem: Problem::TakenModule(names.snake),
            });
        }
        Ok(RowNames {
            words: names.snake.replace('_', " "),
            type_name: names.type_name,
            module: names.snake,
        })
    }
}

/// A provider name that cannot be used, and why.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid {what} name `{input}`: {problem}")]
pub struct NameError {
    /// What was being named: `provider` or `row`.
    pub what: &'static str,
    /// What the user typed.
    pub input: String,
    /// What is wrong with it.
    pub problem: Problem,
}

/// What is wrong with a provider name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// Nothing was given.
    Empty,
    /// It holds a path separator or `..`.
    Path,
    /// It holds a character outside ASCII letters, digits, `-` and `_`.
    Char(char),
    /// It starts with something other than a letter.
    Start,
    /// It is a Rust keyword.
    Keyword,
    /// It gives a type (or a derived type) the generated code already names.
    Taken(String),
    /// It gives a module named like a crate the generated code uses.
    TakenModule(String),
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Empty => f.write_str("the name is empty; give one such as `my-provider`"),
            Problem::Path => f.write_str(
                "a provider name is not a path; give a bare name such as `my-provider` and choose the host with --host",
            ),
            Problem::Char(c) => write!(
                f,
                "`{}` is not allowed; use ASCII letters, digits, `-` and `_`, as in `my-provider`",
                c.escape_debug()
            ),
            Problem::Start => f.write_str("a provider name starts with a letter, as in `my-provider`"),
            Problem::Keyword => {
                f.write_str("it is a Rust keyword; add a word, as in `my-provider` or `type-api`")
            }
            Problem::Taken(ty) => write!(
                f,
                "it gives the type `{ty}`, which the generated code already imports or uses from std; \
                 add a word, as in `my-provider` (names taken: {})",
                taken_names().types.iter().cloned().collect::<Vec<_>>().join(", ")
            ),
            Problem::TakenModule(module) => write!(
                f,
                "a module `{module}` would hide the crate `{module}` the generated code uses; add a word \
                 (crates used: {})",
                taken_names().crates.iter().cloned().collect::<Vec<_>>().join(", ")
            ),
        }
    }
}

/// The names generated code already uses, read from the provider templates.
struct Taken {
    /// Types and traits the templates import, and std prelude names they use.
    types: BTreeSet<String>,
    /// What the templates append to the provider's type (`Auth` in `AcmeAuth`).
    suffixes: BTreeSet<String>,
    /// The crates the templates' `use` paths start with.
    crates: BTreeSet<String>,
}

/// The std prelude's types, traits and variants: in scope without a `use`, so a
/// template names them without importing them. Sorted, for a binary search.
const PRELUDE: &[&str] = &[
    "AsMut",
    "AsRef",
    "Box",
    "Clone",
    "Copy",
    "Default",
    "DoubleEndedIterator",
    "Drop",
    "Eq",
    "Err",
    "ExactSizeIterator",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "FromIterator",
    "Into",
    "IntoIterator",
    "Iterator",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Send",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "Unpin",
    "Vec",
];

fn taken_names() -> &'static Taken {
    static TAKEN: OnceLock<Taken> = OnceLock::new();
    TAKEN.get_or_init(|| {
        let provider_templates = crate::templates::Templates::embedded_sources()
            .iter()
            .filter(|(name, _)| name.starts_with("provider/"))
            .map(|(_, source)| *source);
        taken_in(provider_templates)
    })
}

/// What `sources` (templates) import, use from the prelude and derive from the type.
fn taken_in<'s>(sources: impl Iterator<Item = &'s str>) -> Taken {
    let mut taken = Taken {
        types: BTreeSet::new(),
        suffixes: BTreeSet::new(),
        crates: BTreeSet::new(),
    };
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    for source in sources {
        for suffix in source.split("{{ names.type_name }}").skip(1) {
            let end = suffix.find(|c: char| !is_word(c)).unwrap_or(suffix.len());
            if end > 0 {
                taken.suffixes.insert(suffix[..end].to_owned());
            }
        }
        // Template expressions are no Rust names; the literal `{` they print is.
        let rust = without_expressions(&source.replace("{{ \"{\" }}", "{"));
        for word in rust.split(|c: char| !is_word(c)) {
            if PRELUDE.binary_search(&word).is_ok() {
                taken.types.insert(word.to_owned());
            }
        }
        for stmt in rust.split("use ").skip(1) {
            let Some(stmt) = stmt.split(';').next().filter(|s| s.contains("::")) else {
                continue;
            };
            let first = stmt.trim_start().split("::").next().unwrap_or_default().trim();
            if !["crate", "self", "super"].contains(&first)
                && first.starts_with(|c: char| c.is_ascii_alphabetic())
                && first.chars().all(is_word)
            {
                taken.crates.insert(first.to_owned());
            }
            for word in stmt.split(|c: char| !is_word(c)) {
                if word.starts_with(|c: char| c.is_ascii_uppercase()) {
                    taken.types.insert(word.to_owned());
                }
            }
        }
    }
    taken
}

/// `source` with each `{{ … }}` made `_` and each `{% … %}` a space.
fn without_expressions(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut rest = source;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let tail = &rest[open..];
        let (end, with) = if tail.starts_with("{{") {
            // A word character: `{{ names.type_name }}Auth` is one name, not `Auth`.
            (tail.find("}}").map(|c| c + 2), "_")
        } else if tail.starts_with("{%") {
            (tail.find("%}").map(|c| c + 2), " ")
        } else {
            (Some(1), "{")
        };
        out.push_str(with);
        rest = end.map_or("", |end| &tail[end..]);
    }
    out.push_str(rest);
    out
}

fn is_keyword(word: &str) -> bool {
    const KEYWORDS: &[&str] = &[
        "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do",
        "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
        "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return", "self",
        "static", "struct", "super", "trait", "true", "try", "type", "typeof", "union", "unsafe", "unsized",
        "use", "virtual", "where", "while", "yield",
    ];
    KEYWORDS.contains(&word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spellings_of_one_provider_give_the_same_names() {
        for input in ["my-provider", "my_provider", "MyProvider", "myProvider"] {
            let n = ProviderNames::parse(input).unwrap();
            assert_eq!(n.kind, "myprovider", "{input}");
            assert_eq!(n.crate_name, "tento-myprovider");
            assert_eq!(n.lib_name, "tento_myprovider");
            assert_eq!(n.type_name, "MyProvider");
            assert_eq!(n.snake, "my_provider");
            assert_eq!(n.display, "My Provider");
        }
    }

    #[test]
    fn single_words_and_digits_keep_their_shape() {
        let n = ProviderNames::parse("garmin").unwrap();
        assert_eq!(
            (n.kind.as_str(), n.type_name.as_str(), n.display.as_str()),
            ("garmin", "Garmin", "Garmin")
        );
        let n = ProviderNames::parse("oura2").unwrap();
        assert_eq!((n.kind.as_str(), n.crate_name.as_str()), ("oura2", "tento-oura2"));
    }

    #[test]
    fn bad_names_are_refused_with_the_reason() {
        let problem = |s: &str| ProviderNames::parse(s).unwrap_err().problem;
        assert_eq!(problem(""), Problem::Empty);
        assert_eq!(problem("../evil"), Problem::Path);
        assert_eq!(problem("a/b"), Problem::Path);
        assert_eq!(problem("a\\b"), Problem::Path);
        assert_eq!(problem("a..b"), Problem::Path);
        assert_eq!(problem("café"), Problem::Char('é'));
        assert_eq!(problem("my provider"), Problem::Char(' '));
        assert_eq!(problem("2fit"), Problem::Start);
        assert_eq!(problem("-x"), Problem::Start);
        assert_eq!(problem("type"), Problem::Keyword);
        assert_eq!(problem("Self"), Problem::Keyword);
    }

    #[test]
    fn row_names_follow_the_same_rules() {
        let r = RowNames::parse("heart-rate").unwrap();
        assert_eq!(
            (r.module.as_str(), r.type_name.as_str(), r.words.as_str()),
            ("heart_rate", "HeartRate", "heart rate")
        );
        assert_eq!(RowNames::parse("Sleep").unwrap().module, "sleep");
        let e = RowNames::parse("loop").unwrap_err().to_string();
        assert!(
            e.starts_with("invalid row name `loop`: it is a Rust keyword"),
            "{e}"
        );
    }

    #[test]
    fn names_the_templates_take_are_refused_with_the_list() {
        let e = ProviderNames::parse("arc").unwrap_err();
        assert_eq!(e.problem, Problem::Taken("Arc".into()));
        let e = e.to_string();
        assert!(
            e.contains("names taken: ") && e.contains("Cell") && e.contains("Vec"),
            "{e}"
        );
        assert!(!e.contains('\n'));
        assert_eq!(
            ProviderNames::parse("user").unwrap_err().problem,
            Problem::Taken("UserAuth".into())
        );
        assert_eq!(
            ProviderNames::parse("option").unwrap_err().problem,
            Problem::Taken("Option".into())
        );
        assert_eq!(
            RowNames::parse("serde").unwrap_err().problem,
            Problem::TakenModule("serde".into())
        );
        for fine in ["acme", "host", "users", "arc-api", "heart-rate"] {
            ProviderNames::parse(fine).unwrap();
        }
    }

    #[test]
    fn the_prelude_list_is_sorted() {
        assert!(PRELUDE.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn template_expressions_are_not_read_as_names() {
        let taken = taken_in(
            ["use {{ names.lib_name }}::X;\nuse crate::{{ names.type_name }}Auth;\nuse tento::connector::{{ \"{\" }}\n    Cell, Row,\n};\n{% if a %}Vec{% endif %} {{ names.type_name }}Auth"]
                .into_iter(),
        );
        assert_eq!(
            taken.types.iter().collect::<Vec<_>>(),
            ["Cell", "Row", "Vec", "X"]
        );
        assert_eq!(taken.suffixes.iter().collect::<Vec<_>>(), ["Auth"]);
        assert_eq!(taken.crates.iter().collect::<Vec<_>>(), ["tento"]);
    }

    #[test]
    fn errors_read_as_one_line_naming_the_fix() {
        let e = ProviderNames::parse("2fit").unwrap_err().to_string();
        assert_eq!(
            e,
            "invalid provider name `2fit`: a provider name starts with a letter, as in `my-provider`"
        );
        assert!(!e.contains('\n'));
    }
}
