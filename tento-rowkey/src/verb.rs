//! The verbs a route lists, as the DSL spells them (`tento::connector::Verb`).

use crate::nearest::nearest;

/// A verb of the DSL.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Verb {
    /// `get`: one cell (`Row::get`).
    Get,
    /// `list`: the cells in a range (`Row::list_cells`).
    List,
    /// `post`: a new cell (`Row::post`).
    Post,
    /// `patch`: a change to a cell (`Row::patch`).
    Patch,
    /// `delete`: a cell removed (`Row::delete`).
    Delete,
    /// `sync`: the row synced from its provider (`Row::sync`).
    Sync,
}

impl Verb {
    /// Every verb, in the order the DSL's messages list them.
    pub const ALL: [Verb; 6] = [
        Verb::Get,
        Verb::List,
        Verb::Post,
        Verb::Patch,
        Verb::Delete,
        Verb::Sync,
    ];

    /// As the DSL writes it: `get`.
    pub fn name(self) -> &'static str {
        match self {
            Verb::Get => "get",
            Verb::List => "list",
            Verb::Post => "post",
            Verb::Patch => "patch",
            Verb::Delete => "delete",
            Verb::Sync => "sync",
        }
    }

    /// The `tento::connector::Verb` variant: `Get`.
    pub fn variant(self) -> &'static str {
        match self {
            Verb::Get => "Get",
            Verb::List => "List",
            Verb::Post => "Post",
            Verb::Patch => "Patch",
            Verb::Delete => "Delete",
            Verb::Sync => "Sync",
        }
    }

    /// The `Row` method that serves it.
    pub fn row_method(self) -> &'static str {
        match self {
            Verb::List => "list_cells",
            other => other.name(),
        }
    }

    /// The verb `name` spells; the error names the verb meant, when one is near.
    pub fn parse(name: &str) -> Result<Verb, String> {
        if let Some(verb) = Verb::ALL.into_iter().find(|v| v.name() == name) {
            return Ok(verb);
        }
        let lower = name.to_ascii_lowercase();
        let suggestion = Verb::ALL
            .into_iter()
            .find(|v| v.name() == lower || v.variant() == name)
            .map(Verb::name)
            .or_else(|| nearest(&lower, Verb::ALL.map(Verb::name)))
            .or_else(|| synonym(&lower));
        let hint = match suggestion {
            Some(verb) => format!("did you mean `{verb}`? "),
            None => String::new(),
        };
        Err(format!(
            "unknown verb `{name}`: {hint}a route lists some of get, list, post, patch, delete, sync"
        ))
    }
}

/// The DSL verb for a word from other APIs.
fn synonym(name: &str) -> Option<&'static str> {
    Some(match name {
        "read" | "fetch" | "show" | "find" => "get",
        "index" | "all" | "cells" | "list_cells" | "query" => "list",
        "create" | "add" | "insert" | "new" => "post",
        "update" | "put" | "edit" | "modify" | "change" => "patch",
        "remove" | "del" | "destroy" | "drop" => "delete",
        "refresh" | "pull" | "fetch_all" => "sync",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbs_parse_and_misspellings_get_the_nearest() {
        for verb in Verb::ALL {
            assert_eq!(Verb::parse(verb.name()), Ok(verb));
        }
        let err = |s| Verb::parse(s).unwrap_err();
        assert!(err("gte").contains("did you mean `get`?"), "{}", err("gte"));
        assert!(err("Get").contains("did you mean `get`?"));
        assert!(err("snyc").contains("did you mean `sync`?"));
        assert!(err("update").contains("did you mean `patch`?"));
        assert!(err("list_cells").contains("did you mean `list`?"));
        assert!(!err("zzzz").contains("did you mean"));
        assert!(err("zzzz").contains("get, list, post, patch, delete, sync"));
    }
}
