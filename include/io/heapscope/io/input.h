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
};

// Opens `path`, or standard input for "-". Detects gzip by its magic bytes (1f 8b).
Result<std::unique_ptr<ByteSource>> OpenInput(const std::string& path);

// Reads a whole (small) input file into memory, decompressing gzip. For metrics, policies.
// Refuses, with exit-2 errors naming the file and `what` it is, input that decompresses to more
// than `max_bytes` or than the memory budget (io/memory.h): /dev/zero, gzip bombs.
Result<std::string> ReadWholeInput(const std::string& path, uint64_t max_bytes,
                                   std::string_view what);

}  // namespace heapscope::io

#endif  // HEAPSCOPE_IO_INPUT_H_
