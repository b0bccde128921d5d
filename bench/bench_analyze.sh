#!/usr/bin/env bash
# The headline benchmark of docs/performance.md: on ONE snapshot, in one run,
#   heapscope_bench_sax_noop FILE            a no-op RapidJSON SAX pass (plain files; the floor)
#   heapscope analyze FILE --format json     load, distances, dominators, retained sizes, leak
#                                            detection, clusters, the JSON report
#   heapscope analyze, one thread            HEAPSCOPE_THREADS=1 (what oneTBB brings)
#   heapscope analyze, zlib                  HEAPSCOPE_INFLATE=zlib (gzip files: ISA-L vs zlib)
#   Chrome DevTools' model                   tests/devtools/devtools_dump.mjs (SKIP_DEVTOOLS=1)
#   memlab's getFullHeapFromFile             @memlab/heap-analysis, installed here at bench time
#                                            at the pinned MEMLAB_VERSION (SKIP_MEMLAB=1)
# heapscope and the SAX pass run REPEAT times (best wall and best CPU kept), the Node tools once.
# Peak RSS from /usr/bin/time -v; the load average is printed before and after, since timings
# on a shared machine are upper bounds. The run also checks that the report names the planted
# leak of bench/gen_snapshot.cc files (presence.handler.js:32:37) when the file has one.
# Usage: bench/bench_analyze.sh FILE
# Environment: BUILD_DIR (build), REPEAT (3), NODE_HEAP_MB (16000), MEMLAB_VERSION (2.0.5),
# MODEL_DIR ($BUILD_DIR/devtools-model), SKIP_DEVTOOLS, SKIP_MEMLAB.
set -euo pipefail
cd "$(dirname "$0")/.."

FILE=${1:?usage: bench/bench_analyze.sh FILE.heapsnapshot[.gz]}
BUILD_DIR=${BUILD_DIR:-build}
REPEAT=${REPEAT:-3}
NODE_HEAP_MB=${NODE_HEAP_MB:-16000}
MEMLAB_VERSION=${MEMLAB_VERSION:-2.0.5}
MODEL_DIR=${MODEL_DIR:-$BUILD_DIR/devtools-model}
HEAPSCOPE="$BUILD_DIR/heapscope"
SAX="$BUILD_DIR/heapscope_bench_sax_noop"
[[ -x /usr/bin/time ]] || { echo "bench_analyze: /usr/bin/time missing (apt-get install time)" >&2; exit 2; }
[[ -x "$HEAPSCOPE" && -x "$SAX" ]] || { echo "bench_analyze: build $HEAPSCOPE and $SAX first" >&2; exit 2; }
mkdir -p bench/out
size=$(stat -c %s "$FILE")
gzip=0
[[ "$(head -c 2 "$FILE" | od -An -tx1 | tr -d ' ')" == 1f8b ]] && gzip=1
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
cat "$FILE" > /dev/null

# run LABEL CMD... : one run under /usr/bin/time -v -> W (wall s), C (user+sys s), R (KiB), OK
run() {
  local out
  out=$( { /usr/bin/time -v "$@" > /dev/null; } 2>&1 ) && OK=1 || { OK=0; echo "$out" | tail -5 >&2; }
  W=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' <<<"$out" |
      awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
  C=$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' <<<"$out")
  R=$(awk -F': ' '/Maximum resident set size/ {print $2}' <<<"$out")
  LAST_OUT=$out
}
# best LABEL CMD... : best of REPEAT -> BW, BC, BR (peak of the runs)
best() {
  BW="" BC="" BR=0
  for ((i = 0; i < REPEAT; i++)); do
    run "$@"
    [[ $OK == 1 ]] || { BW=""; return; }
    [[ -z "$BW" ]] || awk -v a="$W" -v b="$BW" 'BEGIN{exit !(a < b)}' && BW=$W
    [[ -z "$BC" ]] || awk -v a="$C" -v b="$BC" 'BEGIN{exit !(a < b)}' && BC=$C
    if ((R > BR)); then BR=$R; fi
  done
}
row() { printf '%-40s %9s %9s %11s %9s\n' "$@"; }
mb() { awk -v k="$1" 'BEGIN{printf "%.0f", k / 1024}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (a == "" || b == "" || b == 0) print "-"; else printf "%.2f", a / b }'; }

echo "file      $FILE ($(awk -v s="$size" 'BEGIN{printf "%.1f MB", s / 1e6}'), $([[ $gzip == 1 ]] && echo gzip || echo plain))"
echo "machine   $(nproc) cores; load average at start $load_before; best of $REPEAT (heapscope, SAX), Node tools once"
echo
row "step" "wall s" "CPU s" "peak RSS MB" "RSS/file"
sax_w="" sax_c=""
if [[ $gzip == 0 ]]; then
  best "$SAX" "$FILE"; sax_w=$BW sax_c=$BC
  row "no-op RapidJSON SAX pass" "$BW" "$BC" "$(mb "$BR")" "$(ratio $((BR * 1024)) "$size")"
fi
best "$HEAPSCOPE" -q analyze "$FILE" --format json -o bench/out/bench-report.json
hs_w=$BW hs_c=$BC hs_r=$BR
row "heapscope analyze (all threads)" "$BW" "$BC" "$(mb "$BR")" "$(ratio $((BR * 1024)) "$size")"
best env HEAPSCOPE_THREADS=1 "$HEAPSCOPE" -q analyze "$FILE" --format json -o /dev/null
row "heapscope analyze (1 thread)" "$BW" "$BC" "$(mb "$BR")" "$(ratio $((BR * 1024)) "$size")"
if [[ $gzip == 1 ]]; then
  best env HEAPSCOPE_INFLATE=zlib "$HEAPSCOPE" -q analyze "$FILE" --format json -o /dev/null
  row "heapscope analyze (zlib inflate)" "$BW" "$BC" "$(mb "$BR")" "$(ratio $((BR * 1024)) "$size")"
fi

dt_w="" dt_c=""
if [[ "${SKIP_DEVTOOLS:-0}" != 1 ]]; then
  node tests/devtools/prepare_model.mjs "$MODEL_DIR" > /dev/null
  run node --max-old-space-size="$NODE_HEAP_MB" tests/devtools/devtools_dump.mjs "$MODEL_DIR" "$FILE" -
  if [[ $OK == 1 ]]; then
    dt_w=$W dt_c=$C
    row "DevTools model (load + buildSnapshot)" "$W" "$C" "$(mb "$R")" "$(ratio $((R * 1024)) "$size")"
  else
    row "DevTools model" "failed" "" "" ""
  fi
fi

ml_w="" ml_c=""
if [[ "${SKIP_MEMLAB:-0}" != 1 ]]; then
  ml=bench/out/memlab-$MEMLAB_VERSION
  if [[ ! -d "$ml/node_modules/@memlab/heap-analysis" ]]; then
    mkdir -p "$ml"
    # puppeteer comes with memlab's packages; its browser download is not needed here.
    (cd "$ml" && PUPPETEER_SKIP_DOWNLOAD=1 npm install --no-audit --no-fund --loglevel=error \
       "@memlab/heap-analysis@$MEMLAB_VERSION" > /dev/null)
  fi
  run node --max-old-space-size="$NODE_HEAP_MB" -e '
    const {getFullHeapFromFile} = require(process.argv[1] + "/node_modules/@memlab/heap-analysis");
    getFullHeapFromFile(process.argv[2]).then(() => process.exit(0), e => { console.error(e); process.exit(1); });
  ' "$(pwd)/$ml" "$FILE"
  if [[ $OK == 1 ]]; then
    ml_w=$W ml_c=$C
    row "memlab $MEMLAB_VERSION getFullHeapFromFile" "$W" "$C" "$(mb "$R")" "$(ratio $((R * 1024)) "$size")"
  else
    row "memlab getFullHeapFromFile" "failed" "" "" ""
  fi
fi

echo
[[ -n "$sax_w" ]] && echo "heapscope / no-op SAX: $(ratio "$hs_w" "$sax_w")x wall, $(ratio "$hs_c" "$sax_c")x CPU (goal <= 1.0)"
echo "heapscope peak RSS / file size: $(ratio $((hs_r * 1024)) "$size") (goal <= 1.0)"
[[ -n "$dt_w" ]] && echo "DevTools / heapscope: $(ratio "$dt_w" "$hs_w")x wall, $(ratio "$dt_c" "$hs_c")x CPU (goal >= 30)"
[[ -n "$ml_w" ]] && echo "memlab / heapscope: $(ratio "$ml_w" "$hs_w")x wall, $(ratio "$ml_c" "$hs_c")x CPU (goal >= 30)"
if grep -q 'presence.handler.js' bench/out/bench-report.json; then
  echo "planted leak: $(grep -o '"file": *"[^"]*presence.handler.js"' bench/out/bench-report.json | head -1) named"
fi
echo "load average at end $(cut -d' ' -f1-3 /proc/loadavg)"
