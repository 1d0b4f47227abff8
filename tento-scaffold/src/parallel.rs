//! Work over many independent items on every core: reading a host's hundred provider
//! crates, parsing the files a plan changes.

use std::sync::atomic::{AtomicUsize, Ordering};

/// `f` of each item, in the items' order. Each thread (this one too) takes the next item
/// as it finishes one, so one long item, a host's `lib.rs` say, does not hold back a
/// share of the others.
pub(crate) fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else {
                return done;
            };
            done.push((i, f(item)));
        }
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len());
    let mut results: Vec<(usize, R)> = std::thread::scope(|s| {
        let spawned: Vec<_> = (1..threads).map(|_| s.spawn(work)).collect();
        let mine = work();
        spawned
            .into_iter()
            .flat_map(|t| t.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .chain(mine)
            .collect()
    });
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn each_result_comes_back_in_the_items_order() {
        let items: Vec<u64> = (0..100).collect();
        let squares = super::map(&items, |n| n * n);
        assert_eq!(squares, items.iter().map(|n| n * n).collect::<Vec<_>>());
        assert!(super::map(&[] as &[u8], |b| *b).is_empty());
    }
}
