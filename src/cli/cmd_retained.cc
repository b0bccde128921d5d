// `heapscope retained SNAPSHOT [--top N] [--format json|text] [--raw-sizes] [-o FILE]`: every
// node's self size, retained size, distance and immediate dominator, as Chrome DevTools
// computes them, largest retained size first. Output formats: docs/cmd-retained.md.
#include <fmt/format.h>

#include <chrono>
#include <memory>
#include <string>

#include "cli/command.h"
#include "heapscope/report/commands.h"
#include "heapscope/run/commands.h"

namespace heapscope::cli {
namespace {

struct RetainedCliOptions {
  RetainedOptions retained;
  std::string format = "text";
  std::string output = "-";
  bool timings = false;
};

int RunRetainedCommand(const RetainedCliOptions& o) {
  auto start = std::chrono::steady_clock::now();
  RetainedOptions ro = o.retained;
  ro.progress = LoadingProgress();
  Result<RetainedResult> r = RunRetained(ro);
  ProgressDone();
  if (!r.ok()) return Fail(r.status());
  auto computed = std::chrono::steady_clock::now();
  const bool json = o.format == "json";
  if (int code = Emit(o.output, json ? report::RenderRetainedJson(*r)
                                     : report::RenderRetainedText(*r))) {
    return code;
  }
  if (json && !r->loaded.analysis.shallow_sizes_reassigned) {
    // The JSON array has no room for a note; the text format says it in its header.
    fmt::print(stderr,
               "heapscope: note: self sizes are as in the file (no DevTools reassignment)\n");
  }
  if (o.timings) {
    auto ms = [](auto x, auto y) {
      return std::chrono::duration<double, std::milli>(y - x).count();
    };
    const LoadTimings& t = r->loaded.timings;
    const double output = ms(computed, std::chrono::steady_clock::now());
    fmt::print(stderr,
               "timings_ms load={:.1f} retainers={:.1f} distances={:.1f} shallow={:.1f} "
               "dominators={:.1f} retained={:.1f} analysis_wall={:.1f} output={:.1f} total={:.1f} "
               "nodes={} edges={}\n",
               t.load, t.retainers, t.distances, t.shallow, t.dominators, t.retained,
               t.analysis_wall, output,
               ms(start, computed) + output, r->loaded.snapshot.node_count(),
               r->loaded.snapshot.edge_count());
  }
  return 0;
}

Runner SetupRetained(CLI::App& app) {
  auto opts = std::make_shared<RetainedCliOptions>();
  CLI::App* sub = app.add_subcommand(
      "retained",
      "Nodes by retained size, with distance and dominator, exactly as DevTools computes them");
  sub->add_option("snapshot", opts->retained.snapshot,
                  "Heap snapshot (.heapsnapshot, gzip or plain; - = stdin)")
      ->required();
  sub->add_option("-n,--top", opts->retained.top,
                  "Nodes to list, largest retained size first (0 = all)")
      ->capture_default_str();
  sub->add_option("--format", opts->format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  sub->add_option("-o,--output", opts->output, "Write to FILE (atomically) instead of stdout");
  sub->add_flag("--raw-sizes", opts->retained.raw_sizes,
                "Keep self sizes as in the file (skip DevTools' reassignment of hidden/array "
                "nodes to their single owner)");
  sub->add_flag("--timings", opts->timings, "Print the time of each step on stderr");
  return [opts] { return RunRetainedCommand(*opts); };
}

HS_REGISTER_COMMAND(30, SetupRetained);

}  // namespace
}  // namespace heapscope::cli
