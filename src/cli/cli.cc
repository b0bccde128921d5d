#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include <fmt/format.h>

#include "cli/command.h"
#include "heapscope/io/memory.h"
#include "heapscope/io/output.h"
#include "heapscope/text.h"

namespace heapscope::cli {
namespace {

struct Entry {
  int order;
  SetupFn setup;
};

std::vector<Entry>& Registry() {
  static std::vector<Entry> registry;
  return registry;
}

bool g_quiet = false;
bool g_progress_open = false;
std::chrono::steady_clock::time_point g_progress_start;
std::chrono::steady_clock::time_point g_progress_last;

}  // namespace

bool RegisterCommand(int order, SetupFn setup) {
  Registry().push_back({order, setup});
  return true;
}

int Fail(const Status& status) {
  ProgressDone();
  // Line by line: a message may list things one per line (capture's targets); within each line
  // every control character from the input is shown escaped.
  std::string_view m = status.message();
  std::string safe;
  for (size_t start = 0;;) {
    size_t nl = m.find('\n', start);
    safe += text::TerminalSafe(m.substr(start, nl == std::string_view::npos ? nl : nl - start));
    if (nl == std::string_view::npos) break;
    safe += '\n';
    start = nl + 1;
  }
  fmt::print(stderr, "heapscope: {}\n", safe);
  return 2;
}

int Emit(const std::string& output, const std::string& text) {
  Status st = io::WriteOutput(output, text);
  return st.ok() ? 0 : Fail(st);
}

void SetQuiet(bool quiet) { g_quiet = quiet; }

bool ProgressEnabled() { return !g_quiet && ::isatty(STDERR_FILENO) == 1; }

void Progress(const char* phase, uint64_t done, uint64_t total) {
  if (!ProgressEnabled()) return;
  auto now = std::chrono::steady_clock::now();
  if (!g_progress_open) {
    g_progress_open = true;
    g_progress_start = now;
  } else if (now - g_progress_last < std::chrono::milliseconds(100) && done != total) {
    return;
  }
  g_progress_last = now;
  double secs = std::chrono::duration<double>(now - g_progress_start).count();
  double mb = static_cast<double>(done) / 1e6;
  // No rate until a tenth of a second has passed: a first tick would say "0.0 MB/s".
  std::string rate = secs >= 0.1 ? fmt::format(" {:.1f} MB/s", mb / secs) : std::string();
  if (total > 0) {
    fmt::print(stderr, "\r\x1b[K{} {:.1f}/{:.1f} MB ({:.0f}%){}", phase, mb,
               static_cast<double>(total) / 1e6,
               100.0 * static_cast<double>(done) / static_cast<double>(total), rate);
  } else {
    fmt::print(stderr, "\r\x1b[K{} {:.1f} MB{}", phase, mb, rate);
  }
  std::fflush(stderr);
}

std::function<void(uint64_t, uint64_t)> LoadingProgress() {
  if (!ProgressEnabled()) return {};
  return [](uint64_t done, uint64_t total) { Progress("loading", done, total); };
}

void ProgressDone() {
  if (!g_progress_open) return;
  g_progress_open = false;
  fmt::print(stderr, "\r\x1b[K");
  std::fflush(stderr);
}

int Main(int argc, char** argv) {
  CLI::App app{"heapscope: finds memory and event-listener leaks in V8 heap snapshots and metric exports"};
  app.require_subcommand(1);
  app.fallthrough(true);  // --quiet may follow the subcommand
  bool quiet = false;
  app.add_flag("-q,--quiet", quiet, "No progress output on stderr");
  uint64_t max_memory = 0;
  app.add_option("--max-memory", max_memory,
                 "Memory budget for loading inputs (e.g. 8G, 512M); default: what the machine "
                 "allows (available memory, ulimit -v, cgroup limit)")
      ->transform(CLI::AsSizeValue(false));
  bool replace_symlink = false;
  app.add_flag("--replace-symlink", replace_symlink,
               "Let -o replace a symbolic link with the new file (refused otherwise)");
  app.set_version_flag("--version", "heapscope 0.1.0");
  std::vector<Entry> entries = Registry();
  std::stable_sort(entries.begin(), entries.end(),
                   [](const Entry& a, const Entry& b) { return a.order < b.order; });
  std::vector<std::pair<CLI::App*, Runner>> commands;
  for (const Entry& e : entries) {
    size_t before = app.get_subcommands({}).size();
    Runner run = e.setup(app);
    std::vector<CLI::App*> subs = app.get_subcommands({});
    if (subs.size() > before) commands.emplace_back(subs.back(), std::move(run));
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  SetQuiet(quiet);
  io::SetMemoryBudget(max_memory);
  io::SetOutputOptions({.replace_symlink = replace_symlink});
  for (auto& [sub, run] : commands) {
    if (sub->parsed()) return run();
  }
  return Fail(Status::Usage("no subcommand given; see --help"));
}

}  // namespace heapscope::cli
