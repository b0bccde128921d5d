// Helpers for the leaks tests: run a program from tests/leaks/programs/ under Node to write real
// snapshots into a scratch folder, load them, and describe listeners compactly.
#ifndef HEAPSCOPE_TESTS_LEAKS_LEAKS_TEST_UTIL_H_
#define HEAPSCOPE_TESTS_LEAKS_LEAKS_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <string>

#include "heapscope/snapshot/parse.h"
#include "support/test_paths.h"

namespace heapscope::testing {

// Runs `node --expose-gc tests/leaks/programs/<program> <scratch dir> <args>` and returns the
// scratch folder. Fails the test when Node fails.
inline std::string RunProgram(const std::string& program, const std::string& args = "") {
  std::string dir = ScratchDir();
  CommandResult r = Run("node --expose-gc " + SourceDir() + "/tests/leaks/programs/" + program +
                        " " + dir + " " + args);
  EXPECT_EQ(r.exit_code, 0) << program << ": " << r.out << r.err;
  return dir;
}

inline snapshot::Snapshot Load(const std::string& path) {
  Result<snapshot::Snapshot> s = snapshot::ParseSnapshotFile(path);
  EXPECT_TRUE(s.ok()) << s.status().message();
  return s.ok() ? std::move(s).value() : snapshot::Snapshot();
}

inline bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace heapscope::testing

#endif  // HEAPSCOPE_TESTS_LEAKS_LEAKS_TEST_UTIL_H_
