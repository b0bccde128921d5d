#!/usr/bin/env bash
# Sets everything up, builds, and runs every test (unit, CLI, reference server, validators), then
# the hardening lanes (docs/hardening.md):
#   fuzz lane (HEAPSCOPE_FUZZ_LANE, default 1): scripts/fuzz.sh builds the libFuzzer targets with
#     clang 16 in build-fuzz/ (library instrumented for libFuzzer, ASan and UBSan), replays the
#     committed corpus through every target and fuzzes each for FUZZ_SECONDS (default 30);
#   sanitizer lane (HEAPSCOPE_SANITIZER_LANE): 1 (default) runs gtest binaries built in that same
#     instrumented build-fuzz/: those of HEAPSCOPE_SANITIZER_STAGES (default: the CLI regression
#     tables and the loader, metrics and report tests, the ones whose cost was measured); "all"
#     instead builds the whole suite with gcc's ASan+UBSan in build-san/ and runs all of it;
#     0 skips. Every sanitizer report is fatal.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
lane_start=$SECONDS
ctest --test-dir build --output-on-failure -j"$(nproc)" --timeout 900
echo "test: plain suite took $((SECONDS - lane_start)) s"

if [[ "${HEAPSCOPE_FUZZ_LANE:-1}" != 0 ]]; then
  lane_start=$SECONDS
  bash scripts/fuzz.sh
  echo "test: fuzz lane took $((SECONDS - lane_start)) s"
fi

# detect_leaks=0: the CLI exits through paths that keep their allocations (as every process
# may); leaks are not what this lane is for. Everything else aborts the test that hit it.
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:suppressions="$PWD/scripts/ubsan.supp"
case "${HEAPSCOPE_SANITIZER_LANE:-1}" in
  0) ;;
  all)
    lane_start=$SECONDS
    cmake -S . -B build-san -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHEAPSCOPE_ENABLE_SANITIZERS=ON >/dev/null
    cmake --build build-san -j"$(nproc)"
    echo "test: sanitizer build took $((SECONDS - lane_start)) s"
    lane_start=$SECONDS
    ctest --test-dir build-san --output-on-failure -j"$(nproc)" --timeout 1800
    echo "test: sanitizer suite took $((SECONDS - lane_start)) s"
    ;;
  *)
    lane_start=$SECONDS
    CC=clang-16 CXX=clang++-16 cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DHEAPSCOPE_FUZZ=ON >/dev/null
    read -r -a stages <<<"${HEAPSCOPE_SANITIZER_STAGES:-regress snapshot metrics report}"
    targets=("${stages[@]/#/heapscope_}")
    targets=("${targets[@]/%/_test}")
    cmake --build build-fuzz -j"$(nproc)" --target heapscope "${targets[@]}"
    echo "test: sanitizer build took $((SECONDS - lane_start)) s"
    lane_start=$SECONDS
    # The gtest binaries only: the Node, browser and Prometheus script tests run in the plain
    # suite (their cost is in the programs they drive, not in heapscope's code).
    label_regex="^($(IFS='|'; echo "${stages[*]}"))\$"
    ctest --test-dir build-fuzz --output-on-failure -j"$(nproc)" --timeout 1800 \
      -L "$label_regex" -E '^(devtools|samples)\.|^leaks\.presence_scenario|^metrics\.prometheus_check'
    echo "test: sanitizer suite took $((SECONDS - lane_start)) s"
    ;;
esac
