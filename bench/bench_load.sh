#!/usr/bin/env bash
# Loader benchmark: on ONE snapshot file, in one run, measures
#   cat FILE > /dev/null               (reading the bytes; the page cache is warmed first)
#   heapscope_bench_sax_noop FILE      (a no-op RapidJSON SAX pass: the floor for the parser)
#   heapscope summary FILE --top 1 --no-retained   (the loader, plus the O(nodes) class summary)
# each REPEAT times (default 3; the best wall time and the best CPU time, user + system, are
# kept), with peak RSS from /usr/bin/time -v, and prints a table with the ratios. On a shared
# machine the CPU-time ratio is the steadier one. Usage: bench/bench_load.sh FILE
# Environment: BUILD_DIR (default: build), REPEAT (default: 3).
set -euo pipefail
cd "$(dirname "$0")/.."

FILE=${1:?usage: bench/bench_load.sh FILE.heapsnapshot}
BUILD_DIR=${BUILD_DIR:-build}
REPEAT=${REPEAT:-3}
HEAPSCOPE="$BUILD_DIR/heapscope"
SAX="$BUILD_DIR/heapscope_bench_sax_noop"
[[ -x /usr/bin/time ]] || { echo "bench_load: /usr/bin/time missing (apt-get install time)" >&2; exit 2; }
[[ -x "$HEAPSCOPE" ]] || { echo "bench_load: $HEAPSCOPE not built" >&2; exit 2; }
if [[ ! -x "$SAX" ]]; then
  # bench/ not part of the CMake build yet: compile it the way CMake's Release build would.
  SAX=bench/out/heapscope_bench_sax_noop
  mkdir -p bench/out
  if [[ ! -x "$SAX" || bench/sax_noop.cc -nt "$SAX" ]]; then
    c++ -std=c++20 -O3 -DNDEBUG bench/sax_noop.cc -o "$SAX"
  fi
fi

size=$(stat -c %s "$FILE")
cat "$FILE" > /dev/null  # warm the page cache so every command reads from memory

# measure CMD... : best wall seconds, best CPU seconds (user+sys) and peak RSS (KiB) of
# REPEAT runs -> WALL, CPU, RSS
measure() {
  local best_wall="" best_cpu="" best_rss=0 out
  for ((i = 0; i < REPEAT; i++)); do
    out=$( { /usr/bin/time -v "$@" > /dev/null; } 2>&1 ) || { echo "$out" >&2; exit 2; }
    local wall cpu rss
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' <<<"$out" |
           awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
    cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' <<<"$out")
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' <<<"$out")
    if [[ -z "$best_wall" ]] || awk -v a="$wall" -v b="$best_wall" 'BEGIN{exit !(a < b)}'; then
      best_wall=$wall
    fi
    if [[ -z "$best_cpu" ]] || awk -v a="$cpu" -v b="$best_cpu" 'BEGIN{exit !(a < b)}'; then
      best_cpu=$cpu
    fi
    ((rss > best_rss)) && best_rss=$rss
  done
  WALL=$best_wall
  CPU=$best_cpu
  RSS=$best_rss
}

measure cat "$FILE";                            cat_wall=$WALL; cat_cpu=$CPU; cat_rss=$RSS
measure "$SAX" "$FILE";                         sax_wall=$WALL; sax_cpu=$CPU; sax_rss=$RSS
measure "$HEAPSCOPE" -q summary "$FILE" --top 1 --no-retained; hs_wall=$WALL; hs_cpu=$CPU; hs_rss=$RSS

nodes_edges=$("$HEAPSCOPE" -q summary "$FILE" --top 1 --no-retained | awk '/^Nodes|^Edges/ {printf "%s %s  ", $1, $2}')

awk -v f="$FILE" -v size="$size" -v ne="$nodes_edges" -v rep="$REPEAT" \
    -v cw="$cat_wall" -v cc="$cat_cpu" -v cr="$cat_rss" \
    -v sw="$sax_wall" -v sc="$sax_cpu" -v sr="$sax_rss" \
    -v hw="$hs_wall" -v hc="$hs_cpu" -v hr="$hs_rss" -v cpus="$(nproc)" \
    -v load="$(cut -d' ' -f1-3 /proc/loadavg)" 'BEGIN {
  mb = size / 1e6
  printf "file      %s\n", f
  printf "size      %.1f MB (%d bytes); %s\n", mb, size, ne
  printf "machine   %d cores, load average %s; best of %d runs each; page cache warm\n\n", cpus, load, rep
  printf "%-28s %8s %8s %9s %12s %10s\n", "step", "wall s", "CPU s", "MB/s wall", "peak RSS MB", "RSS/file"
  printf "%-28s %8.2f %8.2f %9.0f %12.1f %10.2f\n", "cat FILE > /dev/null", cw, cc, mb / cw, cr / 1024, cr * 1024 / size
  printf "%-28s %8.2f %8.2f %9.0f %12.1f %10.2f\n", "no-op RapidJSON SAX pass", sw, sc, mb / sw, sr / 1024, sr * 1024 / size
  printf "%-28s %8.2f %8.2f %9.0f %12.1f %10.2f\n", "heapscope summary (load)", hw, hc, mb / hw, hr / 1024, hr * 1024 / size
  printf "\nheapscope / no-op SAX: %.2fx wall, %.2fx CPU (goal <= 1.5x);  heapscope / cat: %.1fx wall\n", hw / sw, hc / sc, hw / cw
  printf "peak RSS / file size: %.2f (goal < 1)\n", hr * 1024 / size
}'
