#include "heapscope/io/output.h"

#include <signal.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

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

int TempFiles(const std::string& dir) {
  int n = 0;
  for (auto& e : std::filesystem::directory_iterator(dir))
    n += e.path().filename().string().find(".tmp-") != std::string::npos;
  return n;
}

TEST(WriteOutput, KeepsTheModeOfTheFileItReplaces) {
  std::string path = ScratchDir() + "/private.json";
  testing::WriteFile(path, "old");
  ASSERT_EQ(::chmod(path.c_str(), 0600), 0);
  ASSERT_TRUE(WriteOutput(path, "new").ok());
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  EXPECT_EQ(ReadFile(path), "new");
}

TEST(WriteOutput, NewFileHonoursTheUmask) {
  std::string path = ScratchDir() + "/new.json";
  const mode_t old = ::umask(027);
  Status written = WriteOutput(path, "x");
  ::umask(old);
  ASSERT_TRUE(written.ok()) << written.message();
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
}

TEST(WriteOutput, DevicesAreWrittenThroughNeverReplaced) {
  // /dev/zero discards what is written; /dev/full fails every write with ENOSPC.
  ASSERT_TRUE(WriteOutput("/dev/zero", "discarded").ok());
  struct stat st {};
  ASSERT_EQ(::stat("/dev/zero", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
  Status full = WriteOutput("/dev/full", "no room");
  EXPECT_EQ(full.code(), Status::Code::kIo);
  EXPECT_EQ(full.message(), "/dev/full: cannot write: No space left on device");
  ASSERT_EQ(::stat("/dev/full", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
}

TEST(WriteOutput, FifoIsWrittenThroughNeverReplaced) {
  std::string dir = ScratchDir();
  std::string fifo = dir + "/pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::string got;
  std::thread reader([&] { got = ReadFile(fifo); });  // open blocks until the writer opens
  Status st = WriteOutput(fifo, "through the pipe");
  reader.join();
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_EQ(got, "through the pipe");
  struct stat sb {};
  ASSERT_EQ(::lstat(fifo.c_str(), &sb), 0);
  EXPECT_TRUE(S_ISFIFO(sb.st_mode));
  EXPECT_EQ(TempFiles(dir), 0);
}

TEST(WriteOutput, SymlinkIsRefusedUnlessAskedThenReplaced) {
  std::string dir = ScratchDir();
  std::string target = dir + "/target.txt", link = dir + "/link.txt";
  testing::WriteFile(target, "target");
  std::filesystem::create_symlink(target, link);
  Status st = WriteOutput(link, "new");
  EXPECT_EQ(st.code(), Status::Code::kIo);
  EXPECT_EQ(st.message(), link + ": is a symbolic link; refusing to replace it (write to its "
                                 "target, or pass --replace-symlink)");
  EXPECT_TRUE(std::filesystem::is_symlink(link));
  ASSERT_TRUE(WriteOutput(link, "new", {.replace_symlink = true}).ok());
  EXPECT_FALSE(std::filesystem::is_symlink(link));
  EXPECT_EQ(ReadFile(link), "new");
  EXPECT_EQ(ReadFile(target), "target");
}

TEST(WriteOutput, SigtermWhileWritingLeavesNoTemporaryFile) {
  std::string dir = ScratchDir();
  std::string path = dir + "/big.json";
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    // A watcher kills this process as soon as the temporary file exists. It blocks SIGINT and
    // SIGTERM itself, so the process-directed signal reaches the writing thread, as it does in
    // the single-threaded CLI (taken by the watcher, it could land between mkstemp and the
    // guard, where the writer blocks it, and kill the process with the file still there).
    std::thread watcher([&] {
      sigset_t block;
      sigemptyset(&block);
      sigaddset(&block, SIGINT);
      sigaddset(&block, SIGTERM);
      ::pthread_sigmask(SIG_BLOCK, &block, nullptr);
      while (TempFiles(dir) == 0) std::this_thread::yield();
      ::kill(::getpid(), SIGTERM);
    });
    watcher.detach();
    std::string content(size_t{256} << 20, 'x');
    (void)WriteOutput(path, content);
    ::pause();  // the write finished first: wait for the watcher's signal
    ::_exit(0);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(WTERMSIG(status), SIGTERM);
  EXPECT_EQ(TempFiles(dir), 0);
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
  auto plain = ReadWholeInput(dir + "/a.txt", 1 << 20, "test file");
  auto gz = ReadWholeInput(dir + "/a.bin", 1 << 20, "test file");  // gzip detected by magic bytes, not by name
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
  auto r = ReadWholeInput(dir + "/b.gz", 1 << 20, "test file");
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
