#include "heapscope/io/input.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <mutex>
#include <new>
#include <thread>
#include <vector>

#include <fmt/format.h>

#if HEAPSCOPE_HAVE_ISAL
#include <isa-l/igzip_lib.h>
#endif

#include "heapscope/io/memory.h"
#include "heapscope/io/parallel.h"

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

Status ReadError(const std::string& name, int err) {
  return InputError(name, "", -1, fmt::format("cannot read: {}", std::strerror(err)));
}

// A plain regular file: read(2) for the stream, pread(2) for positional access (the parallel
// array parser), lseek(2) to move the stream past what it parsed.
class PlainFileSource final : public ByteSource, public RandomAccess {
 public:
  PlainFileSource(std::string name, int fd, uint64_t size) : name_(std::move(name)), fd_(fd), size_(size) {
#ifdef POSIX_FADV_SEQUENTIAL
    (void)::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
  }
  ~PlainFileSource() override { ::close(fd_); }

  size_t Read(char* buf, size_t n) override {
    if (!status_.ok()) return 0;
    for (;;) {
      const ssize_t got = ::read(fd_, buf, n > (size_t{1} << 30) ? (size_t{1} << 30) : n);
      if (got >= 0) {
        pos_ += static_cast<uint64_t>(got);
        return static_cast<size_t>(got);
      }
      if (errno == EINTR) continue;
      status_ = ReadError(name_, errno);
      return 0;
    }
  }
  const Status& status() const override { return status_; }
  uint64_t file_size() const override { return size_; }
  uint64_t file_offset() const override { return pos_; }
  bool compressed() const override { return false; }
  const RandomAccess* random_access() const override { return this; }
  bool Seek(uint64_t offset) override {
    if (::lseek(fd_, static_cast<off_t>(offset), SEEK_SET) < 0) return false;
    pos_ = offset;
    return true;
  }

  uint64_t size() const override { return size_; }
  int64_t ReadAt(uint64_t offset, char* buf, size_t n) const override {
    size_t done = 0;
    while (done < n) {
      const ssize_t got = ::pread(fd_, buf + done, n - done, static_cast<off_t>(offset + done));
      if (got < 0) {
        if (errno == EINTR) continue;
        return -1;
      }
      if (got == 0) break;
      done += static_cast<size_t>(got);
    }
    return static_cast<int64_t>(done);
  }

 private:
  std::string name_;
  int fd_;
  uint64_t size_;
  uint64_t pos_ = 0;
  Status status_;
};

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
  const char* inflater() const override { return compressed_ ? "zlib" : ""; }
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

#if HEAPSCOPE_HAVE_ISAL
// Gzip through ISA-L's igzip: one or more gzip members (as zlib's gzread reads them; bytes
// after the last member that do not start another one are ignored, as zlib does), CRC and
// length checked. Messages follow zlib's wording so that errors read the same either way.
class IsalSource final : public ByteSource {
 public:
  IsalSource(std::string name, int fd, uint64_t size)
      : name_(std::move(name)), fd_(fd), size_(size), in_(kInBuffer) {
    isal_inflate_init(&state_);
    state_.crc_flag = ISAL_GZIP;
  }
  ~IsalSource() override { ::close(fd_); }

  size_t Read(char* buf, size_t n) override {
    if (!status_.ok() || done_) return 0;
    if (n > (size_t{1} << 30)) n = size_t{1} << 30;
    for (;;) {
      if (state_.avail_in == 0 && !in_eof_ && !Fill()) return 0;
      if (state_.block_state == ISAL_BLOCK_FINISH) {
        // A member ended: another one may follow.
        if (state_.avail_in < 2 && !in_eof_ && !Fill()) return 0;
        if (state_.avail_in >= 2 && state_.next_in[0] == 0x1f && state_.next_in[1] == 0x8b) {
          uint8_t* next = state_.next_in;
          const uint32_t avail = state_.avail_in;
          isal_inflate_reset(&state_);
          state_.crc_flag = ISAL_GZIP;
          state_.next_in = next;
          state_.avail_in = avail;
          continue;
        }
        done_ = true;
        return 0;
      }
      state_.next_out = reinterpret_cast<uint8_t*>(buf);
      state_.avail_out = static_cast<uint32_t>(n);
      const int ret = isal_inflate(&state_);
      if (ret < 0 || ret == ISAL_NEED_DICT) {
        status_ = InputError(name_, "", -1,
                             fmt::format("corrupt or truncated gzip stream: {}", Message(ret)));
        return 0;
      }
      const size_t got = n - state_.avail_out;
      if (got > 0) return got;
      if (state_.block_state == ISAL_BLOCK_FINISH) continue;
      if (state_.avail_in == 0 && in_eof_) {
        status_ = InputError(name_, "", -1, "corrupt or truncated gzip stream: unexpected end of file");
        return 0;
      }
    }
  }
  const Status& status() const override { return status_; }
  uint64_t file_size() const override { return size_; }
  uint64_t file_offset() const override { return consumed_ - state_.avail_in; }
  bool compressed() const override { return true; }
  const char* inflater() const override { return "isa-l"; }

 private:
  static constexpr size_t kInBuffer = size_t{1} << 20;
  bool Fill() {
    for (;;) {
      const ssize_t got = ::read(fd_, in_.data(), in_.size());
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) {
        status_ = ReadError(name_, errno);
        return false;
      }
      if (got == 0) in_eof_ = true;
      consumed_ += static_cast<uint64_t>(got);
      state_.next_in = in_.data();
      state_.avail_in = static_cast<uint32_t>(got);
      return true;
    }
  }
  static const char* Message(int ret) {
    switch (ret) {
      case ISAL_INVALID_BLOCK: return "invalid block type";
      case ISAL_INVALID_SYMBOL: return "invalid code lengths set";
      case ISAL_INVALID_LOOKBACK: return "invalid distance too far back";
      case ISAL_INVALID_WRAPPER: return "incorrect header check";
      case ISAL_UNSUPPORTED_METHOD: return "unknown compression method";
      case ISAL_INCORRECT_CHECKSUM: return "incorrect data check";
      default: return "invalid data";
    }
  }

  std::string name_;
  int fd_;
  uint64_t size_;
  std::vector<uint8_t> in_;
  inflate_state state_{};
  uint64_t consumed_ = 0;
  bool in_eof_ = false;
  bool done_ = false;
  Status status_;
};
#endif

// Inflates on a second thread while the parser consumes on the first: a bounded queue of
// buffers between them. Only for compressed input and when heapscope may use two threads.
class ReadAheadSource final : public ByteSource {
 public:
  explicit ReadAheadSource(std::unique_ptr<ByteSource> inner)
      : inner_(std::move(inner)), size_(inner_->file_size()), inflater_(inner_->inflater()) {
    thread_ = std::thread([this] { Produce(); });
  }
  ~ReadAheadSource() override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

  size_t Read(char* buf, size_t n) override {
    size_t done = 0;
    while (done < n) {
      if (cur_pos_ == cur_.size()) {
        std::unique_lock<std::mutex> lock(mu_);
        if (!cur_.empty()) free_.push_back(std::move(cur_));
        cv_.notify_all();
        cv_.wait(lock, [&] { return !ready_.empty() || finished_; });
        if (ready_.empty()) {
          if (!inner_status_.ok()) status_ = inner_status_;
          break;
        }
        cur_ = std::move(ready_.front());
        ready_.pop_front();
        cur_pos_ = 0;
        offset_ = ready_offset_.front();
        ready_offset_.pop_front();
      }
      const size_t k = std::min(n - done, cur_.size() - cur_pos_);
      std::memcpy(buf + done, cur_.data() + cur_pos_, k);
      cur_pos_ += k;
      done += k;
      if (done > 0) break;  // like read(2): return what is there
    }
    return done;
  }
  const Status& status() const override { return status_; }
  uint64_t file_size() const override { return size_; }
  uint64_t file_offset() const override { return offset_; }
  bool compressed() const override { return true; }
  const char* inflater() const override { return inflater_; }

 private:
  static constexpr size_t kBuffer = size_t{4} << 20;
  static constexpr size_t kDepth = 4;
  void Produce() {
    for (;;) {
      std::vector<char> buf;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [&] { return stop_ || ready_.size() < kDepth; });
        if (stop_) break;
        if (!free_.empty()) {
          buf = std::move(free_.back());
          free_.pop_back();
        }
      }
      buf.resize(kBuffer);
      size_t have = 0;
      while (have < buf.size()) {
        const size_t got = inner_->Read(buf.data() + have, buf.size() - have);
        if (got == 0) break;
        have += got;
      }
      buf.resize(have);
      std::lock_guard<std::mutex> lock(mu_);
      if (have > 0) {
        ready_.push_back(std::move(buf));
        ready_offset_.push_back(inner_->file_offset());
      }
      if (have < kBuffer) {
        inner_status_ = inner_->status();
        finished_ = true;
        cv_.notify_all();
        break;
      }
      cv_.notify_all();
    }
  }

  std::unique_ptr<ByteSource> inner_;
  uint64_t size_;
  const char* inflater_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::vector<char>> ready_;
  std::deque<uint64_t> ready_offset_;
  std::vector<std::vector<char>> free_;
  bool stop_ = false, finished_ = false;
  Status inner_status_;
  std::vector<char> cur_;
  size_t cur_pos_ = 0;
  uint64_t offset_ = 0;
  Status status_;
};

bool UseIsal() {
#if HEAPSCOPE_HAVE_ISAL
  const char* env = std::getenv("HEAPSCOPE_INFLATE");
  return env == nullptr || std::string_view(env) != "zlib";
#else
  return false;
#endif
}

// Wraps a compressed source in the read-ahead thread when there is a second core for it.
std::unique_ptr<ByteSource> MaybeReadAhead(std::unique_ptr<ByteSource> src) {
  if (par::Threads() > 1) return std::make_unique<ReadAheadSource>(std::move(src));
  return src;
}

}  // namespace

const char* GzipInflater() { return UseIsal() ? "isa-l" : "zlib"; }

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
      if (S_ISREG(st.st_mode)) {
        size = static_cast<uint64_t>(st.st_size);
        // A regular file: plain or gzip by its first two bytes.
        unsigned char magic[2] = {0, 0};
        ssize_t got = -1;
        do {
          got = ::pread(fd, magic, 2, 0);
        } while (got < 0 && errno == EINTR);
        const bool gzip = got == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
        if (!gzip) return std::unique_ptr<ByteSource>(std::make_unique<PlainFileSource>(path, fd, size));
#if HEAPSCOPE_HAVE_ISAL
        if (UseIsal()) return MaybeReadAhead(std::make_unique<IsalSource>(path, fd, size));
#endif
        auto gz = std::make_unique<GzSource>(path, fd, size);
        if (!gz->status().ok()) return gz->status();
        return MaybeReadAhead(std::move(gz));
      }
    }
  }
  // Standard input, pipes, devices: zlib reads them, gzip or plain (transparent mode).
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
