# The build enforces the stage arrows (docs/architecture.md): each probe in tests/layering/ is an
# object library, not built by default, that links one stage and includes one header. The test
# builds it: a forbidden include must fail with "No such file or directory" for that header, and
# the allowed one must compile.
function(heapscope_include_probe name stage header)
  add_library(heapscope_probe_${name} OBJECT EXCLUDE_FROM_ALL
              ${CMAKE_CURRENT_SOURCE_DIR}/layering/${name}.cc)
  target_link_libraries(heapscope_probe_${name} PRIVATE heapscope_${stage})
  add_test(NAME build.${name}
           COMMAND ${CMAKE_COMMAND} --build ${CMAKE_BINARY_DIR} --target heapscope_probe_${name})
  set_tests_properties(build.${name} PROPERTIES LABELS build RESOURCE_LOCK build_tree TIMEOUT 300)
  if(header)
    set_tests_properties(build.${name} PROPERTIES
      PASS_REGULAR_EXPRESSION "${header}: No such file or directory")
  endif()
endfunction()

heapscope_include_probe(forbidden_metrics_includes_report metrics "heapscope/report/render.h")
heapscope_include_probe(forbidden_leaks_includes_metrics leaks "heapscope/metrics/metrics.h")
heapscope_include_probe(forbidden_snapshot_includes_graph snapshot "heapscope/graph/heap_graph.h")
heapscope_include_probe(forbidden_run_includes_renderers run "heapscope/report/commands.h")
heapscope_include_probe(allowed_graph_includes_snapshot graph "")
