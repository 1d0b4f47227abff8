//! The derived 1,000-route router of the benchmark against the linear scan (the
//! reference) and matchit, on the benchmark's own keys; and arbitrary strings thrown at
//! it, which must never panic and must resolve as the scan resolves them.

use proptest::prelude::*;
use proptest::test_runner::Config;
use tento::connector::{ResolveError, RouteMatch, RowKeySchema};
use tento_bench_router::{keys, matchit_key, matchit_router, scan};

include!(concat!(env!("OUT_DIR"), "/routes_10.rs"));
include!(concat!(env!("OUT_DIR"), "/routes_1k.rs"));

use routes_1k::RowKeys;

/// What the reference says `key` resolves to.
fn reference(key: &str) -> Result<RouteMatch<'_>, ResolveError> {
    match scan(RowKeys::schemas(), key) {
        Some((route, params)) => Ok(RouteMatch { route, params }),
        None => Err(ResolveError::miss(key)),
    }
}

#[test]
fn the_generated_sets_are_the_routes_the_benchmark_names() {
    for (schemas, patterns, size) in [
        (routes_10::RowKeys::schemas(), routes_10::PATTERNS, 10),
        (RowKeys::schemas(), routes_1k::PATTERNS, 1_000),
    ] {
        let listed: Vec<&str> = schemas.iter().map(|s| s.pattern).collect();
        assert_eq!(listed, patterns);
        assert_eq!(listed.len(), size);
        assert!(schemas.iter().all(|s| s.row_type.contains("::connector::")));
    }
}

#[test]
fn the_three_routers_agree_on_the_benchmark_keys() {
    let keys = keys(routes_1k::PATTERNS, 10_000, 0x5EED);
    let matchit = matchit_router(routes_1k::PATTERNS);
    let mut hits = 0;
    for key in &keys {
        let derived = RowKeys::resolve(key).map_err(ResolveError::from);
        assert_eq!(derived, reference(key), "{key:?}");
        let m_key = matchit_key(key);
        let by_matchit = matchit
            .at(&m_key)
            .ok()
            .map(|m| (*m.value, m.params.get("authId")));
        let ours = derived.ok().map(|m| (m.route, m.params.get("authId")));
        assert_eq!(by_matchit, ours, "{key:?}");
        hits += usize::from(ours.is_some());
    }
    // Three quarters hit, and the misses are real misses.
    assert!((7_400..=7_600).contains(&hits), "{hits}");
}

proptest! {
    #![proptest_config(Config { cases: 3000, ..Config::default() })]

    /// Any string: non-ASCII, `:` runs, pieces of real keys, empty.
    #[test]
    fn arbitrary_strings_resolve_as_the_scan_does(
        key in "(:|::|:~|~|[a-z]{1,14}|\\PC{0,6}|:[a-zA-Z0-9_-]{1,24})*"
    ) {
        prop_assert_eq!(RowKeys::resolve(&key).map_err(ResolveError::from), reference(&key));
    }

    /// Real routes with arbitrary account ids and tails, some far past 64 bytes.
    #[test]
    fn route_shaped_keys_resolve_as_the_scan_does(
        route in 0..1_000usize,
        auth_id in "\\PC{0,200}",
        tail in prop_oneof![Just(String::new()), "(:|\\PC){0,40}"],
    ) {
        let key = format!("{}{tail}", routes_1k::PATTERNS[route].replace("{authId}", &auth_id));
        let resolved = RowKeys::resolve(&key).map_err(ResolveError::from);
        prop_assert_eq!(&resolved, &reference(&key));
        if tail.is_empty() && !auth_id.is_empty() && !auth_id.contains(':') {
            prop_assert_eq!(resolved.map(|m| m.route), Ok(route));
        }
    }
}
