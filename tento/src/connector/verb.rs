use std::fmt;
use std::str::FromStr;

/// What a caller can do with a row, and what a `#[rowkey]` route lists in its braces.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Verb {
    /// Read one cell by id ([`Row::get`](super::Row::get)).
    Get,
    /// Read the row's cells ([`Row::list_cells`](super::Row::list_cells)).
    List,
    /// Add a cell ([`Row::post`](super::Row::post)).
    Post,
    /// Change a cell ([`Row::patch`](super::Row::patch)).
    Patch,
    /// Remove a cell ([`Row::delete`](super::Row::delete)).
    Delete,
    /// Run one sync stage ([`Row::sync`](super::Row::sync)).
    Sync,
}

impl Verb {
    /// Every verb, in declaration order.
    pub const ALL: [Verb; 6] = [
        Verb::Get,
        Verb::List,
        Verb::Post,
        Verb::Patch,
        Verb::Delete,
        Verb::Sync,
    ];

    /// The verb's name as the `#[rowkey]` DSL spells it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Verb::Get => "get",
            Verb::List => "list",
            Verb::Post => "post",
            Verb::Patch => "patch",
            Verb::Delete => "delete",
            Verb::Sync => "sync",
        }
    }

    /// The `Row` method that serves the verb.
    pub const fn row_method(self) -> &'static str {
        match self {
            Verb::List => "list_cells",
            other => other.as_str(),
        }
    }
}

impl fmt::Display for Verb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of parsing a [`Verb`] from a name that is not one.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown verb `{0}`: expected one of get, list, post, patch, delete, sync")]
pub struct UnknownVerb(pub String);

impl FromStr for Verb {
    type Err = UnknownVerb;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Verb::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| UnknownVerb(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::serves;

    #[test]
    fn verbs_parse_from_their_dsl_names() {
        for verb in Verb::ALL {
            assert_eq!(verb.as_str().parse::<Verb>(), Ok(verb));
        }
        assert_eq!("gett".parse::<Verb>(), Err(UnknownVerb("gett".into())));
        assert_eq!(Verb::List.row_method(), "list_cells");
    }

    #[test]
    fn undeclared_rows_serve_every_verb_and_declared_ones_only_theirs() {
        const DECLARED: Option<&[Verb]> = Some(&[Verb::Get, Verb::Sync]);
        // Evaluated at compile time, as generated route checks evaluate it.
        const { assert!(serves(DECLARED, Verb::Get)) };
        assert!(!serves(DECLARED, Verb::Post));
        assert!(serves(None, Verb::Delete));
    }
}
