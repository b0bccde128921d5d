// `heapscope summary SNAPSHOT [--top N] [--format text|json] [-o FILE]`: the DevTools Summary
// view (objects per class: count and self size) plus the snapshot's header figures.
// Output formats are described in docs/cmd-summary.md.
#include <memory>
#include <string>

#include "cli/command.h"
#include "heapscope/report/commands.h"
#include "heapscope/run/commands.h"

namespace heapscope::cli {
namespace {

struct SummaryCliOptions {
  SummaryOptions summary;
  std::string format = "text";
  std::string output = "-";
};

int RunSummaryCommand(const SummaryCliOptions& o) {
  SummaryOptions so = o.summary;
  so.progress = LoadingProgress();
  Result<SummaryResult> r = RunSummary(so);
  ProgressDone();
  if (!r.ok()) return Fail(r.status());
  return Emit(o.output, o.format == "json" ? report::RenderSummaryJson(*r)
                                           : report::RenderSummaryText(*r));
}

Runner SetupSummary(CLI::App& app) {
  auto opts = std::make_shared<SummaryCliOptions>();
  CLI::App* sub = app.add_subcommand(
      "summary",
      "Objects per class (count, self size) and the snapshot's header, like DevTools' Summary");
  sub->add_option("snapshot", opts->summary.snapshot,
                  "Heap snapshot (.heapsnapshot, gzip or plain; - = stdin)")
      ->required();
  sub->add_option("-n,--top", opts->summary.top,
                  "Classes to show, largest self size first (0 = all)")
      ->capture_default_str();
  sub->add_option("--format", opts->format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  sub->add_option("-o,--output", opts->output, "Write to FILE (atomically) instead of stdout");
  sub->add_flag("--retained,!--no-retained", opts->summary.retained,
                "DevTools' retained size (per class) and distance columns, with DevTools' "
                "reassigned self sizes (runs the dominator analysis; on by default). "
                "--no-retained: load and count only, raw self sizes");
  return [opts] { return RunSummaryCommand(*opts); };
}

HS_REGISTER_COMMAND(10, SetupSummary);

}  // namespace
}  // namespace heapscope::cli
