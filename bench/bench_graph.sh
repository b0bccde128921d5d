#!/usr/bin/env bash
# Graph and dominators benchmark: on ONE snapshot file, in one run, measures
#   heapscope retained FILE --top 1 --timings   load, retainers (reverse CSR), distances,
#                                               shallow sizes, dominators, retained sizes
#   Chrome DevTools' own model on the same file (tests/devtools/devtools_dump.mjs, timings
#                                               only): load (JSON parse) and processing
#   memlab's getFullHeapFromFile, if @memlab/api is installed in bench/ or tests/devtools/
# heapscope runs REPEAT times (default 3; the run with the best total is kept); the Node tools
# run once (they take minutes on large files). Peak RSS from /usr/bin/time -v. Prints a table
# with the ratios. Usage: bench/bench_graph.sh FILE
# Environment: BUILD_DIR (default: build), REPEAT (default: 3), MODEL_DIR (default:
# $BUILD_DIR/devtools-model, made by tests/devtools/prepare_model.mjs), NODE_HEAP_MB (default
# 12000: --max-old-space-size for the Node tools), SKIP_DEVTOOLS=1 to time heapscope alone.
set -euo pipefail
cd "$(dirname "$0")/.."

FILE=${1:?usage: bench/bench_graph.sh FILE.heapsnapshot}
BUILD_DIR=${BUILD_DIR:-build}
REPEAT=${REPEAT:-3}
MODEL_DIR=${MODEL_DIR:-$BUILD_DIR/devtools-model}
NODE_HEAP_MB=${NODE_HEAP_MB:-12000}
HEAPSCOPE="$BUILD_DIR/heapscope"
[[ -x /usr/bin/time ]] || { echo "bench_graph: /usr/bin/time missing (apt-get install time)" >&2; exit 2; }
[[ -x "$HEAPSCOPE" ]] || { echo "bench_graph: $HEAPSCOPE not built" >&2; exit 2; }
cat "$FILE" > /dev/null  # warm the page cache

rss_of() { awk -F': ' '/Maximum resident set size/ {print $2}' <<<"$1"; }
cpu_of() { awk -F': ' '/User time|System time/ {s += $2} END {print s}' <<<"$1"; }  # user + sys s

# heapscope: best of REPEAT by total.
best_total="" best_line="" hs_rss=0 hs_cpu=
for ((i = 0; i < REPEAT; i++)); do
  out=$( { /usr/bin/time -v "$HEAPSCOPE" -q retained "$FILE" --top 1 --timings > /dev/null; } 2>&1 ) ||
    { echo "$out" >&2; exit 2; }
  line=$(grep '^timings_ms' <<<"$out")
  total=$(sed -E 's/.* total=([0-9.]+).*/\1/' <<<"$line")
  rss=$(rss_of "$out")
  ((rss > hs_rss)) && hs_rss=$rss
  if [[ -z "$best_total" ]] || awk -v a="$total" -v b="$best_total" 'BEGIN{exit !(a < b)}'; then
    best_total=$total
    best_line=$line
    hs_cpu=$(cpu_of "$out")
  fi
done
field() { sed -E "s/.* $1=([0-9.]+).*/\1/" <<<"$best_line"; }

dt_load="" dt_process="" dt_rss="" dt_cpu=""
if [[ "${SKIP_DEVTOOLS:-0}" != 1 ]]; then
  node tests/devtools/prepare_model.mjs "$MODEL_DIR"
  out=$( { /usr/bin/time -v node --max-old-space-size="$NODE_HEAP_MB" tests/devtools/devtools_dump.mjs \
           "$MODEL_DIR" "$FILE" - ; } 2>&1 ) || { echo "$out" | tail -20 >&2; echo "bench_graph: DevTools failed" >&2; }
  line=$(grep '^devtools_ms' <<<"$out" || true)
  if [[ -n "$line" ]]; then
    dt_load=$(sed -E 's/.* load=([0-9.]+).*/\1/' <<<"$line")
    dt_process=$(sed -E 's/.* process=([0-9.]+).*/\1/' <<<"$line")
    dt_rss=$(rss_of "$out")
    dt_cpu=$(cpu_of "$out")
  fi
fi

ml_total="" ml_rss="" ml_cpu=""
for dir in bench tests/devtools; do
  if [[ -d "$dir/node_modules/@memlab/api" ]]; then
    out=$( { /usr/bin/time -v node --max-old-space-size="$NODE_HEAP_MB" -e '
      const {getFullHeapFromFile} = require(process.argv[1] + "/node_modules/@memlab/api");
      const t0 = performance.now();
      getFullHeapFromFile(process.argv[2]).then(() => {
        console.error("memlab_ms total=" + (performance.now() - t0).toFixed(1)); process.exit(0); });
    ' "$(pwd)/$dir" "$FILE"; } 2>&1 ) || true
    line=$(grep '^memlab_ms' <<<"$out" || true)
    [[ -n "$line" ]] && ml_total=$(sed -E 's/.* total=([0-9.]+).*/\1/' <<<"$line") && ml_rss=$(rss_of "$out") && ml_cpu=$(cpu_of "$out")
    break
  fi
done

awk -v f="$FILE" -v size="$(stat -c %s "$FILE")" -v rep="$REPEAT" -v cpus="$(nproc)" \
    -v load="$(field load)" -v ret="$(field retainers)" -v dist="$(field distances)" \
    -v shal="$(field shallow)" -v dom="$(field dominators)" -v rsz="$(field retained)" \
    -v out="$(field output)" -v total="$(field total)" -v nodes="$(field nodes)" -v edges="$(field edges)" \
    -v hsrss="$hs_rss" -v dtl="$dt_load" -v dtp="$dt_process" -v dtrss="$dt_rss" \
    -v mlt="$ml_total" -v mlrss="$ml_rss" -v hscpu="$hs_cpu" -v dtcpu="$dt_cpu" -v mlcpu="$ml_cpu" \
    -v la="$(cut -d' ' -f1-3 /proc/loadavg)" 'BEGIN {
  printf "file      %s\n", f
  printf "size      %.1f MB; %d nodes, %d edges\n", size / 1e6, nodes, edges
  printf "machine   %d cores, load average %s; heapscope best of %d runs, Node tools 1 run; page cache warm\n\n", cpus, la, rep
  printf "%-48s %10s\n", "heapscope step", "wall s"
  printf "%-48s %10.2f\n", "load (parse into the model)", load / 1000
  printf "%-48s %10.2f\n", "retainers (reverse CSR)", ret / 1000
  printf "%-48s %10.2f\n", "distances", dist / 1000
  printf "%-48s %10.2f\n", "shallow-size reassignment", shal / 1000
  printf "%-48s %10.2f\n", "dominators (essential edges + Lengauer-Tarjan)", dom / 1000
  printf "%-48s %10.2f\n", "retained sizes", rsz / 1000
  printf "%-48s %10.2f\n", "sort + output (--top 1)", out / 1000
  printf "%-48s %10.2f   CPU %.2f s, peak RSS %.0f MB\n", "total", total / 1000, hscpu, hsrss / 1024
  analysis = dist + shal + dom + rsz
  printf "\ndistances + shallow + dominators + retained = %.2f s = %.2f x load (goal < 1)\n", analysis / 1000, analysis / load
  printf "with the retainer index: %.2f s = %.2f x load\n", (analysis + ret) / 1000, (analysis + ret) / load
  if (dtl != "") {
    dt = dtl + dtp
    printf "\nDevTools model: load %.2f s + processing %.2f s = %.2f s wall, CPU %.2f s, peak RSS %.0f MB\n", dtl / 1000, dtp / 1000, dt / 1000, dtcpu, dtrss / 1024
    printf "DevTools / heapscope end to end: %.1f x wall, %.1f x CPU (goal >= 10); processing only (wall): %.1f x\n", dt / total, dtcpu / hscpu, dtp / (total - load - out)
  } else {
    printf "\nDevTools model: not run\n"
  }
  if (mlt != "") printf "memlab getFullHeapFromFile: %.2f s wall, CPU %.2f s, peak RSS %.0f MB; memlab / heapscope = %.1f x wall, %.1f x CPU\n", mlt / 1000, mlcpu, mlrss / 1024, mlt / total, mlcpu / hscpu
  else printf "memlab: @memlab/api not installed in bench/ or tests/devtools/ (skipped)\n"
}'
