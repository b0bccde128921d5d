# leaks: end to end on a fresh presence-server scenario run (real server, real Prometheus): 3
# cycles per phase (about 30 s per variant) and 100 (about 3 min per variant on 2 shared cores:
# the fixed server's FinalizationRegistry lags the GC, so its Set of WeakRefs grows with dead
# targets, and the fixed variant must stay clean). The library and CLI tests on bundled captures
# are in heapscope_leaks_test.
foreach(cycles 3 100)
  foreach(variant leaky fixed)
    set(name leaks.presence_scenario_${variant})
    if(NOT cycles EQUAL 3)
      set(name ${name}_${cycles})
    endif()
    add_test(NAME ${name}
      COMMAND bash tests/leaks/scenario_e2e.sh $<TARGET_FILE:heapscope> ${variant}
              ${CMAKE_BINARY_DIR}/test-tmp/leaks-scenario ${cycles}
      WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
    set_tests_properties(${name} PROPERTIES
      LABELS "leaks;scenario" TIMEOUT 600 RESOURCE_LOCK presence_scenario)
  endforeach()
endforeach()
