#!/usr/bin/env bash
# The big runs of docs/performance.md, one after the other, on generated snapshots
# (bench/gen_snapshot.cc) kept in DATA (default bench/out/data; point it at a disk with room).
#   medium   4.1M nodes (~350 MB, the size of issue #13's Node snapshot): bench_analyze.sh with
#            DevTools' model and memlab beside heapscope; the same file gzip-compressed
#   large    54M nodes (~4.6 GB): bench_analyze.sh (DevTools fails on strings this long; memlab
#            is tried with NODE_HEAP_MB)
#   series   three snapshots of the large size with the leak growing 150 -> 300 -> 450: analyze
#            of the series, peak RSS against the largest file
#   huge     100M nodes (~8.5 GB): heapscope alone
# Each needs the memory noted in docs/performance.md; run them on a quiet machine.
# Usage: bench/big_runs.sh [medium|large|series|huge]...   (default: all four)
# Environment: MEDIUM_NODES (4100000), LARGE_NODES (54000000), HUGE_NODES (100000000) to prove the
# script at a small scale (files are named after their node counts), BUILD_DIR, DATA.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
DATA=${DATA:-bench/out/data}
GEN="$BUILD_DIR/heapscope_gen_snapshot"
MEDIUM_NODES=${MEDIUM_NODES:-4100000}
LARGE_NODES=${LARGE_NODES:-54000000}
HUGE_NODES=${HUGE_NODES:-100000000}
mkdir -p "$DATA"
gen() {  # FILE ARGS...
  local f=$1; shift
  [[ -f "$f" ]] || nice -n 10 "$GEN" "$@" --out "$f"
}
for what in "${@:-medium large series huge}"; do
  for w in $what; do
    echo "== $w =="
    case $w in
      medium)
        f="$DATA/gen-$MEDIUM_NODES.heapsnapshot"
        gen "$f" --nodes "$MEDIUM_NODES"
        bash bench/bench_analyze.sh "$f"
        [[ -f "$f.gz" ]] || nice -n 10 gzip -6 -k "$f"
        SKIP_DEVTOOLS=1 SKIP_MEMLAB=1 bash bench/bench_analyze.sh "$f.gz" ;;
      large)
        gen "$DATA/gen-$LARGE_NODES.heapsnapshot" --nodes "$LARGE_NODES"
        REPEAT=${REPEAT:-2} bash bench/bench_analyze.sh "$DATA/gen-$LARGE_NODES.heapsnapshot" ;;
      series)
        s=$(( (LARGE_NODES - 5000 - 2300) / 58 * 8 ))
        p="$DATA/gen-$LARGE_NODES-leak"
        for k in 150 300 450; do gen "$p$k.heapsnapshot" --sessions "$s" --leak "$k"; done
        /usr/bin/time -v "$BUILD_DIR/heapscope" -q analyze "$p"{150,300,450}.heapsnapshot \
          --format json -o bench/out/series-report.json 2> bench/out/series-time.txt
        largest=$(stat -c %s "$p"450.heapsnapshot)
        awk -v size="$largest" -F': ' '/Elapsed|Maximum resident/ {print} /Maximum resident/ {
          printf "peak RSS / largest file: %.2f (goal <= 1.0)\n", $2 * 1024 / size }' bench/out/series-time.txt
        grep -o '"rule": *"[a-z-]*"' bench/out/series-report.json | head -1 ;;
      huge)
        gen "$DATA/gen-$HUGE_NODES.heapsnapshot" --nodes "$HUGE_NODES"
        REPEAT=1 SKIP_DEVTOOLS=1 SKIP_MEMLAB=1 bash bench/bench_analyze.sh "$DATA/gen-$HUGE_NODES.heapsnapshot" ;;
      *) echo "big_runs: unknown run $w" >&2; exit 2 ;;
    esac
  done
done
