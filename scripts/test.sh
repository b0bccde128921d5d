#!/usr/bin/env bash
# Sets everything up, builds, and runs every test (unit, CLI, reference server, validators).
#   HEAPSCOPE_SANITIZER_LANE=1  then runs the sanitizer lane: the whole suite again, built with
#   AddressSanitizer and UndefinedBehaviorSanitizer (every report fatal) in build-san/. Off by
#   default until its cost on CI's 2 cores is measured (docs/hardening.md).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
lane_start=$SECONDS
ctest --test-dir build --output-on-failure -j"$(nproc)" --timeout 900
echo "test: plain suite took $((SECONDS - lane_start)) s"

if [[ "${HEAPSCOPE_SANITIZER_LANE:-0}" != 0 ]]; then
  lane_start=$SECONDS
  cmake -S . -B build-san -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHEAPSCOPE_ENABLE_SANITIZERS=ON >/dev/null
  cmake --build build-san -j"$(nproc)"
  echo "test: sanitizer build took $((SECONDS - lane_start)) s"
  lane_start=$SECONDS
  # detect_leaks=0: the CLI exits through paths that keep their allocations (as every process
  # may); leaks are not what this lane is for. Everything else aborts the test that hit it.
  ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:strict_string_checks=1 \
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:suppressions="$PWD/scripts/ubsan.supp" \
    ctest --test-dir build-san --output-on-failure -j"$(nproc)" --timeout 1800
  echo "test: sanitizer suite took $((SECONDS - lane_start)) s"
fi
