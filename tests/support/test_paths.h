// Paths and process helpers for tests: the source tree, the built CLI, a scratch folder, and
// running a command to capture its exit code and output.
#ifndef HEAPSCOPE_TESTS_SUPPORT_TEST_PATHS_H_
#define HEAPSCOPE_TESTS_SUPPORT_TEST_PATHS_H_

#include <string>

namespace heapscope::testing {

std::string SourceDir();           // the repository root
std::string HeapscopeBinary();     // build/heapscope
// A fresh, empty folder under the build tree for this test (named after the running test).
std::string ScratchDir();

struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};
// Runs `command` through /bin/sh, capturing stdout and stderr.
CommandResult Run(const std::string& command);

std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, const std::string& content);

// Whether `node` is on PATH (tests that need Node skip with a message otherwise... but the
// README test command installs it, so CI always has it).
bool HaveNode();

}  // namespace heapscope::testing

#endif  // HEAPSCOPE_TESTS_SUPPORT_TEST_PATHS_H_
