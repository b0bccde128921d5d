# heapscope versus Chrome DevTools' own heap snapshot model (npm chrome-devtools-frontend,
# type-stripped at test time; see docs/dominators.md). Every node's self size, retained size,
# distance and dominator must be equal, every class of the Summary view, every group of the
# duplicated strings, and (series) every row of the Comparison view. Needs Node and `npm ci` in tests/devtools (scripts/setup.sh); the
# chromium group needs chromium and is skipped without it.
set(HEAPSCOPE_DEVTOOLS_MODEL ${CMAKE_BINARY_DIR}/devtools-model)
foreach(group node random captures series chromium generated corpus)
  add_test(NAME devtools.compare_${group}
    COMMAND node ${CMAKE_CURRENT_LIST_DIR}/run_comparison.mjs $<TARGET_FILE:heapscope>
            ${CMAKE_BINARY_DIR}/test-tmp/devtools-${group} ${HEAPSCOPE_DEVTOOLS_MODEL} ${group}
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(devtools.compare_${group} PROPERTIES
    LABELS devtools TIMEOUT 300 SKIP_RETURN_CODE 77 FIXTURES_REQUIRED devtools_model
    RESOURCE_LOCK devtools_model)
endforeach()
# Type-stripping DevTools (~12 s, once per build tree; a stamp makes later runs free).
add_test(NAME devtools.prepare_model
  COMMAND node ${CMAKE_CURRENT_LIST_DIR}/prepare_model.mjs ${HEAPSCOPE_DEVTOOLS_MODEL}
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(devtools.prepare_model PROPERTIES
  LABELS devtools TIMEOUT 300 FIXTURES_SETUP devtools_model)
