#!/usr/bin/env bash
# How long `new --from-openapi --dry-run` takes to plan a provider from a spec of 1,000
# operations (benches/openapi/gen_spec.py: 250 synced rows with their get, patch and
# delete), against `cargo new --lib` timed in the same run. Floor: under a second.
#
#   bash benches/openapi/run.sh [RUNS]
set -euo pipefail
runs="${1:-11}"
here="$(cd "$(dirname "$0")/../.." && pwd)"
target="${CARGO_TARGET_DIR:-$here/target}"
cargo build --quiet --release -p tento-scaffold --manifest-path "$here/Cargo.toml"
scaffold="$target/release/tento-scaffold"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 "$here/benches/openapi/gen_spec.py" > "$work/spec.json"
operations=$(grep -c '"operationId"' "$work/spec.json")

now() { date +%s%N; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
: > "$work/plan.ns"
: > "$work/cargo.ns"
for i in $(seq 1 "$runs"); do
    start=$(now)
    (cd "$work" && "$scaffold" --quiet new bench --no-host --host . --from-openapi spec.json --dry-run > /dev/null)
    echo $(( $(now) - start )) >> "$work/plan.ns"
    start=$(now)
    (cd "$work" && cargo new --lib --quiet "crate$i")
    echo $(( $(now) - start )) >> "$work/cargo.ns"
done
ms() { median < "$1" | awk '{ printf "%.1f", $1 / 1e6 }'; }
plan=$(ms "$work/plan.ns")
cargo_new=$(ms "$work/cargo.ns")
echo "spec: $operations operations"
echo "new --from-openapi --dry-run: $plan ms (median of $runs; floor 1000 ms)"
echo "cargo new --lib:              $cargo_new ms"
awk -v a="$plan" -v b="$cargo_new" 'BEGIN { printf "ratio (plan / cargo new): %.2f\n", a / b }'
