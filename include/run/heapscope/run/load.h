// The one snapshot-loading sequence every command shares: load the file, count strings that are
// not valid UTF-8, then (when asked) build the retainer graph and run DevTools' analysis
// (distances, shallow sizes, dominators, retained sizes), timing each step.
#ifndef HEAPSCOPE_RUN_LOAD_H_
#define HEAPSCOPE_RUN_LOAD_H_

#include <cstdint>
#include <functional>
#include <string>

#include "heapscope/dominators/heap_analysis.h"
#include "heapscope/graph/heap_graph.h"
#include "heapscope/snapshot/snapshot.h"
#include "heapscope/status.h"

namespace heapscope {

struct LoadOptions {
  std::string path;                    // .heapsnapshot, gzip or plain; "-" = stdin
  bool analyze = true;                 // retainers + DevTools' analysis; false = load only
  bool reassign_shallow_sizes = true;  // DevTools' shallow-size reassignment
  // Byte progress while loading: (done, total); may be empty.
  std::function<void(uint64_t, uint64_t)> progress;
};

// Milliseconds per step (0 for steps not run). The retainer index runs beside distances,
// shallow sizes and the essential edges (part of `dominators`), so the steps add up to more
// than `analysis_wall`, the wall time from the retainers to the retained sizes.
struct LoadTimings {
  double load = 0, retainers = 0, distances = 0, shallow = 0, dominators = 0, retained = 0;
  double analysis_wall = 0;
};

struct LoadedSnapshot {
  snapshot::Snapshot snapshot;        // diagnostics.invalid_utf8_strings counted
  bool analyzed = false;              // retainers and analysis filled
  graph::Retainers retainers;
  dominators::HeapAnalysis analysis;
  LoadTimings timings;
};

Result<LoadedSnapshot> LoadSnapshot(const LoadOptions& options);

// The retainers and DevTools' analysis of `loaded.snapshot`, timed: what LoadSnapshot does when
// `analyze` is set, for a caller (analyze) that loads a series and analyzes only its last member.
void AnalyzeLoaded(LoadedSnapshot& loaded, bool reassign_shallow_sizes);

}  // namespace heapscope

#endif  // HEAPSCOPE_RUN_LOAD_H_
