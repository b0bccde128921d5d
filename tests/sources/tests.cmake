# sources: where the leak was added, in the source the user wrote (docs/allocation-stacks.md,
# docs/source-maps.md, docs/cmd-profile.md). Real programs at test time: tracked snapshots
# (--track-heap-objects, the inspector), the reference server under capture --track-allocations
# and --sampling, a TypeScript service bundled with esbuild and tsc (tests/sources/package.json),
# Node 18 from npm (tests/node18/package.json). The unit tests are in heapscope_sourcemap_test
# and heapscope_profile_test.
heapscope_test(sourcemap)
heapscope_test(profile)

foreach(case tracked-flag tracked-inspector tracked-mixed tracked-untracked presence-tracked
        presence-sampling-leaky presence-sampling-fixed heap-prof profile-bad-input
        ts-esbuild-external ts-esbuild-inline ts-esbuild-inline-snapshot ts-esbuild-minified
        ts-source-maps-dir ts-tsc ts-healthy ts-broken-map node18)
  add_test(NAME sources.e2e.${case}
    COMMAND node --test --test-name-pattern=^${case}$ tests/sources/e2e.test.js
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(sources.e2e.${case} PROPERTIES
    ENVIRONMENT "HEAPSCOPE_BINARY=$<TARGET_FILE:heapscope>;HEAPSCOPE_TEST_TMP=${CMAKE_BINARY_DIR}/test-tmp/sources"
    LABELS "sources" TIMEOUT 300)
endforeach()
