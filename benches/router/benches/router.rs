//! The derived router against matchit and a linear scan over the patterns, per lookup,
//! over 10,000 distinct keys (a quarter misses): on 1,000 routes, and the derived router
//! and matchit at 10, 1,000 (and, with `TENTO_BENCH_10K=1`, 10,000) routes.
//!
//! `cargo bench -p tento-bench-router --bench router`; see BENCHMARKS.md.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use tento::connector::RowKeySchema;
use tento_bench_router::{keys, matchit_key, matchit_router, scan};

include!(concat!(env!("OUT_DIR"), "/routes_10.rs"));
include!(concat!(env!("OUT_DIR"), "/routes_1k.rs"));
#[cfg(routes_10k)]
include!(concat!(env!("OUT_DIR"), "/routes_10k.rs"));

const KEYS: usize = 10_000;

fn derived<R: RowKeySchema>(keys: &[String]) -> usize {
    keys.iter().filter(|k| R::resolve(black_box(k)).is_ok()).count()
}

fn matchit_lookups(router: &matchit::Router<usize>, keys: &[String]) -> usize {
    keys.iter().filter(|k| router.at(black_box(k)).is_ok()).count()
}

/// The three routers on the same 1,000 routes and keys.
fn routers(c: &mut Criterion) {
    let keys = keys(routes_1k::PATTERNS, KEYS, 0x5EED);
    let m_keys: Vec<String> = keys.iter().map(|k| matchit_key(k)).collect();
    let matchit = matchit_router(routes_1k::PATTERNS);
    let schemas = <routes_1k::RowKeys as RowKeySchema>::schemas();

    let mut group = c.benchmark_group("1k routes");
    group.throughput(Throughput::Elements(KEYS as u64));
    group.bench_function("derive(RowKeySchema)", |b| {
        b.iter(|| derived::<routes_1k::RowKeys>(&keys))
    });
    group.bench_function("matchit", |b| b.iter(|| matchit_lookups(&matchit, &m_keys)));
    group.sample_size(10);
    group.bench_function("linear scan", |b| {
        b.iter(|| {
            keys.iter()
                .filter(|k| scan(schemas, black_box(k)).is_some())
                .count()
        })
    });
    group.finish();
}

/// A route set: its size, its patterns, and its derived router's lookups.
type Set = (usize, &'static [&'static str], fn(&[String]) -> usize);

#[cfg(routes_10k)]
fn set_10k() -> Option<Set> {
    Some((10_000, routes_10k::PATTERNS, derived::<routes_10k::RowKeys>))
}

#[cfg(not(routes_10k))]
fn set_10k() -> Option<Set> {
    None
}

/// How the time per lookup grows with the number of routes.
fn growth(c: &mut Criterion) {
    let mut group = c.benchmark_group("growth");
    group.throughput(Throughput::Elements(KEYS as u64));
    let sets: [Set; 2] = [
        (10, routes_10::PATTERNS, derived::<routes_10::RowKeys>),
        (1_000, routes_1k::PATTERNS, derived::<routes_1k::RowKeys>),
    ];
    for (size, patterns, lookups) in sets.into_iter().chain(set_10k()) {
        let keys = keys(patterns, KEYS, 0x5EED);
        let m_keys: Vec<String> = keys.iter().map(|k| matchit_key(k)).collect();
        let matchit = matchit_router(patterns);
        group.bench_with_input(
            BenchmarkId::new("derive(RowKeySchema)", size),
            &keys,
            |b, keys| b.iter(|| lookups(keys)),
        );
        group.bench_with_input(BenchmarkId::new("matchit", size), &m_keys, |b, keys| {
            b.iter(|| matchit_lookups(&matchit, keys))
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    targets = routers, growth
}
criterion_main!(benches);
