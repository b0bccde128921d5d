# leaks: end to end on a fresh presence-server scenario run (about 30 s per variant: real server,
# real Prometheus). The library and CLI tests on bundled captures are in heapscope_leaks_test.
foreach(variant leaky fixed)
  add_test(NAME leaks.presence_scenario_${variant}
    COMMAND bash tests/leaks/scenario_e2e.sh $<TARGET_FILE:heapscope> ${variant}
            ${CMAKE_BINARY_DIR}/test-tmp/leaks-scenario
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(leaks.presence_scenario_${variant} PROPERTIES
    LABELS "leaks;scenario" TIMEOUT 300 RESOURCE_LOCK presence_scenario)
endforeach()
