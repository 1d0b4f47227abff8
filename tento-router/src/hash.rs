//! Reading a key a word at a time (sixteen bytes at a time for its `:`s on x86_64): where
//! its `:`s are, and the one hash both sides compute (the builder over each literal, the matcher over each key segment). A
//! literal and a key segment spelling the same bytes hash alike
//! (`tests::key_and_literal_agree`).

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;
const COLONS: u64 = LO * b':' as u64;

const K_LEN: u64 = 0x9E37_79B9_7F4A_7C15;
const K_MID: u64 = 0xFF51_AFD7_ED55_8CCD;
const K_STATE: u64 = 0xD6E8_FEB8_6659_FD93;
const K_SLOT: u64 = 0xBF58_476D_1CE4_E5B9;

/// A key (or a literal) read as little-endian words; bytes past its end read as zero.
#[derive(Clone, Copy)]
pub(crate) struct Bytes<'a>(pub(crate) &'a [u8]);

impl Bytes<'_> {
    pub(crate) fn len(self) -> usize {
        self.0.len()
    }

    /// The eight bytes from `at`. For texts of eight bytes or more this reads the
    /// nearest in-bounds window and shifts, so it neither copies nor branches on where
    /// the text ends.
    #[inline(always)]
    pub(crate) fn word(self, at: usize) -> u64 {
        let bytes = self.0;
        if let Some(last) = bytes.len().checked_sub(8) {
            let from = at.min(last);
            let word = bytes
                .get(from..)
                .and_then(<[u8]>::first_chunk::<8>)
                .map_or(0, |w| u64::from_le_bytes(*w));
            let skip = (at - from).min(8) as u32;
            return word.checked_shr(8 * skip).unwrap_or(0);
        }
        let mut word = 0;
        for (i, &b) in bytes.get(at..).unwrap_or_default().iter().take(8).enumerate() {
            word |= u64::from(b) << (8 * i);
        }
        word
    }
}

/// One bit per byte of `word`: set where the byte is `:`.
#[inline(always)]
fn colon_bits(word: u64) -> u64 {
    let x = word ^ COLONS;
    // The high bit of each byte of `found` is set exactly where `x`'s byte is zero.
    let found = !(((x & !HI).wrapping_add(!HI)) | x) & HI;
    // Gather the eight high bits into the low byte.
    (found >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56
}

/// The `:`s of a key after its first byte, in order, then its end (for good): a cursor
/// over a bit mask of one 64-byte block (one block for most keys), so the next one is
/// a `trailing_zeros` and clearing that bit.
pub(crate) struct Colons<'a> {
    bytes: Bytes<'a>,
    base: usize,
    mask: u64,
}

impl<'a> Colons<'a> {
    #[inline(always)]
    pub(crate) fn new(bytes: Bytes<'a>) -> Self {
        Self::from_first_block(bytes, first_block(bytes))
    }

    /// The cursor over a key whose [`first_block`] is `mask`.
    #[inline(always)]
    pub(crate) fn from_first_block(bytes: Bytes<'a>, mask: u64) -> Self {
        Colons { bytes, base: 0, mask }
    }

    /// The next `:`, or the key's length once there is none left.
    #[inline(always)]
    pub(crate) fn next(&mut self) -> usize {
        loop {
            if self.mask != 0 {
                let at = self.base + self.mask.trailing_zeros() as usize;
                self.mask &= self.mask - 1;
                return at;
            }
            // The end is a bit of the block it falls in, so a block past it is only
            // reached once the end has been returned.
            if self.base + 64 > self.bytes.len() {
                return self.bytes.len();
            }
            self.base += 64;
            self.mask = block(self.bytes, self.base);
        }
    }
}

/// The `:`s of a key's first 64 bytes after its first (the key's leading `:`, not a
/// separator), and its end when it falls there.
#[inline(always)]
pub(crate) fn first_block(bytes: Bytes<'_>) -> u64 {
    block(bytes, 0) & !1
}

/// Where segment `n` (counting after the leading `:`) starts and ends, from the key's
/// [`first_block`]; `None` when it does not end in the first 64 bytes. A few
/// instructions for the segments placeholders sit in, so the walk need not record
/// where every segment starts.
#[inline(always)]
pub(crate) fn segment(first_block: u64, n: usize) -> Option<(usize, usize)> {
    let mut mask = first_block;
    let mut start = 1;
    for _ in 0..n {
        if mask == 0 {
            return None;
        }
        start = mask.trailing_zeros() as usize + 1;
        mask &= mask - 1;
    }
    (mask != 0).then(|| (start, mask.trailing_zeros() as usize))
}

/// The `:`s of `bytes[base..base + 64]`, and its end when it falls there.
#[inline(always)]
fn block(bytes: Bytes<'_>, base: usize) -> u64 {
    let mut mask = 0;
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    if bytes.len() >= 16 {
        // Four 16-byte compares instead of eight word-wide bit tricks: a third of the
        // instructions of the walk over a typical key.
        for i in 0..4 {
            mask |= u64::from(colons16(bytes.0, base + 16 * i)) << (16 * i);
        }
        return with_end(mask, bytes, base);
    }
    for i in 0..8 {
        mask |= colon_bits(bytes.word(base + 8 * i)) << (8 * i);
    }
    with_end(mask, bytes, base)
}

/// One bit per byte of `bytes[at..at + 16]` (zero past the end): set where it is `:`.
/// `bytes` is at least 16 long, so the nearest in-bounds 16-byte window is read and
/// shifted, as [`Bytes::word`] does, without a branch on where the key ends.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline(always)]
fn colons16(bytes: &[u8], at: usize) -> u32 {
    use std::arch::x86_64::{_mm_cmpeq_epi8, _mm_movemask_epi8, _mm_set_epi64x, _mm_set1_epi8};
    let from = at.min(bytes.len().saturating_sub(16));
    let window = bytes
        .get(from..)
        .and_then(<[u8]>::first_chunk::<16>)
        .map_or(0, |w| u128::from_le_bytes(*w));
    // SAFETY: these intrinsics take and return values only (no pointers); their one
    // requirement is the SSE2 target feature, which the `cfg` above makes sure the
    // build enables (it is in the x86_64 baseline). The compiler folds the two halves
    // back into one 16-byte load. `hash::tests::colons_are_found_in_keys_of_every_length`
    // checks the result against a byte-by-byte search.
    let found = unsafe {
        let v = _mm_set_epi64x((window >> 64) as i64, window as i64);
        _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(b':' as i8)))
    } as u32;
    found.checked_shr((at - from) as u32).unwrap_or(0)
}

#[inline(always)]
fn with_end(mask: u64, bytes: Bytes<'_>, base: usize) -> u64 {
    match bytes.len().checked_sub(base) {
        Some(end) if end < 64 => mask | (1 << end),
        _ => mask,
    }
}

/// The hash of a literal edge leaving `state` whose segment hashed to `segment`: the
/// same literal under two states lands in two places of the one table. The state comes
/// in last, with one multiply and a xor, so that the segment's own hash (which needs only
/// the key) is off the walk's critical path, which waits for the state.
#[inline(always)]
pub(crate) fn edge_hash(segment: u64, state: u32) -> u64 {
    segment ^ (u64::from(state) + 1).wrapping_mul(K_STATE)
}

#[inline(always)]
fn fold(x: u64, y: u64) -> u64 {
    let p = u128::from(x) * u128::from(y);
    (p as u64) ^ ((p >> 64) as u64)
}

/// A segment's hash and the two words that, with its length, spell it when it is at
/// most 16 bytes long: `(hash, first, last)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct SegmentHash {
    pub(crate) hash: u64,
    pub(crate) first: u64,
    pub(crate) last: u64,
}

/// Hashes the `len` bytes (`len > 0`) from `start`: the first eight (masked to the
/// segment), the last eight, and the eight-byte words between for segments longer
/// than 16. No loop and no unpredictable branch for the segments keys mostly have.
#[inline(always)]
pub(crate) fn hash(bytes: Bytes<'_>, start: usize, len: usize, seed: u64) -> SegmentHash {
    // Keys are longer than eight bytes (a branch that always goes one way); literals
    // may not be.
    let (first, last) = if bytes.len() >= 8 {
        ends_of_long(bytes.0, start, len)
    } else {
        ends_of_short(bytes, start, len)
    };
    let mut hash = fold(first ^ seed, last ^ K_LEN ^ len as u64);
    if len > 16 {
        let mut at = 8;
        while at < len - 8 {
            hash = fold(hash ^ bytes.word(start + at), K_MID);
            at += 8;
        }
    }
    SegmentHash { hash, first, last }
}

/// `(first, last)` of [`SegmentHash`] in a text of eight bytes or more: two in-bounds
/// loads, shifts and selects, no branch on where the segment sits or how long it is (it
/// would mispredict as often as lengths vary).
#[inline(always)]
fn ends_of_long(bytes: &[u8], start: usize, len: usize) -> (u64, u64) {
    let load = |at: usize| {
        bytes
            .get(at..)
            .and_then(<[u8]>::first_chunk::<8>)
            .map_or(0, |w| u64::from_le_bytes(*w))
    };
    let end = start + len;
    // The eight bytes ending where the segment does; for a segment ending in the first
    // eight bytes, those bytes shifted up, zeros below (masked off next).
    let from = end.max(8) - 8;
    let tail = load(from) << (8 * (from + 8 - end));
    let short = tail >> (64 - 8 * len.clamp(1, 8));
    let first = load(start.min(bytes.len() - 8));
    // Left to itself the compiler branches here, and mispredicted on every other key.
    std::hint::select_unpredictable(len > 8, (first, tail), (short, 0))
}

/// `(first, last)` of [`SegmentHash`] in a text shorter than eight bytes.
fn ends_of_short(bytes: Bytes<'_>, start: usize, len: usize) -> (u64, u64) {
    let keep = (len.min(8) * 8) as u32;
    (
        bytes.word(start) & u64::MAX.checked_shr(64 - keep).unwrap_or(0),
        0,
    )
}

/// The bucket of a hash among `buckets`, a power of two: bits of the high half, masked
/// rather than scaled, since a multiply here is on every literal segment's critical path.
#[inline(always)]
pub(crate) fn bucket(h: u64, buckets: u64) -> u64 {
    (h >> 32) & buckets.wrapping_sub(1)
}

/// The slot of a hash displaced by its bucket's pilot, in a table of `1 << (64 - shift)`.
/// The pilot is xored in as it is (the multiply spreads it over the top bits), for the
/// same reason.
#[inline(always)]
pub(crate) fn slot(h: u64, pilot: u16, shift: u32) -> usize {
    ((h ^ u64::from(pilot)).wrapping_mul(K_SLOT) >> shift) as usize
}

/// splitmix64: the builder's source of seeds, deterministic so builds are reproducible.
pub(crate) fn splitmix(n: u64) -> u64 {
    let mut z = n.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn colons(key: &str) -> Vec<usize> {
        let mut c = Colons::new(Bytes(key.as_bytes()));
        let mut found = Vec::new();
        loop {
            let next = c.next();
            found.push(next);
            if next >= key.len() {
                return found;
            }
        }
    }

    fn naive_colons(key: &str) -> Vec<usize> {
        key.bytes()
            .enumerate()
            .skip(1)
            .filter(|&(_, b)| b == b':')
            .map(|(i, _)| i)
            .chain([key.len()])
            .collect()
    }

    #[test]
    fn colons_are_found_in_keys_of_every_length() {
        for n in 0..200 {
            for step in [1, 2, 3, 7, 8, 9, 63, 64, 65] {
                let key: String = (0..n).map(|i| if i % step == 0 { ':' } else { 'é' }).collect();
                assert_eq!(colons(&key), naive_colons(&key), "{n} {step}");
            }
        }
        // The end comes once the `:`s are done, and then for good.
        let mut c = Colons::new(Bytes(b":a:b"));
        assert_eq!((c.next(), c.next(), c.next()), (2, 4, 4));
        for len in [63, 64, 65, 127, 128, 129] {
            let key = vec![b'x'; len];
            let mut c = Colons::new(Bytes(&key));
            assert_eq!((c.next(), c.next()), (len, len), "{len}");
        }
    }

    #[test]
    fn segments_are_found_from_the_first_block() {
        let long = |n| format!(":{}:b:c", "x".repeat(n));
        let keys = [
            ":a:bc:def",
            ":~p:abc:x",
            ":",
            "::",
            ":a::b",
            &long(60),
            &long(61),
            &long(62),
            &long(70),
        ];
        for key in keys {
            let block = first_block(Bytes(key.as_bytes()));
            let mut start = 1;
            for (n, seg) in key[1..].split(':').enumerate() {
                let end = start + seg.len();
                // Segments ending in the first 64 bytes are found, the others left to
                // a walk over the whole key.
                let expected = (end < 64).then_some((start, end));
                assert_eq!(segment(block, n), expected, "{key:?} {n}");
                start = end + 1;
            }
            let count = key[1..].split(':').count();
            assert_eq!(segment(block, count), None, "{key:?}");
        }
    }

    #[test]
    fn words_read_zero_past_the_end() {
        let b = Bytes(b"abcdefghij");
        assert_eq!(b.word(0), u64::from_le_bytes(*b"abcdefgh"));
        assert_eq!(b.word(4), u64::from_le_bytes(*b"efghij\0\0"));
        assert_eq!(b.word(10), 0);
        assert_eq!(b.word(99), 0);
        assert_eq!(Bytes(b"abc").word(1), u64::from_le_bytes(*b"bc\0\0\0\0\0\0"));
        assert_eq!(Bytes(b"").word(0), 0);
    }

    #[test]
    fn key_and_literal_agree() {
        let lits = [
            "a",
            "activities",
            "~myprovider",
            "exactly8",
            "sixteen_bytes_ab",
            "seventeen_bytes_a",
            "a_literal_of_forty_bytes_and_then_some_",
            "héllo",
        ];
        for lit in lits {
            for (prefix, suffix) in [("", ""), (":", ""), ("", ":rest"), (":~p:", ":tail:more")] {
                let key = format!("{prefix}{lit}{suffix}");
                let h = hash(Bytes(key.as_bytes()), prefix.len(), lit.len(), 42);
                assert_eq!(h, hash(Bytes(lit.as_bytes()), 0, lit.len(), 42), "{key:?}");
            }
        }
    }

    #[test]
    fn different_literals_hash_apart() {
        let h = |s: &str, seed| hash(Bytes(s.as_bytes()), 0, s.len(), seed).hash;
        let a = h("activities", 1);
        assert_ne!(a, h("activitieS", 1));
        assert_ne!(a, h("activities", 2));
        assert_ne!(h("ab", 1), h("ab\0", 1));
        assert_ne!(
            h("a_long_literal_differing_in_the_MIDDLE_of_it", 1),
            h("a_long_literal_differing_in_the_middle_of_it", 1)
        );
    }
}
