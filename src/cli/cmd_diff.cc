// `heapscope diff BASE TARGET [MORE...] [--top N] [--class NAME] [--format …] [-o FILE]`: DevTools'
// Comparison view per class for each consecutive pair of snapshots and first -> last, and the
// new objects of one class with their retainer paths. Output formats: docs/cmd-diff.md.
#include <memory>
#include <string>

#include "cli/command.h"
#include "heapscope/report/commands.h"
#include "heapscope/run/commands.h"

namespace heapscope::cli {
namespace {

struct DiffCliOptions {
  DiffOptions diff;
  std::string format = "text";
  std::string output = "-";
};

int RunDiffCommand(const DiffCliOptions& o) {
  DiffOptions d = o.diff;
  d.progress = LoadingProgress();
  Result<DiffResult> r = RunDiff(d);
  ProgressDone();
  if (!r.ok()) return Fail(r.status());
  const std::string& f = o.format;
  return Emit(o.output, f == "json"       ? report::RenderDiffJson(*r)
                        : f == "markdown" ? report::RenderDiffMarkdown(*r)
                        : f == "html"     ? report::RenderDiffHtml(*r)
                        : f == "csv"      ? report::RenderDiffCsv(*r)
                                          : report::RenderDiffText(*r));
}

Runner SetupDiff(CLI::App& app) {
  auto opts = std::make_shared<DiffCliOptions>();
  CLI::App* sub = app.add_subcommand(
      "diff",
      "DevTools' Comparison view: objects new and deleted per class between snapshots");
  sub->add_option("snapshots", opts->diff.snapshots,
                  "Heap snapshots of one process in time order (BASE TARGET [MORE...])")
      ->required();
  sub->add_option("-n,--top", opts->diff.top,
                  "Classes per comparison, largest size delta first, and objects of --class "
                  "(0 = all)")
      ->capture_default_str();
  sub->add_option("--class", opts->diff.class_name,
                  "List the new objects of this class (a name as summary shows it, or a DevTools "
                  "class key) from the first to the last snapshot, with their retainer paths");
  sub->add_option("--format", opts->format, "Output format")
      ->check(CLI::IsMember({"text", "json", "markdown", "html", "csv"}))
      ->capture_default_str();
  sub->add_option("-o,--output", opts->output, "Write to FILE (atomically) instead of stdout");
  return [opts] { return RunDiffCommand(*opts); };
}

HS_REGISTER_COMMAND(15, SetupDiff);

}  // namespace
}  // namespace heapscope::cli
