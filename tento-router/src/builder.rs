//! Building a [`Table`] from route patterns: a trie of the patterns, made deterministic
//! (so matching never backtracks), its literal edges placed by a perfect hash.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::fmt;

use crate::hash;
use crate::pattern::{Pattern, Segment};
use crate::table::{NONE, Slot, Table, WORDS_SPELL};

/// Most automaton states a route set may need. Real route sets need about one state per
/// distinct route prefix; only sets mixing placeholders and literals at the same places
/// in very many combinations come near it.
pub const MAX_STATES: usize = 1 << 20;

/// Two routes some key matches both of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    /// The earlier route's index.
    pub first: usize,
    /// The later route's index.
    pub second: usize,
    /// Whether the two have the same shape (the same route declared twice, whatever its
    /// placeholders are called).
    pub duplicate: bool,
    /// A key both match.
    pub example: String,
}

/// Why routes do not make a router.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BuildError {
    /// Some keys would match two routes; every pair, earlier route first.
    Conflicts(Vec<Conflict>),
    /// The automaton would need more than [`MAX_STATES`] states.
    TooComplex {
        /// States built before giving up.
        states: usize,
    },
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Conflicts(conflicts) => {
                write!(f, "{} pair(s) of routes match the same keys", conflicts.len())?;
                for c in conflicts {
                    write!(
                        f,
                        "; routes {} and {} both match `{}`",
                        c.first, c.second, c.example
                    )?;
                }
                Ok(())
            }
            BuildError::TooComplex { states } => write!(
                f,
                "the routes mix placeholders and literals in too many ways: more than {states} states"
            ),
        }
    }
}

impl std::error::Error for BuildError {}

/// A router built at run time (or by the derive at expansion time, which writes its
/// fields out as a `static` [`Table`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableBuf {
    /// See [`Table::seed`].
    pub seed: u64,
    /// See [`Table::buckets`].
    pub buckets: u64,
    /// See [`Table::slot_shift`].
    pub slot_shift: u32,
    /// See [`Table::pilots`].
    pub pilots: Vec<u16>,
    /// See [`Table::slots`].
    pub slots: Vec<Slot>,
    /// See [`Table::text`].
    pub text: String,
    /// See [`Table::states`].
    pub states: Vec<u32>,
    /// See [`Table::route_params`].
    pub route_params: Vec<u32>,
    /// See [`Table::params`].
    pub params: Vec<u32>,
}

impl TableBuf {
    /// The router, borrowed.
    pub fn table(&self) -> Table<'_> {
        Table {
            seed: self.seed,
            buckets: self.buckets,
            slot_shift: self.slot_shift,
            pilots: &self.pilots,
            slots: &self.slots,
            text: &self.text,
            states: &self.states,
            route_params: &self.route_params,
            params: &self.params,
        }
    }

    /// Number of automaton states.
    pub fn state_count(&self) -> usize {
        self.states.len() / 3
    }
}

#[derive(Default)]
struct TrieNode {
    literals: BTreeMap<String, usize>,
    param: Option<usize>,
    routes: Vec<usize>,
}

fn trie(routes: &[Pattern]) -> Vec<TrieNode> {
    let mut nodes = vec![TrieNode::default()];
    for (route, pattern) in routes.iter().enumerate() {
        let mut at = 0;
        for seg in pattern.segments() {
            let fresh = nodes.len();
            let next = match seg {
                Segment::Literal(lit) => *nodes[at].literals.entry(lit.clone()).or_insert(fresh),
                Segment::Param(_) => *nodes[at].param.get_or_insert(fresh),
            };
            if next == fresh {
                nodes.push(TrieNode::default());
            }
            at = next;
        }
        nodes[at].routes.push(route);
    }
    nodes
}

struct Edge {
    from: u32,
    literal: String,
    next: u32,
}

struct Automaton {
    /// `[param_next, terminal, has_literals]` per state.
    states: Vec<[u32; 3]>,
    edges: Vec<Edge>,
}

/// Subset construction over the trie: a state is the set of trie nodes a key prefix can
/// be at. A segment matching one of the set's literals goes to those literal children
/// plus every placeholder child (a placeholder takes any segment); any other non-empty
/// segment goes to the placeholder children alone. Two routes ending in one state are
/// exactly two routes some key matches both of.
fn determinize(routes: &[Pattern], trie: &[TrieNode]) -> Result<Automaton, BuildError> {
    let mut ids: HashMap<Vec<usize>, u32> = HashMap::new();
    let mut queue: VecDeque<Vec<usize>> = VecDeque::new();
    let mut auto = Automaton {
        states: Vec::new(),
        edges: Vec::new(),
    };
    let mut conflicts: BTreeSet<(usize, usize)> = BTreeSet::new();

    let mut intern = |set: Vec<usize>, auto: &mut Automaton, queue: &mut VecDeque<Vec<usize>>| {
        if let Some(&id) = ids.get(&set) {
            return Ok(id);
        }
        let id = auto.states.len();
        if id >= MAX_STATES {
            return Err(BuildError::TooComplex { states: id });
        }
        auto.states.push([NONE, NONE, 0]);
        ids.insert(set.clone(), id as u32);
        queue.push_back(set);
        Ok(id as u32)
    };

    intern(vec![0], &mut auto, &mut queue)?;
    let mut id = 0u32;
    while let Some(set) = queue.pop_front() {
        let params: Vec<usize> = {
            let mut p: Vec<usize> = set.iter().filter_map(|&n| trie[n].param).collect();
            p.sort_unstable();
            p.dedup();
            p
        };
        let mut literals: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for &n in &set {
            for (lit, &child) in &trie[n].literals {
                literals.entry(lit).or_default().push(child);
            }
        }
        for (lit, mut children) in literals {
            children.extend(&params);
            children.sort_unstable();
            children.dedup();
            let next = intern(children, &mut auto, &mut queue)?;
            auto.edges.push(Edge {
                from: id,
                literal: lit.to_owned(),
                next,
            });
            auto.states[id as usize][2] = 1;
        }
        if !params.is_empty() {
            auto.states[id as usize][0] = intern(params, &mut auto, &mut queue)?;
        }
        let mut ending: Vec<usize> = set.iter().flat_map(|&n| trie[n].routes.iter().copied()).collect();
        ending.sort_unstable();
        if let Some(&first) = ending.first() {
            auto.states[id as usize][1] = first as u32;
        }
        for (i, &a) in ending.iter().enumerate() {
            for &b in &ending[i + 1..] {
                conflicts.insert((a, b));
            }
        }
        id += 1;
    }

    if conflicts.is_empty() {
        return Ok(auto);
    }
    Err(BuildError::Conflicts(
        conflicts
            .into_iter()
            .map(|(first, second)| Conflict {
                first,
                second,
                duplicate: routes[first].same_shape(&routes[second]),
                example: routes[first].common_key(&routes[second]).unwrap_or_default(),
            })
            .collect(),
    ))
}

struct Placement {
    seed: u64,
    buckets: u64,
    slot_shift: u32,
    pilots: Vec<u16>,
    /// The edge in each slot.
    slots: Vec<Option<usize>>,
}

/// Places every edge in its own slot: keys are grouped into buckets by hash, and each
/// bucket, largest first, gets the first pilot that sends all its keys to free slots
/// (PTHash's scheme). A lookup is then one pilot read and one slot read.
fn place(edges: &[Edge]) -> Placement {
    let n = edges.len();
    // Load factor at most 0.8, so pilots are found fast.
    let mut bits = (n + n / 4 + 1).next_power_of_two().trailing_zeros().max(1);
    // A power of two, so a lookup masks rather than scales (`hash::bucket`).
    let buckets = n.div_ceil(4).max(1).next_power_of_two() as u64;
    let mut attempt = 0u64;
    // Each attempt succeeds with a probability bounded away from zero (and growing with
    // the table, which doubles every eight failures), so the loop ends.
    loop {
        attempt += 1;
        if attempt.is_multiple_of(8) {
            bits += 1;
        }
        let seed = hash::splitmix(attempt);
        let slot_shift = 64 - bits;
        let hashes: Vec<u64> = edges
            .iter()
            .map(|e| hash::edge_hash(literal_hash(&e.literal, seed).hash, e.from))
            .collect();
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); buckets as usize];
        for (i, &h) in hashes.iter().enumerate() {
            members[hash::bucket(h, buckets) as usize].push(i);
        }
        let mut order: Vec<usize> = (0..members.len()).collect();
        order.sort_by_key(|&b| std::cmp::Reverse(members[b].len()));

        let mut slots: Vec<Option<usize>> = vec![None; 1 << bits];
        let mut pilots = vec![0u16; buckets as usize];
        let mut placed_all = true;
        let mut taken = Vec::new();
        for b in order {
            if members[b].is_empty() {
                break;
            }
            let found = (0..=u16::MAX).find(|&pilot| {
                taken.clear();
                members[b].iter().all(|&i| {
                    let s = hash::slot(hashes[i], pilot, slot_shift);
                    let free = slots[s].is_none() && !taken.contains(&s);
                    taken.push(s);
                    free
                })
            });
            let Some(pilot) = found else {
                placed_all = false;
                break;
            };
            pilots[b] = pilot;
            for &i in &members[b] {
                slots[hash::slot(hashes[i], pilot, slot_shift)] = Some(i);
            }
        }
        if placed_all {
            return Placement {
                seed,
                buckets,
                slot_shift,
                pilots,
                slots,
            };
        }
    }
}

fn literal_hash(literal: &str, seed: u64) -> hash::SegmentHash {
    hash::hash(hash::Bytes(literal.as_bytes()), 0, literal.len(), seed)
}

/// Interns strings into one text blob.
#[derive(Default)]
struct Text {
    text: String,
    at: HashMap<String, (u32, u32)>,
}

impl Text {
    fn add(&mut self, s: &str) -> (u32, u32) {
        if let Some(&span) = self.at.get(s) {
            return span;
        }
        let span = (self.text.len() as u32, s.len() as u32);
        self.text.push_str(s);
        self.at.insert(s.to_owned(), span);
        span
    }
}

/// Builds the router of `routes`; route `i` of the input is route `i` of every match.
/// Fails when two routes can match the same key (each pair reported once, with a key
/// they share), so a key leads to at most one route whatever their order.
pub fn build(routes: &[Pattern]) -> Result<TableBuf, BuildError> {
    let trie = trie(routes);
    let auto = determinize(routes, &trie)?;
    let placement = place(&auto.edges);
    let mut text = Text::default();

    let slots = placement
        .slots
        .iter()
        .map(|slot| match slot {
            Some(i) => {
                let edge = &auto.edges[*i];
                let h = literal_hash(&edge.literal, placement.seed);
                let [param_next, _, has_literals] = auto.states[edge.next as usize];
                let len = edge.literal.len() as u64;
                // A literal too long for the length bits could never be matched, so
                // refuse it rather than build a router that silently misses it.
                assert!(len < 1 << 31, "a literal of 2 GiB or more");
                let last = if edge.literal.len() <= WORDS_SPELL {
                    h.last
                } else {
                    u64::from(text.add(&edge.literal).0)
                };
                [
                    u64::from(edge.from) | u64::from(edge.next) << 32,
                    h.first,
                    last,
                    len | u64::from(has_literals != 0) << 31 | u64::from(param_next) << 32,
                ]
            }
            None => [u64::from(NONE), 0, 0, 0],
        })
        .collect();

    let mut route_params = Vec::with_capacity(routes.len() + 1);
    let mut params = Vec::new();
    for pattern in routes {
        route_params.push((params.len() / 3) as u32);
        for (index, seg) in pattern.segments().iter().enumerate() {
            if let Segment::Param(name) = seg {
                let (offset, len) = text.add(name);
                params.extend([index as u32, offset, len]);
            }
        }
    }
    route_params.push((params.len() / 3) as u32);

    Ok(TableBuf {
        seed: placement.seed,
        buckets: placement.buckets,
        slot_shift: placement.slot_shift,
        pilots: placement.pilots,
        slots,
        text: text.text,
        states: auto.states.into_iter().flatten().collect(),
        route_params,
        params,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn router(patterns: &[&str]) -> TableBuf {
        let routes: Vec<Pattern> = patterns.iter().map(|p| Pattern::parse(p).unwrap()).collect();
        build(&routes).unwrap()
    }

    fn find<'k>(buf: &TableBuf, key: &'k str) -> Option<(usize, Vec<(String, &'k str)>)> {
        let mut params = Vec::new();
        let route = buf
            .table()
            .find(key, |name, value| params.push((name.to_owned(), value)))?;
        Some((route, params))
    }

    #[test]
    fn keys_find_their_route_and_params() {
        let buf = router(&[
            ":~myprovider:{authId}:activities",
            ":~myprovider:{authId}:activities:logs",
            ":~weather:{city}:{day}:hourly",
            ":~weather:{city}:today",
        ]);
        assert_eq!(
            find(&buf, ":~myprovider:abc:activities"),
            Some((0, vec![("authId".into(), "abc")]))
        );
        assert_eq!(
            find(
                &buf,
                ":~myprovider:a-much-longer-auth-id-of-many-words:activities:logs"
            ),
            Some((1, vec![("authId".into(), "a-much-longer-auth-id-of-many-words")]))
        );
        assert_eq!(
            find(&buf, ":~weather:oslo:2024-01-02:hourly"),
            Some((2, vec![("city".into(), "oslo"), ("day".into(), "2024-01-02")]))
        );
        // `today` is a literal here but a placeholder value in route 2.
        assert_eq!(
            find(&buf, ":~weather:oslo:today:hourly"),
            Some((2, vec![("city".into(), "oslo"), ("day".into(), "today")]))
        );
        assert_eq!(
            find(&buf, ":~weather:oslo:today"),
            Some((3, vec![("city".into(), "oslo")]))
        );
        for miss in [
            "",
            ":",
            "::",
            "~myprovider:abc:activities",
            ":~myprovider::activities",
            ":~myprovider:abc:activities:",
            ":~myprovider:abc:activitie",
            ":~myprovider:abc:activitiesx",
            ":~myprovider:abc",
            ":~myprovider:abc:activities:logs:more",
            ":~other:abc:activities",
        ] {
            assert_eq!(find(&buf, miss), None, "{miss:?}");
        }
    }

    #[test]
    fn placeholders_past_the_recorded_segments_are_found_too() {
        // The walk records where the first 15 segments start; later placeholders are
        // found by walking the key again. Both must give the same values.
        let literals: Vec<String> = (0..20).map(|i| format!("s{i}")).collect();
        let mut segments = literals.clone();
        for (i, name) in [(0, "a"), (13, "b"), (14, "c"), (15, "d"), (19, "e")] {
            segments[i] = format!("{{{name}}}");
        }
        let buf = router(&[&format!(":{}", segments.join(":"))]);
        let mut values = literals;
        for (i, value) in [(0, "v0"), (13, "v13"), (14, "v14"), (15, "v15"), (19, "v19")] {
            values[i] = value.to_owned();
        }
        let key = format!(":{}", values.join(":"));
        assert_eq!(
            find(&buf, &key),
            Some((
                0,
                vec![
                    ("a".into(), "v0"),
                    ("b".into(), "v13"),
                    ("c".into(), "v14"),
                    ("d".into(), "v15"),
                    ("e".into(), "v19")
                ]
            ))
        );
        assert_eq!(find(&buf, &format!("{key}:more")), None);
    }

    #[test]
    fn overlapping_routes_are_reported_with_a_shared_key() {
        let routes: Vec<Pattern> = [":~p:{a}:x", ":~p:y:{b}", ":~p:{c}:x", ":~q:z"]
            .iter()
            .map(|p| Pattern::parse(p).unwrap())
            .collect();
        let Err(BuildError::Conflicts(conflicts)) = build(&routes) else {
            panic!("routes overlap")
        };
        assert_eq!(
            conflicts,
            [
                Conflict {
                    first: 0,
                    second: 1,
                    duplicate: false,
                    example: ":~p:y:x".into()
                },
                Conflict {
                    first: 0,
                    second: 2,
                    duplicate: true,
                    example: ":~p:a:x".into()
                },
                Conflict {
                    first: 1,
                    second: 2,
                    duplicate: false,
                    example: ":~p:y:x".into()
                },
            ]
        );
    }

    #[test]
    fn empty_and_placeholder_only_sets_build() {
        let empty = build(&[]).unwrap();
        assert_eq!(empty.table().find(":a", |_, _| ()), None);
        let only = router(&[":{a}", ":{a}:{b}"]);
        assert_eq!(find(&only, ":x"), Some((0, vec![("a".into(), "x")])));
        assert_eq!(
            find(&only, ":x:y"),
            Some((1, vec![("a".into(), "x"), ("b".into(), "y")]))
        );
        assert_eq!(find(&only, ":x:y:z"), None);
    }

    #[test]
    fn many_literals_under_many_states_all_resolve() {
        let patterns: Vec<String> = (0..300)
            .flat_map(|p| (0..7).map(move |r| format!(":~prov{p}:{{authId}}:row{r}")))
            .collect();
        let routes: Vec<Pattern> = patterns.iter().map(|p| Pattern::parse(p).unwrap()).collect();
        let buf = build(&routes).unwrap();
        for (i, p) in patterns.iter().enumerate() {
            let key = p.replace("{authId}", "someone");
            assert_eq!(find(&buf, &key), Some((i, vec![("authId".into(), "someone")])));
            assert_eq!(find(&buf, &format!("{key}x")), None);
        }
        assert!(build(&routes).unwrap() == buf, "builds are deterministic");
    }
}
