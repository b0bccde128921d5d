// Writing outputs atomically: nothing is ever left written half-way.
#ifndef HEAPSCOPE_IO_OUTPUT_H_
#define HEAPSCOPE_IO_OUTPUT_H_

#include <string>
#include <string_view>

#include "heapscope/status.h"

namespace heapscope::io {

struct OutputOptions {
  // A symbolic link at the output path is refused unless this is set; then it is replaced by
  // the new file (the link's target is left alone).
  bool replace_symlink = false;
};

// Writes `content` to `path`. "-" or "" writes to standard output. A regular file (or a new
// one) is written through a temporary file in the same folder, fsync'd and renamed over the
// target: it keeps the mode of the file it replaces (a new file gets 0666 minus the umask),
// and the temporary file is removed if SIGINT or SIGTERM arrives meanwhile. Anything that is
// not a regular file (a FIFO, a device, /dev/stdout, /proc/self/fd/N) is written through, never
// replaced. A symbolic link is refused unless `options.replace_symlink`.
Status WriteOutput(const std::string& path, std::string_view content,
                   const OutputOptions& options);
// The same with the process's options (SetOutputOptions; the CLI's --replace-symlink).
Status WriteOutput(const std::string& path, std::string_view content);
void SetOutputOptions(const OutputOptions& options);

}  // namespace heapscope::io

#endif  // HEAPSCOPE_IO_OUTPUT_H_
