//! The 1,000-route benchmark's lookups, for profilers that count rather than time
//! (the VM has no hardware counters): `lookups derive|matchit N` looks the 10,000 bench
//! keys up N times and prints the hits. Instructions, cache misses and mispredicted
//! branches per lookup are the difference between two runs (N = 11 and N = 1) divided
//! by 100,000:
//!
//! ```sh
//! cargo build --release -p tento-bench-router --example lookups
//! valgrind --tool=callgrind target/release/examples/lookups derive 11
//! valgrind --tool=cachegrind --cache-sim=yes --branch-sim=yes target/release/examples/lookups derive 11
//! ```

use std::hint::black_box;

use tento::connector::RowKeySchema;
use tento_bench_router::{keys, matchit_key, matchit_router};

include!(concat!(env!("OUT_DIR"), "/routes_1k.rs"));

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(router), Some(times)) = (args.next(), args.next().and_then(|n| n.parse().ok())) else {
        eprintln!("usage: lookups derive|matchit N");
        std::process::exit(2);
    };
    let keys = keys(routes_1k::PATTERNS, 10_000, 0x5EED);
    let mut hits = 0;
    match router.as_str() {
        "derive" => {
            for _ in 0..times {
                hits += keys
                    .iter()
                    .filter(|k| <routes_1k::RowKeys as RowKeySchema>::resolve(black_box(k)).is_ok())
                    .count();
            }
        }
        "matchit" => {
            let keys: Vec<String> = keys.iter().map(|k| matchit_key(k)).collect();
            let matchit = matchit_router(routes_1k::PATTERNS);
            for _ in 0..times {
                hits += keys.iter().filter(|k| matchit.at(black_box(k)).is_ok()).count();
            }
        }
        other => {
            eprintln!("unknown router {other}: derive or matchit");
            std::process::exit(2);
        }
    }
    println!("{hits}");
}
