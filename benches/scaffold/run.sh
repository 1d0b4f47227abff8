#!/usr/bin/env bash
# Speed of the scaffold against `cargo new --lib`, timed in the same run.
#
#   bash benches/scaffold/run.sh [RUNS]
#
# Builds tento-scaffold (release), grows a host to 100 providers with it, then times
# RUNS interleaved runs of each command and prints the medians and their ratio:
#   new --dry-run    planning a new provider into the 100-provider host
#   cargo new --lib  creating a library crate (with git init, as cargo does by default)
set -euo pipefail
runs="${1:-21}"
here="$(cd "$(dirname "$0")/../.." && pwd)"
target="${CARGO_TARGET_DIR:-$here/target}"
cargo build --quiet --release -p tento-scaffold --manifest-path "$here/Cargo.toml"
scaffold="$target/release/tento-scaffold"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$scaffold" --quiet init "$work/host" --tento-path "$here/tento"
for i in $(seq 1 100); do
    "$scaffold" --quiet new "provider$i" --host "$work/host" --rows activities,sleep
done

now() { date +%s%N; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
: > "$work/new.ns"
: > "$work/cargo.ns"
for i in $(seq 1 "$runs"); do
    start=$(now)
    "$scaffold" --quiet new bench --host "$work/host" --rows activities,sleep --sync-plugin --dry-run > /dev/null
    echo $(( $(now) - start )) >> "$work/new.ns"
    start=$(now)
    (cd "$work" && cargo new --lib --quiet "crate$i")
    echo $(( $(now) - start )) >> "$work/cargo.ns"
done
new_ms=$(median < "$work/new.ns" | awk '{ printf "%.1f", $1 / 1e6 }')
cargo_ms=$(median < "$work/cargo.ns" | awk '{ printf "%.1f", $1 / 1e6 }')
ratio=$(awk -v a="$new_ms" -v b="$cargo_ms" 'BEGIN { printf "%.2f", a / b }')
echo "host: 100 providers x 2 rows; $runs runs each, medians"
echo "tento-scaffold new --dry-run  ${new_ms} ms"
echo "cargo new --lib               ${cargo_ms} ms"
echo "ratio (scaffold / cargo new)  ${ratio}"
