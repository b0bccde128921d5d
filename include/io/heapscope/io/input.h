// Byte sources for input files: plain or gzip (by magic bytes, via zlib), or standard input.
#ifndef HEAPSCOPE_IO_INPUT_H_
#define HEAPSCOPE_IO_INPUT_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "heapscope/status.h"

namespace heapscope::io {

// Positional reads of an input that is a plain regular file or text in memory (never gzip, a
// pipe or standard input): what the loader's parallel array parser reads its chunks with.
class RandomAccess {
 public:
  virtual ~RandomAccess() = default;
  virtual uint64_t size() const = 0;
  // Reads up to `n` bytes at `offset` into `buf`: the count read, short only at the end of the
  // input; -1 on an I/O error. Safe to call from several threads at once.
  virtual int64_t ReadAt(uint64_t offset, char* buf, size_t n) const = 0;
};

// A forward-only stream of (decompressed) bytes.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to `n` bytes into `buf`. Returns the count read; 0 at end of input or on error
  // (check status()). A truncated or corrupt gzip stream is an error, never a short EOF.
  virtual size_t Read(char* buf, size_t n) = 0;
  virtual const Status& status() const = 0;
  // Size of the file on disk (compressed size for gzip), or 0 when unknown (stdin, pipes).
  virtual uint64_t file_size() const = 0;
  // Compressed bytes consumed so far (for progress against file_size()).
  virtual uint64_t file_offset() const = 0;
  virtual bool compressed() const = 0;
  // Positional access to the same bytes, or nullptr (gzip, pipes, standard input).
  virtual const RandomAccess* random_access() const { return nullptr; }
  // Moves the stream to `offset` (sources with random_access() only). False on failure.
  virtual bool Seek(uint64_t offset) {
    (void)offset;
    return false;
  }
  // Which inflater a compressed source uses ("zlib", "isa-l"), for benchmarks; "" when plain.
  virtual const char* inflater() const { return ""; }
};

// Gzip input is inflated with ISA-L's igzip when heapscope is built with it and
// HEAPSCOPE_INFLATE is not "zlib"; with zlib otherwise. The name of the one in use.
const char* GzipInflater();

// Opens `path`, or standard input for "-". Detects gzip by its magic bytes (1f 8b).
Result<std::unique_ptr<ByteSource>> OpenInput(const std::string& path);

// Reads a whole (small) input file into memory, decompressing gzip. For metrics, policies.
// Refuses, with exit-2 errors naming the file and `what` it is, input that decompresses to more
// than `max_bytes` or than the memory budget (io/memory.h): /dev/zero, gzip bombs.
Result<std::string> ReadWholeInput(const std::string& path, uint64_t max_bytes,
                                   std::string_view what);

}  // namespace heapscope::io

#endif  // HEAPSCOPE_IO_INPUT_H_
