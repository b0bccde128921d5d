# capture: unit tests of the pure parts (heapscope_capture_test), and end-to-end captures of real
# processes started by the test (Node with --inspect and SIGUSR1, headless Chromium, the
# reference presence server under its load driver). Loopback only; every wait is bounded.
heapscope_test(capture)

foreach(case node-inspect track-allocations node-pid chromium presence-leaky presence-fixed killed refused)
  add_test(NAME capture.e2e.${case}
    COMMAND node --test --test-name-pattern=^${case}$ tests/capture/e2e.test.js
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(capture.e2e.${case} PROPERTIES
    ENVIRONMENT "HEAPSCOPE_BINARY=$<TARGET_FILE:heapscope>;HEAPSCOPE_TEST_TMP=${CMAKE_BINARY_DIR}/test-tmp/capture"
    LABELS "capture" TIMEOUT 300)
endforeach()
