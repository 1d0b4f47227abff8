//! The router at run time: static tables and the loop that walks a key through them.

use crate::hash;

/// "None" in the `u32` columns of a [`Table`].
pub const NONE: u32 = u32::MAX;

/// A built router: a deterministic automaton over a key's `:`-separated segments whose
/// literal transitions sit in one minimal-probe perfect-hash table.
///
/// `#[derive(RowKeySchema)]` writes one as a `static` (built at expansion time by
/// [`build`](crate::build)); [`TableBuf::table`](crate::TableBuf::table) borrows one
/// from a router built at run time. The fields are that encoding:
///
/// - the automaton's state `s` is `states[3s..3s + 3]`: the state any segment not
///   matching a literal edge leads to (a placeholder), the route a key ending there
///   matches, and whether literal edges leave it;
/// - a literal edge `(from, literal) → next` is found by hashing the segment with
///   `from`'s seed: its bucket's pilot displaces it to the one slot it can be in,
///   `slots[4i..4i + 4] = [from, next, offset, len]` with the literal at
///   `text[offset..offset + len]`;
/// - route `r`'s placeholders are `params[3i..3i + 3] = [segment, offset, len]` for `i`
///   in `route_params[r]..route_params[r + 1]`: the segment's index after the leading
///   `:`, and the placeholder's name at `text[offset..offset + len]`.
#[derive(Clone, Copy, Debug)]
pub struct Table<'t> {
    /// Global hash seed.
    pub seed: u64,
    /// Number of pilot buckets.
    pub buckets: u64,
    /// `64 - log2(slot count)`.
    pub slot_shift: u32,
    /// Each bucket's displacement.
    pub pilots: &'t [u16],
    /// Literal edges, four `u32` per slot; an empty slot's `from` is [`NONE`].
    pub slots: &'t [u32],
    /// Every literal and placeholder name, back to back.
    pub text: &'t str,
    /// Three `u32` per state: placeholder transition, terminal route, has literal edges.
    pub states: &'t [u32],
    /// Where each route's placeholders start in `params` (one more entry than routes).
    pub route_params: &'t [u32],
    /// `[segment index, name offset, name length]` per placeholder.
    pub params: &'t [u32],
}

impl<'t> Table<'t> {
    /// The route `key` matches, calling `on_param(name, value)` for each of its
    /// placeholders in pattern order; `None` when no route matches. Never panics, never
    /// allocates; the time depends on the key's length, not on the number of routes.
    #[inline]
    pub fn find<'k>(&self, key: &'k str, mut on_param: impl FnMut(&'t str, &'k str)) -> Option<usize> {
        let bytes = key.as_bytes();
        if bytes.first() != Some(&b':') {
            return None;
        }
        let mut state = 0u32;
        let mut pos = 1;
        loop {
            let (end, h) = hash::scan(bytes, pos, hash::state_seed(self.seed, state));
            if end == pos {
                return None;
            }
            let at = state as usize * 3;
            let [param_next, _, has_literals] = *self.states.get(at..at + 3)?.first_chunk::<3>()?;
            let mut next = NONE;
            if has_literals != 0 {
                next = self.literal_edge(state, h, bytes.get(pos..end)?).unwrap_or(NONE);
            }
            if next == NONE {
                next = param_next;
            }
            if next == NONE {
                return None;
            }
            state = next;
            if end >= bytes.len() {
                break;
            }
            pos = end + 1;
        }
        let route = *self.states.get(state as usize * 3 + 1)?;
        if route == NONE {
            return None;
        }
        let route = route as usize;
        let from = *self.route_params.get(route)? as usize;
        let to = *self.route_params.get(route + 1)? as usize;
        if from < to {
            let params = self.params.get(3 * from..3 * to)?;
            let mut seg = 0;
            let mut start = 1;
            let mut end = hash::segment_end(bytes, start);
            for param in params.chunks_exact(3) {
                let [index, offset, len] = *param.first_chunk::<3>()?;
                while seg < index {
                    seg += 1;
                    start = end + 1;
                    end = hash::segment_end(bytes, start);
                }
                let name = self.text.get(offset as usize..offset as usize + len as usize)?;
                on_param(name, key.get(start..end)?);
            }
        }
        Some(route)
    }

    #[inline(always)]
    fn literal_edge(&self, state: u32, h: u64, segment: &[u8]) -> Option<u32> {
        let pilot = *self.pilots.get(hash::bucket(h, self.buckets) as usize)?;
        let at = hash::slot(h, pilot, self.slot_shift) * 4;
        let [from, next, offset, len] = *self.slots.get(at..at + 4)?.first_chunk::<4>()?;
        let literal = self
            .text
            .as_bytes()
            .get(offset as usize..offset as usize + len as usize)?;
        (from == state && literal == segment).then_some(next)
    }
}
