// Writing outputs atomically: nothing is ever left written half-way.
#ifndef HEAPSCOPE_IO_OUTPUT_H_
#define HEAPSCOPE_IO_OUTPUT_H_

#include <string>
#include <string_view>

#include "heapscope/status.h"

namespace heapscope::io {

// Writes `content` to `path` through a temporary file in the same folder, fsync'd and renamed
// over the target. "-" or "" writes to standard output.
Status WriteOutput(const std::string& path, std::string_view content);

}  // namespace heapscope::io

#endif  // HEAPSCOPE_IO_OUTPUT_H_
