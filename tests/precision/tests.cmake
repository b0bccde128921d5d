# precision: heapscope's judgement on real-library programs, leaks and healthy twins
# (tests/precision/expectations.json, docs/precision.md). One ctest per program, on by default.
# The programs heapscope does not judge right yet are registered but DISABLED (ctest lists them as
# "Not Run (Disabled)"), each with its reason in docs/precision.md; a fix removes its name here.
option(HEAPSCOPE_PRECISION_TESTS "Register the precision corpus tests (tests/precision)" ON)
set(HEAPSCOPE_PRECISION_KNOWN_WRONG)
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
    if(name IN_LIST HEAPSCOPE_PRECISION_KNOWN_WRONG)
      set_tests_properties(precision.${name} PROPERTIES DISABLED TRUE)
    endif()
  endforeach()
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
    ${CMAKE_CURRENT_LIST_DIR}/expectations.json)
endif()
