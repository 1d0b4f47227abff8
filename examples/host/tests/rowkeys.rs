//! The derived `RowKeys` against the routes the host used to write by hand
//! (`support/hand_rowkeys.rs`): the same schemas, and the same answer on every key of a
//! generated set of hits, near misses and malformed keys.

#[path = "support/hand_rowkeys.rs"]
mod hand_rowkeys;

use hand_rowkeys::HandRowKeys;
use tento::connector::{RouteSchema, RowKeySchema, Verb};
use tento_example_host::RowKeys;

/// Every combination of a few prefixes, kinds, auth ids, rows and tails: the keys both
/// routers must agree on.
fn keys() -> Vec<String> {
    let long = "x".repeat(300);
    let prefixes = [":~", "~", ":", "::~", "", ":~~", " :~"];
    let kinds = [
        "myprovider",
        "mymacroprovider",
        "MyProvider",
        "myprovide",
        "myproviderr",
        "mymacroprovide",
        "",
        "my:provider",
    ];
    let auth_ids = [
        "acct-1",
        "a",
        "",
        long.as_str(),
        "héllo-wörld",
        "🙂",
        "with space",
        "{authId}",
        "activities",
        "a:b",
    ];
    let rows = [
        "activities",
        "Activities",
        "activitie",
        "activitiess",
        "",
        "activities:logs",
        "logs",
    ];
    let tails = ["", ":", "::", ":activities"];
    let mut keys = Vec::new();
    for prefix in prefixes {
        for kind in kinds {
            for auth_id in auth_ids {
                for row in rows {
                    for tail in tails {
                        keys.push(format!("{prefix}{kind}:{auth_id}:{row}{tail}"));
                    }
                }
                keys.push(format!("{prefix}{kind}:{auth_id}"));
            }
            keys.push(format!("{prefix}{kind}"));
        }
    }
    // Auth ids of every length up to 100 bytes, of ASCII and wider characters.
    let alphabet: Vec<char> = "aZ09-_.~{}éü🙂".chars().collect();
    for n in 1..=100 {
        let auth_id: String = (0..n).map(|i| alphabet[(i * 7 + n) % alphabet.len()]).collect();
        for kind in kinds {
            for row in rows {
                keys.push(format!(":~{kind}:{auth_id}:{row}"));
            }
        }
    }
    keys.extend(
        [
            "",
            ":",
            "::",
            ":::",
            "activities",
            "\u{0}",
            "::~myprovider:a:activities",
        ]
        .map(String::from),
    );
    keys
}

#[test]
fn the_derived_routes_agree_with_the_hand_written_ones_on_every_key() {
    let keys = keys();
    let mut hits = [0usize; 2];
    for key in &keys {
        let derived = RowKeys::resolve(key);
        assert_eq!(derived, HandRowKeys::resolve(key), "{key:?}");
        if let Ok(m) = derived
            && let Some(hit) = hits.get_mut(m.route)
        {
            *hit += 1;
        }
        for verb in Verb::ALL {
            let derived = RowKeys::route_for(key, verb).map(|(route, m)| (route.pattern, m));
            let by_hand = HandRowKeys::route_for(key, verb).map(|(route, m)| (route.pattern, m));
            assert_eq!(derived, by_hand, "{key:?} {verb}");
        }
    }
    // The set really exercises both routes and both kinds of miss.
    assert!(hits.iter().all(|&n| n >= 100), "{hits:?} of {}", keys.len());
    assert!(keys.len() > 4000);
}

#[test]
fn the_derived_schemas_are_the_hand_written_ones() {
    let describe = |s: &RouteSchema| {
        (
            s.pattern,
            s.row_label,
            s.row_type,
            s.kind,
            s.integration,
            s.verbs,
            s.deps,
            s.sync_shape.map(|shape| shape.stages),
        )
    };
    let derived: Vec<_> = RowKeys::schemas().iter().map(describe).collect();
    let by_hand: Vec<_> = HandRowKeys::schemas().iter().map(describe).collect();
    assert_eq!(by_hand.len(), 2);
    // The derived block may hold more routes after these (`tento-scaffold new` adds a
    // provider's routes at its end); the hand-written ones come first, as they were.
    assert_eq!(derived.get(..by_hand.len()), Some(&by_hand[..]));
}
