use std::fmt;

use futures::future::BoxFuture;

use super::{DepsKey, DispatchCtx, DispatchError, Request, Response};
use crate::contract::{SyncShape, Verb};

/// Most placeholders one route may have; the `#[rowkey]` derive rejects more at compile
/// time, so matching never allocates.
pub const MAX_ROUTE_PARAMS: usize = 8;

/// One route of a host's `RowKeySchema`: what UIs list and what the boot check walks.
#[derive(Clone, Debug)]
pub struct RouteSchema {
    /// The full lookup-key pattern, `:~myprovider:{authId}:activities`.
    pub pattern: &'static str,
    /// The row's `ROW_LABEL`.
    pub row_label: &'static str,
    /// The row's Rust type name.
    pub row_type: &'static str,
    /// The integration's kind (the `myprovider` of `:~myprovider:`).
    pub kind: &'static str,
    /// The integration's Rust type name.
    pub integration: &'static str,
    /// The verbs the route serves.
    pub verbs: &'static [Verb],
    /// The deps trait the integration needs registered.
    pub deps: DepsKey,
    /// The row's sync shape, when it is synced.
    pub sync_shape: Option<SyncShape>,
}

impl RouteSchema {
    /// Whether the route serves `verb`.
    pub fn allows(&self, verb: Verb) -> bool {
        self.verbs.contains(&verb)
    }

    /// The placeholder names of the pattern, in order (`authId`, …).
    pub fn placeholders(&self) -> impl Iterator<Item = &'static str> + use<> {
        self.pattern
            .split(':')
            .filter_map(|seg| seg.strip_prefix('{')?.strip_suffix('}'))
    }
}

/// Placeholder values parsed from a lookup key, borrowed from it; never allocates.
#[derive(Clone, Copy)]
pub struct RouteParams<'k> {
    len: usize,
    // `None` past `len`: an array of `None`s is a few null pointers to write, where one of
    // `("", "")` pairs was 256 bytes of stores, some 30 instructions of every lookup.
    items: [Option<(&'static str, &'k str)>; MAX_ROUTE_PARAMS],
}

impl<'k> RouteParams<'k> {
    /// No params.
    pub const fn new() -> Self {
        RouteParams {
            len: 0,
            items: [None; MAX_ROUTE_PARAMS],
        }
    }

    /// Adds `name = value`; `false` (and nothing added) when already full.
    pub fn push(&mut self, name: &'static str, value: &'k str) -> bool {
        if self.len == MAX_ROUTE_PARAMS {
            return false;
        }
        self.items[self.len] = Some((name, value));
        self.len += 1;
        true
    }

    /// The value of placeholder `name`.
    pub fn get(&self, name: &str) -> Option<&'k str> {
        self.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// `(name, value)` pairs in pattern order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &'k str)> + '_ {
        self.items[..self.len].iter().flatten().copied()
    }

    /// Number of params.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl Default for RouteParams<'_> {
    fn default() -> Self {
        Self::new()
    }
}

impl PartialEq for RouteParams<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.items[..self.len] == other.items[..other.len]
    }
}

impl Eq for RouteParams<'_> {}

impl fmt::Debug for RouteParams<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// A lookup key resolved to a route: its index in `schemas()` and its params.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RouteMatch<'k> {
    /// Index of the route in [`RowKeySchema::schemas`].
    pub route: usize,
    /// The placeholder values.
    pub params: RouteParams<'k>,
}

/// Why a lookup key does not lead to a row.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ResolveError {
    /// No route matches the key.
    #[error("no route matches lookup key `{key}`")]
    NoRoute {
        /// The key.
        key: String,
    },
    /// A route matches, but does not list the verb.
    #[error(
        "route `{pattern}` does not serve `{verb}` (it serves: {})",
        verbs_list(allowed)
    )]
    VerbNotAllowed {
        /// The key.
        key: String,
        /// The verb asked for.
        verb: Verb,
        /// The matching route's pattern.
        pattern: &'static str,
        /// The verbs it does serve.
        allowed: &'static [Verb],
    },
    /// The key is not shaped like a lookup key at all.
    #[error("malformed lookup key `{key}`: {reason}")]
    Malformed {
        /// The key.
        key: String,
        /// What is wrong with it.
        reason: &'static str,
    },
}

fn verbs_list(verbs: &[Verb]) -> String {
    verbs.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
}

/// A lookup key no route matches, borrowed: what [`RowKeySchema::resolve`] returns on a
/// miss. It costs nothing to make, since a router's caller often only needs to know
/// there was a miss (or has the key already); [`ResolveError::from`] (or `?` in a
/// function returning [`ResolveError`]) turns it into the owned error, which says why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Miss<'k> {
    key: &'k str,
}

impl<'k> Miss<'k> {
    /// The miss of `key`.
    pub const fn new(key: &'k str) -> Self {
        Miss { key }
    }

    /// The key no route matches.
    pub const fn key(&self) -> &'k str {
        self.key
    }

    /// The owned error: [`ResolveError::miss`] of the key.
    pub fn error(&self) -> ResolveError {
        ResolveError::miss(self.key)
    }
}

impl From<Miss<'_>> for ResolveError {
    fn from(miss: Miss<'_>) -> Self {
        miss.error()
    }
}

impl fmt::Display for Miss<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.error().fmt(f)
    }
}

impl std::error::Error for Miss<'_> {}

impl ResolveError {
    /// The error for a key no route matches: [`Malformed`](Self::Malformed) when the key
    /// is not lookup-key shaped, else [`NoRoute`](Self::NoRoute). [`Miss::error`] calls it,
    /// so every router reports misses alike.
    pub fn miss(key: &str) -> Self {
        let reason = if !key.starts_with(":~") {
            Some("a lookup key starts with `:~<provider>:`")
        } else if key.split(':').skip(1).any(str::is_empty) {
            Some("a lookup key has no empty `:` segments")
        } else {
            None
        };
        match reason {
            Some(reason) => ResolveError::Malformed {
                key: key.to_owned(),
                reason,
            },
            None => ResolveError::NoRoute { key: key.to_owned() },
        }
    }
}

/// Matches `key` against one pattern, segment by segment: a `{name}` segment takes any
/// non-empty segment of the key. The reference semantics every router must agree with.
pub fn match_pattern<'k>(pattern: &'static str, key: &'k str) -> Option<RouteParams<'k>> {
    let mut params = RouteParams::new();
    let mut keys = key.split(':');
    for seg in pattern.split(':') {
        let value = keys.next()?;
        match seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(name) if !value.is_empty() => {
                if !params.push(name, value) {
                    return None;
                }
            }
            Some(_) => return None,
            None if seg == value => {}
            None => return None,
        }
    }
    keys.next().is_none().then_some(params)
}

/// A host's table of routes, from lookup key to row. Implemented by
/// `#[derive(RowKeySchema)]` from the `#[rowkey { … }]` DSL, or by hand.
pub trait RowKeySchema {
    /// Every route, in declaration order.
    fn schemas() -> &'static [RouteSchema];

    /// The route a key matches and its params, or the [`Miss`] (which
    /// [`ResolveError::from`] explains). Never panics; a miss allocates nothing.
    fn resolve(key: &str) -> Result<RouteMatch<'_>, Miss<'_>>;

    /// Runs `request` on the row of an already resolved route: parses the params into
    /// the integration's and row's `Params`, fetches the deps, builds the client and
    /// calls the row. Implementations call [`dispatch_row`](super::dispatch_row) with the
    /// route's row type.
    fn dispatch_route<'a>(
        m: RouteMatch<'a>,
        key: &'a str,
        request: Request,
        ctx: &'a DispatchCtx<'a>,
    ) -> BoxFuture<'a, Result<Response, DispatchError>>;

    /// The route serving `verb` on `key`, or why there is none.
    fn route_for(key: &str, verb: Verb) -> Result<(&'static RouteSchema, RouteMatch<'_>), ResolveError> {
        let m = Self::resolve(key)?;
        let route = &Self::schemas()[m.route];
        if route.allows(verb) {
            Ok((route, m))
        } else {
            Err(ResolveError::VerbNotAllowed {
                key: key.to_owned(),
                verb,
                pattern: route.pattern,
                allowed: route.verbs,
            })
        }
    }

    /// Resolves `key`, checks the route serves the request's verb, and runs it.
    fn dispatch<'a>(
        key: &'a str,
        request: Request,
        ctx: &'a DispatchCtx<'a>,
    ) -> BoxFuture<'a, Result<Response, DispatchError>> {
        match Self::route_for(key, request.verb()) {
            Ok((_, m)) => Self::dispatch_route(m, key, request, ctx),
            Err(e) => Box::pin(std::future::ready(Err(DispatchError::resolve(key, e)))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: &str = ":~p:{authId}:rows:{day}";

    #[test]
    fn patterns_match_segment_by_segment() {
        let m = match_pattern(P, ":~p:abc:rows:2024").unwrap();
        assert_eq!(m.get("authId"), Some("abc"));
        assert_eq!(m.get("day"), Some("2024"));
        assert_eq!(m.len(), 2);
        assert!(match_pattern(P, ":~p:abc:rows").is_none());
        assert!(match_pattern(P, ":~p:abc:rows:2024:x").is_none());
        assert!(match_pattern(P, ":~p::rows:2024").is_none());
        assert!(match_pattern(P, ":~q:abc:rows:2024").is_none());
    }

    #[test]
    fn misses_tell_malformed_from_unknown() {
        assert!(matches!(
            ResolveError::miss("nope"),
            ResolveError::Malformed { .. }
        ));
        assert!(matches!(
            ResolveError::miss(":~p::x"),
            ResolveError::Malformed { .. }
        ));
        assert!(matches!(
            ResolveError::miss(":~p:a:x"),
            ResolveError::NoRoute { .. }
        ));
    }

    #[test]
    fn params_cap_at_the_maximum() {
        let mut p = RouteParams::new();
        for _ in 0..MAX_ROUTE_PARAMS {
            assert!(p.push("x", "y"));
        }
        assert!(!p.push("x", "y"));
        assert_eq!(p.len(), MAX_ROUTE_PARAMS);
    }
}
