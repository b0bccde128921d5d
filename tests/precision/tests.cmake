# precision: heapscope's judgement on real-library programs, leaks and healthy twins
# (tests/precision/expectations.json, docs/precision.md). One ctest per program. Off by default
# until the judgement meets the corpus: configure with -DHEAPSCOPE_PRECISION_TESTS=ON.
option(HEAPSCOPE_PRECISION_TESTS "Register the precision corpus tests (tests/precision)" OFF)
if(HEAPSCOPE_PRECISION_TESTS)
  file(READ ${CMAKE_CURRENT_LIST_DIR}/expectations.json precision_json)
  string(JSON precision_n LENGTH "${precision_json}" programs)
  math(EXPR precision_last "${precision_n} - 1")
  foreach(i RANGE ${precision_last})
    string(JSON program MEMBER "${precision_json}" programs ${i})
    string(REGEX REPLACE "\\.m?js$" "" name "${program}")
    add_test(NAME precision.${name}
      COMMAND node tests/precision/run.mjs --heapscope $<TARGET_FILE:heapscope>
              --tmp ${CMAKE_BINARY_DIR}/test-tmp/precision ${program}
      WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
    set_tests_properties(precision.${name} PROPERTIES LABELS precision TIMEOUT 300)
  endforeach()
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
    ${CMAKE_CURRENT_LIST_DIR}/expectations.json)
endif()
