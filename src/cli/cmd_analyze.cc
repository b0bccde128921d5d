// `heapscope analyze SNAPSHOT... [--metrics FILE]... [--format text|markdown|html|json|sarif|junit]...
// [-o FILE]...`: listener-leak and growth findings over a series of snapshots of one process
// (docs/cmd-analyze.md, rules in docs/rules.md).
#include <memory>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/outputs.h"
#include "heapscope/report/render.h"
#include "heapscope/run.h"

namespace heapscope::cli {
namespace {

struct AnalyzeCliOptions {
  AnalyzeOptions analysis;
  OutputOptions out;
  double memory_limit = 0;  // 0 = not given
  bool no_reassign = false;
};

int RunAnalyze(AnalyzeCliOptions& o) {
  Result<std::vector<Output>> outputs = ResolveOutputs("analyze", o.out);
  if (!outputs.ok()) return Fail(outputs.status());
  AnalyzeOptions a = o.analysis;
  if (o.memory_limit > 0) a.memory_limit_bytes = o.memory_limit;
  a.reassign_shallow_sizes = !o.no_reassign;
  if (ProgressEnabled()) {
    a.progress = [](const char* phase, uint64_t done, uint64_t total) {
      // Byte progress while loading; phases without byte counts print once.
      if (std::string_view(phase) == "loading") Progress(phase, done, total);
    };
  }
  Result<report::Report> rep = RunAnalysis(a);
  ProgressDone();
  if (!rep.ok()) return Fail(rep.status());
  return EmitReport(*rep, *outputs);
}

Runner SetupAnalyze(CLI::App& app) {
  auto opts = std::make_shared<AnalyzeCliOptions>();
  CLI::App* sub = app.add_subcommand(
      "analyze", "Find listener leaks, growing closures and collections in heap snapshots");
  sub->add_option("snapshots", opts->analysis.snapshots,
                  "Heap snapshots of one process in time order (baseline target final …)")
      ->required();
  sub->add_option("--metrics", opts->analysis.metrics,
                  "Metric export to join as evidence (repeatable)");
  AddOutputOptions(sub, &opts->out);
  sub->add_option("--source-root", opts->analysis.source_root, "Show script paths relative to DIR");
  sub->add_option("--source-maps", opts->analysis.source_maps,
                  "Also look for scripts' source maps (NAME.js.map) in DIR");
  sub->add_flag("--no-source-maps", opts->analysis.no_source_maps,
                "Report positions in the generated scripts; read no source map");
  sub->add_option("--memory-limit", opts->memory_limit,
                  "Memory limit in bytes for time-to-limit estimates (overrides metrics)");
  sub->add_flag("--no-reassign-shallow-sizes", opts->no_reassign,
                "Keep the file's self sizes (DevTools reassigns some before retained sizes)");
  sub->add_option("--min-listeners", opts->analysis.min_listeners_per_site,
                  "listener-accumulation threshold per site, emitter and event")
      ->capture_default_str();
  sub->add_option("--top-classes", opts->analysis.top_classes, "Rows of the class summary")
      ->capture_default_str();
  sub->add_option("--top-clusters", opts->analysis.top_clusters, "Closure clusters listed")
      ->capture_default_str();
  return [opts] { return RunAnalyze(*opts); };
}

}  // namespace

HS_REGISTER_COMMAND(20, SetupAnalyze);

}  // namespace heapscope::cli
