#include "heapscope/io/output.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

namespace heapscope::io {
namespace {

OutputOptions g_options;

// The temporary file being written, for the signal handler (async-signal-safe: a fixed
// buffer, unlink, and re-raising the signal with its default action).
char g_temp_path[4096];
volatile sig_atomic_t g_temp_active = 0;

extern "C" void RemoveTempAndReraise(int sig) {
  if (g_temp_active) ::unlink(g_temp_path);
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

// Installs the handler for SIGINT and SIGTERM while a temporary file exists.
class TempGuard {
 public:
  explicit TempGuard(const std::string& path) {
    std::snprintf(g_temp_path, sizeof g_temp_path, "%s", path.c_str());
    struct sigaction sa {};
    sa.sa_handler = RemoveTempAndReraise;
    sigemptyset(&sa.sa_mask);
    ::sigaction(SIGINT, &sa, &old_int_);
    ::sigaction(SIGTERM, &sa, &old_term_);
    g_temp_active = 1;
  }
  ~TempGuard() {
    g_temp_active = 0;
    ::sigaction(SIGINT, &old_int_, nullptr);
    ::sigaction(SIGTERM, &old_term_, nullptr);
  }
  TempGuard(const TempGuard&) = delete;
  TempGuard& operator=(const TempGuard&) = delete;

 private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

Status WriteAll(int fd, std::string_view content, const std::string& path) {
  const char* p = content.data();
  size_t left = content.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::Io(fmt::format("{}: cannot write: {}", path, std::strerror(errno)));
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  return Status::Ok();
}

// FIFOs, devices, /dev/stdout: opened and written, never replaced.
Status WriteThrough(const std::string& path, std::string_view content) {
  int fd = ::open(path.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return Status::Io(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  Status st = WriteAll(fd, content, path);
  if (::close(fd) != 0 && st.ok()) {
    st = Status::Io(fmt::format("{}: cannot write: {}", path, std::strerror(errno)));
  }
  return st;
}

mode_t NewFileMode() {
  const mode_t mask = ::umask(0);
  ::umask(mask);
  return 0666 & ~mask;
}

}  // namespace

void SetOutputOptions(const OutputOptions& options) { g_options = options; }

Status WriteOutput(const std::string& path, std::string_view content) {
  return WriteOutput(path, content, g_options);
}

Status WriteOutput(const std::string& path, std::string_view content,
                   const OutputOptions& options) {
  if (path.empty() || path == "-") {
    size_t written = std::fwrite(content.data(), 1, content.size(), stdout);
    std::fflush(stdout);
    if (written != content.size()) return Status::Io("cannot write to standard output");
    return Status::Ok();
  }
  struct stat target {};
  const bool exists = ::stat(path.c_str(), &target) == 0;
  struct stat link {};
  const bool is_link = ::lstat(path.c_str(), &link) == 0 && S_ISLNK(link.st_mode);
  // /dev/stdout and /proc/self/fd/N are links to whatever the descriptor is: write through.
  const bool fd_alias = path.starts_with("/dev/") || path.starts_with("/proc/");
  if ((exists && !S_ISREG(target.st_mode)) || (fd_alias && exists)) {
    if (exists && S_ISDIR(target.st_mode)) return Status::Io(fmt::format("{}: is a directory", path));
    return WriteThrough(path, content);
  }
  if (is_link && !options.replace_symlink) {
    return Status::Io(fmt::format(
        "{}: is a symbolic link; refusing to replace it (write to its target, or pass "
        "--replace-symlink)",
        path));
  }
  const mode_t mode = exists && !is_link ? (target.st_mode & 07777) : NewFileMode();

  std::filesystem::path p(path);
  std::filesystem::path dir = p.parent_path();
  if (dir.empty()) dir = ".";
  std::string tmpl = (dir / fmt::format(".{}.tmp-XXXXXX", p.filename().string())).string();
  // Blocks SIGINT/SIGTERM between mkstemp and the guard, so no temporary file escapes it.
  sigset_t block, old;
  sigemptyset(&block);
  sigaddset(&block, SIGINT);
  sigaddset(&block, SIGTERM);
  ::sigprocmask(SIG_BLOCK, &block, &old);
  int fd = ::mkstemp(tmpl.data());
  if (fd < 0) {
    int e = errno;
    ::sigprocmask(SIG_SETMASK, &old, nullptr);
    return Status::Io(fmt::format("{}: cannot create temporary file: {}", path, std::strerror(e)));
  }
  TempGuard guard(tmpl);
  ::sigprocmask(SIG_SETMASK, &old, nullptr);

  Status st = WriteAll(fd, content, path);
  if (!st.ok()) {
    ::close(fd);
    ::unlink(tmpl.c_str());
    return st;
  }
  ::fchmod(fd, mode);
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    int e = errno;
    ::unlink(tmpl.c_str());
    return Status::Io(fmt::format("{}: cannot write: {}", path, std::strerror(e)));
  }
  if (::rename(tmpl.c_str(), path.c_str()) != 0) {
    int e = errno;
    ::unlink(tmpl.c_str());
    return Status::Io(
        fmt::format("{}: cannot rename temporary file into place: {}", path, std::strerror(e)));
  }
  return Status::Ok();
}

}  // namespace heapscope::io
