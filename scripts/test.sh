#!/usr/bin/env bash
# Sets everything up, builds, and runs every test (unit, CLI, reference server, validators), then
# the hardening lanes (docs/hardening.md):
#   fuzz lane (HEAPSCOPE_FUZZ_LANE, default 1): scripts/fuzz.sh builds the libFuzzer targets with
#     clang 16 in build-fuzz/ (library instrumented for libFuzzer, ASan and UBSan), replays the
#     committed corpus through every target and fuzzes each for FUZZ_SECONDS (default 30);
#   sanitizer lane (HEAPSCOPE_SANITIZER_LANE): 1 (default) builds the rest of that same
#     instrumented build-fuzz/ and runs the whole suite in it (all but the tests that run no
#     heapscope code); "gcc" instead builds the suite with gcc's ASan+UBSan in build-san/ and runs
#     it there; 0 skips. Every sanitizer report is fatal.
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
# The tests that run no heapscope code: the reference server's own tests (label samples) and the
# build-layering probes (label build), which compile code rather than run it.
san_exclude='^(samples|build)$'
case "${HEAPSCOPE_SANITIZER_LANE:-1}" in
  0) ;;
  gcc | all)
    lane_start=$SECONDS
    cmake -S . -B build-san -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHEAPSCOPE_ENABLE_SANITIZERS=ON >/dev/null
    cmake --build build-san -j"$(nproc)"
    echo "test: sanitizer build took $((SECONDS - lane_start)) s"
    lane_start=$SECONDS
    ctest --test-dir build-san --output-on-failure -j"$(nproc)" --timeout 1800 -LE "$san_exclude"
    echo "test: sanitizer suite took $((SECONDS - lane_start)) s"
    ;;
  *)
    # The whole suite in build-fuzz/, the build the fuzz lane made (same flags, scripts/fuzz.sh):
    # every gtest binary, and every script test (CLI, precision corpus, DevTools comparison,
    # captures, scenarios) through the instrumented build-fuzz/heapscope, which each test gets
    # as $<TARGET_FILE:heapscope> of its build tree.
    lane_start=$SECONDS
    bash scripts/fuzz.sh --configure
    cmake --build build-fuzz -j"$(nproc)"
    echo "test: sanitizer build took $((SECONDS - lane_start)) s"
    lane_start=$SECONDS
    ctest --test-dir build-fuzz --output-on-failure -j"$(nproc)" --timeout 1800 -LE "$san_exclude"
    echo "test: sanitizer suite took $((SECONDS - lane_start)) s"
    ;;
esac
