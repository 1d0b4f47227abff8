#!/usr/bin/env bash
# Speed of the scaffold against `cargo new --lib`, timed in the same run.
#
#   bash benches/scaffold/run.sh [RUNS]
#
# Builds tento-scaffold (release) and grows two hosts with it: 100 providers of 2 rows
# (issue 5's host for `new`) and 100 providers of 10 synced rows with sync plugins
# (issue 6's host for `add-row` and `check`, and `new` again). Then times RUNS
# interleaved runs of each command and prints the medians and their ratios to
# `cargo new --lib`:
#   new --dry-run      planning a new provider into the host
#   add-row --dry-run  planning a row into one of its providers
#   check              reading the host and its 100 providers, reporting drift
#   cargo new --lib    creating a library crate (with git init, as cargo does by default)
set -euo pipefail
runs="${1:-21}"
here="$(cd "$(dirname "$0")/../.." && pwd)"
target="${CARGO_TARGET_DIR:-$here/target}"
cargo build --quiet --release -p tento-scaffold --manifest-path "$here/Cargo.toml"
scaffold="$target/release/tento-scaffold"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$scaffold" --quiet init "$work/small" --tento-path "$here/tento"
for i in $(seq 1 100); do
    "$scaffold" --quiet new "provider$i" --host "$work/small" --rows activities,sleep
done
"$scaffold" --quiet init "$work/host" --tento-path "$here/tento"
rows=activities,sleep,steps,weight,heart,spo2,hrv,stress,calories,distance
for i in $(seq 1 100); do
    "$scaffold" --quiet new "provider$i" --host "$work/host" --rows "$rows" --sync-plugin
done
"$scaffold" --quiet check --host "$work/host"

now() { date +%s%N; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
for f in small new add check cargo; do : > "$work/$f.ns"; : > "$work/$f.cpu"; done
# Each run's wall time, and with GNU time also its CPU time (user + system, rustfmt's
# included): CPU time moves less than wall time when other work shares the cores.
timed() {
    local out="$1"; shift
    local start; start=$(now)
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -f "%U %S" -a -o "$out.cpu" "$@" > /dev/null
    else
        "$@" > /dev/null
    fi
    echo $(( $(now) - start )) >> "$out.ns"
}
for i in $(seq 1 "$runs"); do
    timed "$work/small" "$scaffold" --quiet new bench --host "$work/small" --rows activities,sleep --sync-plugin --dry-run
    timed "$work/new" "$scaffold" --quiet new bench --host "$work/host" --rows activities,sleep --sync-plugin --dry-run
    timed "$work/add" "$scaffold" --quiet add-row bench --provider provider50 --host "$work/host" --logs --dry-run
    timed "$work/check" "$scaffold" --quiet check --host "$work/host"
    timed "$work/cargo" cargo new --lib --quiet "$work/crate$i"
done
ms() { median < "$1" | awk '{ printf "%.1f", $1 / 1e6 }'; }
cpu_ms() { awk '{ print ($1 + $2) * 1000 }' "$1" | median; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
small_ms=$(ms "$work/small.ns")
new_ms=$(ms "$work/new.ns")
add_ms=$(ms "$work/add.ns")
check_ms=$(ms "$work/check.ns")
cargo_ms=$(ms "$work/cargo.ns")
echo "$runs runs each, medians"
echo "host of 100 providers x 2 rows:"
echo "tento-scaffold new --dry-run      ${small_ms} ms  ratio $(ratio "$small_ms" "$cargo_ms")"
echo "host of 100 providers x 10 synced rows with sync plugins:"
echo "tento-scaffold new --dry-run      ${new_ms} ms  ratio $(ratio "$new_ms" "$cargo_ms")"
echo "tento-scaffold add-row --dry-run  ${add_ms} ms  ratio $(ratio "$add_ms" "$cargo_ms")"
echo "tento-scaffold check              ${check_ms} ms  ratio $(ratio "$check_ms" "$cargo_ms")"
echo "cargo new --lib                   ${cargo_ms} ms"
if [ -s "$work/cargo.cpu" ]; then
    echo "CPU time (user + system, children included), medians:"
    for f in small new add check cargo; do
        echo "$f $(cpu_ms "$work/$f.cpu") ms  ratio $(ratio "$(cpu_ms "$work/$f.cpu")" "$(cpu_ms "$work/cargo.cpu")")"
    done
fi
