#include "heapscope/io/input.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <algorithm>
#include <cstring>
#include <new>

#include <fmt/format.h>

#include "heapscope/io/memory.h"

namespace heapscope::io {
namespace {

// zlib prefixes its messages with the name given to gzdopen ("<fd:3>: "); drop it, since our
// messages name the file themselves.
std::string_view ZlibMessage(const char* msg) {
  std::string_view m(msg == nullptr ? "" : msg);
  if (m.starts_with("<fd:")) {
    size_t colon = m.find(": ");
    if (colon != std::string_view::npos) m.remove_prefix(colon + 2);
  }
  return m;
}

// zlib's read buffers: `want` bytes of input and twice that of output, allocated on the first
// read. 1 MiB suits large snapshots; a regular file smaller than that gets buffers its own size
// (at least 8 KiB), so reading a policy or a small snapshot does not map 3 MiB.
unsigned BufferSize(uint64_t file_size) {
  constexpr uint64_t kLarge = uint64_t{1} << 20;
  constexpr uint64_t kSmall = uint64_t{8} << 10;
  if (file_size == 0 || file_size >= kLarge) return static_cast<unsigned>(kLarge);  // or unknown
  return static_cast<unsigned>(std::max(file_size, kSmall));
}

// Reads through zlib's gz* API, which passes plain files through unchanged ("transparent"
// mode) and decompresses gzip members, so plain/gzip is decided by the magic bytes.
class GzSource final : public ByteSource {
 public:
  GzSource(std::string name, int fd, uint64_t size) : name_(std::move(name)), size_(size) {
    gz_ = gzdopen(fd, "rb");
    if (gz_ == nullptr) {
      ::close(fd);
      status_ = Status::Io(fmt::format("{}: cannot open: out of memory", name_));
      return;
    }
    gzbuffer(gz_, BufferSize(size));
  }
  ~GzSource() override {
    if (gz_ != nullptr) gzclose_r(gz_);
  }

  size_t Read(char* buf, size_t n) override {
    if (gz_ == nullptr || !status_.ok() || eof_) return 0;
    int got = gzread(gz_, buf, static_cast<unsigned>(n > (1u << 30) ? (1u << 30) : n));
    if (got < 0) {
      int err = 0;
      const char* msg = gzerror(gz_, &err);
      status_ = InputError(name_, "", -1,
                           fmt::format("cannot read: {}", err == Z_ERRNO ? std::string_view(std::strerror(errno))
                                                                          : ZlibMessage(msg)));
      return 0;
    }
    if (got == 0) {
      eof_ = true;
      int err = 0;
      const char* msg = gzerror(gz_, &err);
      if (err != Z_OK) {
        status_ = InputError(name_, "", -1,
                             fmt::format("corrupt or truncated gzip stream: {}", ZlibMessage(msg)));
      }
      return 0;
    }
    compressed_ = gzdirect(gz_) == 0;
    return static_cast<size_t>(got);
  }
  const Status& status() const override { return status_; }
  uint64_t file_size() const override { return size_; }
  uint64_t file_offset() const override {
    return gz_ == nullptr ? 0 : static_cast<uint64_t>(gzoffset(gz_));
  }
  bool compressed() const override { return compressed_; }

 private:
  std::string name_;
  uint64_t size_ = 0;
  gzFile gz_ = nullptr;
  Status status_;
  bool eof_ = false;
  bool compressed_ = false;
};

}  // namespace

Result<std::unique_ptr<ByteSource>> OpenInput(const std::string& path) {
  int fd = -1;
  uint64_t size = 0;
  if (path == "-") {
    fd = ::dup(STDIN_FILENO);
    if (fd < 0) return Status::Io(fmt::format("-: cannot read standard input: {}", std::strerror(errno)));
  } else {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Status::Io(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
    struct stat st {};
    if (::fstat(fd, &st) == 0) {
      if (S_ISDIR(st.st_mode)) {
        ::close(fd);
        return Status::Io(fmt::format("{}: is a directory", path));
      }
      if (S_ISREG(st.st_mode)) size = static_cast<uint64_t>(st.st_size);
    }
  }
  auto src = std::make_unique<GzSource>(path, fd, size);
  if (!src->status().ok()) return src->status();
  return std::unique_ptr<ByteSource>(std::move(src));
}

Result<std::string> ReadWholeInput(const std::string& path, uint64_t max_bytes,
                                   std::string_view what) {
  HS_ASSIGN_OR_RETURN(std::unique_ptr<ByteSource> src, OpenInput(path));
  // The text is held once, plus the string's growth: half the budget at most.
  const uint64_t budget = MemoryBudget() / 2;
  const uint64_t limit = std::min(max_bytes, budget);
  std::string out;
  char buf[1 << 16];
  try {
    for (;;) {
      size_t got = src->Read(buf, sizeof buf);
      if (got == 0) break;
      if (out.size() + got > limit) {
        return InputError(path, "", static_cast<int64_t>(limit),
                          fmt::format("a {} larger than {} ({}) is refused{}", what,
                                      FormatBytes(limit),
                                      limit == max_bytes ? "the limit for such files"
                                                         : "half the memory budget",
                                      src->compressed() ? " (after decompression)" : ""));
      }
      out.append(buf, got);
    }
  } catch (const std::bad_alloc&) {
    return InputError(path, "", static_cast<int64_t>(out.size()),
                      fmt::format("out of memory while reading a {} ({} read)", what,
                                  FormatBytes(out.size())));
  }
  if (!src->status().ok()) return src->status();
  return out;
}

}  // namespace heapscope::io
