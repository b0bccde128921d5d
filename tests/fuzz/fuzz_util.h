// Shared pieces of the libFuzzer targets: an in-memory file for the entry points that take a
// path, a bounded memory budget, and a check that an error is an error the CLI can print.
#ifndef HEAPSCOPE_TESTS_FUZZ_FUZZ_UTIL_H_
#define HEAPSCOPE_TESTS_FUZZ_FUZZ_UTIL_H_

#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "heapscope/io/memory.h"
#include "heapscope/status.h"

namespace heapscope::fuzz {

// Every target runs under libFuzzer's -rss_limit_mb (2 GiB by default): the budget keeps a
// hostile header's claimed sizes an exit-2 error instead of an out-of-memory report.
inline void InitBudget() { io::SetMemoryBudget(uint64_t{256} << 20); }

// A file in memory (memfd), opened by path through /proc/self/fd: the loaders' own file path
// (gzip detection, streaming reads) without touching the disk.
class MemFile {
 public:
  explicit MemFile(std::string_view bytes) {
    fd_ = memfd_create("heapscope-fuzz", MFD_CLOEXEC);
    if (fd_ < 0) std::abort();
    for (size_t done = 0; done < bytes.size();) {
      ssize_t n = write(fd_, bytes.data() + done, bytes.size() - done);
      if (n <= 0) std::abort();
      done += static_cast<size_t>(n);
    }
    path_ = "/proc/self/fd/" + std::to_string(fd_);
  }
  ~MemFile() { close(fd_); }
  MemFile(const MemFile&) = delete;
  MemFile& operator=(const MemFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  int fd_ = -1;
  std::string path_;
};

// An error must say something: an empty message would leave the CLI's exit 2 unexplained.
inline void CheckError(const Status& status) {
  if (!status.ok() && status.message().empty()) {
    std::fprintf(stderr, "error without a message\n");
    std::abort();
  }
}

}  // namespace heapscope::fuzz

#endif  // HEAPSCOPE_TESTS_FUZZ_FUZZ_UTIL_H_
