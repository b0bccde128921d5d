// `heapscope strings SNAPSHOT [--top N] [--retainers K] [--raw-sizes] [--format text|json]
// [-o FILE]`: duplicated string values, with their copies, wasted bytes and what holds them.
// Output formats: docs/cmd-strings.md.
#include <memory>
#include <string>

#include "cli/command.h"
#include "heapscope/report/commands.h"
#include "heapscope/run/commands.h"

namespace heapscope::cli {
namespace {

struct StringsCliOptions {
  StringsOptions strings;
  std::string format = "text";
  std::string output = "-";
};

int RunStringsCommand(const StringsCliOptions& o) {
  StringsOptions so = o.strings;
  so.progress = LoadingProgress();
  Result<StringsResult> r = RunStrings(so);
  ProgressDone();
  if (!r.ok()) return Fail(r.status());
  return Emit(o.output, o.format == "json" ? report::RenderStringsJson(*r)
                                           : report::RenderStringsText(*r));
}

Runner SetupStrings(CLI::App& app) {
  auto opts = std::make_shared<StringsCliOptions>();
  CLI::App* sub = app.add_subcommand(
      "strings", "Duplicated string values: copies, wasted bytes and what holds them");
  sub->add_option("snapshot", opts->strings.snapshot,
                  "Heap snapshot (.heapsnapshot, gzip or plain; - = stdin)")
      ->required();
  sub->add_option("-n,--top", opts->strings.top, "Values to show, most wasted bytes first (0 = all)")
      ->capture_default_str();
  sub->add_option("--retainers", opts->strings.retainers,
                  "Kinds of holder listed per value (0 = none)")
      ->capture_default_str();
  sub->add_flag("--raw-sizes", opts->strings.raw_sizes,
                "Keep self sizes as in the file (skip DevTools' reassignment)");
  sub->add_option("--format", opts->format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  sub->add_option("-o,--output", opts->output, "Write to FILE (atomically) instead of stdout");
  return [opts] { return RunStringsCommand(*opts); };
}

HS_REGISTER_COMMAND(35, SetupStrings);

}  // namespace
}  // namespace heapscope::cli
