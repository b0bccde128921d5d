#!/usr/bin/env bash
# heapscope benchmarks. Each section is its own script; add new sections below.
#   bench/run.sh [FILE]   FILE defaults to the newest bench/out/*.heapsnapshot; make one with
#                         node --max-old-space-size=8192 bench/gen-large.js
set -euo pipefail
cd "$(dirname "$0")/.."
FILE=${1:-$(ls -t bench/out/*.heapsnapshot 2>/dev/null | head -n 1 || true)}
[[ -n "$FILE" && -f "$FILE" ]] || {
  echo "bench: no snapshot; run: node --max-old-space-size=8192 bench/gen-large.js" >&2
  exit 2
}

echo "== analyze against the SAX pass, DevTools and memlab (bench/bench_analyze.sh) =="
bash bench/bench_analyze.sh "$FILE"

echo
echo "== Loading (bench/bench_load.sh) =="
bash bench/bench_load.sh "$FILE"

echo
echo "== Graph and dominators (bench/bench_graph.sh) =="
bash bench/bench_graph.sh "$FILE"

echo
echo "== Cluster sizing, few vs many closure sites (bench/bench_sites.sh) =="
bash bench/bench_sites.sh
