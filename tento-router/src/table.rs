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
///   `slots[i] = [from | next << 32, first, last, len | literals << 31 | param << 32]`,
///   where `first` and `last` are the literal's first and last eight bytes (which spell
///   it when it is at most 16 bytes long; a longer literal's `last` is instead where it
///   is in `text`), and `literals` and `param` are two of `next`'s state entries, copied
///   there so that following an edge reads one slot. Slots are 32 bytes so that one
///   never straddles two cache lines, given the 64-byte alignment [`Aligned`] gives a
///   derived table's;
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
    /// Literal edges; an empty slot's `from` is [`NONE`].
    pub slots: &'t [Slot],
    /// The literals longer than 16 bytes and the placeholder names, back to back.
    pub text: &'t str,
    /// Three `u32` per state: placeholder transition, terminal route, has literal edges.
    pub states: &'t [u32],
    /// Where each route's placeholders start in `params` (one more entry than routes).
    pub route_params: &'t [u32],
    /// `[segment index, name offset, name length]` per placeholder.
    pub params: &'t [u32],
}

/// One literal edge of a [`Table`] (see there).
pub type Slot = [u64; 4];

/// A value aligned to a cache line: what the derive wraps a table's slots in.
#[derive(Clone, Copy, Debug)]
#[repr(C, align(64))]
pub struct Aligned<T>(pub T);

/// Bits of a slot's last word holding the literal's length.
const LEN_MASK: u64 = (1 << 31) - 1;

/// Literals longer than this are checked against `text` rather than by their two words.
pub(crate) const WORDS_SPELL: usize = 16;

/// Segment `n` of a key that starts with `:` (counting after it), for one that does
/// not end in the key's first 64 bytes.
fn nth_segment(key: &str, n: usize) -> Option<&str> {
    let mut colons = Colons::new(Bytes(key.as_bytes()));
    let mut start = 1;
    let mut end = colons.next();
    for _ in 0..n {
        start = end + 1;
        end = colons.next();
    }
    key.get(start..end)
}

/// A state as the walk carries it, in registers: its number, its placeholder
/// transition and whether literal edges leave it (a slot has these two for the state it
/// leads to, so following an edge reads nothing else). Its route is read once, where
/// the key ends.
#[derive(Clone, Copy)]
struct State {
    id: u32,
    param_next: u32,
    has_literals: bool,
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
        // Kept for the placeholders' values, found from it once the route is known.
        let block = hash::first_block(bytes);
        let mut colons = Colons::from_first_block(bytes, block);
        let mut state = self.state(0)?;
        let mut start = 1;
        loop {
            let end = colons.next();
            if end == start {
                return None;
            }
            state = self.step(state, bytes, start, end - start)?;
            if end >= key.len() {
                break;
            }
            start = end + 1;
        }
        let route = *self.states.get(state.id as usize * 3 + 1)?;
        if route == NONE {
            return None;
        }
        let route = route as usize;
        let from = *self.route_params.get(route)? as usize;
        let to = *self.route_params.get(route + 1)? as usize;
        for param in self.params.get(3 * from..3 * to)?.chunks_exact(3) {
            let [at, offset, len] = *param.first_chunk::<3>()?;
            let value = match hash::segment(block, at as usize) {
                Some((start, end)) => key.get(start..end)?,
                None => nth_segment(key, at as usize)?,
            };
            let name = self.text.get(offset as usize..offset as usize + len as usize)?;
            on_param(name, value);
        }
        Some(route)
    }

    /// State `id`, read from `states`.
    #[inline(always)]
    fn state(&self, id: u32) -> Option<State> {
        let at = id as usize * 3;
        let [param_next, _, has_literals] = *self.states.get(at..at + 3)?.first_chunk::<3>()?;
        Some(State {
            id,
            param_next,
            has_literals: has_literals != 0,
        })
    }

    /// The state after reading the segment of `len` bytes at `start` in `state`.
    #[inline(always)]
    fn step(&self, state: State, bytes: Bytes<'_>, start: usize, len: usize) -> Option<State> {
        if state.has_literals
            && let Some(next) = self.literal_edge(state.id, bytes, start, len)
        {
            return Some(next);
        }
        if state.param_next == NONE {
            return None;
        }
        self.state(state.param_next)
    }

    /// The state the literal edge spelling the segment leads to, from its slot alone.
    #[inline(always)]
    fn literal_edge(&self, state: u32, bytes: Bytes<'_>, start: usize, len: usize) -> Option<State> {
        let h = hash::hash(bytes, start, len, self.seed);
        let edge_hash = hash::edge_hash(h.hash, state);
        let pilot = *self.pilots.get(hash::bucket(edge_hash, self.buckets) as usize)?;
        let [edge, first, last, entries] = *self.slots.get(hash::slot(edge_hash, pilot, self.slot_shift))?;
        // Once the lengths agree, `last` is what the literal's length says it is.
        let same = edge as u32 == state
            && (entries & LEN_MASK) as usize == len
            && first == h.first
            && if len <= WORDS_SPELL {
                last == h.last
            } else {
                let offset = last as usize;
                self.text.as_bytes().get(offset..offset + len) == bytes.0.get(start..start + len)
            };
        same.then_some(State {
            id: (edge >> 32) as u32,
            param_next: (entries >> 32) as u32,
            has_literals: entries & (1 << 31) != 0,
        })
    }
}
