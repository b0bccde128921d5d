#include "heapscope/run/load.h"

#include <chrono>

#include "heapscope/io/parallel.h"
#include "heapscope/snapshot/parse.h"
#include "heapscope/text.h"

namespace heapscope {
namespace {

using Clock = std::chrono::steady_clock;

double Ms(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

// Strings the renderers must repair (U+FFFD) before JSON or a terminal sees them.
uint64_t CountInvalidUtf8(const snapshot::Snapshot& s) {
  uint64_t n = 0;
  for (uint32_t i = 0; i < s.string_count(); ++i) n += !text::IsValidUtf8(s.String(StringId(i)));
  return n;
}

}  // namespace

Result<LoadedSnapshot> LoadSnapshot(const LoadOptions& options) {
  LoadedSnapshot out;
  auto t0 = Clock::now();
  snapshot::ParseOptions po;
  po.progress = options.progress;
  Result<snapshot::Snapshot> loaded = snapshot::ParseSnapshotFile(options.path, po);
  if (!loaded.ok()) return loaded.status();
  out.snapshot = *std::move(loaded);
  snapshot::Snapshot& s = out.snapshot;
  s.diagnostics.invalid_utf8_strings = CountInvalidUtf8(s);
  auto t1 = Clock::now();
  out.timings.load = Ms(t0, t1);
  if (options.analyze) AnalyzeLoaded(out, options.reassign_shallow_sizes);
  return out;
}

// The retainer index is built on one core while distances, shallow sizes and the essential
// edges (none of which need it) run on the other; then Lengauer–Tarjan, then retained sizes.
void AnalyzeLoaded(LoadedSnapshot& out, bool reassign_shallow_sizes) {
  const snapshot::Snapshot& s = out.snapshot;
  dominators::HeapAnalysis& a = out.analysis;
  LoadTimings& t = out.timings;
  double essential = 0;
  auto t1 = Clock::now();
  par::Invoke(
      [&] {
        auto r0 = Clock::now();
        out.retainers = graph::BuildRetainers(s);
        t.retainers = Ms(r0, Clock::now());
      },
      [&] {
        auto d0 = Clock::now();
        dominators::ComputeDistances(s, a);
        auto d1 = Clock::now();
        dominators::ComputeShallowSizes(s, {reassign_shallow_sizes}, a);
        auto d2 = Clock::now();
        dominators::ComputeEssentialEdges(s, a);
        auto d3 = Clock::now();
        t.distances = Ms(d0, d1);
        t.shallow = Ms(d1, d2);
        essential = Ms(d2, d3);
      });
  auto t2 = Clock::now();
  dominators::ComputeDominatorTree(s, out.retainers, a);
  auto t3 = Clock::now();
  dominators::ComputeRetainedSizes(s, a);
  auto t4 = Clock::now();
  out.analyzed = true;
  t.dominators = essential + Ms(t2, t3);
  t.retained = Ms(t3, t4);
  t.analysis_wall = Ms(t1, t4);
}

}  // namespace heapscope
