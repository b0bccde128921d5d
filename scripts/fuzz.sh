#!/usr/bin/env bash
# The fuzz lane: builds the libFuzzer targets (tests/fuzz/) with clang 16 in build-fuzz/, replays
# every committed corpus input through its target, then fuzzes each target for FUZZ_SECONDS
# (default 30), $(nproc) targets at a time. Any crash, sanitizer report, leak or timeout fails.
#   bash scripts/fuzz.sh                          every target
#   FUZZ_SECONDS=3600 bash scripts/fuzz.sh snapshot metrics_api   a longer run of two targets
#   bash scripts/fuzz.sh --configure              only configure build-fuzz/ (scripts/test.sh's
#                                                 sanitizer lane builds the whole suite in it)
# New inputs go to build-fuzz/fuzz-corpus/<target>/ (the committed corpus is never written);
# a crash leaves build-fuzz/fuzz-artifacts/<target>-crash-*: fix it, then add the input to
# tests/fuzz/corpus/<target>/ as a regression input. Logs: build-fuzz/fuzz-logs/<target>.log.
set -euo pipefail
cd "$(dirname "$0")/.."

B=build-fuzz
# The instrumented build shared by the fuzz and sanitizer lanes; its flags: CMakeLists.txt.
configure() {
  CC=clang-16 CXX=clang++-16 cmake -S . -B "$B" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DHEAPSCOPE_FUZZ=ON >/dev/null
}
if [[ "${1:-}" == --configure ]]; then configure; exit; fi

TARGETS=(snapshot snapshot_gzip metrics_text metrics_api metrics_csv metrics_dataframe policy
  baseline analysis profile sourcemap)
declare -A DICT=([snapshot]=snapshot [snapshot_gzip]="" [analysis]=snapshot
  [metrics_text]=text [metrics_api]=metrics_json [metrics_dataframe]=metrics_json
  [metrics_csv]=csv [policy]=config [baseline]=config
  [profile]=config [sourcemap]=config)
if (($#)); then TARGETS=("$@"); fi
for t in "${TARGETS[@]}"; do
  [[ -v "DICT[$t]" ]] || { echo "fuzz: no target '$t' (targets: ${!DICT[*]})" >&2; exit 2; }
done
FUZZ_SECONDS=${FUZZ_SECONDS:-30}

lane_start=$SECONDS
configure
cmake --build "$B" -j"$(nproc)" --target "${TARGETS[@]/#/fuzz_}"
echo "fuzz: build took $((SECONDS - lane_start)) s"

# Every report is fatal; the one suppression is RapidJSON 1.1.0's (scripts/ubsan.supp).
export ASAN_OPTIONS=abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:suppressions="$PWD/scripts/ubsan.supp"
FLAGS=(-timeout=30 -rss_limit_mb=2048 -max_len=16384)

lane_start=$SECONDS
for t in "${TARGETS[@]}"; do
  mapfile -d '' inputs < <(find "tests/fuzz/corpus/$t" -type f -print0 | sort -z)
  if ! "$B/fuzz_$t" "${FLAGS[@]}" "${inputs[@]}" >"$B/fuzz-replay-$t.log" 2>&1; then
    tail -n 60 "$B/fuzz-replay-$t.log" >&2
    echo "fuzz: replaying tests/fuzz/corpus/$t failed (log: $B/fuzz-replay-$t.log)" >&2
    exit 1
  fi
  echo "fuzz: replayed ${#inputs[@]} inputs through fuzz_$t"
done
echo "fuzz: replay took $((SECONDS - lane_start)) s"

((FUZZ_SECONDS > 0)) || exit 0
lane_start=$SECONDS
mkdir -p "$B/fuzz-logs" "$B/fuzz-artifacts"
fuzz_one() {
  local t=$1 dict=$2 seconds=$3 b=$4
  local args=(-max_total_time="$seconds" -print_final_stats=1
    -artifact_prefix="$b/fuzz-artifacts/$t-")
  [[ -n "$dict" ]] && args+=(-dict="tests/fuzz/$dict.dict")
  mkdir -p "$b/fuzz-corpus/$t"
  if "$b/fuzz_$t" -timeout=30 -rss_limit_mb=2048 -max_len=16384 "${args[@]}" \
      "$b/fuzz-corpus/$t" "tests/fuzz/corpus/$t" >"$b/fuzz-logs/$t.log" 2>&1; then
    echo "fuzz: $t: $(grep -E '^#[0-9]+.*DONE' "$b/fuzz-logs/$t.log" | tail -n 1)"
  else
    tail -n 60 "$b/fuzz-logs/$t.log" >&2
    echo "fuzz: $t FAILED: $(ls "$b/fuzz-artifacts/$t-"* 2>/dev/null | tr '\n' ' ')(log: $b/fuzz-logs/$t.log)" >&2
    return 1
  fi
}
export -f fuzz_one
status=0
for t in "${TARGETS[@]}"; do printf '%s\0%s\0' "$t" "${DICT[$t]}"; done |
  xargs -0 -n 2 -P "$(nproc)" bash -c 'fuzz_one "$1" "$2" '"$FUZZ_SECONDS $B" _ || status=1
echo "fuzz: fuzzing took $((SECONDS - lane_start)) s (${FUZZ_SECONDS} s per target, $(nproc) at a time)"
exit "$status"
