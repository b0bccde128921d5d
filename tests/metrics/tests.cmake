# Script tests of the metrics stage.
# heapscope's PromQL math against a real Prometheus (Debian's 2.42): promtool loads known
# OpenMetrics samples, prometheus answers deriv/predict_linear/rate/increase/resets, heapscope
# must agree within a relative error of 1e-9. Exit 77 (skipped) when Prometheus is not installed.
add_test(NAME metrics.prometheus_check
  COMMAND node ${CMAKE_CURRENT_LIST_DIR}/prometheus_check.js $<TARGET_FILE:heapscope>
          ${CMAKE_BINARY_DIR}/test-tmp/metrics-prometheus-check
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(metrics.prometheus_check PROPERTIES
  LABELS metrics TIMEOUT 90 SKIP_RETURN_CODE 77)
