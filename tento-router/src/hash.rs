//! The one hash both sides compute: the builder over each literal, the matcher over each
//! key segment while it looks for the segment's end. Keep the two in step: a literal and
//! a key segment spelling the same bytes must hash alike (`tests::key_and_literal_agree`).

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;
const COLONS: u64 = LO * b':' as u64;

const K_MIX: u64 = 0x9E37_79B9_7F4A_7C15;
const K_FINISH: u64 = 0xFF51_AFD7_ED55_8CCD;
const K_STATE: u64 = 0xD6E8_FEB8_6659_FD93;
const K_PILOT: u64 = 0x94D0_49BB_1331_11EB;
const K_SLOT: u64 = 0xBF58_476D_1CE4_E5B9;

/// The hash seed of the literal edges leaving `state`, so that the same literal under
/// two states lands in two places of the one table.
#[inline(always)]
pub(crate) fn state_seed(seed: u64, state: u32) -> u64 {
    seed ^ (u64::from(state) + 1).wrapping_mul(K_STATE)
}

#[inline(always)]
fn mix(h: u64, word: u64) -> u64 {
    (h ^ word).wrapping_mul(K_MIX).rotate_left(26)
}

#[inline(always)]
fn finish(h: u64, len: usize) -> u64 {
    let h = (h ^ len as u64).wrapping_mul(K_FINISH);
    h ^ (h >> 32)
}

/// Eight bytes from `pos` (little-endian) and how many of them are the key's; bytes past
/// the end read as zero.
#[inline(always)]
fn word_at(bytes: &[u8], pos: usize) -> (u64, usize) {
    let rest = bytes.get(pos..).unwrap_or_default();
    match rest.first_chunk::<8>() {
        Some(chunk) => (u64::from_le_bytes(*chunk), 8),
        None => {
            let mut buf = [0u8; 8];
            buf[..rest.len()].copy_from_slice(rest);
            (u64::from_le_bytes(buf), rest.len())
        }
    }
}

/// The index of the first `:` among the word's bytes, or 8.
#[inline(always)]
fn first_colon(word: u64) -> usize {
    let x = word ^ COLONS;
    // A byte of `x` is zero exactly where the word holds `:`; the lowest flagged byte
    // is exact (the classic has-zero-byte test only over-flags bytes above a zero).
    let found = x.wrapping_sub(LO) & !x & HI;
    (found.trailing_zeros() / 8) as usize
}

/// Finds the end of the segment starting at `pos` (the next `:` or the end of `bytes`)
/// and hashes the segment on the way, eight bytes at a time.
#[inline(always)]
pub(crate) fn scan(bytes: &[u8], start: usize, seed: u64) -> (usize, u64) {
    let mut pos = start;
    let mut h = seed;
    loop {
        let (word, valid) = word_at(bytes, pos);
        let cut = first_colon(word).min(valid);
        if cut < 8 {
            let word = if cut == 0 {
                0
            } else {
                word & (u64::MAX >> (64 - 8 * cut))
            };
            let end = pos + cut;
            return (end, finish(mix(h, word), end - start));
        }
        h = mix(h, word);
        pos += 8;
    }
}

/// The end of the segment starting at `start`, without hashing.
#[inline(always)]
pub(crate) fn segment_end(bytes: &[u8], start: usize) -> usize {
    let mut pos = start;
    loop {
        let (word, valid) = word_at(bytes, pos);
        let cut = first_colon(word).min(valid);
        if cut < 8 {
            return pos + cut;
        }
        pos += 8;
    }
}

/// The hash [`scan`] computes for a segment spelling `literal` (which holds no `:`).
pub(crate) fn hash_literal(literal: &[u8], seed: u64) -> u64 {
    let mut h = seed;
    let mut chunks = literal.chunks_exact(8);
    for chunk in &mut chunks {
        let mut buf = [0u8; 8];
        buf.copy_from_slice(chunk);
        h = mix(h, u64::from_le_bytes(buf));
    }
    let mut buf = [0u8; 8];
    let tail = chunks.remainder();
    buf[..tail.len()].copy_from_slice(tail);
    finish(mix(h, u64::from_le_bytes(buf)), literal.len())
}

/// The bucket of a hash among `buckets`: the high half scaled to the range.
#[inline(always)]
pub(crate) fn bucket(h: u64, buckets: u64) -> u64 {
    ((h >> 32) * buckets) >> 32
}

/// The slot of a hash displaced by its bucket's pilot, in a table of `1 << (64 - shift)`.
#[inline(always)]
pub(crate) fn slot(h: u64, pilot: u16, shift: u32) -> usize {
    ((h ^ u64::from(pilot).wrapping_mul(K_PILOT)).wrapping_mul(K_SLOT) >> shift) as usize
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

    #[test]
    fn key_and_literal_agree() {
        let lits = [
            "",
            "a",
            "activities",
            "~myprovider",
            "exactly8",
            "sixteen_bytes_ab",
            "héllo",
            "x",
        ];
        for lit in lits {
            for (prefix, suffix) in [("", ""), (":", ""), ("", ":rest"), (":~p:", ":tail:more")] {
                let key = format!("{prefix}{lit}{suffix}");
                let (end, h) = scan(key.as_bytes(), prefix.len(), 42);
                assert_eq!(end, prefix.len() + lit.len(), "{key:?}");
                assert_eq!(h, hash_literal(lit.as_bytes(), 42), "{key:?}");
                assert_eq!(segment_end(key.as_bytes(), prefix.len()), end);
            }
        }
    }

    #[test]
    fn segments_end_at_the_first_colon() {
        for n in 0..40 {
            let seg = "b".repeat(n);
            for tail in ["", ":", "::x", ":y:z"] {
                let key = format!("{seg}{tail}");
                assert_eq!(segment_end(key.as_bytes(), 0), n, "{key:?}");
            }
        }
        assert_eq!(segment_end(b"abc", 3), 3);
        assert_eq!(segment_end(b"abc", 7), 7);
    }

    #[test]
    fn different_literals_hash_apart() {
        let a = hash_literal(b"activities", 1);
        assert_ne!(a, hash_literal(b"activitieS", 1));
        assert_ne!(a, hash_literal(b"activities", 2));
        assert_ne!(hash_literal(b"ab", 1), hash_literal(b"ab\0", 1));
    }
}
