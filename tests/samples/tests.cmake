# The reference presence server proves its own behaviour (leaky grows, fixed returns to
# baseline, ghost cursors only in leaky, source line numbers): Node's test runner.
add_test(NAME samples.presence_reference
  COMMAND node --test --test-concurrency=1 test/
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}/samples/presence-server)
set_tests_properties(samples.presence_reference PROPERTIES LABELS samples TIMEOUT 600)
