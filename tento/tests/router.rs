//! The router `#[derive(RowKeySchema)]` compiles routes into (`tento::host::router`),
//! built at run time from random route sets with the same code the derive runs at
//! expansion time, against the reference: `match_pattern` over the patterns in order.

use proptest::prelude::*;
use proptest::test_runner::Config;
use tento::connector::{ResolveError, RouteMatch};
use tento::host::match_pattern;
use tento::host::router::{BuildError, Pattern, Table, build, resolve};

/// Literal segments, few enough that random routes share and clash on them; some long,
/// some wider than ASCII, one a prefix of another.
const LITERALS: &[&str] = &[
    "~p",
    "~q",
    "a",
    "ab",
    "activities",
    "activities_daily",
    "activities_weekly",
    "a_segment_longer_than_sixteen_bytes",
    "a_segment_longer_than_sixteen_bytez",
    "é",
    "日本",
];

/// Placeholder values: anything non-empty without `:`, including literals' spellings.
const VALUES: &[&str] = &[
    "x",
    "acct-1",
    "a",
    "activities",
    "{authId}",
    "🙂",
    "ä b",
    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789",
];

/// A route: segments, each a literal (index into `LITERALS`) or a placeholder.
fn route() -> impl Strategy<Value = Vec<Option<usize>>> {
    prop::collection::vec(
        prop_oneof![3 => (0..LITERALS.len()).prop_map(Some), 2 => Just(None)],
        1..6,
    )
}

fn pattern_text(route: &[Option<usize>]) -> String {
    route
        .iter()
        .enumerate()
        .map(|(i, seg)| match seg {
            Some(lit) => format!(":{}", LITERALS[*lit]),
            None => format!(":{{p{i}}}"),
        })
        .collect()
}

/// Whether some key matches both: as many segments, never two different literals at one
/// place (a placeholder takes any segment, literals included).
fn overlap(a: &[Option<usize>], b: &[Option<usize>]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|pair| match pair {
            (Some(x), Some(y)) => x == y,
            _ => true,
        })
}

/// A key shaped like `route`, placeholders filled from `VALUES`, then perhaps mangled.
fn key_for(route: &[Option<usize>], values: &[usize], mangle: usize) -> String {
    let mut segs: Vec<String> = route
        .iter()
        .zip(values.iter().cycle())
        .map(|(seg, v)| match seg {
            Some(lit) => LITERALS[*lit].to_owned(),
            None => VALUES[*v % VALUES.len()].to_owned(),
        })
        .collect();
    match mangle % 8 {
        0..=2 => {}
        3 => segs.push("activities".to_owned()),
        4 => {
            segs.pop();
        }
        5 => segs[0].push('x'),
        6 => segs.insert(1, String::new()),
        _ => {
            let last = segs.len() - 1;
            segs[last] = LITERALS[values[0] % LITERALS.len()].to_owned();
        }
    }
    segs.iter().map(|s| format!(":{s}")).collect()
}

/// The reference: the first pattern (in order) the key matches, with its params.
fn reference<'k>(patterns: &[&'static str], key: &'k str) -> Result<RouteMatch<'k>, ResolveError> {
    patterns
        .iter()
        .enumerate()
        .find_map(|(route, p)| match_pattern(p, key).map(|params| RouteMatch { route, params }))
        .ok_or_else(|| ResolveError::miss(key))
}

/// The routes kept in order, dropping each that overlaps one kept before it (the derive
/// refuses overlapping routes; the reference would take the first).
fn without_overlaps(routes: Vec<Vec<Option<usize>>>) -> Vec<Vec<Option<usize>>> {
    let mut kept: Vec<Vec<Option<usize>>> = Vec::new();
    for r in routes {
        if !kept.iter().any(|k| overlap(k, &r)) {
            kept.push(r);
        }
    }
    kept
}

fn router(routes: &[Vec<Option<usize>>]) -> (Vec<&'static str>, Table<'static>) {
    let patterns: Vec<&'static str> = routes
        .iter()
        .map(|r| &*Box::leak(pattern_text(r).into_boxed_str()))
        .collect();
    let parsed: Vec<Pattern> = patterns.iter().map(|p| Pattern::parse(p).unwrap()).collect();
    let table = Box::leak(Box::new(build(&parsed).unwrap())).table();
    (patterns, table)
}

proptest! {
    #![proptest_config(Config { cases: 1500, ..Config::default() })]

    /// Keys built from the routes (hits, and near misses one segment off) and keys built
    /// from other routes resolve exactly as the reference resolves them.
    #[test]
    fn resolution_agrees_with_the_reference(
        routes in prop::collection::vec(route(), 1..14),
        probes in prop::collection::vec((route(), prop::collection::vec(0..64usize, 1..6), 0..16usize), 1..24),
    ) {
        let routes = without_overlaps(routes);
        let (patterns, table) = router(&routes);
        let mut keys: Vec<String> = Vec::new();
        for (shape, values, mangle) in &probes {
            keys.push(key_for(&routes[mangle % routes.len()], values, *mangle));
            keys.push(key_for(shape, values, *mangle));
        }
        for key in &keys {
            prop_assert_eq!(resolve(&table, key).map_err(ResolveError::from), reference(&patterns, key), "key {:?} in {:?}", key, patterns);
        }
    }

    /// Arbitrary strings, `:` runs and all, never panic and agree with the reference.
    #[test]
    fn arbitrary_keys_agree_with_the_reference(
        routes in prop::collection::vec(route(), 1..8),
        keys in prop::collection::vec("(:|:~p|:a|:activities|[^:]{0,3}|\\PC{0,20}){0,8}", 1..16),
    ) {
        let routes = without_overlaps(routes);
        let (patterns, table) = router(&routes);
        for key in &keys {
            prop_assert_eq!(resolve(&table, key).map_err(ResolveError::from), reference(&patterns, key), "key {:?} in {:?}", key, patterns);
        }
    }

    /// The builder refuses exactly the route sets in which some key matches two routes,
    /// naming every such pair.
    #[test]
    fn overlapping_routes_are_refused_pair_by_pair(routes in prop::collection::vec(route(), 1..10)) {
        let parsed: Vec<Pattern> = routes.iter().map(|r| Pattern::parse(&pattern_text(r)).unwrap()).collect();
        let mut expected = Vec::new();
        for (i, a) in routes.iter().enumerate() {
            for (j, b) in routes.iter().enumerate().skip(i + 1) {
                if overlap(a, b) {
                    expected.push((i, j));
                }
            }
        }
        match build(&parsed) {
            Ok(_) => prop_assert!(expected.is_empty(), "{:?} overlap", expected),
            Err(BuildError::Conflicts(conflicts)) => {
                let found: Vec<(usize, usize)> = conflicts.iter().map(|c| (c.first, c.second)).collect();
                prop_assert_eq!(&found, &expected);
                for c in &conflicts {
                    let (a, b) = (pattern_text(&routes[c.first]), pattern_text(&routes[c.second]));
                    let (a, b): (&'static str, &'static str) = (Box::leak(a.into_boxed_str()), Box::leak(b.into_boxed_str()));
                    prop_assert!(match_pattern(a, &c.example).is_some() && match_pattern(b, &c.example).is_some());
                    prop_assert_eq!(c.duplicate, routes[c.first] == routes[c.second]);
                }
            }
            Err(e) => prop_assert!(false, "{}", e),
        }
    }
}

#[test]
fn a_thousand_routes_resolve_and_long_keys_cross_blocks() {
    let mut texts = Vec::new();
    for p in 0..100 {
        for r in 0..10 {
            texts.push(format!(":~provider{p}:{{authId}}:row_number_{r}"));
        }
        texts.push(format!(":~provider{p}:{{authId}}:row_number_0:{{day}}:logs"));
    }
    let patterns: Vec<&'static str> = texts
        .iter()
        .map(|t| &*Box::leak(t.clone().into_boxed_str()))
        .collect();
    let parsed: Vec<Pattern> = patterns.iter().map(|p| Pattern::parse(p).unwrap()).collect();
    let table = Box::leak(Box::new(build(&parsed).unwrap())).table();
    for (i, pattern) in patterns.iter().enumerate() {
        for auth_id in ["a", "x".repeat(70).as_str(), "é".repeat(100).as_str()] {
            let key = pattern
                .replace("{authId}", auth_id)
                .replace("{day}", "2024-01-02");
            let m = resolve(&table, &key).unwrap();
            assert_eq!(m.route, i, "{key}");
            assert_eq!(m.params.get("authId"), Some(auth_id));
            assert_eq!(reference(&patterns, &key), Ok(m));
            let miss = format!("{key}:more");
            assert_eq!(
                resolve(&table, &miss).map_err(ResolveError::from),
                Err(ResolveError::NoRoute { key: miss.clone() })
            );
        }
    }
}
