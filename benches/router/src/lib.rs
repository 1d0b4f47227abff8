//! The router benchmark's fixtures: what its generated route sets are made of (one
//! integration per provider, rows as real types, defined by [`bench_integration!`] and
//! [`bench_row!`]), the lookup keys it times, and the two routers it compares the
//! derived one with: [`matchit`] loaded with the same routes, and a linear scan of the
//! patterns with [`tento::host::match_pattern`].
//!
//! The route sets themselves are Rust source that `build.rs` writes into `OUT_DIR`; the
//! bench (`benches/router.rs`) and the tests `include!` them, so each derive expands
//! where it is used.
#![deny(missing_docs)]

use futures::future::BoxFuture;
use tento::connector::{RouteParams, RouteSchema};
use tento::host::match_pattern;

#[doc(hidden)]
pub use {anyhow as __anyhow, futures::future::BoxFuture as __BoxFuture, tento as __tento};

/// The deps every benchmark integration asks for.
pub trait BenchDeps: Send + Sync {}

/// Every benchmark integration's `Params`: `{authId}`.
#[derive(Clone, Debug, serde::Deserialize)]
pub struct AuthParams {
    /// The account.
    #[serde(rename = "authId")]
    pub auth_id: String,
}

/// The client future of a benchmark integration (there is no client).
pub fn no_client<'a>() -> BoxFuture<'a, anyhow::Result<()>> {
    Box::pin(std::future::ready(Ok(())))
}

/// A benchmark row's lookup key: its label and account (rows are never dispatched).
pub fn lookup_key(label: &str, int: &AuthParams) -> String {
    format!("{label}:{}", int.auth_id)
}

/// Defines a benchmark integration: `bench_integration!(P);`.
#[macro_export]
macro_rules! bench_integration {
    ($name:ident) => {
        /// A benchmark integration.
        pub struct $name;

        impl $crate::__tento::connector::Integration for $name {
            type Deps = dyn $crate::BenchDeps;
            type Client = ();
            type Params = $crate::AuthParams;

            fn client<'a>(
                _: &'a dyn $crate::__tento::connector::UserAuth,
                _: &'a dyn $crate::BenchDeps,
                _: &'a $crate::AuthParams,
            ) -> $crate::__BoxFuture<'a, $crate::__anyhow::Result<()>> {
                $crate::no_client()
            }
        }
    };
}

/// Defines a benchmark row of an integration: `bench_row!(Activities, super::P, "label");`.
#[macro_export]
macro_rules! bench_row {
    ($name:ident, $integration:ty, $label:literal) => {
        /// A benchmark row.
        pub struct $name;

        impl $crate::__tento::connector::Row for $name {
            type Integration = $integration;
            type Params = ();
            const ROW_LABEL: &'static str = $label;

            fn lookup_key(int: &$crate::AuthParams, _: &()) -> ::std::string::String {
                $crate::lookup_key($label, int)
            }
        }
    };
}

/// A deterministic xorshift generator.
pub struct Rng(u64);

impl Rng {
    /// A generator from a non-zero seed.
    pub fn new(seed: u64) -> Self {
        Rng(seed | 1)
    }

    /// The next number.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number below `n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    fn word(&mut self, min: usize, max: usize, alphabet: &[u8]) -> String {
        let len = min + self.below(max - min + 1);
        (0..len)
            .map(|_| alphabet[self.below(alphabet.len())] as char)
            .collect()
    }
}

const ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";

/// `count` distinct lookup keys for `patterns`: three quarters hit a random route with a
/// random account id (6 to 24 characters); a quarter miss, in the ways real keys do: an
/// unknown provider, an unknown or misspelt row, a segment too many or too few, an empty
/// account, no leading `:`.
pub fn keys(patterns: &[&str], count: usize, seed: u64) -> Vec<String> {
    let mut rng = Rng::new(seed);
    (0..count)
        .map(|i| {
            let pattern = patterns[rng.below(patterns.len())];
            let auth_id = rng.word(6, 24, ALNUM);
            let hit = pattern.replace("{authId}", &auth_id);
            if i % 4 != 3 {
                return hit;
            }
            match rng.below(6) {
                0 => {
                    let kind = rng.word(4, 12, b"abcdefghijklmnopqrstuvwxyz");
                    format!(":~{kind}:{auth_id}:activities")
                }
                1 => {
                    let (prefix, _) = hit.rsplit_once(':').unwrap_or((&hit, ""));
                    format!("{prefix}:{}", rng.word(4, 14, b"abcdefghijklmnopqrstuvwxyz"))
                }
                2 => {
                    let mut key = hit.into_bytes();
                    let at = key.len() - 1 - rng.below(3);
                    key[at] = if key[at] == b'z' { b'y' } else { b'z' };
                    String::from_utf8(key).unwrap_or_default()
                }
                3 => format!("{hit}:{}", rng.word(3, 8, b"abcdefghijklmnopqrstuvwxyz")),
                4 => pattern.replace("{authId}", ""),
                _ => hit.trim_start_matches(':').to_owned(),
            }
        })
        .collect()
}

/// [`matchit`] loaded with the same routes, `/` for `:` (matchit's separator); look keys
/// up with [`matchit_key`].
pub fn matchit_router(patterns: &[&str]) -> matchit::Router<usize> {
    let mut router = matchit::Router::new();
    for (i, pattern) in patterns.iter().enumerate() {
        if let Err(e) = router.insert(pattern.replace(':', "/"), i) {
            panic!("matchit refuses {pattern}: {e}");
        }
    }
    router
}

/// A key as [`matchit_router`] reads it.
pub fn matchit_key(key: &str) -> String {
    key.replace(':', "/")
}

/// The linear scan: the first route (in order) whose pattern matches, by
/// [`match_pattern`].
pub fn scan<'k>(schemas: &[RouteSchema], key: &'k str) -> Option<(usize, RouteParams<'k>)> {
    schemas
        .iter()
        .enumerate()
        .find_map(|(i, s)| match_pattern(s.pattern, key).map(|params| (i, params)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_a_quarter_misses_of_every_kind() {
        let patterns = [":~a:{authId}:x", ":~b:{authId}:y:z"];
        let keys = keys(&patterns, 4000, 7);
        let hits = keys
            .iter()
            .filter(|k| patterns.iter().any(|p| match_pattern(p, k).is_some()))
            .count();
        assert!((2950..=3050).contains(&hits), "{hits}");
        assert!(keys.iter().any(|k| !k.starts_with(':')));
        assert!(keys.iter().any(|k| k.contains("::")));
        let distinct: std::collections::HashSet<_> = keys.iter().collect();
        // All but the empty-account misses, which repeat with only two routes.
        assert!(distinct.len() > 3700, "{}", distinct.len());
    }

    #[test]
    fn matchit_and_the_scan_find_the_same_route() {
        let patterns = [":~a:{authId}:x", ":~a:{authId}:x:z", ":~b:{authId}:y"];
        let router = matchit_router(&patterns);
        let key = matchit_key(":~a:acct:x:z");
        let m = router.at(&key).unwrap();
        assert_eq!((*m.value, m.params.get("authId")), (1, Some("acct")));
        assert!(router.at(&matchit_key(":~a:acct:y")).is_err());
    }
}
