#include "heapscope/io/output.h"

#include <filesystem>

#include <gtest/gtest.h>

#include "heapscope/io/input.h"
#include "support/test_paths.h"

namespace heapscope::io {
namespace {

using testing::ReadFile;
using testing::ScratchDir;

TEST(WriteOutput, ReplacesTargetAndLeavesNoTemporaries) {
  std::string dir = ScratchDir();
  std::string path = dir + "/report.json";
  testing::WriteFile(path, "old");
  ASSERT_TRUE(WriteOutput(path, "new content").ok());
  EXPECT_EQ(ReadFile(path), "new content");
  int files = 0;
  for (auto& e : std::filesystem::directory_iterator(dir)) files += e.is_regular_file();
  EXPECT_EQ(files, 1);
}

TEST(WriteOutput, MissingFolderIsAnIoErrorAndWritesNothing) {
  std::string dir = ScratchDir();
  Status st = WriteOutput(dir + "/no/such/dir/out.txt", "x");
  EXPECT_EQ(st.code(), Status::Code::kIo);
  EXPECT_NE(st.message().find("out.txt"), std::string::npos);
}

TEST(ReadWholeInput, ReadsPlainAndGzipIdentically) {
  std::string dir = ScratchDir();
  testing::WriteFile(dir + "/a.txt", "hello heap\n");
  ASSERT_EQ(std::system(("gzip -c " + dir + "/a.txt > " + dir + "/a.bin").c_str()), 0);
  auto plain = ReadWholeInput(dir + "/a.txt");
  auto gz = ReadWholeInput(dir + "/a.bin");  // gzip detected by magic bytes, not by name
  ASSERT_TRUE(plain.ok());
  ASSERT_TRUE(gz.ok());
  EXPECT_EQ(*plain, "hello heap\n");
  EXPECT_EQ(*gz, "hello heap\n");
}

TEST(ReadWholeInput, TruncatedGzipIsAnError) {
  std::string dir = ScratchDir();
  std::string big(200000, 'x');
  uint32_t x = 12345;  // an LCG: incompressible enough that 3000 bytes is a strict prefix
  for (char& c : big) {
    x = x * 1103515245u + 12345u;
    c = static_cast<char>('a' + (x >> 16) % 26);
  }
  testing::WriteFile(dir + "/b.txt", big);
  ASSERT_EQ(std::system(("gzip -c " + dir + "/b.txt | head -c 3000 > " + dir + "/b.gz").c_str()), 0);
  ASSERT_EQ(std::filesystem::file_size(dir + "/b.gz"), 3000u);
  auto r = ReadWholeInput(dir + "/b.gz");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("b.gz"), std::string::npos);
  EXPECT_NE(r.status().message().find("truncated"), std::string::npos) << r.status().message();
}

TEST(OpenInput, MissingFileNamesTheFile) {
  auto r = OpenInput("/nonexistent/x.heapsnapshot");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "/nonexistent/x.heapsnapshot: cannot open: No such file or directory");
}

}  // namespace
}  // namespace heapscope::io
