//! The router at run time: static tables and the loop that walks a key through them.

use crate::hash::{self, Bytes, Colons};

/// "None" in the `u32` columns of a [`Table`].
pub const NONE: u32 = u32::MAX;

/// A built router: a deterministic automaton over a key's `:`-separated segments whose
/// literal transitions sit in one perfect-hash table, probed once per segment.
///
/// `#[derive(RowKeySchema)]` writes one as a `static` (built at expansion time by
/// [`build`](crate::build)); [`TableBuf::table`](crate::TableBuf::table) borrows one
/// built at run time. The fields are that encoding:
///
/// - the automaton's state `s` is `states[3s..3s + 3]`: the state a segment matching
///   none of its literal edges goes to (a placeholder), the route a key ending there
///   matches, and whether literal edges leave it;
/// - a literal edge `(from, literal) → next` is found by hashing the segment with
///   `from` (`hash::edge_hash`): its bucket's pilot sends it to the one slot it can be in,
///   `slots[6i..6i + 6] = [from | next << 32, len | p_literals << 30 | literals << 31 |
///   offset << 32, first, last, param | route << 32, p_param | p_route << 32]`, where
///   `first` and `last` are the literal's first and last eight bytes (which spell it
///   when it is at most 16 bytes long), the literal is `text[offset..offset + len]`,
///   `literals`, `param` and `route` are `next`'s three state entries and the `p_`
///   ones those of `next`'s placeholder transition (state `param`): copied there so
///   that following an edge, and then a placeholder, reads one slot;
/// - route `r`'s placeholders are `params[3i..3i + 3] = [segment, offset, len]` for `i`
///   in `route_params[r]..route_params[r + 1]`: the segment's index after the leading
///   `:`, and the placeholder's name at `text[offset..offset + len]`.
#[derive(Clone, Copy, Debug)]
pub struct Table<'t> {
    /// Global hash seed.
    pub seed: u64,
    /// Number of pilot buckets, a power of two.
    pub buckets: u64,
    /// `64 - log2(slot count)`.
    pub slot_shift: u32,
    /// Each bucket's pilot.
    pub pilots: &'t [u16],
    /// Literal edges, six `u64` per slot; an empty slot's `from` is [`NONE`].
    pub slots: &'t [u64],
    /// Every literal and placeholder name, back to back.
    pub text: &'t str,
    /// Three `u32` per state: placeholder transition, terminal route, has literal edges.
    pub states: &'t [u32],
    /// Where each route's placeholders start in `params` (one more entry than routes).
    pub route_params: &'t [u32],
    /// `[segment index, name offset, name length]` per placeholder.
    pub params: &'t [u32],
}

/// Bits of a slot's second word holding the literal's length.
const LEN_MASK: u64 = (1 << 30) - 1;

/// How many segments' starts the walk records; a placeholder further in is found by
/// walking the key's `:`s again.
const SEGMENTS: usize = 15;

/// Segment `n` of a key that starts with `:` (counting after it).
fn nth_segment<'k>(colons: &mut Colons<'_>, key: &'k str, n: usize) -> Option<&'k str> {
    let mut start = 1;
    let mut end = colons.next(start);
    for _ in 0..n {
        start = end + 1;
        end = colons.next(start);
    }
    key.get(start..end)
}

/// A state's three entries.
#[derive(Clone, Copy)]
struct Entries {
    param_next: u32,
    route: u32,
    has_literals: bool,
}

/// A state as the walk carries it, in registers: its number and entries, and when a
/// slot gave them, the entries of its placeholder transition's state.
#[derive(Clone, Copy)]
struct State {
    id: u32,
    entries: Entries,
    param: Option<Entries>,
}

impl<'t> Table<'t> {
    /// The route `key` matches, calling `on_param(name, value)` for each of its
    /// placeholders in pattern order; `None` when no route matches. Never panics, never
    /// allocates; its time depends on the key's length, not on the number of routes.
    ///
    /// Always inlined, so that `on_param` is too and the caller's params are written in
    /// place (out of line, the compiler kept it a call per placeholder).
    #[inline(always)]
    pub fn find<'k>(&self, key: &'k str, mut on_param: impl FnMut(&'t str, &'k str)) -> Option<usize> {
        let bytes = Bytes(key.as_bytes());
        if key.as_bytes().first() != Some(&b':') {
            return None;
        }
        let mut colons = Colons::new(bytes);
        let mut state = self.state(0)?;
        // Where the first segments start, so the placeholders' values need no second
        // walk over the key's `:`s (`starts[i + 1] - 1` is where segment `i` ends).
        let mut starts = [0usize; SEGMENTS + 1];
        let mut count = 0;
        let mut start = 1;
        loop {
            let end = colons.next(start);
            if end == start {
                return None;
            }
            state = self.step(state, bytes, start, end - start)?;
            if let Some(at) = starts.get_mut(count) {
                *at = start;
            }
            count += 1;
            if end >= key.len() {
                break;
            }
            start = end + 1;
        }
        if let Some(at) = starts.get_mut(count) {
            *at = key.len() + 1;
        }
        if state.entries.route == NONE {
            return None;
        }
        let route = state.entries.route as usize;
        let from = *self.route_params.get(route)? as usize;
        let to = *self.route_params.get(route + 1)? as usize;
        for param in self.params.get(3 * from..3 * to)?.chunks_exact(3) {
            let [at, offset, len] = *param.first_chunk::<3>()?;
            let at = at as usize;
            let value = if at < SEGMENTS {
                key.get(*starts.get(at)?..starts.get(at + 1)? - 1)?
            } else {
                nth_segment(&mut colons, key, at)?
            };
            let name = self.text.get(offset as usize..offset as usize + len as usize)?;
            on_param(name, value);
        }
        Some(route)
    }

    /// State `id`, read from `states`.
    #[inline(always)]
    fn state(&self, id: u32) -> Option<State> {
        Some(State {
            id,
            entries: self.entries(id)?,
            param: None,
        })
    }

    #[inline(always)]
    fn entries(&self, id: u32) -> Option<Entries> {
        let at = id as usize * 3;
        let [param_next, route, has_literals] = *self.states.get(at..at + 3)?.first_chunk::<3>()?;
        Some(Entries {
            param_next,
            route,
            has_literals: has_literals != 0,
        })
    }

    /// The state after reading the segment of `len` bytes at `start` in `state`.
    #[inline(always)]
    fn step(&self, state: State, bytes: Bytes<'_>, start: usize, len: usize) -> Option<State> {
        if state.entries.has_literals
            && let Some(next) = self.literal_edge(state.id, bytes, start, len)
        {
            return Some(next);
        }
        let id = state.entries.param_next;
        if id == NONE {
            return None;
        }
        let entries = match state.param {
            Some(entries) => entries,
            None => self.entries(id)?,
        };
        Some(State {
            id,
            entries,
            param: None,
        })
    }

    /// The state the literal edge spelling the segment leads to, from its slot alone.
    #[inline(always)]
    fn literal_edge(&self, state: u32, bytes: Bytes<'_>, start: usize, len: usize) -> Option<State> {
        let h = hash::hash(bytes, start, len, self.seed);
        let edge_hash = hash::edge_hash(h.hash, state);
        let pilot = *self.pilots.get(hash::bucket(edge_hash, self.buckets) as usize)?;
        let at = hash::slot(edge_hash, pilot, self.slot_shift) * 6;
        let [edge, spelling, first, last, next, param] = *self.slots.get(at..at + 6)?.first_chunk::<6>()?;
        let same = edge as u32 == state
            && (spelling & LEN_MASK) as usize == len
            && first == h.first
            && last == h.last
            && (len <= 16 || {
                let offset = (spelling >> 32) as usize;
                self.text.as_bytes().get(offset..offset + len) == bytes.0.get(start..start + len)
            });
        same.then_some(State {
            id: (edge >> 32) as u32,
            entries: Entries {
                param_next: next as u32,
                route: (next >> 32) as u32,
                has_literals: spelling & (1 << 31) != 0,
            },
            param: Some(Entries {
                param_next: param as u32,
                route: (param >> 32) as u32,
                has_literals: spelling & (1 << 30) != 0,
            }),
        })
    }
}
