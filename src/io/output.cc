#include "heapscope/io/output.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

namespace heapscope::io {

Status WriteOutput(const std::string& path, std::string_view content) {
  if (path.empty() || path == "-") {
    size_t written = std::fwrite(content.data(), 1, content.size(), stdout);
    std::fflush(stdout);
    if (written != content.size()) return Status::Io("cannot write to standard output");
    return Status::Ok();
  }
  std::filesystem::path target(path);
  std::filesystem::path dir = target.parent_path();
  if (dir.empty()) dir = ".";
  std::string tmpl = (dir / fmt::format(".{}.tmp-XXXXXX", target.filename().string())).string();
  int fd = ::mkstemp(tmpl.data());
  if (fd < 0) return Status::Io(fmt::format("{}: cannot create temporary file: {}", path, std::strerror(errno)));
  const char* p = content.data();
  size_t left = content.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      int e = errno;
      ::close(fd);
      ::unlink(tmpl.c_str());
      return Status::Io(fmt::format("{}: cannot write: {}", path, std::strerror(e)));
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  ::fchmod(fd, 0644);
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    int e = errno;
    ::unlink(tmpl.c_str());
    return Status::Io(fmt::format("{}: cannot write: {}", path, std::strerror(e)));
  }
  if (::rename(tmpl.c_str(), path.c_str()) != 0) {
    int e = errno;
    ::unlink(tmpl.c_str());
    return Status::Io(fmt::format("{}: cannot rename temporary file into place: {}", path, std::strerror(e)));
  }
  return Status::Ok();
}

}  // namespace heapscope::io
