#!/usr/bin/env bash
# Cluster-sizing benchmark: `heapscope analyze` on two generated snapshots with the same nodes,
# edges and sizes, one with few closure sites and one with many (bench/gen_sites.cc), in one
# run. Each cluster (site with 2+ closures) is sized over the dominator tree; that work must
# stay linear in nodes + members whatever the number of sites. Best of REPEAT wall times each,
# and the ratio many/few (goal: <= 1.2).
# Usage: bench/bench_sites.sh
# Environment: BUILD_DIR (default: build), REPEAT (default: 3), SESSIONS (default: 700000, about
# 3.5M nodes), FEW (default: 40), MANY (default: 12000).
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR=${BUILD_DIR:-build}
REPEAT=${REPEAT:-3}
SESSIONS=${SESSIONS:-700000}
FEW=${FEW:-40}
MANY=${MANY:-12000}
HEAPSCOPE="$BUILD_DIR/heapscope"
GEN="$BUILD_DIR/heapscope_bench_gen_sites"
[[ -x /usr/bin/time ]] || { echo "bench_sites: /usr/bin/time missing (apt-get install time)" >&2; exit 2; }
[[ -x "$HEAPSCOPE" ]] || { echo "bench_sites: $HEAPSCOPE not built" >&2; exit 2; }
[[ -x "$GEN" ]] || { echo "bench_sites: $GEN not built (BUILD_TESTING off?)" >&2; exit 2; }
mkdir -p bench/out

best_wall() {  # FILE -> best wall seconds of REPEAT runs of analyze
  local file=$1 best="" out wall
  for ((i = 0; i < REPEAT; i++)); do
    out=$( { /usr/bin/time -f 'wall=%e' "$HEAPSCOPE" -q analyze "$file" --format json \
      --output /dev/null; } 2>&1 ) || { echo "$out" >&2; exit 2; }
    wall=$(sed -nE 's/^wall=([0-9.]+)$/\1/p' <<<"$out")
    if [[ -z "$best" ]] || awk -v a="$wall" -v b="$best" 'BEGIN{exit !(a < b)}'; then best=$wall; fi
  done
  echo "$best"
}

declare -A wall
for sites in "$FEW" "$MANY"; do
  file="bench/out/sites-$SESSIONS-$sites.heapsnapshot"
  [[ -f "$file" ]] || "$GEN" --sessions "$SESSIONS" --sites "$sites" --out "$file"
  wall[$sites]=$(best_wall "$file")
  "$HEAPSCOPE" -q analyze "$file" --format json --output bench/out/sites-report.json
  nodes=$(grep -oE '"node_count": ?[0-9]+' bench/out/sites-report.json | head -n 1 | grep -oE '[0-9]+$')
  printf '%-8s sites  %10s nodes  analyze %6.2f s\n' "$sites" "${nodes:-?}" "${wall[$sites]}"
done
awk -v a="${wall[$MANY]}" -v b="${wall[$FEW]}" -v m="$MANY" -v f="$FEW" \
  'BEGIN{printf "ratio %s/%s sites: %.2fx (goal <= 1.20x)\n", m, f, a / b}'
