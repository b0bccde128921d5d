#include "heapscope/run/load.h"

#include <chrono>

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

void AnalyzeLoaded(LoadedSnapshot& out, bool reassign_shallow_sizes) {
  const snapshot::Snapshot& s = out.snapshot;
  auto t1 = Clock::now();
  out.retainers = graph::BuildRetainers(s);
  auto t2 = Clock::now();
  dominators::HeapAnalysis& a = out.analysis;
  dominators::ComputeDistances(s, a);
  auto t3 = Clock::now();
  dominators::ComputeShallowSizes(s, {reassign_shallow_sizes}, a);
  auto t4 = Clock::now();
  dominators::ComputeDominators(s, out.retainers, a);
  auto t5 = Clock::now();
  dominators::ComputeRetainedSizes(s, a);
  auto t6 = Clock::now();
  out.analyzed = true;
  out.timings.retainers = Ms(t1, t2);
  out.timings.distances = Ms(t2, t3);
  out.timings.shallow = Ms(t3, t4);
  out.timings.dominators = Ms(t4, t5);
  out.timings.retained = Ms(t5, t6);
}

}  // namespace heapscope
