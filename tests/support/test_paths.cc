#include "support/test_paths.h"

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace heapscope::testing {

std::string SourceDir() { return HEAPSCOPE_SOURCE_DIR; }
std::string HeapscopeBinary() { return HEAPSCOPE_BINARY; }

std::string ScratchDir() {
  const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = info ? fmt::format("{}.{}", info->test_suite_name(), info->name()) : "misc";
  for (char& c : name)
    if (c == '/') c = '_';
  std::filesystem::path dir = std::filesystem::path(HEAPSCOPE_TEST_TMP) / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

CommandResult Run(const std::string& command) {
  std::string dir = (std::filesystem::path(HEAPSCOPE_TEST_TMP) / "run").string();
  std::filesystem::create_directories(dir);
  static int counter = 0;
  std::string out_path = fmt::format("{}/{}-{}.out", dir, ::getpid(), counter);
  std::string err_path = fmt::format("{}/{}-{}.err", dir, ::getpid(), counter++);
  std::string full = fmt::format("{} >'{}' 2>'{}'", command, out_path, err_path);
  int status = std::system(full.c_str());
  CommandResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = ReadFile(out_path);
  r.err = ReadFile(err_path);
  std::filesystem::remove(out_path);
  std::filesystem::remove(err_path);
  return r;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary);
  out << content;
}

bool HaveNode() { return std::system("command -v node >/dev/null 2>&1") == 0; }

}  // namespace heapscope::testing
