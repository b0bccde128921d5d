// CLI plumbing shared by the subcommands. CLI11 is used only in src/cli/.
//
// Each subcommand lives in cmd_<name>.cc: a setup function adds a CLI11 subcommand, binds its
// flags to a plain options struct, and returns the function that runs it. HS_REGISTER_COMMAND
// adds the setup function to the registry that cli.cc walks.
#ifndef HEAPSCOPE_SRC_CLI_COMMAND_H_
#define HEAPSCOPE_SRC_CLI_COMMAND_H_

#include <functional>
#include <string>

#include <CLI/CLI.hpp>

#include "heapscope/status.h"

namespace heapscope::cli {

using Runner = std::function<int()>;
using SetupFn = Runner (*)(CLI::App& app);

// Registers a subcommand; `order` sorts the help listing.
bool RegisterCommand(int order, SetupFn setup);

// Prints "heapscope: MESSAGE" to stderr (terminal-safe: the message may quote input) and
// returns the exit code for it (2 for any error).
int Fail(const Status& status);

// Writes `text` to `output` ("-" = stdout, else atomically to the file): 0, or Fail()'s code.
int Emit(const std::string& output, const std::string& text);

// Whether progress may be shown: stderr is a terminal and --quiet was not given.
bool ProgressEnabled();
void SetQuiet(bool quiet);

// Writes a progress line "\r<phase> <done>/<total> MB (<pct>%) <rate> MB/s" to stderr when
// ProgressEnabled(); ProgressDone() ends the line.
void Progress(const char* phase, uint64_t done, uint64_t total);
void ProgressDone();
// The loading progress callback for the library's options: Progress("loading", …) when
// ProgressEnabled(), else empty.
std::function<void(uint64_t, uint64_t)> LoadingProgress();

int Main(int argc, char** argv);

}  // namespace heapscope::cli

#define HS_REGISTER_COMMAND(order, fn)                                        \
  static const bool HS_CONCAT_(hs_registered_command_, __LINE__) [[maybe_unused]] = \
      ::heapscope::cli::RegisterCommand(order, fn)

#endif  // HEAPSCOPE_SRC_CLI_COMMAND_H_
