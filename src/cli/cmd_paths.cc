// `heapscope paths SNAPSHOT --id ID [--max K] [--format text|json] [-o FILE]`: retainer paths
// from the root to one node, memlab/DevTools style, each step with its edge, class, id and
// retained size. Grammar and JSON fields: docs/cmd-paths.md.
#include <memory>
#include <string>

#include "cli/command.h"
#include "heapscope/report/commands.h"
#include "heapscope/run/commands.h"

namespace heapscope::cli {
namespace {

struct PathsCliOptions {
  PathsOptions paths;
  std::string format = "text";
  std::string output = "-";
};

int RunPathsCommand(const PathsCliOptions& o) {
  PathsOptions po = o.paths;
  po.progress = LoadingProgress();
  Result<PathsResult> r = RunPaths(po);
  ProgressDone();
  if (!r.ok()) return Fail(r.status());
  return Emit(o.output,
              o.format == "json" ? report::RenderPathsJson(*r) : report::RenderPathsText(*r));
}

Runner SetupPaths(CLI::App& app) {
  auto opts = std::make_shared<PathsCliOptions>();
  CLI::App* sub = app.add_subcommand(
      "paths", "Retainer paths from the GC roots to one node (shortest first, weak edges skipped)");
  sub->add_option("snapshot", opts->paths.snapshot,
                  "Heap snapshot (.heapsnapshot, gzip or plain; - = stdin)")
      ->required();
  sub->add_option("--id", opts->paths.id, "Node id (the @id DevTools shows)")->required();
  sub->add_option("-k,--max", opts->paths.max,
                  "Paths to show (the preferred one, then the next shortest)")
      ->check(CLI::Range(1u, 1000u))
      ->capture_default_str();
  sub->add_option("--format", opts->format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  sub->add_option("-o,--output", opts->output, "Write to FILE (atomically) instead of stdout");
  return [opts] { return RunPathsCommand(*opts); };
}

HS_REGISTER_COMMAND(40, SetupPaths);

}  // namespace
}  // namespace heapscope::cli
