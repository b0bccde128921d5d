// Internal to run/: the pieces RunAnalysis (run.cc) puts together to build the Report.
//   wording.cc      a Detection -> a report::Finding, words from the rule and shape registries
//   routes.cc       the retainer path shown for a detection (through the listener table)
//   ranking.cc      nesting, merging of same-path collections, ranking
//   fingerprints.cc stable fingerprints
//   clusters.cc     closure clusters by site
//   metrics_join.cc metric evidence joined to findings, damage counters (run_metrics.h)
#ifndef HEAPSCOPE_SRC_RUN_RUN_INTERNAL_H_
#define HEAPSCOPE_SRC_RUN_RUN_INTERNAL_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "heapscope/dominators/heap_analysis.h"
#include "heapscope/graph/heap_graph.h"
#include "heapscope/leaks/detect.h"
#include "heapscope/leaks/sites.h"
#include "heapscope/metrics/analysis.h"
#include "heapscope/paths/retainer_paths.h"
#include "heapscope/report/report.h"
#include "heapscope/run.h"
#include "heapscope/snapshot/snapshot.h"

namespace heapscope::run_internal {

// The last snapshot of the series and what is computed on it.
struct LastSnapshot {
  snapshot::Snapshot snap;
  graph::Retainers retainers;
  dominators::HeapAnalysis analysis;
  paths::ShortestPathTree tree;
};

// What every finding is worded from.
struct Context {
  const AnalyzeOptions& options;
  const leaks::SiteTable& table;
  const LastSnapshot& last;
};

// run.cc: adds `counters` ("name", count) to `out`, summing counters of the same name, each
// name prefixed with `prefix`.
void AddCounters(const std::vector<std::pair<std::string, uint64_t>>& counters,
                 std::string_view prefix, std::vector<std::pair<std::string, uint64_t>>& out);

// wording.cc
report::Site SiteOf(const Context& c, leaks::SiteId id);
report::Site DisplaySite(const Context& c, const leaks::SourceSite& src);
std::string CountsText(const std::vector<uint64_t>& counts);
report::Finding ToFinding(const Context& c, const leaks::Detection& d);

// routes.cc: GC roots -> … -> emitter -> listener table -> … -> closure for listener
// detections (when that route exists), else the representative object's shortest path.
paths::RetainerPath PathFor(const Context& c, const leaks::Detection& d);

// ranking.cc
// Findings nested under their parents (Detection::parent), top level returned; a root takes
// the highest severity of its tree.
std::vector<report::Finding> NestFindings(const std::vector<leaks::Detection>& detections,
                                          std::vector<report::Finding> all);
// Growing collections reached by the same normalized path are one finding.
void MergeCollections(std::vector<report::Finding>& v);
// Notes last, then retained size, then severity, then total growth (recursively).
void SortFindings(std::vector<report::Finding>& v);

// fingerprints.cc
std::string StableFingerprint(const report::Finding& f);
void SetFingerprints(std::vector<report::Finding>& v);

// class_growth.cc: DevTools' Comparison view from `first` to the last snapshot, every class that
// changed, largest size delta first. `first` is the first snapshot of the series as loaded.
std::vector<report::ClassGrowth> ClassGrowthFirstToLast(const snapshot::Snapshot& first,
                                                        const LastSnapshot& last,
                                                        bool reassign_shallow_sizes);

// clusters.cc
std::vector<report::Cluster> BuildClusters(const Context& c,
                                           const std::vector<leaks::SnapshotFacts>& series);

}  // namespace heapscope::run_internal

#endif  // HEAPSCOPE_SRC_RUN_RUN_INTERNAL_H_
